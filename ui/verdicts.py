"""The judge's verdict on a set of images in plain words, and the sentences that compare
the AE's panel with the VAE's — written from the counts on screen, so they cannot claim a
difference the draw does not show."""

from dataclasses import dataclass

import streamlit as st

from ui.charts import digit_bars_svg
from ui.nouns import nouns

MNIST = nouns("mnist")


def clear_help(w=MNIST):
    """What the judge's three calls mean, in the words of data set w (ui.nouns.Nouns)."""
    return (f"The **judge** is a separate {w.item} classifier, trained on {w.real}. **Clear**: it is at least "
            f"90 % sure which {w.item} it is, and the image looks like real {w.items} to it. **Unsure**: it leans "
            f"towards {w.an_item} but less surely, or the image is unlike every real {w.item}. **Not {w.an_item}**: "
            "it reads the image as none of the ten.")


def distance_help(w=MNIST):
    return (f"**Fréchet distance** in the judge's eyes: how far these images, as a batch, are from the 10,000 real "
            f"test {w.items} — both their average look and their spread. 0 = like real {w.items}; a few dozen images "
            "always score higher than thousands would, so compare panels of the same size.")


@dataclass(frozen=True)
class Tally:
    """What the judge made of one panel, as counts: the numbers its words and bars are written from."""

    n: int
    clear: int
    unsure: int
    none: int
    clear_by_digit: tuple  # 10 counts: samples read clearly as each digit
    unsure_by_digit: tuple  # 10 counts: samples leaning towards each digit, not clearly
    frechet: float

    @property
    def variety(self):
        """How many different digits appear clearly."""
        return sum(1 for c in self.clear_by_digit if c)

    @property
    def distance(self):
        """The Fréchet distance as shown: a whole number."""
        return round(self.frechet)


def tally(verdict):
    """The judge's Verdict (model.judge) -> Tally."""
    calls, digits = verdict.calls, verdict.predictions
    by_digit = {call: tuple(sum(1 for c, d in zip(calls, digits) if c == call and d == digit) for digit in range(10))
                for call in ("clear", "unsure")}
    return Tally(n=verdict.n, clear=calls.count("clear"), unsure=calls.count("unsure"), none=calls.count("none"),
                 clear_by_digit=by_digit["clear"], unsure_by_digit=by_digit["unsure"], frechet=float(verdict.frechet))


def clear_count(verdict):
    """How many of the judged images look like a clear digit."""
    return verdict.calls.count("clear")


def counts_markdown(t, w=MNIST):
    return (f"**{t.clear} of {t.n}** look like a clear {w.item} · **{t.unsure}** unsure · "
            f"**{t.none}** not {w.an_item}")


def digits_markdown(t, w=MNIST):
    appear = "appears" if t.variety == 1 else "appear"
    return (f"Which {w.items} the judge reads (dark: clear, light: unsure): **{t.variety}** different "
            f"{w.item if t.variety == 1 else w.items} {appear} clearly")


def distance_markdown(t, w=MNIST):
    return f"Distance to real {w.items}: **{t.distance}** (Fréchet, lower is better)"


def show_verdict(verdict, w):
    """The judge's verdict under a panel: counts, which classes appear (bars), distance to real images.
    w: the data set's words (ui.nouns.Nouns)."""
    t = tally(verdict)
    st.markdown(counts_markdown(t, w), help=clear_help(w))
    bars = digit_bars_svg(t.clear_by_digit, t.unsure_by_digit, w.classes, w.item)
    st.markdown(f"{digits_markdown(t, w)}  \n{bars}", unsafe_allow_html=True)
    st.markdown(distance_markdown(t, w), help=distance_help(w))
    return t


# --- the AE's panel against the VAE's --------------------------------------------------------

def count_sentence(ae, vae, ae_sampling, w=MNIST):
    """Who makes more clear images on this draw."""
    if ae_sampling == "fitted":
        start = "With a bell curve fitted to its own codes, the AE makes"
        if ae.clear > vae.clear:
            return f"{start} **more** clear {w.items} than the VAE: **{ae.clear}** vs **{vae.clear}**."
        if ae.clear == vae.clear:
            return f"{start} **as many** clear {w.items} as the VAE: **{ae.clear}** each."
        return f"{start} **{ae.clear}** clear {w.items}, still fewer than the VAE's **{vae.clear}**."
    start = f"From the same {vae.n} random points"
    if vae.clear > ae.clear:
        return f"{start}, the VAE makes **{vae.clear}** clear {w.items} and the AE **{ae.clear}**."
    if vae.clear == ae.clear:
        return f"{start}, both make **{vae.clear}** clear {w.items}: on this draw the count does not tell them apart."
    return f"{start}, the AE makes more clear {w.items} than the VAE on this draw: **{ae.clear}** vs **{vae.clear}**."


def wins(better, worse, w=MNIST):
    """What `better`'s panel shows that `worse`'s does not: more different classes, closer to the real images."""
    found = []
    if better.variety > worse.variety:
        found.append(f"more different {w.items} (**{better.variety}** vs **{worse.variety}**)")
    if better.distance < worse.distance:
        found.append(f"images closer to real {w.items} (distance **{better.distance}** vs **{worse.distance}**)")
    return found


def contrast_sentences(ae, vae, w=MNIST):
    """Variety and distance to real images, said only where this draw shows a difference."""
    vae_wins, ae_wins = wins(vae, ae, w), wins(ae, vae, w)
    still = " still" if ae.clear >= vae.clear else ""
    lines = []
    if vae_wins:
        lines.append(f"Where the VAE{still} wins: " + " and ".join(vae_wins) + ".")
    if ae_wins:
        lines.append("Where the AE wins on this draw: " + " and ".join(ae_wins) + ".")
    if ae.variety == vae.variety:
        lines.append(f"Both show **{ae.variety}** different {w.items} clearly.")
    return lines


def why_sentence(ae_sampling):
    if ae_sampling == "fitted":
        return ("What the AE needed: a bell curve fitted to its codes *after* training. The VAE has it built in — its "
                "training keeps its codes inside the standard bell curve N(0, I) — so it samples straight from it.")
    return ("Why: the VAE was trained to keep its codes inside the standard bell curve N(0, I), where these points "
            "come from; nothing told the AE where to put its codes (see where the draws land, below).")


def comparison_sentences(ae, vae, ae_sampling, w=MNIST):
    """What this draw shows, AE against VAE, in plain words from the two tallies (w: the data set's words)."""
    return [count_sentence(ae, vae, ae_sampling, w), *contrast_sentences(ae, vae, w), why_sentence(ae_sampling)]


def sure_text(confidence):
    """How sure the judge is, without rounding 99.6 % up to a certainty."""
    return "over 99% sure" if confidence > 0.99 else f"{confidence:.0%} sure"


def reading_words(reading, info):
    """One judge's Reading in plain words; info: the data set's names (lab.info)."""
    w = nouns(info.name)
    name = w.name(reading.label)
    if reading.call == "clear":
        return f"judge: a clear “{name}” ({sure_text(reading.confidence)})"
    if reading.call == "unsure":
        return f"judge: unsure — perhaps a “{name}” ({sure_text(reading.confidence)})"
    return f"judge: not {w.an_item}"
