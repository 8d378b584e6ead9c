"""Fetch the Pyodide runtime once and vendor the files the book needs into vendor/pyodide/.

This is how vendor/pyodide/ was made; the book's build never runs it (the build is offline
and only checks the vendored files against vendor/pyodide/MANIFEST.json). Run it again only
to change the Pyodide version:

    .venv/bin/python tools/vendor_pyodide.py            # needs npm and the npm registry
    .venv/bin/python tools/vendor_pyodide.py --check    # offline: verify the vendored files

Why Pyodide 0.25.1: it is CPython 3.11.3, the Python line the book's outputs are produced
with (requires-python >= 3.11, CI and our machines run 3.11), so the browser prints what the
book prints; newer Pyodide releases are Python 3.12+ and word some messages differently
(e.g. a ZeroDivisionError). Its interpreter is also a classic script (pyodide.asm.js), which
a page opened from file:// can load with a plain <script> tag, where the ES-module build of
later releases cannot be imported from file://.

Only the five files needed to boot are kept (about 12.5 MB); the npm tarball's source
maps, TypeScript declarations and demo console are left out. The npm package ships no
license file and its package.json says Apache-2.0, while the Pyodide repository's LICENSE is
the Mozilla Public License 2.0, so LICENSE here records both and includes the MPL-2.0 text.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VERSION = "0.25.1"
FILES = [
    "pyodide.js",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
]
ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "vendor" / "pyodide"
MANIFEST = VENDOR / "MANIFEST.json"
MPL_TEXT = Path("/usr/share/common-licenses/MPL-2.0")

LICENSE_HEADER = """\
Pyodide {version} (https://github.com/pyodide/pyodide), vendored from the npm package
pyodide@{version} by tools/vendor_pyodide.py.

Pyodide is distributed under the Mozilla Public License 2.0 (the LICENSE file of its
repository, reproduced below). The npm package itself ships no license file; its
package.json declares "Apache-2.0". python_stdlib.zip and the interpreter compiled into
pyodide.asm.wasm are CPython 3.11.3, under the Python Software Foundation License
(https://docs.python.org/3.11/license.html). The files are unmodified.

"""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check() -> list[str]:
    """Problems with the vendored files (empty when they match the manifest)."""
    manifest = json.loads(MANIFEST.read_text())
    problems = []
    for name, digest in manifest["sha256"].items():
        path = VENDOR / name
        if not path.is_file():
            problems.append(f"{path} is missing")
        elif sha256(path) != digest:
            problems.append(f"{path} does not match its SHA-256 in {MANIFEST}")
    return problems


def vendor() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", f"pyodide@{VERSION}", "--json"],
            cwd=tmp,
            check=True,
            stdout=subprocess.PIPE,
        )
        tarball = Path(tmp) / f"pyodide-{VERSION}.tgz"
        # npm checked the tarball against the registry's integrity; record it for readers.
        integrity = (
            "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
        )
        VENDOR.mkdir(parents=True, exist_ok=True)
        with tarfile.open(tarball) as tar:
            for name in FILES:
                member = tar.extractfile(f"package/{name}")
                (VENDOR / name).write_bytes(member.read())
    (VENDOR / "LICENSE").write_text(LICENSE_HEADER.format(version=VERSION) + MPL_TEXT.read_text())
    manifest = {
        "package": "pyodide",
        "version": VERSION,
        "python": "3.11.3",
        "npm_tarball_integrity": integrity,
        "sha256": {name: sha256(VENDOR / name) for name in FILES + ["LICENSE"]},
    }
    MANIFEST.write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"vendored pyodide {VERSION} into {VENDOR}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only verify the vendored files")
    args = parser.parse_args(argv)
    if not args.check:
        vendor()
    problems = check()
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"vendor/pyodide matches {MANIFEST.name}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
