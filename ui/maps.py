"""Latent maps for the Draw tab: the test images' codes, and over them one drawing's AE code or its
VAE cloud — the mean μ, the 1σ and 2σ ellipses, the samples.

A map is two layers (ui/components/drawview puts one over the other): the test codes — for a whole
map the 10,000 as a picture made once per model and size (st.cache_resource), for a close-up the
few inside it as numbers the page draws as dots — and the marks and axes as SVG text, redrawn per
stroke. Frames, the codes' picture and the axes are ui.charts' (the AE vs VAE tab's codes views).
Pure functions but `codes_map`.
"""

import math

import numpy as np
import streamlit as st

from model.latent import ellipse_points, map_view
from ui.charts import MARGIN, Frame, axes_svg, palette_png, scatter_raster, tinted_palette
from ui.images import data_uri
from ui.resources import get_lab, lab_key

PLOT_PX = 240  # a map's plot, CSS px
CLOSE_UP_DOT = 2  # radius of a test code's dot in a close-up, CSS px (the page draws them)
INK = "#111"
# Where the plot lies in a map, CSS px: the page puts the codes' layer there.
GEOMETRY = {"width": MARGIN["l"] + PLOT_PX + MARGIN["r"], "height": MARGIN["t"] + PLOT_PX + MARGIN["b"],
            "left": MARGIN["l"], "top": MARGIN["t"], "size": PLOT_PX}
_TINTS = tinted_palette()  # paper, then the ten digit colours as they show on the codes' pictures
CODE_COLOURS = ["#" + "".join(f"{v:02x}" for v in _TINTS[3 * i:3 * i + 3]) for i in range(1, 11)]


def square_frame(points):
    """A whole map's window: what map_view shows of the points, as a square about its centre."""
    return Frame.around(map_view(points), PLOT_PX)


def close_up_frame(centre, cov):
    """A window about centre holding the 2σ ellipse of cov with room around it (3.2 σ across)."""
    half = 3.2 * math.sqrt(max(float(np.linalg.eigvalsh(cov).max()), 1e-12))
    return Frame(centre[0] - half, centre[1] - half, 2 * half, PLOT_PX)


def clamped(frame, point):
    """The point moved to the frame's edge if it lies outside (where a mark for it is drawn)."""
    return np.clip(point, [frame.x0, frame.y0], [frame.x0 + frame.span, frame.y0 + frame.span])


# ---------------------------------------------------------------- the codes under the marks


def codes_map(lab, kind):
    """(frame, PNG data: URI): one model's whole map and its test codes drawn on it, made once."""
    return _codes_map(*lab_key(lab), kind)


@st.cache_resource(max_entries=8)
def _codes_map(latent_dim, dataset, folder, kind):
    lab = get_lab(latent_dim, folder, dataset)
    points = lab.spaces[kind].points
    frame = square_frame(points)
    return frame, data_uri(palette_png(scatter_raster(points, lab.labels, frame)))


def codes_in(frame, points, labels):
    """The test codes inside a close-up's frame, for the page to draw as dots (no picture to make
    per stroke): {"xy": [x, y, x, y, ...] in the plot's pixels, "labels": [...]}."""
    inside = frame.holds(points)
    return {"xy": frame.pixels(points[inside]).round(1).ravel().tolist(),
            "labels": np.asarray(labels)[inside].tolist()}


# ---------------------------------------------------------------- SVG


def svg(frame, titles, marks, name):
    """A map's marks (SVG element strings, in the plot's pixels) clipped to the plot, and its axes,
    on a transparent SVG the size of GEOMETRY: the codes' layer goes under it. name: unique on the
    page (its clip's id)."""
    width, height = GEOMETRY["width"], GEOMETRY["height"]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">'
            f'<defs><clipPath id="clip-{name}"><rect width="{frame.size}" height="{frame.size}"/></clipPath></defs>'
            f'<g transform="translate({MARGIN["l"]},{MARGIN["t"]})"><g clip-path="url(#clip-{name})">'
            f'{"".join(marks)}</g>{axes_svg(frame, titles)}</g></svg>')


def cross(frame, point, size=7, colour=INK):
    """An × at point, with a white halo so it shows on any colour; clamped to the frame's edge."""
    (x, y), = frame.pixels([clamped(frame, point)])
    path = f"M{x - size:.1f},{y - size:.1f}L{x + size:.1f},{y + size:.1f}M{x - size:.1f},{y + size:.1f}L{x + size:.1f},{y - size:.1f}"
    return (f'<path d="{path}" stroke="#fff" stroke-width="5" stroke-linecap="round"/>'
            f'<path d="{path}" stroke="{colour}" stroke-width="2.2" stroke-linecap="round"/>')


def cloud(frame, centre, cov):
    """A 2-D Gaussian's 2σ (dashed) and 1σ ellipses, lightly filled."""
    return ellipse(frame, centre, cov, 2, ' stroke-dasharray="4 3"') + ellipse(frame, centre, cov, 1)


def ellipse(frame, centre, cov, radius, style=""):
    """The radius-σ ellipse of a 2-D Gaussian, as a closed path."""
    px = frame.pixels(ellipse_points(centre, cov, radius))
    d = "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in px) + "Z"
    return f'<path d="{d}" fill="rgba(0,0,0,0.07)" stroke="{INK}" stroke-width="1.5"{style}/>'


def numbered(frame, points):
    """Samples as small numbered dots (1, 2, ...: the order of the decoded row)."""
    return "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.8" fill="{INK}" stroke="#fff" stroke-width="0.8"/>'
                   f'<text x="{x + 4:.1f}" y="{y - 3:.1f}" font-size="10" fill="{INK}" stroke="#fff" '
                   f'stroke-width="2.5" paint-order="stroke">{i}</text>'
                   for i, (x, y) in enumerate(frame.pixels(points), start=1))


def window(frame, inner):
    """Where a close-up's window lies on the whole map (at least a few px wide, so it shows)."""
    (x0, y0), = frame.pixels([[inner.x0, inner.y0 + inner.span]])
    side = inner.span * frame.size / frame.span
    grow = max(0.0, 6 - side) / 2
    return (f'<rect x="{x0 - grow:.1f}" y="{y0 - grow:.1f}" width="{side + 2 * grow:.1f}" '
            f'height="{side + 2 * grow:.1f}" fill="none" stroke="{INK}" stroke-width="1"/>')
