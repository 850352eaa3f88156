"""The β family loader (model.family): finds the members, reads or measures their numbers, and
refuses a broken member with one CheckpointError naming it."""

import math

import pytest
import torch

from model import CheckpointError, load_model, save_checkpoint
from model.family import ESTIMATE_SAMPLES, JUDGE_SAMPLES, MAP_DIGITS, Numbers, load_family, member_files
from tests.conftest import TINY_BETAS, save_tiny_family


@pytest.fixture(scope="module")
def family_dir(tmp_path_factory, test_digits):
    return save_tiny_family(tmp_path_factory.mktemp("family") / "beta", test_digits[0])


@pytest.fixture(scope="module")
def family(family_dir, tiny_judge, test_digits):
    return load_family(family_dir, tiny_judge, test_digits[0])


def test_the_loader_finds_every_member_in_beta_order(family_dir, family):
    (family_dir / "notes.txt").write_text("not a member")
    (family_dir / "vae-z2-betaX.pt").write_bytes(b"")  # not a β: not a member either
    assert list(member_files(family_dir)) == list(TINY_BETAS)
    assert family.betas == TINY_BETAS
    assert all(m.vae.kind == "vae" and m.vae.latent_dim == 2 for m in family.members)
    assert all(m.codes.shape == (MAP_DIGITS, 2) for m in family.members)


def test_members_are_found_by_beta_and_the_dial_starts_at_the_vae(family):
    assert family.member(4.0).beta == 4.0 and family.member(4).beta == 4.0
    assert family.trained_beta(1.0 + 1e-12) == 1.0 and family.trained_beta(0.3) is None
    assert family.trained_beta(float("nan")) is None
    with pytest.raises(KeyError, match="0.3"):
        family.member(0.3)
    assert family.default_beta == 1.0


def test_members_not_yet_evaluated_are_measured_at_load(family):
    for m in family.members:
        n = m.numbers
        assert not n.evaluated and n.samples == ESTIMATE_SAMPLES
        assert n.recon_nats > 0 and n.kl_nats >= 0 and 0 <= n.clear_share <= 1 and 0 <= n.active_units <= 2
    assert family.member(4.0).numbers.kl_nats < family.member(0.0).numbers.kl_nats  # β prices the KL


def test_numbers_model_evaluate_stored_are_read_not_measured(family_dir, tiny_judge, test_digits, tmp_path):
    folder = tmp_path / "beta"
    folder.mkdir()
    vae = load_model(family_dir / "vae-z2-beta1.pt")
    vae.metadata["metrics"] = {"recon_nats": 140.5, "kl_nats": 6.25, "active_units": 2, "test_images": 10_000,
                               "prior_samples": {"clear_share": 0.75}}
    save_checkpoint(vae, folder / "vae-z2-beta1.pt", half=True)
    numbers = load_family(folder, tiny_judge, test_digits[0]).member(1.0).numbers
    assert numbers == Numbers(140.5, 6.25, 0.75, 2, digits=10_000, samples=JUDGE_SAMPLES, evaluated=True)


def truncate(path):
    path.write_bytes(path.read_bytes()[:300])


def relabel(path):
    vae = load_model(path)
    vae.metadata["beta"] = 2.0
    save_checkpoint(vae, path)


def wrong_size(path):
    vae = load_model(path)
    net = type(vae)(16, hidden=(64, 32))
    net.metadata = vae.metadata
    save_checkpoint(net, path)


def nan_weights(path):
    vae = load_model(path)
    with torch.no_grad():
        next(vae.parameters())[0, 0] = math.nan
    save_checkpoint(vae, path)


@pytest.mark.parametrize("corrupt", [truncate, relabel, wrong_size, nan_weights, lambda p: p.write_bytes(b"")],
                         ids=["truncated", "relabelled", "16-D", "nan", "empty"])
def test_a_broken_member_is_refused_with_one_error_naming_it(corrupt, family_dir, tiny_judge, test_digits, tmp_path):
    folder = tmp_path / "beta"
    folder.mkdir()
    for path in family_dir.glob("vae-z2-beta*.pt"):
        (folder / path.name).write_bytes(path.read_bytes())
    broken = folder / "vae-z2-beta4.pt"
    corrupt(broken)
    with pytest.raises(CheckpointError) as err:
        load_family(folder, tiny_judge, test_digits[0])
    message = str(err.value)
    assert str(broken) in message and "--beta 4" in message and "Fix:" in message


def test_an_empty_folder_or_a_duplicate_beta_is_refused(family_dir, tiny_judge, test_digits, tmp_path):
    with pytest.raises(CheckpointError, match="no β family"):
        load_family(tmp_path / "nowhere", tiny_judge, test_digits[0])
    (tmp_path / "vae-z2-beta1.pt").write_bytes((family_dir / "vae-z2-beta1.pt").read_bytes())
    (tmp_path / "vae-z2-beta1.0.pt").write_bytes((family_dir / "vae-z2-beta1.pt").read_bytes())
    with pytest.raises(CheckpointError, match="second member for β = 1"):
        load_family(tmp_path, tiny_judge, test_digits[0])
