"""Measure shipped models the way the model card reports them.

    python -m model.evaluate checkpoints/mnist/*-z*.pt --data-dir ../shared/data --k 5000 \
        --json bench/results/evaluate.json --write-metadata

The data set and its judge follow the checkpoints' folder (checkpoints/DATASET/). Likelihoods
are in nats per image on *binarised* test images: one fixed Bernoulli draw of the grey test
images with seed 0 (the literature's convention).
"""

import argparse
import hashlib
import json
import math
import sys
import time
from pathlib import Path

import torch

from model.checkpoint import load_model, save_checkpoint
from model.data import DATASETS, binarize, checkpoint_dir, load_images
from model.judge import score
from model.latent import fit_gaussian, gaussian_samples, prior_samples
from model.networks import bernoulli_nll, codes_of, decode_batched, gaussian_kl, gaussian_log_prob, reparameterize

ACTIVE_UNIT_THRESHOLD = 0.01
JUDGE_SAMPLES = 10_000


@torch.inference_mode()
def iw_nll(vae, x, k, samples_per_chunk=1000, images_per_chunk=10, seed=0):
    """Importance-weighted bound on -log p(x) with k posterior samples, per image [N].

    log p(x) >= log (1/k) sum_i p(x|z_i) p(z_i) / q(z_i|x),  z_i ~ q(z|x)  (Burda et al. 2016).
    """
    generator = torch.Generator().manual_seed(seed)
    out = []
    for xb in x.split(images_per_chunk):
        mu, logvar = vae.posterior(xb)
        chunks = []
        for start in range(0, k, samples_per_chunk):
            s = min(samples_per_chunk, k - start)
            z = reparameterize(mu.expand(s, *mu.shape), logvar.expand(s, *mu.shape), generator)  # [s, B, d]
            logits = vae.decode_logits(z.reshape(-1, mu.shape[1]))
            log_px = -bernoulli_nll(logits, xb.repeat(s, 1, 1, 1)).reshape(s, -1)
            log_pz = gaussian_log_prob(z, torch.zeros_like(z), torch.zeros_like(z))
            log_qz = gaussian_log_prob(z, mu, logvar)
            chunks.append(torch.logsumexp(log_px + log_pz - log_qz, dim=0))
        log_w = torch.logsumexp(torch.stack(chunks), dim=0) - math.log(k)
        out.append(-log_w)
    return torch.cat(out)


@torch.inference_mode()
def elbo_parts(vae, x, seed=0):
    """(reconstruction nats, KL nats) per image, one reparameterised sample each."""
    generator = torch.Generator().manual_seed(seed)
    recon, kl = [], []
    for xb in x.split(1000):
        mu, logvar = vae.posterior(xb)
        z = reparameterize(mu, logvar, generator)
        recon.append(bernoulli_nll(vae.decode_logits(z), xb))
        kl.append(gaussian_kl(mu, logvar))
    return torch.cat(recon), torch.cat(kl)


@torch.inference_mode()
def knn_accuracy(train_codes, train_labels, test_codes, test_labels, k=5, batch_size=1000):
    """k-nearest-neighbour digit accuracy of test codes against the training codes."""
    correct = 0
    for start in range(0, len(test_codes), batch_size):
        q = test_codes[start:start + batch_size]
        nearest = torch.cdist(q, train_codes).topk(k, largest=False).indices
        votes = train_labels[nearest]
        pred = torch.mode(votes, dim=1).values
        correct += (pred == test_labels[start:start + batch_size]).sum().item()
    return correct / len(test_codes)


def sample_scores(judge, images):
    v = score(judge, images)
    return {"clear_share": v.confident_share, "not_digit_share": v.not_digits / v.n,
            "inception_score": v.inception_score, "frechet": v.frechet, "histogram": v.histogram}


def weights_sha256(net):
    digest = hashlib.sha256()
    for name, tensor in net.state_dict().items():
        digest.update(name.encode())
        digest.update(tensor.contiguous().numpy().tobytes())
    return digest.hexdigest()


