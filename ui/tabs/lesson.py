"""Lesson tab: a guided path through the article's argument, one live step at a time."""

import streamlit as st
import torch

from model.networks import reparameterize
from ui import session
from ui.charts import codes_figure
from ui.images import show_digit, show_image, show_tiles
from ui.link import LESSON_STEPS
from ui.resources import manifold_png
from ui.tabs.compare import draws, sample_panel

STEPS = (
    ("An auto-encoder compresses and reconstructs",
     "An encoder squeezes a 784-pixel digit into a handful of numbers — its *code* — and a decoder turns "
     "the code back into pixels. Trained only to reconstruct, an auto-encoder (AE) gets very good at it. "
     "Below: one test digit, its code, and both models' reconstructions."),
    ("…but its latent space has holes",
     "Nothing told the AE *where* to put its codes. They end up in scattered clumps, and the space between "
     "them was never trained. Pick random points, as if generating, and they land where the AE never put a "
     "code: the decoder returns smudges, or the same few digits over and over. Count how many the judge "
     "accepts, and which digits never appear."),
    ("A VAE's encoder outputs a distribution",
     "A variational auto-encoder (VAE) maps a digit to a small cloud — a mean and a spread — not a point, "
     "and decodes a random sample from it. A second loss term, the KL divergence, pulls every cloud toward "
     "one shared region: the prior N(0, I). Below: eight samples from one digit's cloud all decode to that digit."),
    ("Sample and perturb inside the prior",
     "Because the codes now fill the prior's region, any point drawn from N(0, I) lands somewhere the "
     "decoder knows. Random draws become new, plausible digits — the same draws that failed for the AE."),
    ("Every digit has its own pool in one continuous space",
     "On the map, each digit occupies its own pool and neighbouring pools blend into each other. Walking "
     "across the space morphs one digit smoothly into another: that continuity is what makes a VAE generative."),
)
assert len(STEPS) == LESSON_STEPS

LESSON_DIGIT = 0  # a clear "7" among the test digits


def on_step(delta):
    session.set_lesson_step(min(LESSON_STEPS, max(1, session.lesson_step() + delta)))


def step_compress(lab):
    index = LESSON_DIGIT
    code = lab.code("ae", index)
    cols = st.columns(3)
    with cols[0]:
        show_digit(lab.images[index], "the digit: 784 numbers", "lesson original", scale=6)
    with cols[1]:
        shown = ", ".join(f"{v:.1f}" for v in code[:16].tolist())
        st.markdown(f"**AE code: {lab.latent_dim} numbers**  \n`[{shown}]`")
    with cols[2]:
        show_digit(lab.reconstruct("ae", index), "AE reconstruction: 784 numbers again", "lesson ae recon", scale=6)


def codes_view(lab, z, caption):
    st.plotly_chart(codes_figure(lab.spaces, lab.labels, z), key=f"lesson-codes-{session.lesson_step()}",
                    config={"displaylogo": False})
    st.caption(caption)


def step_holes(lab):
    z = draws(lab, 36, session.seed(), "prior")
    left, right = st.columns([2, 3], gap="large")
    with left:
        sample_panel(lab, "ae", z["ae"], 6)
    with right:
        codes_view(lab, z, "Left: the AE's codes and where these 36 random points (red ×) fell — look at the "
                           "axis scale: N(0, I) covers only a small patch of the AE's space, in a corner of its "
                           "clumps or between them.")


def step_distribution(lab):
    index = LESSON_DIGIT
    with torch.inference_mode():
        mu, logvar = lab.vae.posterior(lab.images[index : index + 1])
        z = reparameterize(mu.expand(8, -1), logvar.expand(8, -1),
                           generator=torch.Generator().manual_seed(session.seed()))
        samples = lab.vae.decode(z)
    sigma = torch.exp(0.5 * logvar)[0]
    st.markdown(f"Mean spread σ of this digit's cloud: **{sigma.mean():.2f}** per dimension "
                f"(the prior's is 1).")
    show_tiles(samples, 8, "8 samples from q(z | x) for one test digit, decoded", "posterior samples", scale=4)
    codes_view(lab, {"ae": lab.code("ae", index).repeat(8, 1), "vae": z},
               "Right: the VAE's codes fill the prior's circles, and this digit's 8 samples (red ×) sit inside "
               "them. Left: the AE's codes, spread wherever training put them.")


def step_sample(lab):
    z = draws(lab, 36, session.seed(), "prior")
    left, right = st.columns(2, gap="large")
    with left:
        sample_panel(lab, "ae", z["ae"], 6)
    with right:
        sample_panel(lab, "vae", z["vae"], 6)


def step_pools(lab):
    show_image(manifold_png(lab, "vae", 16),
               "The VAE decoder over the map: pools of digits that blend into each other.", "lesson manifold")


WIDGETS = (step_compress, step_holes, step_distribution, step_sample, step_pools)


@st.fragment
def lesson_panel(lab):
    step = session.lesson_step()
    title, text = STEPS[step - 1]
    st.progress(step / LESSON_STEPS, text=f"Step {step} of {LESSON_STEPS}")
    st.markdown(f"### {step}. {title}")
    with st.container(key="lesson_text"):
        st.markdown(text)
    WIDGETS[step - 1](lab)
    prev, _, nxt = st.columns([1, 3, 1])
    prev.button("← Previous", on_click=on_step, args=(-1,), disabled=step == 1, width="stretch")
    nxt.button("Next →", on_click=on_step, args=(1,), disabled=step == LESSON_STEPS, width="stretch", type="primary")
    session.sync_link()
