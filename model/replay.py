"""A replay of training: what the 2-D AE's and VAE's latent spaces look like as they form.

    python -m model.replay --data-dir ../shared/data --epochs 20 --out checkpoints/mnist/replay.npz

Both models train from one seed with the shipped recipe. Snapshots are dense early (the space
forms in the first few hundred batches), then one per epoch for ten epochs, then every other. A snapshot holds only what the
page shows: the codes of a fixed set of test digits (float16), a small manifold grid, decoded
prior samples with the judge's count of clear ones, and the two loss terms.

The file is a plain .npz read with allow_pickle=False, so loading never runs code; a broken
file raises one CheckpointError naming it, like a broken checkpoint.
"""

import argparse
import json
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch

from model.checkpoint import CheckpointError, load_model
from model.data import binarize, checkpoint_dir, load_images, to_uint8
from model.judge import classify
from model.latent import normal_ppf, prior_samples
from model.networks import codes_of, decode_batched
from model.train import TrainConfig, test_loss, train

EARLY_STEPS = (0, 25, 50, 100, 200, 400)
KINDS = ("ae", "vae")
REPLAY_DIGITS = 2000
MANIFOLD_N = 8
SAMPLES = 36
FORMAT = "latent-lab-replay"
VERSION = 1
FIELDS = ("steps", "epochs", "codes", "manifold", "manifold_box", "samples", "clear", "recon", "kl")


def manifold_box(kind, codes):
    """The square the manifold grid covers: the prior's central 95 % for the VAE; for the AE,
    where its codes are at this moment (1st to 99th percentile), since they may sit anywhere."""
    if kind == "vae":
        edge = float(normal_ppf(0.975))
        return np.array([[-edge, edge], [-edge, edge]])
    low, high = np.percentile(codes, [1, 99], axis=0)
    return np.stack([low, high], axis=1)


def grid_points(box, n=MANIFOLD_N):
    xs = np.linspace(box[0, 0], box[0, 1], n)
    ys = np.linspace(box[1, 1], box[1, 0], n)  # top row = largest y, as on a map
    return torch.tensor([[x, y] for y in ys for x in xs], dtype=torch.float32)


class Recorder:
    """Takes a snapshot of a training network at chosen steps (the after_step hook of train)."""

    def __init__(self, kind, images, binary, judge, eps):
        self.kind, self.images, self.binary, self.judge, self.eps = kind, images, binary, judge, eps
        self.frames = {name: [] for name in FIELDS}
        self.epoch = 0

    def __call__(self, net, step, epoch_done):
        if epoch_done:
            self.epoch += 1
        if step in EARLY_STEPS or (epoch_done and (self.epoch <= 10 or self.epoch % 2 == 0)):
            self.snapshot(net, step)

    @torch.inference_mode()
    def snapshot(self, net, step):
        was_training, rng = net.training, torch.get_rng_state()  # test_loss reseeds; training must not notice
        net.eval()
        codes = codes_of(net, self.images).numpy()
        box = manifold_box(self.kind, codes)
        samples = decode_batched(net, self.eps)
        _, _, calls = classify(self.judge, samples)
        _, parts = test_loss(net, self.binary)
        frame = {"steps": step, "epochs": self.epoch, "codes": codes.astype(np.float16),
                 "manifold": to_uint8(decode_batched(net, grid_points(box))), "manifold_box": box,
                 "samples": to_uint8(samples), "clear": int((calls == "clear").sum()),
                 "recon": parts["recon"], "kl": parts.get("kl", 0.0)}
        for name in FIELDS:
            self.frames[name].append(frame[name])
        net.train(was_training)
        torch.set_rng_state(rng)

    def arrays(self):
        return {f"{self.kind}_{name}": np.stack([np.asarray(v) for v in values])
                for name, values in self.frames.items()}


