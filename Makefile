# Set-up and everyday commands. `make report` and `make test` work on a fresh machine:
# they install uv, the locked Python environment and the Debian packages they need.
SHELL := /bin/bash
# uv from PATH, else the one `pip install uv` puts beside python3 (installed by `env`).
UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)
YEAR ?= 2022
RAW ?= raw
OUT ?= out
# the notice's week (YYYY-Www); empty: the week of the year's latest dynamics row
WEEK ?=
# uv trusts the system's certificate store (as pip and curl do), e.g. behind a TLS proxy
export UV_SYSTEM_CERTS ?= 1
export DAGSTER_HOME := $(CURDIR)
export PIPELINE_DAGSTER_DIR ?= $(CURDIR)/data/dagster

# Debian packages: CJK fonts for the PDF and charts (AR PL KaitiM GB: the 楷体 of headings;
# fonts-noto-cjk-extra: the Black weight of the title where 小标宋 is missing), poppler for
# PDF checks; the tests also start a PostgreSQL server and headless Chromium (driven through
# chromium-driver in the portal's browser test). The body's 仿宋,
# FandolFang, comes from .ci/fandol-fonts.
DEBIAN_PACKAGES := fonts-noto-cjk fonts-noto-cjk-extra fonts-arphic-gkai00mp poppler-utils
DEBIAN_TEST_PACKAGES := $(DEBIAN_PACKAGES) postgresql chromium chromium-driver

.PHONY: report test check notice ui portal env system-deps system-test-deps clean

report: env system-deps
	$(UV) run python -m pipeline build --raw-dir $(RAW) --year $(YEAR) --output-dir $(OUT)

# The tests' temporary folders in memory (/dev/shm) where there is one with 2 GiB free (a
# container's is often 64 MiB): the suite makes thousands of small SQLite and DuckDB commits,
# each an fsync on a disk (README: Tests).
TEST_TMPDIR := $(shell test -w /dev/shm && test "$$(df -Pk /dev/shm | awk 'NR==2 {print $$4}')" -gt 2097152 \
	&& echo /dev/shm || echo $${TMPDIR:-/tmp})

test: env system-test-deps
	TMPDIR=$(TEST_TMPDIR) $(UV) run pytest

check: env
	$(UV) run python -m pipeline check --raw-dir $(RAW) --year $(YEAR)

notice: env system-deps
	$(UV) run python -m pipeline notice --raw-dir $(RAW) --year $(YEAR) --output-dir $(OUT) $(if $(WEEK),--week $(WEEK))

# the intake portal (报送平台) on 127.0.0.1:8080 over $(RAW); first: python -m pipeline accounts add 办公室 --office
portal: env
	$(UV) run python -m pipeline serve --raw-dir $(RAW)

ui: env system-deps
	mkdir -p $(PIPELINE_DAGSTER_DIR)
	$(UV) run dagster dev

# --compile-bytecode: the environment may forbid writing .pyc files at run time
# (PYTHONDONTWRITEBYTECODE), and compiling Dagster on every start costs seconds; compileall
# does the same for pipeline/ itself, which the install leaves as source.
env:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv \
		|| python3 -m pip install --quiet --user --break-system-packages uv
	$(UV) sync --frozen --quiet --compile-bytecode
	$(UV) run --frozen --no-sync python -m compileall -q pipeline
	mkdir -p $(PIPELINE_DAGSTER_DIR)

system-deps:
	@./.ci/debian-packages $(DEBIAN_PACKAGES)
	@./.ci/fandol-fonts

system-test-deps:
	@./.ci/debian-packages $(DEBIAN_TEST_PACKAGES)
	@./.ci/fandol-fonts

clean:
	rm -rf $(OUT) data .pytest_cache tests/artifacts
