import json
import subprocess
import sys

import pytest
import torch

from model import load_model
from model.data import binarize
from model.evaluate import elbo_parts, evaluate_model, iw_nll, knn_accuracy
from model.judge import frechet_distance, inception_score, score
from tests.conftest import ROOT, tiny_model


def run_module(*args, timeout=300):
    done = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_train_cli_runs_a_short_epoch(mnist_dir, tmp_path):
    out = tmp_path / "vae-z2.pt"
    done = run_module("model.train", "--kind", "vae", "--latent-dim", "2", "--epochs", "1", "--beta", "0.5",
                      "--limit", "500", "--data-dir", str(mnist_dir), "--out", str(out))
    assert "epoch 1: test loss" in done.stdout
    net = load_model(out)
    assert net.kind == "vae" and net.latent_dim == 2
    assert net.metadata["dataset"] == "mnist" and net.metadata["beta"] == 0.5
    assert net.metadata["training"]["train_images"] == 500
    assert len(net.metadata["data_sha256"]) == 64


def test_train_is_seeded(test_digits):
    images, _ = test_digits
    a, b = tiny_model("ae", 2, images), tiny_model("ae", 2, images)
    assert all(torch.equal(x, y) for x, y in zip(a.state_dict().values(), b.state_dict().values()))


def test_training_reduces_the_loss(test_digits):
    images, _ = test_digits
    from model.train import TrainConfig, train

    config = TrainConfig(kind="vae", latent_dim=2, hidden=(64, 32), epochs=3, batch_size=50, kl_warmup_epochs=0)
    _, history = train(config, images[:1000], images[9800:], log=lambda *_: None, show_progress=False)
    assert history[-1]["test_loss"] < history[0]["test_loss"]


def test_iw_bound_is_tighter_than_the_elbo(test_digits):
    images, _ = test_digits
    torch.manual_seed(0)
    vae = tiny_model("vae", 2, images, epochs=2).eval()
    x = binarize(images[:50], seed=0)
    recon, kl = elbo_parts(vae, x)
    neg_elbo = (recon + kl.sum(1)).mean().item()
    nll_1 = iw_nll(vae, x, k=1).mean().item()
    nll_200 = iw_nll(vae, x, k=200, samples_per_chunk=64).mean().item()
    assert nll_200 <= neg_elbo
    assert nll_200 <= nll_1
    assert abs(nll_1 - neg_elbo) < 0.1 * neg_elbo  # k = 1 is the ELBO itself (up to sampling noise)


def test_knn_accuracy_on_separable_codes():
    train = torch.tensor([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0], [5.1, 5.0], [0.0, 0.1], [5.0, 5.1]])
    labels = torch.tensor([0, 0, 1, 1, 0, 1])
    test = torch.tensor([[0.05, 0.05], [5.05, 5.05]])
    assert knn_accuracy(train, labels, test, torch.tensor([0, 1]), k=3) == 1.0
    assert knn_accuracy(train, labels, test, torch.tensor([1, 0]), k=3) == 0.0


def test_evaluate_model_on_tiny_models(test_digits, tiny_judge):
    images, labels = test_digits
    for kind in ("ae", "vae"):
        net = tiny_model(kind, 2, images)
        net.source = f"tiny-{kind}"
        m = evaluate_model(net, tiny_judge, (images[:500], labels[:500]), (images[9900:], labels[9900:]),
                           binarize(images[9900:]), k=20, log=lambda *_: None)
        assert 0 <= m["knn5_accuracy"] <= 1 and m["recon_nats"] > 0
        assert 0 <= m["prior_samples"]["clear_share"] <= 1
        if kind == "vae":
            assert m["iw_nll_nats"] <= m["neg_elbo_nats"] + 1.0
            assert len(m["kl_per_dim"]) == 2 and 0 <= m["active_units"] <= 2
        else:
            assert "fitted_gaussian_samples" in m


def test_evaluate_cli(tiny_checkpoints, mnist_dir, tmp_path):
    report = tmp_path / "eval.json"
    folder = tiny_checkpoints / "mnist"
    done = run_module("model.evaluate", str(folder / "vae-z2.pt"), str(folder / "ae-z2.pt"),
                      "--data-dir", str(mnist_dir), "--judge", str(folder / "judge.pt"),
                      "--k", "10", "--limit", "100", "--json", str(report))
    assert "binarised" in done.stdout and "IW NLL" in done.stdout
    data = json.loads(report.read_text())
    assert set(data["models"]) == {"vae-z2", "ae-z2"}
    assert data["references"]["real_test_digits"]["frechet"] < data["references"]["uniform_noise"]["frechet"]


def test_frechet_distance_properties():
    rng = torch.Generator().manual_seed(0)
    a = torch.randn(2000, 5, generator=rng).double().numpy()
    mean, cov = a.mean(0), torch.from_numpy(a).T.cov().numpy()
    assert abs(frechet_distance(mean, cov, mean, cov)) < 1e-6
    shifted = frechet_distance(mean + 3, cov, mean, cov)
    assert shifted == pytest.approx(45, rel=1e-6)  # ||3·1||² over 5 dims


def test_inception_score_bounds():
    import numpy as np

    one_class = np.tile(np.eye(10)[3], (50, 1))
    assert inception_score(one_class) == pytest.approx(1.0, abs=1e-6)
    uniform_confident = np.eye(10)[np.arange(100) % 10]
    assert inception_score(uniform_confident) == pytest.approx(10.0, rel=1e-4)


def test_judge_verdict_fields(tiny_judge, test_digits):
    images, _ = test_digits
    v = score(tiny_judge, images[:40])
    assert v.n == 40 and sum(v.histogram) + v.not_digits == 40 and len(v.predictions) == 40
    assert 0 <= v.confident_share <= 1 and 1 <= v.inception_score <= 10 + 1e-6


def test_test_digit_pack_round_trip(mnist_dir, tmp_path, test_digits):
    from model.data import load_test_images

    out = tmp_path / "pack.npz"
    run_module("model.data", "--data-dir", str(mnist_dir), "--out", str(out))
    images, labels = load_test_images("mnist", out)
    assert images.shape == (300, 1, 28, 28)
    assert torch.equal(images, test_digits[0][9700:]) and torch.equal(labels, test_digits[1][9700:])


def test_missing_test_digit_pack_names_the_fix(tmp_path):
    from model.data import load_test_images

    with pytest.raises(FileNotFoundError, match="python -m model.data --dataset mnist"):
        load_test_images("mnist", tmp_path / "nope.npz")
