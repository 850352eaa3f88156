"""AE vs VAE tab: the same random draws decoded by both, judged, and shown on the code maps."""

import random
import time

import streamlit as st

from model.latent import gaussian_samples, prior_samples
from ui import session
from ui.charts import codes_figure
from ui.images import show_tiles
from ui.link import AE_SAMPLING, MAX_SEED, SAMPLE_COUNTS
from ui.verdicts import show_verdict

AE_SAMPLING_LABELS = {
    "prior": "N(0, I) — what the article describes",
    "fitted": "Gaussian fitted to the AE's training codes — the fair version",
}


PAINT_PAUSE_S = 0.05


def let_the_browser_paint():
    """Pause so the images written so far reach the browser and are drawn before a large chart.

    A Plotly chart whose figure changed is re-created, and re-creating its WebGL scene blocks
    the page for ~100 ms; arriving in the same batch, it would hold back the images with it
    (measured in Chromium on the old Plotly explore map: p95 241 ms without the pause, 102 ms
    with it). Used before the codes chart. The thread sleeps, so other sessions run.
    """
    time.sleep(PAINT_PAUSE_S)


def on_new_samples():
    session.set_seed(random.randrange(MAX_SEED))


def draws(lab, n, seed, ae_sampling):
    """The latent points both panels decode: the same N(0, I) draw for both models.

    With the fitted option the AE gets that very draw reshaped by its code Gaussian
    (z = mean + L·eps), so the two panels still share their randomness.
    """
    eps = prior_samples(n, lab.latent_dim, seed)
    ae_z = gaussian_samples(eps, *lab.spaces["ae"].gaussian) if ae_sampling == "fitted" else eps
    return {"ae": ae_z, "vae": eps}


def sample_panel(lab, kind, z, columns):
    images = lab.decode(kind, z)
    title = {"ae": "Auto-Encoder", "vae": "Variational Auto-Encoder"}[kind]
    st.markdown(f"#### {title}")
    show_tiles(images, columns, f"{len(z)} samples decoded by the {kind.upper()}", f"{kind} samples")
    show_verdict(lab.judge_images(images))


@st.fragment
def compare_panel(lab):
    c1, c2, c3, c4 = st.columns([1.2, 1, 1, 2.4], vertical_alignment="bottom")
    c1.button("New samples", icon=":material/casino:", on_click=on_new_samples, type="primary", width="stretch")
    c2.number_input("Seed", 0, MAX_SEED, key=session.SEED, step=1,
                    help="The same seed gives the same draw: write it on the board to repeat it.")
    c3.selectbox("Samples", SAMPLE_COUNTS, key=session.SAMPLE_COUNT)
    c4.radio("AE samples z from", AE_SAMPLING, key=session.AE_SAMPLING, format_func=AE_SAMPLING_LABELS.get,
             horizontal=False)
    st.caption(
        "The VAE was trained to make its codes look like N(0, I), so drawing from N(0, I) is drawing from where "
        "its codes are. The AE was never told where to put its codes: N(0, I) may miss them entirely. "
        "A Gaussian fitted to the AE's own codes is the fair test — and it still lands in holes between them."
    )
    n = session.sample_count()
    z = draws(lab, n, session.seed(), session.ae_sampling())
    columns = {16: 4, 36: 6, 64: 8, 100: 10}.get(n, 6)
    left, right = st.columns(2, gap="large")
    with left:
        sample_panel(lab, "ae", z["ae"], columns)
    with right:
        sample_panel(lab, "vae", z["vae"], columns)
    let_the_browser_paint()
    st.markdown("#### Where do the codes live?")
    st.plotly_chart(codes_figure(lab.spaces, lab.labels, z), key=f"codes{lab.latent_dim}",
                    config={"displaylogo": False})
    view = "their two latent dimensions" if lab.latent_dim == 2 else "each model's own PCA plane"
    st.caption(f"Test-digit codes on {view}, with the prior's 1σ and 2σ circles and this draw (red ×). "
               "The VAE's codes fill the circles; the AE's codes sit wherever training put them, "
               "so most of the prior's region is empty space for its decoder.")
    session.sync_link()
