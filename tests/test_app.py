"""AppTest: the page logic of every tab, run as Streamlit runs the script (no browser)."""

import base64
import io
import re

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from ui.session import TAB_LABELS

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
    at.session_state["tab"] = TAB_LABELS[tab]
    return ok(at.run())


def set_dim(at, dim):
    at.sidebar.radio[0].set_value(dim)
    return ok(at.run())


def markdown_text(at):
    return "\n".join(m.value for m in at.markdown)


# --- Explore -------------------------------------------------------------------------------

@pytest.mark.parametrize("dim", [2, 16])
def test_explore_renders_for_both_sizes(dim):
    at = ok(new_app(dim=str(dim)))
    assert len(at.slider) == dim
    assert all(s.value == 0.0 for s in at.slider)
    assert len(images(at, "decoded digit")) == 1
    assert png_size(images(at, "decoded digit")[0])[0] >= 224
    assert len(images(at, "manifold grid")) == 1


def test_sliders_are_ordered_by_kl():
    at = ok(new_app(dim="16"))
    kls = [float(re.search(r"KL ([\d.]+)", s.label).group(1)) for s in at.slider]
    assert kls == sorted(kls, reverse=True)


def test_moving_a_slider_changes_the_decoded_digit():
    at = ok(new_app())
    before = images(at, "decoded digit")
    at.slider[0].set_value(2.0)
    ok(at.run())
    assert images(at, "decoded digit") != before
    assert at.query_params["z"]


def test_a_map_selection_moves_z_and_the_sliders():
    at = ok(new_app())
    before = images(at, "decoded digit")
    at.session_state["map2"] = {"selection": {"points": [{"x": 1.25, "y": -0.5}], "point_indices": [0],
                                              "box": [], "lasso": []}}
    ok(at.run())
    assert [at.session_state["z2_0"], at.session_state["z2_1"]] == pytest.approx([1.25, -0.5])
    assert sorted(s.value for s in at.slider) == pytest.approx([-0.5, 1.25])  # sliders follow, in KL order
    assert images(at, "decoded digit") != before


def test_a_map_selection_on_the_16d_plane_lands_on_the_plane():
    from ui.resources import get_lab
    from model.lab import checkpoint_dir

    at = ok(new_app(dim="16"))
    at.session_state["map16"] = {"selection": {"points": [{"x": 0.8, "y": 0.3}]}}
    ok(at.run())
    z = np.array([at.session_state[f"z16_{i}"] for i in range(16)])
    projection = get_lab(16, str(checkpoint_dir())).spaces["vae"].projection
    expected = np.clip(projection.inverse(np.array([0.8, 0.3])), -3, 3)
    assert np.allclose(z, expected, atol=0.006)  # sliders round to 0.01


def test_random_and_origin_buttons():
    at = ok(new_app())
    at.button[0].click()  # Random z
    ok(at.run())
    assert any(s.value != 0 for s in at.slider)
    at.button[1].click()  # Origin
    ok(at.run())
    assert all(s.value == 0 for s in at.slider)


def test_jump_to_a_test_digit_shows_three_images_and_the_label():
    at = ok(new_app())
    at.button[2].click()
    ok(at.run())
    for alt in ("original", "AE reconstruction", "VAE reconstruction"):
        assert len(images(at, alt)) == 1
    assert re.search(r"\*\*Test digit #\d+\*\* \(label \*\*\d\*\*\)", markdown_text(at))
    at.slider[0].set_value(1.0)
    ok(at.run())
    assert not images(at, "original")  # moving away from the digit hides its reconstructions


def test_the_size_switch_changes_the_number_of_sliders():
    at = ok(new_app())
    assert len(at.slider) == 2
    set_dim(at, 16)
    assert len(at.slider) == 16
    set_dim(at, 2)
    assert len(at.slider) == 2


# --- AE vs VAE -------------------------------------------------------------------------------

def verdicts(at):
    return re.findall(r"\*\*(\d+) of (\d+)\*\* look like a clear digit", markdown_text(at))


@pytest.mark.parametrize("dim", [2, 16])
def test_compare_renders_with_judge_numbers_in_range(dim):
    at = switch_tab(new_app(dim=str(dim)), "compare")
    assert len(images(at, "ae samples")) == 1 and len(images(at, "vae samples")) == 1
    found = verdicts(at)
    assert len(found) == 2
    for clear, n in found:
        assert int(n) == 36 and 0 <= int(clear) <= 36
    distances = [float(x) for x in re.findall(r"Fréchet distance to real digits: \*\*([\d.]+)\*\*", markdown_text(at))]
    assert len(distances) == 2 and all(d >= 0 for d in distances)


def test_new_samples_changes_both_panels_and_the_seed():
    at = switch_tab(new_app(), "compare")
    ae, vae, seed = images(at, "ae samples"), images(at, "vae samples"), at.number_input[0].value
    at.button[0].click()
    ok(at.run())
    assert at.number_input[0].value != seed
    assert images(at, "ae samples") != ae and images(at, "vae samples") != vae


