"""Calibrate a data set's judge so "96 % sure" means what it says.

    python -m model.calibrate --dataset mnist      # rewrites checkpoints/mnist/judge.pt's metadata

The judge trained on every training image, so it is calibrated on the shipped test images:
the first half fits (a temperature for its probabilities; the feature distance beyond which it
says "unsure"), the second half measures (expected calibration error, a reliability table, how
many real images it calls unsure). Weights are unchanged; the numbers go in the metadata.
"""

import argparse
import json

import numpy as np
import torch
from torch.nn import functional as F

from model.checkpoint import load_model, save_checkpoint
from model.data import DATASETS, DEFAULT_DATASET, checkpoint_dir, load_test_images
from model.judge import NOT_A_DIGIT, feature_distance, judge_logits

RELIABILITY_BINS = 10
# Images whose features are farther from the real test images' than this share of real ones
# are called "unsure": 1 % of real images, so a clear verdict is rarely withheld from a real one.
REAL_IMAGES_KEPT = 0.99


def expected_calibration_error(probs, labels, bins=RELIABILITY_BINS):
    """ECE: the gap between confidence and accuracy, averaged over equal-width confidence bins
    weighted by how many images fall in each (Guo et al. 2017)."""
    return sum(row["share"] * abs(row["accuracy"] - row["confidence"]) for row in reliability_table(probs, labels, bins))


def reliability_table(probs, labels, bins=RELIABILITY_BINS):
    """Per confidence bin with images in it: its range, share of images, accuracy and mean confidence."""
    probs, labels = np.asarray(probs), np.asarray(labels)
    confidence, correct = probs.max(axis=1), probs.argmax(axis=1) == labels
    edges = np.linspace(0.0, 1.0, bins + 1)
    rows = []
    for low, high in zip(edges[:-1], edges[1:]):
        inside = (confidence > low) & (confidence <= high) if low > 0 else confidence <= high
        if inside.any():
            rows.append({"low": float(low), "high": float(high), "share": float(inside.mean()),
                         "accuracy": float(correct[inside].mean()), "confidence": float(confidence[inside].mean())})
    return rows


def fit_temperature(logits, labels):
    """The temperature T minimising the negative log-likelihood of softmax(logits / T)."""
    logits, labels = torch.as_tensor(logits, dtype=torch.float64), torch.as_tensor(labels)
    candidates = np.exp(np.linspace(np.log(0.25), np.log(8.0), 400))
    losses = [F.cross_entropy(logits / t, labels).item() for t in candidates]
    return float(candidates[int(np.argmin(losses))])


def calibrate(judge, images, labels):
    """Fit on the first half, measure on the second; returns the metadata record."""
    logits, feats = judge_logits(judge, images)
    labels = np.asarray(labels)
    half = len(labels) // 2
    fit, held = slice(0, half), slice(half, None)
    temperature = fit_temperature(logits[fit], labels[fit])
    distance = feature_distance(judge, feats)
    unsure_distance = float(np.quantile(distance[fit], REAL_IMAGES_KEPT))

    def probs(t):
        return F.softmax(logits[held] / t, dim=1).numpy()

    return {
        "temperature": temperature,
        "unsure_distance": unsure_distance,
        "fitted_on": f"test images 0-{half - 1}",
        "measured_on": f"test images {half}-{len(labels) - 1}",
        "ece_before": expected_calibration_error(probs(1.0), labels[held]),
        "ece_after": expected_calibration_error(probs(temperature), labels[held]),
        "reliability_after": reliability_table(probs(temperature), labels[held]),
        "held_out_called_unsure": float((distance[held] > unsure_distance).mean()),
        "held_out_accuracy": float((probs(temperature)[:, :NOT_A_DIGIT].argmax(1) == labels[held]).mean()),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description="Calibrate a data set's judge (metadata only).")
    parser.add_argument("--dataset", choices=sorted(DATASETS), default=DEFAULT_DATASET)
    parser.add_argument("--judge", default=None, help="default: checkpoints/DATASET/judge.pt")
    args = parser.parse_args(argv)
    path = args.judge or checkpoint_dir(args.dataset) / "judge.pt"
    judge = load_model(path, kind="judge")
    judge.metadata.pop("calibration", None)
    images, labels = load_test_images(args.dataset)
    record = calibrate(judge, images, labels)
    judge.metadata["calibration"] = record
    save_checkpoint(judge, path)
    print(json.dumps({k: v for k, v in record.items() if k != "reliability_after"}, indent=2))
    for row in record["reliability_after"]:
        print(f"  confidence {row['low']:.1f}-{row['high']:.1f}: {row['share'] * 100:5.1f} % of images, "
              f"accuracy {row['accuracy'] * 100:5.1f} %, mean confidence {row['confidence'] * 100:5.1f} %")


if __name__ == "__main__":
    main()
