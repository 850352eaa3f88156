"""AppTest: the Draw tab's page logic (issue #12). The pad is one element (ui/components/drawpad):
these tests send what its page sends (a PNG of the strokes, a clear, a pick); tests/e2e/test_draw.py
draws on it in Chromium."""

import base64
import io
import json

import numpy as np
import pytest
import torch
from PIL import Image
from streamlit.testing.v1 import AppTest

from model import checkpoint_dir
from tests.conftest import ROOT
from tests.test_drawing import bomb_png
from ui import session
from ui.link import pack_drawing, unpack_drawing
from ui.resources import get_lab

TIMEOUT = 60
RESULTS = ("prepared drawing", "ae reconstruction", "vae reconstruction", "cloud samples")


def new_app(**query):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["tab"] = "draw"
    for key, value in query.items():
        at.query_params[key] = value
    return ok(at.run())


def ok(at):
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def view(at):
    """The data the results element (ui/components/drawview) was sent on the last run, or None."""
    found = [e for e in at.get("bidi_component") if e.proto.id.endswith(session.DRAWVIEW)]
    return json.loads(found[0].proto.json)["view"] if found else None


def figures(at):
    """{alt: (src, caption)} of the results' pictures (none without a drawing)."""
    shown = view(at)
    if not shown or shown.get("hidden"):
        return {}
    return {f["alt"]: (f["src"], f["caption"]) for f in shown["figures"] + [shown["samples"]]}


def picture(uri):
    return Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))


def lab(dim=2):
    return get_lab(dim, str(checkpoint_dir()))


def mnist_digit(index):
    return lab().images[index : index + 1]


def pad_png(pixels):
    """What the page sends at a stroke's end: the strokes, white ink in alpha on a transparent canvas."""
    rgba = np.zeros((*pixels.shape, 4), dtype=np.uint8)
    rgba[..., :3], rgba[..., 3] = 255, pixels
    buffer = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def drawn_seven():
    """A 7 drawn large on a 140×140 pad (the size the page sends)."""
    pad = np.zeros((140, 140), dtype=np.uint8)
    pad[25:33, 30:110] = 255
    for row in range(33, 125):
        col = int(110 - (row - 33) * 0.55)
        pad[row, col - 5 : col + 5] = 255
    return pad


def send_pad(at, value):
    """The pad's setStateValue("pad", value), delivered with the page's other widget states."""
    element = next(e for e in at.get("bidi_component") if e.proto.id.endswith(session.DRAWPAD))
    states = at._tree.get_widget_states()  # AppTest has no public way to set a component's state
    for widget in states.widgets:
        if widget.id == element.proto.id:
            states.widgets.remove(widget)
            break
    state = states.widgets.add()
    state.id = element.proto.id
    state.json_value = json.dumps({"pad": value})
    return ok(at._run(states))


def draw(at, pixels, strokes=2):
    return send_pad(at, {"kind": "drawing", "png": pad_png(pixels), "strokes": strokes, "id": f"s{strokes}"})


def upload(at, name, data, mime="image/png"):
    at.file_uploader(key=session.UPLOAD).set_value((name, data, mime))
    return ok(at.run())


def reparameterisation_rows(at):
    """[(dimension, μ, σ, ε, z)] from the table under the samples."""
    return [(name, *(float(v.replace("−", "-")) for v in values)) for name, *values in view(at)["table"]["rows"]]


