"""Server-wide, load-once resources (st.cache_resource): one Lab per latent size.

Cached objects are shared by every session, so nothing in them may be mutated.
"""

import base64
import gc
import sys
from pathlib import Path

import numpy as np
import streamlit as st
import torch

from model import CheckpointError
from model import checkpoint_dir
from model.lab import load_lab
from model.latent import manifold_grid, map_view
from model.networks import decoder_layers
from ui.charts import PALETTE
from ui.images import data_uri, png, tile
from ui.session import SLIDER_STEP
from ui.state import Z_LIMIT


@st.cache_resource(show_spinner="Loading the models…", max_entries=4)
def get_lab(latent_dim, folder, dataset="mnist"):
    # One thread per request: with 2 cores and many students, parallel ops inside one
    # small forward pass only add contention.
    torch.set_num_threads(1)
    lab = load_lab(latent_dim, dataset, Path(folder) / dataset)
    lab.classify(lab.decode("vae", [0.0] * latent_dim))  # warm-up: the first forward pass is slow
    # Move everything alive now (models, torch, streamlit) out of the cyclic collector's scans:
    # full collections triggered by per-rerun garbage then stop pausing interactions.
    gc.freeze()
    # One line per load in the server log: the load benchmark checks it happens once per size.
    print(f"[latent-lab] loaded the {latent_dim}-D models from {folder}", file=sys.stderr, flush=True)
    return lab


def lab_or_error(latent_dim):
    """(Lab, None) or (None, message) — a broken checkpoint must not take the page down."""
    try:
        return get_lab(latent_dim, str(checkpoint_dir())), None
    except (CheckpointError, FileNotFoundError) as err:
        return None, str(err)


def manifold_png(lab, kind, n, scale=2):
    return _manifold_png(lab.latent_dim, kind, n, str(checkpoint_dir()), scale)


@st.cache_resource(max_entries=8)
def _manifold_png(latent_dim, kind, n, folder, scale):
    lab = get_lab(latent_dim, folder)
    space = lab.spaces[kind]
    points, _, _ = manifold_grid(kind, space.points, n, space.projection)
    return png(tile(lab.decode(kind, points), n, gap=0), scale)


def explorer_static(lab):
    return _explorer_static(lab.latent_dim, str(checkpoint_dir()))


MANIFOLD_N = 20
BUTTONS = (("random", "Random z", "Draw z from the prior N(0, I)"),
           ("origin", "Origin", "Reset every slider to 0"),
           ("jump", "Test digit", "Jump to a random test digit's code and show its reconstructions"))


@st.cache_resource(max_entries=4)
def _explorer_static(latent_dim, folder):
    """The explorer element's data that only depends on the model: built once per size and
    shared by every session (each rerun adds z, the digit and the marker to a copy)."""
    lab = get_lab(latent_dim, folder)
    space = lab.spaces["vae"]
    # On the 2-D map the axes are z itself: show exactly the square the sliders can reach.
    x_range, y_range = map_view(space.points, Z_LIMIT if latent_dim == 2 else None)
    where = "the latent space itself" if latent_dim == 2 else "the plane of the first two principal components"
    kl = lab.kl_per_dim
    return {
        "signature": f"{latent_dim}:{folder}",
        "heading": f"{latent_dim} latent sliders · most used dimension first",
        "order": list(lab.slider_order), "limit": Z_LIMIT, "step": SLIDER_STEP,
        "slider_labels": [f"z{i + 1} · KL {kl[i]:.2f}" for i in range(latent_dim)],
        "slider_help": [f"Latent dimension {i + 1}. KL to the prior: {kl[i]:.2f} nats on average over the test "
                        "digits (more KL = the VAE uses this dimension more)." for i in range(latent_dim)],
        "buttons": BUTTONS,
        "view": {"x": x_range, "y": y_range}, "axes": list(space.projection.axis_titles),
        "palette": PALETTE, "limit_box": latent_dim == 2, "map_height": 460,
        "map_caption": f"10,000 test digits, placed by the VAE's encoder on {where}. Click anywhere — on a digit "
                       "or on empty space — to decode that point. Hover a dot to see which test digit it is.",
        "manifold_title": f"Manifold grid · the decoder over a {MANIFOLD_N}×{MANIFOLD_N} grid of the map",
        "manifold_caption": "Equal-probability spacing under the prior (inverse normal CDF): every cell holds "
                            "the same prior mass.",
    }


def explorer_assets(lab):
    return _explorer_assets(lab.latent_dim, str(checkpoint_dir()))


def b64(array, dtype):
    return base64.b64encode(np.ascontiguousarray(array, dtype=dtype).tobytes()).decode("ascii")


@st.cache_resource(max_entries=4)
def _explorer_assets(latent_dim, folder):
    """The explorer's large, fixed data (~3 MB): sent to a browser once per session and size, kept
    there. The decoder's weights let the page draw the digit for a z itself while a slider moves."""
    lab = get_lab(latent_dim, folder)
    space = lab.spaces["vae"]
    return {
        "points": b64(space.points, np.float32), "labels": b64(lab.labels, np.uint8),
        "manifold": data_uri(manifold_png(lab, "vae", MANIFOLD_N, scale=1)),
        "decoder": [{"weight": b64(w, np.float32), "bias": b64(b, np.float32), "shape": list(w.shape)}
                    for w, b in decoder_layers(lab.vae)],
        "projection": {"mean": space.projection.mean.tolist(), "components": space.projection.components.tolist()},
    }
