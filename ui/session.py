"""Per-session state: the latent sliders' values and the shareable link (st.query_params).

Only plain values live in st.session_state; the URL is parsed by the pure ui.state module.
"""

import numpy as np
import streamlit as st

from ui.state import LinkState, clamp_z, link_params, parse_link

SLIDER_STEP = 0.01


def slider_key(dim, i):
    return f"z{dim}_{i}"


def current_z(dim):
    return np.array([st.session_state.get(slider_key(dim, i), 0.0) for i in range(dim)], dtype=np.float64)


def set_z(dim, values):
    """Move every slider of this size (values are clamped to the sliders' range)."""
    for i, v in enumerate(clamp_z(values)):
        st.session_state[slider_key(dim, i)] = round(v / SLIDER_STEP) * SLIDER_STEP


TAB_LABELS = {"explore": ":material/explore: Explore", "compare": ":material/compare: AE vs VAE",
              "interpolate": ":material/linear_scale: Interpolate", "lesson": ":material/school: Lesson"}
TAB_IDS = {label: tab for tab, label in TAB_LABELS.items()}


def init_from_link():
    """On a session's first run, seed every control from the URL (defaults where it is odd)."""
    if "link_notes" in st.session_state:
        return
    link = parse_link(st.query_params.to_dict())
    st.session_state.update({
        "dim": link.dim, "tab": TAB_LABELS[link.tab], "seed": link.seed, "n": link.n,
        "ae_sampling": link.ae_sampling, "a": link.a, "b": link.b, "step": link.step,
        "steps": 10, "path": "linear", "presenter": False, "link_notes": list(link.notes),
    })
    if link.z is not None:
        set_z(link.dim, link.z)


def current_link():
    s = st.session_state
    dim = s["dim"]
    return LinkState(tab=TAB_IDS.get(s.get("tab"), "explore"), dim=dim, z=tuple(current_z(dim)), seed=s["seed"],
                     n=s["n"], ae_sampling=s["ae_sampling"], a=s["a"], b=s["b"], step=s["step"])


def sync_link():
    """Write the current state into the address bar, so copying the URL shares it."""
    params = link_params(current_link())
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
