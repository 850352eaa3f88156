"""The shipped checkpoints: they load, decode, carry their measured numbers, and fit the budget."""

import pytest
import torch

from model import load_model
from model.judge import accuracy
from model.evaluate import ACTIVE_UNIT_THRESHOLD
from model.lab import load_lab
from tests.conftest import CHECKPOINTS

MODELS = [f"{kind}-z{dim}.pt" for kind in ("vae", "ae") for dim in (2, 16)]


@pytest.mark.parametrize("name", MODELS)
def test_every_shipped_model_loads_and_decodes(name):
    net = load_model(CHECKPOINTS / name)
    assert net.kind == name.split("-")[0] and net.latent_dim == int(name.split("-z")[1].split(".")[0])
    out = net.decode(torch.randn(4, net.latent_dim))
    assert out.shape == (4, 1, 28, 28) and torch.isfinite(out).all()
    assert 0 <= out.min() and out.max() <= 1


@pytest.mark.parametrize("name", MODELS)
def test_metadata_carries_training_and_evaluation(name):
    meta = load_model(CHECKPOINTS / name).metadata
    assert meta["training"]["train_images"] == 60_000
    assert len(meta["data_sha256"]) == 64 and meta["date"]
    metrics = meta["metrics"]
    assert metrics["test_images"] == 10_000 and 0 < metrics["knn5_accuracy"] <= 1
    if name.startswith("vae"):
        assert metrics["iw_k"] == 5000 and metrics["iw_nll_nats"] <= metrics["neg_elbo_nats"]
    assert len(meta["train_codes"]["mean"]) == int(name.split("-z")[1].split(".")[0])


def test_shipped_judge_classifies_shipped_digits(test_digits):
    images, labels = test_digits
    judge = load_model(CHECKPOINTS / "judge.pt", kind="judge")
    assert accuracy(judge, images, labels) >= 0.99
    assert judge.metadata["metrics"]["test_accuracy"] >= 0.99


def test_shipped_judge_does_not_call_noise_a_clear_digit(test_digits):
    from model.judge import score

    judge = load_model(CHECKPOINTS / "judge.pt", kind="judge")
    noise = torch.rand(500, 1, 28, 28, generator=torch.Generator().manual_seed(1))
    verdict = score(judge, noise)
    assert verdict.confident_share < 0.05 and verdict.not_digits > 450
    real = score(judge, test_digits[0][:500])
    assert real.confident_share > 0.9 and real.not_digits < 10


def test_shipped_test_digits_are_the_mnist_test_set(test_digits):
    images, labels = test_digits
    assert images.shape == (10_000, 1, 28, 28) and labels.shape == (10_000,)
    assert torch.bincount(labels).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def test_checkpoints_fit_the_budget():
    total = sum(p.stat().st_size for p in CHECKPOINTS.parent.rglob("*") if p.is_file())
    assert total <= 80 * 1024 * 1024


@pytest.mark.parametrize("name", MODELS)
def test_shipped_models_say_what_they_were_trained_on(name):
    meta = load_model(CHECKPOINTS / name).metadata
    assert meta["dataset"] == "mnist"
    if name.startswith("vae"):
        assert meta["beta"] == 1.0


@pytest.mark.parametrize("dim", [2, 16])
def test_the_vae_uses_every_dimension_and_the_lab_loads(dim, test_digits):
    """Active units measured here on the shipped test digits (posterior mean varies across
    digits by more than 0.01 in that dimension), not read from the stored metrics."""
    lab = load_lab(dim)
    assert len(lab.slider_order) == dim and sorted(lab.slider_order) == list(range(dim))
    means = lab.spaces["vae"].codes
    assert int((means.var(axis=0) > ACTIVE_UNIT_THRESHOLD).sum()) == dim
    with pytest.raises(ValueError, match="unknown model kind"):
        lab.net("judge")


def test_concurrent_inference_matches_serial_and_changes_nothing():
    """Every session of a server shares one Lab: many threads decoding and judging at once must
    get exactly what one thread gets, and leave the networks' weights and buffers untouched."""
    from concurrent.futures import ThreadPoolExecutor

    lab = load_lab(16)
    nets = (lab.vae, lab.ae, lab.judge)
    state_before = [{k: v.clone() for k, v in net.state_dict().items()} for net in nets]
    zs = torch.randn(48, 16, generator=torch.Generator().manual_seed(0)).numpy()

    def work(i):
        kind = ("vae", "ae")[i % 2]
        image = lab.decode(kind, zs[i : i + 1])
        return image, lab.classify(image), lab.judge_images(lab.decode(kind, zs[i : i + 8])).confident_share

    serial = [work(i) for i in range(40)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(3):
            concurrent = list(pool.map(work, range(40)))
            for (image, call, share), (image2, call2, share2) in zip(serial, concurrent):
                assert torch.equal(image, image2) and call == call2 and share == share2
    assert all(not m.training for net in nets for m in net.modules())
    for net, before in zip(nets, state_before):
        assert all(torch.equal(v, before[k]) for k, v in net.state_dict().items())
