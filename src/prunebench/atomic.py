"""Atomic writes: a killed job never leaves a half-written output behind; reads that name a damaged file."""

from __future__ import annotations

import json
import os
import pickle
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside `path`; it is renamed onto `path` only if the block succeeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix)
    os.close(fd)
    tmp = Path(tmp)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_json(path: str | os.PathLike, obj) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(obj, indent=2, sort_keys=True) + "\n")


def write_text(path: str | os.PathLike, text: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text)


def save_torch(path: str | os.PathLike, obj) -> None:
    import torch

    with atomic_path(path) as tmp:
        torch.save(obj, tmp)


class CorruptFileError(OSError):
    """A stored result that cannot be read back: damaged on disk, or written by something else."""


def load_torch(path: str | os.PathLike, **kwargs):
    """torch.load(path, weights_only=True), after checking the file against the CRC-32 that torch.save stores for each
    of its records (torch.load does not: a damaged tensor would load as wrong numbers). A damaged file is an error
    naming it and saying how to recompute it."""
    import torch

    try:
        with zipfile.ZipFile(path) as archive:
            damaged_record = archive.testzip()
        if damaged_record is not None:
            raise zipfile.BadZipFile(f"record {damaged_record} fails its CRC-32 check")
        return torch.load(path, weights_only=True, **kwargs)
    except (zipfile.BadZipFile, RuntimeError, pickle.UnpicklingError, EOFError, ValueError) as error:
        raise CorruptFileError(
            f"{path} is damaged and cannot be read ({type(error).__name__}: {error}). Delete this file and run the same"
            " snakemake command again: the job that writes it runs again, and so does everything computed from it;"
            " nothing else is touched."
        ) from error


def write_csv(path: str | os.PathLike, frame) -> None:
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False)
