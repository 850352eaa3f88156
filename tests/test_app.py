"""AppTest: the page logic of every tab, run as Streamlit runs the script (no browser)."""

import base64
import io
import itertools
import json
import re

import numpy as np
import pytest
from PIL import Image
from streamlit.components.v2.bidi_component.main import _make_trigger_id
from streamlit.testing.v1 import AppTest

from model import checkpoint_dir
from tests.conftest import ROOT
from ui import session
from ui.components.explorer.files import asset_contents
from ui.resources import get_lab

TIMEOUT = 60


def new_app(**query):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def ok(at):
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def images(at, alt):
    """PNG payloads of the embedded images with this alt text."""
    found = []
    for m in at.markdown:
        found += re.findall(rf'<img src="data:image/png;base64,([^"]+)" alt="{re.escape(alt)}"', m.value)
    return found


def png_size(payload):
    return Image.open(io.BytesIO(base64.b64decode(payload))).size


def switch_tab(at, tab):
    at.session_state[session.TAB] = session.TAB_LABELS[tab]
    return ok(at.run())


def set_dim(at, dim):
    at.sidebar.radio[0].set_value(dim)
    return ok(at.run())


def markdown_text(at):
    return "\n".join(m.value for m in at.markdown)


# --- Explore -------------------------------------------------------------------------------
# The explore panel is one element (ui/components/explorer): AppTest reads the data it is sent
# and plays the events the browser would send; tests/e2e drives the element itself in Chromium.

def explorer(at):
    """The data the explorer element was sent on the last run, or None when it is not on the page."""
    found = at.get("bidi_component")
    return json.loads(found[0].proto.bytes) if found else None  # its JSON, as bytes (explorer.payload)


def digit_png(at):
    uri = explorer(at)["digit"]
    assert uri.startswith("data:image/png;base64,")
    return uri


def z_of(at, dim):
    """z as the session holds it (a size never moved yet sits at the origin)."""
    key = session.z_key(dim)
    return list(at.session_state[key]) if key in at.session_state else [0.0] * dim


def send_raw(at, value):
    """What the browser does on a slider release, a map click or a button: the explorer's
    setTriggerValue("event", value), delivered with the page's other widget states; one rerun."""
    element = at.get("bidi_component")[0]
    states = at._tree.get_widget_states()  # AppTest has no public way to fire a component trigger
    trigger = states.widgets.add()
    trigger.id = _make_trigger_id(element.proto.id, "events")
    trigger.json_trigger_value = json.dumps([{"event": "event", "value": value}])
    return ok(at._run(states))


def send(at, kind, **fields):
    return send_raw(at, {"id": f"{kind}-{next(EVENT_IDS)}", "kind": kind, **fields})


EVENT_IDS = itertools.count()


@pytest.mark.parametrize("dim", [2, 16])
def test_explore_renders_for_both_sizes(dim):
    at = ok(new_app(dim=str(dim)))
    data = explorer(at)
    assert data["z"] == [0.0] * dim and len(data["slider_labels"]) == dim
    assert png_size(digit_png(at).split(",")[1])[0] >= 224
    assert data["assets_url"].startswith(f"lab/explorer/mnist-z{dim}-vae-")
    file = asset_contents(get_lab(dim, str(checkpoint_dir())), "vae")
    assert file["manifold"].startswith("data:image/png;base64,")
    assert file["points"].shape == (10_000 * 2,) and file["labels"].shape == (10_000,)
    assert [layer["shape"] for layer in file["decoder"]] == [[256, dim], [512, 256], [784, 512]]
    (x0, x1), (y0, y1) = data["view"]["x"], data["view"]["y"]
    assert x0 < 0 < x1 and y0 < 0 < y1
    assert "judge" in data["digit_caption"] and data["recon"] is None


def test_every_run_names_the_same_file_for_the_large_data_and_no_run_carries_it():
    at = ok(new_app())
    url = explorer(at)["assets_url"]
    send(at, "z", z=[0.5, 0.5])
    assert explorer(at)["assets_url"] == url and "assets" not in explorer(at)


def test_sliders_are_ordered_by_kl():
    data = explorer(ok(new_app(dim="16")))
    kls = [float(re.search(r"KL ([\d.]+)", data["slider_precise"][i]).group(1)) for i in data["order"]]
    assert sorted(data["order"]) == list(range(16)) and kls == sorted(kls, reverse=True)


