"""Step 5: sample and perturb — small moves inside one digit's cloud, and a random walk inside the
bell curve, decoded by the VAE and (the same points) by the AE."""

import streamlit as st

from ui import session
from ui.images import show_tiles
from ui.nouns import nouns
from ui.resources import get_lab, lab_key
from ui.tabs.lesson import words
from ui.tabs.lesson.demos import NUDGE_SPREAD, NUDGES, WALK_STEPS, nudge_comparison, nudges, walk


def nudge_shares(lab):
    return _nudge_shares(*lab_key(lab))


@st.cache_resource(max_entries=4, show_spinner="Measuring nudges on 500 real codes…")
def _nudge_shares(latent_dim, dataset, folder):
    return nudge_comparison(get_lab(latent_dim, folder, dataset))


def nudge_text(demo, shares, w=nouns("mnist")):
    more = "even more often than the VAE's" if shares["ae"] > shares["vae"] else "as well"
    return (f"**{demo.same} of {NUDGES}** are still {w.a(demo.centre_label)}. The AE's real codes survive a nudge "
            f"{more}: moved by twice the typical distance between a model's neighbouring codes, "
            f"{shares['ae']:.0%} of the AE's keep their {w.item} (the VAE's: {shares['vae']:.0%}). Nudging a real "
            "code is not where the two differ; where random points land is.")


NUDGE_YARDSTICK = ("500 real codes of each model, each moved in a random direction by twice the typical distance "
                   "between neighbouring codes of that model; the judge compares the class before and after.")


def walk_text(demo, w=nouns("mnist")):
    return (f"The VAE's walk: **{demo.clear('vae')} of {WALK_STEPS}** clear {w.items}. The AE's, on the very same "
            f"points: **{demo.clear('ae')} of {WALK_STEPS}**.")


def show(lab):
    st.markdown("The KL term packed the VAE's codes into the bell curve, so a random point from it lands where "
                "the decoder was trained.", help=words.BELL_CURVE)
    seed, w = session.seed(), nouns(lab.dataset)
    st.markdown(f"**Perturb:** {NUDGES} random moves from one {w.item}'s cloud centre, each twice as wide as the "
                "cloud itself.", help=words.CLOUD)
    nudged = nudges(lab, seed)
    show_tiles(nudged.images, NUDGES, f"the centre's {w.item} nudged {NUDGES} times (spread ×{NUDGE_SPREAD:g})",
               "lesson nudges", scale=2)
    st.markdown(nudge_text(nudged, nudge_shares(lab), w), help=NUDGE_YARDSTICK)
    st.markdown(f"**Sample and walk:** from a random point, {WALK_STEPS - 1} small random steps that never leave "
                "the bell curve. Top: decoded by the VAE. Bottom: the same points through the AE.")
    walked = walk(lab, seed)
    for kind in ("vae", "ae"):
        show_tiles(walked.images[kind], WALK_STEPS, f"the walk decoded by the {kind.upper()}",
                   f"lesson {kind} walk", scale=2)
    st.markdown(walk_text(walked, w))
    session.set_lesson_seen("walk", {"dim": lab.latent_dim, "vae": walked.clear("vae"), "ae": walked.clear("ae"),
                                     "steps": WALK_STEPS, "same": nudged.same, "nudges": NUDGES,
                                     "digit": w.a(nudged.centre_label)})
