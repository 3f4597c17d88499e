"""Every report caption is valid reStructuredText (snakemake --report renders them with docutils)."""
import io
from pathlib import Path

import docutils.core
import pytest

CAPTIONS = sorted((Path(__file__).resolve().parents[1] / "workflow/report").rglob("*.rst"))


@pytest.mark.parametrize("caption", CAPTIONS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_caption_renders_without_warnings(caption):
    warnings = io.StringIO()
    docutils.core.publish_string(caption.read_text(), writer="html", settings_overrides={"warning_stream": warnings})
    assert warnings.getvalue() == "", warnings.getvalue()


def test_a_bare_absolute_value_would_be_caught():
    warnings = io.StringIO()
    docutils.core.publish_string("PD = |a - b| here", writer="html", settings_overrides={"warning_stream": warnings})
    assert "substitution" in warnings.getvalue()
