"""The β family's loss and storage, and the training replay file: record, load, refuse."""

import numpy as np
import pytest
import torch

from model import CheckpointError, load_model, save_checkpoint
from model.networks import VAE
from model.replay import FIELDS, KINDS, load_replay
from model.train import TrainConfig, train
from tests.conftest import CHECKPOINTS


def test_the_beta_weighted_loss_is_reconstruction_plus_beta_times_kl(test_digits):
    torch.manual_seed(0)
    vae = VAE(2, hidden=(32, 16))
    x = test_digits[0][:64]
    for beta in (0.0, 0.5, 1.0, 8.0):
        torch.manual_seed(1)
        loss, parts = vae.loss(x, beta=beta)
        assert loss.item() == pytest.approx(parts["recon"] + beta * parts["kl"], rel=1e-5)


def test_a_tiny_beta_family_trains_and_a_larger_beta_spends_fewer_nats_on_kl(test_digits):
    images = test_digits[0]
    kl = {}
    for beta in (0.0, 4.0):
        config = TrainConfig(kind="vae", latent_dim=2, hidden=(64, 32), epochs=2, batch_size=100,
                             kl_warmup_epochs=0, beta=beta)
        _, history = train(config, images[:1000], images[9800:], log=lambda *_: None, show_progress=False)
        kl[beta] = history[-1]["kl"]
    assert kl[4.0] < kl[0.0]


def test_float16_storage_moves_no_decoded_pixel_by_more_than_one_grey_level(tmp_path):
    vae = load_model(CHECKPOINTS / "vae-z2.pt")
    save_checkpoint(vae, tmp_path / "half.pt", half=True)
    half = load_model(tmp_path / "half.pt")
    assert half.stored_half and (tmp_path / "half.pt").stat().st_size < 0.6 * (CHECKPOINTS / "vae-z2.pt").stat().st_size
    z = torch.cartesian_prod(torch.linspace(-3, 3, 25), torch.linspace(-3, 3, 25))
    with torch.inference_mode():
        assert (vae.decode(z) - half.decode(z)).abs().max().item() <= 1 / 255


def test_a_recorded_replay_loads_with_every_frame(tiny_replay):
    arrays, meta = load_replay(tiny_replay)
    assert meta["dataset"] == "mnist"
    for kind in KINDS:
        steps = arrays[f"{kind}_steps"]
        assert list(steps) == [0, 20, 25, 40, 50, 60, 80, 100, 120]  # 20 steps an epoch here: the early steps, each epoch's end
        assert arrays[f"{kind}_codes"].dtype == np.float16 and arrays[f"{kind}_codes"].shape[1:] == (2000, 2)
        assert arrays[f"{kind}_samples"].shape[1:] == (36, 28, 28)
        assert all(len(arrays[f"{kind}_{f}"]) == len(steps) for f in FIELDS)
    assert (arrays["ae_kl"] == 0).all() and (arrays["vae_kl"][1:] > 0).all()


def corrupt_truncate(path):
    path.write_bytes(path.read_bytes()[:500])


def corrupt_pickle(path):
    np.save(path.with_suffix(".npy"), np.array([object()], dtype=object), allow_pickle=True)
    path.write_bytes(path.with_suffix(".npy").read_bytes())


def corrupt_field(path):
    with np.load(path) as pack:
        arrays = {k: pack[k] for k in pack.files if k != "vae_samples"}
    np.savez(path, **arrays)


def corrupt_nan(path):
    with np.load(path) as pack:
        arrays = {k: pack[k] for k in pack.files}
    arrays["ae_codes"] = arrays["ae_codes"].copy()
    arrays["ae_codes"][0, 0, 0] = np.nan
    np.savez(path, **arrays)


def corrupt_header(path):
    with np.load(path) as pack:
        arrays = {k: pack[k] for k in pack.files}
    arrays["header"] = np.array('{"format": "something else"}')
    np.savez(path, **arrays)


@pytest.mark.parametrize("corrupt", [corrupt_truncate, corrupt_pickle, corrupt_field, corrupt_nan, corrupt_header,
                                     lambda p: p.unlink()], ids=["truncated", "pickle", "field", "nan", "header",
                                                                 "missing"])
def test_a_broken_replay_is_refused_with_one_clear_error(corrupt, tiny_replay, tmp_path):
    path = tmp_path / "replay.npz"
    path.write_bytes(tiny_replay.read_bytes())
    corrupt(path)
    with pytest.raises(CheckpointError, match="replay") as err:
        load_replay(path)
    assert str(path) in str(err.value) and "Fix:" in str(err.value)
