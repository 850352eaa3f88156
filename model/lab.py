"""Everything the app needs for one (data set, latent size), loaded once: the VAE and the AE of
that size, the data set's judge, its shipped test images, their codes and 2-D views of them.

Pure PyTorch/numpy; the app wraps `load_lab` in st.cache_resource so a server loads each
size once. Nothing here is mutated after loading, so concurrent sessions can share it.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from model.checkpoint import CheckpointError, load_model
from model.data import DEFAULT_DATASET, TEST_PACK, checkpoint_dir, dataset_info, load_test_images
from model.judge import Verdict, classify, score
from model.latent import Projection, dims_by_usage, fit_gaussian, fit_projection, kl_per_dim
from model.networks import codes_of

KINDS = ("ae", "vae")


@dataclass(frozen=True)
class Reading:
    label: int  # most likely class
    confidence: float  # its calibrated probability
    call: str  # "clear", "unsure" or "none" (none of the classes)


@dataclass(frozen=True)
class Space:
    """One model's view of the test digits: codes, their 2-D projection, a Gaussian fit."""

    codes: np.ndarray  # [N, d]
    projection: Projection
    points: np.ndarray  # [N, 2]
    gaussian: tuple  # (mean [d], cov [d, d]) of the training codes (or test codes if not stored)


@dataclass(frozen=True)
class Lab:
    dataset: str  # a key of model.data.DATASETS
    latent_dim: int
    vae: torch.nn.Module
    ae: torch.nn.Module
    judge: torch.nn.Module
    images: torch.Tensor  # [N, 1, 28, 28] in [0, 1]
    labels: np.ndarray  # [N]
    spaces: dict  # "vae" / "ae" -> Space
    kl_per_dim: np.ndarray  # [d], VAE's mean KL to the prior per dimension
    slider_order: list  # latent dimensions by usage, most used first

    @property
    def info(self):
        """The data set's names: what one image is called, the class names."""
        return dataset_info(self.dataset)

    def net(self, kind):
        if kind not in KINDS:
            raise ValueError(f"unknown model kind {kind!r}; expected one of {KINDS}")
        return self.vae if kind == "vae" else self.ae

    def decode(self, kind, z):
        """[N, d] (anything array-like) -> [N, 1, 28, 28] float tensor in [0, 1]."""
        z = torch.as_tensor(np.asarray(z, dtype=np.float32)).reshape(-1, self.latent_dim)
        with torch.inference_mode():
            return self.net(kind).decode(z)

    def code(self, kind, index):
        """Test image index's code (VAE: posterior mean), as computed once at load: [d] float tensor."""
        return torch.from_numpy(self.spaces[kind].codes[index]).float()

    def reconstruct(self, kind, index):
        return self.decode(kind, self.code(kind, index))

    def judge_images(self, images) -> Verdict:
        return score(self.judge, images)

    def classify(self, image):
        """(predicted class, its probability) for one image."""
        reading = self.read(image)
        return reading.label, reading.confidence

    def read(self, image):
        """The judge's reading of one image: class, probability and its plain call."""
        return self.readings(image)[0]

    def readings(self, images):
        """The judge's reading of each image ([N, 1, 28, 28], or one [28, 28]), in one pass."""
        label, confidence, call = classify(self.judge, images.reshape(-1, 1, 28, 28))
        return [Reading(int(lab), float(conf), str(c)) for lab, conf, c in zip(label, confidence, call)]


def _space(net, images):
    codes = codes_of(net, images).double().numpy()
    projection = fit_projection(codes)
    stored = net.metadata.get("train_codes")
    if isinstance(stored, dict) and len(stored.get("mean", [])) == net.latent_dim:
        gaussian = (np.asarray(stored["mean"], dtype=np.float64), np.asarray(stored["cov"], dtype=np.float64))
    else:
        gaussian = fit_gaussian(codes)
    return Space(codes, projection, projection.forward(codes), gaussian)


def load_lab(latent_dim, dataset=DEFAULT_DATASET, folder=None):
    """Load the pair of models of one data set and latent size; raises CheckpointError naming a bad file.

    folder: the data set's folder (default checkpoints/DATASET).
    """
    folder = Path(folder) if folder is not None else checkpoint_dir(dataset)
    vae = load_model(folder / f"vae-z{latent_dim}.pt", kind="vae")
    ae = load_model(folder / f"ae-z{latent_dim}.pt", kind="ae")
    judge = load_model(folder / "judge.pt", kind="judge")
    for net in (vae, ae):
        if net.latent_dim != latent_dim:
            raise CheckpointError(net.source, f"latent_dim is {net.latent_dim}, but the file name promises {latent_dim}")
    for net in (vae, ae, judge):
        trained_on = net.metadata.get("dataset", dataset)
        if trained_on != dataset:
            raise CheckpointError(net.source, f"it was trained on {trained_on!r}, but it sits in the {dataset!r} folder")
    images, labels = load_test_images(dataset, folder / TEST_PACK)
    with torch.inference_mode():
        kl = kl_per_dim(vae, images)
    return Lab(
        dataset=dataset, latent_dim=latent_dim, vae=vae, ae=ae, judge=judge, images=images, labels=labels.numpy(),
        spaces={"vae": _space(vae, images), "ae": _space(ae, images)},
        kl_per_dim=kl, slider_order=dims_by_usage(kl),
    )
