"""Charts: the digit palette and its Plotly traces (the lesson's figures, one model's code map, the
β family's numbers); the codes views (static scatter images of the 10,000 codes with each draw as a
light SVG layer on top, so a new draw redraws only the marks); small SVG bar charts.
"""

import html
import io
import math
from dataclasses import dataclass

import numpy as np
# Plotly imports pandas lazily, on the first figure it validates; sessions that run their first figure
# at once (ten pages reconnecting after a restart) then saw a partly imported pandas (AttributeError:
# 'pandas' has no attribute 'Series'). Imported here, it is whole before any session draws.
import pandas  # noqa: F401
import plotly.graph_objects as go
from plotly.subplots import make_subplots
from PIL import Image

# The one palette of the ten classes, so a digit keeps its colour on every chart and legend (the
# explorer's and the replay's canvases get it through their data). Matthew Petroff's 10-colour
# accessible sequence (2021, matplotlib's "petroff10" style): of the published sets measured by
# bench/palette.py it is the one whose every pair stays apart under simulated protanopia,
# deuteranopia and tritanopia (CIEDE2000 >= 10, tests/test_palette.py), also as drawn on the map.
PALETTE = ("#3f90da", "#ffa90e", "#bd1f01", "#94a4a2", "#832db6",
           "#a96b59", "#e76300", "#b9ac70", "#717581", "#92dadd")
PRESENTER_FONT_SCALE = 1.35  # presenter mode: chart text grows with the page's (20 px type instead of 16)
PLOTLY_FONT_PX = 12  # Plotly's default text size, where a figure sets none


def enlarged(fig, scale):
    """The figure with every text size it sets (and the default) times scale: for a projector."""
    grow = lambda size: round((size or PLOTLY_FONT_PX) * scale)  # noqa: E731
    fig.update_layout(font_size=grow(fig.layout.font.size))
    if fig.layout.legend.font.size:
        fig.update_layout(legend_font_size=grow(fig.layout.legend.font.size))
    for note in fig.layout.annotations:
        note.font.size = grow(note.font.size)
    fig.for_each_xaxis(lambda axis: axis.update(tickfont_size=grow(axis.tickfont.size)))
    fig.for_each_yaxis(lambda axis: axis.update(tickfont_size=grow(axis.tickfont.size)))
    return fig


def plotly_chart(fig, key, presenter, config=None):
    """st.plotly_chart, its text enlarged in presenter mode (presenter: session.presenter())."""
    import streamlit as st

    st.plotly_chart(enlarged(fig, PRESENTER_FONT_SCALE) if presenter else fig, key=key, config=config)


# How opaque the explorer's map draws its 10,000 dots on white: opaque enough that the palette's
# pairs stay apart as drawn (tests/test_palette.py), translucent enough that dense clusters show.
POINT_OPACITY = 0.8


def digit_traces(points, labels, size=4, showlegend=True, opacity=0.55, names=tuple("0123456789"), item="digit"):
    """One trace per class (names: the class names, item: what one image is called, for the hover)."""
    traces = []
    for digit in range(10):
        sel = labels == digit
        traces.append(go.Scattergl(
            x=points[sel, 0].astype(np.float32), y=points[sel, 1].astype(np.float32), mode="markers",
            name=names[digit], legendgroup=str(digit), showlegend=showlegend,
            marker={"color": PALETTE[digit], "size": size, "opacity": opacity},
            hovertemplate=f"{item} {html.escape(names[digit])}<br>(%{{x:.2f}}, %{{y:.2f}})<extra></extra>",
        ))
    return traces


# --- codes views: a static scatter image, the draws as an SVG layer --------------------------

PAPER = (255, 255, 255)
TINT = 0.45  # dots are the palette mixed with white: the marks on top stay readable
DRAW_COLOUR = "#d62728"
MARGIN = {"l": 44, "b": 30, "t": 6, "r": 8}  # around the plot area, in image pixels


def circle(radius, center, n=100):
    t = np.linspace(0, 2 * np.pi, n)
    return center[0] + radius * np.cos(t), center[1] + radius * np.sin(t)


def add_prior_circles(fig, center=(0.0, 0.0), showlegend=True, **where):
    """The prior's 1σ (solid) and 2σ (dashed) circles; where: row=, col= on a figure of subplots."""
    for radius, dash in ((1, "solid"), (2, "dash")):
        cx, cy = circle(radius, center)
        fig.add_trace(go.Scatter(
            x=cx, y=cy, mode="lines", line={"color": "#222", "dash": dash, "width": 2},
            name=f"N(0, I) {radius}σ", showlegend=showlegend, hoverinfo="skip", legendgroup=f"c{radius}",
        ), **where)


