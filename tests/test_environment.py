from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_conda_environment_pins_what_requirements_pins():
    requirements = [
        line.strip()
        for line in (ROOT / "envs/requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    conda = yaml.safe_load((ROOT / "envs/prunebench.yaml").read_text())
    pip = next(d["pip"] for d in conda["dependencies"] if isinstance(d, dict))
    assert pip == requirements


def test_ci_runs_the_readme_lint_and_test_commands():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci/run").read_text()
    for command in ("make lint", "make test"):
        assert command in readme and command in ci, command
    assert ci.index("make lint") < ci.index("make test"), "the gates before the suite"