def subscript_index(name):
    return int(name[1:].translate(str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789"))) - 1


# --- a drawing in the session ---------------------------------------------------------------

@pytest.mark.parametrize("dim", [2, 16])
def test_a_drawing_shows_both_reconstructions_the_cloud_and_the_samples(dim):
    at = new_app(dim=str(dim))
    at.session_state[session.DRAWING] = pack_drawing(mnist_digit(0))  # a clear 7
    ok(at.run())
    shown = figures(at)
    for alt in RESULTS:
        assert shown[alt][0].startswith("data:image/png;base64,")
    assert "judge: a clear “7”" in shown["ae reconstruction"][1] and "judge: a clear “7”" in shown["vae reconstruction"][1]
    assert picture(shown["cloud samples"][0]).size == (8 * 29 - 1, 28)  # eight decoded samples in a row
    seen = np.asarray(picture(shown["prepared drawing"][0]), dtype=np.float64) / 255
    assert np.abs(seen - unpack_drawing(at.session_state[session.DRAWING])).max() <= 0.5 / 255  # exactly what the models see
    maps = view(at)["maps"]  # the AE's map, the VAE's map and its close-up: codes under marks (SVG)
    assert len(maps) == 3 and all(m["codes"].startswith("data:image/png;base64,") for m in maps[:2])
    dots = maps[2]["dots"]  # the close-up's test codes, drawn by the page
    assert len(dots["xy"]) == 2 * len(dots["labels"]) > 0 and set(dots["labels"]) <= set(range(10))
    assert maps[0]["svg"].count("<path") == 2  # the AE's code: one × (with its halo)
    for vae_map in maps[1:]:
        assert vae_map["svg"].count('stroke-dasharray="4 3"') == 1 and vae_map["svg"].count("<path") == 4  # 2σ, 1σ, ×
    assert maps[2]["svg"].count("<circle") == 8  # the samples
    assert ("PCA plane" in view(at)["note"]) == (dim == 16)


@pytest.mark.parametrize("dim", [2, 16])
def test_the_reparameterisation_shows_the_models_own_numbers(dim):
    at = new_app(dim=str(dim))
    at.session_state[session.DRAWING] = pack_drawing(mnist_digit(1))
    ok(at.run())
    with torch.inference_mode():
        mu, logvar = lab(dim).vae.posterior(session_image(at))
    rows = reparameterisation_rows(at)
    assert len(rows) == (2 if dim == 2 else 4)
    expected_dims = [0, 1] if dim == 2 else lab(dim).slider_order[:4]
    assert [subscript_index(name) for name, *_ in rows] == expected_dims
    for (name, m, sigma, eps, z), i in zip(rows, expected_dims):
        assert m == pytest.approx(float(mu[0, i]), abs=6e-4)
        assert sigma == pytest.approx(float(torch.exp(0.5 * logvar[0, i])), abs=6e-4)
        assert z == pytest.approx(m + sigma * eps, abs=2e-3)


def session_image(at):
    return torch.from_numpy(unpack_drawing(at.session_state[session.DRAWING])).reshape(1, 1, 28, 28)


def test_new_eps_changes_the_samples_only_and_goes_in_the_link():
    at = new_app(draw=pack_drawing(mnist_digit(0)))
    before = figures(at)
    next(b for b in at.button if b.label == "New ε").click()
    ok(at.run())
    after = figures(at)
    assert after["cloud samples"][0] != before["cloud samples"][0]
    assert after["vae reconstruction"][0] == before["vae reconstruction"][0]
    assert at.query_params["eps"] == str(at.session_state[session.EPS]) != "0"


def test_explore_from_here_moves_the_sliders_to_mu_and_opens_explore():
    at = new_app(draw=pack_drawing(mnist_digit(0)), model="ae")  # Explore showed the AE
    mu = [row[1] for row in reparameterisation_rows(at)]
    next(b for b in at.button if b.label == "Explore from here").click()
    ok(at.run())
    assert at.session_state[session.TAB] == session.TAB_LABELS["explore"]
    z = list(at.session_state[session.z_key(2)])
    assert z == pytest.approx(mu, abs=0.006)  # the sliders' 0.01 steps
    explorer = json.loads(at.get("bidi_component")[0].proto.bytes)
    assert explorer["z"] == pytest.approx(z) and explorer["model"] == "vae"  # μ is a point of the VAE's space


def test_the_drawing_stays_when_the_latent_size_changes():
    at = new_app(draw=pack_drawing(mnist_digit(0)))
    at.sidebar.radio[0].set_value(16)
    ok(at.run())
    assert len(reparameterisation_rows(at)) == 4 and all(alt in figures(at) for alt in RESULTS)


# --- the pad --------------------------------------------------------------------------------

def test_a_stroke_on_the_pad_becomes_the_drawing_and_goes_in_the_link():
    at = new_app()
    assert not any(alt in figures(at) for alt in RESULTS)
    draw(at, drawn_seven())
    shown = figures(at)
    assert all(alt in shown for alt in RESULTS) and "your drawing" in shown["prepared drawing"][1]
    assert at.query_params["draw"] == at.session_state[session.DRAWING]
    prepared = unpack_drawing(at.session_state[session.DRAWING])
    rows, cols = np.nonzero(prepared > 0.2)
    assert rows.max() - rows.min() + 1 == 20  # prepared as MNIST's digits: the ink's box fits 20×20


@pytest.mark.parametrize("pixels, hint", [
    (np.zeros((140, 140), np.uint8), "Draw a digit first"),
    (np.pad(np.full((3, 3), 255, np.uint8), 60), "Too little ink"),
])
def test_a_blank_or_tiny_drawing_shows_the_hint_and_no_results(pixels, hint):
    at = new_app()
    draw(at, drawn_seven())
    draw(at, pixels, strokes=3)
    assert [w.value for w in at.warning if hint in w.value]
    assert not any(alt in figures(at) for alt in RESULTS)
    assert "draw" not in at.query_params


def test_clear_empties_the_results_and_an_example_fills_them():
    at = new_app()
    draw(at, drawn_seven())
    send_pad(at, {"kind": "clear", "id": "c"})
    assert not any(alt in figures(at) for alt in RESULTS) and not at.warning
    assert view(at)["hidden"]  # the results element stays on the page, hidden: the next stroke updates it
    send_pad(at, {"kind": "example", "index": 3, "id": "e"})  # the examples: one clear test digit of each class
    assert "judge: a clear “3”" in figures(at)["prepared drawing"][1]
    assert "the example" in figures(at)["prepared drawing"][1]


def test_garbage_from_the_pad_changes_nothing():
    at = new_app(draw=pack_drawing(mnist_digit(0)))
    before = at.session_state[session.DRAWING]
    for value in ({"kind": "drawing", "png": "data:image/png;base64,!!", "id": "g1"}, {"kind": "example", "index": 99, "id": "g2"},
                  {"kind": "explode", "id": "g3"}, "not a dict", None):
        send_pad(at, value)
    assert at.session_state[session.DRAWING] == before and all(alt in figures(at) for alt in RESULTS)


# --- the upload -----------------------------------------------------------------------------

def photo_of(digit):
    """A 'photo' of a test digit: dark ink on light grey paper, with a margin, as PNG bytes."""
    ink = np.kron(digit[0, 0].numpy(), np.ones((6, 6)))
    paper = np.pad(220 - 190 * ink, 40, constant_values=220).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(paper).save(buffer, format="PNG")
    return buffer.getvalue()


def test_an_uploaded_photo_becomes_the_drawing():
    at = new_app()
    upload(at, "seven.png", photo_of(mnist_digit(0)))
    shown = figures(at)
    assert "your photo" in shown["prepared drawing"][1] and "judge: a clear “7”" in shown["prepared drawing"][1]
    assert not at.warning


@pytest.mark.parametrize("name, data, message", [
    ("notes.png", b"these are my notes, not a picture", "not a photo"),
    ("empty.png", b"", "empty"),
    ("half.png", photo_of(mnist_digit(0))[:200], "not a photo"),
    ("bomb.png", bomb_png(30_000, 30_000), "too many pixels"),
])
def test_an_upload_that_is_not_an_image_shows_a_message_and_changes_nothing_else(name, data, message):
    at = new_app(draw=pack_drawing(mnist_digit(0)))
    before = view(at)
    upload(at, name, data)
    assert len(at.warning) == 1 and message in at.warning[0].value
    assert view(at) == before


# --- links ----------------------------------------------------------------------------------

def test_a_link_with_a_drawing_restores_it():
    text = pack_drawing(mnist_digit(0))
    at = new_app(draw=text, eps="1234")
    assert at.session_state[session.DRAWING] == text and at.session_state[session.EPS] == 1234
    assert "the drawing from the link" in figures(at)["prepared drawing"][1]
    assert not at.sidebar.warning
    assert at.query_params["draw"] == text and at.query_params["eps"] == "1234"


def test_a_link_with_a_malformed_drawing_falls_back_to_none_with_a_note():
    at = new_app(draw=pack_drawing(mnist_digit(0))[:-4] + "!!!!")
    assert not any(alt in figures(at) for alt in RESULTS)
    notes = " ".join(w.value for w in at.sidebar.warning)
    assert "`draw=" in notes and "no drawing" in notes
    assert "draw" not in at.query_params


def test_the_lessons_cloud_step_uses_the_students_drawing():
    at = new_app(draw=pack_drawing(mnist_digit(0)), tab="lesson", step="3")
    assert "your drawing" in "\n".join(m.value for m in at.markdown)


def test_the_results_element_is_served_as_one_module_that_parses(tmp_path):
    import shutil
    import subprocess

    from ui.components.bundle import bundle
    from ui.components.drawview import HERE

    served = bundle(HERE / "drawview.mjs", HERE.parent / "element.mjs")
    assert "from \"" not in served and "export default function" in served and "function el(" in served
    node = shutil.which("node")
    if node is None:
        pytest.skip("node not installed")
    (tmp_path / "served.mjs").write_text(served)
    subprocess.run([node, "--check", str(tmp_path / "served.mjs")], check=True)
