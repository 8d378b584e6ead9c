# Everything runs from a local virtual environment, .venv, that the first target needing it
# creates. A fresh machine needs only Python >= 3.11 and make. A plain `make` installs
# nothing: it lists the targets and what each needs.

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

.DEFAULT_GOAL := help

# Prints only: it must not need the environment, since it is what a fresh clone runs first.
help:
	@echo "Usage: make <target>. A target marked [.venv] first creates $(VENV) with $(PYTHON)"
	@echo "(Python >= 3.11) and installs the project with pip (about 1.7 GB with PyTorch);"
	@echo "later runs reuse it and re-install only when pyproject.toml or constraints.txt change."
	@echo ""
	@echo "  html     [.venv] the book in $(BUILDDIR)/html, strict: any warning fails"
	@echo "  doctest  [.venv] run every example of the book and compare its output"
	@echo "  test     [.venv] pytest: the package's tests and docstring examples"
	@echo "  lint     [.venv] ruff check, ruff format --check, mypy of autograd/"
	@echo "  browser  [.venv] the book's examples in headless Chromium (after html); needs a"
	@echo "                   system Chromium (Debian: apt-get install chromium)"
	@echo "  check    [.venv] lint, test, html, doctest, and browser when Chromium is found"
	@echo "                   (always under CI=true); runs them all, then fails if any failed"
	@echo "  venv     [.venv] only create and install the environment"
	@echo "  clean    remove $(BUILDDIR)"
	@echo "  help     this list (what a plain 'make' prints)"
	@echo ""
	@echo "Any other Sphinx builder works too [.venv]: make linkcheck, make latex, ..."

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

# mypy reads its files and settings from pyproject.toml ([tool.mypy]).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

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
