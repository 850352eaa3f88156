"""Everything the app needs for one latent size, loaded once: the VAE and the AE of that size,
the judge, the shipped test digits, their codes and the 2-D views of those codes.

Pure PyTorch/numpy; the app wraps `load_lab` in st.cache_resource so a server loads each
size once. Nothing here is mutated after loading, so concurrent sessions can share it.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from model.checkpoint import CheckpointError, load_model
from model.data import load_test_digits
from model.evaluate import codes_of
from model.judge import Verdict, classify, score
from model.latent import Projection, dims_by_usage, fit_gaussian, fit_projection, kl_per_dim

SHIPPED_CHECKPOINTS = Path(__file__).resolve().parent.parent / "checkpoints"


def checkpoint_dir():
    """The shipped folder, or LATENT_LAB_CHECKPOINTS (another set of models; tests use broken ones)."""
    return Path(os.environ.get("LATENT_LAB_CHECKPOINTS") or SHIPPED_CHECKPOINTS)


@dataclass(frozen=True)
class Space:
    """One model's view of the test digits: codes, their 2-D projection, a Gaussian fit."""

    codes: np.ndarray  # [N, d]
    projection: Projection
    points: np.ndarray  # [N, 2]
    gaussian: tuple  # (mean [d], cov [d, d]) of the training codes (or test codes if not stored)


@dataclass(frozen=True)
class Lab:
    latent_dim: int
    vae: torch.nn.Module
    ae: torch.nn.Module
    judge: torch.nn.Module
    images: torch.Tensor  # [N, 1, 28, 28] in [0, 1]
    labels: np.ndarray  # [N]
    spaces: dict  # "vae" / "ae" -> Space
    kl_per_dim: np.ndarray  # [d], VAE's mean KL to the prior per dimension
    slider_order: list  # latent dimensions by usage, most used first

    def net(self, kind):
        return self.vae if kind == "vae" else self.ae

    def decode(self, kind, z):
        """[N, d] (anything array-like) -> [N, 1, 28, 28] float tensor in [0, 1]."""
        z = torch.as_tensor(np.asarray(z, dtype=np.float32)).reshape(-1, self.latent_dim)
        with torch.inference_mode():
            return self.net(kind).decode(z)

    def code(self, kind, index):
        """Test digit index's code (VAE: posterior mean), as computed once at load: [d] float tensor."""
        return torch.from_numpy(self.spaces[kind].codes[index]).float()

    def reconstruct(self, kind, index):
        return self.decode(kind, self.code(kind, index))

    def judge_images(self, images) -> Verdict:
        return score(self.judge, images)

    def classify(self, image):
        """(predicted digit, its probability) for one image."""
        digit, confidence, _ = classify(self.judge, image.reshape(1, 1, 28, 28))
        return int(digit[0]), float(confidence[0])


def _space(net, images):
    codes = codes_of(net, images).double().numpy()
    projection = fit_projection(codes)
    stored = net.metadata.get("train_codes")
    if isinstance(stored, dict) and len(stored.get("mean", [])) == net.latent_dim:
        gaussian = (np.asarray(stored["mean"], dtype=np.float64), np.asarray(stored["cov"], dtype=np.float64))
    else:
        gaussian = fit_gaussian(codes)
    return Space(codes, projection, projection.forward(codes), gaussian)


def load_lab(latent_dim, folder=None):
    """Load the pair of models of one latent size; raises CheckpointError naming a bad file."""
    folder = Path(folder or checkpoint_dir())
    vae = load_model(folder / f"vae-z{latent_dim}.pt", kind="vae")
    ae = load_model(folder / f"ae-z{latent_dim}.pt", kind="ae")
    judge = load_model(folder / "judge.pt", kind="judge")
    for net in (vae, ae):
        if net.latent_dim != latent_dim:
            raise CheckpointError(net.source, f"latent_dim is {net.latent_dim}, but the file name promises {latent_dim}")
    images, labels = load_test_digits(folder / "mnist-test.npz")
    with torch.inference_mode():
        kl = kl_per_dim(vae, images)
    return Lab(
        latent_dim=latent_dim, vae=vae, ae=ae, judge=judge, images=images, labels=labels.numpy(),
        spaces={"vae": _space(vae, images), "ae": _space(ae, images)},
        kl_per_dim=kl, slider_order=dims_by_usage(kl),
    )
