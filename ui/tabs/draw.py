"""Draw tab (issue #12): the student's own digit (or item of clothing) through the AE and the VAE.

A drawing comes from the pad (ui.components.drawpad: mouse, finger or pen, or an example digit
for the keyboard), a photo upload, or a shared link; the session keeps it as a link carries it
(ui.session.drawing). Each run puts it through both models once (model.drawing.through_both) and
shows what the models see, both reconstructions, where each model puts it — the AE one point, the
VAE a cloud N(μ, σ²) — and eight samples z = μ + σ·ε from that cloud, with the numbers.
"""

import random

import numpy as np
import streamlit as st

from model.drawing import DrawingError, prepare_drawing, prepare_photo, through_both
from model.latent import prior_samples
from ui import maps, session
from ui.components.drawpad import drawpad, example_uri, read_value
from ui.components.drawview import drawview
from ui.images import data_uri, digit_uri, png, tile
from ui.link import MAX_SEED
from ui.resources import get_lab, lab_key
from ui.tabs.explore import move_to
from ui.nouns import nouns
from ui.verdicts import clear_help, reading_words

SAMPLES = 8
MAX_UPLOAD_MB = 10  # model.drawing.MAX_FILE_BYTES: the uploader refuses larger files before sending them
EXAMPLE_CANDIDATES = 20  # each class's example: the clearest of its first test images
SHOWN_DIMS = 4  # 16-D: the reparameterisation is written out for the most used dimensions
# Measured with sketches of seven kinds of clothes (filled in and as outlines, prepared like the
# data set's items): the judge named the kind first for T-shirt, trousers, dress and bag, was clear
# only on some filled-in ones, and read boots and sneakers as bags or sandals.
FILL_IN_NOTE = ("These models learned from small photos of clothes, not from line drawings: draw the shape big and "
                "fill it in. The judge reads simple shapes (a T-shirt, trousers, a dress, a bag) but is often unsure "
                "about a drawing, and shoes are hard.")
SOURCES = {"pad": "your drawing", "photo": "your photo", "example": "the example", "link": "the drawing from the link"}


# ---------------------------------------------------------------- what changes the drawing


def examples(lab):
    """The pad's example buttons: (test image indices, PNG data: URIs), one per class."""
    return _examples(*lab_key(lab))


@st.cache_resource(max_entries=4)
def _examples(latent_dim, dataset, folder):
    lab = get_lab(latent_dim, folder, dataset)
    indices = [clearest(lab, np.flatnonzero(lab.labels == c)[:EXAMPLE_CANDIDATES]) for c in range(len(lab.info.classes))]
    return indices, [example_uri(lab.images[i]) for i in indices]


def clearest(lab, indices):
    """Of these test images, the one the judge reads as its label most surely: a fair example."""
    readings = lab.readings(lab.images[indices])
    scores = [r.confidence if r.label == lab.labels[i] and r.call == "clear" else -1.0 for i, r in zip(indices, readings)]
    return int(indices[int(np.argmax(scores))])


def on_pad(lab):
    """The pad's callback: a finished stroke, an undo, a clear or a picked example."""
    indices, _ = examples(lab)
    pad = read_value(session.drawpad_value(), len(indices))
    if pad.example is not None:
        session.set_drawing(lab.images[indices[pad.example]], "example")
    elif pad.drawing is not None:
        try:
            session.set_drawing(prepare_drawing(pad.drawing, lab.dataset), "pad")
        except DrawingError as err:  # blank, too little ink, all ink: the hint replaces the results
            session.clear_drawing(hint=str(err))
    elif pad.cleared:
        session.clear_drawing()


def on_upload(lab):
    """The uploader's callback: a readable photo becomes the drawing; anything else only says why."""
    file = session.uploaded_file()
    session.set_upload_note(None)
    if file is None:  # the student removed the file: the drawing stays
        return
    try:
        session.set_drawing(prepare_photo(file.getvalue(), lab.dataset), "photo")
    except DrawingError as err:
        session.set_upload_note(str(err))


def on_new_eps():
    session.set_eps_seed(random.randrange(MAX_SEED))


def explore_from_here(lab, mu):
    """Explore's sliders to μ (what a click on its map does) in the VAE's space, and Explore opened."""
    session.set_explore_model("vae")
    move_to(lab, "vae", mu)
    session.set_tab("explore")


