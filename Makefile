# Declara — run `make help` for the targets.
# On a fresh Debian machine with Python 3.11: `make run` starts the app, `make test` runs the suite.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q
PO     := locale/es/LC_MESSAGES/declara.po
MO     := locale/es/LC_MESSAGES/declara.mo
POT    := locale/declara.pot
SYSTEM_TOOLS := pdftotext:poppler-utils age:age desktop-file-validate:desktop-file-utils appstreamcli:appstream \
	tesseract:tesseract-ocr xvfb-run:xvfb weston:weston
# tesseract's language data (Spanish and English) comes in packages of its own
TESSERACT_LANGS := spa:tesseract-ocr-spa eng:tesseract-ocr-eng

.DEFAULT_GOAL := help
.PHONY: help run test lint strings sysdeps screenshots bench bench-documents-big clean build build-check bundle-test icons

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Qt for Python is pinned to 6.11.3 (see pyproject.toml), where QtPdf comes in PySide6-Addons. A .venv
# made with 6.12 holds PySide6-Pdf, which shares files in site-packages/PySide6/ with PySide6-Essentials:
# pip would keep it beside the 6.11 wheels (a later uninstall of it would delete their files), so it is
# removed first, with the Essentials and shiboken6 it came with; the install below puts 6.11.3 back.
DROP_STALE_QT = if $(PY) -m pip show -q PySide6-Pdf >/dev/null 2>&1; then \
	  echo "Removing Qt for Python 6.12 (PySide6-Pdf) before installing the pinned version"; \
	  $(PIP) uninstall -y PySide6-Pdf PySide6-Essentials shiboken6; \
	fi

$(VENV)/.run-deps: pyproject.toml | $(VENV)/bin/python
	@$(DROP_STALE_QT)
	$(PIP) install -e .
	@touch $@

$(VENV)/.test-deps: pyproject.toml | $(VENV)/bin/python
	@$(DROP_STALE_QT)
	$(PIP) install -e '.[test]'
	@touch $@ $(VENV)/.run-deps

$(MO): $(PO) $(VENV)/.run-deps
	$(VENV)/bin/pybabel compile -d locale -D declara -l es

run: $(VENV)/.run-deps $(MO) ## start Declara (creates .venv and installs on first use)
	@$(PY) -m ui.system_libs --install  # the libraries Qt's xcb plugin needs (ldd): installed as root, else named
	$(VENV)/bin/declara $(ARGS)

sysdeps: ## install the Debian tools the tests use (poppler-utils, age, tesseract, xvfb, weston) when missing
	@missing=""; for pair in $(SYSTEM_TOOLS); do \
	  tool=$${pair%%:*}; pkg=$${pair##*:}; \
	  command -v $$tool >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	langs=$$(tesseract --list-langs 2>/dev/null); \
	for pair in $(TESSERACT_LANGS); do \
	  lang=$${pair%%:*}; pkg=$${pair##*:}; \
	  printf '%s\n' "$$langs" | grep -qx "$$lang" || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) || exit 1; \
	  else \
	    echo "Missing Debian packages:$$missing. Install them with: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

test: sysdeps $(VENV)/.test-deps $(MO) ## build the bundle and self-test it, then run the whole test suite
	@$(PY) -m ui.system_libs --install  # before the build: the bundle carries what Qt's xcb plugin needs
	$(MAKE) --no-print-directory bundle-test
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

build: $(VENV)/.test-deps $(MO) ## build the one-folder app bundle dist/declara/ (PyInstaller)
	rm -rf build/declara dist/declara
	$(VENV)/bin/pyinstaller --noconfirm --clean --log-level ERROR \
	  --distpath dist --workpath build packaging/declara.spec
	@du -sh dist/declara

bundle-test: build ## build the bundle, run its --self-test, check its xcb libraries, start it on X11 (Xvfb) and Wayland (Weston)
	cd / && env -u DISPLAY -u WAYLAND_DISPLAY $(CURDIR)/dist/declara/declara --self-test
	$(PY) -m ui.system_libs --check-bundle dist/declara
	@command -v xvfb-run >/dev/null || { echo "xvfb-run is missing: sudo apt-get install xvfb"; exit 1; }
	cd / && env -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM DECLARA_SELFTEST_SCREENSHOT=$(CURDIR)/build/real-display.png \
	  xvfb-run -a -s "-screen 0 1366x768x24" $(CURDIR)/dist/declara/declara --self-test --real-display
	@command -v weston >/dev/null || { echo "weston is missing: sudo apt-get install weston"; exit 1; }
	cd / && DECLARA_SELFTEST_SCREENSHOT=$(CURDIR)/build/wayland-display.png \
	  $(CURDIR)/$(PY) $(CURDIR)/packaging/wayland_run.py $(CURDIR)/dist/declara/declara --self-test --real-display

build-check: bundle-test ## same as bundle-test

icons: $(VENV)/.run-deps ## render resources/icons/declara.svg to the PNG sizes
	QT_QPA_PLATFORM=offscreen $(PY) packaging/make_icons.py

screenshots: $(VENV)/.run-deps $(MO) ## the main screens (demo data) from a real display (Xvfb, xcb) into packaging/screenshots/
	@$(PY) -m ui.system_libs --install  # the libraries Qt's xcb plugin needs
	@command -v xvfb-run >/dev/null || { echo "xvfb-run is missing: sudo apt-get install xvfb"; exit 1; }
	env -u WAYLAND_DISPLAY QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1366x768x24" $(PY) -m ui.screenshots

bench: $(VENV)/.run-deps $(MO) ## benchmark suite vs baselines (BENCH_ARGS="--scale 0.1" for a quick run)
	@$(PY) -m ui.system_libs --install  # the start-up figure runs the xcb platform under Xvfb
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.suite $(BENCH_ARGS)
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.documents --only import,first_page,memory,ocr
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.packet

bench-documents-big: $(VENV)/.run-deps ## 10,000 clients with and without 5 GB of documents (about 20 minutes)
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.documents --only big

lint: $(VENV)/.test-deps ## ruff over the code
	$(VENV)/bin/ruff check desktop ui tests packaging

strings: $(VENV)/.run-deps ## extract messages into the POT and update the Spanish catalog
	$(VENV)/bin/pybabel extract -F babel.cfg -k N_ -k ngettext:1,2 -k pgettext:1c,2 \
	  --add-comments=Translators: --no-location --sort-output \
	  --project=Declara --copyright-holder="Declara developers" -o $(POT) desktop ui
	$(VENV)/bin/pybabel update -i $(POT) -d locale -D declara -l es --no-fuzzy-matching --ignore-obsolete
	$(VENV)/bin/pybabel compile -d locale -D declara -l es

clean: ## remove the virtualenv and caches
	rm -rf $(VENV) .pytest_cache .ruff_cache build dist *.egg-info $(MO)
