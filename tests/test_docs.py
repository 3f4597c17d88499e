"""The documentation leads somewhere: the links and repository paths of README.md and docs/**/*.md, and the pages
and sections the code cites."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README_MAX_LINES = 150
REPO_DIRS = ("src/", "workflow/", "configs/", "tests/", "benchmarks/", "docs/", "envs/", "profiles/")

FENCE = re.compile(r"^ *```.*?^ *```", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`([^`]+)`")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$", re.MULTILINE)
PATH = re.compile(r"[\w./*{},-]+")
CODE_CITATION = re.compile(r'(docs/[\w/.-]+\.md)(?:, "([^"]+)")?')
CODE_SUFFIXES = {".py", ".smk", ".yaml", ".rst", ".toml", ""}
# a top-level Markdown file named in the code (README.md, or one the repository does not have)
TOP_LEVEL_DOC = re.compile(r"(?<![\w/.-])([A-Z][A-Z0-9_-]*\.md)\b")


def doc_files(root: Path) -> list[Path]:
    return [root / "README.md", *sorted((root / "docs").rglob("*.md"))]


def prose(text: str) -> str:
    """The text outside fenced code blocks."""
    return FENCE.sub("", text)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    out = set()
    for heading in HEADING.findall(prose(path.read_text())):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        out.add(base if count == 0 else f"{base}-{count}")
    return out


def broken_links(path: Path) -> list[str]:
    problems = []
    for target in LINK.findall(CODE_SPAN.sub("", prose(path.read_text()))):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
            continue
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            problems.append(f"{path}: link to {target}: no such file")
        elif anchor and (linked.suffix != ".md" or anchor not in anchors(linked)):
            problems.append(f"{path}: link to {target}: no heading with anchor #{anchor}")
    return problems


def expand_braces(pattern: str) -> list[str]:
    match = re.search(r"\{([^{}]*)\}", pattern)
    if not match:
        return [pattern]
    head, tail = pattern[: match.start()], pattern[match.end() :]
    return [out for choice in match.group(1).split(",") for out in expand_braces(head + choice + tail)]


def cited_paths(text: str) -> list[str]:
    """Code spans that are a repository path and nothing else (placeholders such as <study> are not checked)."""
    return [span for span in CODE_SPAN.findall(prose(text)) if span.startswith(REPO_DIRS) and PATH.fullmatch(span)]


def missing_paths(path: Path, root: Path) -> list[str]:
    problems = []
    for cited in cited_paths(path.read_text()):
        for candidate in expand_braces(cited):
            found = any(root.glob(candidate)) if "*" in candidate else (root / candidate).exists()
            if not found:
                problems.append(f"{path}: cites `{cited}`: {candidate} is not in the repository")
    return problems


def check(root: Path) -> list[str]:
    return [problem for path in doc_files(root) for problem in broken_links(path) + missing_paths(path, root)]


def code_citations(root: Path) -> list[str]:
    """Where the code cites a documentation page (`docs/<page>.md, "<section>"`): the page and section must exist."""
    problems = []
    files = [root / "Snakefile", root / "Makefile", *root.glob("*.yaml")]
    files += [path for top in REPO_DIRS if top != "docs/" for path in (root / top).rglob("*") if path.is_file()]
    for path in files:
        if path.suffix not in CODE_SUFFIXES or path == Path(__file__).resolve() or not path.exists():
            continue
        text = re.sub(r"\s*\n\s*(?:#\s*)?", " ", path.read_text(errors="replace"))
        for name in sorted(set(TOP_LEVEL_DOC.findall(text))):
            if not (root / name).is_file():
                problems.append(f"{path}: cites {name}, which is not in the repository")
        for page, section in CODE_CITATION.findall(text):
            if not (root / page).is_file():
                problems.append(f"{path}: cites {page}: no such file")
            elif section and slug(section) not in anchors(root / page):
                problems.append(f'{path}: cites {page}, "{section}": no such section')
    return problems


def test_every_link_and_cited_path_exists():
    assert check(ROOT) == []


def test_every_documentation_page_the_code_cites_exists():
    assert code_citations(ROOT) == []


def test_the_readme_is_short():
    assert len((ROOT / "README.md").read_text().splitlines()) < README_MAX_LINES


def test_the_checks_find_broken_links_anchors_paths_and_citations(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "src").mkdir()
    (tmp_path / "src/real.py").write_text("")
    (tmp_path / "docs/page.md").write_text("# A page: `with` code\n\n## Second (part)\n")
    (tmp_path / "README.md").write_text(
        "[good](docs/page.md#a-page-with-code) [good](docs/page.md#second-part) [web](https://example.org/x.md)\n"
        "`src/real.py` `src/{real,real}.py` `src/*.py` `src/<study>/x.py`\n"
        "[gone](docs/missing.md) [bad anchor](docs/page.md#third) `src/missing.py` `src/{real,other}.py`\n"
        "```\n[in a fence](docs/fenced.md) `src/fenced.py`\n```\n"
    )
    assert check(tmp_path) == [
        f"{tmp_path}/README.md: link to docs/missing.md: no such file",
        f"{tmp_path}/README.md: link to docs/page.md#third: no heading with anchor #third",
        f"{tmp_path}/README.md: cites `src/missing.py`: src/missing.py is not in the repository",
        f"{tmp_path}/README.md: cites `src/{{real,other}}.py`: src/other.py is not in the repository",
    ]
    (tmp_path / "src/cites.py").write_text(
        '"""See docs/page.md, "Second (part)" and docs/page.md,\n"A page: `with` code"."""\n'
        '# PLAN.md, docs/gone.md, docs/page.md, "Third"\n'
    )
    assert code_citations(tmp_path) == [
        f"{tmp_path}/src/cites.py: cites PLAN.md, which is not in the repository",
        f"{tmp_path}/src/cites.py: cites docs/gone.md: no such file",
        f'{tmp_path}/src/cites.py: cites docs/page.md, "Third": no such section',
    ]
