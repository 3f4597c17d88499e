"""ImageNet from a local folder (tiny real JPEG/PNG files): lazy views, decoding, the prepared file, augmentation."""

from __future__ import annotations

import pytest
import torch
import numpy as np
from PIL import Image
from torchvision.transforms.v2 import functional as TF

from imagenet_folder import WNIDS, write_imagenet
from prunebench.config import studies_without_local_data
from prunebench.data import FolderImages, load_prepared, load_raw, prepare, save_prepared, to_float
from prunebench.data.augment import augmented
from prunebench.determinism import Stream, generator
from prunebench.models import build_model
from prunebench.training import TrainConfig, evaluate, train

OPTIONS = {"size": 16, "resize": 20}


@pytest.fixture(scope="module")
def imagenet_dir(tmp_path_factory):
    return write_imagenet(tmp_path_factory.mktemp("imagenet"))


def test_the_folder_layout_is_read_lazily_with_val_as_the_test_split(imagenet_dir):
    raw = load_raw("imagenet", str(imagenet_dir), options=OPTIONS)
    assert raw.classes == list(WNIDS)
    assert isinstance(raw.train_x, FolderImages) and raw.train_x.shape == (24, 3, 16, 16)
    assert raw.train_y.tolist() == [0] * 8 + [1] * 8 + [2] * 8
    assert raw.test_y.tolist() == [0] * 3 + [1] * 3 + [2] * 3
    assert all(path.parent.parent.name == "val" for path in raw.test_x.paths())


def test_decoding_is_the_centre_crop_of_the_resized_rgb_image(imagenet_dir):
    raw = load_raw("imagenet", str(imagenet_dir), options=OPTIONS)
    batch = to_float(raw.train_x[torch.tensor([0, 8, 23])])  # a PNG, a greyscale JPEG, an RGB JPEG
    assert batch.shape == (3, 3, 16, 16) and batch.dtype == torch.float32
    for image, path in zip(batch, raw.train_x[torch.tensor([0, 8, 23])].paths()):
        rgb = torch.from_numpy(np.array(Image.open(path).convert("RGB"))).permute(2, 0, 1)
        expected = TF.center_crop(TF.resize(rgb, 20, antialias=True), 16)
        assert torch.equal(image, expected.float() / 255)
    grey = batch[1]
    assert torch.equal(grey[0], grey[1]) and torch.equal(grey[1], grey[2])


def test_the_prepared_file_keeps_the_views_and_the_checksum_sees_a_replaced_file(imagenet_dir, tmp_path):
    data = prepare(load_raw("imagenet", str(imagenet_dir), options=OPTIONS), val_size=6, seed=0)
    assert len(data.train_y) == 18 and len(data.val_y) == 6 and len(data.test_y) == 9
    assert not set(map(str, data.val_x.paths())) & set(map(str, data.train_x.paths()))
    save_prepared(tmp_path / "imagenet.pt", data)
    again = load_prepared(tmp_path / "imagenet.pt")
    assert again.checksum() == data.checksum()
    assert torch.equal(to_float(again.test_x), to_float(data.test_x))

    victim = sorted((imagenet_dir / "val" / WNIDS[2]).iterdir())[-1]
    original = victim.read_bytes()
    try:
        victim.write_bytes(original + b"\0" * 10)
        changed = prepare(load_raw("imagenet", str(imagenet_dir), options=OPTIONS), val_size=6, seed=0)
        assert changed.checksum() != data.checksum()
    finally:
        victim.write_bytes(original)


def test_a_missing_folder_names_the_key_and_leaves_only_its_study_out(tmp_path):
    with pytest.raises(FileNotFoundError, match="datasets.imagenet.data_dir"):
        load_raw("imagenet", str(tmp_path))
    config = {
        "data": {"data_dir": None, "download": True},
        "datasets": {"imagenet": {"val_size": 10, "data_dir": str(tmp_path)}, "digits": {"val_size": 10}},
        "studies": {"ddnp_imagenet": {"datasets": ["imagenet"]}, "ddnp": {"datasets": ["digits"]}},
    }
    missing = studies_without_local_data(config, prepared_exists=lambda name: False)
    assert list(missing) == ["ddnp_imagenet"] and "datasets.imagenet.data_dir" in missing["ddnp_imagenet"]
    assert studies_without_local_data(config, prepared_exists=lambda name: name == "imagenet") == {}


def test_an_option_the_loader_does_not_take_is_refused_naming_the_key():
    with pytest.raises(ValueError, match=r"datasets.digits.options: \['size'\] not accepted"):
        load_raw("digits", options={"size": 16})


@pytest.mark.parametrize("how", ["crop_flip", "resized_crop_flip"])
def test_augmentation_is_drawn_from_its_stream_whatever_the_thread_count(imagenet_dir, how):
    images = load_raw("imagenet", str(imagenet_dir), options=OPTIONS).train_x[:12]
    threads = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        one = augmented(images, how, generator(0, Stream.AUGMENTATION, "t"))
        torch.set_num_threads(2)
        two = augmented(images, how, generator(0, Stream.AUGMENTATION, "t"))
    finally:
        torch.set_num_threads(threads)
    other = augmented(images, how, generator(1, Stream.AUGMENTATION, "t"))
    assert one.shape == (12, 3, 16, 16) and torch.equal(one, two)
    assert not torch.equal(one, other) and not torch.equal(one, to_float(images))


def test_a_padded_crop_is_a_shifted_or_mirrored_copy_of_the_image():
    x = torch.arange(2 * 8 * 8, dtype=torch.uint8).reshape(2, 1, 8, 8)
    out = augmented(x, "crop_flip", generator(0, Stream.AUGMENTATION, "t"))
    for image, crop in zip(x.float() / 255, out):
        padded = torch.nn.functional.pad(image, (4, 4, 4, 4))
        windows = [padded[:, i : i + 8, j : j + 8] for i in range(9) for j in range(9)]
        assert any(torch.equal(crop, w) or torch.equal(crop, w.flip(-1)) for w in windows)


def test_training_and_evaluation_run_on_folder_images_deterministically(imagenet_dir, one_thread):
    data = prepare(load_raw("imagenet", str(imagenet_dir), options=OPTIONS), val_size=6, seed=0)
    cfg = TrainConfig(epochs=2, batch_size=6, augment="resized_crop_flip")

    def run():
        torch.manual_seed(0)
        model = build_model("mlp", data.input_shape, data.num_classes, hidden=[16])
        return train(model, data, cfg, seed=0, stage="dense")

    first, second = run(), run()
    assert first.history == second.history
    metrics = evaluate(first.model, data.test_x, data.test_y, batch_size=4)
    assert set(metrics) == {"loss", "accuracy", "top5_accuracy"} and metrics["top5_accuracy"] == 1.0  # 3 classes