def input_column(lab):
    item, classes, w = lab.info.item, lab.info.classes, nouns(lab.dataset)
    st.markdown(f"## Draw {w.an_item}")
    if not w.is_digits:
        st.caption(FILL_IN_NOTE)
    indices, uris = examples(lab)
    drawpad(session.DRAWPAD, label=item, examples=uris, example_names=[f"Example {item}: {classes[lab.labels[i]]}"
                                                                        for i in indices], on_change=lambda: on_pad(lab))
    st.file_uploader(f"…or a photo of {'a handwritten digit' if w.is_digits else w.an_item} (PNG or JPEG)", type=["png", "jpg", "jpeg"],
                     key=session.UPLOAD, max_upload_size=MAX_UPLOAD_MB, on_change=on_upload, args=(lab,),
                     help="Dark ink on light paper, the " + item + " filling most of the photo. The page crops it "
                          "and centres it as the data set's own images were.")
    if session.upload_note():
        st.warning(session.upload_note(), icon=":material/image_not_supported:")


# ---------------------------------------------------------------- what the student sees


def point_text(point):
    return "(" + ", ".join(f"{v:.2f}".replace("-", "−") for v in point) + ")"


def number(value, signed=False):
    return (f"{value:+.3f}" if signed else f"{value:.3f}").replace("-", "−")


def subscript(n):
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def axis_titles(lab):
    return ("z₁", "z₂") if lab.latent_dim == 2 else ("PC1", "PC2")


def figure(src, alt, caption):
    return {"src": src, "alt": alt, "caption": caption}


def what_the_models_see(lab, trace):
    """The prepared drawing and both reconstructions, each with the judge's reading."""
    source = SOURCES.get(session.drawing_source(), "the drawing")
    images = ((trace.image, f"What the models see: {source}, prepared like the {lab.info.title} (28×28, centred)",
               "prepared drawing"),
              (trace.ae_recon, "Auto-encoder's reconstruction", "ae reconstruction"),
              (trace.vae_recon, "VAE's reconstruction (its decoder at μ)", "vae reconstruction"))
    return [figure(digit_uri(image, 1), alt, f"{title} · {reading_words(reading, lab.info)}")
            for (image, title, alt), reading in zip(images, trace.readings)]


def flat_view(lab):
    """At 16-D a map shows a flat view of the codes: its two numbers are not the code's own (the table's)."""
    return "" if lab.latent_dim == 2 else ", on this flat view,"


def ae_map(lab, trace):
    """The AE's code: one point on the AE's own map."""
    space = lab.spaces["ae"]
    frame, codes = maps.codes_map(lab, "ae")
    code = space.projection.forward(trace.ae_code)
    off = "" if frame.holds([code])[0] else " (outside the window: shown at its edge)"
    return {"codes": codes, "svg": maps.svg(frame, axis_titles(lab), [maps.cross(frame, code)], "ae"),
            "alt": f"The auto-encoder's map with its code at {point_text(code)}",
            "caption": f"Auto-encoder: one point, its code at{flat_view(lab)} {point_text(code)}{off}, on its own map of the test "
                       f"{lab.info.item}s' codes (true scale)."}


def vae_maps(lab, trace):
    """The VAE's cloud N(μ, σ²) on the VAE's whole map, and in a close-up with its samples."""
    space = lab.spaces["vae"]
    frame, codes = maps.codes_map(lab, "vae")
    mu, cov = space.projection.forward(trace.mu), space.projection.covariance(trace.sigma ** 2)
    close = maps.close_up_frame(mu, cov)
    titles = axis_titles(lab)
    whole = maps.svg(frame, titles, [maps.cloud(frame, mu, cov), maps.cross(frame, mu), maps.window(frame, close)],
                     "vae")
    samples = maps.numbered(close, space.projection.forward(trace.z))
    close_up = maps.svg(close, titles, [maps.cloud(close, mu, cov), maps.cross(close, mu), samples], "close-up")
    return [
        {"codes": codes, "svg": whole, "alt": f"The VAE's map with the cloud at {point_text(mu)}",
         "caption": f"VAE: a cloud N(μ, σ²) around μ at{flat_view(lab)} {point_text(mu)}, with its 1σ and 2σ ellipses; "
                    "the square is the close-up."},
        {"dots": maps.codes_in(close, space.points, lab.labels), "svg": close_up,
         "alt": "Close-up of the VAE's cloud and its samples",
         "caption": f"Close-up, ×{frame.span / close.span:.0f}: the cloud, its {SAMPLES} samples (numbered as "
                    f"below) and the test {lab.info.item}s' codes nearby."},
    ]


