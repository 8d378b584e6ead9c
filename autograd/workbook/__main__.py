"""``python -m autograd.workbook``: see ``cli.py``."""

import sys

from autograd.workbook.cli import main

if __name__ == "__main__":
    sys.exit(main())
