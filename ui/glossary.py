"""The glossary: every technical word the page uses, in plain words for a high-school student,
with the precise term beside it. Shown in the sidebar, so it is one click away on every tab."""

import streamlit as st

# (word, the precise term or symbol, plain-words definition); in the order a lesson meets them.
def terms(w):
    """The glossary's entries in the words of one data set (w: ui.nouns.Nouns)."""
    return (
        ("Encoder", "",
         "The half of the network that reads a 28×28 image (784 numbers) and squeezes it into a few numbers: its code."),
        ("Code", "latent vector z",
         f"The few numbers the encoder makes from one image: 2 or 16 here. Similar {w.items} get similar codes."),
        ("Decoder", "",
         "The other half: it turns a code back into an image. Give it any code, and it draws something."),
        ("Latent space", "",
         "All possible codes: a map with one axis per number in the code (with 2 numbers it is a flat map; with 16 it has 16 axes). "
         "Every point in it is a code the decoder can draw."),
        ("Auto-encoder", "AE",
         "An encoder and a decoder trained only to give back the image they were shown. Nothing tells it where in "
         "the latent space to put its codes."),
        ("The standard bell curve", "N(0, I)",
         "Random numbers that are usually near 0 and rarely beyond ±2 (the normal distribution with mean 0 and "
         "spread 1), one for each axis. *Drawing from N(0, I)* means picking random codes this way."),
        ("Prior", "p(z)",
         "Where the model expects codes to be before it has seen any image. For a VAE it is the standard bell curve, "
         f"and generating new {w.items} means drawing codes from it."),
        ("Variational auto-encoder", "VAE",
         "An auto-encoder whose encoder gives a small cloud of likely codes instead of one point, and whose training "
         f"keeps those clouds inside the standard bell curve. That is why random codes drawn from it decode to {w.items}."),
        ("Posterior", "q(z | x)",
         f"The encoder's cloud for this {w.item}: where the VAE thinks this image's code could be (a centre and a spread "
         "per axis)."),
        ("KL divergence", "KL",
         "How far one cloud is from another, in numbers. The VAE pays a cost for every cloud that is far from the "
         "standard bell curve, which pulls its codes together into one region. A slider with a high KL is one the "
         f"VAE uses to tell {w.items} apart."),
        ("β (beta)", "β",
         "How strongly that KL cost counts. At β = 0 nothing pulls the codes together, as in a plain auto-encoder; "
         "β = 1 is the standard VAE; a larger β "
         f"squeezes the codes harder into the bell curve, at the price of blurrier {w.items}."),
        ("Reparameterisation", "z = μ + σ·ε",
         "The trick that lets a VAE learn while drawing random codes: draw plain noise ε from the bell curve, then "
         "move and stretch it by the cloud's centre μ and spread σ."),
        ("Interpolation", "",
         "Walking in a straight line (or along a curve) from one code to another and decoding each step, to see "
         f"one {w.item} turn into another."),
        ("The judge", f"{w.item} classifier",
         f"A separate network trained on {w.real} that says which {w.item} an image shows and how sure "
         "it is. It is not part of the AE or the VAE; it only grades their images."),
        (f"Clear / unsure / not {w.an_item}", "",
         f"*Clear*: the judge is at least 90 % sure which {w.item} it is and the image looks like real {w.items}. "
         f"*Unsure*: it leans towards {w.an_item} but less surely, or the image is unlike every real {w.item}. "
         f"*Not {w.an_item}*: it reads the image as none of the ten."),
        (f"Distance to real {w.items}", "Fréchet distance",
         f"How different a batch of images is from real test {w.items}, in the judge's eyes: both their average look "
         f"and their variety. Lower is better; 0 means like real {w.items}."),
        ("Neighbour test", "k-nearest-neighbour two-sample test",
         "Mix random draws with as many real codes and ask, for each draw, how many of its 10 nearest neighbours "
         "are real codes. About half means the draws land where the codes live; none means they land where the "
         f"model never put {w.an_item}. It works with 16 numbers per code too, with no flattening."),
    )


def entry_markdown(word, term, text):
    return f"**{word}**" + (f" ({term})" if term else "") + f": {text}"


def show_glossary(w):
    """The glossary as a sidebar expander, in the words of data set w (ui.nouns.Nouns)."""
    with st.expander("Glossary: the words in plain English", icon=":material/menu_book:"):
        st.markdown("\n\n".join(entry_markdown(*entry) for entry in terms(w)))
