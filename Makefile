# Set-up and everyday commands. `make report` and `make test` work on a fresh machine: they
# install uv, the locked Python environment and the Debian packages they need. Every target
# finds uv itself (on PATH, else where `pip install --user` puts it), so they all work in a
# login shell whose PATH does not have uv (README: Commands).
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo "$$(python3 -m site --user-base 2>/dev/null || echo $$HOME/.local)/bin/uv")
PYTHON := $(UV) run --frozen --no-sync python
# The everyday commands' settings: RAW, OUT as the commands' --raw-dir, --output-dir (relative
# to this folder); YEAR empty = the latest year folder.
RAW ?= raw
OUT ?= out
YEAR ?=
YEAR_ARG = $(if $(YEAR),--year "$(YEAR)")
DISTRICT_ARG = $(if $(DISTRICT),--district "$(DISTRICT)")
# uv trusts the system's certificate store (as pip and curl do), e.g. behind a TLS proxy
export UV_SYSTEM_CERTS ?= 1

# Debian packages: CJK fonts for the PDF and charts (AR PL KaitiM GB: the 楷体 of headings;
# fonts-noto-cjk-extra: the Black weight of the title where 小标宋 is missing), poppler for
# PDF checks; the tests also start a PostgreSQL server and headless Chromium (driven through
# chromium-driver in the portal's browser test), and lay the Word file out with LibreOffice. The body's 仿宋,
# FandolFang, comes from .ci/fandol-fonts.
DEBIAN_PACKAGES := fonts-noto-cjk fonts-noto-cjk-extra fonts-arphic-gkai00mp poppler-utils
DEBIAN_TEST_PACKAGES := $(DEBIAN_PACKAGES) postgresql chromium chromium-driver libreoffice-writer-nogui

.PHONY: report check publish explain diff notice ui portal test env system-deps system-test-deps clean

report: env system-deps
	$(PYTHON) -m pipeline build --raw-dir "$(RAW)" --output-dir "$(OUT)" $(YEAR_ARG) $(DISTRICT_ARG) \
		$(if $(AS_OF),--as-of "$(AS_OF)")

check: env
	$(PYTHON) -m pipeline check --raw-dir "$(RAW)" $(YEAR_ARG) $(DISTRICT_ARG)

publish: env
	$(PYTHON) -m pipeline publish --raw-dir "$(RAW)" --output-dir "$(OUT)" $(YEAR_ARG) $(DISTRICT_ARG) \
		$(if $(ACCEPT_REJECTS),--accept-rejects)

explain: env
	$(PYTHON) -m pipeline explain "$(FIGURE)" --raw-dir "$(RAW)" --output-dir "$(OUT)" $(YEAR_ARG) $(DISTRICT_ARG)

diff: env
	$(PYTHON) -m pipeline diff "$(A)" "$(B)"

# the weekly submission notice (报送情况通报) of WEEK (YYYY-Www; empty: the year's latest week with rows)
notice: env system-deps
	$(PYTHON) -m pipeline notice --raw-dir "$(RAW)" --output-dir "$(OUT)" $(YEAR_ARG) $(if $(WEEK),--week "$(WEEK)")

# dagster dev on RAW and OUT: the code location's settings and the raw folder's own Dagster
# storage, as config.Settings gives them (PORT: the webserver's, default 3000).
ui: env system-deps
	@eval "$$(PIPELINE_RAW_DIR="$(RAW)" PIPELINE_OUTPUT_DIR="$(OUT)" $(PYTHON) -m pipeline.config environment)" \
		&& exec $(UV) run --frozen --no-sync dagster dev $(if $(PORT),--port "$(PORT)")

# the intake portal (报送平台) over RAW on 127.0.0.1 (PORT, default 8080); the first office
# account: .venv/bin/python -m pipeline accounts add 办公室 --office
portal: env
	$(PYTHON) -m pipeline serve --raw-dir "$(RAW)" $(if $(PORT),--port "$(PORT)")

# The tests' temporary folders in memory (/dev/shm) where there is one with 2 GiB free (a
# container's is often 64 MiB): the suite makes thousands of small SQLite and DuckDB commits,
# each an fsync on a disk (README: Tests).
TEST_TMPDIR := $(shell test -w /dev/shm && test "$$(df -Pk /dev/shm | awk 'NR==2 {print $$4}')" -gt 2097152 \
	&& echo /dev/shm || echo $${TMPDIR:-/tmp})

test: env system-test-deps
	TMPDIR=$(TEST_TMPDIR) $(UV) run --frozen --no-sync pytest

# uv from PyPI with pip when there is none: into the user's ~/.local/bin, which Debian's
# python3 allows only with PIP_BREAK_SYSTEM_PACKAGES (uv is one self-contained program).
# --compile-bytecode: the environment may forbid writing .pyc files at run time
# (PYTHONDONTWRITEBYTECODE), and compiling Dagster on every start costs seconds; compileall
# does the same for pipeline/ itself, which the install leaves as source. .env tells Dagster's
# own CLI (dagster dev, dagster run list) where the project's instance is.
env:
	@test -x "$(UV)" || { python3 -m pip --version >/dev/null 2>&1 || ./.ci/debian-packages python3-pip; \
		PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --quiet --user --no-warn-script-location uv; }
	@$(UV) sync --frozen --quiet --compile-bytecode
	@$(PYTHON) -m compileall -q pipeline
	@$(PYTHON) -m pipeline.config dotenv

system-deps:
	@./.ci/debian-packages $(DEBIAN_PACKAGES)
	@./.ci/fandol-fonts

system-test-deps:
	@./.ci/debian-packages $(DEBIAN_TEST_PACKAGES)
	@./.ci/fandol-fonts

clean:
	rm -rf $(OUT) data .env .pytest_cache tests/artifacts
