"""Step 4: what the KL term does — predict what β → 0 does to the samples, then move the dial.

INTEGRATION POINT (issue #11): the dial is the "Why it works" tab's `beta_dial` (ui/tabs/why.py)
over the trained β family; while the family is missing (it reads None), a stand-in with the two
shipped 2-D ends of the dial.
Either way the dial is a function

    dial(lab, key) -> DialReading

that draws itself (its β control, samples and verdict) and returns what it shows now.
"""

from dataclasses import asdict, dataclass

import streamlit as st

from model.latent import prior_samples
from ui import session
from ui.images import show_tiles
from ui.tabs.lesson import predict, words
from ui.tabs.lesson.demos import SAMPLES, clear_kinds, judged

QUESTION = "kl"
CHOICES = {
    "sharper": "They get sharper and more varied",
    "worse": "Fewer of them look like digits",
    "repeat": "As many look like digits, but the same few digits come back again and again",
    "same": "Nothing much changes",
}
SAME_MARGIN = 3  # of 36: closer than this counts as "nothing much changes"
KINDS_MARGIN = 2  # of the ten digits: this many fewer kinds among the clear samples counts as "the same few"


@dataclass(frozen=True)
class DialReading:
    beta: float  # the weight of the KL term the dial is set to
    clear: int  # how many of its random samples the judge calls clear digits
    n: int
    kinds: tuple  # which digits appear among the clear ones


def stand_in_dial(lab, key):
    """The two ends the shipped models show: no KL term (the plain AE, trained on reconstruction
    alone) and β = 1 (the VAE); the same random codes through either decoder."""
    beta = st.select_slider("How much the KL term counts (β)", (0.0, 1.0), value=1.0, key=key,
                            format_func=lambda b: "0: no KL term (the AE)" if b == 0 else "1: the VAE",
                            help=words.KL_TERM)
    images = lab.decode("vae" if beta else "ae", prior_samples(SAMPLES, lab.latent_dim, session.seed()))
    labels, calls = judged(lab, images)
    reading = DialReading(beta, int((calls == "clear").sum()), SAMPLES, tuple(clear_kinds(labels, calls)))
    show_tiles(images, 12, f"{SAMPLES} random codes from the bell curve, decoded at β = {beta:g}",
               "lesson dial samples", scale=2)
    st.markdown(f"At β = {beta:g}: the judge accepts **{reading.clear} of {reading.n}** as clear digits, "
                f"{len(reading.kinds)} different digits among them.")
    st.caption("Stand-in: the full dial, with VAEs trained at eight values of β, comes with the *Why it works* tab.")
    return reading


def find_dial():
    try:
        from ui.tabs.why import beta_dial  # noqa: PLC0415 — see the module docstring
    except ImportError:
        return stand_in_dial
    return beta_dial


def remember(reading):
    """Every β the class has looked at, with what the dial showed there."""
    seen = {**(session.lesson_seen("kl") or {}), reading.beta: asdict(reading)}
    session.set_lesson_seen("kl", seen)
    return {beta: DialReading(**values) for beta, values in seen.items()}


def outcome(low, high):
    """Which choice the dial proved right, comparing its lowest β seen with its highest: first how
    many samples are clear digits, then how many different digits they are (at β = 0 the 2-D
    family's samples stay as clear but repeat a few digits: README, The β family)."""
    if low.clear <= high.clear - SAME_MARGIN:
        return "worse"
    if len(low.kinds) <= len(high.kinds) - KINDS_MARGIN:
        return "repeat"
    if low.clear >= high.clear + SAME_MARGIN:
        return "sharper"
    return "same"


def answer_text(low, high, guess):
    right = outcome(low, high)
    verdict = "" if guess == predict.SKIPPED else (
        " — as you predicted." if guess == CHOICES[right] else f" — you predicted: “{guess}”.")
    return (f"At β = {low.beta:g} the judge accepts **{low.clear} of {low.n}** random samples as clear digits "
            f"({len(low.kinds)} different digits); at β = {high.beta:g}, **{high.clear} of {high.n}** "
            f"({len(high.kinds)} different digits). **{CHOICES[right]}**{verdict}")


def show(lab):
    st.markdown("The VAE's training has a second goal besides a good copy: keep every digit's cloud close to the "
                "**bell curve**. A weight **β** says how much that goal counts: β = 1 is the VAE, β = 0 switches "
                "it off.", help=words.KL_TERM)
    guess = predict.choice_guess(QUESTION, "what happens to random samples when β goes to 0?", list(CHOICES.values()))
    if guess is None:
        return
    # The full dial draws nothing and reads None while the β family is missing: the stand-in then.
    seen = remember(find_dial()(lab, session.LESSON_DIAL) or stand_in_dial(lab, session.LESSON_DIAL))
    if len(seen) < 2 or min(seen) >= 1:
        st.info("Move the dial toward 0 to see the answer.", icon=":material/touch_app:")
        return
    low, high = seen[min(seen)], seen[max(seen)]
    st.success(answer_text(low, high, guess), icon=":material/check_circle:")
    st.caption("Without the KL term nothing keeps the codes inside the bell curve: they spread wherever "
               "reconstruction puts them, as the AE's did in step 2, so draws from the bell curve land near only a "
               "few of them.")
