# Passerelle: `make run` serves the demo, `make test` runs every check. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := app
# Where the PostgreSQL run of the test suite creates (and drops) its own scratch databases.
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
# The Redis the rate-limit tests use (database 15, keys under a random prefix that expire).
export TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
# Fonts that certificates need: Latin, Cyrillic, Arabic, Devanagari and more, and Chinese.
FONT_PACKAGES := fonts-noto-core fonts-noto-cjk
BROWSER_PACKAGES := chromium

.PHONY: run test install install-test system-packages browser translations compile-translations \
        lint format db-upgrade seed-demo clean

run: install system-packages compile-translations instance/passerelle.cfg
	$(BIN)/flask db upgrade
	$(BIN)/flask lms import-courses
	$(BIN)/flask lms seed-demo
	@echo "Passerelle is at http://127.0.0.1:5000 (Ctrl+C stops it)"
	$(BIN)/flask run --host 127.0.0.1 --port 5000

test: install-test system-packages compile-translations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@echo "== Test suite on SQLite =="
	$(BIN)/pytest
	@echo "== Test suite on PostgreSQL ($(TEST_DATABASE_URL)) =="
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

install-test: $(VENV)/.installed-test node_modules/.installed browser

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# System packages come from apt when we are root on Debian; otherwise we say what to install.
define apt_install
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
	  echo "Please install these packages (for example: sudo apt-get install $$missing)"; \
	  $(2) \
	fi
endef

system-packages:
	$(call apt_install,$(FONT_PACKAGES),true;)

browser:
	$(call apt_install,$(BROWSER_PACKAGES),exit 1;)

instance/passerelle.cfg:
	mkdir -p instance
	@$(BIN)/python -c "import secrets; print('# Written by make run for this machine only.'); \
	print('SECRET_KEY = %r' % secrets.token_hex(32)); \
	print('# The demo is served over plain HTTP on 127.0.0.1.'); \
	print('SESSION_COOKIE_SECURE = False'); print('REMEMBER_COOKIE_SECURE = False')" > $@

# Extract every marked string, update each catalog, compile: run after changing any text.
translations:
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l -c TRANSLATORS: \
	  --no-location --sort-output --project Passerelle -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching \
	  --ignore-obsolete
	$(MAKE) compile-translations

compile-translations: install
	$(BIN)/pybabel compile -d translations

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules instance .pytest_cache
	find translations -name '*.mo' -delete
