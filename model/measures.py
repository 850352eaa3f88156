"""The measurements the app's claims rest on, computed on the shipped models (never hard-coded).

Each answers one question a student can ask of a picture:
- where do random draws land relative to the real codes? (nearest-code distance; the
  neighbour test, which needs no 2-D projection and so also works at 16-D)
- where in a 2-D map does a decoder make digits? (a verdict grid)
- do the AE and the VAE interpolate differently? (the average over many random pairs)
- does a small nudge keep the digit? (nudge stability)
"""

from dataclasses import dataclass

import numpy as np
import torch

from model.judge import classify
from model.latent import lerp
from model.networks import decode_batched

NEIGHBOURS = 10


def typical_spacing(codes, sample=3000, seed=0):
    """Median distance from a code to its nearest other code: the unit the distances below use."""
    codes = torch.as_tensor(np.asarray(codes), dtype=torch.float32)
    chosen = torch.randperm(len(codes), generator=torch.Generator().manual_seed(seed))[:sample]
    d = torch.cdist(codes[chosen], codes)
    d[torch.arange(len(chosen)), chosen] = float("inf")
    return float(d.min(dim=1).values.median())


def nearest_code_distance(points, codes, spacing=None):
    """Each point's distance to its nearest real code, in units of the typical spacing between
    neighbouring codes (1 = as far as codes usually are from each other)."""
    codes = torch.as_tensor(np.asarray(codes), dtype=torch.float32)
    points = torch.as_tensor(np.asarray(points), dtype=torch.float32).reshape(-1, codes.shape[1])
    spacing = typical_spacing(codes) if spacing is None else spacing
    return (torch.cdist(points, codes).min(dim=1).values / spacing).numpy()


def neighbour_share(draws, codes, k=NEIGHBOURS, seed=0):
    """Mix the draws with as many real codes; per draw, the share of its k nearest neighbours
    that are real codes. About 0.5 when the draws come from where the codes live; near 0 when
    the draws sit in a region of their own (a k-NN two-sample test, Schilling 1986)."""
    draws = torch.as_tensor(np.asarray(draws), dtype=torch.float32)
    codes = torch.as_tensor(np.asarray(codes), dtype=torch.float32)
    chosen = torch.randperm(len(codes), generator=torch.Generator().manual_seed(seed))[:len(draws)]
    pool = torch.cat([draws, codes[chosen]])
    is_code = torch.cat([torch.zeros(len(draws)), torch.ones(len(chosen))])
    d = torch.cdist(draws, pool)
    d[torch.arange(len(draws)), torch.arange(len(draws))] = float("inf")  # a draw is not its own neighbour
    k = min(k, len(pool) - 1)
    nearest = d.topk(k, largest=False).indices
    return is_code[nearest].mean(dim=1).numpy()


@dataclass(frozen=True)
class VerdictGrid:
    """The judge's call for the decoded image at each cell centre of a 2-D map region."""

    x_range: tuple
    y_range: tuple
    labels: np.ndarray  # [n, n] most likely class; row 0 is the top of the map (largest y)
    calls: np.ndarray  # [n, n] "clear" / "unsure" / "none"

    def share(self, call="clear"):
        return float((self.calls == call).mean())


def verdict_grid(net, judge, x_range, y_range, n, to_latent=None):
    """Decode an n×n grid of map points (to_latent maps them to z: a projection's inverse) and judge each."""
    xs = np.linspace(*x_range, n)
    ys = np.linspace(*y_range, n)[::-1]
    points = np.array([[x, y] for y in ys for x in xs])
    z = points if to_latent is None else to_latent(points)
    images = decode_batched(net, torch.as_tensor(z, dtype=torch.float32))
    labels, _, calls = classify(judge, images)
    return VerdictGrid(tuple(map(float, x_range)), tuple(map(float, y_range)), labels.reshape(n, n), calls.reshape(n, n))


def interpolation_clear_share(net, judge, codes, labels, pairs=200, steps=10, seed=0):
    """Average share of clear images along straight paths between random pairs of real codes
    of different classes (the endpoints themselves excluded)."""
    rng = np.random.default_rng(seed)
    codes = torch.as_tensor(np.asarray(codes), dtype=torch.float32)
    labels = np.asarray(labels)
    shares = []
    while len(shares) < pairs:
        a, b = rng.integers(0, len(codes), size=2)
        if labels[a] == labels[b]:
            continue
        path = lerp(codes[a], codes[b], steps)[1:-1]
        _, _, calls = classify(judge, decode_batched(net, path))
        shares.append(float((calls == "clear").mean()))
    return float(np.mean(shares))


def nudge_keeps_class(net, judge, codes, radius, n=500, seed=0):
    """Share of real codes that still decode to the same class after a random nudge of the given length."""
    generator = torch.Generator().manual_seed(seed)
    codes = torch.as_tensor(np.asarray(codes), dtype=torch.float32)
    chosen = torch.randperm(len(codes), generator=generator)[:n]
    direction = torch.randn(len(chosen), codes.shape[1], generator=generator)
    nudged = codes[chosen] + radius * direction / direction.norm(dim=1, keepdim=True)
    before, _, _ = classify(judge, decode_batched(net, codes[chosen]))
    after, _, _ = classify(judge, decode_batched(net, nudged))
    return float((before == after).mean())