def code_map_figure(points, labels, height=400):
    """One 2-D model's codes, coloured by digit, with the prior's circles; equal units on both axes."""
    fig = go.Figure(digit_traces(points, labels, size=3, opacity=0.5))
    add_prior_circles(fig)
    fig.update_xaxes(title_text="z₁")
    fig.update_yaxes(title_text="z₂", scaleanchor="x")
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 10, "b": 10}, legend={"orientation": "h", "y": -0.2})
    return fig


def family_figure(betas, series, chosen, height=260):
    """Numbers over β, one small panel per series ({title: values}), with the chosen β marked;
    a series whose title ends in "(%)" is drawn on 0-100 %.

    The β axis is categorical: its values (0, 0.1, 0.25 … 8) sit evenly spaced, close to a log scale
    for the positive ones, with 0 one step to the left.
    """
    labels = [f"{b:g}" for b in betas]
    fig = make_subplots(rows=1, cols=len(series), subplot_titles=list(series), horizontal_spacing=0.08)
    marked = labels[list(betas).index(chosen)]
    for col, (title, values) in enumerate(series.items(), start=1):
        fig.add_trace(go.Scatter(x=labels, y=list(values), mode="lines+markers", line={"color": "#888"},
                                 marker={"size": 6, "color": "#888"}, showlegend=False,
                                 hovertemplate="β = %{x}: %{y:.3g}<extra></extra>"), row=1, col=col)
        fig.add_trace(go.Scatter(x=[marked], y=[values[labels.index(marked)]], mode="markers", showlegend=False,
                                 marker={"size": 13, "color": "#d62728", "symbol": "diamond"}, hoverinfo="skip"),
                      row=1, col=col)
        fig.update_xaxes(type="category", title_text="β", row=1, col=col)
        if title.endswith("(%)"):  # a share from 0: a narrow range made 56-59 % look like a big change
            fig.update_yaxes(range=[0, 100], row=1, col=col)
    fig.update_annotations(font_size=12)
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 30, "b": 10})
    return fig


@dataclass(frozen=True)
class Frame:
    """A square window onto a 2-D plane, drawn into size × size pixels (equal units on both axes)."""

    x0: float
    y0: float
    span: float
    size: int = 320

    @classmethod
    def around(cls, ranges, size=320):
        """The square holding ((x0, x1), (y0, y1)), centred on them."""
        (x0, x1), (y0, y1) = ranges
        span = max(x1 - x0, y1 - y0)
        return cls((x0 + x1 - span) / 2, (y0 + y1 - span) / 2, span, size)

    @classmethod
    def centred(cls, half_width, size=320):
        return cls(-half_width, -half_width, 2 * half_width, size)

    def pixels(self, points):
        """Plane points [N, 2] -> pixel positions [N, 2] (x to the right, y downwards)."""
        points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        scale = self.size / self.span
        return np.stack([(points[:, 0] - self.x0) * scale, (self.y0 + self.span - points[:, 1]) * scale], axis=1)

    def holds(self, points):
        """Which points lie inside the window."""
        px = self.pixels(points)
        return ((px >= 0) & (px <= self.size)).all(axis=1)


def scatter_raster(points, labels, frame, radius=1, seed=0):
    """The points as dots of their digit's colour: [size, size] palette indices (0 = paper, 1 + digit).

    Painted in a fixed random order, so no digit's dots cover all the others where they overlap.
    """
    order = np.random.default_rng(seed).permutation(len(points))
    px = np.floor(frame.pixels(np.asarray(points)[order])).astype(np.int64)
    colours = (np.asarray(labels)[order] + 1).astype(np.uint8)
    canvas = np.zeros((frame.size, frame.size), dtype=np.uint8)
    for dx in range(-radius, radius + 1):
        for dy in range(-radius, radius + 1):
            x, y = px[:, 0] + dx, px[:, 1] + dy
            inside = (x >= 0) & (x < frame.size) & (y >= 0) & (y < frame.size)
            canvas[y[inside], x[inside]] = colours[inside]
    return canvas


def tinted_palette():
    """Paper, then the ten digit colours mixed with white, as a flat RGB list for a palette PNG."""
    rgb = [PAPER]
    for colour in PALETTE:
        c = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
        rgb.append(tuple(round(TINT * v + (1 - TINT) * 255) for v in c))
    return [v for colour in rgb for v in colour]


