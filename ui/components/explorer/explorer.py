"""The explore panel's element (st.components.v2): its declaration and the data it is fed.

explorer.mjs (the view) and explorer-core.mjs (its pure functions, tested with `node --test`)
are the source; ui.components.bundle makes them the one module Streamlit serves. What the
element is sent: the model's fixed parts (`static_data`, built once per size and shared), its
large data (`large_data`: points, labels, decoder weights; sent once per session), and per run
the digit, z, the marker and the reconstructions (`element_data`).
"""

import base64
from pathlib import Path

import numpy as np
import streamlit as st

from model.latent import map_view
from model.networks import decoder_layers
from ui.charts import PALETTE
from ui.components.bundle import bundle
from ui.images import data_uri, digit_uri
from ui.link import Z_LIMIT
from ui.resources import get_lab, lab_key, manifold_png
from ui.session import SLIDER_STEP

HERE = Path(__file__).parent

explorer = st.components.v2.component(
    "latent_lab_explorer",
    html='<div class="lab-explorer"></div>',
    css=(HERE / "explorer.css").read_text(),
    js=bundle(HERE / "explorer.mjs", HERE / "explorer-core.mjs", HERE.parent / "element.mjs"),
    # In the page's DOM rather than a shadow root: presenter mode's larger type applies, and
    # the browser tests find the images and sliders with plain selectors.
    isolate_styles=False,
)

MANIFOLD_N = 20
BUTTONS = (("random", "Random z", "Draw z from the prior N(0, I)"),
           ("origin", "Origin", "Reset every slider to 0"),
           ("jump", "Test digit", "Jump to a random test digit's code and show its reconstructions"))


def static_data(lab):
    """The element's data that only depends on the model (shared by every session)."""
    return _static_data(*lab_key(lab))


@st.cache_resource(max_entries=4)
def _static_data(latent_dim, dataset, folder):
    lab = get_lab(latent_dim, folder, dataset)
    space = lab.spaces["vae"]
    # On the 2-D map the axes are z itself: show exactly the square the sliders can reach.
    x_range, y_range = map_view(space.points, Z_LIMIT if latent_dim == 2 else None)
    where = "the latent space itself" if latent_dim == 2 else "the plane of the first two principal components"
    kl = lab.kl_per_dim
    return {
        "signature": f"{dataset}:{latent_dim}:{folder}",
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


def large_data(lab):
    """The element's large, fixed data (~3 MB): sent to a browser once per session and size, kept
    there. The decoder's weights let the page draw the digit for a z itself while a slider moves."""
    return _large_data(*lab_key(lab))


def b64(array, dtype):
    return base64.b64encode(np.ascontiguousarray(array, dtype=dtype).tobytes()).decode("ascii")


@st.cache_resource(max_entries=4)
def _large_data(latent_dim, dataset, folder):
    lab = get_lab(latent_dim, folder, dataset)
    space = lab.spaces["vae"]
    return {
        "points": b64(space.points, np.float32), "labels": b64(lab.labels, np.uint8),
        "manifold": data_uri(manifold_png(lab, "vae", MANIFOLD_N, scale=1)),
        "decoder": [{"weight": b64(w, np.float32), "bias": b64(b, np.float32), "shape": list(w.shape)}
                    for w, b in decoder_layers(lab.vae)],
        "projection": {"mean": space.projection.mean.tolist(), "components": space.projection.components.tolist()},
    }


def reconstructions(lab, index):
    """A test digit beside the AE's and the VAE's reconstructions of it (None: no digit)."""
    if index is None:
        return None
    images = (("original", lab.images[index : index + 1]), ("AE reconstruction", lab.reconstruct("ae", index)),
              ("VAE reconstruction", lab.reconstruct("vae", index)))
    return {"title": f"Test digit #{index} (label {lab.labels[index]}): original, AE and VAE reconstructions",
            "images": [[digit_uri(image, 5), name] for name, image in images]}


def element_data(lab, z, *, assets, jumped_digit, event_id):
    """Everything the element shows for this z: the model's fixed parts plus the digit and marker.

    assets: large_data(lab) when the page does not hold it yet, else None; event_id: the event
    this run answers (the page ignores answers to older events).
    """
    image = lab.decode("vae", z)
    digit, confidence = lab.classify(image)
    return {
        **static_data(lab),
        "assets": assets,
        "z": [float(v) for v in z],
        "marker": [float(v) for v in lab.spaces["vae"].projection.forward(z)],
        "digit": digit_uri(image),
        "digit_caption": f"VAE decoder output · judge: “{digit}” ({confidence:.0%} sure)",
        "recon": reconstructions(lab, jumped_digit),
        "event_id": event_id,
    }
