"""Step 7: the recap — the numbers this session's class saw in steps 2 to 6, and its guesses."""

import streamlit as st

from ui import session
from ui.nouns import nouns
from ui.resources import get_lab, lab_key
from ui.tabs.lesson import kl, predict

NOT_SHOWN = "— not shown in this session yet"


def holes_line(seen, w):
    return (f"the judge accepted **{seen['clear']} of {seen['n']}** of the AE's random samples, "
            f"{w.kinds(len(seen['kinds']))} ({predict.guess_text(seen['guess'])})")


def cloud_line(seen, w):
    return f"**{seen['agree']} of {seen['k']}** points from the cloud of {seen['source']} decoded to {seen['digit']}"


def kl_line(seen, w):
    readings = sorted(seen.items())
    shown = "; ".join(f"β = {beta:g}: **{r['clear']} of {r['n']}** clear" for beta, r in readings)
    guess = session.lesson_guess(kl.QUESTION)
    return shown + ("" if guess in (None, predict.SKIPPED) else f" (the class predicted: “{guess}”)")


def walk_line(seen, w):
    return (f"{seen['same']} of {seen['nudges']} nudges stayed {seen['digit']}; the random walk gave "
            f"**{seen['vae']} of {seen['steps']}** clear {w.items} through the VAE and **{seen['ae']} of "
            f"{seen['steps']}** through the AE")


def pools_line(seen, w):
    return f"clear cells: AE **{seen['ae']:.0%}**, VAE **{seen['vae']:.0%}**"


LINES = (  # (step record, what the step was, how its numbers read)
    ("holes", "Random codes in the AE's space", holes_line),
    ("cloud", "The VAE's encoder gives a cloud", cloud_line),
    ("kl", "What the KL term does", kl_line),
    ("walk", "Sample and perturb", walk_line),
    ("pools", "One continuous space", pools_line),
)


def real_clear_share(lab):
    """The share of the real test images the judge calls clear (cached per server)."""
    return _real_clear_share(*lab_key(lab))


@st.cache_resource(max_entries=4, show_spinner="Judging the real test images…")
def _real_clear_share(latent_dim, dataset, folder):
    verdict = get_lab(latent_dim, folder, dataset).judge_images(get_lab(latent_dim, folder, dataset).images)
    return verdict.calls.count("clear") / verdict.n


def size_note(seen):
    return f" ({seen['dim']}-D)" if isinstance(seen, dict) and "dim" in seen else ""


def show(lab):
    w = nouns(lab.dataset)
    st.markdown("What this class saw, as it was shown:")
    rows = ["| step | what we saw |", "|---|---|"]
    for number, (name, title, line) in enumerate(LINES, start=2):
        seen = session.lesson_seen(name)
        rows.append(f"| {number}. {title}{size_note(seen)} | {line(seen, w) if seen else NOT_SHOWN} |")
    st.markdown("\n".join(rows))
    st.markdown(f"**So:** both models compress and rebuild {w.items}, and both survive small nudges. What the VAE "
                f"adds is a known place to draw codes from: its training pulled every {w.item}'s cloud into the bell "
                f"curve, so a random code from the bell curve decodes to {w.an_item}. The AE's codes sit wherever "
                "training put them, and nothing tells us where to draw random codes from.")
    if not w.is_digits:
        st.caption(f"With clothes the judge is stricter than with digits: it calls only {real_clear_share(lab):.0%} of "
                   f"the real test {w.items} clear, so fewer samples of either model count as clear. The VAE still "
                   "makes many more clear ones than the AE.")
