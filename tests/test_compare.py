"""The AE vs VAE tab: its page logic (AppTest), and the pure helpers its words and pictures are
made by (the judge's tally, the comparison sentences, the codes views' rasteriser and SVG)."""

import base64
import io
import random
import re
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image

from model import checkpoint_dir
from tests.test_app import images, markdown_text, new_app, ok, switch_tab
from ui import session
from ui.charts import (PALETTE, Frame, codes_view_svg, digit_bars_svg, nice_ticks, palette_png, scatter_raster,
                       share_bars_svg)
from ui.images import png, tile
from ui.link import MAX_SEED
from ui.resources import get_lab
from ui.tabs.compare import draws, neighbour_sentence, neighbour_words, new_seed, share_tier
from ui.verdicts import Tally, comparison_sentences, tally

COUNTS = re.compile(r"\*\*(\d+) of (\d+)\*\* look like a clear digit · \*\*(\d+)\*\* unsure · \*\*(\d+)\*\* not a digit")
DISTANCE = re.compile(r"Distance to real digits: \*\*(\d+)\*\* \(Fréchet, lower is better\)")


def lab_of(dim):
    return get_lab(dim, str(checkpoint_dir()))


def shown_counts(at):
    """[(clear, n, unsure, none)] under the AE's panel, then the VAE's."""
    return [tuple(map(int, m)) for m in COUNTS.findall(markdown_text(at))]


def bullets(at):
    return [m.value for m in at.markdown if m.value.startswith("- ")][0]


# --- page logic ------------------------------------------------------------------------------

@pytest.mark.parametrize("dim", [2, 16])
def test_compare_renders_with_judge_numbers_in_range(dim):
    at = switch_tab(new_app(dim=str(dim)), "compare")
    assert len(images(at, "ae samples")) == 1 and len(images(at, "vae samples")) == 1
    counts = shown_counts(at)
    assert len(counts) == 2
    for clear, n, unsure, none in counts:
        assert n == 36 and clear + unsure + none == 36
    assert len(DISTANCE.findall(markdown_text(at))) == 2
    assert markdown_text(at).count('class="lab-digit-bars"') == 2 and 'class="lab-share-bars"' in markdown_text(at)


@pytest.mark.parametrize("dim,sampling,seed", [(2, "prior", 0), (2, "fitted", 0), (16, "fitted", 7), (16, "prior", 123)])
def test_the_numbers_in_the_words_come_from_the_draw_on_screen(dim, sampling, seed):
    at = switch_tab(new_app(dim=str(dim), seed=str(seed), ae=sampling), "compare")
    lab = lab_of(dim)
    z = draws(lab, 36, seed, sampling)
    expected = {}
    for kind in ("ae", "vae"):
        decoded = lab.decode(kind, z[kind])
        # The images are this draw's ...
        assert images(at, f"{kind} samples") == [base64.b64encode(png(tile(decoded, 6))).decode()]
        verdict = lab.judge_images(decoded)
        expected[kind] = (verdict.calls.count("clear"), 36, verdict.calls.count("unsure"), verdict.calls.count("none"))
        expected[kind + " distance"] = round(verdict.frechet)
    # ... and so are the numbers under them and in the sentences that compare them.
    assert shown_counts(at) == [expected["ae"], expected["vae"]]
    assert [int(d) for d in DISTANCE.findall(markdown_text(at))] == [expected["ae distance"], expected["vae distance"]]
    count_sentence = bullets(at).split("\n")[0]
    assert {int(v) for v in re.findall(r"\*\*(\d+)\*\*", count_sentence)} == {expected["ae"][0], expected["vae"][0]}
    if expected["ae distance"] != expected["vae distance"]:  # whoever is closer, the sentence names both distances
        assert f"distance **{min(expected['ae distance'], expected['vae distance'])}** vs " \
               f"**{max(expected['ae distance'], expected['vae distance'])}**" in bullets(at)


def test_the_fitted_ae_that_matches_the_vae_is_said_to_and_the_vae_still_wins_elsewhere():
    """Seed 0 in 2-D: the fitted AE makes at least as many clear digits as the VAE (measured: 28 vs 27)."""
    at = switch_tab(new_app(seed="0", ae="fitted"), "compare")
    (ae_clear, *_), (vae_clear, *_) = shown_counts(at)
    assert ae_clear >= vae_clear
    text = bullets(at)
    assert "holes" not in text and ("**more** clear digits" in text or "**as many**" in text)
    assert "Where the VAE still wins" in text and "after* training" in text


def test_new_samples_changes_both_panels_and_the_seed_stays_four_digits():
    at = switch_tab(new_app(), "compare")
    for _ in range(3):
        ae, vae, seed = images(at, "ae samples"), images(at, "vae samples"), at.number_input[0].value
        at.button[0].click()
        ok(at.run())
        assert at.number_input[0].value != seed and 0 <= at.number_input[0].value <= 9999
        assert at.session_state[session.SEED] == at.number_input[0].value
        assert images(at, "ae samples") != ae and images(at, "vae samples") != vae
    assert at.number_input[0].max == 9999


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
    at.radio(key=session.widget_key(session.AE_SAMPLING)).set_value("fitted")
    ok(at.run())
    assert images(at, "ae samples") != ae
    assert images(at, "vae samples") == vae


