"""Run a module of the project at build time and show what it prints.

Usage in a MyST chapter::

    ```{run-module} autograd.train_toy
    :args: --steps 50 --plot {image}
    :image: loss.png
    :alt: Training loss falling over 50 steps
    ```

The directive runs ``python -m autograd.train_toy --steps 50 --plot <path>`` in a subprocess
(the Python running Sphinx, working directory = the repository root, the root on
PYTHONPATH), shows its standard output as a text block and, with ``:image:``, the figure the
run wrote to ``<path>``. A run that exits non-zero, times out, or does not write the promised
image stops the build with an error showing its stderr. The module's source file (and the
rest of its package) is recorded as a dependency, so editing it rebuilds the page.

Options:

``:args:``      command-line arguments, split like a shell would; ``{image}`` is replaced by
                the absolute path the figure must be written to.
``:image:``     file name of the figure the run writes (``loss.png``, ``curve.svg``).
``:alt:``       alternative text of that figure.
``:caption:``   caption under the figure.
``:width:``     width of the figure (``80%``, ``400px``).
``:timeout:``   seconds before the run counts as failed (default 600).
``:hide-output:`` show only the figure, not the printed output.

Where the figure goes: Sphinx's image collector checks image files right after a document
is parsed, so the file must exist by the time this directive returns; the directive runs the
module during parsing, which is the step sphinxcontrib-programoutput gets wrong for files its
commands write. The file is written under this build's doctree directory
(``_build/doctrees/_run-module/<docname>/``), not in docs/: builds that run at the same time
with different output directories (tox envs, a second checkout of the build) must not
overwrite each other's figures while one of them is reading.
"""

from __future__ import annotations

import importlib.util
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

from directive_errors import build_error
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import ExtensionMetadata, OptionSpec

# Inside the doctree directory: private to one build, removed by `make clean`.
GENERATED_DIR = "_run-module"


def repository_root(app: Sphinx) -> Path:
    """The directory holding conf.py, which is the repository root."""
    return Path(app.confdir).resolve()


def module_source_files(module: str) -> list[Path]:
    """The module's own source file, then the other files of its top-level package."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return []
    files = [Path(spec.origin)]
    top = importlib.util.find_spec(module.partition(".")[0])
    if top is not None and top.submodule_search_locations:
        for location in top.submodule_search_locations:
            files.extend(sorted(p for p in Path(location).rglob("*.py") if p not in files))
    return files


class RunModule(SphinxDirective):
    """``{run-module} <module>``: run ``python -m <module>`` and show its output."""

    required_arguments = 1
    optional_arguments = 0
    has_content = False
    option_spec: ClassVar[OptionSpec] = {
        "args": directives.unchanged,
        "image": directives.unchanged_required,
        "alt": directives.unchanged,
        "caption": directives.unchanged,
        "width": directives.length_or_percentage_or_unitless,
        "timeout": directives.positive_int,
        "hide-output": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        module = self.arguments[0]
        root = repository_root(self.env.app)
        where = f"run-module {module}"

        try:
            sources = module_source_files(module)
        except Exception as error:
            raise build_error(self, f"{where}: cannot import its package: {error!r}") from None
        if not sources:
            raise build_error(self, f"{where}: no such module (is its package importable?)")
        for source in sources:
            self.env.note_dependency(str(source))

        image_name = self.options.get("image")
        image_path: Path | None = None
        if image_name:
            if Path(image_name).name != image_name:
                raise build_error(
                    self, f"{where}: :image: must be a bare file name, not {image_name!r}"
                )
            image_dir = Path(self.env.doctreedir) / GENERATED_DIR / self.env.docname
            image_dir.mkdir(parents=True, exist_ok=True)
            image_path = image_dir / image_name
            image_path.unlink(missing_ok=True)

        args = shlex.split(self.options.get("args", ""))
        if image_path is not None:
            args = [arg.replace("{image}", str(image_path)) for arg in args]
        command = [sys.executable, "-m", module, *args]

        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
        # Figures are files, never windows.
        env["MPLBACKEND"] = "Agg"
        env.setdefault("PYTHONHASHSEED", "0")
        timeout = self.options.get("timeout", 600)
        try:
            result = subprocess.run(
                command,
                cwd=root,
                env=env,
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise build_error(
                self,
                f"{where}: still running after {timeout} s\n--- stderr ---\n{error.stderr or ''}",
            ) from None
        if result.returncode != 0:
            raise build_error(
                self,
                f"{where}: `{shlex.join(command[1:])}` exited with status {result.returncode}\n"
                f"--- stdout ---\n{result.stdout}--- stderr ---\n{result.stderr}",
            )

        out: list[nodes.Node] = []
        if "hide-output" not in self.options:
            text = result.stdout.rstrip("\n")
            if image_path is not None:
                # The reader has no use for this machine's build path.
                text = text.replace(str(image_path), image_name)
            block = nodes.literal_block(text, text, language="text")
            block["classes"].append("run-module-output")
            self.set_source_info(block)
            out.append(block)

        if image_path is not None:
            if not image_path.is_file():
                raise build_error(
                    self,
                    f"{where}: the run exited 0 but wrote no image at {image_path}; "
                    "pass {image} in :args: where the module expects the output path",
                )
            # Image paths are relative to the document's folder, even outside the source tree.
            doc_dir = (Path(self.env.srcdir) / self.env.docname).parent
            uri = Path(os.path.relpath(image_path, doc_dir)).as_posix()
            image = nodes.image(uri=uri, alt=self.options.get("alt", ""))
            # A hook for the stylesheet: plots are white PNGs that it dims in the dark theme.
            image["classes"].append("script-figure")
            if "width" in self.options:
                image["width"] = self.options["width"]
            self.set_source_info(image)
            if "caption" in self.options:
                figure = nodes.figure("", image, classes=["script-figure"])
                caption_nodes, _ = self.state.inline_text(self.options["caption"], self.lineno)
                figure += nodes.caption(self.options["caption"], "", *caption_nodes)
                self.set_source_info(figure)
                out.append(figure)
            else:
                out.append(image)
        return out


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_directive("run-module", RunModule)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
