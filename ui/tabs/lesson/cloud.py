"""Step 3: the VAE's encoder gives a cloud, not a point — seen direction by direction, and sampled."""

import numpy as np
import streamlit as st
import torch

from ui import session
from ui.charts import plotly_chart
from ui.images import show_digit, show_tiles
from ui.nouns import nouns
from ui.tabs.lesson import figures, words
from ui.tabs.lesson.demos import CLOUD_SAMPLES, LESSON_DIGIT, cloud


def student_drawing():
    """INTEGRATION POINT (issue #12, the Draw tab): `session.drawing()` gives the student's prepared
    drawing, a [1, 1, 28, 28] tensor in [0, 1], or None. Until the Draw tab provides it, there is none."""
    drawing = getattr(session, "drawing", None)
    return drawing() if callable(drawing) else None


def as_image(drawing):
    """A drawing as one [1, 1, 28, 28] float image in [0, 1], or None if it is not one."""
    try:
        pixels = torch.as_tensor(np.asarray(drawing, dtype=np.float32))
    except (TypeError, ValueError):
        return None
    if pixels.numel() != 28 * 28 or not torch.isfinite(pixels).all():
        return None
    return pixels.reshape(1, 1, 28, 28).clamp(0, 1)


def source(lab):
    """(image, words for it): the student's drawing when there is one, else the lesson's test digit."""
    drawing = as_image(student_drawing())
    if drawing is not None:
        return drawing, "your drawing (from the Draw tab)"
    return lab.images[LESSON_DIGIT : LESSON_DIGIT + 1], f"test {nouns(lab.dataset).item} #{LESSON_DIGIT}"


def spread_text(demo, d):
    return (f"This cloud's spread goes from **{demo.sigma.min():.2f}** to **{demo.sigma.max():.2f}** across the "
            f"{d} directions (the bell curve's is 1): narrow where the VAE relies on a direction, wider where "
            "it matters less.")


def samples_text(demo, w=nouns("mnist")):
    return (f"Decoding {CLOUD_SAMPLES} random points from the cloud: the judge reads **{demo.agree} of "
            f"{CLOUD_SAMPLES}** as {w.a(demo.centre_label)}, the {w.item} at the cloud's centre.")


def show(lab):
    image, name = source(lab)
    w = nouns(lab.dataset)
    st.markdown(f"A VAE's encoder does not give one code: it gives a **cloud** — a centre and a spread in each "
                "direction. In training, the decoder gets a random point from the cloud, so every point near the "
                f"centre has to decode to this {w.item} too.", help=words.CLOUD)
    demo = cloud(lab, image, session.seed())
    left, right = st.columns([2, 3], gap="medium")
    with left:
        show_digit(demo.image, name, "lesson cloud source", scale=3)
        show_tiles(demo.images, 6, f"{CLOUD_SAMPLES} random points from its cloud, decoded by the VAE",
                   "lesson cloud samples", scale=2)
        st.markdown(samples_text(demo, w), help=words.REPARAMETERIZE)
    with right:
        fig = figures.cloud_bars(demo.mu, demo.sigma, demo.z.numpy(), lab.slider_order)
        plotly_chart(fig, f"lesson-cloud-{lab.latent_dim}", session.presenter(), config=figures.CONFIG)
        st.markdown(spread_text(demo, lab.latent_dim))
    session.set_lesson_seen("cloud", {"dim": lab.latent_dim, "agree": demo.agree, "k": CLOUD_SAMPLES,
                                      "digit": w.a(demo.centre_label), "source": name})