def test_the_shared_seed_drives_both_panels():
    at = switch_tab(new_app(), "compare")
    first = (images(at, "ae samples"), images(at, "vae samples"))
    at.number_input[0].set_value(1234)
    ok(at.run())
    second = (images(at, "ae samples"), images(at, "vae samples"))
    assert second[0] != first[0] and second[1] != first[1]
    at.number_input[0].set_value(0)
    ok(at.run())
    assert (images(at, "ae samples"), images(at, "vae samples")) == first


def test_ae_sampling_option_changes_the_ae_panel_only():
    at = switch_tab(new_app(), "compare")
    ae, vae = images(at, "ae samples"), images(at, "vae samples")
    at.radio(key="ae_sampling").set_value("fitted")
    ok(at.run())
    assert images(at, "ae samples") != ae
    assert images(at, "vae samples") == vae


def test_sample_count_changes_the_grid():
    at = switch_tab(new_app(), "compare")
    at.selectbox(key="n").set_value(64)
    ok(at.run())
    assert all(int(n) == 64 for _, n in verdicts(at))


# --- Interpolation ---------------------------------------------------------------------------

@pytest.mark.parametrize("dim", [2, 16])
@pytest.mark.parametrize("steps", [10, 12])
def test_interpolation_shows_two_rows_of_the_requested_length(dim, steps):
    at = switch_tab(new_app(dim=str(dim)), "interpolate")
    at.slider(key="steps").set_value(steps)
    ok(at.run())
    for kind in ("ae", "vae"):
        rows = images(at, f"{kind} interpolation")
        assert len(rows) == 1
        width, height = png_size(rows[0])
        assert (width, height) == (3 * (steps * 29 - 1), 3 * 28)  # steps cells of 28 px + 1 px gaps, ×3
    assert len(re.findall(r"of \d+ steps look like a clear digit", str([c.value for c in at.markdown]))) == 2


def test_interpolation_endpoints_and_spherical_path():
    at = switch_tab(new_app(), "interpolate")
    at.number_input(key="a").set_value(3)
    at.number_input(key="b").set_value(4)
    ok(at.run())
    linear = images(at, "vae interpolation")
    at.radio(key="path").set_value("spherical")
    ok(at.run())
    assert images(at, "vae interpolation") != linear
    assert "(#3)" in markdown_text(at) and "(#4)" in markdown_text(at)


def test_endpoints_from_two_map_clicks():
    at = ok(new_app())
    for point in ({"x": -1.0, "y": 0.5}, {"x": 1.0, "y": -0.5}):
        at.session_state["map2"] = {"selection": {"points": [point]}}
        ok(at.run())
    at = switch_tab(at, "interpolate")
    click_button = [b for b in at.button if "map clicks" in b.label][0]
    assert not click_button.disabled
    click_button.click()
    ok(at.run())
    assert (at.session_state["a"], at.session_state["b"]) != (0, 1)


# --- Lesson ----------------------------------------------------------------------------------

def test_lesson_next_and_previous_walk_through_every_step():
    at = switch_tab(new_app(), "lesson")
    for step in range(1, 6):
        assert at.session_state["step"] == step
        assert f"### {step}." in markdown_text(at)
        nxt = [b for b in at.button if "Next" in b.label][0]
        if step < 5:
            nxt.click()
            ok(at.run())
        else:
            assert nxt.disabled
    for step in range(4, 0, -1):
        [b for b in at.button if "Previous" in b.label][0].click()
        ok(at.run())
        assert at.session_state["step"] == step
    assert [b for b in at.button if "Previous" in b.label][0].disabled


def test_presenter_mode_enlarges_the_type():
    at = ok(new_app())
    assert "font-size: 22px" not in markdown_text(at)
    at.sidebar.toggle[0].set_value(True)
    ok(at.run())
    assert "font-size: 22px" in markdown_text(at)


# --- Shareable links -------------------------------------------------------------------------

def test_a_link_with_z_and_seed_restores_them():
    at = ok(new_app(tab="compare", dim="2", z="1.5,-0.25", seed="777"))
    assert at.session_state["tab"] == TAB_LABELS["compare"]
    assert at.number_input[0].value == 777
    assert [at.session_state["z2_0"], at.session_state["z2_1"]] == pytest.approx([1.5, -0.25])
    assert not at.sidebar.warning


def test_a_link_restores_lesson_step_and_endpoints():
    at = ok(new_app(tab="lesson", step="4", a="10", b="20"))
    assert at.session_state["step"] == 4 and "### 4." in markdown_text(at)
    assert (at.session_state["a"], at.session_state["b"]) == (10, 20)


def test_a_link_with_garbage_renders_the_defaults_and_a_note():
    at = ok(new_app(tab="nope", dim="3", z="nan,inf", seed="-5", step="99", n="7", a="1e9", ae="x"))
    assert len(at.slider) == 2 and all(s.value == 0 for s in at.slider)
    assert at.session_state["seed"] == 0 and at.session_state["step"] == 1
    notes = " ".join(w.value for w in at.sidebar.warning)
    for key in ("tab", "dim", "z", "seed", "step", "n", "a", "ae"):
        assert f"`{key}=" in notes


def test_the_address_bar_follows_the_state():
    at = switch_tab(new_app(), "compare")
    at.number_input[0].set_value(42)
    ok(at.run())
    assert at.query_params["tab"] == "compare" and at.query_params["seed"] == "42"
