# bassin_cms — everything a fresh machine with Python 3.11+ and make needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CONFIG ?= development.ini
PORT ?= 6543

.PHONY: serve install test lint lock test-browser test-servers nginx chromium java wrk translations initdb demo migrate bench relevance clean

# The English interface: the catalogue compiled at install (not committed).
MO := bassin_cms/locale/en/LC_MESSAGES/bassin_cms.mo

serve: demo $(MO)
	$(BIN)/pserve $(CONFIG) http_port=$(PORT)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Installs come from the lock files (exact versions, sha256 of every file):
# two fresh clones a month apart install the same code. setup.cfg keeps the
# ranges the code supports; `make lock` resolves them again.
$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml requirements/app.txt
	$(BIN)/pip install --quiet --require-hashes -r requirements/app.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-testing: $(VENV)/.installed requirements/test.txt
	$(BIN)/pip install --quiet --require-hashes -r requirements/test.txt
	touch $@

# uv resolves for every platform (--universal) and records every file's hash.
UV_COMPILE = $(BIN)/uv pip compile setup.cfg --generate-hashes --universal --python-version 3.11 --upgrade -q
lock: $(BIN)/python
	$(BIN)/pip install --quiet uv==0.13.9
	$(UV_COMPILE) -o requirements/app.txt
	$(UV_COMPILE) --extra testing --extra browser -o requirements/test.txt

$(MO): bassin_cms/locale/en/LC_MESSAGES/bassin_cms.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d bassin_cms/locale -D bassin_cms

# The .po files are the source of the translations (edit them, or use Poedit
# or Weblate). After changing a message in the code or a template: extract the
# messages (lingva), merge them into each catalogue (pybabel update, with fuzzy
# matching: a changed French message keeps its old translation, marked fuzzy),
# then list what is untranslated or fuzzy (it fails until there is none).
translations: $(VENV)/.installed-testing
	$(BIN)/pot-create -c lingva.cfg -d bassin_cms -o bassin_cms/locale/bassin_cms.pot templates bassin_cms
	$(BIN)/pybabel update -i bassin_cms/locale/bassin_cms.pot -d bassin_cms/locale -D bassin_cms --previous -w 100
	$(BIN)/python scripts/po_report.py bassin_cms/locale/en/LC_MESSAGES/bassin_cms.po

install: $(VENV)/.installed $(MO)

var:
	mkdir -p var

initdb: install var
	$(BIN)/bassin-cms --config $(CONFIG) initdb

# Loads the demo content the first time only (a marker in the database says so).
demo: initdb
	$(BIN)/bassin-cms --config $(CONFIG) load-demo

# ruff: lint rules and format in pyproject.toml.
lint: $(VENV)/.installed-testing
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(VENV)/.installed-testing $(MO)
	$(BIN)/pytest --ignore=tests/browser --ignore=tests/deploy $(PYTEST_ARGS)

# Several machines on one: two application servers on the machine's PostgreSQL
# behind Debian's nginx running deploy/nginx.conf (tests/deploy).
nginx:
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q nginx && \
	  { $(SUDO) service nginx stop >/dev/null 2>&1 || true; }; }

test-servers: $(VENV)/.installed-testing nginx $(MO)
	$(BIN)/pytest tests/deploy $(PYTEST_ARGS)

# Browser journeys and accessibility checks: Debian's Chromium (apt-get, as
# root or through sudo), Playwright from PyPI, axe-core from the npm registry.
# (requirements/test.txt holds the browser extra too: Playwright.)
$(VENV)/.installed-browser: $(VENV)/.installed-testing
	touch $@

tests/browser/node_modules/.installed: tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund
	touch $@

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium; }

# The Nu HTML checker (vnu-jar, from npm) runs on Java.
java:
	@command -v java >/dev/null || { $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q default-jre-headless; }

test-browser: $(VENV)/.installed-browser tests/browser/node_modules/.installed chromium java $(MO)
	$(BIN)/pytest tests/browser $(PYTEST_ARGS)

# Benchmarks print figures; they assert nothing. BENCH_DOCS=100000 make bench for
# the large run; BENCH_BACKEND=postgresql for the PostgreSQL search backend (on
# the machine's server, BENCH_POSTGRES_URL).
BENCH_BACKEND ?= whoosh
BENCH_DOCS ?= 10000
bench: $(VENV)/.installed wrk
	BENCH_BACKEND=$(BENCH_BACKEND) BENCH_DOCS=$(BENCH_DOCS) $(BIN)/python bench/search_bench.py
	$(BIN)/python bench/zip_bench.py
	$(BIN)/python bench/page_bench.py

# The judged French query set on the demo content (tests/relevance/queries.tsv):
# each query's rank, then "MRR … hit@1 … hit@3 …". RELEVANCE_BACKEND=postgresql
# for the PostgreSQL backend. The demo site is kept in var/relevance-<backend>.
RELEVANCE_BACKEND ?= whoosh
relevance: $(VENV)/.installed-testing $(MO)
	RELEVANCE_BACKEND=$(RELEVANCE_BACKEND) $(BIN)/python tests/relevance/run.py

# The page benchmark's load generator (Debian's wrk).
wrk:
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q wrk; }

clean:
	rm -rf var .pytest_cache
