"""The studies' declaration (workflow/studies.yaml): each study's document, rule prefix, dependencies and artifacts,
read into typed records and checked, so a mistake names its study, artifact and key before any rule is built."""

import re
import string
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ARTIFACT_ID = re.compile(r"[TFB]\d+|claims")
EXTENSIONS = ("csv", "md", "tex", "png", "pdf")
DEFAULT_TYPE = {"csv": "table (CSV)", "png": "figure (PNG)"}


class ManifestError(ValueError):
    """A mistake in the declaration, naming its file and key."""


@dataclass(frozen=True)
class ArtifactFile:
    name: str  # the file's name in results/<study>/, wildcards left in braces
    caption: str | None  # workflow/report/<study>/<caption>.rst; None: the file is not in the report
    labels: dict[str, str] = field(default_factory=dict)  # the report's labels (type, wildcards, extra)


@dataclass(frozen=True)
class Artifact:
    id: str  # T1, F3, B2, claims
    full_id: str  # 002-T1, 002-claims
    title: str
    files: dict[str, ArtifactFile]  # by key: "<extension>" or "<part>.<extension>"


@dataclass(frozen=True)
class Study:
    key: str
    document: str
    title: str
    prefix: str
    needs: tuple[str, ...]
    artifacts: dict[str, Artifact]

    @property
    def category(self) -> str:
        return f"{self.document} {self.title}"

    def subcategory(self, artifact_id: str) -> str:
        artifact = self.artifacts[artifact_id]
        return f"{self.document} claims" if artifact.id == "claims" else f"{artifact.full_id} {artifact.title}"


def load_manifest(path) -> dict[str, Study]:
    """The studies in declaration order, each checked (a document ID of three digits, artifact IDs, known file
    extensions, `needs` naming studies declared before); ManifestError names the file and the key."""
    path = Path(path)
    raw = yaml.safe_load(path.read_text())
    studies: dict[str, Study] = {}
    for key, spec in (raw or {}).get("studies", {}).items():
        where = f"{path}: studies.{key}"
        try:
            study = _study(key, spec, where)
        except (KeyError, TypeError, AttributeError) as error:
            raise ManifestError(f"{where}: malformed declaration ({error!r})") from None
        if unknown := [need for need in study.needs if need not in studies]:
            raise ManifestError(f"{where}.needs: {unknown} must be studies declared before {key}")
        studies[key] = study
    return studies


def _study(key: str, spec: dict, where: str) -> Study:
    document = str(spec["document"])
    if not re.fullmatch(r"\d{3}", document):
        raise ManifestError(f"{where}.document: {document!r} is not a three-digit document ID")
    artifacts = {}
    for artifact_id, artifact in spec["artifacts"].items():
        if not ARTIFACT_ID.fullmatch(artifact_id):
            raise ManifestError(f"{where}.artifacts.{artifact_id}: an ID is T<n>, F<n>, B<n> or claims")
        artifacts[artifact_id] = _artifact(document, artifact_id, artifact, f"{where}.artifacts.{artifact_id}")
    return Study(key, document, spec["title"], spec["prefix"], tuple(spec.get("needs", [])), artifacts)


def _artifact(document: str, artifact_id: str, spec: dict, where: str) -> Artifact:
    full_id = f"{document}-{artifact_id}"
    stem = full_id if artifact_id == "claims" else f"{full_id}_{spec['slug']}"
    per = spec.get("per")
    wildcards = [name for _, name, _, _ in string.Formatter().parse(per or "") if name]
    files = {}
    for file_key, value in spec["files"].items():
        part, _, extension = file_key.rpartition(".")
        if extension not in EXTENSIONS:
            raise ManifestError(f"{where}.files.{file_key}: the extension is one of {', '.join(EXTENSIONS)}")
        name = stem + (f"_{part}" if part else "") + (f"_{per}" if per else "") + f".{extension}"
        value = {"caption": value} if isinstance(value, str) else (value or {})
        labels = {"type": value.get("type", DEFAULT_TYPE.get(extension, extension))}
        labels |= {wildcard: f"{{{wildcard}}}" for wildcard in wildcards} | value.get("labels", {})
        files[file_key] = ArtifactFile(name, value.get("caption"), labels)
    return Artifact(artifact_id, full_id, spec["title"], files)


def artifact_index(studies: dict[str, Study]) -> str:
    """docs/artifacts.md: every declared artifact per study, with its files (tests/test_manifest.py checks it;
    regenerate with `python -m prunebench.studies.manifest workflow/studies.yaml > docs/artifacts.md`)."""
    lines = [
        "# Artifacts",
        "",
        "Every table, figure and claims file the workflow can produce, as `workflow/studies.yaml` declares them",
        "(this page is generated from it). Each lands in `results/<study>/`; `{dataset}-{model}`: one file per dataset",
        "and model. A config builds the artifacts of the studies it enables (`results/artifacts.json` lists what a run",
        "produced).",
    ]
    for study in studies.values():
        lines += [
            "",
            f"## {study.key}",
            "",
            f"Document {study.document}: {study.title}. Target: `snakemake {study.key}`.",
            "",
        ]
        lines += ["| ID | title | files |", "|---|---|---|"]
        for artifact in study.artifacts.values():
            files = ", ".join(f"`{file.name}`" for file in artifact.files.values())
            lines.append(f"| {artifact.full_id} | {artifact.title} | {files} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import sys

    print(artifact_index(load_manifest(sys.argv[1])), end="")
