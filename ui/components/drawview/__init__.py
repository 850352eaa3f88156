"""The Draw tab's results as one element (st.components.v2): what the models see, where each model
puts the drawing, the samples from the VAE's cloud and the numbers of z = μ + σ·ε.

Why an element and not Streamlit markdown: a stroke changes seven pictures. As markdown, every
rerun re-created every <img> (and re-decoded each, SVG maps with their 10,000 codes included) and
re-parsed the HTML; here the DOM is built once and a stroke swaps only what changed. A map is the
test codes as a PNG that stays (drawn once per model and size: ui.maps.codes_map) under the marks
as inline SVG. drawview.mjs is the view (ui.components.bundle inlines ../element.mjs into it).

    drawview(key, data)   # data: see ui.tabs.draw.view_data, or hidden_view when there is no drawing

When the page has drawn an update (every changed picture decoded), it sets data-shown on the
element to the update's id: the benchmarks time a stroke by it. With nothing to show the element
stays on the page, hidden (a stroke then updates it instead of building it: measured, the first
stroke after Clear took the longest).
"""

from pathlib import Path

import streamlit as st

from ui.components.bundle import bundle

HERE = Path(__file__).parent

_element = st.components.v2.component(
    "latent_lab_drawview",
    html='<div class="drawview" data-testid="drawview"></div>',
    css=(HERE / "drawview.css").read_text(),
    js=bundle(HERE / "drawview.mjs", HERE.parent / "element.mjs"),
    isolate_styles=False,  # presenter mode's type size applies; tests find the images with plain selectors
)


def drawview(key, data):
    """Mount or update the results element with data (JSON-ready)."""
    # One top-level key: Streamlit scans each top-level value of an element's data for data frames,
    # ~5 ms a run for this dict of lists, and one dict under one key takes it 0.04 ms.
    _element(key=key, data={"view": data}, height="content")
