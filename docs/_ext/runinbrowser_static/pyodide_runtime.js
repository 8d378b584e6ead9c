// The page's Python, offline: loads the vendored Pyodide on first use and gives it this
// build's packages. Written by docs/_ext/pyodide_runtime.py's build, which provides
// _static/runinbrowser/ with the runtime (pyodide.js, pyodide.asm.js, runtime.js) and the
// package's sources (sources.js). Also the small helpers that the scripts using it share
// (runinbrowser.js, workbook.js), as window.runinbrowser.
(function () {
  "use strict";

  // Everything is loaded relative to this script, so the book works from file:// and http.
  const BASE = new URL("runinbrowser/", document.currentScript.src).href;
  const LOAD_TIMEOUT_MS = 120000;

  let loading = null; // the promise of loadPython(): Pyodide with this build's package
  const timings = { phases: null }; // how long each step of the first load took, in ms

  function loadScript(url) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.onload = resolve;
      script.onerror = () => reject(new Error("could not load " + url));
      document.head.appendChild(script);
    });
  }

  function decodeBase64(text) {
    if (Uint8Array.fromBase64) return Uint8Array.fromBase64(text);
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  function withTimeout(promise, ms, what) {
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(what + " took more than " + ms / 1000 + " s")), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  // Pyodide with this build's package importable, loaded once per page and shared by the Run
  // buttons and the workbook's editor (workbook.js): a promise of {pyodide, version}.
  function loadPython() {
    if (!loading) {
      loading = bootRuntime();
      loading.catch(() => { loading = null; }); // a later click tries again
    }
    return loading;
  }

  async function bootRuntime() {
    const phases = (timings.phases = {});
    let mark = performance.now();
    const phase = (name) => {
      const now = performance.now();
      phases[name] = Math.round(now - mark);
      mark = now;
    };
    await loadScript(BASE + "runtime.js");
    phase("runtime.js");
    // A classic script tag, so loadPyodide finds _createPyodideModule and does not import()
    // the module, which a page opened from file:// is not allowed to do.
    await loadScript(BASE + "pyodide.js");
    await loadScript(BASE + "pyodide.asm.js");
    phase("pyodide scripts");
    const runtime = window.RUNINBROWSER_RUNTIME;
    const embedded = {};
    for (const name in runtime.files) embedded[BASE + name] = decodeBase64(runtime.files[name]);
    delete window.RUNINBROWSER_RUNTIME; // the base64 text is no longer needed
    phase("decode");
    // Pyodide fetches the wasm, the standard library and the lock file (with a URL object or
    // a string); answer those from the embedded copy, so file:// works and nothing leaves.
    const realFetch = window.fetch;
    window.fetch = function (resource, init) {
      const url = resource instanceof Request ? resource.url : String(resource);
      const bytes = embedded[url];
      if (bytes) {
        const type = runtime.types[url.slice(BASE.length)];
        return Promise.resolve(new Response(bytes, { headers: { "Content-Type": type } }));
      }
      return realFetch.call(this, resource, init);
    };
    let pyodide;
    try {
      pyodide = await withTimeout(
        window.loadPyodide({ indexURL: BASE, fullStdLib: false }),
        LOAD_TIMEOUT_MS, "Loading Python");
    } finally {
      window.fetch = realFetch;
    }
    phase("loadPyodide");
    if (pyodide.version !== runtime.version) {
      throw new Error("Pyodide " + pyodide.version + " loaded, " + runtime.version + " expected");
    }
    // The package of this build, written where `import autograd` finds it.
    await loadScript(BASE + "sources.js");
    const site = pyodide.runPython(
      "import sys; [p for p in sys.path if p.endswith('site-packages')][0]");
    for (const [path, text] of Object.entries(window.RUNINBROWSER_SOURCES)) {
      const full = site + "/" + path;
      pyodide.FS.mkdirTree(full.slice(0, full.lastIndexOf("/")));
      pyodide.FS.writeFile(full, text);
    }
    pyodide.runPython("import importlib; importlib.invalidate_caches()");
    phase("sources");
    const version = pyodide.pyimport("runinbrowser_runner").python_version();
    return { pyodide, version };
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function nextFrame() {
    // Let the browser paint a "Running…" message before Python takes the main thread.
    return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  }

  window.runinbrowser = { loadPython, el, nextFrame, timings };
})();
