import os
import pickle

import pytest
import torch

from model import CheckpointError, load_model, save_checkpoint
from model.networks import VAE, AutoEncoder


@pytest.fixture
def vae_file(tmp_path):
    torch.manual_seed(0)
    net = VAE(4, hidden=(32, 16))
    net.metadata = {"metrics": {"iw_nll_nats": 99.5}, "note": "tiny"}
    path = tmp_path / "vae-z4.pt"
    save_checkpoint(net, path)
    return net, path


def test_round_trip_is_exact(vae_file):
    net, path = vae_file
    loaded = load_model(path)
    assert loaded.kind == "vae" and loaded.latent_dim == 4
    assert loaded.metadata == {"metrics": {"iw_nll_nats": 99.5}, "note": "tiny"}
    for (k1, v1), (k2, v2) in zip(net.state_dict().items(), loaded.state_dict().items()):
        assert k1 == k2 and torch.equal(v1, v2)
    z = torch.randn(3, 4)
    assert torch.equal(net.eval().decode(z), loaded.decode(z))


def test_loaded_model_is_ready_for_inference(vae_file):
    loaded = load_model(vae_file[1])
    assert not loaded.training
    assert not any(p.requires_grad for p in loaded.parameters())


def assert_clear_error(path, *words, **kwargs):
    with pytest.raises(CheckpointError) as info:
        load_model(path, **kwargs)
    message = str(info.value)
    assert str(path) in message
    assert "Fix:" in message and "python -m model." in message
    for word in words:
        assert word in message
    return message


def test_missing_file(tmp_path):
    assert_clear_error(tmp_path / "vae-z16.pt", "not found")


def test_empty_file(tmp_path):
    path = tmp_path / "ae-z2.pt"
    path.write_bytes(b"")
    assert_clear_error(path, "empty")


def test_text_file_is_not_a_checkpoint(tmp_path):
    path = tmp_path / "vae-z2.pt"
    path.write_text("hello, I am not a model\n")
    assert_clear_error(path, "not a readable checkpoint")


def test_random_bytes(tmp_path):
    path = tmp_path / "vae-z2.pt"
    path.write_bytes(os.urandom(4096))
    assert_clear_error(path)


def test_truncated_file(vae_file, tmp_path):
    data = vae_file[1].read_bytes()
    path = tmp_path / "vae-z4-truncated.pt"
    path.write_bytes(data[: len(data) // 2])
    assert_clear_error(path, "not a readable checkpoint")


def test_a_torch_file_of_another_shape(tmp_path):
    path = tmp_path / "vae-z2.pt"
    torch.save({"weights": torch.zeros(3)}, path)
    assert_clear_error(path, "not a Latent Lab checkpoint")


def test_weights_of_another_architecture(tmp_path):
    path = tmp_path / "vae-z16.pt"
    save_checkpoint(VAE(16, hidden=(32, 16)), path)
    payload = torch.load(path, weights_only=True)
    payload["hidden"] = [64, 32]  # declares a different architecture than the weights
    torch.save(payload, path)
    assert_clear_error(path, "do not fit")


def test_metadata_disagrees_with_weights(tmp_path):
    path = tmp_path / "vae-z16.pt"
    save_checkpoint(VAE(16, hidden=(32, 16)), path)
    payload = torch.load(path, weights_only=True)
    payload["latent_dim"] = 8
    torch.save(payload, path)
    assert_clear_error(path, "do not fit")


def test_non_finite_weights(tmp_path):
    net = AutoEncoder(2, hidden=(8, 8))
    with torch.no_grad():
        net.decoder.net[0].weight[0, 0] = float("nan")
    path = tmp_path / "ae-z2.pt"
    save_checkpoint(net, path)
    assert_clear_error(path, "NaN")


def test_wrong_kind(vae_file):
    message = assert_clear_error(vae_file[1], "'vae'", kind="ae")
    assert "'ae'" in message


class MakesMarker:
    """Unpickling this object would create a file: the code a safe load must never run."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_a_malicious_pickle_never_runs(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "vae-z2.pt"
    torch.save({"format": "latent-lab-checkpoint", "version": 1, "kind": "vae", "x": MakesMarker(marker)}, path)
    assert_clear_error(path, "safe load refuses")
    assert not marker.exists()
    # Control: an unsafe load of the same file does run the code, so the check above can fail.
    control = tmp_path / "control"
    torch.save({"x": MakesMarker(control)}, tmp_path / "control.pt")
    torch.load(tmp_path / "control.pt", weights_only=False)
    assert control.exists()


def test_a_plain_pickle_never_runs(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "ae-z2.pt"
    path.write_bytes(pickle.dumps(MakesMarker(marker)))
    assert_clear_error(path)
    assert not marker.exists()
