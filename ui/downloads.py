"""Download buttons for the figures (ui.figures): one small button per figure.

Streamlit calls a download button's `data` when the button is clicked (a callable: deferred), on a
thread of its own and outside the script run, so each figure is built from values taken here,
never from the session, and a script run only registers the callable.
"""

import functools
import io

import numpy as np
import streamlit as st
from PIL import Image

from ui import figures
from ui.components.explorer.explorer import MANIFOLD_N, MODEL_NAMES, map_ranges, reading_words, static_data
from ui.components.explorer.layers import PRIOR_RADII, prior_centre
from ui.images import DIGIT_SCALE, tile, to_uint8
from ui.resources import manifold_png
from ui.verdicts import counts_markdown, distance_markdown


def download_figure(label, build, file_name, key):
    """An unobtrusive button that downloads build() (PNG bytes, made on click) as file_name."""
    st.download_button(label, data=build, file_name=file_name, mime="image/png", key=key, on_click="ignore",
                       icon=":material/download:", type="tertiary")


def z_text(z):
    return "(" + ", ".join(f"{v:.2f}" for v in z) + ")"


# --- Explore: the decoded digit, the map with the current point, the manifold grid -------------

def digit_png(lab, model, z):
    """The digit the explorer shows for z (the page decodes it in the browser; this is the server's decode)."""
    image = lab.decode(model, z)
    caption = (f"The {MODEL_NAMES[model]}'s decoder at z = {z_text(z)} · the judge: "
               f"{reading_words(lab.read(image), lab.info)}")
    return figures.digit_figure(to_uint8(image)[0], DIGIT_SCALE, caption)


def map_png(lab, model, z, shown_px):
    space, name = lab.spaces[model], MODEL_NAMES[model]
    where = "on its latent space" if lab.latent_dim == 2 else "on the flat view of its codes' two main directions (PCA)"
    caption = (f"{len(lab.labels):,} test {lab.info.item}s placed by the {name}'s encoder ({lab.latent_dim}-D), "
               f"{where}. Circles: where random draws from N(0, I) land (1σ solid, 2σ dashed). "
               f"Cross: the current point z = {z_text(z)}.")
    prior = (prior_centre(space.projection), PRIOR_RADII)
    return figures.map_figure(space.points, lab.labels, map_ranges(lab, model), space.projection.forward(z), prior,
                              shown_px, lab.info.classes, caption)


MANIFOLD_SHOWN_PX = 460  # the manifold grid's width on the page (.lab-manifold's max-width in explorer.css)


def grid_png(grid_png_bytes, caption):
    grid = np.asarray(Image.open(io.BytesIO(grid_png_bytes)).convert("L"))
    return figures.grid_figure(grid, MANIFOLD_SHOWN_PX, caption)


def explore_downloads(lab, model, z):
    """The Explore panel's three figures. What comes from Streamlit's caches (the explorer's fixed
    data, the manifold's picture: both already built for the element) is looked up here, in the run."""
    z, data = [float(v) for v in z], static_data(lab, model)
    name = f"{lab.latent_dim}d-{model}"
    grid = functools.partial(grid_png, manifold_png(lab, model, MANIFOLD_N, scale=1),
                             f"{data['manifold_title']}. {data['manifold_caption']}")
    chart = functools.partial(map_png, lab, model, z, data["map_height"])
    for place, (label, build, file_name) in zip(st.columns(3), (
            (f"Download the {lab.info.item} (PNG)", functools.partial(digit_png, lab, model, z), f"{name}-digit.png"),
            ("Download the map (PNG)", chart, f"{name}-map.png"),
            ("Download the grid (PNG)", grid, f"{name}-grid.png"))):
        with place:
            download_figure(label, build, file_name, key=f"figure-{file_name}")


# --- AE vs VAE: both sample panels with their verdicts; Interpolate: both rows -----------------

def plain(markdown):
    return markdown.replace("**", "")


def verdict_text(t):
    """A panel's verdict (a ui.verdicts.Tally) as the page writes it under the panel."""
    clear = [str(digit) for digit, count in enumerate(t.clear_by_digit) if count]
    return "\n".join(plain(line) for line in (
        counts_markdown(t), f"Clear digits: {', '.join(clear) or 'none'} ({t.variety} different)",
        distance_markdown(t)))


def samples_png(panels, caption):
    """panels: (title, images, columns, on-screen scale, Tally) for each model."""
    return figures.panels_figure([(title, tile(images, columns), scale, verdict_text(t))
                                  for title, images, columns, scale, t in panels], plain(caption))


def rows_png(rows, caption):
    """rows: (label, images, on-screen scale), each row's images side by side."""
    return figures.rows_figure([(label, tile(images, len(images)), scale) for label, images, scale in rows],
                               plain(caption))


def samples_download(panels, caption, file_name):
    download_figure("Download figure (PNG)", functools.partial(samples_png, panels, caption), file_name,
                    key="figure-samples")


def rows_download(rows, caption, file_name):
    download_figure("Download figure (PNG)", functools.partial(rows_png, rows, caption), file_name,
                    key="figure-rows")
