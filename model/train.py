"""Train an Auto-Encoder or a VAE on MNIST or Fashion-MNIST.

    python -m model.train --dataset mnist --kind vae --latent-dim 16 --epochs 200 \
        --data-dir ../shared/data --out checkpoints/mnist/vae-z16.pt

loss = reconstruction + beta * KL for the VAE (beta = 1 is the VAE; --beta sets the weight
for the beta family the app's dial shows); the AE's loss is the reconstruction alone.

Plain loop: dynamic binarisation of every batch (a fresh Bernoulli draw of the grey
images, which keeps the model from memorising one binarisation), KL warm-up for the VAE,
cosine learning-rate decay, test loss on the fixed binarised test set after each epoch.
"""

import argparse
import sys
import time
from dataclasses import asdict, dataclass

import torch

from model.checkpoint import save_checkpoint
from model.data import DATASETS, DEFAULT_DATASET, batches, binarize, checkpoint_dir, load_images
from model.latent import fit_gaussian
from model.networks import DEFAULT_HIDDEN, build, codes_of


@dataclass
class TrainConfig:
    dataset: str = DEFAULT_DATASET
    kind: str = "vae"
    latent_dim: int = 16
    hidden: tuple = DEFAULT_HIDDEN
    epochs: int = 100
    batch_size: int = 128
    lr: float = 1e-3
    final_lr: float = 5e-5
    kl_warmup_epochs: int = 10  # VAE only: KL weight rises linearly from 0 to beta
    beta: float = 1.0
    seed: int = 0
    limit: int = 0  # train on the first N digits only (0 = all); for smoke tests


def kl_weight(config, step, steps_per_epoch):
    if config.kind != "vae" or config.kl_warmup_epochs <= 0:
        return config.beta
    return config.beta * min(1.0, step / (config.kl_warmup_epochs * steps_per_epoch))


@torch.inference_mode()
def test_loss(net, test_binary, batch_size=1000):
    """Mean loss per image on the binarised test set (VAE: negative ELBO, one z sample)."""
    torch.manual_seed(0)
    total, parts_total = 0.0, {}
    for x in test_binary.split(batch_size):
        loss, parts = net.loss(x)
        total += loss.item() * len(x)
        for k, v in parts.items():
            parts_total[k] = parts_total.get(k, 0.0) + v * len(x)
    n = len(test_binary)
    return total / n, {k: v / n for k, v in parts_total.items()}


def progress(epoch, epochs, done, total, loss, width=30):
    filled = int(width * done / total)
    bar = "#" * filled + "-" * (width - filled)
    sys.stderr.write(f"\repoch {epoch}/{epochs} [{bar}] {done}/{total} loss {loss:7.2f}")
    sys.stderr.flush()


def train(config, train_images, test_images, log=print, show_progress=True, after_step=None):
    """Train a network; returns it (eval mode) and the per-epoch history.

    after_step(net, step, epoch_done): called before the first step (step 0) and after every
    step, with epoch_done True at the end of an epoch; the training replay records from it.
    """
    torch.manual_seed(config.seed)
    generator = torch.Generator().manual_seed(config.seed)
    net = build(config.kind, config.latent_dim, config.hidden)
    opt = torch.optim.Adam(net.parameters(), lr=config.lr)
    steps_per_epoch = (len(train_images) + config.batch_size - 1) // config.batch_size
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(
        opt, T_max=config.epochs * steps_per_epoch, eta_min=config.final_lr
    )
    test_binary = binarize(test_images, seed=0)
    history, step = [], 0
    if after_step is not None:
        after_step(net, 0, False)
    for epoch in range(1, config.epochs + 1):
        net.train()
        start, running = time.time(), 0.0
        chunks = batches(len(train_images), config.batch_size, generator)
        for i, idx in enumerate(chunks):
            x = torch.bernoulli(train_images[idx], generator=generator)
            if config.kind == "vae":
                loss, _ = net.loss(x, beta=kl_weight(config, step, steps_per_epoch))
            else:
                loss, _ = net.loss(x)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            running += loss.item()
            if after_step is not None:
                after_step(net, step, i == len(chunks) - 1)
            if show_progress and (i % 20 == 0 or i == len(chunks) - 1):
                progress(epoch, config.epochs, i + 1, len(chunks), running / (i + 1))
        if show_progress:
            sys.stderr.write("\n")
        net.eval()
        loss, parts = test_loss(net, test_binary)
        row = {"epoch": epoch, "train_loss": running / len(chunks), "test_loss": loss, **parts,
               "seconds": time.time() - start}
        history.append(row)
        detail = ", ".join(f"{k} {v:.2f}" for k, v in parts.items())
        log(f"epoch {epoch}: test loss {loss:.2f} nats ({detail}), {row['seconds']:.1f}s")
    return net, history


