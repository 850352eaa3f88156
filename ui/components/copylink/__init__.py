"""The copy-link element: the link to what a session shows, in a box to select, and a Copy link
button that works on a plain-http classroom address too (copy-core.mjs, tested with node --test).

    copy_link(session.share_url(), key="compare-link")
"""

from pathlib import Path

import streamlit as st

from ui.components.bundle import bundle

HERE = Path(__file__).parent

_element = st.components.v2.component(
    "latent_lab_copylink",
    html='<div class="lab-copylink"></div>',
    css=(HERE / "copylink.css").read_text(),
    js=bundle(HERE / "copylink.mjs", HERE / "copy-core.mjs"),
    isolate_styles=False,  # presenter mode's type size applies; tests find it with plain selectors
)


def copy_link(url, key):
    """Show url with a Copy link button; key: unique on the page."""
    _element(key=key, data={"url": str(url)})
