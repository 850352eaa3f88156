"""Why it works tab: the cause, shown two ways on the 2-D MNIST models.

The replay: the AE's and the VAE's latent spaces forming during training, side by side, played
in the page (ui.components.replay). The β dial: the weight of the KL term, from 0 (an
auto-encoder in all but name) through 1 (the VAE) to strong regularisation, with what each
β's VAE does. `beta_dial(lab, key) -> DialReading` is the dial the lesson's KL step places
(ui/tabs/lesson/kl.py: its integration point, which asks the predict-first question around it).
"""

import streamlit as st
import torch

from model import checkpoint_dir
from model.family import MAP_DIGITS
from model.latent import prior_samples
from model.networks import codes_of
from ui import session
from ui.charts import code_map_figure, family_figure, plotly_chart
from ui.components.replay.replay import aligned, frame_count, large_data, replay, reported_frame, static_data
from ui.images import show_tiles
from ui.nouns import nouns
from ui.resources import DEFAULT_DATASET, FAMILY_DIM, family_or_error, lab_or_error, replay_or_error
from ui.tabs.lesson.demos import clear_kinds
from ui.tabs.lesson.kl import DialReading
from ui.verdicts import clear_count, show_verdict

SAMPLES = 36
SAMPLE_SEED = 0  # the same random points at every β: only the decoder changes


def why_panel(lab):
    st.markdown("The VAE's codes fill the prior's circles because training *pulls* them there: the KL term of its "
                "loss. Watch that happen, then turn the pull up and down.")
    if lab.dataset != DEFAULT_DATASET:
        st.info(f"This tab shows the **2-D MNIST** models, digits rather than {nouns(lab.dataset).title}: the training "
                "replay and the family of VAEs at other β were recorded for MNIST only. The cause is the same for "
                "both data sets: the KL term pulls the VAE's codes into the prior.", icon=":material/info:")
    elif lab.latent_dim != FAMILY_DIM:
        st.info(f"This tab shows the **2-D** models (on a 2-D map the latent space can be seen whole), whatever the "
                f"latent size in the sidebar ({lab.latent_dim}-D now).", icon=":material/info:")
    if (lab.latent_dim, lab.dataset) != (FAMILY_DIM, DEFAULT_DATASET):
        lab, error = lab_or_error(FAMILY_DIM, DEFAULT_DATASET)
        if error:
            st.error(f"The 2-D models could not be loaded.\n\n{error}", icon=":material/error:")
            return
    st.markdown("## Watch both latent spaces form during training")
    replay_section()
    st.markdown("## The KL dial: from auto-encoder to VAE")
    dial_section(lab)


# --- the replay ----------------------------------------------------------------------------

@st.fragment
def replay_section():
    loaded, error = replay_or_error()
    if error:
        st.info(f"The training replay is not available, so it cannot be played here.\n\n{error}",
                icon=":material/movie_off:")
        return
    arrays, _ = loaded
    if not aligned(arrays):
        st.warning("This replay's AE and VAE snapshots were taken at different steps, so they cannot be shown "
                   "side by side. Record it again: `python -m model.replay --data-dir DIR`.")
        return
    count, folder = frame_count(arrays), str(checkpoint_dir())
    if session.replay_frame() >= count:  # a link's frame this replay lacks
        asked = session.replay_frame()
        session.set_replay_frame(0)
        note_and_rerun("frame", asked, f"this replay has frames 0 to {count - 1}")
    data = {**static_data(folder, DEFAULT_DATASET), "assets": replay_assets_once(folder),
            "frame": session.replay_frame()}
    replay(key=session.REPLAY, data=data, on_frame_change=lambda: on_replay_moved(count),
           on_assets_change=lambda: session.set_replay_assets_sent(None))
    st.caption("Both models train from the same seed on the same batches; the replay holds snapshots taken densely "
               "in the first few hundred batches, where the space forms, then once an epoch. Play, step with "
               "◀ ▶▶, or drag the position.")
    session.sync_link()


def replay_assets_once(folder):
    """Every frame, on the first run of a session only (the page keeps them; it asks again if it lost them)."""
    signature = static_data(folder, DEFAULT_DATASET)["signature"]
    if session.replay_assets_sent() == signature:
        return None
    session.set_replay_assets_sent(signature)
    return large_data(folder, DEFAULT_DATASET)


def on_replay_moved(count):
    frame = reported_frame(session.replay_reported_frame(), count)
    if frame is not None:
        session.set_replay_frame(frame)


def note_and_rerun(name, value, why):
    """A link value only the page can judge (a frame this replay lacks), already replaced by its
    default: the note goes where every link note goes (the sidebar), so the page runs once more."""
    session.add_link_note(f"Ignored `{name}={value}` from the link ({why}); using the default.")
    st.rerun()


# --- the β dial ----------------------------------------------------------------------------

@st.fragment
def dial_section(lab):
    _, error = family_or_error()
    if error:
        st.info(f"The β family is not available, so the dial cannot be shown.\n\n{error}", icon=":material/tune:")
        return
    beta_dial(lab, session.BETA)
    session.sync_link()


