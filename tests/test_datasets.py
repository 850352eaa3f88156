"""Both data sets (issue #14): the shipped models of each load, decode and are judged; the link
carries the data set; every tab runs on both at both sizes, in the data set's own words."""

import re

import numpy as np
import pytest
import torch

from model.data import DATASETS, load_test_images
from model.lab import load_lab
from tests.test_app import explorer, new_app, ok, switch_tab
from ui import link, session
from ui.glossary import terms
from ui.nouns import article, nouns
from ui.verdicts import Tally, comparison_sentences, counts_markdown, reading_words

BOTH = list(DATASETS)


def test_the_link_knows_every_data_set_the_models_know():
    assert link.DATASETS == tuple(DATASETS) and link.DATASETS[0] == link.LinkState().data


@pytest.mark.parametrize("dataset", BOTH)
def test_the_test_pack_holds_ten_thousand_images_of_ten_classes(dataset):
    images, labels = load_test_images(dataset)
    assert images.shape == (10_000, 1, 28, 28) and 0 <= images.min() and images.max() <= 1
    assert tuple(torch.bincount(labels).tolist()) == DATASETS[dataset].sizes


@pytest.mark.parametrize("dataset", BOTH)
@pytest.mark.parametrize("dim", [2, 16])
def test_each_data_sets_lab_loads_decodes_and_its_judge_reads_its_own_images(dataset, dim):
    lab = load_lab(dim, dataset)
    assert lab.dataset == dataset and lab.info.classes == DATASETS[dataset].classes
    for kind in ("ae", "vae"):
        out = lab.decode(kind, np.zeros((3, dim)))
        assert out.shape == (3, 1, 28, 28) and torch.isfinite(out).all()
    readings = lab.readings(lab.images[:300])
    right = np.mean([r.label == label for r, label in zip(readings, lab.labels[:300])])
    assert right > (0.97 if dataset == "mnist" else 0.85)
    noise = torch.rand(200, 1, 28, 28, generator=torch.Generator().manual_seed(1))
    assert sum(r.call == "clear" for r in lab.readings(noise)) < 10


def test_articles_follow_the_sound():
    w = nouns("fashion-mnist")
    assert [w.a(c) for c in (0, 1, 9)] == ["a T-shirt", "a pair of trousers", "an ankle boot"]
    assert nouns("mnist").a(8) == "an 8" and nouns("mnist").a(7) == "a 7"
    assert (w.an_item, nouns("mnist").an_item, w.items) == ("an item", "a digit", "items")
    assert article("item") == "an" and w.kinds(1) == "1 different item" and w.kinds(3) == "3 different items"
    assert w.a(1, bold=True) == "a pair of **trousers**"


def test_the_verdict_words_follow_the_data_set():
    w = nouns("fashion-mnist")
    t = Tally(n=36, clear=20, unsure=10, none=6, clear_by_digit=(2,) * 10, unsure_by_digit=(1,) * 10, frechet=80.0)
    assert counts_markdown(t, w) == "**20 of 36** look like a clear item · **10** unsure · **6** not an item"
    text = " ".join(comparison_sentences(t, t, "prior", w))
    assert "clear items" in text and "digit" not in text
    lab = load_lab(2, "fashion-mnist")
    assert reading_words(lab.read(torch.zeros(1, 1, 28, 28)), lab.info) == "judge: not an item"


def test_the_glossary_names_items_on_fashion_and_digits_on_mnist():
    fashion = " ".join(" ".join(entry) for entry in terms(nouns("fashion-mnist")))
    assert "digit" not in fashion.lower() and "Clear / unsure / not an item" in fashion
    assert "real photos of clothes" in fashion
    assert "not a digit" in " ".join(" ".join(entry) for entry in terms(nouns("mnist")))


def test_the_data_set_travels_in_the_link_and_the_default_is_left_out():
    state = link.parse_link({"data": "fashion-mnist", "dim": "16"})
    assert state.data == "fashion-mnist" and not state.notes
    assert link.link_params(state)["data"] == "fashion-mnist"
    assert "data" not in link.link_params(link.LinkState())
    bad = link.parse_link({"data": "cifar"})
    assert bad.data == "mnist" and "data=cifar" in bad.notes[0] and "fashion-mnist" in bad.notes[0]


# --- the page -------------------------------------------------------------------------------

def page_words(at, tab):
    """What a student reads on the page: markdown, captions, notes, widget labels and help, the explorer's text."""
    parts = [str(e.value) for kind in ("markdown", "caption", "info", "warning", "success") for e in getattr(at, kind)]
    parts += [f"{e.label} {e.help or ''}" for kind in ("radio", "number_input", "button", "toggle", "slider")
              for e in getattr(at, kind)]
    if tab == "explore":
        data = explorer(at)
        parts += [str(data.get(key, "")) for key in ("map_caption", "digit_caption", "heading", "buttons", "item",
                                                     "classes", "recon")]
    return "\n".join(re.sub(r"data:image/png;base64,[^\"')\s]+", "", part) for part in parts)


MNIST_ONLY = "MNIST** models"  # the note of the tab and the lesson step that stay on MNIST


@pytest.mark.parametrize("dataset", BOTH)
@pytest.mark.parametrize("dim", ["2", "16"])
@pytest.mark.parametrize("tab", link.TABS)
def test_every_tab_runs_on_both_data_sets_at_both_sizes(tab, dim, dataset):
    at = ok(new_app(tab=tab, dim=dim, data=dataset))
    words = page_words(at, tab)
    assert nouns(dataset).items in words
    if dataset == "fashion-mnist" and tab != "why":
        digits = [m.group(0) for m in re.finditer(r".{0,60}(?<![-\w])digits?(?![-\w]).{0,30}", words, re.I)
                  if "MNIST: handwritten digits" not in m.group(0)]  # the data-set switch's own help
        assert digits == []
    if tab == "why":
        assert (MNIST_ONLY in words) == (dataset != "mnist")


def test_a_fashion_link_restores_the_data_set_and_the_explorer_speaks_of_clothes():
    at = ok(new_app(data="fashion-mnist", dim="2"))
    assert session.DATASET in at.session_state and at.session_state[session.DATASET] == "fashion-mnist"
    data = explorer(at)
    assert data["classes"][0] == "T-shirt" and data["item"] == "item" and "test items" in data["map_caption"]
    assert at.query_params["data"] == "fashion-mnist"


def test_a_garbage_data_set_falls_back_to_mnist_with_a_note():
    at = ok(new_app(data="../../etc", dim="2"))
    assert at.session_state[session.DATASET] == "mnist" and explorer(at)["classes"][7] == "7"
    assert any("`data=" in w.value for w in at.sidebar.warning)
    assert "data" not in at.query_params


def test_the_switch_changes_the_map_and_keeps_each_data_sets_own_place():
    at = ok(new_app(dim="2"))
    mnist = explorer(at)["signature"]
    at.sidebar.radio[1].set_value("fashion-mnist")
    ok(at.run())
    assert explorer(at)["signature"] != mnist and explorer(at)["classes"][9] == "ankle boot"
    assert at.query_params["data"] == "fashion-mnist"
    switch_tab(at, "lesson")
    assert "item" in "\n".join(m.value for m in at.markdown)
