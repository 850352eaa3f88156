"""The "Why it works" tab: the training replay element and the β dial (AppTest on tiny models, so
nothing depends on which family members or which replay the checkpoints folder holds), the
link's beta= and frame=, and the pure helpers behind the captions."""

import json
import shutil
import subprocess

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from model.replay import load_replay
from tests.conftest import ROOT, TINY_BETAS
from tests.test_app import images, markdown_text, ok
from ui import session
from ui.link import MAX_BETA, LinkState, link_params, parse_link
from ui.tabs.lesson.kl import CHOICES

TIMEOUT = 120


@pytest.fixture
def why_app(why_checkpoints, monkeypatch):
    """new_app(**query) on the tiny checkpoints with a β family and a replay."""
    monkeypatch.setenv("LATENT_LAB_CHECKPOINTS", str(why_checkpoints))

    def new_app(**query):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
        for key, value in {"tab": "why", **query}.items():
            at.query_params[key] = value
        return at.run()

    return new_app


def replay_data(at):
    """The data the replay element was sent on the last run (None when it is not on the page)."""
    found = at.main.get("bidi_component")  # the sidebar holds the teacher panel's copy-link element
    return json.loads(found[0].proto.json) if found else None


def family_map(at):
    """The dial's latent map, as the Plotly figure sent to the page."""
    charts = [c for c in at.get("plotly_chart") if "map" in c.proto.id]
    return json.loads(charts[0].proto.spec)


def report_frame(at, value):
    """What the page does when playback stops or the student steps or scrubs: setStateValue("frame", value)."""
    element = at.get("bidi_component")[0]
    states = at._tree.get_widget_states()  # AppTest has no public way to set a component's state value
    kept = [w for w in states.widgets if w.id != element.proto.id]
    del states.widgets[:]
    states.widgets.extend(kept)
    state = states.widgets.add()
    state.id = element.proto.id
    state.json_value = json.dumps({"frame": value})
    return ok(at._run(states))


def sidebar_notes(at):
    return " ".join(w.value for w in at.sidebar.warning)


# --- the β dial ------------------------------------------------------------------------------

@pytest.mark.parametrize("beta", TINY_BETAS)
def test_the_tab_renders_for_every_beta(why_app, beta):
    at = ok(why_app(beta=f"{beta:g}"))
    assert at.session_state[session.BETA] == beta and at.query_params["beta"] == f"{beta:g}"
    text = markdown_text(at)
    assert f"**β = {beta:g}**" in text and "of 2 latent dimensions in use" in text
    assert len(images(at, "beta samples")) == 1 and len(images(at, "beta reconstructions")) == 1
    assert "look like a clear digit" in text  # the judge's verdict on the 36 samples
    assert not sidebar_notes(at)


def test_the_dial_starts_at_the_vae_and_moving_it_changes_the_map_and_the_samples(why_app):
    at = ok(why_app())
    slider = at.select_slider(key=session.widget_key(session.BETA))
    assert slider.value == 1.0 and list(slider.options) == [f"{b:g}" if b not in (0, 1) else
                                                            {0: "0 (AE)", 1: "1 (VAE)"}[b] for b in TINY_BETAS]
    before_map, before_samples = family_map(at), images(at, "beta samples")
    slider.set_value(0.0)
    ok(at.run())
    assert family_map(at)["data"] != before_map["data"] and images(at, "beta samples") != before_samples
    assert "an auto-encoder in all but name" in markdown_text(at) and at.query_params["beta"] == "0"


def test_the_family_chart_marks_the_chosen_beta(why_app):
    at = ok(why_app(beta="4"))
    chart = [c for c in at.get("plotly_chart") if "family" in c.proto.id][0]
    traces = json.loads(chart.proto.spec)["data"]
    marks = [t for t in traces if t["mode"] == "markers"]
    assert len(marks) == 3 and all(t["x"] == ["4"] for t in marks)  # reconstruction, KL, clear share
    assert all(t["x"] == ["0", "1", "4"] for t in traces if t["mode"] == "lines+markers")


def test_a_link_with_an_untrained_beta_or_a_missing_frame_falls_back_with_a_note(why_app):
    at = ok(why_app(beta="0.3", frame="99"))
    assert at.session_state[session.BETA] == 1.0 and replay_data(at)["frame"] == 0
    notes = sidebar_notes(at)
    assert "`beta=0.3`" in notes and "trained: 0 (AE), 1 (VAE), 4" in notes and "`frame=99`" in notes
    assert "frame" not in at.query_params and at.query_params["beta"] == "1"