def test_sample_count_changes_the_grid():
    at = switch_tab(new_app(), "compare")
    at.selectbox(key=session.widget_key(session.SAMPLE_COUNT)).set_value(64)
    ok(at.run())
    assert [n for _, n, _, _ in shown_counts(at)] == [64, 64]


def test_the_draw_survives_a_tab_switch():
    at = switch_tab(new_app(), "compare")
    at.number_input[0].set_value(4321)
    at.selectbox(key=session.widget_key(session.SAMPLE_COUNT)).set_value(16)
    at.radio(key=session.widget_key(session.AE_SAMPLING)).set_value("fitted")
    ok(at.run())
    shown = (images(at, "ae samples"), images(at, "vae samples"))
    at = switch_tab(switch_tab(at, "explore"), "compare")
    assert (at.number_input[0].value, at.query_params["seed"], at.query_params["n"], at.query_params["ae"]) == \
        (4321, "4321", "16", "fitted")
    assert (images(at, "ae samples"), images(at, "vae samples")) == shown


@pytest.mark.parametrize("bad", ["12345", "-1", "99999999", "1e3"])
def test_a_seed_beyond_four_digits_in_a_link_falls_back_with_a_note(bad):
    at = ok(new_app(tab="compare", seed=bad))
    assert at.number_input[0].value == 0
    assert any(f"`seed={bad}" in w.value for w in at.sidebar.warning)


def test_the_16d_neighbour_test_says_the_ae_draws_land_where_it_never_put_a_digit():
    at = switch_tab(new_app(dim="16"), "compare")
    caption = " ".join(c.value for c in at.caption)
    assert "In 16-D, none of a random draw's 10 nearest neighbours is a real AE code" in caption
    assert "land where the AE has never put a digit" in caption and "Over 2,000 draws: AE 0.00 (almost none)" in caption


def test_the_copy_link_element_holds_the_link_to_this_draw():
    at = switch_tab(new_app(), "compare")
    at.number_input[0].set_value(77)
    ok(at.run())
    urls = [e.proto.json for e in at.get("bidi_component")]
    assert any('"url": "?tab=compare&dim=2&seed=77"' in u for u in urls)


# --- pure helpers ----------------------------------------------------------------------------

def test_new_seed_is_four_digits_and_never_the_current_one():
    rng = random.Random(0)
    for current in (0, 1, 5000, MAX_SEED):
        seeds = {new_seed(current, rng) for _ in range(3000)}
        assert current not in seeds and min(seeds) >= 0 and max(seeds) <= MAX_SEED == 9999


def fake_verdict(calls, predictions, frechet=100.0):
    return SimpleNamespace(n=len(calls), calls=list(calls), predictions=list(predictions), frechet=frechet)


def test_tally_counts_calls_and_digits():
    t = tally(fake_verdict(["clear", "clear", "unsure", "none", "clear"], [3, 3, 7, 1, 0], frechet=251.6))
    assert (t.n, t.clear, t.unsure, t.none, t.distance, t.variety) == (5, 3, 1, 1, 252, 2)
    assert t.clear_by_digit[3] == 2 and t.clear_by_digit[0] == 1 and t.unsure_by_digit[7] == 1
    assert sum(t.clear_by_digit) == 3 and sum(t.unsure_by_digit) == 1


def make_tally(clear, variety, frechet, n=36):
    """clear samples spread over `variety` digits."""
    by_digit = [1] * variety + [0] * (10 - variety)
    by_digit[0] += clear - variety
    return Tally(n, clear, n - clear, 0, tuple(by_digit), (0,) * 10, frechet)


def test_a_fitted_ae_as_good_as_the_vae_is_said_so_and_only_real_wins_are_claimed():
    ae, vae = make_tally(28, 7, 383), make_tally(27, 10, 310)
    text = " ".join(comparison_sentences(ae, vae, "fitted"))
    assert "**more** clear digits than the VAE: **28** vs **27**" in text
    assert "Where the VAE still wins: more different digits (**10** vs **7**) and images closer to real digits " \
           "(distance **310** vs **383**)" in text
    assert "Where the AE wins" not in text and "after* training" in text
    # Same count, same variety, AE closer: the VAE wins nothing here, and no sentence says it does.
    text = " ".join(comparison_sentences(make_tally(20, 8, 250), make_tally(20, 8, 260), "fitted"))
    assert "**as many** clear digits as the VAE: **20** each" in text
    assert "VAE still wins" not in text and "VAE wins" not in text
    assert "Where the AE wins on this draw: images closer to real digits (distance **250** vs **260**)" in text
    assert "Both show **8** different digits clearly" in text


