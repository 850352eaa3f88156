"""Step 2: random codes in the AE's space — a guess first, then the samples, the judge's count
and where the random codes landed."""

import numpy as np
import streamlit as st

from ui import session
from ui.charts import plotly_chart
from ui.images import show_tiles
from ui.nouns import nouns
from ui.tabs.lesson import figures, predict, words
from ui.tabs.lesson.demos import SAMPLES, random_codes


def question(lab):
    """One guess per draw: a new size or seed is a new set of samples to guess about."""
    return f"holes-{lab.latent_dim}-{session.seed()}"


def digits_text(kinds, w=nouns("mnist")):
    """Which classes the clear images show."""
    if not kinds:
        return "none"
    return f"{w.kinds(len(kinds))} ({', '.join(w.name(k) for k in kinds)})"


def landing_text(demo):
    return (f"All {SAMPLES} random codes lie within **{demo.draw_reach:.1f}** of the centre of the space; "
            f"**{demo.codes_within:.0%}** of the AE's 10,000 real codes lie that close (98 % of them lie between "
            f"{demo.code_band[0]:.1f} and {demo.code_band[1]:.1f}).")


def neighbour_text(demo):
    return (f"**Neighbour test:** of each random code's 10 nearest neighbours (random and real codes mixed), "
            f"on average **{demo.neighbours:.1f}** are real AE codes — about 5 if the random codes had landed "
            "where the real codes live.")


HOLE_NEIGHBOURS = 1.0  # of 10: fewer real codes than this among a random code's nearest neighbours is a hole


def where_text(demo, w=nouns("mnist")):
    if demo.codes_within < 0.01 or demo.neighbours < HOLE_NEIGHBOURS:
        return ("So the random codes fell into a **hole**: a region where the AE never put a code, and where its "
                "decoder was never trained.")
    return ("So the random codes fell into **one small patch** of the AE's space, among real codes: the samples look "
            f"like {w.items}, but only the kinds whose codes live in that patch.")


def landing_chart(lab, demo):
    if lab.latent_dim == 2:
        fig = figures.landing_map(lab.spaces["ae"].codes, lab.labels, demo.z.numpy(), demo.draw_reach,
                                  nouns(lab.dataset))
    else:
        fig = figures.distance_from_centre(np.linalg.norm(lab.spaces["ae"].codes, axis=1), demo.z.norm(dim=1).numpy())
    plotly_chart(fig, f"lesson-landing-{lab.latent_dim}", session.presenter(), config=figures.CONFIG)
    if lab.latent_dim == 2:
        w = nouns(lab.dataset)
        st.caption(f"Dots: the AE's codes of the 10,000 test {w.items}, coloured by {w.item}. Red ×: the random codes. "
                   "The dashed box on the left is the region shown on the right.")


def record(lab, demo, guess):
    session.set_lesson_seen("holes", {"dim": lab.latent_dim, "seed": session.seed(), "clear": demo.clear,
                                      "n": SAMPLES, "kinds": demo.kinds, "neighbours": demo.neighbours,
                                      "guess": guess})


def show(lab):
    w = nouns(lab.dataset)
    st.markdown(f"To *generate* a new {w.item}, pick a code at random and decode it. The usual way to pick: "
                "from the **standard bell curve**, the same for every direction of the space. Here are "
                f"{SAMPLES} such random codes, decoded by the AE.", help=words.BELL_CURVE)
    guess = predict.number_guess(question(lab), f"how many of these {SAMPLES} AE samples will the judge accept "
                                 f"as a clear {w.item}?", SAMPLES, "Show the samples")
    if guess is None:
        return
    demo = random_codes(lab, session.seed())
    left, right = st.columns([2, 3], gap="medium")
    with left:
        show_tiles(demo.images, 6, f"{SAMPLES} random codes decoded by the AE", "lesson ae samples", scale=2)
        st.markdown(f"The judge accepts **{demo.clear} of {SAMPLES}** as clear {w.items} ({predict.guess_text(guess)}); "
                    f"among them: {digits_text(demo.kinds, w)}.", help=words.judge(w))
    with right:
        landing_chart(lab, demo)
        st.markdown(landing_text(demo) + " " + where_text(demo, w))
        st.markdown(neighbour_text(demo), help=words.NEIGHBOUR_TEST)
    record(lab, demo, guess)
