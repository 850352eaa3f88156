"""Explore either model: the sliders' ranges and steps, what the map draws (the part the sliders
reach, the prior's circles, the verdict layer), the judge's words, and the page logic of the AE |
VAE switch and the layer (AppTest). tests/e2e/test_explore_modes.py checks them in Chromium."""

import base64
import io
import math
import re

import numpy as np
import pytest
from PIL import Image

from model.lab import Reading
from model.latent import fit_projection
from model.networks import decoder_layers
from tests.test_app import explorer, new_app, ok, send
from ui import session
from ui.components.explorer.explorer import percent, reading_words, slider_scale, verdict_caption, with_article
from ui.components.explorer.files import asset_contents, asset_url
from ui.components.explorer.layers import (NONE_DARK, NONE_STRIPE, TINT, UNSURE_GREY, clip_half_plane, disc_share,
                                           hex_rgb, prior_centre, reachable_polygon, verdict_shading)
from ui.components.explorer.scales import (USAGE_WORDS, SliderScale, amount_words, code_scale, nice_step,
                                           vae_scale)


@pytest.fixture(scope="module")
def lab2():
    from model import checkpoint_dir
    from ui.resources import get_lab

    return get_lab(2, str(checkpoint_dir()))


# --- the sliders: ranges and steps ------------------------------------------------------------

def test_nice_steps_are_1_2_or_5_times_a_power_of_ten():
    assert [nice_step(x) for x in (0.9, 1.2, 1.6, 3, 4, 8, 0.013, 140)] == [1, 1, 2, 2, 5, 10, 0.01, 100]


def test_the_vae_sliders_cover_pm3_on_a_grid_of_0_01_with_arrow_keys_of_0_1():
    scale = vae_scale(2)
    assert scale.lo == (-3.0, -3.0) and scale.hi == (3.0, 3.0) and scale.step == (0.01, 0.01)
    assert scale.key_step == (0.1, 0.1)
    assert scale.snap([0.123, -7.0]) == (0.12, -3.0)


def test_code_sliders_cover_the_codes_on_a_step_that_is_a_fixed_fraction_of_their_range():
    rng = np.random.default_rng(0)
    codes = np.stack([rng.uniform(-28, 80, 5000), rng.normal(15, 16, 5000)], axis=1)  # like the 2-D AE's
    scale = code_scale(codes)
    low, high = np.percentile(codes, [0.5, 99.5], axis=0)
    for i in range(2):
        span = scale.hi[i] - scale.lo[i]
        assert scale.lo[i] <= low[i] and scale.hi[i] >= high[i]  # the codes bar the extreme 1 %
        assert span <= 1.5 * (high[i] - low[i])  # ...and not much more
        assert span / 200 <= scale.key_step[i] <= span / 50  # an arrow key: about 1 % of the range
        assert scale.step[i] == pytest.approx(scale.key_step[i] / 10)
        for end in (scale.lo[i], scale.hi[i]):  # the ends sit on the arrow keys' grid
            assert end / scale.key_step[i] == pytest.approx(round(end / scale.key_step[i]))


def test_the_shipped_aes_sliders_reach_its_codes_on_steps_coarser_than_the_vaes(lab2):
    scale = slider_scale(lab2, "ae")
    codes = lab2.spaces["ae"].codes
    assert all(s >= 0.1 for s in scale.step)  # not 0.01 over tens of units
    inside = np.all((codes >= scale.lo) & (codes <= scale.hi), axis=1)
    assert inside.mean() >= 0.99
    assert max(scale.hi) > 20 or min(scale.lo) < -20  # far beyond the VAE's ±3


def test_snap_clamps_rounds_and_survives_odd_numbers():
    scale = SliderScale((-30.0, -60.0), (80.0, 100.0), (0.1, 0.2), (1.0, 2.0))
    assert scale.snap([42.04, -55.55]) == (42.0, -55.6)
    assert scale.snap([float("nan"), float("inf")]) == (0.0, 100.0)
    assert scale.snap([-1e308, 0.30000000000000004]) == (-30.0, 0.4)
    with pytest.raises(ValueError):
        scale.snap([1.0])  # one value per slider