def palette_png(indices):
    """Palette indices -> a small PNG (11 colours compress far better than RGB)."""
    image = Image.fromarray(indices, mode="P")
    image.putpalette(tinted_palette())
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def nice_ticks(lo, hi, count=5):
    """Round tick values from lo to hi, about count of them (a tick that should be 0 is 0)."""
    raw = (hi - lo) / count
    power = 10 ** math.floor(math.log10(raw))
    step = power * min((m for m in (1, 2, 5, 10) if m * power >= raw), default=10)
    first = math.ceil(lo / step)
    return [0.0 if abs(k * step) < step / 1e6 else float(k * step) for k in range(first, math.floor(hi / step) + 1)]


def tick_label(value):
    return f"{value:g}"


def axes_svg(frame, axis_names):
    """A view's border, tick labels and axis names (x, then y if given) in the view's own pixels,
    0 to frame.size; the labels reach into the MARGIN around it."""
    parts = [f'<rect width="{frame.size}" height="{frame.size}" fill="none" stroke="#999"/>']
    for value in nice_ticks(frame.x0, frame.x0 + frame.span):
        x = frame.pixels([[value, frame.y0]])[0, 0]
        parts.append(f'<text x="{x:.1f}" y="{frame.size + 14}" text-anchor="middle" fill="#444">{tick_label(value)}</text>')
    for value in nice_ticks(frame.y0, frame.y0 + frame.span):
        y = frame.pixels([[frame.x0, value]])[0, 1]
        parts.append(f'<text x="-5" y="{y + 4:.1f}" text-anchor="end" fill="#444">{tick_label(value)}</text>')
    names = [html.escape(name) for name in axis_names]
    parts.append(f'<text x="{frame.size / 2}" y="{frame.size + 27}" text-anchor="middle" fill="#444">{names[0]}</text>')
    if len(names) > 1:
        parts.append(f'<text transform="translate({10 - MARGIN["l"]} {frame.size / 2}) rotate(-90)" '
                     f'text-anchor="middle" fill="#444">{names[1]}</text>')
    return "".join(parts)


def _cross_path(pixels, half=4.0):
    return " ".join(f"M{x - half:.1f} {y - half:.1f}L{x + half:.1f} {y + half:.1f}"
                    f"M{x - half:.1f} {y + half:.1f}L{x + half:.1f} {y - half:.1f}" for x, y in pixels)


def codes_view_svg(key, base_uri, frame, draws, label, centre=(0.0, 0.0), window=None, axis_names=("z₁", "z₂")):
    """One codes view: the static scatter image, axes with their true scale, the prior's 1σ and 2σ
    circles around centre (the plane point of z = 0), this draw's points as × marks, and
    optionally a window (a Frame) outlined on it: the region another view zooms into.
    key: unique on the page (it names the view's clip path)."""
    m = MARGIN
    width, height = m["l"] + frame.size + m["r"], m["t"] + frame.size + m["b"]
    parts = [f'<svg class="lab-codes" viewBox="0 0 {width} {height}" role="img" aria-label="{html.escape(label)}" '
             f'style="width: 100%; max-width: {width}px; font: 11px sans-serif">',
             f'<defs><clipPath id="lab-clip-{key}"><rect width="{frame.size}" height="{frame.size}"/></clipPath></defs>',
             f'<g transform="translate({m["l"]},{m["t"]})">',
             f'<image href="{base_uri}" width="{frame.size}" height="{frame.size}"/>',
             axes_svg(frame, axis_names[:1]),
             f'<g clip-path="url(#lab-clip-{key})">']
    (cx, cy), = frame.pixels([centre])
    scale = frame.size / frame.span
    for sigma, dash in ((1, ""), (2, ' stroke-dasharray="5 4"')):
        parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{max(sigma * scale, 1.5):.1f}" fill="none" '
                     f'stroke="#222" stroke-width="1.5"{dash}/>')
    if window is not None:
        (wx, wy), = frame.pixels([[window.x0, window.y0 + window.span]])
        side = max(window.span * scale, 3)
        parts.append(f'<rect x="{wx:.1f}" y="{wy:.1f}" width="{side:.1f}" height="{side:.1f}" fill="none" '
                     f'stroke="#1f5fa8" stroke-width="2"/>')
    parts.append(f'<path d="{_cross_path(frame.pixels(draws))}" stroke="{DRAW_COLOUR}" stroke-width="1.8" fill="none"/>')
    parts.append("</g></g></svg>")
    return "".join(parts)


