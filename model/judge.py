"""The digit judge: a small CNN that says how digit-like a batch of images is.

    python -m model.judge --data-dir ../shared/data --out checkpoints/judge.pt

The app prints its verdict under every sample panel; model.evaluate uses it for the
sample-quality rows of the model card.
"""

import argparse
import time
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

CONFIDENT = 0.9  # a "clear digit": top-class probability at least this
FEATURES = 128


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
        self.classify = nn.Linear(FEATURES, 10)
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
    confident_share: float  # share with top-class probability >= CONFIDENT
    inception_score: float  # exp E[KL(p(y|x) || p(y))]: 1 = no variety/clarity, 10 = ceiling
    histogram: list  # predicted-digit counts, index = digit
    frechet: float  # Fréchet distance to the real test digits in judge features
    predictions: list  # predicted digit per image
    confidences: list  # top-class probability per image


@torch.inference_mode()
def judge_outputs(judge, images, batch_size=2000):
    """Softmax probabilities [N,10] and features [N,128] as float64 numpy arrays."""
    probs, feats = [], []
    for chunk in images.split(batch_size):
        logits, f = judge(chunk.float())
        probs.append(F.softmax(logits, dim=1).double())
        feats.append(f.double())
    return torch.cat(probs).numpy(), torch.cat(feats).numpy()


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


def score(judge, images):
    """The judge's verdict on a batch of images [N,1,28,28] in [0,1]."""
    probs, feats = judge_outputs(judge, images)
    top = probs.max(axis=1)
    predictions = probs.argmax(axis=1)
    mean, cov = feature_stats(feats)
    return Verdict(
        n=len(images),
        confident_share=float((top >= CONFIDENT).mean()),
        inception_score=inception_score(probs),
        histogram=np.bincount(predictions, minlength=10).tolist(),
        frechet=frechet_distance(mean, cov, judge.ref_mean.numpy(), judge.ref_cov.numpy()),
        predictions=predictions.tolist(),
        confidences=top.tolist(),
    )


@torch.inference_mode()
def accuracy(judge, images, labels):
    probs, _ = judge_outputs(judge, images)
    return float((probs.argmax(axis=1) == labels.numpy()).mean())


def train_judge(train_images, train_labels, epochs=3, batch_size=128, lr=1e-3, seed=0, log=print):
    from model.data import batches

    torch.manual_seed(seed)
    judge = DigitJudge()
    opt = torch.optim.Adam(judge.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=lr * 3, total_steps=epochs * ((len(train_images) + batch_size - 1) // batch_size)
    )
    generator = torch.Generator().manual_seed(seed)
    for epoch in range(1, epochs + 1):
        judge.train()
        start, total = time.time(), 0.0
        for idx in batches(len(train_images), batch_size, generator):
            x = random_shift(train_images[idx], generator)
            loss = F.cross_entropy(judge(x)[0], train_labels[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
        log(f"epoch {epoch}: train loss {total / len(train_images):.4f} ({time.time() - start:.0f}s)")
    judge.eval()
    return judge


def random_shift(x, generator, max_shift=2):
    """Shift each image by up to 2 pixels: the judge must not care where a digit sits."""
    dx, dy = torch.randint(-max_shift, max_shift + 1, (2,), generator=generator).tolist()
    return torch.roll(x, shifts=(dy, dx), dims=(2, 3))


@torch.inference_mode()
def set_reference(judge, images):
    _, feats = judge_outputs(judge, images)
    mean, cov = feature_stats(feats)
    judge.ref_mean.copy_(torch.from_numpy(mean))
    judge.ref_cov.copy_(torch.from_numpy(cov))


def main(argv=None):
    from model.checkpoint import save_checkpoint
    from model.data import load_mnist

    parser = argparse.ArgumentParser(description="Train the digit judge (a small MNIST CNN).")
    parser.add_argument("--data-dir", default=None, help="folder holding MNIST/raw (omit to download)")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, default=None, help="train on the first N digits only (smoke tests)")
    parser.add_argument("--out", default="checkpoints/judge.pt")
    args = parser.parse_args(argv)

    torch.set_num_threads(max(1, torch.get_num_threads()))
    train_x, train_y, digest = load_mnist(args.data_dir, train=True)
    test_x, test_y, _ = load_mnist(args.data_dir, train=False)
    if args.limit:
        train_x, train_y = train_x[: args.limit], train_y[: args.limit]
    judge = train_judge(train_x, train_y, epochs=args.epochs, seed=args.seed)
    set_reference(judge, test_x)
    acc = accuracy(judge, test_x, test_y)
    print(f"judge test accuracy: {acc * 100:.2f}% on {len(test_x)} MNIST test digits")
    judge.metadata = {
        "architecture": "conv32-conv64-fc128-fc10",
        "training": {"epochs": args.epochs, "seed": args.seed, "train_images": len(train_x)},
        "data_sha256": digest,
        "metrics": {"test_accuracy": acc},
        "date": time.strftime("%Y-%m-%d"),
    }
    save_checkpoint(judge, args.out)
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
