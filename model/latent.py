"""Pure functions over latent codes: projections, grids, paths, Gaussians, slider order.

Everything here is plain numpy/torch with no UI, so the app's geometry is unit-tested.
"""

import math
from dataclasses import dataclass

import numpy as np
import torch

from model.networks import gaussian_kl


@dataclass(frozen=True)
class Projection:
    """A 2-D view of a d-D latent space: identity for d = 2, else PCA of the codes.

    `inverse` maps a plane point back to the latent point on the PCA plane through the
    codes' mean, so a click on the map is a real z the decoder can use.
    """

    mean: np.ndarray  # [d]
    components: np.ndarray  # [2, d], orthonormal rows
    explained: tuple  # share of code variance along each axis
    axis_titles: tuple

    def forward(self, z):
        return (np.asarray(z, dtype=np.float64) - self.mean) @ self.components.T

    def inverse(self, points):
        return self.mean + np.asarray(points, dtype=np.float64) @ self.components

    def covariance(self, variances):
        """A Gaussian with these per-dimension variances [d], seen on the plane: its 2×2 covariance
        (a linear map of a Gaussian is Gaussian: exactly its shadow, not an approximation)."""
        return (self.components * np.asarray(variances, dtype=np.float64)) @ self.components.T


def fit_projection(codes):
    codes = np.asarray(codes, dtype=np.float64)
    d = codes.shape[1]
    if d == 2:
        return Projection(np.zeros(2), np.eye(2), (1.0, 1.0), ("z₁", "z₂"))
    mean = codes.mean(axis=0)
    _, s, vt = np.linalg.svd(codes - mean, full_matrices=False)
    var = s**2
    explained = tuple(float(v / var.sum()) for v in var[:2])
    # Fix the sign so the same codes always give the same picture.
    comps = vt[:2]
    comps = comps * np.sign(comps[np.arange(2), np.argmax(np.abs(comps), axis=1)])[:, None]
    titles = tuple(f"PC{i + 1} of the {d}-D posterior means ({explained[i]:.0%} of variance)" for i in range(2))
    return Projection(mean, comps, explained, titles)


def ellipse_points(center, cov, radius, n=64):
    """n points [n, 2] on the ellipse {x : (x - center)ᵀ cov⁻¹ (x - center) = radius²}: a 2-D
    Gaussian's radius-σ contour (radius 1 and 2: its 1σ and 2σ ellipses)."""
    values, vectors = np.linalg.eigh(np.asarray(cov, dtype=np.float64))
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    circle = np.stack([np.cos(t), np.sin(t)], axis=1)
    return np.asarray(center, dtype=np.float64) + radius * (circle * np.sqrt(np.clip(values, 0, None))) @ vectors.T


def normal_ppf(q):
    """Inverse CDF of N(0, 1)."""
    return math.sqrt(2.0) * torch.erfinv(2 * torch.as_tensor(q, dtype=torch.float64) - 1).numpy()


def grid_axis(kind, values, n, center=0.0):
    """n grid positions along one map axis.

    VAE: equal-probability spacing under the prior (inverse normal CDF), so every cell
    holds the same prior mass. AE: there is no prior, so evenly between the codes' 1st
    and 99th percentiles.
    """
    if kind == "vae":
        q = np.linspace(0.5 / n, 1 - 0.5 / n, n)
        return center + normal_ppf(q)
    lo, hi = np.percentile(np.asarray(values, dtype=np.float64), [1, 99])
    return np.linspace(lo, hi, n)


def manifold_grid(kind, projected_codes, n, projection):
    """(latent points [n*n, d] in row-major order top row first, xs [n], ys [n])."""
    center = projection.forward(np.zeros_like(projection.mean))
    xs = grid_axis(kind, projected_codes[:, 0], n, center[0])
    ys = grid_axis(kind, projected_codes[:, 1], n, center[1])
    px, py = np.meshgrid(xs, ys[::-1])  # top row = largest y, as on the map
    plane = np.stack([px.ravel(), py.ravel()], axis=1)
    return projection.inverse(plane), xs, ys


def map_view(points, limit=None, pad=0.08):
    """The latent map's axis ranges ((x0, x1), (y0, y1)): they hold 99.8 % of the points, padded.

    limit: clip to ±limit (the sliders' range), so every clickable point is one the sliders can show.
    """
    lo = np.percentile(points, 0.1, axis=0)
    hi = np.percentile(points, 99.9, axis=0)
    span = hi - lo
    ranges = [(lo[i] - pad * span[i], hi[i] + pad * span[i]) for i in (0, 1)]
    if limit is not None:
        ranges = [(max(a, -limit), min(b, limit)) for a, b in ranges]
    return tuple((float(a), float(b)) for a, b in ranges)


def dims_by_usage(kl_per_dim):
    """Latent dimensions ordered from most to least used (KL to the prior, descending)."""
    return [int(i) for i in np.argsort(-np.asarray(kl_per_dim, dtype=np.float64), kind="stable")]


@torch.inference_mode()
def kl_per_dim(vae, images):
    mu, logvar = vae.posterior(images)
    return gaussian_kl(mu, logvar).mean(dim=0).double().numpy()


def fit_gaussian(codes):
    """Mean and covariance of codes (float64), for sampling an AE from where its codes are."""
    codes = np.asarray(codes, dtype=np.float64)
    return codes.mean(axis=0), np.atleast_2d(np.cov(codes, rowvar=False))


def prior_samples(n, latent_dim, seed):
    """n draws of z ~ N(0, I) from a seeded generator: the same seed gives the same draws."""
    generator = torch.Generator().manual_seed(int(seed))
    return torch.randn(n, latent_dim, generator=generator)


def gaussian_samples(standard_normal, mean, cov):
    """Map N(0, I) draws through a fitted Gaussian (z = mean + L eps): the same draws, reshaped."""
    chol = np.linalg.cholesky(np.asarray(cov, dtype=np.float64) + 1e-9 * np.eye(len(mean)))
    eps = standard_normal.double().numpy()
    return torch.from_numpy(np.asarray(mean) + eps @ chol.T).float()


def lerp(z0, z1, steps):
    t = torch.linspace(0, 1, steps).unsqueeze(1)
    return (1 - t) * z0 + t * z1


def slerp(z0, z1, steps):
    """Spherical interpolation: keeps the norm typical of prior draws along the path."""
    t = torch.linspace(0, 1, steps).unsqueeze(1)
    n0, n1 = z0.norm(), z1.norm()
    cos = torch.clamp(torch.dot(z0, z1) / (n0 * n1 + 1e-12), -1.0, 1.0)
    omega = torch.acos(cos)
    if omega.item() < 1e-6:
        return lerp(z0, z1, steps)
    return (torch.sin((1 - t) * omega) * z0 + torch.sin(t * omega) * z1) / torch.sin(omega)
