#!/usr/bin/env bash
# Runs inside the rules' conda env once it is created (--sdm conda), from the workflow's working directory:
# installs the prunebench library the rule scripts import.
set -euo pipefail
pip install --no-deps --no-build-isolation -e .
