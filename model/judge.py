"""The judge: a small CNN that says how much a batch of images looks like the data set's classes.

The app prints its verdict under every sample panel; model.evaluate uses it for the
sample-quality rows of the model card. Trained by model.train_judge, calibrated by
model.calibrate: a temperature for its probabilities, and an "unsure" rule for images
unlike any real one (its features far from the real test images'), stored in its metadata.
"""

import functools
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

CONFIDENT = 0.9  # a "clear digit": top-class probability at least this (and not unlike every real image)
FEATURES = 128
NOT_A_DIGIT = 10  # an 11th class, trained on noise and scrambled digits: a plain 10-way CNN
#                   calls uniform noise a confident digit, which would make garbage look "clear"


class DigitJudge(nn.Module):
    kind = "judge"

    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.features = nn.Sequential(nn.Flatten(), nn.Linear(64 * 7 * 7, FEATURES), nn.ReLU())
        self.dropout = nn.Dropout(0.3)
        self.classify = nn.Linear(FEATURES, NOT_A_DIGIT + 1)
        # Feature statistics of the real MNIST test digits, for the Fréchet distance.
        self.register_buffer("ref_mean", torch.zeros(FEATURES, dtype=torch.float64))
        self.register_buffer("ref_cov", torch.eye(FEATURES, dtype=torch.float64))
        self.metadata = {}

    def forward(self, x):
        """Class logits and penultimate features."""
        feats = self.features(self.conv(x))
        return self.classify(self.dropout(feats)), feats


@dataclass
class Verdict:
    """How digit-like a batch is; every field is a plain number or list."""

    n: int
    confident_share: float  # share whose top class is a digit with probability >= CONFIDENT
    inception_score: float  # exp E[KL(p(y|x) || p(y))] over the 10 digits: 1 = no variety/clarity, 10 = ceiling
    histogram: list  # counts of images whose top class is each digit (not-a-digit images left out)
    not_digits: int  # images whose top class is "not a digit"
    frechet: float  # Fréchet distance to the real test digits in judge features
    predictions: list  # most likely digit per image (over the 10 digits)
    confidences: list  # that digit's probability per image
    calls: list  # per image: "clear", "unsure" or "none" (not a digit)


def calibration(judge):
    """{"temperature": T, "unsure_distance": D} from model.calibrate, or the uncalibrated defaults."""
    stored = judge.metadata.get("calibration", {}) if isinstance(getattr(judge, "metadata", None), dict) else {}
    return {"temperature": float(stored.get("temperature", 1.0)),
            "unsure_distance": float(stored.get("unsure_distance", np.inf))}


@torch.inference_mode()
def judge_logits(judge, images, batch_size=2000):
    """Raw class logits [N,11] and features [N,128] (float64), before any temperature."""
    logits, feats = [], []
    for chunk in images.split(batch_size):
        out, f = judge(chunk.float())
        logits.append(out.double())
        feats.append(f.double())
    return torch.cat(logits), torch.cat(feats).numpy()


def judge_outputs(judge, images, batch_size=2000):
    """Calibrated probabilities [N,11] (10 classes, then none-of-them) and features [N,128], float64."""
    logits, feats = judge_logits(judge, images, batch_size)
    return F.softmax(logits / calibration(judge)["temperature"], dim=1).numpy(), feats


def feature_distance(judge, feats):
    """How unlike the real test images each image is: Mahalanobis distance of its judge features
    to theirs (Lee et al. 2018's out-of-distribution score). Real images: median ~9 on MNIST."""
    cov = judge.ref_cov.numpy()
    precision = _precision(cov.tobytes(), len(cov))
    centred = feats - judge.ref_mean.numpy()
    return np.sqrt(np.clip(np.einsum("ij,jk,ik->i", centred, precision, centred), 0, None))