def test_plain_words_for_how_much_each_dimension_is_used():
    assert amount_words([3.5, 2.0, 0.9, 0.0], USAGE_WORDS) == ["used a lot", "used some", "used a little",
                                                               "used a little"]
    assert amount_words([0.0, 0.0], USAGE_WORDS) == ["used a little", "used a little"]  # unused, not "a lot"


# --- what the map draws --------------------------------------------------------------------------

def test_clipping_a_square_by_a_half_plane():
    square = [(0, 0), (2, 0), (2, 2), (0, 2)]
    clipped = clip_half_plane(square, 1, 0, 1)  # x <= 1
    assert sorted(clipped) == sorted([(0, 0), (1, 0), (1, 2), (0, 2)])
    assert clip_half_plane(square, 1, 0, -1) == []


def test_in_2d_the_reachable_region_is_the_sliders_box():
    projection = fit_projection(np.zeros((3, 2)))
    scale = SliderScale((-30.0, -60.0), (80.0, 100.0), (0.1, 0.2), (1.0, 2.0))
    polygon = np.array(reachable_polygon(projection, scale, (-50, 120), (-90, 130)))
    assert polygon.min(axis=0) == pytest.approx([-30, -60]) and polygon.max(axis=0) == pytest.approx([80, 100])


def inside_convex(polygon, point):
    p = np.asarray(polygon)
    edges, to_point = np.roll(p, -1, axis=0) - p, np.asarray(point) - p
    cross = edges[:, 0] * to_point[:, 1] - edges[:, 1] * to_point[:, 0]
    return bool(np.all(cross >= -1e-9) or np.all(cross <= 1e-9))


def test_on_a_16d_plane_a_point_is_inside_the_reachable_polygon_exactly_when_the_sliders_hold_its_z():
    rng = np.random.default_rng(1)
    projection = fit_projection(rng.normal(size=(500, 16)) * 4)
    scale = SliderScale((-5.0,) * 16, (5.0,) * 16, (0.1,) * 16, (1.0,) * 16)
    polygon = reachable_polygon(projection, scale, (-15, 15), (-15, 15))
    assert len(polygon) >= 3
    for x, y in polygon:
        assert np.all(np.abs(projection.inverse([x, y])) <= 5 + 1e-9)
    for point in rng.uniform(-15, 15, size=(300, 2)):
        held = bool(np.all(np.abs(projection.inverse(point)) <= 5))
        assert inside_convex(polygon, point) == held


def test_a_plane_the_sliders_never_reach_has_no_reachable_region():
    projection = fit_projection(np.zeros((3, 2)))
    scale = SliderScale((10.0, 10.0), (20.0, 20.0), (0.1, 0.1), (1.0, 1.0))
    assert reachable_polygon(projection, scale, (-1, 1), (-1, 1)) == []


def test_the_prior_centre_and_the_share_of_the_map_inside_a_circle():
    assert prior_centre(fit_projection(np.zeros((3, 2)))) == [0.0, 0.0]
    assert disc_share((-10, 10), (-10, 10), (0, 0), 2) == pytest.approx(math.pi * 4 / 400, rel=0.03)
    assert disc_share((-10, 10), (-10, 10), (100, 100), 2) == 0.0


