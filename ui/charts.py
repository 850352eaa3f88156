"""Plotly figures: the AE-vs-VAE "where do the codes live" view, one model's code map, the β family's
numbers, and the digit palette."""

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

# A fixed 10-colour palette (Tableau 10), so a digit keeps its colour on every chart
# (the explorer's map gets it through its data).
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
           "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#7f7f7f")


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
    """Numbers over β, one small panel per series ({title: values}), with the chosen β marked.

    The β axis is categorical: its values (0, 0.1, 0.25 … 8) sit evenly spaced, close to a log scale
    for the positive ones, with 0 one step to the left.
    """
    labels = [f"{b:g}" for b in betas]
    fig = make_subplots(rows=1, cols=len(series), subplot_titles=list(series), horizontal_spacing=0.08)
    marked = labels[list(betas).index(chosen)]
    for col, values in enumerate(series.values(), start=1):
        fig.add_trace(go.Scatter(x=labels, y=list(values), mode="lines+markers", line={"color": "#888"},
                                 marker={"size": 6, "color": "#888"}, showlegend=False,
                                 hovertemplate="β = %{x}: %{y:.3g}<extra></extra>"), row=1, col=col)
        fig.add_trace(go.Scatter(x=[marked], y=[values[labels.index(marked)]], mode="markers", showlegend=False,
                                 marker={"size": 13, "color": "#d62728", "symbol": "diamond"}, hoverinfo="skip"),
                      row=1, col=col)
        fig.update_xaxes(type="category", title_text="β", row=1, col=col)
    fig.update_annotations(font_size=12)
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 30, "b": 10})
    return fig


def codes_figure(spaces, labels, draws, height=430):
    """AE and VAE test codes side by side with the prior's 1σ and 2σ circles and the current draws.

    spaces: {"ae": Space, "vae": Space}; draws: {"ae": z [N, d], "vae": z [N, d]}.
    """
    fig = make_subplots(rows=1, cols=2, subplot_titles=("AE codes", "VAE codes"), horizontal_spacing=0.08)
    for col, kind in enumerate(("ae", "vae"), start=1):
        space = spaces[kind]
        fig.add_traces(digit_traces(space.points, labels, size=3, showlegend=col == 1, opacity=0.45),
                       rows=1, cols=col)
        add_prior_circles(fig, space.projection.forward(np.zeros_like(space.projection.mean)), showlegend=col == 1,
                          row=1, col=col)
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
