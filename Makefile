# Boundaries: `make run` and `make test` each do all of their own set-up.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Local development defaults; a real deployment sets these in its environment.
export DEBUG ?= true
export SECRET_KEY ?= insecure-local-development-key

.PHONY: run test test-browser serve bench install clean lighthouse

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Boundaries is at http://127.0.0.1:8000/ (Ctrl-C stops it)."
	$(PY) manage.py runserver 127.0.0.1:8000

# SQLite unless DATABASE_URL points elsewhere (CI points it at PostgreSQL too).
test: $(STAMP)
	STATIC_MANIFEST=false $(PY) -m pytest $(PYTEST_ARGS)

test-browser: $(STAMP)
	STATIC_MANIFEST=false $(PY) -m pytest -m browser $(PYTEST_ARGS)

# Production-style serving: collected static files and gunicorn. Needs SECRET_KEY and ALLOWED_HOSTS.
serve: $(STAMP)
	DEBUG=false $(PY) manage.py collectstatic --noinput
	DEBUG=false $(VENV)/bin/gunicorn boundaries.wsgi --bind 127.0.0.1:8000

# Lighthouse (pinned in lighthouse/package-lock.json) in Debian's Chromium, on the main pages as each
# role, phone and desktop, against gunicorn in production settings: docs/lighthouse.md.
LIGHTHOUSE_STAMP := lighthouse/node_modules/.installed
$(LIGHTHOUSE_STAMP): lighthouse/package.json lighthouse/package-lock.json
	cd lighthouse && npm ci --no-audit --no-fund --loglevel=error
	touch $(LIGHTHOUSE_STAMP)

lighthouse: $(STAMP) $(LIGHTHOUSE_STAMP)
	CHROME_PATH=$$(command -v chromium) $(PY) lighthouse/run.py $(LIGHTHOUSE_ARGS)
# Performance at scale on PostgreSQL (docs/performance.md): `make bench`, or `make bench ARGS=--quick`.
# Makes (or reuses) its own database, serves the app and a ceiling with gunicorn, measures with wrk,
# and writes bench/results.json and bench/results.md. Needs wrk (Debian package) and PostgreSQL.
bench: $(STAMP)
	$(PY) -m bench.run $(ARGS)

clean:
	rm -rf $(VENV) artefacts staticfiles lighthouse/node_modules
