"""A checkpoint folder is something people copy around: a broken file must never take the page
down, run foreign code, or make the other latent size unusable. The app never writes its files."""

import hashlib
import json
import os
import shutil

import pytest
import torch
from streamlit.testing.v1 import AppTest

from model.checkpoint import save_checkpoint
from model.networks import VAE
from tests.conftest import ROOT
from tests.test_app import send
from tests.test_checkpoint import MakesMarker
from ui import session


def corrupt_random(path):
    path.write_bytes(os.urandom(2048))


def corrupt_empty(path):
    path.write_bytes(b"")


def corrupt_truncated(path):
    path.write_bytes(path.read_bytes()[:1000])


def corrupt_wrong_kind(path):
    shutil.copy(path.parent / "judge.pt", path)


def corrupt_wrong_dim(path):
    save_checkpoint(VAE(8, hidden=(64, 32)), path)  # a valid VAE, but 8-D in the 16-D slot


def corrupt_missing(path):
    path.unlink()


def corrupt_pickle(path):
    torch.save({"format": "latent-lab-checkpoint", "version": 1, "kind": "vae",
                "state_dict": MakesMarker(path.parent / "pwned")}, path)


CORRUPTIONS = [corrupt_random, corrupt_empty, corrupt_truncated, corrupt_wrong_kind, corrupt_wrong_dim,
               corrupt_missing, corrupt_pickle]


@pytest.mark.parametrize("corrupt", CORRUPTIONS, ids=lambda f: f.__name__.removeprefix("corrupt_"))
def test_a_broken_16d_checkpoint_shows_a_message_and_2d_still_works(corrupt, tiny_checkpoints, tmp_path,
                                                                     monkeypatch):
    folder = tmp_path / "checkpoints"
    shutil.copytree(tiny_checkpoints, folder)
    corrupt(folder / "mnist" / "vae-z16.pt")
    monkeypatch.setenv("LATENT_LAB_CHECKPOINTS", str(folder))

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["dim"] = "16"
    at.run()
    assert not at.exception
    message = " ".join(e.value for e in at.error)
    assert "vae-z16.pt" in message and "Fix:" in message and "python -m model.train" in message
    assert not (folder / "pwned").exists()

    at.sidebar.radio[0].set_value(2)
    at.run()
    assert not at.exception and not at.error
    explorers = at.main.get("bidi_component")  # the sidebar holds the teacher panel's copy-link element
    assert len(explorers) == 1 and len(json.loads(explorers[0].proto.bytes)["z"]) == 2  # the 2-D explorer works


def tree_digest(folder):
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def test_serving_never_writes_the_apps_files():
    watched = [ROOT / "checkpoints", ROOT / "model", ROOT / "ui"]
    before = [tree_digest(f) for f in watched] + [hashlib.sha256((ROOT / "app.py").read_bytes()).hexdigest()]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    send(at, "z", z=[1.0, 0.0])
    send(at, "jump")
    send(at, "click", x=0.5, y=0.5)
    for tab in ("compare", "interpolate", "lesson"):
        at.session_state[session.TAB] = session.TAB_LABELS[tab]
        at.run()
    assert not at.exception
    after = [tree_digest(f) for f in watched] + [hashlib.sha256((ROOT / "app.py").read_bytes()).hexdigest()]
    assert before == after


# --- garbage links through the whole page (property-based, a few examples: each is a page run) --

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.test_link_and_events import KEYS, junk_text  # noqa: E402


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(KEYS), junk_text, min_size=1, max_size=6))
def test_any_link_renders_a_page(params):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception and not at.error
    assert len(at.main.get("bidi_component")) in (0, 1)  # 0 when the link opened another tab
    notes = [w.value for w in at.sidebar.warning]
    assert all(n.startswith("Ignored") for n in notes)
