"""Step 1: an encoder compresses a digit to a code and a decoder rebuilds it: the AE and the VAE."""

import streamlit as st

from model.data import DEFAULT_DATASET
from ui.images import show_digit
from ui.nouns import nouns
from ui.tabs.lesson import words
from ui.tabs.lesson.demos import compression
from ui.verdicts import sure_text

MODEL_NAMES = {"ae": "Auto-encoder (AE)", "vae": "Variational auto-encoder (VAE)"}


def code_text(code):
    return ", ".join(f"{v:.1f}" for v in code)


def reading_text(reading, w=nouns(DEFAULT_DATASET)):
    return f"the judge reads it as {w.a(reading.label)} ({sure_text(reading.confidence)})"


def show(lab):
    demo = compression(lab)
    d, w = lab.latent_dim, nouns(lab.dataset)
    st.markdown(f"An **encoder** squeezes {w.an_item}'s 784 pixels into a short list of **{d} numbers**, its *code*; "
                "a **decoder** turns the code back into 784 pixels. Both models below were trained to make "
                "that copy look like the original.", help=words.CODE)
    columns = st.columns([1, 2, 2], gap="medium")
    with columns[0]:
        show_digit(demo.image, f"the {w.item}: 784 pixels ({w.a(demo.label)})", "lesson original", scale=4)
    for column, kind in zip(columns[1:], ("ae", "vae")):
        with column:
            st.markdown(f"**{MODEL_NAMES[kind]}**  \ncode ({d} numbers): `[{code_text(demo.codes[kind])}]`")
            show_digit(demo.reconstructions[kind], f"its copy: {reading_text(demo.readings[kind], w)}",
                       f"lesson {kind} copy", scale=4)
    with st.expander("Why do the two codes differ?"):
        st.markdown(f"Each model learned its own code for the same {w.item}. The VAE's encoder gives more than a "
                    "point: the numbers shown are the centre of a small *cloud* of codes (step 3).", help=words.CLOUD)
