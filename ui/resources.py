"""Server-wide, load-once resources (st.cache_resource): one Lab per latent size.

Cached objects are shared by every session, so nothing in them may be mutated.
"""

import streamlit as st
import torch

from model import CheckpointError
from model.lab import load_lab
from model.latent import manifold_grid
from ui.images import png, tile


@st.cache_resource(show_spinner="Loading the models…", max_entries=4)
def get_lab(latent_dim):
    # One thread per request: with 2 cores and many students, parallel ops inside one
    # small forward pass only add contention.
    torch.set_num_threads(1)
    return load_lab(latent_dim)


def lab_or_error(latent_dim):
    """(Lab, None) or (None, message) — a broken checkpoint must not take the page down."""
    try:
        return get_lab(latent_dim), None
    except (CheckpointError, FileNotFoundError) as err:
        return None, str(err)


@st.cache_resource(max_entries=8)
def cached_manifold_png(latent_dim, kind, n):
    lab = get_lab(latent_dim)
    space = lab.spaces[kind]
    points, _, _ = manifold_grid(kind, space.points, n, space.projection)
    return png(tile(lab.decode(kind, points), n, gap=0), 2)
