# Two commands on a fresh machine (Python 3.11):
#   make run    the embedded default config (every artifact of the enabled studies, CPU, offline)
#   make test   the test suite (unit tests + the end-to-end smoke workflow)
#   make paper-check   configs/paper.yaml's every rule run on tiny data (tests/paper_check/run.py)
#   make lint   the gates CI runs first: ruff's linter and formatter (pyproject.toml's [tool.ruff]), snakefmt on the
#               workflow ([tool.snakefmt]) and Snakemake's linter on the smoke config
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
CORES ?= $(shell nproc)

.PHONY: run test lint benchmark report data-package test-packages paper-check clean

$(BIN)/snakemake: envs/requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r envs/requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# Fashion-MNIST for the default config, from Debian/Ubuntu's package; elsewhere set data.data_dir or data.download.
data-package:
	@if [ -d /usr/share/datasets/fashion-mnist ]; then :; \
	elif command -v apt-get >/dev/null 2>&1; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq dataset-fashion-mnist; \
	else \
		echo "no apt-get: set data.data_dir in config.yaml to a Fashion-MNIST copy, or data.download: true"; \
	fi

# What the end-to-end tests drive besides Python: Chromium renders the report, Slurm and munge make a one-node cluster.
# Installed with apt where it exists (the tests skip, saying why, where these are absent).
TEST_PACKAGES := chromium slurm-wlm munge
test-packages:
	@missing=$$(for p in $(TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then :; \
	elif command -v apt-get >/dev/null 2>&1; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	else \
		echo "no apt-get: install $$missing for the report and Slurm tests (they are skipped without them)"; \
	fi

run: $(BIN)/snakemake data-package
	$(BIN)/snakemake --cores $(CORES)

report: $(BIN)/snakemake
	$(BIN)/snakemake --cores $(CORES) --report report.html

test: $(BIN)/snakemake data-package test-packages
	$(BIN)/python -m pytest -q

# configs/paper.yaml's whole DAG on CPU: its sizes shrunk, its data tiny files in the real formats (tests/paper_check/).
paper-check: $(BIN)/snakemake
	PYTHONPATH=tests $(BIN)/python -m paper_check.run --fresh --cores $(CORES)

lint: $(BIN)/snakemake
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/snakefmt --check Snakefile workflow
	$(BIN)/snakemake --lint --configfile configs/smoke.yaml

benchmark: $(BIN)/snakemake data-package
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf results logs .snakemake report.html
