"""The lesson's charts (Plotly): where random codes land in the AE's space, and one digit's cloud."""

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ui.charts import digit_traces

DRAW_COLOUR = "#d62728"
HEIGHT = 300
MARGIN = {"l": 10, "r": 10, "t": 30, "b": 10}
CONFIG = {"displayModeBar": False}  # a projected lesson needs no zoom buttons over the legend


def draws_trace(points, showlegend):
    return go.Scatter(x=points[:, 0], y=points[:, 1], mode="markers", name="random codes", showlegend=showlegend,
                      marker={"symbol": "x", "size": 7, "color": DRAW_COLOUR}, hoverinfo="skip", legendgroup="draws")


def landing_map(codes, labels, draws, reach, w):
    """2-D: the AE's codes at their true scale (the dashed box: the zoomed region), and the same
    space zoomed to where the draws (red ×) fell. w: the data set's words (ui.nouns.Nouns)."""
    zoom = max(3.0, 1.2 * reach)
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.1,
                        subplot_titles=("the AE's whole space", f"zoomed to ±{zoom:.0f}"))
    draws = np.asarray(draws, dtype=np.float64)
    for col in (1, 2):
        fig.add_traces(digit_traces(codes, labels, size=3, showlegend=col == 1, opacity=0.4, names=w.classes,
                                    item=w.item), rows=1, cols=col)
        fig.add_trace(draws_trace(draws, showlegend=False), row=1, col=col)  # named in the caption
        # Equal units on both axes by shrinking the plot, not by widening a range: a narrow page
        # (a projector's presenter mode) had turned "zoomed to ±4" into ±11.
        fig.update_yaxes(scaleanchor=f"x{'' if col == 1 else col}", constrain="domain", row=1, col=col)
        fig.update_xaxes(constrain="domain", row=1, col=col)
    fig.add_shape(type="rect", x0=-zoom, x1=zoom, y0=-zoom, y1=zoom, line={"color": "#222", "dash": "dash", "width": 1},
                  row=1, col=1)
    fig.update_xaxes(range=[-zoom, zoom], row=1, col=2)
    fig.update_yaxes(range=[-zoom, zoom], row=1, col=2)
    fig.update_annotations(font_size=12)
    fig.update_layout(height=HEIGHT, margin=MARGIN,
                      legend={"orientation": "h", "y": -0.1, "yanchor": "top", "font": {"size": 9},
                              "itemsizing": "constant", "entrywidth": 28 if w.is_digits else 72, "title": {"text": w.item, "side": "left"}})
    return fig


def distance_from_centre(code_distances, draw_distances):
    """Any size: how far the AE's real codes and the random codes are from the centre of the space."""
    fig = go.Figure()
    fig.add_trace(go.Histogram(x=code_distances, name="the AE's real codes", marker={"color": "#7f7f7f"},
                               histnorm="percent", nbinsx=60, opacity=0.7))
    fig.add_trace(go.Histogram(x=draw_distances, name="random codes", marker={"color": DRAW_COLOUR},
                               histnorm="percent", nbinsx=15, opacity=0.8))
    fig.update_layout(height=HEIGHT, margin=MARGIN, barmode="overlay", bargap=0.05,
                      xaxis_title="distance from the centre of the space", yaxis_title="% of codes",
                      legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0})
    return fig


def cloud_bars(mu, sigma, samples, order, limit=3.0):
    """One row per direction of the space (most used on top): the bell curve's middle ±1 (grey),
    this digit's cloud centre ± spread (red) and the decoded samples (black ticks)."""
    rows = [f"{i + 1}" for i in order]
    limit = max(limit, float(np.max(np.abs(mu) + sigma)) + 0.2)
    fig = go.Figure()
    fig.add_trace(go.Bar(y=rows, x=[2.0] * len(order), base=[-1.0] * len(order), orientation="h",
                         marker={"color": "#e6e6e6"}, name="the bell curve's middle (±1)", hoverinfo="skip"))
    fig.add_trace(go.Bar(y=rows, x=[2 * sigma[i] for i in order], base=[mu[i] - sigma[i] for i in order],
                         orientation="h", marker={"color": DRAW_COLOUR}, width=0.45, name="this image's cloud",
                         hovertemplate="centre %{customdata[0]:.2f}, spread %{customdata[1]:.2f}<extra></extra>",
                         customdata=[[mu[i], sigma[i]] for i in order]))
    samples = np.asarray(samples, dtype=np.float64)
    fig.add_trace(go.Scatter(y=[r for r in rows for _ in samples], x=[v for i in order for v in samples[:, i]],
                             mode="markers", marker={"symbol": "line-ns-open", "size": 9, "color": "#222"},
                             name="the decoded samples", hoverinfo="skip"))
    fig.update_layout(height=max(150, 15 * len(order) + 80), margin=MARGIN, barmode="overlay",
                      xaxis={"range": [-limit, limit], "title": None},
                      yaxis={"autorange": "reversed", "type": "category", "title": "direction", "tickfont": {"size": 9}},
                      legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "font": {"size": 10}})
    return fig
