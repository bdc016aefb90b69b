# One target, one job. Every target bootstraps what it needs, so any of them can be
# the first command on a fresh Debian machine.

PYTHON_BOOT ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
PODMAN_VERSION ?=
OUT ?= generated
# Where `make spec` writes rebuilt spec files (and where they are looked for first);
# unset: .cache/spec in the checkout. ../shared/spec is always looked in after it.
SPEC_MIRROR ?=
export SPEC_MIRROR
# Where podman-vX.Y.Z.tar.xz (the tag's Go source) is looked for first;
# ../shared/podman-src is always looked in after it.
PODMAN_SRC_MIRROR ?=
export PODMAN_SRC_MIRROR
# `make spec`: the tag's source (a directory or a .tar.xz; default
# ../shared/podman-src/podman-$(PODMAN_VERSION).tar.xz) and how many builds to compare.
PODMAN_SRC ?=
RUNS ?= 1

.PHONY: spec generate check-generated check-releases spec-diff lint typecheck test bench demo check system-deps

# The venv is rebuilt whenever the pinned dependencies change.
$(VENV)/.installed: pyproject.toml
	@scripts/ensure_system_deps.sh python
	$(PYTHON_BOOT) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,cli]'
	touch $@

scripts/converter/node_modules/.installed: scripts/converter/package.json scripts/converter/package-lock.json
	@scripts/ensure_system_deps.sh node
	cd scripts/converter && npm ci --no-audit --no-fund --silent
	touch $@

system-deps:
	@scripts/ensure_system_deps.sh python node podman podman6

generate: $(VENV)/.installed scripts/converter/node_modules/.installed
	$(PY) scripts/generate.py --out $(OUT) $(if $(PODMAN_VERSION),--version $(PODMAN_VERSION))

check-generated: $(VENV)/.installed scripts/converter/node_modules/.installed
	$(PY) scripts/check_generated.py

spec: $(VENV)/.installed
	@test -n "$(PODMAN_VERSION)" || { echo "usage: make spec PODMAN_VERSION=vX.Y.Z [PODMAN_SRC=dir-or-.tar.xz] [RUNS=3]" >&2; exit 2; }
	$(PY) scripts/spec_build.py $(PODMAN_VERSION) --runs $(RUNS) $(if $(PODMAN_SRC),--source $(PODMAN_SRC))

# Every pinned release: generate, import, mypy --strict, and the facade against it.
check-releases: $(VENV)/.installed scripts/converter/node_modules/.installed
	$(PY) scripts/check_releases.py

spec-diff: $(VENV)/.installed
	$(PY) scripts/spec_diff.py $(FROM) $(TO)

lint: $(VENV)/.installed
	$(BIN)/ruff check facade scripts tests
	$(BIN)/ruff format --check facade scripts tests

typecheck: $(VENV)/.installed
	$(BIN)/mypy --strict facade/podman_sdk generated/libpod_client scripts tests/bench $(wildcard tests/typing)

test: $(VENV)/.installed scripts/converter/node_modules/.installed
	@scripts/ensure_system_deps.sh podman podman6
	$(BIN)/pytest

bench: $(VENV)/.installed
	@scripts/ensure_system_deps.sh podman
	$(PY) -m tests.bench

demo: $(VENV)/.installed
	@scripts/ensure_system_deps.sh podman
	$(PY) scripts/demo.py

check: lint typecheck check-generated test
