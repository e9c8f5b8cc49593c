# The course's commands. Each target sets up .venv (Python 3.11) first if needed.
#   make lab      set up and open the course in JupyterLab
#   make test     set up and run every test: unit tests and strict nbval of all notebooks
#                 (2 workers, each notebook on one), then every notebook in JupyterLab in
#                 headless Chromium (skipped with a message if /usr/bin/chromium is missing)
#   make outputs  re-execute every notebook and store its outputs (after editing one)
#   make check-env    check Python, numpy, Theano, the C compiler, Jupyter; say how to fix
#   make navigation   rewrite the start/previous/next links of the notebooks
#   make site         render the executed notebooks to static HTML in _site/
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: setup lab test outputs check-env navigation site

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "This course needs Python 3.11 (theano-pymc 1.1.2 needs numpy<1.24, which has no wheels for newer Pythons); run: make PYTHON=/path/to/python3.11 ...")' \
		|| { echo "Python 3.11 not found as '$(PYTHON)': install it, or run make PYTHON=/path/to/python3.11 <target>"; exit 1; }
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); echo "Could not create $(VENV) with $(PYTHON): on Debian or Ubuntu install its venv module (apt-get install python3.11-venv), then run make again"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 $(ROOT_FLAG) notebooks/00-Start-Here.ipynb

# Tests compare stored outputs like for like: they ignore your THEANO_FLAGS and ~/.theanorc
# (the notebooks themselves honour them, see nbhelpers/theano_setup.py). They get a private
# temp folder, which tests/checkout_guard.py checks is left empty. Both steps always run;
# the target fails if either does.
test: $(STAMP)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	export TMPDIR="$$tmp" THEANO_FLAGS= THEANORC=/dev/null && \
	$(BIN)/python -m pytest -n 2 --dist loadscope; unit=$$?; \
	$(BIN)/python -m pytest -m browser tests/browser; browser=$$?; \
	echo "make test: unit tests and nbval exit $$unit, browser tests exit $$browser"; \
	[ $$unit -eq 0 ] && [ $$browser -eq 0 ]

outputs: $(STAMP)
	$(BIN)/python tools/execute_notebooks.py

check-env: $(STAMP)
	$(BIN)/python -m nbhelpers.envcheck

navigation: $(STAMP)
	$(BIN)/python tools/navigation.py

site: $(STAMP)
	$(BIN)/python tools/build_site.py --out _site

# Run every course notebook in JupyterLab in headless Chromium (tests/browser/).
# Needs Debian's Chromium at /usr/bin/chromium: apt-get install chromium.
.PHONY: test-browser
test-browser: $(STAMP)
	$(BIN)/python -m pytest -m browser tests/browser