def test_the_verdict_shading_colours_each_call_as_its_legend_says():
    palette = ("#4e79a7", "#f28e2b")
    labels = np.array([[1, 0], [0, 0]])
    calls = np.array([["clear", "unsure"], ["none", "clear"]])
    pixels = verdict_shading(labels, calls, palette, cell_px=4)
    assert pixels.shape == (8, 8, 3) and pixels.dtype == np.uint8
    tint = np.round(255 + TINT * (hex_rgb(palette[1]) - 255))
    assert np.all(pixels[:4, :4] == tint)  # clear: light, in its class's colour
    assert np.all(pixels[:4, 4:] == UNSURE_GREY)
    none = pixels[4:, :4].reshape(-1, 3)
    assert {tuple(p) for p in none} == {(NONE_DARK,) * 3, (NONE_STRIPE,) * 3}  # dark, striped
    assert np.all(pixels[4:, 4:] == np.round(255 + TINT * (hex_rgb(palette[0]) - 255)))


# --- the words -----------------------------------------------------------------------------------

def test_the_verdict_caption_says_what_the_measured_shares_say():
    ae2 = verdict_caption("ae", "digit", {"clear": 0.83, "circle": 0.0012, "far": 0.81})
    assert "83%" in ae2 and "81%" in ae2 and "0.1%" in ae2 and "not the AE's problem" in ae2
    assert "86% of draws from N(0, I) land inside the dashed circle" in ae2  # P(|z| <= 2) on a plane
    assert "not the AE's problem" not in verdict_caption("ae", "digit", {"clear": 0.3, "circle": 0.001, "far": 0.2})
    ae16 = verdict_caption("ae", "digit", {"clear": 0.62, "circle": 0.011, "neighbours": 0.004})
    assert "flat slice" in ae16 and "0.4% of a draw's 10 nearest neighbours are AE codes" in ae16
    assert "not the AE's problem" not in ae16  # a slice cannot show the gaps of a 16-D space
    assert "training pulled" in verdict_caption("vae", "digit", {"clear": 0.8, "circle": 0.35, "far": 0.79})


def test_the_judges_reading_in_plain_words(lab2):
    info = lab2.info
    assert reading_words(Reading(8, 0.931, "clear"), info) == "looks like an 8 (93% sure)"
    assert reading_words(Reading(2, 0.6, "unsure"), info) == "unsure — maybe a 2 (60%)"
    assert reading_words(Reading(2, 0.6, "none"), info) == "doesn't look like any digit"
    assert with_article("Ankle boot") == "an Ankle boot" and with_article("Bag") == "a Bag"


# --- the page: the AE | VAE switch and the verdict layer (AppTest) ---------------------------------

def z_of(at, dim, model):
    key = session.z_key(dim, model)
    return list(at.session_state[key]) if key in at.session_state else [0.0] * dim


def switch_model(at, model):
    at.segmented_control(key=session.widget_key(session.EXPLORE_MODEL)).set_value(model)
    return ok(at.run())


def png_pixels(uri):
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("RGB"))


def test_the_ae_mode_shows_the_aes_sliders_map_and_decoder(lab2):
    data = explorer(ok(new_app(model="ae")))
    scale = slider_scale(lab2, "ae")
    assert data["model"] == "ae" and "AE" in data["heading"] and data["digit_caption"].startswith("AE decoder")
    assert data["scale"] == scale.as_dict() and data["z"] == list(scale.snap([0.0, 0.0]))
    file = asset_contents(lab2, "ae")
    assert data["assets_url"] == asset_url(lab2, "ae") != asset_url(lab2, "vae")
    assert file["decoder.0.weight"].tobytes() == decoder_layers(lab2.ae)[0][0].astype("<f2").tobytes()
    assert file["points"].tobytes() == lab2.spaces["ae"].points.astype("<f2").tobytes()
    (x0, x1), (y0, y1) = data["view"]["x"], data["view"]["y"]
    assert x1 - x0 > 20 and y1 - y0 > 20  # its true scale, not the VAE's ±3
    assert data["prior"]["centre"] == [0.0, 0.0] and data["prior"]["radii"] == [1.0, 2.0]
    assert data["layer"] is None


