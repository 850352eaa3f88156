"""Server-wide, load-once resources (st.cache_resource): one Lab per latent size.

Cached objects are shared by every session, so nothing in them may be mutated.
"""

import gc
import sys

import streamlit as st
import torch

from model import CheckpointError
from model.lab import checkpoint_dir, load_lab
from model.latent import manifold_grid
from ui.charts import latent_map_base
from ui.images import png, tile
from ui.state import Z_LIMIT


@st.cache_resource(show_spinner="Loading the models…", max_entries=4)
def get_lab(latent_dim, folder):
    # One thread per request: with 2 cores and many students, parallel ops inside one
    # small forward pass only add contention.
    torch.set_num_threads(1)
    lab = load_lab(latent_dim, folder)
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


def manifold_png(lab, kind, n):
    return _manifold_png(lab.latent_dim, kind, n, str(checkpoint_dir()))


@st.cache_resource(max_entries=8)
def _manifold_png(latent_dim, kind, n, folder):
    lab = get_lab(latent_dim, folder)
    space = lab.spaces[kind]
    points, _, _ = manifold_grid(kind, space.points, n, space.projection)
    return png(tile(lab.decode(kind, points), n, gap=0), 2)


def map_base(lab):
    return _map_base(lab.latent_dim, str(checkpoint_dir()))


@st.cache_resource(max_entries=4)
def _map_base(latent_dim, folder):
    lab = get_lab(latent_dim, folder)
    space = lab.spaces["vae"]
    # On the 2-D map the axes are z itself: show exactly the square the sliders can reach.
    return latent_map_base(space.points, lab.labels, space.projection.axis_titles,
                           Z_LIMIT if latent_dim == 2 else None)