def test_moving_a_slider_changes_the_decoded_digit():
    at = ok(new_app())
    before = digit_png(at)
    send(at, "z", z=[2.0, 0.0])
    assert digit_png(at) != before and explorer(at)["z"] == [2.0, 0.0]
    assert at.query_params["z"] == "2,0"


def test_an_event_is_applied_once():
    at = ok(new_app())
    send(at, "z", z=[1.0, 1.0])
    assert explorer(at)["event_id"].startswith("z-")  # the page learns which event this answers
    at.session_state[session.z_key(2)] = (-1.0, 1.0)  # a later change from elsewhere
    ok(at.run())  # a trigger value lives for one run: the event must not move z back
    assert z_of(at, 2) == [-1.0, 1.0]


def test_a_map_click_moves_z_and_the_marker():
    at = ok(new_app())
    before = digit_png(at)
    send(at, "click", x=1.25, y=-0.5)
    assert z_of(at, 2) == pytest.approx([1.25, -0.5])
    assert explorer(at)["z"] == pytest.approx([1.25, -0.5]) and explorer(at)["marker"] == pytest.approx([1.25, -0.5])
    assert digit_png(at) != before


def test_a_map_click_outside_the_slider_range_is_clamped():
    at = ok(new_app())
    send(at, "click", x=7.5, y=-40.0)
    assert z_of(at, 2) == [3.0, -3.0]


def test_a_map_click_on_the_16d_plane_lands_on_the_plane():
    from model import checkpoint_dir
    from ui.resources import get_lab

    at = ok(new_app(dim="16"))
    send(at, "click", x=0.8, y=0.3)
    projection = get_lab(16, str(checkpoint_dir())).spaces["vae"].projection
    expected = np.clip(projection.inverse(np.array([0.8, 0.3])), -3, 3)
    assert np.allclose(z_of(at, 16), expected, atol=0.006)  # sliders round to 0.01
    assert explorer(at)["marker"] == pytest.approx([0.8, 0.3], abs=0.02)


def test_random_and_origin_buttons():
    at = ok(new_app())
    send(at, "random")
    assert any(v != 0 for v in explorer(at)["z"])
    send(at, "origin")
    assert explorer(at)["z"] == [0.0, 0.0]


def test_jump_to_a_test_digit_shows_three_images_and_the_label():
    at = ok(new_app())
    send(at, "jump")
    recon = explorer(at)["recon"]
    assert [caption for _, caption in recon["images"]] == ["original", "AE reconstruction", "VAE reconstruction"]
    assert all(uri.startswith("data:image/png;base64,") for uri, _ in recon["images"])
    assert re.fullmatch(r"Test digit #\d+ \(label \d\): original, AE and VAE reconstructions", recon["title"])
    send(at, "z", z=[1.0, 0.0])
    assert explorer(at)["recon"] is None  # moving away from the digit hides its reconstructions


def test_garbage_events_change_nothing():
    at = ok(new_app())
    for event in ({"kind": "z", "z": [1.0]}, {"kind": "z", "z": ["1", 2]}, {"kind": "click", "x": float("nan"), "y": 0},
                  {"kind": "explode"}, {"kind": "click", "x": True, "y": 1}):
        send_raw(at, {"id": f"junk-{next(EVENT_IDS)}", **event})
    send_raw(at, "not a dict")
    assert z_of(at, 2) == [0.0, 0.0]


def test_the_size_switch_changes_the_number_of_sliders():
    at = ok(new_app())
    assert len(explorer(at)["z"]) == 2
    set_dim(at, 16)
    assert len(explorer(at)["z"]) == 16
    set_dim(at, 2)
    assert len(explorer(at)["z"]) == 2


# --- AE vs VAE and Interpolate: tests/test_compare.py, tests/test_interpolate.py -------------


# --- Presenter mode (the Lesson tab is tested in tests/test_lesson.py) -----------------------

def test_tab_widgets_keep_their_values_on_other_tabs():
    """A widget's value outlives its tab: AE vs VAE -> Lesson -> Next once lost the seed (KeyError)."""
    at = ok(new_app(tab="compare", seed="777", n="16", a="10", b="20"))
    at = switch_tab(switch_tab(at, "interpolate"), "lesson")
    [b for b in at.button if "Next" in b.label][0].click()
    ok(at.run())
    at = switch_tab(at, "compare")
    assert (at.session_state[session.SEED], at.session_state[session.SAMPLE_COUNT]) == (777, 16)
    assert at.session_state[session.FROM_DIGIT] == 10 and at.query_params["seed"] == "777"