def test_prior_sampling_sentences_follow_the_counts():
    text = " ".join(comparison_sentences(make_tally(13, 6, 435), make_tally(27, 10, 310), "prior"))
    assert "the VAE makes **27** clear digits and the AE **13**" in text and "Where the VAE wins" in text
    text = " ".join(comparison_sentences(make_tally(20, 9, 300), make_tally(20, 9, 300), "prior"))
    assert "both make **20** clear digits" in text and "wins" not in text
    text = " ".join(comparison_sentences(make_tally(25, 9, 300), make_tally(20, 9, 300), "prior"))
    assert "the AE makes more clear digits than the VAE on this draw: **25** vs **20**" in text


def test_neighbour_words_say_what_the_share_means():
    assert neighbour_words("AE", 0.0).startswith("none of a random draw's 10 nearest neighbours is a real AE code")
    assert "never put a digit" in neighbour_words("AE", 0.04)
    assert "on average 2.5 of" in neighbour_words("AE", 0.25) and "crowd into one patch" in neighbour_words("AE", 0.25)
    assert "where its codes live" in neighbour_words("VAE", 0.52)
    assert neighbour_sentence(16, 0.0, 0.52).startswith("In 16-D, none of")
    assert [share_tier(s) for s in (0.0, 0.09, 0.3, 0.44, 0.6)] == \
        ["almost none", "almost none", "fewer than half", "about half", "about half"]


def test_a_frame_maps_its_corners_to_the_image_corners_with_y_up():
    frame = Frame.around(((-1.0, 3.0), (0.0, 2.0)), size=100)  # wider than tall: a square 4 wide, centred
    assert (frame.x0, frame.y0, frame.span) == (-1.0, -1.0, 4.0)
    assert frame.pixels([[-1, 3], [3, -1], [1, 1]]).tolist() == [[0, 0], [100, 100], [50, 50]]
    assert frame.holds([[0, 0], [5, 0]]).tolist() == [True, False]
    assert Frame.centred(3.2, 64).pixels([[0, 0]]).tolist() == [[32, 32]]


def test_the_rasteriser_paints_each_point_in_its_digit_colour_and_skips_points_outside():
    frame = Frame.centred(1.0, size=20)
    raster = scatter_raster([[0.0, 0.0], [-0.5, 0.5], [7.0, 7.0]], [3, 9, 1], frame, radius=1)
    assert raster.shape == (20, 20) and raster.dtype == np.uint8
    assert raster[10, 10] == 4 and raster[5, 5] == 10  # palette index = 1 + digit; y grows downwards
    assert (raster > 0).sum() == 2 * 9 and 2 not in raster  # 3×3 dots; the point at (7, 7) is off the frame
    image = Image.open(io.BytesIO(palette_png(raster)))
    assert image.mode == "P" and np.array_equal(np.asarray(image), raster)
    rgb = np.asarray(image.convert("RGB"))
    assert tuple(rgb[0, 0]) == (255, 255, 255) and tuple(rgb[10, 10]) != (255, 255, 255)
    blue = [int(PALETTE[3][i:i + 2], 16) for i in (1, 3, 5)]
    assert all(v >= b for v, b in zip(rgb[10, 10], blue))  # a lighter tint of digit 3's colour


def test_nice_ticks():
    assert nice_ticks(-3.2, 3.2) == [-2.0, 0.0, 2.0] and nice_ticks(-3.2, 3.2, count=8) == [-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0]
    assert nice_ticks(-66.0, 101.7) == [-50.0, 0.0, 50.0, 100.0]
    assert nice_ticks(0.05, 0.95) == pytest.approx([0.2, 0.4, 0.6, 0.8])


def test_a_codes_view_draws_one_mark_per_draw_on_the_static_image():
    frame = Frame.centred(3.0, 300)
    svg = codes_view_svg("t", "data:image/png;base64,AAAA", frame, np.zeros((36, 2)), "AE codes", window=Frame.centred(1.0))
    assert svg.count("<image ") == 1 and svg.count("<path ") == 1 and svg.count("<circle ") == 2
    crosses = re.search(r'<path d="([^"]+)"', svg).group(1)
    assert crosses.count("M") == 2 * 36  # two strokes per ×
    assert 'clip-path="url(#lab-clip-t)"' in svg and svg.count("<rect ") == 3  # clip, border, window


def test_the_digit_bars_name_each_digit_and_count():
    svg = digit_bars_svg([0, 4, 0, 0, 0, 0, 0, 2, 0, 0], [1, 0, 0, 0, 0, 0, 0, 1, 0, 0])
    assert "digit 1: 4 clear, 0 unsure; digit 7: 2 clear, 1 unsure" in svg and "digit 0: 0 clear, 1 unsure" in svg
    assert all(f'font-weight="bold" fill="#222">{d}</text>' in svg for d in range(10))
    assert ">3</text>" in svg and ">4</text>" in svg  # the counts above the bars


def test_share_bars_have_the_reference_line():
    svg = share_bars_svg([("AE · this draw", 0.0), ("VAE · this draw", 0.52)])
    assert "AE · this draw: 0.00; VAE · this draw: 0.52" in svg and "0.5: where the codes live" in svg