def test_the_lessons_kl_step_places_this_dial_and_answers_from_what_it_shows(why_app):
    at = why_app(tab="lesson", step="4")
    at.radio[0].set_value(CHOICES["worse"])  # the lesson's predict-first question comes first
    ok(at.run())
    slider = at.select_slider(key=session.widget_key(session.LESSON_DIAL))
    assert slider.label == "Weight of the KL term, β" and slider.value == 1.0
    assert len(images(at, "beta samples")) == 1 and not images(at, "lesson dial samples")  # not the stand-in
    slider.set_value(0.0)
    ok(at.run())
    seen = at.session_state[session.LESSON_SEEN]["kl"]
    assert set(seen) == {0.0, 1.0} and all(r["n"] == 36 and 0 <= r["clear"] <= 36 for r in seen.values())
    assert f"At β = 0 the judge accepts **{seen[0.0]['clear']} of 36**" in at.success[0].value
    assert "beta" not in at.query_params  # the lesson's dial is not the tab's


# --- the replay ------------------------------------------------------------------------------

def test_every_frame_arrives_once_with_a_caption_each(why_app, why_checkpoints):
    arrays, _ = load_replay(why_checkpoints / "mnist" / "replay.npz")
    at = ok(why_app())
    data = replay_data(at)
    count = len(arrays["vae_steps"])
    assert data["count"] == count and len(data["captions"]) == count and data["steps"] == arrays["vae_steps"].tolist()
    assets = data["assets"]
    codes = np.frombuffer(__import__("base64").b64decode(assets["codes"]["ae"]), dtype="<f2")
    assert np.array_equal(codes.reshape(arrays["ae_codes"].shape), arrays["ae_codes"])
    assert all(uri.startswith("data:image/png;base64,") for uri in assets["sprites"].values())
    assert [k["clear"] for k in data["kinds"]] == [arrays["ae_clear"].tolist(), arrays["vae_clear"].tolist()]
    at.select_slider(key=session.widget_key(session.BETA)).set_value(4.0)
    ok(at.run())
    assert replay_data(at)["assets"] is None  # the page keeps them


def test_the_page_reports_the_position_and_the_link_follows(why_app):
    at = ok(why_app())
    assert "frame" not in at.query_params
    report_frame(at, 3)
    assert at.session_state[session.REPLAY_FRAME] == 3 and at.query_params["frame"] == "3"
    assert replay_data(at)["frame"] == 3
    for junk in (9, -1, "2", True, None, 1.5):  # the tiny replay has frames 0 to 8
        report_frame(at, junk)
        assert at.session_state[session.REPLAY_FRAME] == 3


def test_a_link_restores_the_replay_position_and_beta(why_app):
    at = ok(why_app(frame="4", beta="4"))
    assert replay_data(at)["frame"] == 4 and at.session_state[session.BETA] == 4.0
    assert at.query_params["frame"] == "4" and at.query_params["beta"] == "4"


def test_the_page_asking_for_the_frames_again_gets_them(why_app):
    at = ok(why_app())
    report_frame(at, 1)
    assert replay_data(at)["assets"] is None
    element = at.get("bidi_component")[0]
    from streamlit.components.v2.bidi_component.main import _make_trigger_id

    states = at._tree.get_widget_states()
    trigger = states.widgets.add()
    trigger.id = _make_trigger_id(element.proto.id, "events")
    trigger.json_trigger_value = json.dumps([{"event": "assets", "value": "lost"}])
    ok(at._run(states))
    assert replay_data(at)["assets"] is not None


def without(why_checkpoints, tmp_path, monkeypatch, name):
    folder = tmp_path / "checkpoints"
    shutil.copytree(why_checkpoints, folder)
    target = folder / "mnist" / name
    shutil.rmtree(target) if target.is_dir() else target.unlink()
    monkeypatch.setenv("LATENT_LAB_CHECKPOINTS", str(folder))
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)


@pytest.mark.parametrize("missing, says", [
    ("replay.npz", ("replay is not available", "replay.npz: file not found", "python -m model.replay")),
    ("beta", ("β family is not available", "no β family here", "python -m model.train")),
])
def test_a_missing_replay_or_family_shows_a_clear_message_and_the_other_half_still_works(
        missing, says, why_checkpoints, tmp_path, monkeypatch):
    at = without(why_checkpoints, tmp_path, monkeypatch, missing)
    at.query_params["tab"] = "why"
    ok(at.run())
    message = " ".join(i.value for i in at.info)
    assert all(part in message for part in says), message
    replay_shown, dial_shown = replay_data(at) is not None, len(images(at, "beta samples")) == 1
    assert (replay_shown, dial_shown) == ((False, True) if missing == "replay.npz" else (True, False))


