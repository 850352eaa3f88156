"""The data sets as in-memory tensors, and the compact test-image packs the app ships.

    python -m model.data --dataset mnist --data-dir ../shared/data   # writes checkpoints/mnist/test.npz

Training reads MNIST and Fashion-MNIST through torchvision. Users get torchvision's real
download into a cache folder; offline machines pass --data-dir pointing at an existing copy.
"""

import argparse
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

DEFAULT_CACHE = Path.home() / ".cache" / "latent-lab" / "data"
SHIPPED_CHECKPOINTS = Path(__file__).resolve().parent.parent / "checkpoints"
TEST_PACK = "test.npz"


@dataclass(frozen=True)
class Dataset:
    """What the app and the CLIs need to know about one data set."""

    name: str  # the key in links, metadata and folder names
    title: str  # for people
    torchvision_class: str
    raw_folder: str  # torchvision's folder under the data root
    item: str  # one thing in the images, in plain words: "digit" / "item"
    classes: tuple  # the ten class names, in label order
    sizes: tuple  # test-set images per class (a check on the shipped pack)


DATASETS = {
    "mnist": Dataset(
        "mnist", "MNIST digits", "MNIST", "MNIST", "digit",
        tuple(str(d) for d in range(10)),
        (980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009),
    ),
    "fashion-mnist": Dataset(
        "fashion-mnist", "Fashion-MNIST clothes", "FashionMNIST", "FashionMNIST", "item",
        ("T-shirt", "trousers", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot"),
        (1000,) * 10,
    ),
}
DEFAULT_DATASET = "mnist"


def dataset_info(name):
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; expected one of {sorted(DATASETS)}")
    return DATASETS[name]


def checkpoint_dir(dataset=None):
    """The checkpoints folder (LATENT_LAB_CHECKPOINTS overrides it: tests use broken copies), or
    one data set's folder inside it. The one place that knows where checkpoints live."""
    root = Path(os.environ.get("LATENT_LAB_CHECKPOINTS") or SHIPPED_CHECKPOINTS)
    return root if dataset is None else root / dataset_info(dataset).name


def load_images(dataset=DEFAULT_DATASET, data_dir=None, train=True, download=None):
    """(images float [N,1,28,28] in [0,1], labels long [N], sha256 of the raw uint8 images).

    data_dir=None downloads into ~/.cache/latent-lab/data; an explicit folder is read as it
    is (download=False) unless download=True is asked for.
    """
    import torchvision.datasets

    info = dataset_info(dataset)
    if download is None:
        download = data_dir is None
    root = Path(data_dir) if data_dir is not None else DEFAULT_CACHE
    try:
        data = getattr(torchvision.datasets, info.torchvision_class)(str(root), train=train, download=download)
    except RuntimeError as err:
        raise FileNotFoundError(
            f"{info.title} not found under {root}/{info.raw_folder}/raw ({err}). Pass --data-dir to a folder "
            f"that holds {info.raw_folder}/raw, or leave --data-dir out to download it."
        ) from err
    raw = data.data  # uint8 [N, 28, 28]
    digest = hashlib.sha256(raw.numpy().tobytes()).hexdigest()
    images = raw.unsqueeze(1).float().div_(255.0)
    return images, data.targets.long(), digest


def binarize(images, seed=0):
    """One fixed Bernoulli draw of grey images: the literature's binarised test set."""
    generator = torch.Generator().manual_seed(seed)
    return torch.bernoulli(images, generator=generator)


def to_uint8(images):
    """Images float [N,1,28,28] in [0, 1] -> uint8 array [N,28,28]: how packs store them."""
    return (images.squeeze(1) * 255).round().clamp(0, 255).to(torch.uint8).numpy()


def save_test_images(images, labels, path):
    """Store test images as uint8 (compressed) so the app runs with no data set at all."""
    pixels = to_uint8(images)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, images=pixels, labels=labels.numpy().astype(np.uint8))


def load_test_images(dataset=DEFAULT_DATASET, path=None):
    """(images float [N,1,28,28] in [0,1], labels long [N]) from the shipped pack."""
    path = Path(path) if path is not None else checkpoint_dir(dataset) / TEST_PACK
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: the test-image pack is missing. Rebuild it with `python -m model.data --dataset "
            f"{dataset} --data-dir DIR` (or restore it with `git checkout -- {path}`)."
        )
    with np.load(path, allow_pickle=False) as pack:
        pixels, labels = pack["images"], pack["labels"]
    images = torch.from_numpy(pixels.astype(np.float32) / 255.0).unsqueeze(1)
    return images, torch.from_numpy(labels.astype(np.int64))


def batches(n, batch_size, generator=None, shuffle=True):
    """Index tensors covering range(n) in mini-batches."""
    order = torch.randperm(n, generator=generator) if shuffle else torch.arange(n)
    return order.split(batch_size)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Write the test-image pack the app shows (uint8, compressed).")
    parser.add_argument("--dataset", choices=sorted(DATASETS), default=DEFAULT_DATASET)
    parser.add_argument("--data-dir", default=None, help="folder holding MNIST/raw or FashionMNIST/raw (omit to download)")
    parser.add_argument("--out", default=None, help="default: checkpoints/DATASET/test.npz")
    args = parser.parse_args(argv)
    images, labels, _ = load_images(args.dataset, args.data_dir, train=False)
    out = args.out or checkpoint_dir(args.dataset) / TEST_PACK
    save_test_images(images, labels, out)
    print(f"wrote {out} ({len(images)} test images of {args.dataset})")


if __name__ == "__main__":
    main()