def stored_iw_nll(net, k, n_images):
    """The IW bound already measured for these exact weights, k and test set, or None.

    The bound is the slow part (k decoder passes per image); re-evaluating a checkpoint after
    a judge change need not repeat it.
    """
    stored = net.metadata.get("metrics", {})
    same = (stored.get("iw_k") == k and stored.get("test_images") == n_images
            and stored.get("weights_sha256") == weights_sha256(net))
    return stored.get("iw_nll_nats") if same else None


def evaluate_model(net, judge, train, test, test_binary, k, log=print, reuse_iw=True):
    """All card metrics of one AE or VAE as a flat dict of plain values."""
    (train_x, train_y), (test_x, test_y) = train, test
    started = time.time()
    m = {"kind": net.kind, "latent_dim": net.latent_dim, "weights_sha256": weights_sha256(net)}
    train_codes, test_codes = codes_of(net, train_x), codes_of(net, test_x)
    if net.kind == "vae":
        recon, kl = elbo_parts(net, test_binary)
        m["recon_nats"] = recon.mean().item()
        m["kl_nats"] = kl.sum(1).mean().item()
        m["neg_elbo_nats"] = m["recon_nats"] + m["kl_nats"]
        m["kl_per_dim"] = kl.mean(0).tolist()
        mu = codes_of(net, test_binary)
        m["active_units"] = int((mu.var(0) > ACTIVE_UNIT_THRESHOLD).sum().item())
        reused = stored_iw_nll(net, k, len(test_binary)) if reuse_iw else None
        if reused is None:
            log(f"  {net.source}: IW bound with k={k} on {len(test_binary)} images ...")
            m["iw_nll_nats"] = iw_nll(net, test_binary, k).mean().item()
        else:
            log(f"  {net.source}: IW bound with k={k} reused from its metadata (same weights, same test set)")
            m["iw_nll_nats"] = reused
        m["iw_k"] = k
    else:
        with torch.inference_mode():
            m["recon_nats"] = torch.cat(
                [bernoulli_nll(net.decode_logits(net.encode(xb)), xb) for xb in test_binary.split(1000)]
            ).mean().item()
    m["knn5_accuracy"] = knn_accuracy(train_codes, train_y, test_codes, test_y)
    eps = prior_samples(JUDGE_SAMPLES, net.latent_dim, seed=0)
    m["prior_samples"] = sample_scores(judge, decode_batched(net, eps))
    mean, cov = fit_gaussian(train_codes.numpy())
    m["train_codes"] = {"mean": mean.tolist(), "cov": cov.tolist()}
    if net.kind == "ae":
        m["fitted_gaussian_samples"] = sample_scores(judge, decode_batched(net, gaussian_samples(eps, mean, cov)))
    m["seconds"] = round(time.time() - started, 1)
    return m


def reference_rows(judge, test_x):
    """Ceiling and floor for the judge's numbers: real test digits and uniform noise."""
    noise = torch.rand(JUDGE_SAMPLES, 1, 28, 28, generator=torch.Generator().manual_seed(0))
    return {"real_test_digits": sample_scores(judge, test_x), "uniform_noise": sample_scores(judge, noise)}


def fmt(x, spec=".2f"):
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else format(x, spec)


