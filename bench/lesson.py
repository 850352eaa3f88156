"""The numbers each lesson step shows, at both latent sizes, over many seeds: what a class will
see, and why each step picks the size it does. Writes bench/results/lesson.json.

    python bench/lesson.py [--seeds 20]

The app computes these live (ui/tabs/lesson/demos.py, the same functions); nothing here is
copied into it.
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from model.lab import load_lab  # noqa: E402
from model.latent import prior_samples  # noqa: E402
from ui.tabs.lesson import demos  # noqa: E402

OUT = Path(__file__).resolve().parent / "results" / "lesson.json"


def spread(values):
    values = np.asarray(values, dtype=np.float64)
    return {"seed0": float(values[0]), "mean": float(values.mean()), "min": float(values.min()),
            "max": float(values.max())}


def per_seed(lab, seed):
    holes = demos.random_codes(lab, seed)
    cloud = demos.cloud(lab, lab.images[demos.LESSON_DIGIT : demos.LESSON_DIGIT + 1], seed)
    walk = demos.walk(lab, seed)
    nudged = demos.nudges(lab, seed)
    vae_samples = lab.decode("vae", prior_samples(demos.SAMPLES, lab.latent_dim, seed))
    _, vae_calls = demos.judged(lab, vae_samples)
    return {
        "step2_ae_clear_of_36": holes.clear, "step2_ae_kinds": len(holes.kinds),
        "step2_neighbours_of_10": holes.neighbours, "step2_ae_codes_within_reach": holes.codes_within,
        "step3_same_digit_of_12": cloud.agree,
        # how different the 12 decoded cloud samples look: mean per-pixel standard deviation
        "step3_sample_pixel_spread": float(cloud.images.std(dim=0).mean()),
        "step4_stand_in_vae_clear_of_36": int((vae_calls == "clear").sum()),
        "step5_nudges_same_of_10": nudged.same,
        "step5_walk_vae_clear_of_12": walk.clear("vae"), "step5_walk_ae_clear_of_12": walk.clear("ae"),
    }


def measure(dim, seeds):
    lab = load_lab(dim)
    rows = [per_seed(lab, seed) for seed in range(seeds)]
    result = {key: spread([row[key] for row in rows]) for key in rows[0]}
    cloud = demos.cloud(lab, lab.images[demos.LESSON_DIGIT : demos.LESSON_DIGIT + 1], 0)
    result["step3_cloud_spread_min_max"] = [float(cloud.sigma.min()), float(cloud.sigma.max())]
    result["step5_nudge_keeps_digit"] = demos.nudge_comparison(lab)
    for kind in ("ae", "vae"):
        grid = demos.pools(lab, kind)
        result[f"step6_{kind}_grid"] = {"clear_share": grid.clear_share, "kinds": grid.kinds,
                                        "commonest": grid.commonest, "x_range": grid.x_range}
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    args = parser.parse_args()
    torch.set_num_threads(1)
    report = {"seeds": args.seeds, "sizes": {str(dim): measure(dim, args.seeds) for dim in (2, 16)}}
    OUT.write_text(json.dumps(report, indent=1))
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
