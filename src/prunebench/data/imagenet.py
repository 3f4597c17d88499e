"""ImageNet (ILSVRC-2012) from a local folder: `train/<wnid>/*.JPEG` and `val/<wnid>/*.JPEG`, the ImageFolder layout
(the validation images sorted into class folders, as torchvision's ImageNet class and the usual valprep script do).

The 50,000 validation images are the test split (the accuracies the documents report); the validation split used for
model selection is carved from the training images. ImageNet cannot be downloaded (its licence asks for registration
at image-net.org), so `download` changes nothing here.
"""

from __future__ import annotations

import os
from pathlib import Path

import torch

from prunebench.data.folder import Decode, FolderImages
from prunebench.data.raw import DATASETS, LOCAL_FOLDERS, RawDataset
from prunebench.data.sources import not_found_message

IMAGE_SUFFIXES = (".jpeg", ".jpg", ".png")
SPLITS = ("train", "val")


def imagenet_folder(data_dir: str | None) -> Path:
    """The folder holding train/ and val/ (data_dir itself, or data_dir/imagenet); FileNotFoundError otherwise."""
    places = [Path(data_dir), Path(data_dir) / "imagenet"] if data_dir else []
    for place in places:
        if all((place / split).is_dir() for split in SPLITS):
            return place
    raise FileNotFoundError(
        not_found_message(
            "ImageNet (train/ and val/ folders of class folders)",
            places,
            [
                "set datasets.imagenet.data_dir to the folder holding train/<wnid>/*.JPEG and val/<wnid>/*.JPEG "
                "(ImageNet cannot be downloaded: get ILSVRC-2012 from image-net.org and sort val/ into class folders)"
            ],
        )
    )


def list_images(folder: Path, classes: list[str] | None) -> tuple[list[str], list[int], list[str]]:
    """(file paths relative to folder's parent, labels, classes): class folders in sorted order, files sorted within."""
    found = sorted(entry.name for entry in os.scandir(folder) if entry.is_dir())
    classes = classes if classes is not None else found
    if unknown := sorted(set(found) - set(classes)):
        raise ValueError(f"{folder} has class folders that train/ does not: {unknown[:5]}")
    files, labels = [], []
    for label, name in enumerate(classes):
        if not (folder / name).is_dir():
            continue
        names = sorted(
            e.name for e in os.scandir(folder / name) if e.is_file() and e.name.lower().endswith(IMAGE_SUFFIXES)
        )
        files += [f"{folder.name}/{name}/{file}" for file in names]
        labels += [label] * len(names)
    if not files:
        raise FileNotFoundError(f"{folder} holds no images ({', '.join(IMAGE_SUFFIXES)}) in class folders")
    return files, labels, classes


LOCAL_FOLDERS["imagenet"] = imagenet_folder


@DATASETS.register("imagenet")
def load_imagenet(data_dir: str | None, download: bool, size: int = 224, resize: int = 256) -> RawDataset:
    """`size`, `resize`: the decoding (config `datasets.imagenet.options`), 224 and 256 as for torchvision's models."""
    if resize < size:
        raise ValueError(f"datasets.imagenet.options: resize={resize} is smaller than size={size}")
    root = imagenet_folder(data_dir)
    train_files, train_labels, classes = list_images(root / "train", None)
    test_files, test_labels, _ = list_images(root / "val", classes)
    files = train_files + test_files
    file_bytes = torch.tensor([(root / f).stat().st_size for f in files], dtype=torch.int64)
    images = FolderImages(str(root), files, file_bytes, torch.arange(len(files)), Decode(size, resize))
    return RawDataset(
        images[: len(train_files)],
        torch.tensor(train_labels),
        images[len(train_files) :],
        torch.tensor(test_labels),
        classes=classes,
        source=str(root),
    )
