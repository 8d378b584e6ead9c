// The workbook in the browser: an editor holding the starter engine, and a Check button that
// runs autograd.workbook's checker on the reader's text with Pyodide, in this page, offline.
// The {workbook-editor} directive (docs/_ext/workbook_editor.py) writes a placeholder with the
// starter as JSON; pyodide_runtime.js (loaded before this file) provides loadPython() and the
// helpers shared with the Run buttons.
(function () {
  "use strict";

  const { el, nextFrame } = window.runinbrowser;

  const STORAGE_KEY = "autograd-workbook:engine.py";
  const INDENT = 4;
  const STEP_COUNT = 6;
  const timings = { load_ms: null, checks: [] }; // read by tests/browser/test_browser.py
  window.workbookTimings = timings;

  function button(text, className, title) {
    const node = el("button", className, text);
    node.type = "button";
    if (title) node.title = title;
    return node;
  }

  // localStorage can be missing or refuse (private windows, some file:// settings): the
  // editor then works as usual and only forgets on reload.
  const storage = {
    load() {
      try { return window.localStorage.getItem(STORAGE_KEY); } catch (error) { return null; }
    },
    save(text, starter) {
      try {
        if (text === starter) window.localStorage.removeItem(STORAGE_KEY);
        else window.localStorage.setItem(STORAGE_KEY, text);
        return true;
      } catch (error) {
        return false;
      }
    },
  };

  // Tab indents with spaces, as Python wants; Shift+Tab removes one level from the line.
  // Escape first, then Tab, moves the focus on instead, so the keyboard can leave the editor.
  function handleTab(editor, event) {
    const start = editor.selectionStart;
    const lineStart = editor.value.lastIndexOf("\n", start - 1) + 1;
    if (event.shiftKey) {
      const spaces = editor.value.slice(lineStart).match(/^ */)[0].length;
      const remove = Math.min(spaces, INDENT);
      if (!remove) return;
      editor.setSelectionRange(lineStart, lineStart + remove);
      insert(editor, "");
      const at = Math.max(lineStart, start - remove);
      editor.setSelectionRange(at, at);
    } else {
      const column = start - lineStart;
      insert(editor, " ".repeat(INDENT - (column % INDENT)));
    }
  }

  function insert(editor, text) {
    // execCommand keeps the browser's undo history (Ctrl+Z); setRangeText where it is gone.
    editor.focus();
    if (!document.execCommand || !document.execCommand("insertText", false, text)) {
      editor.setRangeText(text, editor.selectionStart, editor.selectionEnd, "end");
      editor.dispatchEvent(new Event("input"));
    }
  }

  function build(root, number) {
    const starter = JSON.parse(root.querySelector("script.workbook-starter").textContent);
    const id = "workbook-" + number;
    root.replaceChildren();

    const editor = el("textarea", "workbook-text");
    editor.id = id + "-text";
    editor.spellcheck = false;
    editor.autocapitalize = "off";
    editor.setAttribute("autocomplete", "off");
    editor.wrap = "soft"; // long lines wrap on screen; the text itself keeps no added breaks
    editor.rows = 30;
    editor.setAttribute("aria-label",
      "Your engine.py. Tab indents; press Escape and then Tab to leave; Ctrl+Enter checks.");
    const saved = storage.load();
    editor.value = saved === null ? starter : saved;

    const bar = el("div", "workbook-bar");
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Check your engine");
    const check = button("Check", "workbook-check",
      "Run the workbook's checker on your text, in Python in this browser (Ctrl+Enter)");
    const steps = el("select", "workbook-steps");
    steps.id = id + "-steps";
    for (let n = 1; n <= STEP_COUNT; n++) {
      const option = el("option", "", n === STEP_COUNT ? "all steps (1 to 6)"
        : n === 1 ? "step 1" : "steps 1 to " + n);
      option.value = String(n);
      steps.appendChild(option);
    }
    steps.value = String(STEP_COUNT);
    const stepsLabel = el("label", "", "Grade ");
    stepsLabel.htmlFor = steps.id;
    const reset = button("Reset to the starter", "workbook-reset",
      "Replace your text with the starter engine (this cannot be undone)");
    const download = button("Download engine.py", "workbook-download",
      "Save your text as engine.py, for the commands below");
    const saveNote = el("span", "workbook-saved");
    saveNote.setAttribute("aria-live", "polite");
    bar.append(check, stepsLabel, steps, reset, download, saveNote);

    const panel = el("div", "workbook-result runinbrowser-hidden");
    panel.id = id + "-result";
    panel.setAttribute("aria-live", "polite");
    const status = el("p", "workbook-status");
    const report = el("pre", "workbook-report");
    panel.append(status, report);

    root.append(editor, bar, panel);
    if (saved !== null && saved !== starter) {
      saveNote.textContent = "Your text from your last visit, saved in this browser.";
    }

    function remember() {
      saveNote.textContent = storage.save(editor.value, starter)
        ? (editor.value === starter ? "" : "Saved in this browser.")
        : "This browser does not let the page save your text: download it to keep it.";
    }

    let escaped = false;
    editor.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        runCheck();
      } else if (event.key === "Tab" && !escaped && !event.ctrlKey && !event.altKey
                 && !event.metaKey) {
        event.preventDefault();
        handleTab(editor, event);
      }
      escaped = event.key === "Escape";
    });
    editor.addEventListener("input", remember);

    reset.addEventListener("click", () => {
      if (editor.value !== starter &&
          !window.confirm("Replace your engine with the starter? Your text will be lost.")) {
        return;
      }
      editor.value = starter;
      remember();
      panel.classList.add("runinbrowser-hidden");
      editor.focus();
    });

    download.addEventListener("click", () => {
      const blob = new Blob([editor.value], { type: "text/x-python" });
      const link = el("a");
      link.href = URL.createObjectURL(blob);
      link.download = "engine.py";
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    });

    // Start loading Python when the reader is about to check, not on every page view.
    for (const type of ["pointerenter", "focus"]) {
      check.addEventListener(type, () => {
        if (window.runinbrowser) window.runinbrowser.loadPython().catch(() => {});
      }, { once: true });
    }
    check.addEventListener("click", runCheck);

    let runner = null; // the Python module runinbrowser_runner, once loaded
    let busy = false;

    async function runCheck() {
      if (busy) return;
      busy = true;
      check.disabled = true;
      const started = performance.now();
      panel.classList.remove("runinbrowser-hidden");
      panel.dataset.status = "running";
      report.textContent = "";
      status.textContent = runner ? "Checking…"
        : "Loading Python… (the first check on a page takes a few seconds)";
      try {
        await nextFrame();
        if (!runner) {
          if (!window.runinbrowser) throw new Error("pyodide_runtime.js did not load");
          const { pyodide, version } = await window.runinbrowser.loadPython();
          runner = { module: pyodide.pyimport("runinbrowser_runner"), version };
          timings.load_ms = performance.now() - started;
          status.textContent = "Checking…";
          await nextFrame();
        }
        const checkedAt = performance.now();
        const result = JSON.parse(runner.module.check_workbook(editor.value, Number(steps.value)));
        const ms = performance.now() - checkedAt;
        timings.checks.push({ steps: Number(steps.value), python_ms: ms,
          click_to_report_ms: performance.now() - started });
        panel.dataset.status = result.passed ? "pass" : "fail";
        status.textContent = result.passed ? "Every step checked passes."
          : "Not every step checked passes yet: the report says what to do next.";
        status.appendChild(el("span", "runinbrowser-time",
          " (" + Math.round(ms) + " ms, Python " + runner.version + " in your browser)"));
        report.textContent = result.report;
      } catch (error) {
        panel.dataset.status = "failed";
        status.textContent = "Could not check: " + (error && error.message ? error.message : error);
        console.error(error);
      } finally {
        busy = false;
        check.disabled = false;
      }
    }
  }

  function setup() {
    document.querySelectorAll(".workbook-editor").forEach(build);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