@functools.lru_cache(maxsize=4)
def _precision(cov_bytes, n):
    """The inverse of a reference covariance, once per reference (keyed by its bytes, so a new
    reference gets its own): inverting per call cost 1 ms alone and up to 100 ms on a loaded
    machine, where OpenBLAS's threads wait for each other."""
    cov = np.frombuffer(cov_bytes, dtype=np.float64).reshape(n, n)
    precision = np.linalg.inv(cov + 1e-6 * np.eye(n))
    precision.flags.writeable = False  # shared by every caller
    return precision


def inception_score(probs):
    marginal = probs.mean(axis=0, keepdims=True)
    kl = (probs * (np.log(probs + 1e-12) - np.log(marginal + 1e-12))).sum(axis=1)
    return float(np.exp(kl.mean()))


def frechet_distance(mean1, cov1, mean2, cov2):
    """||m1 - m2||^2 + tr(C1 + C2 - 2 (C1 C2)^1/2), via symmetric eigendecompositions."""
    w, v = np.linalg.eigh(cov1)
    sqrt1 = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    middle = np.linalg.eigvalsh(sqrt1 @ cov2 @ sqrt1)
    trace_sqrt = np.sqrt(np.clip(middle, 0, None)).sum()
    return float(((mean1 - mean2) ** 2).sum() + np.trace(cov1) + np.trace(cov2) - 2 * trace_sqrt)


def feature_stats(feats):
    cov = np.cov(feats, rowvar=False) if len(feats) > 1 else np.zeros((feats.shape[1],) * 2)
    return feats.mean(axis=0), cov


def digit_calls(probs):
    """(most likely digit, its probability, is-a-digit) per row of judge probabilities."""
    digits = probs[:, :NOT_A_DIGIT]
    return digits.argmax(axis=1), digits.max(axis=1), probs.argmax(axis=1) != NOT_A_DIGIT


def plain_calls(judge, probs, feats):
    """Per image "clear" (a class, p >= CONFIDENT, features like real images'), "none" (judged
    none of the classes) or "unsure" (everything between)."""
    _, confidence, is_digit = digit_calls(probs)
    like_real = feature_distance(judge, feats) <= calibration(judge)["unsure_distance"]
    clear = is_digit & (confidence >= CONFIDENT) & like_real
    return np.where(clear, "clear", np.where(is_digit, "unsure", "none"))


def classify(judge, images):
    """(most likely class, its probability, call) per image, without the batch statistics score computes."""
    probs, feats = judge_outputs(judge, images)
    predictions, confidences, _ = digit_calls(probs)
    return predictions, confidences, plain_calls(judge, probs, feats)


def score(judge, images):
    """The judge's verdict on a batch of images [N,1,28,28] in [0,1]."""
    probs, feats = judge_outputs(judge, images)
    predictions, confidences, is_digit = digit_calls(probs)
    calls = plain_calls(judge, probs, feats)
    digits = probs[:, :NOT_A_DIGIT]
    mean, cov = feature_stats(feats)
    return Verdict(
        n=len(images),
        confident_share=float((calls == "clear").mean()),
        inception_score=inception_score(digits / digits.sum(axis=1, keepdims=True)),
        histogram=np.bincount(predictions[is_digit], minlength=NOT_A_DIGIT).tolist(),
        not_digits=int((~is_digit).sum()),
        frechet=frechet_distance(mean, cov, judge.ref_mean.numpy(), judge.ref_cov.numpy()),
        predictions=predictions.tolist(),
        confidences=confidences.tolist(),
        calls=calls.tolist(),
    )


@torch.inference_mode()
def accuracy(judge, images, labels):
    probs, _ = judge_outputs(judge, images)
    return float((probs[:, :NOT_A_DIGIT].argmax(axis=1) == labels.numpy()).mean())


@torch.inference_mode()
def set_reference(judge, images):
    _, feats = judge_outputs(judge, images)
    mean, cov = feature_stats(feats)
    judge.ref_mean.copy_(torch.from_numpy(mean))
    judge.ref_cov.copy_(torch.from_numpy(cov))