# --- small bar charts ------------------------------------------------------------------------

def digit_bars_svg(clear, unsure, names=tuple("0123456789"), item="digit", height=64):
    """How many samples the judge reads as each class: a column per class (its name under it, slanted
    when names are words), clear ones dark, unsure ones light on top, the count above."""
    clear, unsure = list(clear), list(unsure)
    top = max([c + u for c, u in zip(clear, unsure)] + [1])
    slanted = max(len(name) for name in names) > 2
    col, bar_h, left = (30, height - 30, 8) if slanted else (22, height - 30, 40)
    below = 62 if slanted else 0  # room for slanted names under the bars
    width, total = 10 * col + left + (30 if slanted else 0), height + below
    parts = [f'<svg class="lab-digit-bars" viewBox="0 0 {width} {total}" role="img" '
             f'aria-label="{html.escape(digit_bars_label(clear, unsure, names, item))}" '
             f'style="width: 100%; max-width: {width}px; font: 11px sans-serif">']
    if not slanted:
        parts.append(f'<text x="0" y="{height - 4}" fill="#555">{html.escape(item)}</text>')
    for label in range(10):
        x = left + label * col
        c_h, u_h = bar_h * clear[label] / top, bar_h * unsure[label] / top
        base = height - 16
        parts.append(f'<rect x="{x + 3}" y="{base - c_h:.1f}" width="{col - 6}" height="{c_h:.1f}" '
                     f'fill="{PALETTE[label]}"/>')
        parts.append(f'<rect x="{x + 3}" y="{base - c_h - u_h:.1f}" width="{col - 6}" height="{u_h:.1f}" '
                     f'fill="{PALETTE[label]}" fill-opacity="0.3"/>')
        if clear[label] + unsure[label]:
            parts.append(f'<text x="{x + col / 2}" y="{base - c_h - u_h - 3:.1f}" text-anchor="middle" '
                         f'fill="#333">{clear[label] + unsure[label]}</text>')
        name = html.escape(names[label])
        if slanted:
            parts.append(f'<text x="{x + col / 2}" y="{height - 8}" text-anchor="start" font-weight="bold" fill="#222" '
                         f'transform="rotate(40 {x + col / 2} {height - 8})">{name}</text>')
        else:
            parts.append(f'<text x="{x + col / 2}" y="{height - 4}" text-anchor="middle" font-weight="bold" '
                         f'fill="#222">{name}</text>')
    parts.append("</svg>")
    return "".join(parts)


def digit_bars_label(clear, unsure, names=tuple("0123456789"), item="digit"):
    """The bars in words, for screen readers."""
    seen = [f"{item} {names[d]}: {c} clear, {u} unsure" if item == "digit" else f"{names[d]}: {c} clear, {u} unsure"
            for d, (c, u) in enumerate(zip(clear, unsure)) if c + u]
    return f"How many samples the judge reads as each {item}. " + ("; ".join(seen) or "none")


def share_bars_svg(rows, reference=0.5, reference_label="where the codes live"):
    """Horizontal bars for shares in [0, 1]: rows of (label, value), with a dashed line at reference."""
    label_w, bar_w, row_h = 150, 240, 20
    height = row_h * len(rows) + 22
    x_ref = label_w + bar_w * reference
    words = "; ".join(f"{label}: {value:.2f}" for label, value in rows)
    parts = [f'<svg class="lab-share-bars" viewBox="0 0 {label_w + bar_w + 40} {height}" role="img" '
             f'aria-label="{html.escape(words)}" style="width: 100%; max-width: {label_w + bar_w + 40}px; '
             'font: 12px sans-serif">']
    for i, (label, value) in enumerate(rows):
        y = 4 + i * row_h
        parts.append(f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end" fill="#222">{html.escape(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{bar_w}" height="{row_h - 6}" fill="#eee"/>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{bar_w * min(max(value, 0), 1):.1f}" height="{row_h - 6}" '
                     'fill="#4e79a7"/>')
        parts.append(f'<text x="{label_w + bar_w + 4}" y="{y + 12}" fill="#222">{value:.2f}</text>')
    bottom = 4 + len(rows) * row_h
    parts.append(f'<line x1="{x_ref}" x2="{x_ref}" y1="0" y2="{bottom}" stroke="#222" stroke-dasharray="4 3"/>')
    parts.append(f'<text x="{x_ref}" y="{bottom + 12}" text-anchor="middle" fill="#444">'
                 f'{reference:g}: {html.escape(reference_label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
