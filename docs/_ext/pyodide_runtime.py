"""The in-page Python: the vendored Pyodide runtime, checked and shipped with the HTML book.

One job: give every page of the HTML book a Python (Pyodide, CPython compiled to
WebAssembly) that can import this build's packages, offline. The extensions that use it
(``runinbrowser`` for the Run and Edit buttons, ``workbook_editor`` for the workbook) load
it on a click through ``window.runinbrowser.loadPython()`` in ``pyodide_runtime.js``.

What the build does:

- ``builder-inited``: checks every vendored Pyodide file against the SHA-256 recorded in
  ``vendor/pyodide/MANIFEST.json`` and stops the build on a mismatch.
- ``build-finished``: writes into ``_static/runinbrowser/`` the runtime (``pyodide.js`` and
  ``pyodide.asm.js`` as they are; the wasm binary, the standard library zip and the lock
  file base64-encoded in ``runtime.js``) and ``sources.js``, the source files of this very
  build's packages (``runinbrowser_packages``) plus the modules that the extensions using
  the runtime ask for (the ``pyodide-runtime-modules`` event), as ``{path: text}``.

Why embedded: a page opened from ``file://`` may load classic ``<script>`` files but may not
``fetch`` files beside it (Chromium blocks it), and Pyodide fetches its wasm, standard
library and lock file. ``pyodide_runtime.js`` loads ``runtime.js`` with a script tag and
answers those three fetches from it, over ``file://`` and ``http://`` alike, so there is one
copy.

The JavaScript helpers and the CSS that both users share (``pyodide_runtime.js``,
``runinbrowser.css``) are added to every page here, once.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.typing import ExtensionMetadata

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "runinbrowser_static"
OUT_DIR = "runinbrowser"  # under the HTML output's _static/
# Loaded by pyodide_runtime.js with <script> tags; the rest is embedded in runtime.js.
SCRIPTS = ["pyodide.js", "pyodide.asm.js"]
EMBEDDED = {
    "pyodide.asm.wasm": "application/wasm",
    "python_stdlib.zip": "application/zip",
    "pyodide-lock.json": "application/json",
}
# Emitted at build-finished; each listener returns the Python files it needs in the page.
MODULES_EVENT = "pyodide-runtime-modules"


def is_html(app: Sphinx) -> bool:
    # singlehtml merges pages, which would merge their namespaces: no Python there.
    return app.builder.format == "html" and app.builder.name != "singlehtml"


def pyodide_files(app: Sphinx) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The manifest and the vendored files, each checked against its SHA-256."""
    vendor = Path(app.confdir).resolve() / app.config.runinbrowser_pyodide
    manifest_path = vendor / "MANIFEST.json"
    if not manifest_path.is_file():
        raise ExtensionError(f"pyodide_runtime: {manifest_path} is missing")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    files, problems = {}, []
    for name, digest in manifest["sha256"].items():
        path = vendor / name
        data = path.read_bytes() if path.is_file() else None
        if data is None:
            problems.append(f"{path} is missing")
        elif hashlib.sha256(data).hexdigest() != digest:
            problems.append(f"{path} does not match the SHA-256 in {manifest_path.name}")
        else:
            files[name] = data
    missing = [name for name in SCRIPTS + list(EMBEDDED) if name not in manifest["sha256"]]
    problems += [f"{manifest_path} does not list {name}" for name in missing]
    if problems:
        raise ExtensionError(
            "pyodide_runtime: the vendored Pyodide runtime failed its integrity check:\n  "
            + "\n  ".join(problems)
            + "\n(tools/vendor_pyodide.py re-vendors it; --check only verifies)"
        )
    return manifest, files


def add_static_path(app: Sphinx, config: Any) -> None:
    # The book's conf.py lists this folder itself: a path appended here changes the
    # configuration Sphinx saves, and every incremental build would then report it changed.
    listed = {str((Path(app.confdir) / path).resolve()) for path in config.html_static_path}
    if str(STATIC_DIR) not in listed:
        config.html_static_path.append(str(STATIC_DIR))


def check_runtime(app: Sphinx) -> None:
    if is_html(app):
        pyodide_files(app)


def package_sources(app: Sphinx) -> dict[str, str]:
    """{path in site-packages: text} for this build's packages and the requested modules."""
    root = Path(app.confdir).resolve()
    sources = {}
    for modules in app.emit(MODULES_EVENT):
        for module in modules:
            sources[module.name] = module.read_text(encoding="utf-8")
    for package in app.config.runinbrowser_packages:
        for path in sorted((root / package).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                try:
                    sources[path.relative_to(root).as_posix()] = path.read_text(encoding="utf-8")
                except UnicodeDecodeError as error:
                    raise ExtensionError(f"pyodide_runtime: {path} is not UTF-8 text") from error
    return sources


def write_runtime(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not is_html(app):
        return
    manifest, files = pyodide_files(app)
    out = Path(app.outdir) / "_static" / OUT_DIR
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in SCRIPTS:
        (out / name).write_bytes(files[name])
    runtime = {
        "version": manifest["version"],
        "types": EMBEDDED,
        "files": {name: base64.b64encode(files[name]).decode("ascii") for name in EMBEDDED},
    }
    (out / "runtime.js").write_text(
        f"window.RUNINBROWSER_RUNTIME = {json.dumps(runtime)};\n", encoding="ascii"
    )
    (out / "sources.js").write_text(
        f"window.RUNINBROWSER_SOURCES = {json.dumps(package_sources(app))};\n", encoding="ascii"
    )
    (out / "LICENSE-pyodide.txt").write_bytes(files["LICENSE"])


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_config_value("runinbrowser_packages", ["autograd"], "html", types=frozenset({list}))
    app.add_config_value("runinbrowser_pyodide", "vendor/pyodide", "html", types=frozenset({str}))
    app.add_event(MODULES_EVENT)
    app.connect("config-inited", add_static_path)
    app.connect("builder-inited", check_runtime)
    app.connect("build-finished", write_runtime)
    # Before the scripts that use it (runinbrowser.js, workbook.js: the default 500 and up).
    app.add_js_file("pyodide_runtime.js", priority=400)
    app.add_css_file("runinbrowser.css")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
