"""Plotly figures: the clickable latent map and the AE-vs-VAE "where do the codes live" view."""

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from model.latent import click_grid

# A fixed 10-colour palette (Tableau 10), so a digit keeps its colour on every chart.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
           "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#7f7f7f")
CLICK_GRID = 70  # invisible nodes per axis: a click anywhere lands within a few pixels of one


def map_range(points, pad=0.08):
    """Axis ranges that hold 99.8 % of the points, padded."""
    lo = np.percentile(points, 0.1, axis=0)
    hi = np.percentile(points, 99.9, axis=0)
    span = hi - lo
    return (lo[0] - pad * span[0], hi[0] + pad * span[0]), (lo[1] - pad * span[1], hi[1] + pad * span[1])


def digit_traces(points, labels, size=4, showlegend=True, opacity=0.55):
    traces = []
    for digit in range(10):
        sel = labels == digit
        traces.append(go.Scattergl(
            x=points[sel, 0].astype(np.float32), y=points[sel, 1].astype(np.float32), mode="markers",
            name=str(digit), legendgroup=str(digit), showlegend=showlegend,
            marker={"color": PALETTE[digit], "size": size, "opacity": opacity},
            hovertemplate=f"digit {digit}<br>(%{{x:.2f}}, %{{y:.2f}})<extra></extra>",
        ))
    return traces


def latent_map_base(points, labels, axis_titles, limit=None, height=520):
    """The map without the current z: test-digit codes by digit and an invisible click grid.

    Built once per model and reused as a plain dict (see with_current_z): only the marker
    changes from one slider move to the next.
    limit: clip the view to ±limit (the sliders' range), so every clickable point is one the
    sliders can show.
    """
    x_range, y_range = map_range(points)
    if limit is not None:
        x_range, y_range = ((max(lo, -limit), min(hi, limit)) for lo, hi in (x_range, y_range))
    gx, gy = click_grid(x_range, y_range, CLICK_GRID)
    fig = go.Figure(digit_traces(points, labels))
    # Opacity 0 but hoverable ("none", not "skip"): clicks on empty space select a node.
    fig.add_trace(go.Scattergl(
        x=gx.astype(np.float32), y=gy.astype(np.float32), mode="markers", name="click grid",
        showlegend=False, hoverinfo="none", marker={"size": 8, "opacity": 0, "color": "#000"},
    ))
    fig.update_layout(
        height=height, margin={"l": 10, "r": 10, "t": 30, "b": 10}, uirevision="latent-map",
        xaxis={"title": axis_titles[0], "range": list(x_range), "zeroline": True},
        yaxis={"title": axis_titles[1], "range": list(y_range), "zeroline": True, "scaleanchor": "x"},
        legend={"title": "digit (click to hide)", "itemsizing": "constant"},
        hovermode="closest", hoverdistance=12, clickmode="event+select", dragmode="pan",
    )
    return fig.to_dict()


def with_current_z(base, current):
    """A new figure dict: the shared base (not mutated) plus the current-z marker."""
    marker = {"type": "scattergl", "x": [float(current[0])], "y": [float(current[1])], "mode": "markers",
              "name": "current z", "hoverinfo": "skip",
              "marker": {"symbol": "x", "size": 18, "color": "#111", "line": {"width": 2, "color": "#fff"}}}
    return {"data": [*base["data"], marker], "layout": base["layout"]}


def circle(radius, center, n=100):
    t = np.linspace(0, 2 * np.pi, n)
    return center[0] + radius * np.cos(t), center[1] + radius * np.sin(t)


def codes_figure(spaces, labels, draws, height=430):
    """AE and VAE test codes side by side with the prior's 1σ and 2σ circles and the current draws.

    spaces: {"ae": Space, "vae": Space}; draws: {"ae": z [N, d], "vae": z [N, d]}.
    """
    fig = make_subplots(rows=1, cols=2, subplot_titles=("AE codes", "VAE codes"), horizontal_spacing=0.08)
    for col, kind in enumerate(("ae", "vae"), start=1):
        space = spaces[kind]
        fig.add_traces(digit_traces(space.points, labels, size=3, showlegend=col == 1, opacity=0.45),
                       rows=1, cols=col)
        center = space.projection.forward(np.zeros_like(space.projection.mean))
        for radius, dash in ((1, "solid"), (2, "dash")):
            cx, cy = circle(radius, center)
            fig.add_trace(go.Scatter(
                x=cx, y=cy, mode="lines", line={"color": "#222", "dash": dash, "width": 2},
                name=f"N(0, I) {radius}σ", showlegend=col == 1, hoverinfo="skip", legendgroup=f"c{radius}",
            ), row=1, col=col)
        drawn = space.projection.forward(np.asarray(draws[kind], dtype=np.float64))
        fig.add_trace(go.Scatter(
            x=drawn[:, 0], y=drawn[:, 1], mode="markers", name="this draw", showlegend=col == 1,
            marker={"symbol": "x", "size": 8, "color": "#d62728"}, hoverinfo="skip", legendgroup="draw",
        ), row=1, col=col)
        titles = space.projection.axis_titles
        short = ("z₁", "z₂") if titles[0] == "z₁" else ("PC1", "PC2")
        fig.update_xaxes(title_text=short[0], row=1, col=col)
        fig.update_yaxes(title_text=short[1], row=1, col=col, scaleanchor=f"x{'' if col == 1 else col}")
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 40, "b": 10}, uirevision="codes",
                      legend={"orientation": "h", "y": -0.15})
    return fig
