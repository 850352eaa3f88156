"""Teacher tools: class links (ui.link's `show=`, the teacher panel, what a student's page draws) and
the figures for slides (ui.figures, the download buttons)."""

import io
import re

import numpy as np
import pytest
import streamlit
from hypothesis import given
from hypothesis import strategies as hs
from PIL import Image

from tests.conftest import ROOT
from tests.test_app import markdown_text, new_app, ok, switch_tab
from ui import figures, session
from ui.charts import Frame
from ui.components.explorer.explorer import MANIFOLD_N
from ui.downloads import MANIFOLD_SHOWN_PX
from ui.images import DIGIT_SCALE
from ui.link import (CLASS_CONTROLS, SHOW_WORDS, TABS, LinkState, link_params, parse_link, parse_show,
                     show_text)
from ui.tabs.compare import COLUMNS, TILE_SCALE
from ui.tabs.interpolate import ROW_SCALE

# --- the link's `show=` ----------------------------------------------------------------------

def test_a_class_link_round_trips_in_a_fixed_order():
    show = frozenset({"lesson", "nav", "compare", "seed", "size"})
    state = LinkState(tab="lesson", step=3, show=show)
    params = link_params(state)
    assert params["show"] == "compare.lesson.size.seed.nav" and next(iter(params)) == "show"
    back = parse_link(params)
    assert back.show == show and back.tab == "lesson" and back.step == 3 and not back.notes


@pytest.mark.parametrize("text", ["", "compare.", "compare.compare", "compare.bogus", "comp", "seed.size",
                                  "compare.model", "COMPARE", "explore,compare", "lesson.n"])
def test_a_choice_the_panel_did_not_write_shows_everything_with_a_note(text):
    state = parse_link({"show": text, "tab": "compare"})
    assert state.show is None and state.tab == "compare"
    assert any("`show=" in note and "every tab and control" in note for note in state.notes)


def test_a_landing_tab_the_link_hides_opens_the_first_shown_tab():
    state = parse_link({"show": "interpolate.lesson", "tab": "explore"})
    assert state.tab == "interpolate" and any("`tab=explore`" in note for note in state.notes)
    assert parse_link({"show": "why"}).tab == "why" and not parse_link({"show": "why"}).notes


def test_every_control_belongs_to_a_tab_or_the_sidebar_and_no_word_repeats():
    assert len(set(SHOW_WORDS)) == len(SHOW_WORDS)
    assert all(owner in (None, *TABS) for _, owner in CLASS_CONTROLS)


@given(hs.lists(hs.sampled_from(SHOW_WORDS), unique=True))
def test_any_consistent_choice_parses_back(words):
    owners = dict(CLASS_CONTROLS)
    show = frozenset(w for w in words if w in TABS or owners[w] is None or owners[w] in words)
    if show & set(TABS):
        assert parse_show(show_text(show)) == show
    else:
        assert parse_show(show_text(show)) is None


# --- a student's page from a class link --------------------------------------------------------

def test_hidden_tabs_and_controls_are_not_drawn():
    at = ok(new_app(show="compare.lesson.n.nav", tab="lesson", step="3"))
    assert [t.label for t in at.tabs] == [session.TAB_LABELS["compare"], session.TAB_LABELS["lesson"]]
    assert not at.sidebar.radio  # the latent size switch
    assert "## 3." in markdown_text(at)
    assert [b.label for b in at.button] == ["← Previous", "Next →"]
    assert not at.get("button_group")  # the step's latent-size control
    assert not at.sidebar.checkbox and not [t for t in at.sidebar.toggle if "teacher" in t.label]
    assert not at.sidebar.warning
    at = switch_tab(at, "compare")
    assert [s.label for s in at.selectbox] == ["Samples"] and not at.number_input and not at.radio
    assert not [b for b in at.button if b.label == "New samples"]


def test_the_written_back_link_keeps_the_choice():
    at = ok(new_app(show="compare.n", tab="compare", seed="42"))
    at.selectbox[0].set_value(64)
    ok(at.run())
    assert at.query_params["show"] == "compare.n"
    assert at.query_params["n"] == "64" and at.query_params["seed"] == "42"