def print_table(results, references, out=sys.stdout):
    print("Likelihoods: nats per image on the binarised test set (one fixed Bernoulli draw, seed 0).", file=out)
    print(f"{'model':<14}{'-ELBO':>8}{'recon':>8}{'KL':>7}{'IW NLL':>9}{'active':>8}{'5-NN acc':>10}", file=out)
    for name, m in results.items():
        active = f"{m['active_units']}/{m['latent_dim']}" if "active_units" in m else "—"
        print(f"{name:<14}{fmt(m.get('neg_elbo_nats')):>8}{fmt(m['recon_nats']):>8}{fmt(m.get('kl_nats')):>7}"
              f"{fmt(m.get('iw_nll_nats')):>9}{active:>8}{m['knn5_accuracy'] * 100:>9.2f}%", file=out)
    print(f"\nJudge on {JUDGE_SAMPLES} images (clear = a class with p >= 0.9; junk = judged none of the classes; "
          "IS ceiling 10; Fréchet: lower is better)", file=out)
    print(f"{'images':<34}{'clear':>8}{'junk':>8}{'IS':>7}{'Fréchet':>10}", file=out)
    rows = {}
    for name, m in results.items():
        rows[f"{name} z ~ N(0, I)"] = m["prior_samples"]
        if "fitted_gaussian_samples" in m:
            rows[f"{name} z ~ fitted Gaussian"] = m["fitted_gaussian_samples"]
    rows["real test images (ceiling)"] = references["real_test_digits"]
    rows["uniform noise (floor)"] = references["uniform_noise"]
    for name, s in rows.items():
        print(f"{name:<34}{s['clear_share'] * 100:>7.1f}%{s['not_digit_share'] * 100:>7.1f}%"
              f"{s['inception_score']:>7.2f}{s['frechet']:>10.2f}", file=out)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Evaluate AE/VAE checkpoints for the model card.")
    parser.add_argument("checkpoints", nargs="+")
    parser.add_argument("--data-dir", default=None,
                        help="folder holding MNIST/raw or FashionMNIST/raw (omit to download)")
    parser.add_argument("--dataset", choices=sorted(DATASETS), default=None,
                        help="default: the 'dataset' in the first checkpoint's metadata")
    parser.add_argument("--judge", default=None, help="default: checkpoints/DATASET/judge.pt")
    parser.add_argument("--k", type=int, default=5000, help="importance samples for the NLL bound")
    parser.add_argument("--limit", type=int, default=0, help="evaluate on the first N test digits only")
    parser.add_argument("--json", default=None, help="write all numbers here")
    parser.add_argument("--write-metadata", action="store_true",
                        help="store the numbers in each checkpoint's metadata (weights unchanged)")
    parser.add_argument("--recompute-iw", action="store_true",
                        help="measure the IW bound even if the checkpoint stores one for the same weights and k")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)

    dataset = args.dataset or load_model(args.checkpoints[0], kind=("ae", "vae")).metadata.get("dataset", "mnist")
    judge = load_model(args.judge or checkpoint_dir(dataset) / "judge.pt", kind="judge")
    train_x, train_y, _ = load_images(dataset, args.data_dir, train=True)
    test_x, test_y, _ = load_images(dataset, args.data_dir, train=False)
    if args.limit:
        test_x, test_y = test_x[: args.limit], test_y[: args.limit]
    test_binary = binarize(test_x, seed=0)

    results = {}
    for path in args.checkpoints:
        net = load_model(path, kind=("ae", "vae"))
        if net.metadata.get("dataset", dataset) != dataset:
            parser.error(f"{path} was trained on {net.metadata['dataset']}, not {dataset}: evaluate one data set at a time")
        results[Path(path).stem] = evaluate_model(net, judge, (train_x, train_y), (test_x, test_y), test_binary,
                                                  args.k, reuse_iw=not args.recompute_iw)
        if args.write_metadata:
            net.metadata["metrics"] = {
                **{k: v for k, v in results[Path(path).stem].items() if k != "train_codes"},
                "test_images": len(test_x),
                "evaluated": time.strftime("%Y-%m-%d"),
            }
            net.metadata["train_codes"] = results[Path(path).stem]["train_codes"]
            save_checkpoint(net, path, half=net.stored_half)
    references = reference_rows(judge, test_x)
    print_table(results, references)
    if args.json:
        report = {
            "dataset": dataset,
            "convention": "nats per image on the binarised test set (fixed Bernoulli draw, seed 0)",
            "k": args.k, "test_images": len(test_x), "judge_samples": JUDGE_SAMPLES,
            "models": {n: {k: v for k, v in m.items() if k != "train_codes"} for n, m in results.items()},
            "references": references,
        }
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(report, indent=2))
        print(f"\nwrote {args.json}")


if __name__ == "__main__":
    main()
