// Run and Edit buttons for the book's examples: runs them with Pyodide in this page, offline.
// docs/_ext/runinbrowser.py's build writes a JSON script tag #runinbrowser-data with the
// page's blocks; pyodide_runtime.js (docs/_ext/pyodide_runtime.py) loads the Python that runs
// them, with docs/_ext/runinbrowser_runner.py in it.
(function () {
  "use strict";

  // From pyodide_runtime.js, loaded before this file.
  const { loadPython, el, nextFrame } = window.runinbrowser;
  // What the first Run on a page costs, as measured (the README says where): loading Python
  // is nearly all of it. The panel then shows the time it really took.
  const FIRST_RUN_NOTE = "on the first Run of a page this takes 2 to 15 s, longer on a busy"
    + " computer";

  // Loaded once per page, on the first Run: {pyodide, runner (a Python PageRunner), version}.
  let python = null;
  let booting = null; // the promise of `python` while it loads
  let busy = false;
  const timings = { load_ms: null, runs: [] }; // read by tests/browser/test_browser.py
  window.runinbrowserTimings = timings;

  async function bootPython(pageData) {
    const { pyodide, version } = await loadPython();
    const started = performance.now();
    const module = pyodide.pyimport("runinbrowser_runner");
    const runner = module.PageRunner.from_json(JSON.stringify(pageData));
    timings.phases = window.runinbrowser.timings.phases;
    if (timings.phases) timings.phases.runner = Math.round(performance.now() - started);
    return { pyodide, runner, version };
  }

  const STATUS_TEXT = {
    match: "Output matches the book.",
    differ: "Output differs from the book:",
    expected: "Output differs from the book, as expected here:",
    edited: "Your edited code ran (its output is not compared with the book).",
    skipped: "",
    error: "Your code does not run:",
  };

  function statusText(result) {
    if (result.status === "skipped") return result.reason;
    if (result.status === "match" && !result.printed) {
      return "Ran without an error. It prints nothing, as in the book.";
    }
    if (result.status === "edited" && result.raised) {
      return "Your edited code stopped with an exception:";
    }
    if (result.status === "edited" && !result.printed) {
      return "Your edited code ran without an error. It printed nothing.";
    }
    return STATUS_TEXT[result.status];
  }

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

    // The time a Run took, as measured: the loading of Python too when this Run did it.
    function timeText(ms, loadMs) {
      const seconds = (t) => (t / 1000).toFixed(1) + " s";
      const run = ms < 1000 ? Math.round(ms) + " ms" : seconds(ms);
      const load = loadMs === undefined ? "" : "Python loaded in " + seconds(loadMs) + ", ran in ";
      return " (" + load + run + "; Python " + python.version + " in your browser)";
    }

    // replay: {count, problems} of the page's earlier examples that this Run ran first.
    function show(block, result, time, replay) {
      const panel = block.panel;
      panel.replaceChildren();
      panel.classList.remove("runinbrowser-hidden");
      panel.dataset.status = result.status;
      const status = el("p", "runinbrowser-status");
      status.textContent = statusText(result);
      if (time !== undefined) status.appendChild(el("span", "runinbrowser-time", time));
      if (result.status === "differ" && blocks.some((b) => b.editor && b.index < block.index)) {
        status.appendChild(el("span", "", " An example above it is edited, which can explain it."));
      }
      panel.appendChild(status);
      if (replay && replay.count) {
        const plural = replay.count === 1 ? " earlier example" : " earlier examples";
        let text = "Replayed " + replay.count + plural + " of this page first, in order, as the"
          + " book's own check runs them.";
        if (replay.problems) {
          text += " " + replay.problems + " of them did not give the book's output: see the"
            + " panel under " + (replay.problems === 1 ? "it." : "each.");
        }
        panel.appendChild(el("p", "runinbrowser-replayed", text));
      }
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
        let loadMs;
        if (!python) {
          panel.replaceChildren(el("p", "runinbrowser-status",
            "Loading Python… (" + FIRST_RUN_NOTE + ")"));
          await nextFrame();
          python = await startPython();
          loadMs = timings.load_ms = performance.now() - started;
        } else {
          panel.replaceChildren(el("p", "runinbrowser-status", "Running…"));
          await nextFrame();
        }
        const edits = {};
        blocks.forEach((b) => { if (b.editor) edits[b.index] = b.editor.value; });
        const ranAt = performance.now();
        const results = JSON.parse(python.runner.run_json(block.index, JSON.stringify(edits)));
        const ms = performance.now() - ranAt;
        // The clicked example shows its result; earlier ones replayed on the way show a
        // panel only when they did not give the book's output, and are counted once.
        const replay = { count: 0, problems: 0 };
        let own = null;
        let setupFailed = null;
        for (const result of results) {
          const target = blocks.find((b) => b.index === result.index);
          const fine = result.status === "match" || result.status === "skipped";
          if (target === block) own = result;
          else if (!target) setupFailed = fine ? setupFailed : result;
          else if (result.status !== "skipped") {
            replay.count += 1;
            // The reader's own edit of an earlier example shows what it printed, uncompared.
            if (result.status === "edited") show(target, result);
            else if (!fine) {
              replay.problems += 1;
              show(target, result);
            }
          }
        }
        if (setupFailed) {
          show(block, { status: "error", transcript: "The page's hidden setup code failed:\n" +
            (setupFailed.diff || setupFailed.transcript) });
        } else if (own) {
          show(block, own, timeText(ms, loadMs), replay);
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
