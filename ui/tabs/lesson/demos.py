"""The lesson's demonstrations as plain computations on one Lab (no Streamlit).

Each function returns everything its step shows: the images and the numbers its text quotes.
Text and picture therefore come from one computation, and a test can recompute it.
"""

from dataclasses import dataclass

import numpy as np
import torch

from model.judge import classify
from model.latent import manifold_grid, prior_samples
from model.measures import neighbour_share, nudge_keeps_class, typical_spacing
from model.networks import reparameterize

LESSON_DIGIT = 0  # the first test digit: a clear 7
SAMPLES = 36  # random codes in step 2 (a 6 × 6 sheet)
CLOUD_SAMPLES = 12  # decoded points from one digit's cloud
NUDGES = 10
NUDGE_SPREAD = 2.0  # a nudge is twice as wide as the digit's cloud
WALK_STEPS = 12
WALK_KEEP = 0.9  # a walk step keeps 90 % of where it is and adds √(1 − 0.9²) of fresh noise,
#                  so every point of the walk is itself a draw from the bell curve N(0, I)
POOL_GRID = 12  # cells per side of the decoder grids in step 6


def judged(lab, images):
    """(most likely digit, call) per image: the judge's plain reading."""
    labels, _, calls = classify(lab.judge, images)
    return np.asarray(labels), np.asarray(calls)


def clear_kinds(labels, calls):
    """The digits among the images the judge calls clear, each once, in order."""
    return sorted({int(d) for d, c in zip(labels, calls) if c == "clear"})


class Judged:
    """What the judge said of a demo's images: its `labels` and `calls` fields, counted."""

    @property
    def clear(self):
        return int((self.calls == "clear").sum())

    @property
    def clear_share(self):
        return float((self.calls == "clear").mean())

    @property
    def kinds(self):
        return clear_kinds(self.labels, self.calls)


# --- step 1: compress and reconstruct -------------------------------------------------------

@dataclass(frozen=True)
class Compression:
    image: torch.Tensor  # [1, 1, 28, 28]
    label: int
    codes: dict  # kind -> np.ndarray [d]  (the VAE's: the centre of its cloud)
    reconstructions: dict  # kind -> [1, 1, 28, 28]
    readings: dict  # kind -> model.lab.Reading of the reconstruction


def compression(lab, index=LESSON_DIGIT):
    codes = {kind: lab.code(kind, index) for kind in ("ae", "vae")}
    recons = {kind: lab.decode(kind, code) for kind, code in codes.items()}
    return Compression(lab.images[index : index + 1], int(lab.labels[index]),
                       {kind: code.numpy() for kind, code in codes.items()}, recons,
                       {kind: lab.read(image) for kind, image in recons.items()})


# --- step 2: random codes in the AE's space -------------------------------------------------

@dataclass(frozen=True)
class RandomCodes(Judged):
    z: torch.Tensor  # [n, d] the draw from N(0, I)
    images: torch.Tensor  # the AE's decoding of it
    labels: np.ndarray
    calls: np.ndarray
    neighbours: float  # of a draw's 10 nearest neighbours (draws and real codes mixed), how many are real codes
    draw_reach: float  # the farthest draw's distance from the centre
    codes_within: float  # share of the AE's real codes at most draw_reach from the centre
    code_band: tuple  # (1st, 99th) percentile of the AE's real codes' distances from the centre


def random_codes(lab, seed, n=SAMPLES):
    z = prior_samples(n, lab.latent_dim, seed)
    codes = lab.spaces["ae"].codes
    images = lab.decode("ae", z)
    labels, calls = judged(lab, images)
    code_distance = np.linalg.norm(codes, axis=1)
    reach = float(z.norm(dim=1).max())
    band = tuple(float(v) for v in np.percentile(code_distance, [1, 99]))
    return RandomCodes(z, images, labels, calls, float(neighbour_share(z, codes).mean()) * 10, reach,
                       float((code_distance <= reach).mean()), band)


# --- step 3: the VAE's encoder gives a cloud ------------------------------------------------

@dataclass(frozen=True)
class Cloud:
    image: torch.Tensor  # [1, 1, 28, 28] what was encoded
    mu: np.ndarray  # [d] the cloud's centre
    sigma: np.ndarray  # [d] its spread in each direction
    z: torch.Tensor  # [k, d] points drawn from the cloud
    images: torch.Tensor  # their decodings
    labels: np.ndarray
    calls: np.ndarray
    centre_label: int  # the judge's digit for the decoded centre

    @property
    def agree(self):
        """How many of the decoded samples the judge reads as the centre's digit."""
        return int((self.labels == self.centre_label).sum())


