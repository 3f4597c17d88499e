"""003 part 2's config mistakes are named before any job runs."""

import copy
from pathlib import Path

import pytest
import yaml

from prunebench.config import ConfigError, validate_config

ROOT = Path(__file__).resolve().parents[1]
SMOKE = yaml.safe_load((ROOT / "configs/smoke.yaml").read_text())


def check(edit):
    config = copy.deepcopy(SMOKE)
    edit(config["studies"]["review"])
    validate_config(config, ROOT / "workflow/schemas/config.schema.yaml")


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda r: r["tickets"].update(rate=1.5), r"studies.review.tickets.rate"),
        (lambda r: r["tickets"].update(output_rate_factor=2), r"studies.review.tickets.output_rate_factor"),
        (lambda r: r["tickets"].update(reinit_scaling="kaiming"), r"studies.review.tickets.reinit_scaling"),
        (lambda r: r["scratch"].update(scratch_b_max_factor=0.5), r"studies.review.scratch.scratch_b_max_factor"),
        (lambda r: r["tickets"]["train"].update(lr=0.1), r"studies.review.tickets.train"),
        (
            lambda r: r["scratch"].update(model="resnet20"),
            r"studies.review.scratch.model: 'resnet20' not among studies.review.models",
        ),
        (
            lambda r: r["pie"].update(variant="obd"),
            r"studies.review.pie.variant: 'obd' not among studies.review.prune.variants",
        ),
        (
            lambda r: r["pie"].update(variant="l0"),
            r"studies.review.pie.variant: 'l0' reaches its sparsity as an outcome of a sweep",
        ),
        (lambda r: r["pie"].update(control_population=1), r"studies.review.pie.control_population"),
    ],
)
def test_part2_mistakes_are_named(edit, message):
    with pytest.raises(ConfigError, match=message):
        check(edit)


def test_the_pie_control_population_is_optional_and_accepted():
    check(lambda r: r["pie"].pop("control_population", None))
    check(lambda r: r["pie"].update(control_population=3))