def test_a_garbage_class_link_shows_everything_with_a_note():
    at = ok(new_app(show="compare.nonsense", tab="compare"))
    assert len(at.tabs) == len(TABS) and at.sidebar.radio
    assert any("`show=" in w.value for w in at.sidebar.warning)
    assert "show" not in at.query_params


def test_explore_and_interpolate_controls_hide_one_by_one():
    at = ok(new_app(show="explore.layer.interpolate.path"))
    assert [t.label for t in at.main.toggle] == ["Show where the decoder makes digits"] and not at.get("button_group")
    at = switch_tab(at, "interpolate")
    assert [r.label for r in at.radio] == ["Path"] and not at.number_input and not at.slider and not at.button


def open_panel(at):
    """The teacher opens the panel: its controls appear."""
    assert not at.sidebar.checkbox  # closed, nothing of it drawn
    at.sidebar.toggle(key=session.TEACHER_OPEN).set_value(True)
    return ok(at.run())


def test_the_teacher_panel_writes_a_class_link_that_opens_as_chosen():
    at = open_panel(ok(new_app(tab="compare", seed="7")))
    boxes = {c.label: c for c in at.sidebar.checkbox}
    boxes[session.TAB_LABELS["explore"]].uncheck()
    boxes[session.TAB_LABELS["draw"]].uncheck()
    ok(at.run())
    at.sidebar.selectbox(key=session.TEACHER_TAB).set_value("lesson")
    ok(at.run())
    at.sidebar.selectbox(key=session.TEACHER_STEP).set_value(2)
    ok(at.run())
    link = class_link(at)
    query = dict(part.split("=", 1) for part in link.split("?", 1)[1].split("&"))
    state = parse_link(query)
    assert not state.notes and state.tab == "lesson" and state.step == 2 and state.seed == 7
    assert "explore" not in state.show and "draw" not in state.show and {"compare", "seed", "size"} <= state.show
    student = ok(new_app(**query))
    assert session.TAB_LABELS["explore"] not in [t.label for t in student.tabs]
    assert "## 2." in markdown_text(student)


def test_a_class_link_needs_a_tab():
    at = open_panel(ok(new_app()))
    for tab_id in TABS:
        next(c for c in at.sidebar.checkbox if c.label == session.TAB_LABELS[tab_id]).uncheck()
    ok(at.run())
    assert class_link(at) is None and any("at least one tab" in w.value for w in at.sidebar.warning)


def class_link(at):
    """The URL the teacher panel's copy-link element shows, or None."""
    for element in at.get("bidi_component"):
        found = re.search(r'"url":\s*"([^"]*)"', element.proto.json) if element.proto.HasField("json") else None
        if found and "show=" in found.group(1):
            return found.group(1)
    return None


# --- figures for slides ----------------------------------------------------------------------

def decode(png):
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.format == "PNG"
    return image.convert("RGB")


