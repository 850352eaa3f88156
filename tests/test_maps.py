"""ui.maps: the Draw tab's latent maps — frames, ticks, the codes' picture and the SVG marks."""

import io
import re

import numpy as np
import pytest
from PIL import Image

from ui import maps
from ui.charts import PALETTE


def test_a_frame_maps_its_corners_to_the_plot_and_flips_y():
    frame = maps.Frame(-2.0, 2.0, -1.0, 3.0)
    corners = frame.pixels([[-2.0, 3.0], [2.0, -1.0], [0.0, 1.0]])
    left, top, size = maps.LEFT, maps.TOP, maps.PLOT_PX
    assert corners == pytest.approx(np.array([[left, top], [left + size, top + size], [left + size / 2, top + size / 2]]))
    assert frame.contains((0, 0)) and not frame.contains((0, 3.5))
    assert list(frame.clamp((9.0, -9.0))) == [2.0, -1.0]


def test_the_square_frame_holds_the_points_with_equal_units():
    points = np.random.default_rng(0).normal(size=(2000, 2)) * [10.0, 1.0] + [5.0, -3.0]
    frame = maps.square_frame(points)
    assert frame.x1 - frame.x0 == pytest.approx(frame.y1 - frame.y0)
    inside = [frame.contains(p) for p in points]
    assert np.mean(inside) > 0.99


def test_the_close_up_holds_the_2_sigma_ellipse():
    cov = np.array([[0.04, 0.01], [0.01, 0.01]])
    frame = maps.close_up_frame((1.0, -1.0), cov)
    from model.latent import ellipse_points

    assert all(frame.contains(p) for p in ellipse_points((1.0, -1.0), cov, 2))
    assert frame.span == pytest.approx(2 * 3.2 * np.sqrt(np.linalg.eigvalsh(cov).max()))


@pytest.mark.parametrize("lo, hi, expected", [
    (-3.2, 3.9, [-2, 0, 2]), (-3.2, 3.2, [-3, -2, -1, 0, 1, 2, 3]), (0.0, 1.0, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
    (-58.2, 109.5, [-50, 0, 50, 100]), (1.21, 1.29, [1.22, 1.24, 1.26, 1.28]), (1.0, 1.0, []),
])
def test_nice_ticks(lo, hi, expected):
    assert maps.nice_ticks(lo, hi) == pytest.approx(expected)


def test_the_codes_picture_puts_each_point_in_its_labels_colour():
    frame = maps.Frame(0.0, 1.0, 0.0, 1.0)
    points = np.array([[0.25, 0.75], [0.75, 0.25], [5.0, 5.0]])  # the last is outside: left out
    image = Image.open(io.BytesIO(maps.dots_png(points, [3, 7, 1], frame)))
    pixels = np.asarray(image)
    side = maps.PLOT_PX * maps.BACKGROUND_SCALE
    assert image.mode == "P" and pixels.shape == (side, side)
    assert pixels[side // 4, side // 4] == 3 and pixels[3 * side // 4, 3 * side // 4] == 7
    assert set(np.unique(pixels)) == {3, 7, len(PALETTE)}  # two 3×3 dots on white
    assert (pixels == 3).sum() == 9
    assert image.getpalette()[9:12] == [int(maps.CODE_COLOURS[3][i:i + 2], 16) for i in (1, 3, 5)]


def test_a_close_ups_codes_are_the_ones_inside_it_in_map_pixels():
    frame = maps.Frame(0.0, 1.0, 0.0, 1.0)
    dots = maps.codes_in(frame, np.array([[0.5, 0.5], [2.0, 0.5], [0.0, 1.0]]), np.array([4, 5, 6]))
    assert dots["labels"] == [4, 6]
    assert dots["xy"] == pytest.approx([maps.LEFT + maps.PLOT_PX / 2, maps.TOP + maps.PLOT_PX / 2, maps.LEFT, maps.TOP])


def test_lightened_moves_a_colour_towards_white():
    assert maps.lightened("#000000", 0.5) == "#808080" and maps.lightened("#ff0000", 0.0) == "#ff0000"


def test_a_map_svg_clips_its_marks_to_its_own_plot():
    frame = maps.Frame(-1.0, 1.0, -1.0, 1.0)
    marks = [maps.cloud(frame, (0, 0), np.eye(2) * 0.01), maps.cross(frame, (5, 5)), maps.numbered(frame, [[0.1, 0.1]])]
    svg = maps.svg(frame, ("z₁", "z₂"), marks, "close-up")
    assert svg.startswith("<svg") and 'clip-path="url(#clip-close-up)"' in svg and 'id="clip-close-up"' in svg
    assert svg.count("<path") == 4 and svg.count("<circle") == 1 and ">1</text>" in svg
    crosses = re.findall(r'd="M(-?[\d.]+),(-?[\d.]+)L', maps.cross(frame, (5, 5)))
    x, y = (float(v) for v in crosses[0])
    assert x == pytest.approx(maps.LEFT + maps.PLOT_PX - 7) and y == pytest.approx(maps.TOP - 7)  # clamped to the corner