def test_a_click_on_the_ae_map_far_outside_pm3_decodes_that_point(lab2):
    from ui.images import digit_uri

    at = ok(new_app(model="ae"))
    scale = slider_scale(lab2, "ae")
    codes = lab2.spaces["ae"].codes
    held = codes[np.all((codes >= scale.lo) & (codes <= scale.hi), axis=1)]
    point = held[np.argmax(np.abs(held).max(axis=1))]  # a real code, as far from the origin as the sliders go
    assert np.abs(point).max() > 10
    send(at, "click", x=float(point[0]), y=float(point[1]), model="ae")
    z = z_of(at, 2, "ae")
    assert z == pytest.approx(point, abs=max(scale.step))
    data = explorer(at)
    assert data["z"] == pytest.approx(z) and data["marker"] == pytest.approx(z)
    assert data["digit"] == digit_uri(lab2.decode("ae", z))  # that exact point of the AE's space
    assert z_of(at, 2, "vae") == [0.0, 0.0]  # the VAE's z did not move


def test_each_model_keeps_its_own_z_and_the_switch_lives_in_the_link():
    at = ok(new_app())
    send(at, "z", z=[1.0, 1.0])
    switch_model(at, "ae")
    assert at.query_params["model"] == "ae"
    send(at, "z", z=[40.0, -50.0], model="ae")
    assert z_of(at, 2, "ae") == [40.0, -50.0] and at.query_params["z"] == "40,-50"
    switch_model(at, "vae")
    assert explorer(at)["z"] == [1.0, 1.0] and "model" not in at.query_params and at.query_params["z"] == "1,1"
    switch_model(at, "ae")
    assert explorer(at)["z"] == [40.0, -50.0]


def test_each_model_names_its_own_file():
    at = ok(new_app())
    vae_url = explorer(at)["assets_url"]
    switch_model(at, "ae")
    ae_url = explorer(at)["assets_url"]
    assert ae_url != vae_url and "-ae-" in ae_url and "-vae-" in vae_url
    switch_model(at, "vae")
    assert explorer(at)["assets_url"] == vae_url

def test_an_event_from_the_other_models_view_is_ignored():
    at = ok(new_app())
    send(at, "z", z=[40.0, -50.0], model="ae")  # sent by a page still showing the AE
    assert z_of(at, 2, "vae") == [0.0, 0.0] and z_of(at, 2, "ae") == [0.0, 0.0]


def test_jumping_to_a_test_digit_in_the_ae_mode_moves_to_its_ae_code(lab2):
    at = ok(new_app(model="ae"))
    send(at, "jump", model="ae")
    index = int(re.search(r"#(\d+)", explorer(at)["recon"]["title"]).group(1))
    assert z_of(at, 2, "ae") == pytest.approx(slider_scale(lab2, "ae").snap(lab2.spaces["ae"].codes[index]))


def test_the_layer_lives_in_the_link_and_a_link_restores_model_layer_and_z():
    at = ok(new_app())
    at.toggle(key=session.widget_key(session.VERDICT_LAYER)).set_value(True)
    ok(at.run())
    assert at.query_params["layer"] == "verdict" and explorer(at)["layer"] is not None
    at = ok(new_app(model="ae", layer="verdict", z="40.04,-50.56"))
    data = explorer(at)
    assert data["model"] == "ae" and data["layer"] is not None and data["z"] == [40.0, -50.6]  # on its grid
    assert not at.sidebar.warning


def test_an_ae_z_beyond_its_sliders_in_a_link_goes_to_their_ends(lab2):
    scale = slider_scale(lab2, "ae")
    at = ok(new_app(model="ae", z="999,-999"))
    assert explorer(at)["z"] == [scale.hi[0], scale.lo[1]]


def test_bad_model_and_layer_values_fall_back_with_a_note():
    at = ok(new_app(model="gan", layer="heat", z="1,1"))
    data = explorer(at)
    assert data["model"] == "vae" and data["layer"] is None and data["z"] == [1.0, 1.0]
    notes = " ".join(w.value for w in at.sidebar.warning)
    assert "`model=gan" in notes and "`layer=heat" in notes
    at = ok(new_app(model="ae", z="40,5000"))  # beyond even the AE's bound
    assert "`z=" in " ".join(w.value for w in at.sidebar.warning)


