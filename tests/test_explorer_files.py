"""The explorer's large data as cacheable files (ui/components/explorer/files.py): names, contents,
and how far the page's float16 decoder is from the server's float32 one."""

import numpy as np
import pytest
import torch

from model import checkpoint_dir
from model.data import DATASETS
from ui.components.explorer.files import (asset_contents, asset_url, file_content, pack_file, parse_name,
                                          unpack_file)
from ui.resources import get_lab

FOLDER = str(checkpoint_dir())


def page_decode(file, z):
    """What explorer-core.mjs's decode does with the file: ELU between layers, sigmoid last."""
    h = torch.as_tensor(np.asarray(z, dtype=np.float32))
    layers = file["decoder"]
    for i, layer in enumerate(layers):
        weight = file[f"decoder.{i}.weight"].astype(np.float32).reshape(layer["shape"])
        h = h @ torch.from_numpy(weight).T + torch.from_numpy(file[f"decoder.{i}.bias"].astype(np.float32))
        h = torch.sigmoid(h) if i == len(layers) - 1 else torch.nn.functional.elu(h)
    return h


def grey_levels(images):
    """As the page draws them: 0-255, rounded."""
    return np.rint(images.reshape(len(images), -1).numpy() * 255).astype(int)


@pytest.mark.parametrize("dataset", sorted(DATASETS))
@pytest.mark.parametrize("dim", [2, 16])
@pytest.mark.parametrize("model", ["vae", "ae"])
def test_the_pages_float16_decoder_draws_what_the_server_decodes(dataset, dim, model):
    lab = get_lab(dim, FOLDER, dataset)
    codes = lab.spaces[model].codes[:1000]
    draws = np.random.default_rng(0).standard_normal((1000, dim)) * (1 if model == "vae" else codes.std(0))
    z = np.concatenate([codes, draws]).astype(np.float32)
    diff = np.abs(grey_levels(page_decode(asset_contents(lab, model), z)) - grey_levels(lab.decode(model, z)))
    assert np.mean(diff <= 1) >= 0.99999  # measured: every pixel but 1 in 1.6 million within one grey level
    assert diff.max() <= 2


def test_the_file_carries_points_labels_and_the_manifold():
    lab = get_lab(2, FOLDER)
    file = asset_contents(lab, "vae")
    np.testing.assert_allclose(file["points"].reshape(-1, 2), lab.spaces["vae"].points, rtol=1e-3, atol=1e-3)
    assert list(file["labels"]) == list(lab.labels)
    assert file["manifold"].startswith("data:image/png;base64,")
    assert [layer["shape"] for layer in file["decoder"]] == [[256, 2], [512, 256], [784, 512]]


def test_pack_and_unpack_are_inverse():
    arrays = {"a": np.array([0.5, -2.0], dtype="<f2"), "b": np.arange(5, dtype=np.uint8)}
    file = unpack_file(pack_file({"title": "x", "n": [1, 2]}, arrays))
    assert file["title"] == "x" and file["n"] == [1, 2]
    assert file["a"].dtype == np.dtype("<f2") and list(file["a"]) == [0.5, -2.0] and list(file["b"]) == list(range(5))
    with pytest.raises(ValueError):
        unpack_file(b'{"not": "a file"}')


def test_a_file_is_served_only_under_its_current_name():
    lab = get_lab(2, FOLDER)
    name = asset_url(lab, "vae").rsplit("/", 1)[1]
    assert file_content(name, FOLDER) is not None
    stale = name[:-20] + "0" * 16 + ".bin"
    assert stale != name and file_content(stale, FOLDER) is None


@pytest.mark.parametrize("name", ["", "x.bin", "mnist-z3-vae-0123456789abcdef.bin", "cifar-z2-vae-0123456789abcdef.bin",
                                  "mnist-z2-gan-0123456789abcdef.bin", "mnist-z2-vae-0123456789ABCDEF.bin",
                                  "mnist-z2-vae-0123456789abcdef.bin/../x", "../mnist-z2-vae-0123456789abcdef.bin",
                                  "mnist-z16-vae-0123456789abcdef.binx", "mnist-z2-vae-0123456789abcdef.json", None])
def test_odd_names_name_no_file(name):
    assert parse_name(name) is None
    assert file_content(name, FOLDER) is None


def test_names_parse_back():
    assert parse_name("fashion-mnist-z16-ae-0123456789abcdef.bin") == ("fashion-mnist", 16, "ae", "0123456789abcdef")
