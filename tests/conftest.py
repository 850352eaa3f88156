"""Shared fixtures: tiny models and a tiny MNIST folder made from the shipped test digits,
so the suite runs without ../shared and without the network."""

import shutil
import struct
import sys
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model.checkpoint import save_checkpoint  # noqa: E402
from model.data import load_test_images  # noqa: E402
from model.judge import set_reference  # noqa: E402
from model.replay import record, save_replay  # noqa: E402
from model.train_judge import train_judge  # noqa: E402
from model.train import TrainConfig, train  # noqa: E402

CHECKPOINTS = ROOT / "checkpoints" / "mnist"


@pytest.fixture(scope="session")
def test_digits():
    """The 10,000 shipped MNIST test digits (images in [0,1], labels)."""
    return load_test_images("mnist")


def write_idx(path, array):
    """IDX file as torchvision reads it (uint8 data; 3-D images or 1-D labels)."""
    code = 0x0803 if array.ndim == 3 else 0x0801
    with open(path, "wb") as f:
        f.write(struct.pack(">I", code))
        for size in array.shape:
            f.write(struct.pack(">I", size))
        f.write(array.astype(np.uint8).tobytes())


@pytest.fixture(scope="session")
def mnist_dir(tmp_path_factory, test_digits):
    """A torchvision-layout MNIST folder: 1,000 'train' and 300 'test' digits."""
    images, labels = test_digits
    pixels = (images.squeeze(1).numpy() * 255).round().astype(np.uint8)
    root = tmp_path_factory.mktemp("data")
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True)
    write_idx(raw / "train-images-idx3-ubyte", pixels[:1000])
    write_idx(raw / "train-labels-idx1-ubyte", labels[:1000].numpy())
    write_idx(raw / "t10k-images-idx3-ubyte", pixels[9700:])
    write_idx(raw / "t10k-labels-idx1-ubyte", labels[9700:].numpy())
    return root


def tiny_model(kind, latent_dim, images, epochs=1, beta=1.0):
    config = TrainConfig(kind=kind, latent_dim=latent_dim, hidden=(64, 32), epochs=epochs, batch_size=100,
                         kl_warmup_epochs=0, beta=beta)
    net, _ = train(config, images[:1000], images[9800:], log=lambda *_: None, show_progress=False)
    return net


@pytest.fixture(scope="session")
def tiny_judge(test_digits):
    images, labels = test_digits
    torch.manual_seed(0)
    judge = train_judge(images[:2000], labels[:2000], epochs=1, log=lambda *_: None)
    set_reference(judge, images[9000:])
    return judge


@pytest.fixture(scope="session")
def tiny_checkpoints(tmp_path_factory, test_digits, tiny_judge):
    """A checkpoints root the app can run on: mnist/ with tiny AE/VAE at both sizes, a judge, test digits."""
    images, _ = test_digits
    root = tmp_path_factory.mktemp("checkpoints")
    folder = root / "mnist"
    folder.mkdir()
    for kind in ("ae", "vae"):
        for dim in (2, 16):
            save_checkpoint(tiny_model(kind, dim, images), folder / f"{kind}-z{dim}.pt")
    save_checkpoint(tiny_judge, folder / "judge.pt")
    (folder / "test.npz").write_bytes((CHECKPOINTS / "test.npz").read_bytes())
    return root


TINY_BETAS = (0.0, 1.0, 4.0)


def save_tiny_family(folder, images, betas=TINY_BETAS):
    """Tiny 2-D VAEs at a few β, named and stamped as the β family's members are."""
    folder.mkdir(parents=True, exist_ok=True)
    for beta in betas:
        vae = tiny_model("vae", 2, images, beta=beta)
        vae.metadata = {"dataset": "mnist", "beta": beta}
        save_checkpoint(vae, folder / f"vae-z2-beta{beta:g}.pt", half=True)
    return folder


@pytest.fixture(scope="session")
def tiny_replay(tmp_path_factory, test_digits, tiny_judge):
    """A replay file recorded from two 6-epoch trainings of tiny models (20 steps an epoch: 9 frames)."""
    images, labels = test_digits
    config = TrainConfig(latent_dim=2, hidden=(32, 16), epochs=6, batch_size=50, kl_warmup_epochs=1)
    arrays = record(config, images[:1000], images[8000:], labels[8000:], tiny_judge, log=lambda *_: None)
    path = tmp_path_factory.mktemp("replay") / "replay.npz"
    meta = {"dataset": "mnist", "training": {**asdict(config), "hidden": list(config.hidden)}, "steps_per_epoch": 20}
    save_replay(arrays, meta, path)
    return path


@pytest.fixture(scope="session")
def why_checkpoints(tmp_path_factory, tiny_checkpoints, test_digits, tiny_replay):
    """tiny_checkpoints plus what the "Why it works" tab reads: a tiny β family and a tiny replay."""
    root = tmp_path_factory.mktemp("why") / "checkpoints"
    shutil.copytree(tiny_checkpoints, root)
    save_tiny_family(root / "mnist" / "beta", test_digits[0])
    shutil.copy(tiny_replay, root / "mnist" / "replay.npz")
    return root
