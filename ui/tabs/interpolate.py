"""Interpolation tab: walk from one test digit to another in both latent spaces, next to the
average over many random pairs (interpolating is not where the AE and the VAE differ)."""

import random

import numpy as np
import streamlit as st

from model.latent import lerp, slerp
from model.measures import interpolation_clear_share
from ui import session
from ui.components.copylink import copy_link
from ui.downloads import rows_download
from ui.images import show_tiles
from ui.link import N_TEST, PATHS, STEP_RANGE
from ui.nouns import nouns
from ui.resources import get_lab, lab_key

PATH_LABELS = {"linear": "Straight line", "spherical": "Along the sphere (VAE only)"}
ROW_SCALE = 3  # CSS px per image pixel
AVERAGE_PAIRS, AVERAGE_STEPS = 200, 10  # the random pairs the chosen one is set against
ABOUT_EQUAL = 0.05  # shares closer than this (5 points in 100) are "about equal"


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


def between_clear(calls):
    """How many of the steps strictly between the two ends look like a clear digit."""
    return sum(1 for call in calls[1:-1] if call == "clear")


def average_share(lab, kind):
    """Clear share along straight paths between AVERAGE_PAIRS random pairs of different digits (cached per server)."""
    return _average_share(*lab_key(lab), kind)


@st.cache_resource(max_entries=8, show_spinner="Walking 200 random pairs…")
def _average_share(latent_dim, dataset, folder, kind):
    lab = get_lab(latent_dim, folder, dataset)
    return interpolation_clear_share(lab.net(kind), lab.judge, lab.spaces[kind].codes, lab.labels,
                                     pairs=AVERAGE_PAIRS, steps=AVERAGE_STEPS)


def pair_sentence(ae_clear, vae_clear, between):
    """This pair, AE against VAE, in words."""
    if abs(ae_clear - vae_clear) <= 1:
        return f"On this pair both walks stay about as clear: AE **{ae_clear}**, VAE **{vae_clear}** of {between}."
    better, worse = ("VAE", "AE") if vae_clear > ae_clear else ("AE", "VAE")
    counts = {"AE": ae_clear, "VAE": vae_clear}
    return (f"On this pair the {better}'s walk stays clear on more steps: **{counts[better]}** vs "
            f"**{counts[worse]}** of {between}, but one pair proves little.")


def average_sentence(ae_share, vae_share, w=nouns("mnist")):
    """The average over many random pairs, and what it says."""
    numbers = (f"Over {AVERAGE_PAIRS} random pairs of different {w.items} ({AVERAGE_STEPS} steps, straight lines), the "
               f"steps between look clear {ae_share:.0%} of the time for the AE and {vae_share:.0%} for the VAE")
    if abs(ae_share - vae_share) < ABOUT_EQUAL:
        return (f"{numbers}: **about equal**. Walking from one real {w.item}'s code to another's works for both; "
                "where they differ is where *random* points land (see AE vs VAE).")
    better = "VAE" if vae_share > ae_share else "AE"
    return f"{numbers}: the {better}'s walks stay clear more often."


def endpoint_buttons(lab, w):
    b1, b2, _ = st.columns([1, 1.4, 2])
    b1.button("Random endpoints", icon=":material/casino:", on_click=on_random_endpoints, width="stretch")
    clicks = len(session.map_clicks(lab.latent_dim))
    b2.button("From my last two map clicks", icon=":material/ads_click:", on_click=on_endpoints_from_clicks,
              args=(lab,), width="stretch", disabled=clicks < 2,
              help=f"Click two places on the Explore map first: the nearest test {w.items} become the endpoints.")


@st.fragment
def interpolate_panel(lab):
    w = nouns(lab.dataset)
    c1, c2, c3, c4 = st.columns(4, vertical_alignment="bottom")
    if session.shows("ends"):
        c1.number_input(f"From test {w.item} #", 0, N_TEST - 1, step=1, **session.bind(session.FROM_DIGIT))
        c2.number_input(f"To test {w.item} #", 0, N_TEST - 1, step=1, **session.bind(session.TO_DIGIT))
    if session.shows("steps"):
        c3.slider("Steps", *STEP_RANGE, **session.bind(session.STEPS))
    if session.shows("path"):
        c4.radio("Path", PATHS, format_func=PATH_LABELS.get, horizontal=True, **session.bind(session.PATH))
    if session.shows("ends"):
        endpoint_buttons(lab, w)
    (a, b), steps, method = session.endpoints(), session.steps(), session.path()
    st.markdown(f"From {w.a(lab.labels[a], bold=True)} (#{a}) to {w.a(lab.labels[b], bold=True)} (#{b}), {steps} steps, "
                f"each model walking between its own codes of the two {w.items}.")
    between = steps - 2
    clear, rows = {}, []
    for kind in ("ae", "vae"):
        images = lab.decode(kind, path(lab, kind, a, b, steps, method))
        clear[kind] = between_clear(lab.judge_images(images).calls)
        label = f"{kind.upper()}: {clear[kind]} of the {between} steps between the two {w.items} look like a clear {w.item}"
        show_tiles(images, steps, label, f"{kind} interpolation", scale=ROW_SCALE)
        rows.append((label, images, ROW_SCALE))
    if method == "spherical":
        st.caption("The AE row stays a straight line: it has no bell curve whose typical radius a walk along the "
                   "sphere would keep.")
    st.markdown(pair_sentence(clear["ae"], clear["vae"], between))
    rows_download(rows, f"From {w.a(lab.labels[a])} (test {w.item} #{a}) to {w.a(lab.labels[b])} (#{b}) in {steps} "
                        f"steps, {PATH_LABELS[method].lower()}. " + pair_sentence(clear["ae"], clear["vae"], between),
                  f"interpolation-{lab.latent_dim}d-{a}-{b}.png")
    st.markdown(average_sentence(average_share(lab, "ae"), average_share(lab, "vae"), w),
                help=f"The judge's calls on the {AVERAGE_STEPS - 2} images between the two ends of each path, averaged over "
                     f"{AVERAGE_PAIRS} random pairs of test {w.items} of different classes (model.measures.interpolation_clear_share).")
    copy_link(session.share_url(), key="interpolate-link")
    session.sync_link()
