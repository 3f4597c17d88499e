"""Every report caption is a Jinja template of valid reStructuredText: snakemake --report renders it with Jinja (the
job's config, output and wildcards) and then docutils. Here with the smoke config and a stand-in for each job's
files, so a caption error shows without a workflow run (tests/test_report.py builds the real report)."""

import io
from pathlib import Path
from types import SimpleNamespace

import docutils.core
import jinja2
import pytest
import yaml

from conftest import ROOT

CAPTIONS = sorted((ROOT / "workflow/report").rglob("*.rst"))


def merged(base: dict, override: dict) -> dict:
    """Snakemake's merge of a --configfile over config.yaml: mappings merge, everything else is replaced."""
    out = dict(base)
    for key, value in override.items():
        out[key] = merged(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict) else value
    return out


class AnyFile(jinja2.ChainableUndefined):
    """A job's output or input the caption names: every one stands for the same small table file."""

    path = ""

    def __str__(self):
        return self.path


@pytest.fixture(scope="module")
def render(tmp_path_factory):
    table = tmp_path_factory.mktemp("captions") / "table.md"
    table.write_text("| a | b |\n|---|---|\n| 1 | 2 |\n")
    AnyFile.path = str(table)
    config = merged(
        yaml.safe_load((ROOT / "config.yaml").read_text()), yaml.safe_load((ROOT / "configs/smoke.yaml").read_text())
    )
    paper = yaml.safe_load((ROOT / "configs/paper.yaml").read_text())
    config["studies"]["ddnp_imagenet"] = paper["studies"]["ddnp_imagenet"]  # 002-T2: only the paper config has ImageNet
    kl = config["studies"]["latent_kl"]
    snakemake = SimpleNamespace(
        config=config,
        output=AnyFile(),
        input=AnyFile(),
        wildcards=SimpleNamespace(dataset=kl["datasets"][0], model=next(iter(kl["models"]))),
    )
    env = jinja2.Environment(trim_blocks=True, lstrip_blocks=True, undefined=AnyFile)  # as snakemake's report

    def render(caption: Path) -> str:
        text = env.from_string(caption.read_text()).render(snakemake=snakemake, categories={}, files=[])
        return text + "\n\n.. _claims.html: #claims\n"  # snakemake appends a link target for every report file

    return render


@pytest.mark.parametrize("caption", CAPTIONS, ids=lambda p: str(p.relative_to(ROOT / "workflow/report")))
def test_caption_renders_without_warnings(caption, render):
    warnings = io.StringIO()
    docutils.core.publish_string(render(caption), writer="html", settings_overrides={"warning_stream": warnings})
    assert warnings.getvalue() == "", warnings.getvalue()


def test_a_bare_absolute_value_would_be_caught():
    warnings = io.StringIO()
    docutils.core.publish_string("PD = |a - b| here", writer="html", settings_overrides={"warning_stream": warnings})
    assert "substitution" in warnings.getvalue()
