"""Latent maps for the Draw tab: the test images' codes, and over them one drawing's AE code or its
VAE cloud — the mean μ, the 1σ and 2σ ellipses, the samples.

A map is two layers (ui/components/drawview puts one over the other): the test codes — for a whole
map the 10,000 as a PNG drawn once per model and size (st.cache_resource), for a close-up the few
inside it as numbers the page draws as dots — and the marks and axes as SVG text, redrawn per stroke.
Units are equal on both axes. Pure functions but `codes_map`.
"""

import html
import io
import math
from dataclasses import dataclass

import numpy as np
import streamlit as st
from PIL import Image

from model.latent import ellipse_points, map_view
from ui.charts import PALETTE
from ui.images import data_uri
from ui.resources import get_lab, lab_key

PLOT_PX = 240  # the plot's square, CSS px
LEFT, BOTTOM, TOP, RIGHT = 40, 34, 6, 8  # room for tick labels and axis titles
BACKGROUND_SCALE = 2  # background pixels per CSS px: sharp on high-DPI screens and projectors
CLOSE_UP_DOT = 2  # radius of a test code's dot in a close-up, CSS px (the page draws them)
INK = "#111"
# Where the plot lies in a map's picture, CSS px: the page puts the codes' picture there.
GEOMETRY = {"width": LEFT + PLOT_PX + RIGHT, "height": TOP + PLOT_PX + BOTTOM, "left": LEFT, "top": TOP, "size": PLOT_PX}


@dataclass(frozen=True)
class Frame:
    """A square window onto a plane: data ranges (x0, x1) and (y0, y1) of equal span."""

    x0: float
    x1: float
    y0: float
    y1: float

    def pixels(self, points):
        """Plane points [N, 2] -> SVG px [N, 2] (y grows downwards)."""
        p = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        x = LEFT + (p[:, 0] - self.x0) / (self.x1 - self.x0) * PLOT_PX
        y = TOP + (self.y1 - p[:, 1]) / (self.y1 - self.y0) * PLOT_PX
        return np.stack([x, y], axis=1)

    def contains(self, point):
        return self.x0 <= point[0] <= self.x1 and self.y0 <= point[1] <= self.y1

    def clamp(self, point):
        return np.array([min(max(point[0], self.x0), self.x1), min(max(point[1], self.y0), self.y1)])

    @property
    def span(self):
        return self.x1 - self.x0


def square_frame(points):
    """The map's window: what map_view shows of the points, widened to a square about its centre."""
    (x0, x1), (y0, y1) = map_view(points)
    return centred_frame(((x0 + x1) / 2, (y0 + y1) / 2), max(x1 - x0, y1 - y0) / 2)


def centred_frame(centre, half):
    return Frame(centre[0] - half, centre[0] + half, centre[1] - half, centre[1] + half)


def close_up_frame(centre, cov):
    """A window about centre holding the 2σ ellipse of cov with room around it (3.2 σ across)."""
    return centred_frame(centre, 3.2 * math.sqrt(max(float(np.linalg.eigvalsh(cov).max()), 1e-12)))


# ---------------------------------------------------------------- the codes under the marks


def codes_map(lab, kind):
    """(frame, PNG data: URI): one model's whole map and its test codes drawn on it, made once."""
    return _codes_map(*lab_key(lab), kind)


@st.cache_resource(max_entries=8)
def _codes_map(latent_dim, dataset, folder, kind):
    points = get_lab(latent_dim, folder, dataset).spaces[kind].points
    frame = square_frame(points)
    return frame, data_uri(dots_png(points, get_lab(latent_dim, folder, dataset).labels, frame))


def lightened(colour, share=0.35):
    """A "#rrggbb" colour moved `share` of the way to white: codes stay behind the marks drawn on them."""
    return "#" + "".join(f"{round((1 - share) * int(colour[i:i + 2], 16) + share * 255):02x}" for i in (1, 3, 5))


CODE_COLOURS = [lightened(c) for c in PALETTE]  # a test code's dot, by its label


