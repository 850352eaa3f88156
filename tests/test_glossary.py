"""The glossary: one click away on every tab, and it covers the words the page uses."""

import pytest

from tests.test_app import new_app, ok
from ui.glossary import entry_markdown, terms
from ui.nouns import nouns

TERMS = terms(nouns("mnist"))
PAGE_WORDS = ("latent space", "code", "encoder", "decoder", "n(0, i)", "prior", "posterior", "kl", "β",
              "fréchet", "interpolation", "reparameterisation", "the judge", "clear / unsure", "neighbour test")


def test_every_word_the_page_uses_is_defined():
    defined = " ".join(f"{word} ({term})".lower() for word, term, _ in TERMS)
    assert [w for w in PAGE_WORDS if w not in defined] == []
    assert all(len(text) > 40 and text.rstrip().endswith(".") for _, _, text in TERMS)


def test_an_entry_names_the_precise_term_beside_the_plain_word():
    assert entry_markdown("The standard bell curve", "N(0, I)", "Random numbers.") == \
        "**The standard bell curve** (N(0, I)): Random numbers."
    assert entry_markdown("Encoder", "", "Reads.") == "**Encoder**: Reads."


@pytest.mark.parametrize("tab", ["explore", "compare", "interpolate", "lesson"])
def test_the_glossary_is_in_the_sidebar_on_every_tab(tab):
    at = ok(new_app(tab=tab))
    glossary = [e for e in at.sidebar.expander if "Glossary" in e.label]
    assert len(glossary) == 1
    text = glossary[0].markdown[0].value
    assert "**The standard bell curve** (N(0, I))" in text and "the encoder's cloud for this digit" in text.lower()
