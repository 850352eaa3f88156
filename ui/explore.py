"""Explore tab: sliders over every latent dimension, the decoded digit, the clickable map,
the manifold grid and reconstructions of test digits.

The whole panel is one st.fragment, so a slider move or a map click reruns only this
panel, not the page. z lives in the sliders' own session-state keys (plain floats).
"""

import random

import numpy as np
import streamlit as st

from ui.charts import with_current_z
from ui.panels import let_the_browser_paint, show_digit, show_image
from ui.resources import manifold_png, map_base
from ui.session import SLIDER_STEP, current_z, set_z, slider_key, sync_link
from ui.state import Z_LIMIT, selected_point


def map_key(dim):
    return f"map{dim}"


def clear_jump(dim):
    """The reconstructions belong to the test digit jumped to; any other move hides them."""
    st.session_state[f"jump{dim}"] = None


def on_random_z(dim):
    set_z(dim, np.random.default_rng().standard_normal(dim))
    clear_jump(dim)


def on_reset(dim):
    set_z(dim, np.zeros(dim))
    clear_jump(dim)


def on_jump(lab):
    index = random.randrange(len(lab.labels))
    set_z(lab.latent_dim, lab.spaces["vae"].codes[index])
    st.session_state[f"jump{lab.latent_dim}"] = index


def apply_map_click(lab, point):
    """A clicked plane point -> z on the map's plane -> sliders."""
    dim = lab.latent_dim
    set_z(dim, lab.spaces["vae"].projection.inverse(np.array(point)))
    clear_jump(dim)
    st.session_state[f"map_applied{dim}"] = point
    clicks = st.session_state.get(f"clicks{dim}", [])
    st.session_state[f"clicks{dim}"] = (clicks + [list(point)])[-2:]


def on_map_click(lab):
    """Selection callback: runs before the script, so every click reaches the sliders even when
    the figure (the current-z marker) changes and Streamlit recreates the chart."""
    point = selected_point(st.session_state.get(map_key(lab.latent_dim)))
    if point is not None:
        apply_map_click(lab, point)


def pending_map_click(lab):
    """A selection present in session state but not applied yet (set by a script, a test or a
    restored session rather than by the callback)."""
    dim = lab.latent_dim
    point = selected_point(st.session_state.get(map_key(dim)))
    if point is not None and point != st.session_state.get(f"map_applied{dim}"):
        apply_map_click(lab, point)


def sliders(lab):
    dim = lab.latent_dim
    columns = st.columns(2) if dim > 4 else [st.container()]
    per_column = -(-dim // len(columns))  # read down the left column, then the right
    for rank, i in enumerate(lab.slider_order):
        with columns[rank // per_column]:
            st.slider(
                f"z{i + 1}  ·  KL {lab.kl_per_dim[i]:.2f}", -Z_LIMIT, Z_LIMIT, step=SLIDER_STEP,
                key=slider_key(dim, i), format="%.2f", on_change=clear_jump, args=(dim,),
                help=f"Latent dimension {i + 1}. KL to the prior: {lab.kl_per_dim[i]:.2f} nats "
                     "on average over the test digits (more KL = the VAE uses this dimension more).",
            )


def decoded_digit(lab, z):
    image = lab.decode("vae", z)
    digit, confidence = lab.classify(image)
    show_digit(image, f"VAE decoder output · judge: “{digit}” ({confidence:.0%} sure)", "decoded digit")


def reconstructions(lab, index):
    original = lab.images[index : index + 1]
    st.markdown(f"**Test digit #{index}** (label **{lab.labels[index]}**): original, AE and VAE reconstructions")
    cols = st.columns(3)
    for col, (name, image) in zip(cols, (("original", original),
                                           ("AE reconstruction", lab.reconstruct("ae", index)),
                                           ("VAE reconstruction", lab.reconstruct("vae", index)))):
        with col:
            show_digit(image, name, name, scale=5)


def latent_map_panel(lab, z):
    fig = with_current_z(map_base(lab), lab.spaces["vae"].projection.forward(z))
    st.plotly_chart(fig, key=map_key(lab.latent_dim), on_select=lambda: on_map_click(lab),
                    selection_mode="points", config={"displayModeBar": False, "scrollZoom": False})
    where = "the latent space itself" if lab.latent_dim == 2 else "the plane of the first two principal components"
    st.caption(f"10,000 test digits, placed by the VAE's encoder on {where}. "
               "Click anywhere — on a digit or on empty space — to decode that point.")


def manifold_panel(lab):
    n = 20
    st.markdown(f"**Manifold grid** · the decoder over a {n}×{n} grid of the map")
    show_image(manifold_png(lab, "vae", n), "Equal-probability spacing under the prior "
               "(inverse normal CDF): every cell holds the same prior mass.", "manifold grid")


def ensure_z(dim):
    """Sliders start at the origin (a slider with no state would start at its minimum)."""
    if slider_key(dim, 0) not in st.session_state:
        set_z(dim, np.zeros(dim))


@st.fragment
def explore_panel(lab):
    dim = lab.latent_dim
    ensure_z(dim)
    pending_map_click(lab)
    left, right = st.columns([3, 2], gap="large")
    # The right column is written first, and the browser gets to draw it before the map's
    # 10,000 points arrive and its chart is re-created for the moved marker.
    with right:
        decoded_digit(lab, current_z(dim))
        b1, b2, b3 = st.columns(3)
        b1.button("Random z", icon=":material/casino:", on_click=on_random_z, args=(dim,),
                  help="Draw z from the prior N(0, I)", width="stretch")
        b2.button("Origin", icon=":material/restart_alt:", on_click=on_reset, args=(dim,),
                  help="Reset every slider to 0", width="stretch")
        b3.button("Test digit", icon=":material/pin:", on_click=on_jump, args=(lab,),
                  help="Jump to a random test digit's code", width="stretch")
        jump = st.session_state.get(f"jump{dim}")
        if jump is not None:
            reconstructions(lab, jump)
        manifold_panel(lab)
    let_the_browser_paint()
    with left:
        st.markdown(f"**{dim} latent sliders** · most used dimension first")
        sliders(lab)
        latent_map_panel(lab, current_z(dim))
    sync_link()