def dots_png(points, labels, frame, scale=BACKGROUND_SCALE):
    """Points inside frame as 3×3-pixel dots in CODE_COLOURS, in a shuffled order (no label always on
    top). A palette PNG: 10 colours and white."""
    side = PLOT_PX * scale
    white = len(PALETTE)
    index = np.full((side, side), white, dtype=np.uint8)
    order = np.random.default_rng(0).permutation(len(points))
    px = np.round((frame.pixels(points[order]) - [LEFT, TOP]) * scale).astype(int)
    colour = np.asarray(labels, dtype=np.uint8)[order]
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            x, y = px[:, 0] + dx, px[:, 1] + dy
            inside = (x >= 0) & (x < side) & (y >= 0) & (y < side)
            index[y[inside], x[inside]] = colour[inside]
    image = Image.fromarray(index, "P")
    image.putpalette([int(c[i:i + 2], 16) for c in CODE_COLOURS + ["#ffffff"] for i in (1, 3, 5)])
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def codes_in(frame, points, labels):
    """The test codes inside a close-up's frame, for the page to draw as dots (no picture to make
    per stroke): {"xy": [x, y, x, y, ...] in map px, "labels": [...]}."""
    inside = ((points[:, 0] >= frame.x0) & (points[:, 0] <= frame.x1)
              & (points[:, 1] >= frame.y0) & (points[:, 1] <= frame.y1))
    return {"xy": frame.pixels(points[inside]).round(1).ravel().tolist(),
            "labels": np.asarray(labels)[inside].tolist()}


# ---------------------------------------------------------------- SVG


def nice_ticks(lo, hi, most=7):
    """Round tick values within [lo, hi]: steps of 1, 2 or 5 times a power of ten, at most `most`."""
    span = hi - lo
    if not span > 0:
        return []
    for step in (m * 10.0 ** e for e in range(math.floor(math.log10(span / most)), 99) for m in (1, 2, 5)):
        if span / step <= most:
            first = math.ceil(lo / step)
            return [round(k * step, 10) for k in range(first, math.floor(hi / step) + 1)]
    return []


def tick_label(value):
    return f"{value:g}".replace("-", "−")


def axes(frame, titles):
    """The plot's border, ticks and axis titles."""
    parts = [f'<rect x="{LEFT}" y="{TOP}" width="{PLOT_PX}" height="{PLOT_PX}" fill="none" stroke="#bbb"/>']
    for value in nice_ticks(frame.x0, frame.x1):
        x = frame.pixels([[value, frame.y0]])[0, 0]
        parts.append(f'<text x="{x:.1f}" y="{TOP + PLOT_PX + 13}" text-anchor="middle">{tick_label(value)}</text>')
    for value in nice_ticks(frame.y0, frame.y1):
        y = frame.pixels([[frame.x0, value]])[0, 1]
        parts.append(f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">{tick_label(value)}</text>')
    x_title, y_title = (html.escape(t) for t in titles)
    parts.append(f'<text x="{LEFT + PLOT_PX / 2}" y="{TOP + PLOT_PX + 29}" text-anchor="middle">{x_title}</text>')
    parts.append(f'<text transform="translate(11 {TOP + PLOT_PX / 2}) rotate(-90)" text-anchor="middle">'
                 f"{y_title}</text>")
    return parts


def svg(frame, titles, marks, name):
    """A map's marks (SVG element strings), clipped to the plot, and its axes, on a transparent SVG
    the size of GEOMETRY: the test codes' picture goes under it. name: unique on the page (its clip's id)."""
    width, height = GEOMETRY["width"], GEOMETRY["height"]
    clip = f'<clipPath id="clip-{name}"><rect x="{LEFT}" y="{TOP}" width="{PLOT_PX}" height="{PLOT_PX}"/></clipPath>'
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11" fill="#444">'
            f'{clip}<g clip-path="url(#clip-{name})">{"".join(marks)}</g>{"".join(axes(frame, titles))}</svg>')


def cross(frame, point, size=7, colour=INK):
    """An × at point, with a white halo so it shows on any colour; clamped to the frame's edge."""
    x, y = frame.pixels([frame.clamp(point)])[0]
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
    (x0, y0), (x1, y1) = frame.pixels([[inner.x0, inner.y1], [inner.x1, inner.y0]])
    grow = max(0.0, 6 - (x1 - x0)) / 2
    return (f'<rect x="{x0 - grow:.1f}" y="{y0 - grow:.1f}" width="{x1 - x0 + 2 * grow:.1f}" '
            f'height="{y1 - y0 + 2 * grow:.1f}" fill="none" stroke="{INK}" stroke-width="1"/>')


