# Everything runs from a local virtual environment, .venv, that the first command creates.
# A fresh machine needs only Python >= 3.11 and make:
#
#   make html     build the book into _build/html (strict: any warning fails)
#   make check    every check: ruff, pytest, the strict book build, the book's doctests
#
# Other Sphinx builders work through the catch-all at the bottom (`make linkcheck`, ...).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Re-install only when what it installs from changed.
STAMP := $(VENV)/.installed
# More pip arguments for that install; CI adds a stricter constraint (see .ci/run).
PIP_INSTALL_ARGS ?=

# conf.py sits at the repository root, the chapters in docs/: every builder needs `-c .`.
SPHINXOPTS ?= -W -n --keep-going
SPHINXBUILD ?= $(BIN)/sphinx-build
SOURCEDIR = docs
BUILDDIR = _build
CONFDIR = .

help: $(STAMP)
	@echo "Project targets: html, doctest, test, lint, browser, check, clean, venv"
	@echo "Sphinx targets (make <target>):"
	@$(SPHINXBUILD) -M help "$(SOURCEDIR)" "$(BUILDDIR)" -c "$(CONFDIR)" $(SPHINXOPTS) $(O)

venv: $(STAMP)

# Asked only when the venv has to be made. Empty when $(PYTHON) is missing or does not run
# (a pyenv shim for a version that is not selected prints its own advice: hidden here).
PYTHON_VERSION = $(shell $(PYTHON) -c 'import platform; print(platform.python_version())' 2>/dev/null)
PYTHON_IS_RECENT = $(shell $(PYTHON) -c 'import sys; print(sys.version_info >= (3, 11))' 2>/dev/null)

# $(error) stops make with one line, before anything is created.
$(BIN)/python:
	$(if $(PYTHON_VERSION),,$(error cannot run '$(PYTHON)' (not found, or not a working Python); this project needs Python >= 3.11: run 'make PYTHON=/path/to/python3.11 ...'))
	$(if $(filter True,$(PYTHON_IS_RECENT)),,$(error '$(PYTHON)' is Python $(PYTHON_VERSION); this project needs Python >= 3.11: run 'make PYTHON=/path/to/python3.11 ...'))
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -c constraints.txt $(PIP_INSTALL_ARGS) -e '.[torch,test,docs,lint,bench,browser,tensor]'
	@touch $@

# Explicit empty rules: the stamp's inputs are plain files, not Sphinx targets.
pyproject.toml constraints.txt: ;

# pytest's own exit status, so "no tests collected" (5) fails too.
test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

# The book's examples run in headless Chromium and must print the book's output (tests/browser/,
# a few minutes). It needs a system Chromium (Debian: apt-get install chromium); `make check`
# runs it when there is one, and always under CI=true, where a missing Chromium fails it.
CHROMIUM := $(shell command -v chromium 2>/dev/null || command -v chromium-browser 2>/dev/null)
BROWSER_CHECK := $(if $(or $(CHROMIUM),$(filter true,$(CI))),browser)
browser: $(STAMP) html
	$(BIN)/python -m pytest tests/browser

# Runs every check even after one fails, so one run shows every problem, then fails if any
# did. html before doctest: the doctest builder reuses the doctrees that html wrote.
CHECKS = lint test html doctest $(BROWSER_CHECK)
check: $(STAMP)
	@[ -n "$(BROWSER_CHECK)" ] || echo "==> make browser skipped: no chromium on PATH (apt-get install chromium); CI always runs it"
	@failed=""; \
	for target in $(CHECKS); do \
		echo "==> make $$target"; \
		$(MAKE) --no-print-directory $$target || failed="$$failed $$target"; \
	done; \
	if [ -n "$$failed" ]; then echo "==> make check FAILED:$$failed" >&2; exit 1; fi; \
	echo "==> make check passed: $(CHECKS)"

clean:
	rm -rf "$(BUILDDIR)"

.PHONY: help venv test lint check clean browser Makefile

# Catch-all: route any other target to Sphinx's "make mode" (html, doctest, linkcheck, ...).
%: Makefile $(STAMP)
	@$(SPHINXBUILD) -M $@ "$(SOURCEDIR)" "$(BUILDDIR)" -c "$(CONFDIR)" $(SPHINXOPTS) $(O)
