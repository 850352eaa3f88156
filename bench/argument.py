"""The numbers behind the app's argument, measured on the shipped models with the calibrated judge.

    python bench/argument.py [--dataset mnist]      # prints a table, writes bench/results/argument-DATASET.json

What it answers, per latent size, for the AE and the VAE:
- 10,000 samples from N(0, I) (and, for the AE, from a Gaussian fitted to its codes): clear share,
  Fréchet distance to real images, variety (IS), how many classes appear;
- where those draws land: median distance to the nearest real code (in typical code spacings) and
  the neighbour test (share of a draw's 10 nearest neighbours that are real codes; 0.5 = same place);
- does a nudge of twice the typical spacing keep the class; do random cross-class interpolations
  stay clear; in 2-D, does the decoder make clear images across the codes' bounding box.
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model.data import DATASETS  # noqa: E402
from model.judge import score  # noqa: E402
from model.lab import load_lab  # noqa: E402
from model.latent import gaussian_samples, prior_samples  # noqa: E402
from model.measures import (interpolation_clear_share, nearest_code_distance, neighbour_share,  # noqa: E402
                            nudge_keeps_class, typical_spacing, verdict_grid)
from model.networks import decode_batched  # noqa: E402

SAMPLES = 10_000
GEOMETRY_DRAWS = 2_000


def sample_row(lab, kind, z):
    v = score(lab.judge, decode_batched(lab.net(kind), z))
    return {"clear_share": v.confident_share, "frechet": v.frechet, "inception_score": v.inception_score,
            "classes_seen": int(sum(1 for c in v.histogram if c >= 0.01 * v.n)), "none_share": v.not_digits / v.n}


def where_draws_land(codes, z, spacing):
    return {"nearest_code_median": float(np.median(nearest_code_distance(z, codes, spacing))),
            "neighbour_share": float(neighbour_share(z, codes).mean())}


def grid_row(lab, kind, spacing, n=60):
    """2-D only: the decoder over an n×n grid of its codes' bounding box, and the cells far from every code."""
    codes = lab.spaces[kind].codes
    low, high = codes.min(axis=0), codes.max(axis=0)
    grid = verdict_grid(lab.net(kind), lab.judge, (low[0], high[0]), (low[1], high[1]), n)
    xs, ys = np.linspace(low[0], high[0], n), np.linspace(low[1], high[1], n)[::-1]
    cells = np.array([[x, y] for y in ys for x in xs])
    far = nearest_code_distance(cells, codes, spacing) > 2
    prior_cells = ((np.abs(cells) <= 2).all(axis=1)).sum()
    clear = (grid.calls == "clear").reshape(-1)
    return {"clear_share": float(clear.mean()), "far_clear_share": float(clear[far].mean()) if far.any() else None,
            "far_cells": int(far.sum()), "cells": n * n, "cells_inside_prior_2sd_box": int(prior_cells)}


def measure(lab):
    eps = prior_samples(SAMPLES, lab.latent_dim, seed=0)
    out = {}
    for kind in ("ae", "vae"):
        space = lab.spaces[kind]
        codes = space.codes
        spacing = typical_spacing(codes)
        row = {"typical_spacing": spacing, "prior": sample_row(lab, kind, eps),
               "prior_lands": where_draws_land(codes, eps[:GEOMETRY_DRAWS], spacing),
               "nudge_2_spacings_same_class": nudge_keeps_class(lab.net(kind), lab.judge, codes, 2 * spacing),
               "interpolation_clear_share": interpolation_clear_share(lab.net(kind), lab.judge, codes, lab.labels)}
        if kind == "ae":
            fitted = gaussian_samples(eps, *space.gaussian)
            row["fitted"] = sample_row(lab, kind, fitted)
            row["fitted_lands"] = where_draws_land(codes, fitted[:GEOMETRY_DRAWS], spacing)
        if lab.latent_dim == 2:
            row["grid"] = grid_row(lab, kind, spacing)
        out[kind] = row
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=sorted(DATASETS), default="mnist")
    parser.add_argument("--out", default=None)
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    started = time.time()
    report = {"dataset": args.dataset, "samples": SAMPLES, "sizes": {}}
    for dim in (2, 16):
        report["sizes"][str(dim)] = measure(load_lab(dim, args.dataset))
        for kind, row in report["sizes"][str(dim)].items():
            p, lands = row["prior"], row["prior_lands"]
            print(f"{dim:>2}-D {kind:<3} N(0,I): clear {p['clear_share'] * 100:5.1f} %  Fréchet {p['frechet']:7.1f}  "
                  f"IS {p['inception_score']:.2f}  classes {p['classes_seen']}  nearest code {lands['nearest_code_median']:.2f}  "
                  f"neighbours that are codes {lands['neighbour_share']:.2f}  nudge {row['nudge_2_spacings_same_class'] * 100:.0f} %  "
                  f"interpolation {row['interpolation_clear_share'] * 100:.0f} %"
                  + (f"  grid {row['grid']['clear_share'] * 100:.0f} % / far {row['grid']['far_clear_share'] * 100:.0f} %"
                     if "grid" in row and row["grid"]["far_clear_share"] is not None else ""))
            if "fitted" in row:
                f, fl = row["fitted"], row["fitted_lands"]
                print(f"       fitted : clear {f['clear_share'] * 100:5.1f} %  Fréchet {f['frechet']:7.1f}  IS "
                      f"{f['inception_score']:.2f}  classes {f['classes_seen']}  nearest code {fl['nearest_code_median']:.2f}  "
                      f"neighbours that are codes {fl['neighbour_share']:.2f}")
    report["seconds"] = round(time.time() - started, 1)
    out = Path(args.out or ROOT / "bench" / "results" / f"argument-{args.dataset}.json")
    out.write_text(json.dumps(report, indent=2))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
