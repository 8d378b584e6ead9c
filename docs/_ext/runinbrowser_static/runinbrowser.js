// Run and Edit buttons for the book's examples: runs them with Pyodide in this page, offline.
// Written by docs/_ext/runinbrowser.py's build; see that file for what the build provides:
// a JSON script tag #runinbrowser-data with the page's blocks, and _static/runinbrowser/ with
// the runtime (pyodide.js, pyodide.asm.js, runtime.js) and the package's sources (sources.js).
(function () {
  "use strict";

  // Everything is loaded relative to this script, so the book works from file:// and http.
  const BASE = new URL("runinbrowser/", document.currentScript.src).href;
  const LOAD_TIMEOUT_MS = 120000;

  // Loaded once per page, on the first Run: {pyodide, runner (a Python PageRunner), version}.
  let python = null;
  let booting = null; // the promise of `python` while it loads
  let loading = null; // the promise of loadPython(): Pyodide with this build's package
  let busy = false;
  const timings = { load_ms: null, runs: [] }; // read by tests/browser/test_browser.py
  window.runinbrowserTimings = timings;

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
  window.runinbrowser = { loadPython };

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

  async function bootPython(pageData) {
    const { pyodide, version } = await loadPython();
    const started = performance.now();
    const module = pyodide.pyimport("runinbrowser_runner");
    const runner = module.PageRunner.from_json(JSON.stringify(pageData));
    if (timings.phases) timings.phases.runner = Math.round(performance.now() - started);
    return { pyodide, runner, version };
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function nextFrame() {
    // Let the browser paint "Running…" before Python takes the main thread.
    return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  }

  const STATUS_TEXT = {
    match: "Output matches the book.",
    differ: "Output differs from the book:",
    expected: "Output differs from the book, as expected here:",
    edited: "Your edited code ran (its output is not compared with the book).",
    skipped: "",
    error: "Your code does not run:",
  };

  function setup() {
    const dataNode = document.getElementById("runinbrowser-data");
    if (!dataNode) return;
    const page = JSON.parse(dataNode.textContent);
    const blocks = []; // one per visible runnable unit: {index, unit, panel, buttons, ...}

    page.units.forEach((unit, index) => {
      if (unit.hidden || unit.type === "testsetup") return;
      const code = document.getElementById(unit.id);
      if (!code) return;
      const block = { index, unit, code, editor: null };
      const bar = el("div", "runinbrowser-bar");
      bar.id = unit.id + "-bar";
      bar.setAttribute("role", "group");
      bar.setAttribute("aria-label", "Run this example in your browser");
      if (unit.needs) {
        bar.appendChild(el("span", "runinbrowser-note",
          "Needs " + unit.needs + ", which the browser does not have (the book's own check, make doctest, runs it)."));
        bar.dataset.status = "needs";
      } else {
        block.run = el("button", "runinbrowser-run", "Run");
        block.run.type = "button";
        block.run.title = "Run this example in your browser (after the page's earlier examples)";
        block.run.addEventListener("click", () => run(block));
        block.edit = el("button", "runinbrowser-edit", "Edit");
        block.edit.type = "button";
        block.edit.setAttribute("aria-pressed", "false");
        block.edit.addEventListener("click", () => toggleEdit(block));
        bar.append(block.run, block.edit);
      }
      code.after(bar);
      block.bar = bar;
      block.panel = el("div", "runinbrowser-output runinbrowser-hidden");
      block.panel.id = unit.id + "-result";
      block.panel.setAttribute("aria-live", "polite");
      const after = (unit.out_id && document.getElementById(unit.out_id)) || bar;
      after.after(block.panel);
      blocks.push(block);
    });

    function startPython() {
      if (!booting) {
        booting = bootPython(page);
        booting.catch(() => { booting = null; }); // a later click tries again
      }
      return booting;
    }

    // A reader about to click Run or Edit is usually a moment away from running: start
    // loading Python then, not on every page view (it costs seconds of CPU and ~100 MB).
    blocks.forEach((block) => {
      if (!block.run) return;
      for (const button of [block.run, block.edit]) {
        for (const type of ["pointerenter", "focus"]) {
          button.addEventListener(type, () => { startPython().catch(() => {}); }, { once: true });
        }
      }
    });

    function toggleEdit(block) {
      if (block.editor) {
        // Back to the book's version.
        block.editor.remove();
        block.editor = null;
        block.code.classList.remove("runinbrowser-hidden");
        block.edit.textContent = "Edit";
        block.edit.setAttribute("aria-pressed", "false");
        block.edit.focus();
        return;
      }
      const editor = el("textarea", "runinbrowser-editor");
      editor.value = block.unit.plain;
      editor.rows = Math.max(2, block.unit.plain.split("\n").length);
      editor.spellcheck = false;
      editor.setAttribute("aria-label", "Edit the example's code; Ctrl+Enter runs it");
      editor.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          run(block);
        }
      });
      block.code.classList.add("runinbrowser-hidden");
      block.code.after(editor);
      block.editor = editor;
      block.edit.textContent = "Back to the book's version";
      block.edit.setAttribute("aria-pressed", "true");
      editor.focus();
    }

    function show(block, result, ms) {
      const panel = block.panel;
      panel.replaceChildren();
      panel.classList.remove("runinbrowser-hidden");
      panel.dataset.status = result.status;
      const status = el("p", "runinbrowser-status");
      status.textContent = result.status === "skipped" ? result.reason : STATUS_TEXT[result.status];
      if (ms !== undefined) {
        status.appendChild(el("span", "runinbrowser-time",
          " (" + Math.round(ms) + " ms, Python " + python.version + " in your browser)"));
      }
      if (result.status === "differ" && blocks.some((b) => b.editor && b.index < block.index)) {
        status.appendChild(el("span", "", " An example above it is edited, which can explain it."));
      }
      panel.appendChild(status);
      if (result.status === "expected") panel.appendChild(el("p", "runinbrowser-reason", result.reason));
      if (result.transcript && result.status === "match") {
        // The session repeats the example the reader just saw, with the same output: keep it
        // one click away instead of printing the example twice.
        const session = el("details", "runinbrowser-session");
        session.appendChild(el("summary", "", "Show the session"));
        session.appendChild(el("pre", "runinbrowser-transcript", result.transcript));
        panel.appendChild(session);
      } else if (result.transcript) {
        panel.appendChild(el("pre", "runinbrowser-transcript", result.transcript));
      }
      if (result.diff) {
        const details = el("details", "runinbrowser-diff");
        details.open = result.status === "differ";
        details.appendChild(el("summary", "", "Difference from the book"));
        details.appendChild(el("pre", "", result.diff));
        panel.appendChild(details);
      }
    }

    async function run(block) {
      if (busy) return;
      busy = true;
      const started = performance.now();
      blocks.forEach((b) => b.run && (b.run.disabled = true));
      const panel = block.panel;
      panel.classList.remove("runinbrowser-hidden");
      panel.dataset.status = "running";
      try {
        if (!python) {
          panel.replaceChildren(el("p", "runinbrowser-status",
            "Loading Python… (the first run on a page takes a few seconds)"));
          await nextFrame();
          python = await startPython();
          timings.load_ms = performance.now() - started;
        } else {
          panel.replaceChildren(el("p", "runinbrowser-status", "Running…"));
          await nextFrame();
        }
        const edits = {};
        blocks.forEach((b) => { if (b.editor) edits[b.index] = b.editor.value; });
        const ranAt = performance.now();
        const results = JSON.parse(python.runner.run_json(block.index, JSON.stringify(edits)));
        const ms = performance.now() - ranAt;
        // Earlier blocks replayed on the way show their outputs too.
        for (const result of results) {
          const target = blocks.find((b) => b.index === result.index);
          if (target) show(target, result, target === block ? ms : undefined);
          else if (result.status !== "match") {
            show(block, { status: "error", transcript: "The page's hidden setup code failed:\n" +
              (result.diff || result.transcript) });
          }
        }
        timings.runs.push({ index: block.index, python_ms: ms,
          click_to_output_ms: performance.now() - started });
      } catch (error) {
        panel.replaceChildren(el("p", "runinbrowser-status",
          "Could not run the example: " + (error && error.message ? error.message : error)));
        panel.dataset.status = "failed";
        console.error(error);
      } finally {
        busy = false;
        blocks.forEach((b) => b.run && (b.run.disabled = false));
      }
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
