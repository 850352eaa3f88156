"""The Explore panel's interactive element: latent sliders, decoded digit and clickable map.

One st.components.v2 element (explorer.js, explorer.css) so that a slider move or a map click
only swaps an image and moves a marker in the browser; see the note at the top of explorer.js.
"""

from pathlib import Path

import streamlit as st

HERE = Path(__file__).parent

explorer = st.components.v2.component(
    "latent_lab_explorer",
    html='<div class="lab-explorer"></div>',
    css=(HERE / "explorer.css").read_text(),
    js=(HERE / "explorer.js").read_text(),
    # In the page's DOM rather than a shadow root: presenter mode's larger type applies, and
    # the browser tests find the images and sliders with plain selectors.
    isolate_styles=False,
)