def clear_share_of_picture(uri, palette, cell_px=4):
    """The share of the picture's cells whose colour is a clear cell's (a tint of a class colour)."""
    cells = png_pixels(uri)[::cell_px, ::cell_px].reshape(-1, 3).astype(int)
    tints = np.round([255 + TINT * (hex_rgb(c) - 255) for c in palette]).astype(int)
    return float(np.mean([any((cell == t).all() for t in tints) for cell in cells]))


@pytest.mark.parametrize("dim", [2, 16])
@pytest.mark.parametrize("model", ["vae", "ae"])
def test_the_verdict_layer_caption_matches_its_picture(dim, model):
    at = ok(new_app(dim=str(dim), model=model, layer="verdict"))
    data = explorer(at)
    layer = data["layer"]
    assert [layer["x"], layer["y"]] == [list(data["view"]["x"]), list(data["view"]["y"])]  # over the map's range
    shown = clear_share_of_picture(layer["image"], data["palette"])
    assert 0 < shown < 1 and shown == pytest.approx(layer["shares"]["clear"], abs=1e-9)
    assert f"{percent(shown)} of it" in layer["caption"] and percent(layer["shares"]["circle"]) in layer["caption"]
    assert ("flat slice" in layer["caption"]) == (dim == 16)
    assert [text for _, text in layer["legend"]] == ["a clear digit (coloured like its dots)", "the judge is unsure",
                                                     "no digit at all"]



def test_the_warm_up_fills_every_size_and_models_data_this_size_first(lab2, monkeypatch):
    from ui.tabs import explore

    done = []
    for step in ("static_data", "asset_url", "verdict_layer"):
        monkeypatch.setattr(explore, step, lambda lab, model, step=step: done.append((lab.latent_dim, lab.dataset,
                                                                                      model, step)))
    for task in explore.warm_up(lab2):
        task()
    mine = [(dim, model, step) for dim, dataset, model, step in done if dataset == lab2.dataset]
    assert len(mine) == len(set(mine)) == 2 * 2 * 3
    assert [dim for dim, _, _ in mine] == [2] * 6 + [16] * 6
    assert mine[:4] == [(2, "vae", "static_data"), (2, "vae", "asset_url"), (2, "ae", "static_data"),
                        (2, "ae", "asset_url")]  # the switch before the layers
    # then the other data set's page at this size, before this size's layers: a class's first switch
    assert done[4:6] == [(2, "fashion-mnist", "vae", "static_data"), (2, "fashion-mnist", "vae", "asset_url")]
    assert len(done) == len(set(done)) == 12 + 2 * 2


def test_script_runs_hold_the_warm_up_back_and_its_own_requests_do_not(lab2):
    import threading

    from ui import resources

    resources._warming["last_run"] = 0.0
    resources.lab_or_error(2)  # what every script run does first
    seen = resources._warming["last_run"]
    assert seen > 0
    warm = threading.Thread(target=resources.lab_or_error, args=(16,), name=resources.WARM_THREAD)
    warm.start()
    warm.join()
    assert resources._warming["last_run"] == seen


def test_the_server_start_loads_the_first_pages_and_the_other_data_sets_default_page(monkeypatch):
    from ui.tabs import explore

    done = []
    monkeypatch.setattr(explore, "warm_one", lambda dim, dataset, model, steps: done.append((dim, dataset, model,
                                                                                             steps)))
    explore.warm_first_page()
    assert [(dim, dataset, model) for dim, dataset, model, _ in done] == [(2, "mnist", "vae"), (16, "mnist", "vae"),
                                                                          (2, "fashion-mnist", "vae")]
    assert all(steps == (explore.static_data, explore.asset_url) for *_, steps in done)
