# wavebook: `make book` builds the latest wave of the demo data; `make test` runs every test.
# Both set up what is missing on a fresh Debian machine (virtual environment, Python packages,
# TeX, Chromium) and reinstall nothing the second time.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT    := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends

BOOK_DEBS := texlive-xetex latexmk fonts-freefont-otf texlive-fonts-recommended texlive-lang-cyrillic poppler-utils
TEST_DEBS := chromium

.PHONY: book preview test setup system-book system-test demo lint clean help

help:
	@echo "make book   build the book for the latest wave of the demo data (_build/wave-N/)"
	@echo "make preview  serve the latest wave on http://127.0.0.1:8000/, rebuilt on every save"
	@echo "             (WAVE=N, EDITION=ru, PORT=P to choose)"
	@echo "make test   run the whole test suite (builds the book too)"
	@echo "make lint   ruff"
	@echo "make clean  remove _build/"

# With nothing changed since the last build, each edition answers at once (no LaTeX run).
book: setup system-book demo
	$(BIN)/wavebook build
	$(BIN)/wavebook build --lang ru

PORT ?= 8000
preview: setup demo
	$(BIN)/wavebook preview --port $(PORT) $(if $(WAVE),--wave $(WAVE)) $(if $(EDITION),--lang $(EDITION))

test: setup system-book system-test demo
	$(BIN)/python -m pytest; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing on purpose"; exit 1; fi; \
	exit $$status

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { $(SUDO) apt-get update -q && $(APT) python3-venv; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $(STAMP)

# Debian packages, installed only when one of them is missing.
# npm (used once, to fetch MathJax) may come from outside Debian: only its command matters.
system-book:
	@missing=""; for p in $(BOOK_DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -q && $(APT) $$missing; fi

system-test:
	@missing=""; for p in $(TEST_DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -q && $(APT) $$missing; fi

demo: setup
	@test -f data/demo/wave-3.parquet || $(BIN)/wavebook demo

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

clean:
	rm -rf _build