def test_presenter_mode_enlarges_the_type():
    at = ok(new_app())
    assert "font-size: 20px" not in markdown_text(at)
    at.sidebar.toggle[0].set_value(True)
    ok(at.run())
    assert "font-size: 20px" in markdown_text(at)
    assert at.query_params["presenter"] == "1"  # a reload keeps the projector's view


def test_a_presenter_link_opens_presenter_mode_and_copy_link_leaves_it_out():
    at = ok(new_app(tab="compare", presenter="1", seed="12"))
    assert at.session_state[session.PRESENTER] and at.sidebar.toggle[0].value
    assert "font-size: 20px" in markdown_text(at) and not at.sidebar.warning
    assert at.query_params["presenter"] == "1"
    copy_links = [e.proto.json for e in at.get("bidi_component") if '"url"' in e.proto.json]
    assert copy_links and all("seed=12" in u and "presenter" not in u for u in copy_links)  # the students' link
    at.sidebar.toggle[0].set_value(False)
    ok(at.run())
    assert "presenter" not in at.query_params and "font-size: 20px" not in markdown_text(at)


def test_an_odd_presenter_value_falls_back_with_a_note():
    at = ok(new_app(presenter="yes"))
    assert not at.session_state[session.PRESENTER]
    assert "`presenter=yes`" in " ".join(w.value for w in at.sidebar.warning)


# --- Shareable links -------------------------------------------------------------------------

def test_a_link_with_z_and_seed_restores_them():
    at = ok(new_app(tab="compare", dim="2", z="1.5,-0.25", seed="777"))
    assert at.session_state[session.TAB] == session.TAB_LABELS["compare"]
    assert at.number_input[0].value == 777
    assert z_of(at, 2) == pytest.approx([1.5, -0.25])
    assert not at.sidebar.warning


def test_a_link_restores_lesson_step_and_endpoints():
    at = ok(new_app(tab="lesson", step="4", a="10", b="20"))
    assert at.session_state[session.LESSON_STEP] == 4 and "## 4." in markdown_text(at)
    assert (at.session_state[session.FROM_DIGIT], at.session_state[session.TO_DIGIT]) == (10, 20)


def test_a_link_with_garbage_renders_the_defaults_and_a_note():
    at = ok(new_app(tab="nope", dim="3", z="nan,inf", seed="-5", step="99", n="7", a="1e9", ae="x"))
    assert explorer(at)["z"] == [0.0, 0.0]
    assert at.session_state[session.SEED] == 0 and at.session_state[session.LESSON_STEP] == 1
    notes = " ".join(w.value for w in at.sidebar.warning)
    for key in ("tab", "dim", "z", "seed", "step", "n", "a", "ae"):
        assert f"`{key}=" in notes


def test_the_address_bar_follows_the_state():
    at = switch_tab(new_app(), "compare")
    at.number_input[0].set_value(42)
    ok(at.run())
    assert at.query_params["tab"] == "compare" and at.query_params["seed"] == "42"


# --- The explorer's JavaScript ---------------------------------------------------------------

def test_the_served_javascript_is_the_view_with_the_core_inlined(tmp_path):
    """Streamlit serves the element's JS as one module from a blob URL: no import may be left."""
    import shutil
    import subprocess

    from ui.components.bundle import bundle
    from ui.components.explorer.explorer import HERE

    served = bundle(HERE / "explorer.mjs", HERE / "explorer-core.mjs", HERE.parent / "element.mjs")
    assert "from \"./" not in served and "export default function" in served
    assert "function decode(" in served and "function nearestPoint(" in served  # from explorer-core.mjs
    assert served.count("export ") == 1
    node = shutil.which("node")
    if node is None:
        pytest.skip("node not installed")
    (tmp_path / "served.mjs").write_text(served)
    subprocess.run([node, "--check", str(tmp_path / "served.mjs")], check=True)
    (tmp_path / "explorer.mjs").write_text((HERE / "explorer.mjs").read_text().replace("from \"./", "from \"./x-"))
    with pytest.raises(ValueError):
        bundle(tmp_path / "explorer.mjs", HERE / "explorer-core.mjs", HERE.parent / "element.mjs")  # a view importing anything else is refused
