"""Interpolation tab: walk from one test digit to another in both latent spaces."""

import random

import numpy as np
import streamlit as st

from model.latent import lerp, slerp
from ui import session
from ui.images import show_tiles
from ui.link import N_TEST
from ui.verdicts import clear_count

PATHS = {"linear": "Linear", "spherical": "Spherical (VAE only)"}


def on_random_endpoints():
    session.set_endpoints(*random.sample(range(N_TEST), 2))


def on_endpoints_from_clicks(lab):
    """Endpoints = the test digits nearest to the last two clicks on the explore map."""
    clicks = session.map_clicks(lab.latent_dim)
    points = lab.spaces["vae"].points
    nearest = [int(np.argmin(((points - np.asarray(c)) ** 2).sum(axis=1))) for c in clicks[-2:]]
    if len(nearest) == 2:
        session.set_endpoints(*nearest)


def path(lab, kind, a, b, steps, method):
    walk = slerp if method == "spherical" and kind == "vae" else lerp
    return walk(lab.code(kind, a), lab.code(kind, b), steps)


@st.fragment
def interpolate_panel(lab):
    c1, c2, c3, c4 = st.columns(4, vertical_alignment="bottom")
    c1.number_input("From test digit #", 0, N_TEST - 1, key=session.FROM_DIGIT, step=1)
    c2.number_input("To test digit #", 0, N_TEST - 1, key=session.TO_DIGIT, step=1)
    c3.slider("Steps", 5, 16, key=session.STEPS)
    c4.radio("Path", list(PATHS), key=session.PATH, format_func=PATHS.get, horizontal=True)
    b1, b2, _ = st.columns([1, 1.4, 2])
    b1.button("Random endpoints", icon=":material/casino:", on_click=on_random_endpoints, width="stretch")
    clicks = len(session.map_clicks(lab.latent_dim))
    b2.button("From my last two map clicks", icon=":material/ads_click:", on_click=on_endpoints_from_clicks, args=(lab,), width="stretch",
              disabled=clicks < 2, help="Click two places on the Explore map first: the nearest test digits "
                                        "become the endpoints.")
    (a, b), steps = session.endpoints(), session.steps()
    st.markdown(f"From a **{lab.labels[a]}** (#{a}) to a **{lab.labels[b]}** (#{b}), {steps} steps, "
                "each model walking between its own codes of the two digits.")
    for kind in ("ae", "vae"):
        images = lab.decode(kind, path(lab, kind, a, b, steps, session.path()))
        clear = clear_count(lab.judge_images(images))
        name = "AE" if kind == "ae" else "VAE"
        show_tiles(images, steps, f"{name}: {clear} of {steps} steps look like a clear digit",
                   f"{kind} interpolation", scale=3)
    if session.path() == "spherical":
        st.caption("The AE row stays linear: it has no prior whose typical radius a spherical path would keep.")
    session.sync_link()