def cloud(lab, image, seed, k=CLOUD_SAMPLES):
    """image [1, 1, 28, 28] -> its cloud and k decoded samples (z = mu + sigma · eps, eps seeded)."""
    with torch.inference_mode():
        mu, logvar = lab.vae.posterior(image.reshape(1, 1, 28, 28).float())
        eps = prior_samples(k, lab.latent_dim, seed)
        z = reparameterize(mu.expand(k, -1), logvar.expand(k, -1), eps=eps)
    images = lab.decode("vae", z)
    labels, calls = judged(lab, images)
    centre, _ = judged(lab, lab.decode("vae", mu))
    return Cloud(image.reshape(1, 1, 28, 28), mu[0].double().numpy(), torch.exp(0.5 * logvar)[0].double().numpy(),
                 z, images, labels, calls, int(centre[0]))


# --- step 5: sample and perturb -------------------------------------------------------------

@dataclass(frozen=True)
class Nudges:
    centre: torch.Tensor  # [1, 1, 28, 28] the digit's decoded centre
    centre_label: int
    images: torch.Tensor  # [NUDGES, ...] decodings of nudged codes
    labels: np.ndarray

    @property
    def same(self):
        return int((self.labels == self.centre_label).sum())


def nudges(lab, seed, index=LESSON_DIGIT, n=NUDGES, spread=NUDGE_SPREAD):
    """Random moves from a digit's cloud centre: z = centre + spread · (its spread) · noise."""
    with torch.inference_mode():
        mu, logvar = lab.vae.posterior(lab.images[index : index + 1])
        z = mu + spread * torch.exp(0.5 * logvar) * prior_samples(n, lab.latent_dim, seed)
    centre = lab.decode("vae", mu)
    images = lab.decode("vae", z)
    return Nudges(centre, int(judged(lab, centre)[0][0]), images, judged(lab, images)[0])


def nudge_comparison(lab):
    """{kind: share of real codes that keep their digit after a nudge of twice the typical gap
    between neighbouring codes}: the AE and the VAE side by side (measured about equal)."""
    return {kind: nudge_keeps_class(lab.net(kind), lab.judge, lab.spaces[kind].codes,
                                    2 * typical_spacing(lab.spaces[kind].codes))
            for kind in ("ae", "vae")}


@dataclass(frozen=True)
class Walk:
    z: torch.Tensor  # [WALK_STEPS, d] the same points for both models
    images: dict  # kind -> decodings
    calls: dict  # kind -> judge's calls

    def clear(self, kind):
        return int((self.calls[kind] == "clear").sum())


def walk_points(start, steps, seed, keep=WALK_KEEP):
    """A random walk that stays inside the bell curve: z <- keep·z + √(1 − keep²)·noise."""
    generator = torch.Generator().manual_seed(int(seed))
    points = [start]
    for _ in range(steps - 1):
        points.append(keep * points[-1] + (1 - keep**2) ** 0.5 * torch.randn(start.shape, generator=generator))
    return torch.stack(points)


def walk(lab, seed, steps=WALK_STEPS):
    """One walk from a random start, decoded by both models (the same points, the same steps)."""
    z = walk_points(prior_samples(1, lab.latent_dim, seed)[0], steps, seed + 1)
    images = {kind: lab.decode(kind, z) for kind in ("ae", "vae")}
    return Walk(z, images, {kind: judged(lab, im)[1] for kind, im in images.items()})


# --- step 6: one continuous space -----------------------------------------------------------

@dataclass(frozen=True)
class Pools(Judged):
    kind: str
    images: torch.Tensor  # [n * n, ...] row-major, top row first
    labels: np.ndarray
    calls: np.ndarray
    x_range: tuple  # the grid's extent on the map (2-D: z₁, z₂; 16-D: the PCA plane)
    y_range: tuple

    @property
    def commonest(self):
        """(the digit with the most clear cells, the share of all cells it fills)."""
        counts = np.bincount(self.labels[self.calls == "clear"], minlength=10)
        return int(counts.argmax()), float(counts.max() / len(self.calls))


def pools(lab, kind, n=POOL_GRID):
    """The decoder over an n × n grid of its map: the AE's over its own codes' range, the VAE's over
    the bell curve (equal chance per cell)."""
    space = lab.spaces[kind]
    points, xs, ys = manifold_grid(kind, space.points, n, space.projection)
    images = lab.decode(kind, points)
    labels, calls = judged(lab, images)
    return Pools(kind, images, labels, calls, (float(xs[0]), float(xs[-1])), (float(ys[0]), float(ys[-1])))