def test_on_16d_the_tab_says_it_shows_the_2d_models(why_app):
    at = ok(why_app(dim="16"))
    assert any("shows the **2-D** models" in i.value for i in at.info)
    assert replay_data(at)["count"] > 0 and len(images(at, "beta samples")) == 1


def test_tab_values_survive_a_visit_to_another_tab(why_app):
    at = ok(why_app(beta="4", seed="55"))
    for tab in ("explore", "interpolate", "why"):
        at.session_state[session.TAB] = session.TAB_LABELS[tab]
        ok(at.run())
        assert at.query_params["beta"] == "4" and at.query_params["seed"] == "55"
    assert at.select_slider(key=session.widget_key(session.BETA)).value == 4.0


def test_the_served_javascript_is_the_view_with_both_cores_inlined(tmp_path):
    """Streamlit serves the element's JS as one module from a blob URL: no import may be left."""
    from ui.components.bundle import bundle
    from ui.components.replay.replay import HERE, SHARED_MODULES

    served = bundle(HERE / "replay.mjs", *SHARED_MODULES)
    assert "from \"" not in served and served.count("export ") == 1
    assert all(f"function {name}(" in served for name in ("playhead", "fitView", "currentState"))
    node = shutil.which("node")
    if node is None:
        pytest.skip("node not installed")
    (tmp_path / "served.mjs").write_text(served)
    # Importing runs the module's top level: a name both cores declare would be a SyntaxError here.
    check = "import(process.argv[1]).then((m) => process.exit(typeof m.default === 'function' ? 0 : 1))"
    subprocess.run([node, "-e", check, str(tmp_path / "served.mjs")], check=True)


# --- the link and the captions (pure) --------------------------------------------------------

def test_beta_and_frame_round_trip_through_the_link():
    state = LinkState(tab="why", beta=0.25, frame=7)
    assert parse_link(link_params(state)) == state
    assert "beta" not in link_params(LinkState()) and "frame" not in link_params(LinkState())


@pytest.mark.parametrize("bad", [{"beta": "nan"}, {"beta": "-1"}, {"beta": "1e9"}, {"beta": "x"},
                                 {"frame": "-1"}, {"frame": "1.5"}, {"frame": "1e3"}])
def test_a_malformed_beta_or_frame_falls_back_with_a_note(bad):
    state = parse_link(bad)
    assert state.beta is None and state.frame == 0 and len(state.notes) == 1
    key = next(iter(bad))
    assert f"`{key}=" in state.notes[0] and (key != "beta" or f"{MAX_BETA:g}" in state.notes[0])


def test_frame_captions_follow_the_recipe():
    from ui.components.replay.replay import frame_captions

    steps = np.array([0, 25, 100, 200])
    codes = np.zeros((4, 10, 2), np.float16)
    codes[:, :, 0] = np.arange(1, 5)[:, None]  # every code of frame f sits f + 1 from the centre
    arrays = {"vae_steps": steps, "vae_epochs": np.array([0, 0, 1, 2]), "ae_codes": codes, "vae_codes": codes / 2,
              "ae_clear": np.array([0, 1, 2, 3]), "vae_clear": np.array([0, 4, 8, 12]),
              "vae_samples": np.zeros((4, 36, 28, 28), np.uint8)}
    meta = {"training": {"epochs": 20, "batch_size": 128, "kl_warmup_epochs": 2, "beta": 1.0}, "steps_per_epoch": 100}
    captions = frame_captions(arrays, meta)
    assert captions[0].startswith("Before training") and "weight 0.00 of 1" in captions[0]
    assert "After 25 batches of 128 digits: epoch 1 of 20, 25 of its 100 batches" in captions[1]
    assert "weight 0.12 of 1" in captions[1]
    assert "the end of epoch 1 of 20" in captions[2] and "weight 0.50 of 1" in captions[2]
    assert "has its full weight (β = 1)" in captions[3]
    assert "The AE's codes reach 4.0 from the centre, the VAE's 2.0 (99% of them" in captions[3]
    assert "3 of 36 AE samples and 12 of 36 VAE samples" in captions[3]
    silent = frame_captions(arrays, {"training": "junk"})  # a replay whose metadata says little
    assert silent[1].startswith("After 25 batches.") and "KL term" not in silent[1]