def projection_note(lab):
    d = lab.latent_dim
    if d == 2:
        return ""
    return (f"{d}-D: each map is its model's PCA plane of the test codes. The point, the cloud's ellipses (exactly "
            "the shadow of the cloud on that plane) and the samples are projected onto it, so codes near each other "
            f"on the plane may still be far apart in {d}-D.")


def reparameterisation(lab, trace):
    """z = μ + σ·ε for sample 1 with its numbers: every dimension at 2-D, the most used ones at 16-D."""
    d = lab.latent_dim
    dims = range(d) if d == 2 else lab.slider_order[:SHOWN_DIMS]
    rows = [[f"z{subscript(i + 1)}", number(trace.mu[i]), number(trace.sigma[i]), number(trace.eps[0, i], signed=True),
             number(trace.z[0, i])] for i in dims]
    more = "" if d == 2 else (f"Below, the {SHOWN_DIMS} dimensions the VAE uses most, of {d}; the other "
                              f"{d - SHOWN_DIMS} work the same way. ")
    text = ("The encoder gives μ and σ, one pair per dimension; ε is noise from N(0, 1); sample 1 lies at "
            f"z = μ + σ · ε. {more}Every sample has its own ε.")
    return text, {"head": ["dimension", "μ", "σ", "ε (sample 1)", "z = μ + σ · ε"], "rows": rows}


def view_data(lab, trace):
    """What the results element shows for this drawing (ui.components.drawview)."""
    formula, table = reparameterisation(lab, trace)
    w = nouns(lab.dataset)
    return {
        "id": f"{session.drawing_code()}:{session.eps_seed()}:{lab.latent_dim}",
        "geometry": maps.GEOMETRY,
        "dots": {"colours": maps.CODE_COLOURS, "radius": maps.CLOSE_UP_DOT},
        "headings": ["What the models see, and what they make of it", "Where each model puts it",
                     f"{SAMPLES} samples from the cloud: z = μ + σ · ε"],
        "help": {"summary": f"What do “clear”, “unsure” and “not {w.an_item}” mean?",
                 "text": clear_help(w).replace("**", "")},
        "figures": what_the_models_see(lab, trace),
        "maps": [ae_map(lab, trace), *vae_maps(lab, trace)],
        "note": projection_note(lab),
        "samples": figure(data_uri(png(tile(trace.samples, SAMPLES))), "cloud samples",
                          f"The VAE's decoder at samples 1 to {SAMPLES}, numbered as on the close-up"),
        "formula": formula,
        "table": table,
    }


def hidden_view(lab):
    """The results element with nothing to show: kept on the page, hidden, so that the next stroke
    updates it rather than builds it, and with the maps' codes already decoded."""
    return {"hidden": True, "geometry": maps.GEOMETRY,
            "preload": [maps.codes_map(lab, "ae")[1], maps.codes_map(lab, "vae")[1]]}


def results(lab, trace):
    drawview(session.DRAWVIEW, view_data(lab, trace))
    left, right = st.columns(2)
    left.button("New ε", icon=":material/casino:", on_click=on_new_eps, width="stretch",
                help="Draw new noise ε from N(0, I): new samples from the same cloud")
    if not session.shows("explore"):  # a class link without Explore
        return
    if right.button("Explore from here", icon=":material/explore:", on_click=explore_from_here,
                    args=(lab, trace.mu), width="stretch",
                    help="Move the Explore sliders to μ, the centre of this cloud, and open Explore"):
        st.rerun()  # the whole page: another tab opens


def no_drawing(lab):
    if session.draw_hint():
        st.warning(session.draw_hint(), icon=":material/gesture:")
    else:
        st.info(f"Draw {nouns(lab.dataset).an_item} on the pad with a mouse, a finger or a pen — or pick an example, or "
                "upload a photo. At the end of each stroke you see what the auto-encoder and the VAE make of it.",
                icon=":material/draw:")


@st.fragment
def draw_panel(lab):
    pad_column, results_column = st.columns([1, 2.8], gap="large")
    with pad_column:
        input_column(lab)
    with results_column:
        image = session.drawing()
        if image is None:
            drawview(session.DRAWVIEW, hidden_view(lab))  # first in the column either way: the page keeps it
            no_drawing(lab)
        else:
            results(lab, through_both(lab, image, prior_samples(SAMPLES, lab.latent_dim, session.eps_seed())))
    session.sync_link()
