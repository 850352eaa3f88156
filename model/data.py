"""MNIST as in-memory tensors, and the compact test-digit pack the app ships.

    python -m model.data --data-dir ../shared/data   # writes checkpoints/mnist-test.npz

Training reads MNIST through torchvision. Users get torchvision's real download into a
cache folder; offline machines pass --data-dir pointing at an existing copy.
"""

import argparse
import hashlib
from pathlib import Path

import numpy as np
import torch

DEFAULT_CACHE = Path.home() / ".cache" / "latent-lab" / "data"
TEST_DIGITS_PATH = Path(__file__).resolve().parent.parent / "checkpoints" / "mnist-test.npz"


def load_mnist(data_dir=None, train=True, download=None):
    """(images float [N,1,28,28] in [0,1], labels long [N], sha256 of the raw uint8 images).

    data_dir=None downloads into ~/.cache/latent-lab/data; an explicit folder is read as it
    is (download=False) unless download=True is asked for.
    """
    from torchvision.datasets import MNIST

    if download is None:
        download = data_dir is None
    root = Path(data_dir) if data_dir is not None else DEFAULT_CACHE
    try:
        dataset = MNIST(str(root), train=train, download=download)
    except RuntimeError as err:
        raise FileNotFoundError(
            f"MNIST not found under {root}/MNIST/raw ({err}). Pass --data-dir to a folder that "
            "holds MNIST/raw, or leave --data-dir out to download it."
        ) from err
    raw = dataset.data  # uint8 [N, 28, 28]
    digest = hashlib.sha256(raw.numpy().tobytes()).hexdigest()
    images = raw.unsqueeze(1).float().div_(255.0)
    return images, dataset.targets.long(), digest


def binarize(images, seed=0):
    """One fixed Bernoulli draw of grey images: the literature's binarised MNIST test set."""
    generator = torch.Generator().manual_seed(seed)
    return torch.bernoulli(images, generator=generator)


def save_test_digits(images, labels, path=TEST_DIGITS_PATH):
    """Store test digits as uint8 (compressed) so the app runs with no data set at all."""
    pixels = (images.squeeze(1) * 255).round().clamp(0, 255).to(torch.uint8).numpy()
    np.savez_compressed(path, images=pixels, labels=labels.numpy().astype(np.uint8))


def load_test_digits(path=TEST_DIGITS_PATH):
    """(images float [N,1,28,28] in [0,1], labels long [N]) from the shipped pack."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: test-digit pack is missing. Rebuild it with "
            "`python -m model.data --data-dir DIR` (or restore it with `git checkout -- checkpoints/mnist-test.npz`)."
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
    parser = argparse.ArgumentParser(description="Write the test-digit pack the app shows (uint8, compressed).")
    parser.add_argument("--data-dir", default=None, help="folder holding MNIST/raw (omit to download)")
    parser.add_argument("--out", default=str(TEST_DIGITS_PATH))
    args = parser.parse_args(argv)
    images, labels, _ = load_mnist(args.data_dir, train=False)
    save_test_digits(images, labels, args.out)
    print(f"wrote {args.out} ({len(images)} test digits)")


if __name__ == "__main__":
    main()
