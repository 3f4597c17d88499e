"""`snakemake --report` on the smoke run: one self-contained HTML file with every artifact of the enabled studies
(read from the catalog), grouped by study and artifact ID, each with a caption; the claims page; no warnings. Then
the report as a person opens it: rendered by headless Chromium, its menu lists every study and every figure decodes."""

import base64
import io
import json
import os
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from conftest import snakemake

pytestmark = pytest.mark.workflow

FIGURE, TABLE = ".png", ".csv"  # the report shows a figure as its PNG (not the PDF), a table as its CSV (not MD/TeX)


@pytest.fixture(scope="module")
def report(smoke_run, tmp_path_factory):
    """The report built from the smoke results (nothing reruns: --report only reads them), and the build's output."""
    path = tmp_path_factory.mktemp("report") / "report.html"
    done = snakemake(smoke_run, "--report", str(path))
    return path, done.stdout + done.stderr


def report_data(html: str) -> tuple[dict, dict]:
    """The report's `results` (path -> entry with caption and data URI) and `categories` (category -> subcategory
    -> paths), as its React UI reads them."""

    def variable(name):
        (value,) = re.findall(rf'<script id="{name}">\s*var {name} = (.*?);\s*</script>', html, flags=re.DOTALL)
        return json.loads(value)

    return variable("results"), variable("categories")


def expected_entries(results_dir: Path) -> dict[str, dict[str, list[str]]]:
    """study -> artifact file stem -> the files of it the report must show, from the catalog."""
    catalog = json.loads((results_dir / "artifacts.json").read_text())
    expected = {}
    for study, paths in catalog.items():
        stems = defaultdict(list)
        for path in paths:
            stems[str(Path(path).with_suffix(""))].append(Path(path).suffix)
        expected[study] = {
            stem: [stem + s for s in (FIGURE, TABLE) if s in suffixes] for stem, suffixes in stems.items()
        }
    return expected


def test_every_artifact_of_the_enabled_studies_is_in_the_report_grouped_by_study_and_id(smoke_run, report):
    path, _ = report
    results, categories = report_data(path.read_text())
    results_dir = smoke_run / "results"
    shown = {os.path.relpath(p, results_dir): p for p in results}
    where = {
        os.path.relpath(p, results_dir): (c, s) for c, subs in categories.items() for s, ps in subs.items() for p in ps
    }
    for stems in expected_entries(results_dir).values():
        for stem, files in stems.items():
            assert files, f"{stem}: neither a PNG nor a CSV to show"
            document, artifact_id = re.match(r".*/((\d{3})-(?:[TFB]\d+|claims))", stem).group(2, 1)
            artifact_id = artifact_id.replace("-claims", " claims")
            for file in files:
                assert file in shown, f"{file} is not in the report"
                category, subcategory = where[file]
                assert category.startswith(f"{document} "), (file, category)
                assert subcategory == artifact_id or subcategory.startswith(f"{artifact_id} "), (file, subcategory)
                assert results[shown[file]]["caption"].strip(), f"{file} has no caption"
    assert not [p for p in shown if p.endswith((".pdf", ".md", ".tex"))], (
        "a PDF, Markdown or TeX duplicate is in the report"
    )


def test_the_claims_page_is_in_the_report(smoke_run, report):
    path, _ = report
    results, categories = report_data(path.read_text())
    page = str(smoke_run / "results/claims.html")
    assert page in results and str(smoke_run / "results/claims.csv") in results
    assert results[page]["mime_type"] == "text/html"
    html = base64.b64decode(results[page]["data_uri"].split("base64,", 1)[1]).decode()
    catalog = json.loads((smoke_run / "results/artifacts.json").read_text())
    for claims_file in [p for paths in catalog.values() for p in paths if p.endswith("-claims.csv")]:
        for claim_id in pd.read_csv(smoke_run / "results" / claims_file)["claim_id"]:
            assert f">{claim_id}<" in html, f"{claim_id} is not on the claims page"


def test_where_the_run_time_went_is_in_the_report(smoke_run, report):
    path, _ = report
    results, categories = report_data(path.read_text())
    shown = categories["All studies"]["Where the run's time went"]
    for name in ("run_times.csv", "run_times.png"):
        assert str(smoke_run / "results" / name) in results and str(smoke_run / "results" / name) in shown
        assert results[str(smoke_run / "results" / name)]["caption"].strip()


def test_the_report_builds_without_warnings_and_is_self_contained(report):
    path, output = report
    html = path.read_text()
    assert not re.search(r"warning|error", output, flags=re.IGNORECASE), output[-3000:]
    assert "system-message" not in html, "a caption rendered with a docutils warning"
    assert not re.search(r"""(src|href)=["'](?!data:|#|javascript:)[^"']+""", html), (
        "the report links a file outside itself"
    )


def chromium() -> str:
    """Debian's Chromium; installed with apt when absent and this runs as root with apt-get."""
    found = shutil.which("chromium")
    if found:
        return found
    if not shutil.which("apt-get"):
        pytest.skip("chromium is not installed and apt-get is absent: cannot render the report headless")
    if os.geteuid() != 0:
        pytest.skip("chromium is not installed and this test is not root: cannot apt-get install chromium")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, capture_output=True, timeout=600)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env, capture_output=True, timeout=600
    )
    return shutil.which("chromium")


# Appended to a copy of the report: after the UI has rendered, open every figure through the report's own view
# (app.setView, as its eye button does) and record what the browser decoded of the <img> it draws.
PROBE = """
<script>
window.addEventListener("load", () => setTimeout(async () => {
  const decoded = {};
  for (const [path, entry] of Object.entries(results)) {
    if (entry.mime_type !== "image/png") continue;
    app.setView({content: "img", contentPath: entry.data_uri, resultPath: path});
    await new Promise(resolve => setTimeout(resolve, 50));
    const img = [...document.images].find(image => image.src === entry.data_uri);
    for (let i = 0; img && !img.complete && i < 100; i++) await new Promise(resolve => setTimeout(resolve, 20));
    decoded[path] = img ? [img.naturalWidth, img.naturalHeight] : null;
  }
  const out = document.createElement("pre");
  out.id = "probe";
  out.textContent = JSON.stringify(decoded);
  document.body.appendChild(out);
}, 500));
</script>
"""


def test_the_report_renders_in_a_headless_browser_with_every_figure_decoded(report, tmp_path):
    path, _ = report
    html = path.read_text()
    results, categories = report_data(html)
    probed = tmp_path / "probed.html"
    page, end = html.rsplit("</body>", 1)  # the last one: the report's scripts hold the string too
    probed.write_text(page + PROBE + "</body>" + end)
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--virtual-time-budget=60000",
        "--dump-dom",
        probed.as_uri(),
    ]
    dom = subprocess.run(command, capture_output=True, text=True, timeout=300, check=True).stdout
    rendered = re.sub(r"<script.*?</script>", "", dom, flags=re.DOTALL)  # what the UI drew, not its data
    for category in categories:
        assert category in rendered, f"the menu does not show {category}"
    decoded = json.loads(
        re.search(r'<pre id="probe">(.*?)</pre>', dom, flags=re.DOTALL).group(1).replace("&quot;", '"')
    )
    figures = [p for p, entry in results.items() if entry["mime_type"] == "image/png"]
    assert figures and sorted(decoded) == sorted(figures)
    for figure in figures:
        png = Image.open(io.BytesIO(base64.b64decode(results[figure]["data_uri"].split("base64,", 1)[1])))
        assert decoded[figure] == list(png.size), f"{figure}: the browser drew {decoded[figure]}, the PNG is {png.size}"
