"""What the file-based loaders share: the download cache, torchvision downloads, the not-found message."""

from __future__ import annotations

from pathlib import Path

DOWNLOAD_DIR = Path.home() / ".cache" / "prunebench" / "datasets"


def not_found_message(what: str, places: list[Path], fixes: list[str]) -> str:
    looked = ", ".join(str(p) for p in places) or "nowhere (no data_dir was given)"
    return f"{what} not found; looked in: {looked}. To fix: {'; or '.join(fixes)}."


def download_with_torchvision(class_name: str, root: Path, not_found: str) -> None:
    """Fetch a dataset into `root`; torchvision verifies the md5 checksums of what it downloads."""
    from torchvision import datasets

    try:
        getattr(datasets, class_name)(root=str(root), download=True)
    except (OSError, RuntimeError) as e:
        raise FileNotFoundError(f"{not_found} Downloading it into {root} with torchvision failed too: {e}") from e
