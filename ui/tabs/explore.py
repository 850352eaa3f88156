"""Explore tab: either model's latent space (the AE's or the VAE's), with sliders over every latent
dimension, the decoded digit and the judge's reading of it, the clickable map (optionally shaded by
where the decoder makes digits), reconstructions of test digits and the manifold grid.

The browser side is one element (ui.components.explorer) inside one st.fragment: a slider
release, a map click or a button sends one event (a trigger value) and reruns only this panel;
the element's callback applies it before the panel runs. z lives in the session (ui.session),
one per size and model, the only source of truth.
"""

import functools
import random

import numpy as np
import streamlit as st

from ui import session
from ui.components.explorer.events import explorer_event
from ui.components.explorer.explorer import (MODEL_NAMES, element_data, explorer, payload, slider_scale,
                                             static_data, verdict_layer)
from ui.components.explorer.files import asset_url
from ui.downloads import explore_downloads
from ui.link import DATASETS, LATENT_SIZES, LinkState
from ui.nouns import nouns
from ui.resources import DEFAULT_DATASET, lab_or_error, warm_in_background

MODEL_HELP = ("Whose latent space to walk. The VAE is trained so that its codes fill N(0, I), the bell curve "
              "random draws come from; the AE's codes sit wherever training put them.")


def layer_help(w):
    return (f"Shade the map by what the judge says about the decoder's image at each point: a clear {w.item}, "
            f"unsure, or no {w.item} at all.")


def move_to(lab, model, z):
    """Any move but a jump hides the jumped-to digit's reconstructions. z is snapped to the sliders."""
    session.set_z(lab.latent_dim, slider_scale(lab, model).snap(z), model)
    session.set_jumped_digit(lab.latent_dim, None)


def jump_to_test_digit(lab, model):
    index = random.randrange(len(lab.labels))
    move_to(lab, model, lab.spaces[model].codes[index])
    session.set_jumped_digit(lab.latent_dim, index)


def remember_click(lab, model, point):
    """The Interpolate tab reads map clicks on the VAE's map: an AE map click counts as the VAE's
    point of the test digit nearest to it."""
    if model != "vae":
        points = lab.spaces[model].points
        point = lab.spaces["vae"].points[int(np.argmin(((points - np.asarray(point)) ** 2).sum(axis=1)))]
    session.add_map_click(lab.latent_dim, point)


def apply_event(lab):
    """The element's callback: the page's event -> z (a trigger value: each event arrives once)."""
    dim, model = lab.latent_dim, session.explore_model()
    event = explorer_event(session.explorer_event(dim), dim)
    if event is None or event.model not in (None, model):  # an event from the other model's view: stale
        return
    session.set_answered_event(dim, event.id)
    if event.kind == "z":
        move_to(lab, model, event.z)
    elif event.kind == "click":  # a point on the map's plane -> z on that plane
        move_to(lab, model, lab.spaces[model].projection.inverse(np.array(event.point)))
        remember_click(lab, model, event.point)
    elif event.kind == "random":
        move_to(lab, model, np.random.default_rng().standard_normal(dim))
    elif event.kind == "origin":
        move_to(lab, model, np.zeros(dim))
    elif event.kind == "jump":
        jump_to_test_digit(lab, model)


def controls(w):
    left, right = st.columns([2, 3], vertical_alignment="center")
    if session.shows("model"):
        left.segmented_control("Explore the latent space of", list(MODEL_NAMES), format_func=MODEL_NAMES.get,
                               required=True, help=MODEL_HELP, **session.bind(session.EXPLORE_MODEL))
    if session.shows("layer"):
        right.toggle(f"Show where the decoder makes {w.items}", help=layer_help(w),
                     **session.bind(session.VERDICT_LAYER))


def warm_up(lab):
    """What a student may ask for next, as tasks to run before they do: the other model's data at
    this size, the other data set's page at this size (its Lab loads in it: the first switch then
    shows at once), the verdict layers, then the same at the other size."""
    sizes = sorted(LATENT_SIZES, key=lambda dim: dim != lab.latent_dim)  # this size first
    others = [dataset for dataset in DATASETS if dataset != lab.dataset]
    for dim in sizes:
        for model in MODEL_NAMES:
            yield functools.partial(warm_one, dim, lab.dataset, model, (static_data, asset_url))
        for dataset in others:
            yield functools.partial(warm_one, dim, dataset, "vae", (static_data, asset_url))
        for model in MODEL_NAMES:
            yield functools.partial(warm_one, dim, lab.dataset, model, (verdict_layer,))


def warm_first_page():
    """What a first page needs, for either latent size (a class's link often names dim=16), and the
    other data sets' page at the default size (a class's first switch): their Labs and VAE explorer
    data, the default first. Called once at server start, outside any session."""
    start = LinkState()
    for dim in sorted(LATENT_SIZES, key=lambda dim: dim != start.dim):
        warm_one(dim, DEFAULT_DATASET, start.model, (static_data, asset_url))
    for dataset in DATASETS:
        if dataset != DEFAULT_DATASET:
            warm_one(start.dim, dataset, start.model, (static_data, asset_url))


def warm_one(dim, dataset, model, steps):
    each, _ = lab_or_error(dim, dataset)
    if each is not None:  # a broken checkpoint: that size computes nothing
        for step in steps:
            step(each, model)


@st.fragment
def explore_panel(lab):
    dim = lab.latent_dim
    controls(nouns(lab.dataset))
    model = session.explore_model()
    z = slider_scale(lab, model).snap(session.z(dim, model))
    data = element_data(lab, model, z, layer=verdict_layer(lab, model) if session.verdict_layer() else None,
                        jumped_digit=session.jumped_digit(dim), event_id=session.answered_event(dim))
    explorer(key=session.explorer_key(dim), data=payload(data), on_event_change=lambda: apply_event(lab))
    explore_downloads(lab, model, z)
    session.sync_link()
    warm_in_background(warm_up(lab))
