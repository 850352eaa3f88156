"""Train a data set's judge (a small CNN: ten classes plus "none of them") and store its
reference feature statistics.

    python -m model.train_judge --dataset mnist --data-dir ../shared/data --out checkpoints/mnist/judge.pt
"""

import argparse
import time

import torch
from torch.nn import functional as F

from model.checkpoint import save_checkpoint
from model.data import DATASETS, DEFAULT_DATASET, batches, checkpoint_dir, load_images
from model.judge import NOT_A_DIGIT, DigitJudge, accuracy, set_reference


def train_judge(train_images, train_labels, epochs=3, batch_size=128, lr=1e-3, seed=0, log=print):
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
            digits = random_shift(train_images[idx], generator)
            junk = not_digits(train_images[idx[: len(idx) // 8]], generator)
            x = torch.cat([digits, junk])
            y = torch.cat([train_labels[idx], torch.full((len(junk),), NOT_A_DIGIT)])
            loss = F.cross_entropy(judge(x)[0], y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
        log(f"epoch {epoch}: train loss {total / len(train_images):.4f} ({time.time() - start:.0f}s)")
    judge.eval()
    return judge


def not_digits(digits, generator):
    """Images that are not digits: uniform and sparse noise, smooth blobs, scrambled digits."""
    n = len(digits)
    kind = torch.randint(0, 4, (n, 1, 1, 1), generator=generator)
    uniform = torch.rand(n, 1, 28, 28, generator=generator)
    sparse = (torch.rand(n, 1, 28, 28, generator=generator) < torch.rand(n, 1, 1, 1, generator=generator) * 0.5)
    blobs = F.interpolate(torch.rand(n, 1, 7, 7, generator=generator), size=28, mode="bilinear")
    order = torch.randperm(28 * 28, generator=generator)
    scrambled = digits.flatten(1)[:, order].reshape(n, 1, 28, 28)
    return torch.where(kind == 0, uniform, torch.where(kind == 1, sparse.float(),
                                                        torch.where(kind == 2, blobs, scrambled)))


def random_shift(x, generator, max_shift=2):
    """Shift each image by up to 2 pixels: the judge must not care where a digit sits."""
    dx, dy = torch.randint(-max_shift, max_shift + 1, (2,), generator=generator).tolist()
    return torch.roll(x, shifts=(dy, dx), dims=(2, 3))


def main(argv=None):
    parser = argparse.ArgumentParser(description="Train a data set's judge (a small CNN).")
    parser.add_argument("--dataset", choices=sorted(DATASETS), default=DEFAULT_DATASET)
    parser.add_argument("--data-dir", default=None,
                        help="folder holding MNIST/raw or FashionMNIST/raw (omit to download)")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, default=None, help="train on the first N digits only (smoke tests)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", default=None, help="default: checkpoints/DATASET/judge.pt")
    args = parser.parse_args(argv)

    torch.set_num_threads(args.threads)
    train_x, train_y, digest = load_images(args.dataset, args.data_dir, train=True)
    test_x, test_y, _ = load_images(args.dataset, args.data_dir, train=False)
    if args.limit:
        train_x, train_y = train_x[: args.limit], train_y[: args.limit]
    judge = train_judge(train_x, train_y, epochs=args.epochs, seed=args.seed)
    set_reference(judge, test_x)
    acc = accuracy(judge, test_x, test_y)
    print(f"judge test accuracy: {acc * 100:.2f}% on {len(test_x)} {args.dataset} test images")
    judge.metadata = {
        "dataset": args.dataset,
        "architecture": "conv32-conv64-fc128-fc10",
        "training": {"epochs": args.epochs, "seed": args.seed, "train_images": len(train_x)},
        "data_sha256": digest,
        "metrics": {"test_accuracy": acc},
        "date": time.strftime("%Y-%m-%d"),
    }
    out = args.out or checkpoint_dir(args.dataset) / "judge.pt"
    save_checkpoint(judge, out)
    print(f"saved {out}")


if __name__ == "__main__":
    main()
