"""workflow/studies.yaml, the one declaration of every study and artifact: it agrees with the study folders, schemas
and report captions, the rules name no artifact file by hand, and a mistake in it is named before any rule is built."""

import re

import pytest
import yaml

from conftest import ROOT
from prunebench.studies.manifest import ManifestError, artifact_index, load_manifest

MANIFEST = ROOT / "workflow/studies.yaml"


def test_every_declared_study_has_its_rules_schema_and_library_package_and_nothing_else_does():
    studies = list(load_manifest(MANIFEST))
    assert sorted(p.name for p in (ROOT / "workflow/rules/studies").iterdir()) == sorted(studies)
    schemas = (ROOT / "workflow/schemas/studies").glob("*.schema.yaml")
    assert sorted(p.name.removesuffix(".schema.yaml") for p in schemas) == sorted(studies)
    assert all((ROOT / "src/prunebench/studies" / study).is_dir() for study in studies)


def test_every_caption_the_manifest_names_exists_and_every_caption_file_is_named():
    named = {
        (study.key, file.caption)
        for study in load_manifest(MANIFEST).values()
        for artifact in study.artifacts.values()
        for file in artifact.files.values()
        if file.caption
    }
    on_disk = {
        (folder.name, caption.stem)
        for folder in (ROOT / "workflow/report").iterdir()
        if folder.is_dir()
        for caption in folder.glob("*.rst")
    }
    assert named == on_disk


def test_file_names_are_unique_and_carry_their_catalog_id():
    names = [
        (study.key, file.name)
        for study in load_manifest(MANIFEST).values()
        for artifact in study.artifacts.values()
        for file in artifact.files.values()
    ]
    assert len(names) == len(set(names))
    assert all(re.match(r"\d{3}-([TFB]\d+_|claims\.)", name) for _, name in names)


def test_no_rule_names_an_artifact_file_by_hand():
    """Every artifact path in the rules comes from artifact() / artifact_path(), so renaming one is one edit."""
    hand_written = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in [ROOT / "Snakefile", *(ROOT / "workflow/rules").rglob("*.smk")]
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"\d{3}-([TFB]\d+_|claims\.)", line) and not line.lstrip().startswith("#")
    ]
    assert hand_written == []


def _write(tmp_path, studies):
    path = tmp_path / "studies.yaml"
    path.write_text(yaml.safe_dump({"studies": studies}))
    return path


def _study(**changes):
    artifact = {"slug": "table", "title": "a table", "files": {"csv": "T1", "md": None}}
    return {"document": "009", "title": "A study", "prefix": "x", "needs": [], "artifacts": {"T1": artifact}} | changes


def test_a_declared_study_reads_into_paths_captions_and_report_labels(tmp_path):
    per_run = {"slug": "curve", "title": "a curve", "per": "{dataset}-{model}", "files": {"test.png": "F1"}}
    study = load_manifest(_write(tmp_path, {"x": _study(artifacts={"F1": per_run})}))["x"]
    file = study.artifacts["F1"].files["test.png"]
    assert file.name == "009-F1_curve_test_{dataset}-{model}.png"
    assert file.labels == {"type": "figure (PNG)", "dataset": "{dataset}", "model": "{model}"}
    assert (study.category, study.subcategory("F1")) == ("009 A study", "009-F1 a curve")


@pytest.mark.parametrize(
    "studies, key",
    [
        ({"x": _study(needs=["y"]), "y": _study()}, "studies.x.needs"),
        ({"x": _study(document="9")}, "studies.x.document"),
        ({"x": _study(artifacts={"Table1": {"slug": "t", "title": "t", "files": {"csv": None}}})}, "artifacts.Table1"),
        ({"x": _study(artifacts={"T1": {"slug": "t", "title": "t", "files": {"xlsx": None}}})}, "files.xlsx"),
        ({"x": _study(artifacts={"T1": {"title": "t", "files": {"csv": None}}})}, "studies.x"),
    ],
)
def test_a_mistake_in_the_declaration_is_named_by_its_key(tmp_path, studies, key):
    with pytest.raises(ManifestError, match=re.escape(key)):
        load_manifest(_write(tmp_path, studies))


def test_the_artifact_index_in_the_docs_is_the_declarations():
    expected = artifact_index(load_manifest(MANIFEST))
    assert (ROOT / "docs/artifacts.md").read_text() == expected, (
        "regenerate: python -m prunebench.studies.manifest workflow/studies.yaml > docs/artifacts.md"
    )
