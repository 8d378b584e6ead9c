"""The one way our build-time directives stop the build: reason first, then the error."""

from __future__ import annotations

from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)


def build_error(directive: SphinxDirective, message: str) -> ExtensionError:
    """Log ``message`` where it is easy to read, and return the error that stops the build.

    Sphinx prints a raised error after a long report of versions and extensions; the log
    line puts the reason (a traceback, the script's stderr) at the top of the output.
    """
    logger.error(message, location=(directive.env.docname, directive.lineno))
    return ExtensionError(f"{directive.get_location()}: {directive.name} failed (reason above)")
