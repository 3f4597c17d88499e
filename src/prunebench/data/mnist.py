"""MNIST and Fashion-MNIST from IDX files: in data_dir, from the Debian package, or downloaded by torchvision."""

from __future__ import annotations

from pathlib import Path

from prunebench.data.idx import read_idx
from prunebench.data.raw import DATASETS, RawDataset
from prunebench.data.sources import DOWNLOAD_DIR, download_with_torchvision, not_found_message

# Installed by the Debian/Ubuntu package `dataset-fashion-mnist`.
SYSTEM_FASHION_MNIST_DIR = Path("/usr/share/datasets/fashion-mnist")

IDX_STEMS = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")

FASHION_MNIST_CLASSES = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
]
DIGIT_CLASSES = [str(d) for d in range(10)]


def find_idx_files(directory: Path) -> list[Path] | None:
    """The four IDX files in `directory`, each plain or gzipped; None if any is missing."""
    found = []
    for stem in IDX_STEMS:
        path = next((p for p in (directory / stem, directory / f"{stem}.gz") if p.is_file()), None)
        if path is None:
            return None
        found.append(path)
    return found


def read_idx_dataset(directory: Path, classes: list[str]) -> RawDataset:
    files = find_idx_files(directory)
    if files is None:
        raise FileNotFoundError(f"{directory} lacks some of the IDX files {', '.join(IDX_STEMS)}")
    train_x, train_y, test_x, test_y = (read_idx(p) for p in files)
    for images, labels in ((train_x, train_y), (test_x, test_y)):
        if images.ndim != 3 or labels.shape != images.shape[:1]:
            raise ValueError(
                f"the IDX files in {directory} do not fit together: "
                f"images {tuple(images.shape)}, labels {tuple(labels.shape)}"
            )
    return RawDataset(
        train_x.unsqueeze(1), train_y.long(), test_x.unsqueeze(1), test_y.long(), classes, source=str(directory)
    )


def load_idx_dataset(
    what: str,
    torchvision_class: str,
    classes: list[str],
    data_dir: str | None,
    download: bool,
    system_package: tuple[str, Path] | None = None,
) -> RawDataset:
    """Read the first complete set of IDX files: data_dir, its torchvision layout, the system package, a download."""
    places = [Path(data_dir), Path(data_dir) / torchvision_class / "raw"] if data_dir else []
    if system_package is not None:
        places.append(system_package[1])
    for place in places:
        if find_idx_files(place) is not None:
            return read_idx_dataset(place, classes)

    fixes = [f"set data_dir to a folder holding {', '.join(IDX_STEMS)} (plain or .gz)", "set download: true"]
    if system_package is not None:
        package, system_dir = system_package
        fixes.insert(0, f"apt-get install {package} (installs {system_dir})")
    message = not_found_message(what, places, fixes)
    if not download:
        raise FileNotFoundError(message)
    root = Path(data_dir) if data_dir else DOWNLOAD_DIR
    download_with_torchvision(torchvision_class, root, message)
    return read_idx_dataset(root / torchvision_class / "raw", classes)


@DATASETS.register("fashion_mnist")
def load_fashion_mnist(data_dir: str | None, download: bool) -> RawDataset:
    return load_idx_dataset(
        "Fashion-MNIST",
        "FashionMNIST",
        FASHION_MNIST_CLASSES,
        data_dir,
        download,
        system_package=("dataset-fashion-mnist", SYSTEM_FASHION_MNIST_DIR),
    )


@DATASETS.register("mnist")
def load_mnist(data_dir: str | None, download: bool) -> RawDataset:
    return load_idx_dataset("MNIST", "MNIST", DIGIT_CLASSES, data_dir, download)
