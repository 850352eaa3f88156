"""Explore tab: sliders over every latent dimension, the decoded digit, the clickable map,
reconstructions of test digits and the manifold grid.

The browser side is one element (ui.explorer) inside one st.fragment: a slider release, a
map click or a button reruns only this panel, and the element reports it as an event.
z lives in plain session-state keys (ui.session), the only source of truth.
"""

import random

import numpy as np
import streamlit as st

from ui.explorer import explorer
from ui.images import data_uri, png, tile
from ui.panels import DIGIT_SCALE
from ui.resources import explorer_assets, explorer_static
from ui.session import current_z, set_z, sync_link
from ui.state import explorer_event


def explorer_key(dim):
    return f"explorer{dim}"


def clear_jump(dim):
    """The reconstructions belong to the test digit jumped to; any other move hides them."""
    st.session_state[f"jump{dim}"] = None


def jump_to_test_digit(lab):
    index = random.randrange(len(lab.labels))
    set_z(lab.latent_dim, lab.spaces["vae"].codes[index])
    st.session_state[f"jump{lab.latent_dim}"] = index


def apply_map_click(lab, point):
    """A clicked plane point -> z on the map's plane -> sliders."""
    dim = lab.latent_dim
    set_z(dim, lab.spaces["vae"].projection.inverse(np.array(point)))
    clear_jump(dim)
    clicks = st.session_state.get(f"clicks{dim}", [])
    st.session_state[f"clicks{dim}"] = (clicks + [list(point)])[-2:]  # for the Interpolate tab


def apply_event(lab):
    """The explorer's last event -> z, exactly once per event id.

    Runs as the element's callback (before the panel) and again at the top of the panel, which
    applies an event put in session state by anything other than the browser (a test).
    """
    dim = lab.latent_dim
    event = explorer_event(st.session_state.get(explorer_key(dim)), dim)
    if event is None or event.id == st.session_state.get(f"applied_event{dim}"):
        return
    st.session_state[f"applied_event{dim}"] = event.id
    if event.kind == "z":
        set_z(dim, event.z)
        clear_jump(dim)
    elif event.kind == "click":
        apply_map_click(lab, event.point)
    elif event.kind == "random":
        set_z(dim, np.random.default_rng().standard_normal(dim))
        clear_jump(dim)
    elif event.kind == "origin":
        set_z(dim, np.zeros(dim))
        clear_jump(dim)
    elif event.kind == "jump":
        jump_to_test_digit(lab)
    elif event.kind == "assets":  # the page lost them (or never got them): send them again
        st.session_state.pop(f"assets_sent{dim}", None)


def digit_uri(image, scale=DIGIT_SCALE):
    return data_uri(png(tile(image, 1), scale))


def reconstructions(lab, index):
    if index is None:
        return None
    images = (("original", lab.images[index : index + 1]), ("AE reconstruction", lab.reconstruct("ae", index)),
              ("VAE reconstruction", lab.reconstruct("vae", index)))
    return {"title": f"Test digit #{index} (label {lab.labels[index]}): original, AE and VAE reconstructions",
            "images": [[digit_uri(image, 5), name] for name, image in images]}


def assets_once(lab, signature):
    """The large fixed data, on the first run of a session for this size only (the page keeps it)."""
    key = f"assets_sent{lab.latent_dim}"
    if st.session_state.get(key) == signature:
        return None
    st.session_state[key] = signature
    return explorer_assets(lab)


def explorer_data(lab, z):
    """What the element shows for this z: the model's fixed parts plus the digit and marker."""
    dim = lab.latent_dim
    image = lab.decode("vae", z)
    digit, confidence = lab.classify(image)
    static = explorer_static(lab)
    return {
        **static,
        "assets": assets_once(lab, static["signature"]),
        "z": [float(v) for v in z],
        "marker": [float(v) for v in lab.spaces["vae"].projection.forward(z)],
        "digit": digit_uri(image),
        "digit_caption": f"VAE decoder output · judge: “{digit}” ({confidence:.0%} sure)",
        "recon": reconstructions(lab, st.session_state.get(f"jump{dim}")),
        "event_id": st.session_state.get(f"applied_event{dim}"),  # lets the element ignore stale answers
    }


@st.fragment
def explore_panel(lab):
    dim = lab.latent_dim
    apply_event(lab)
    explorer(key=explorer_key(dim), data=explorer_data(lab, current_z(dim)), default={"event": None},
             on_event_change=lambda: apply_event(lab))
    sync_link()
