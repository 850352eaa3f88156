"""ui.maps: the Draw tab's latent maps — frames, the close-up's codes, the SVG marks and axes."""

import re

import numpy as np
import pytest

from model.latent import ellipse_points
from ui import maps
from ui.charts import MARGIN, Frame, axes_svg


def test_the_square_frame_holds_the_points_with_equal_units():
    points = np.random.default_rng(0).normal(size=(2000, 2)) * [10.0, 1.0] + [5.0, -3.0]
    frame = maps.square_frame(points)
    assert frame.size == maps.PLOT_PX and frame.holds(points).mean() > 0.99


def test_the_close_up_holds_the_2_sigma_ellipse():
    cov = np.array([[0.04, 0.01], [0.01, 0.01]])
    frame = maps.close_up_frame((1.0, -1.0), cov)
    assert frame.holds(ellipse_points((1.0, -1.0), cov, 2)).all()
    assert frame.span == pytest.approx(2 * 3.2 * np.sqrt(np.linalg.eigvalsh(cov).max()))
    assert frame.pixels([[1.0, -1.0]])[0] == pytest.approx([maps.PLOT_PX / 2] * 2)


def test_a_point_outside_is_clamped_to_the_edge():
    frame = Frame(-2.0, -1.0, 4.0, maps.PLOT_PX)
    assert list(maps.clamped(frame, (9.0, -9.0))) == [2.0, -1.0] and list(maps.clamped(frame, (0.5, 0.5))) == [0.5, 0.5]


def test_a_close_ups_codes_are_the_ones_inside_it_in_plot_pixels():
    frame = Frame(0.0, 0.0, 1.0, maps.PLOT_PX)
    dots = maps.codes_in(frame, np.array([[0.5, 0.5], [2.0, 0.5], [0.0, 1.0]]), np.array([4, 5, 6]))
    assert dots["labels"] == [4, 6] and dots["xy"] == pytest.approx([maps.PLOT_PX / 2, maps.PLOT_PX / 2, 0, 0])


def test_the_dots_colours_are_the_codes_pictures():
    assert len(maps.CODE_COLOURS) == 10 and all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in maps.CODE_COLOURS)
    assert maps.CODE_COLOURS[0] != maps.CODE_COLOURS[1]


def test_a_map_svg_clips_its_marks_to_its_own_plot_and_names_both_axes():
    frame = Frame(-1.0, -1.0, 2.0, maps.PLOT_PX)
    marks = [maps.cloud(frame, (0, 0), np.eye(2) * 0.01), maps.cross(frame, (5, 5)), maps.numbered(frame, [[0.1, 0.1]])]
    svg = maps.svg(frame, ("PC1", "PC2"), marks, "close-up")
    assert svg.startswith("<svg") and 'clip-path="url(#clip-close-up)"' in svg and 'id="clip-close-up"' in svg
    assert svg.count("<path") == 4 and svg.count("<circle") == 1 and ">1</text>" in svg
    assert ">PC1</text>" in svg and ">PC2</text>" in svg and f'translate({MARGIN["l"]},{MARGIN["t"]})' in svg
    x, y = (float(v) for v in re.findall(r'd="M(-?[\d.]+),(-?[\d.]+)L', maps.cross(frame, (5, 5)))[0])
    assert (x, y) == pytest.approx((maps.PLOT_PX - 7, -7))  # clamped to the top right corner


def test_the_window_shows_where_the_close_up_is_at_least_6_px_wide():
    frame = Frame(-3.0, -3.0, 6.0, maps.PLOT_PX)
    big = maps.window(frame, Frame(0.0, 0.0, 1.5, maps.PLOT_PX))
    assert 'width="60.0"' in big and 'x="120.0"' in big and 'y="60.0"' in big
    assert 'width="6.0"' in maps.window(frame, Frame(0.0, 0.0, 0.001, maps.PLOT_PX))


def test_the_axes_name_y_only_when_asked():
    frame = Frame(0.0, 0.0, 1.0, 100)
    assert axes_svg(frame, ("z₁",)).count("rotate(-90)") == 0 and axes_svg(frame, ("z₁", "z₂")).count("rotate(-90)") == 1