def has_caption_band(image, picture_height=None):
    """The figure ends in a white band with dark text in it (starting right under the picture, when given)."""
    pixels = np.asarray(image)
    last_line = pixels[-(figures.PAD + figures.TEXT_PX * 13 // 10):-figures.PAD]
    ends = (pixels[-figures.PAD:] == 255).all() and (last_line.min(axis=2) < 100).any()
    return ends and (picture_height is None or (pixels[picture_height:picture_height + 2] == 255).all())


def test_a_digit_figure_is_twice_its_on_screen_size_with_a_caption():
    pixels = np.zeros((28, 28), np.uint8)
    pixels[5:20, 10:14] = 255
    image = decode(figures.digit_figure(pixels, 10, "looks like a 1 (99 % sure)"))
    assert image.width == 2 * 280 and has_caption_band(image, 2 * 280)
    assert np.asarray(image)[2 * 5 * 10 + 3, 2 * 10 * 10 + 3].tolist() == [255, 255, 255]  # crisp: no blur


def test_long_captions_wrap_within_the_figure():
    image = decode(figures.digit_figure(np.zeros((28, 28), np.uint8), 10, "a long caption " * 40))
    assert image.width == 560 and image.height > 560 + 10 * figures.TEXT_PX


def test_the_map_figure_draws_the_codes_in_their_colours_and_the_point():
    rng = np.random.default_rng(0)
    points, labels = rng.normal(size=(500, 2)), rng.integers(0, 10, 500)
    image = decode(figures.map_figure(points, labels, ((-3, 3), (-3, 3)), (1.0, 1.0), ((0.0, 0.0), (1.0, 2.0)), 100,
                                      [str(d) for d in range(10)], "the map"))
    side = 2 * 100
    m = figures.MAP_MARGIN
    assert image.width == m["l"] + side + m["r"] and image.height > m["t"] + side + m["b"]
    plot = np.asarray(image)[m["t"]:m["t"] + side, m["l"]:m["l"] + side]
    colours = {tuple(c) for c in plot.reshape(-1, 3)}
    assert {figures.hex_rgb(c) for c in figures.PALETTE} <= colours
    (x, y), = Frame.around(((-3, 3), (-3, 3)), size=side).pixels([[1.0, 1.0]])
    assert tuple(plot[int(y), int(x)]) == figures.MARKER_COLOUR


def test_the_panels_figure_puts_the_words_under_each_panel():
    sheet = np.full((10, 20), 128, np.uint8)
    image = decode(figures.panels_figure([("AE", sheet, 3, "3 of 4 clear"), ("VAE", sheet, 3, "4 of 4 clear")], "c"))
    assert image.width == 2 * (2 * 3 * 20) + figures.PAD


# --- the page's download buttons -------------------------------------------------------------

@pytest.fixture
def downloads(monkeypatch):
    """Every download button's file as the click would build it: {file name: bytes}."""
    made, real = {}, streamlit.download_button

    def recording(label, data, file_name=None, **kwargs):
        made[file_name] = data() if callable(data) else data
        return real(label, data=data, file_name=file_name, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", recording)
    return made


def test_explore_downloads_the_digit_the_map_and_the_grid(downloads):
    at = ok(new_app(z="0.5,-1"))
    assert [b.label for b in at.get("download_button")] == [
        "Download the digit (PNG)", "Download the map (PNG)", "Download the grid (PNG)"]
    digit, chart, grid = (decode(downloads[f"2d-vae-{what}.png"]) for what in ("digit", "map", "grid"))
    assert digit.width == 2 * 28 * DIGIT_SCALE and has_caption_band(digit, digit.width)
    assert chart.width == 2 * 460 + figures.MAP_MARGIN["l"] + figures.MAP_MARGIN["r"]
    assert grid.width == 2 * MANIFOLD_SHOWN_PX and has_caption_band(grid, grid.width)


def test_the_manifold_grid_is_as_wide_on_the_page_as_the_figure_assumes():
    css = (ROOT / "ui/components/explorer/explorer.css").read_text()
    assert re.search(rf"\.lab-manifold \{{[^}}]*max-width: {MANIFOLD_SHOWN_PX}px", css)
    assert MANIFOLD_N * 28 >= MANIFOLD_SHOWN_PX


def test_compare_downloads_both_panels_with_their_verdicts(downloads):
    at = ok(new_app(tab="compare", seed="5"))
    assert [b.label for b in at.get("download_button")] == ["Download figure (PNG)"]
    image = decode(downloads["ae-vs-vae-2d-seed5.png"])
    sheet = 6 * 29 - 1  # 36 samples in COLUMNS[36] columns of 28 px and a 1 px gap
    assert COLUMNS[36] == 6
    assert image.width == 2 * (2 * TILE_SCALE * sheet) + figures.PAD
    assert has_caption_band(image)


def test_interpolate_downloads_both_rows(downloads):
    at = ok(new_app(tab="interpolate", steps="8"))
    assert [b.label for b in at.get("download_button")] == ["Download figure (PNG)"]
    image = decode(downloads["interpolation-2d-0-1.png"])
    assert image.width == 2 * ROW_SCALE * (8 * 29 - 1)
    assert image.height > 2 * 2 * ROW_SCALE * 28
