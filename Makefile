# One target, one job. Every target bootstraps what it needs, so any of them can be
# the first command on a fresh Debian machine.

PYTHON_BOOT ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
# openapi-python-client pins httpx<0.29: a venv of its own keeps it from holding back the
# httpx that .venv, like a user's `pip install`, gets (scripts/generator_venv.py).
GEN_VENV := .cache/generator-venv
# uv: `make dist` and the test matrix's lowest-versions cell.
TOOLS_VENV := .cache/tools-venv
# mkdocs and its plugins: `make docs`.
DOCS_VENV := .cache/docs-venv
# `make test-matrix CELL=...`: py312, py313 or lowest (scripts/run_matrix_cell.py).
CELL ?=
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
# `make check-releases RELEASES="v6.1.2 ..."`: those releases only (default: every pinned
# one, each also generated from a spec rebuilt from source, and the maintainer's path).
RELEASES ?=
# A pinned release handed over as source only has no spec file on a fresh checkout:
# build it (once, into the mirror) before anything reads the specs.
SPEC_FILES = $(PY) scripts/spec_build.py --missing

.PHONY: docs spec generate check-generated check-releases spec-diff lint typecheck test test-matrix dist bench demo check system-deps

# Each venv is rebuilt whenever the pinned dependencies change. .venv: the checkout
# (editable, with the cli extra, at the newest versions its metadata allows, as a user's
# `pip install` gets them) and the dev group. Dependency groups need pip >= 25.1.
$(VENV)/.installed: pyproject.toml facade/podman_sdk/_version.py
	@scripts/ensure_system_deps.sh python
	$(PYTHON_BOOT) -m venv --clear $(VENV)
	$(BIN)/pip install --quiet --upgrade 'pip>=25.1'
	$(BIN)/pip install --quiet --upgrade --group dev -e '.[cli]'
	touch $@

# $(call group_venv,DIR,GROUP): a venv holding one dependency group and nothing else.
define group_venv
	@scripts/ensure_system_deps.sh python
	$(PYTHON_BOOT) -m venv --clear $(1)
	$(1)/bin/pip install --quiet --upgrade 'pip>=25.1'
	$(1)/bin/pip install --quiet --group $(2)
	touch $(1)/.installed
endef

$(GEN_VENV)/.installed: pyproject.toml
	$(call group_venv,$(GEN_VENV),generator)

$(TOOLS_VENV)/.installed: pyproject.toml
	$(call group_venv,$(TOOLS_VENV),tools)

$(DOCS_VENV)/.installed: pyproject.toml
	$(call group_venv,$(DOCS_VENV),docs)

scripts/converter/node_modules/.installed: scripts/converter/package.json scripts/converter/package-lock.json
	@scripts/ensure_system_deps.sh node
	cd scripts/converter && npm ci --no-audit --no-fund --silent
	touch $@

system-deps:
	@scripts/ensure_system_deps.sh python node podman podman6

generate: $(VENV)/.installed $(GEN_VENV)/.installed scripts/converter/node_modules/.installed
	$(SPEC_FILES)
	$(PY) scripts/generate.py --out $(OUT) $(if $(PODMAN_VERSION),--version $(PODMAN_VERSION))

check-generated: $(VENV)/.installed $(GEN_VENV)/.installed scripts/converter/node_modules/.installed
	$(SPEC_FILES)
	$(PY) scripts/check_generated.py

spec: $(VENV)/.installed
	@test -n "$(PODMAN_VERSION)" || { echo "usage: make spec PODMAN_VERSION=vX.Y.Z [PODMAN_SRC=dir-or-.tar.xz] [RUNS=3]" >&2; exit 2; }
	$(PY) scripts/spec_build.py $(PODMAN_VERSION) --runs $(RUNS) $(if $(PODMAN_SRC),--source $(PODMAN_SRC))

# Every pinned release: generate, import, mypy --strict, and the facade against it; the
# same package from specs rebuilt from source; docs/regenerating.md's steps for a release.
check-releases: $(VENV)/.installed $(GEN_VENV)/.installed scripts/converter/node_modules/.installed
	$(SPEC_FILES)
	$(PY) scripts/check_releases.py $(RELEASES)

spec-diff: $(VENV)/.installed
	$(SPEC_FILES)
	$(PY) scripts/spec_diff.py $(FROM) $(TO)

lint: $(VENV)/.installed
	$(BIN)/ruff check facade scripts tests
	$(BIN)/ruff format --check facade scripts tests

typecheck: $(VENV)/.installed
	$(BIN)/mypy --strict facade/podman_sdk generated/libpod_client scripts tests/bench $(wildcard tests/typing)

test: $(VENV)/.installed $(GEN_VENV)/.installed $(TOOLS_VENV)/.installed scripts/converter/node_modules/.installed
	@scripts/ensure_system_deps.sh podman podman6
	$(SPEC_FILES)
	$(BIN)/pytest

# One cell of the test matrix (CONTRIBUTING.md): its own venv under .cache/matrix, the unit
# tests and the live tests on the host's Podman.
test-matrix: $(TOOLS_VENV)/.installed
	@test -n "$(CELL)" || { echo "usage: make test-matrix CELL=py312|py313|lowest" >&2; exit 2; }
	@scripts/ensure_system_deps.sh podman
	$(PYTHON_BOOT) scripts/run_matrix_cell.py $(CELL)

# The sdist and the wheel, into dist/ (tests/dist checks what they hold).
dist: $(TOOLS_VENV)/.installed
	rm -rf dist
	$(TOOLS_VENV)/bin/uv build --quiet --out-dir dist
	@ls dist

# Every figure, one Markdown table into docs/benchmarks.md; QUICK=1 runs fewer rounds.
bench: $(VENV)/.installed
	@scripts/ensure_system_deps.sh podman
	$(PY) -m tests.bench $(if $(QUICK),--quick)

# The guides and the API reference as a static site in site/; --strict fails on any
# broken link, missing page or reference that does not resolve.
docs: $(DOCS_VENV)/.installed
	NO_MKDOCS_2_WARNING=1 DISABLE_MKDOCS_2_WARNING=true $(DOCS_VENV)/bin/mkdocs build --strict --quiet

demo: $(VENV)/.installed
	@scripts/ensure_system_deps.sh podman
	$(PY) scripts/demo.py

check: lint typecheck check-generated test