def record(config, train_images, test_images, test_labels, judge, log=print):
    """Train the AE and the VAE of config from one seed; the replay's arrays (one dict)."""
    chosen = torch.randperm(len(test_images), generator=torch.Generator().manual_seed(0))[:REPLAY_DIGITS]
    images = test_images[chosen]
    binary = binarize(images, seed=0)
    eps = prior_samples(SAMPLES, config.latent_dim, seed=0)
    arrays = {"labels": test_labels[chosen].numpy().astype(np.uint8), "indices": chosen.numpy().astype(np.int32),
              "sample_eps": eps.numpy()}
    for kind in KINDS:
        recorder = Recorder(kind, images, binary, judge, eps)
        kind_config = TrainConfig(**{**asdict(config), "kind": kind})
        train(kind_config, train_images, test_images, log=log, show_progress=False, after_step=recorder)
        arrays.update(recorder.arrays())
        log(f"{kind}: {len(recorder.frames['steps'])} snapshots")
    return arrays


def save_replay(arrays, meta, path):
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    header = np.array(json.dumps({"format": FORMAT, "version": VERSION, **meta}))
    np.savez_compressed(path, header=header, **arrays)


def load_replay(path=None):
    """(arrays dict, metadata dict) of a replay file; CheckpointError names a broken one."""
    path = Path(path) if path is not None else checkpoint_dir("mnist") / "replay.npz"
    if not path.is_file():
        raise CheckpointError(path, "file not found", fix=fix_replay(path))
    try:
        with np.load(path, allow_pickle=False) as pack:
            arrays = {name: pack[name] for name in pack.files}
        meta = json.loads(str(arrays.pop("header")))
    except Exception as err:  # noqa: BLE001 - any failure here means "not a usable replay"
        raise CheckpointError(path, f"not a readable replay file ({type(err).__name__})", fix=fix_replay(path)) from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT or meta.get("version") != VERSION:
        raise CheckpointError(path, "not a Latent Lab replay (no format marker)", fix=fix_replay(path))
    check_shapes(path, arrays)
    return arrays, meta


def check_shapes(path, arrays):
    n = len(arrays.get("labels", []))
    for kind in KINDS:
        missing = [name for name in FIELDS if f"{kind}_{name}" not in arrays]
        if missing:
            raise CheckpointError(path, f"the {kind} replay lacks {', '.join(missing)}", fix=fix_replay(path))
        frames = len(arrays[f"{kind}_steps"])
        codes = arrays[f"{kind}_codes"]
        if frames == 0 or codes.shape[:2] != (frames, n) or any(len(arrays[f"{kind}_{f}"]) != frames for f in FIELDS):
            raise CheckpointError(path, f"the {kind} replay's arrays do not line up", fix=fix_replay(path))
        if not np.isfinite(codes.astype(np.float32)).all():
            raise CheckpointError(path, f"the {kind} replay's codes contain NaN or infinite values", fix=fix_replay(path))


def fix_replay(path):
    return (f"restore the shipped file (`git checkout -- {path}`) or record it again "
            f"(`python -m model.replay --data-dir DIR --out {path}`)")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Record the training replay of the 2-D AE and VAE on MNIST.")
    parser.add_argument("--data-dir", default=None, help="folder holding MNIST/raw (omit to download)")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--limit", type=int, default=0, help="train on the first N digits only (smoke tests)")
    parser.add_argument("--out", default=None, help="default: checkpoints/mnist/replay.npz")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    config = TrainConfig(dataset="mnist", latent_dim=2, epochs=args.epochs, seed=args.seed, limit=args.limit)
    train_images, _, _ = load_images("mnist", args.data_dir, train=True)
    test_images, test_labels, _ = load_images("mnist", args.data_dir, train=False)
    if args.limit:
        train_images = train_images[: args.limit]
    judge = load_model(checkpoint_dir("mnist") / "judge.pt", kind="judge")
    started = time.time()
    arrays = record(config, train_images, test_images, test_labels, judge)
    out = Path(args.out or checkpoint_dir("mnist") / "replay.npz")
    meta = {"dataset": "mnist", "training": {**asdict(config), "hidden": list(config.hidden)},
            "early_steps": list(EARLY_STEPS), "steps_per_epoch": -(-len(train_images) // config.batch_size),
            "seconds": round(time.time() - started, 1), "date": time.strftime("%Y-%m-%d")}
    save_replay(arrays, meta, out)
    print(f"saved {out} ({out.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