def checkpoint_metadata(config, net, history, train_images, digest, seconds):
    """What a trained AE/VAE carries: recipe, data, history, where its training codes are."""
    code_mean, code_cov = fit_gaussian(codes_of(net, train_images).numpy())
    meta = {
        "dataset": config.dataset,
        "architecture": f"MLP 784-{'-'.join(map(str, config.hidden))}-{config.latent_dim} (ELU), mirrored decoder, "
                        "Bernoulli likelihood",
        "training": {**asdict(config), "hidden": list(config.hidden), "train_images": len(train_images),
                     "seconds": round(seconds, 1), "torch": torch.__version__},
        "history": [{k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()} for row in history],
        "data_sha256": digest,
        # Where the training codes are: the app's "fair" AE sampling draws from this Gaussian.
        "train_codes": {"mean": code_mean.tolist(), "cov": code_cov.tolist()},
        "metrics": {},
        "date": time.strftime("%Y-%m-%d"),
    }
    if config.kind == "vae":
        meta["beta"] = config.beta
    return meta


def main(argv=None):
    parser = argparse.ArgumentParser(description="Train an AE or a VAE on MNIST or Fashion-MNIST.")
    parser.add_argument("--dataset", choices=sorted(DATASETS), default=DEFAULT_DATASET)
    parser.add_argument("--kind", choices=["ae", "vae"], default="vae")
    parser.add_argument("--beta", type=float, default=TrainConfig.beta,
                        help="VAE only: weight of the KL term (1 = the VAE; 0 = an AE in all but name)")
    parser.add_argument("--latent-dim", type=int, default=16)
    parser.add_argument("--epochs", type=int, default=TrainConfig.epochs)
    parser.add_argument("--hidden", type=int, nargs="+", default=list(DEFAULT_HIDDEN),
                        help="hidden layer sizes of the encoder (the decoder mirrors them)")
    parser.add_argument("--batch-size", type=int, default=TrainConfig.batch_size)
    parser.add_argument("--lr", type=float, default=TrainConfig.lr)
    parser.add_argument("--final-lr", type=float, default=TrainConfig.final_lr,
                        help="the cosine decay's end (equal to --lr: a constant rate, as PyTorch's VAE example)")
    parser.add_argument("--kl-warmup-epochs", type=int, default=TrainConfig.kl_warmup_epochs)
    parser.add_argument("--seed", type=int, default=TrainConfig.seed)
    parser.add_argument("--limit", type=int, default=0, help="train on the first N digits only")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads (1 per process is best on 2 cores)")
    parser.add_argument("--data-dir", default=None,
                        help="folder holding MNIST/raw or FashionMNIST/raw (omit to download into ~/.cache)")
    parser.add_argument("--out", default=None, help="checkpoint path (default checkpoints/DATASET/KIND-zD.pt)")
    parser.add_argument("--half", action="store_true", help="store the weights as float16 (model families)")
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    if args.latent_dim < 1 or args.epochs < 1:
        parser.error("--latent-dim and --epochs must be positive")
    if args.beta < 0:
        parser.error("--beta must be 0 or more")

    torch.set_num_threads(args.threads)
    config = TrainConfig(dataset=args.dataset, kind=args.kind, latent_dim=args.latent_dim, hidden=tuple(args.hidden),
                         epochs=args.epochs,
                         batch_size=args.batch_size, lr=args.lr, final_lr=args.final_lr, kl_warmup_epochs=args.kl_warmup_epochs,
                         beta=args.beta, seed=args.seed, limit=args.limit)
    train_images, _, digest = load_images(config.dataset, args.data_dir, train=True)
    test_images, _, _ = load_images(config.dataset, args.data_dir, train=False)
    if config.limit:
        train_images = train_images[: config.limit]
    out = args.out or checkpoint_dir(config.dataset) / f"{config.kind}-z{config.latent_dim}.pt"
    print(f"training {config.kind} with latent_dim={config.latent_dim} on {len(train_images)} {config.dataset} "
          f"images -> {out}")

    started = time.time()
    net, history = train(config, train_images, test_images, show_progress=not args.no_progress)
    net.metadata = checkpoint_metadata(config, net, history, train_images, digest, time.time() - started)
    save_checkpoint(net, out, half=args.half)
    print(f"saved {out}")


if __name__ == "__main__":
    main()
