"""Explore tab: sliders over every latent dimension, the decoded digit, the clickable map,
reconstructions of test digits and the manifold grid.

The browser side is one element (ui.components.explorer) inside one st.fragment: a slider
release, a map click or a button sends one event (a trigger value) and reruns only this panel;
the element's callback applies it before the panel runs. z lives in the session (ui.session),
the only source of truth.
"""

import random

import numpy as np
import streamlit as st

from ui import session
from ui.components.explorer.events import explorer_event
from ui.components.explorer.explorer import element_data, explorer, large_data, static_data


def jump_to_test_digit(lab):
    dim = lab.latent_dim
    index = random.randrange(len(lab.labels))
    session.set_z(dim, lab.spaces["vae"].codes[index])
    session.set_jumped_digit(dim, index)


def move_to(dim, z):
    """Any move but a jump hides the jumped-to digit's reconstructions."""
    session.set_z(dim, z)
    session.set_jumped_digit(dim, None)


def apply_event(lab):
    """The element's callback: the page's event -> z (a trigger value: each event arrives once)."""
    dim = lab.latent_dim
    event = explorer_event(session.explorer_event(dim), dim)
    if event is None:
        return
    session.set_answered_event(dim, event.id)
    if event.kind == "z":
        move_to(dim, event.z)
    elif event.kind == "click":  # a point on the map's plane -> z on that plane
        move_to(dim, lab.spaces["vae"].projection.inverse(np.array(event.point)))
        session.add_map_click(dim, event.point)  # for the Interpolate tab
    elif event.kind == "random":
        move_to(dim, np.random.default_rng().standard_normal(dim))
    elif event.kind == "origin":
        move_to(dim, np.zeros(dim))
    elif event.kind == "jump":
        jump_to_test_digit(lab)
    elif event.kind == "assets":  # the page lost them (or never got them): send them again
        session.set_assets_sent(dim, None)


def assets_once(lab):
    """The large fixed data, on the first run of a session for this size only (the page keeps it)."""
    dim, signature = lab.latent_dim, static_data(lab)["signature"]
    if session.assets_sent(dim) == signature:
        return None
    session.set_assets_sent(dim, signature)
    return large_data(lab)


@st.fragment
def explore_panel(lab):
    dim = lab.latent_dim
    data = element_data(lab, session.z(dim), assets=assets_once(lab), jumped_digit=session.jumped_digit(dim),
                        event_id=session.answered_event(dim))
    explorer(key=session.explorer_key(dim), data=data, on_event_change=lambda: apply_event(lab))
    session.sync_link()