def beta_dial(lab, key):
    """A dial over the trained β values and what the chosen β's VAE does: its map with the prior's
    circles, random samples with the judge's verdict, reconstructions, and the family's numbers.

    lab: the 2-D Lab (judge, test digits, labels); key: the dial's kept value (session.bind; session.BETA
    is the tab's, the one the link carries). Returns what the dial shows now (a DialReading), or None,
    drawing nothing, while the β family is missing.
    """
    family, error = family_or_error()
    if error:
        return None
    settle_beta(family, key)
    st.select_slider("Weight of the KL term, β", options=family.betas, format_func=beta_label, **session.bind(key),
                     help="The VAE's loss is reconstruction + β × KL. β = 0 drops the pull toward the prior; "
                          "β = 1 is the standard VAE; larger β pulls harder.")
    member = family.member(session.dial_beta(key))
    st.markdown(beta_caption(member, family))
    left, right = st.columns([3, 2], gap="large")
    with left:
        plotly_chart(code_map_figure(member.codes, lab.labels[:MAP_DIGITS]), f"{key}-map", session.presenter(),
                     config={"displayModeBar": False})
        st.caption(f"Where β = {member.beta:g}'s encoder puts {MAP_DIGITS:,} test digits, with the prior's 1σ and "
                   "2σ circles: random samples are drawn inside them.")
    with right:
        samples = member.vae.decode(prior_samples(SAMPLES, FAMILY_DIM, SAMPLE_SEED))
        show_tiles(samples, 6, f"{SAMPLES} random points z ~ N(0, I), the same at every β, decoded at β = "
                               f"{member.beta:g}", "beta samples")
        verdict = lab.judge_images(samples)
        show_verdict(verdict, nouns(lab.dataset))
    show_reconstructions(member, lab)
    plotly_chart(family_figure(family.betas, family_series(family), member.beta), f"{key}-family",
                 session.presenter(), config={"displayModeBar": False})
    st.caption(f"The whole family, β = {member.beta:g} marked. β sits on an evenly spaced axis (0, then 0.1 … 8: "
               f"close to a log scale). {numbers_source(family)}")
    return DialReading(member.beta, clear_count(verdict), SAMPLES,
                       tuple(clear_kinds(verdict.predictions, verdict.calls)))


def settle_beta(family, key):
    """Give the dial a trained β before it is drawn: a fresh dial starts at β = 1, and a β from the
    link that no model was trained at falls back to that default, with a note."""
    value = session.dial_beta(key)
    trained = family.trained_beta(value) if value is not None else None
    session.set_dial_beta(key, family.default_beta if trained is None else trained)
    if trained is None and value is not None and key == session.BETA:
        note_and_rerun("beta", f"{value:g}",
                       f"no model was trained at that β; trained: {', '.join(map(beta_label, family.betas))}")


def beta_label(beta):
    return {0.0: "0 (AE)", 1.0: "1 (VAE)"}.get(beta, f"{beta:g}")


def nats(value):
    return f"{value:.1f}" if abs(value) < 10 else f"{value:.0f}"


def what_beta_does(beta):
    if beta == 0:
        return "an auto-encoder in all but name: nothing pulls its codes toward the prior"
    if beta < 1:
        return "a gentle pull toward the prior"
    if beta == 1:
        return "the standard VAE: reconstruction and KL weigh the same (the ELBO)"
    return "a strong pull toward the prior: the codes are squeezed together and say less about each digit"


def numbers_text(n):
    return (f"KL {nats(n.kl_nats)} nats, reconstruction error {nats(n.recon_nats)} nats, {n.active_units} of "
            f"{FAMILY_DIM} latent dimensions in use, {n.clear_share:.0%} of random samples judged clear")


def beta_caption(member, family):
    """What the chosen β does, in plain words, with its numbers and (away from β = 1) the VAE's beside them."""
    text = f"**β = {member.beta:g}**: {what_beta_does(member.beta)} — {numbers_text(member.numbers)}"
    reference = family.member(family.default_beta)
    if reference is not member:
        text += f" (β = {reference.beta:g}: {numbers_text(reference.numbers)})"
    return text + "."


def numbers_source(family):
    """Where the family's numbers come from, in one sentence (model.evaluate's, or measured at load)."""
    quick = [m for m in family.members if not m.numbers.evaluated]
    if not quick:
        n = family.members[0].numbers
        return f"Numbers from model.evaluate: {n.digits:,} test digits, {n.samples:,} random samples per β."
    n = quick[0].numbers
    which = "every β" if len(quick) == len(family.members) else "β = " + ", ".join(f"{m.beta:g}" for m in quick)
    return (f"Numbers for {which} measured when the server loaded them ({n.digits:,} test digits, {n.samples:,} "
            "random samples): `python -m model.evaluate` gives the full ones.")


def family_series(family):
    numbers = [m.numbers for m in family.members]
    return {"reconstruction error (nats)": [n.recon_nats for n in numbers],
            "KL to the prior (nats)": [n.kl_nats for n in numbers],
            "samples judged clear (%)": [100 * n.clear_share for n in numbers]}


def first_of_each_digit(labels):
    return [int((labels == d).nonzero()[0][0]) for d in range(10) if (labels == d).any()]


def show_reconstructions(member, lab):
    index = first_of_each_digit(lab.labels)
    originals = lab.images[index]
    with torch.inference_mode():
        recon = member.vae.decode(codes_of(member.vae, originals))
    show_tiles(torch.cat([originals, recon]), len(index),
               f"Top: a test digit of each class. Bottom: β = {member.beta:g}'s reconstructions "
               f"({nats(member.numbers.recon_nats)} nats of reconstruction error on average: lower is closer).",
               "beta reconstructions")
