"""Latent Lab: why a VAE can generate digits (or clothes) and a plain auto-encoder cannot.

    streamlit run app.py

The page: the sidebar, one tab per module in ui/tabs/, and the address bar kept in step with
the session (ui/session.py, the one owner of st.session_state).

This file is read twice. `streamlit run` imports it as a module and finds `server` below, a
st.App: the server, which loads what the first page needs before it says it is healthy. Each
browser session then runs it as the page script (`__main__`), which draws the page.
"""

import asyncio
from contextlib import asynccontextmanager

import streamlit as st
import torch

from ui import session
from ui.glossary import show_glossary
from ui.link import DATASETS, LATENT_SIZES
from ui.nouns import nouns
from ui.reconnect import rerun_on_reconnect
from ui.resources import lab_or_error, load_outside_sessions
from ui.tabs.compare import compare_panel
from ui.tabs.draw import draw_panel
from ui.tabs.explore import explore_panel, warm_first_page
from ui.tabs.interpolate import interpolate_panel
from ui.tabs.lesson import lesson_panel
from ui.tabs.why import why_panel

torch.set_num_threads(1)  # see ui.resources: small forward passes, many sessions, 2 cores

STYLE = """
<style>
.lab-figure { margin: 0 0 0.5rem 0; text-align: center; }
.lab-figure figcaption { font-size: 0.85rem; color: #555; margin-top: 0.2rem; }
</style>
"""
PRESENTER_STYLE = """
<style>
html { font-size: 22px; }
.lab-figure figcaption { font-size: 1rem; }
</style>
"""


def sidebar():
    with st.sidebar:
        st.title(":material/science: Latent Lab")
        words = nouns(session.dataset())
        st.markdown(f"Why a **VAE** can *generate* {words.items} and a plain **auto-encoder** cannot.")
        st.radio("Latent size", LATENT_SIZES, key=session.DIM, horizontal=True,
                 format_func=lambda d: f"{d}-D", help="2-D: the map *is* the latent space. "
                 f"16-D: sharper {words.items}, 16 sliders; the map shows a 2-D PCA view.")
        st.radio("Data set", DATASETS, key=session.DATASET, horizontal=True,
                 format_func=lambda name: nouns(name).title,
                 help="MNIST: handwritten digits 0-9. Fashion-MNIST: small photos of ten kinds of clothes, shoes "
                      "and bags. Each has its own AE, VAE and judge, trained the same way.")
        st.toggle("Presenter mode (large type)", key=session.PRESENTER)
        st.caption("Every control is in the address bar: copy the URL to share exactly what you see.")
        show_glossary(words)
        for note in session.link_notes():
            st.warning(note, icon=":material/link_off:")


def main():
    st.set_page_config(page_title="Latent Lab · AE vs VAE", page_icon=":material/science:", layout="wide")
    session.init_from_link()
    rerun_on_reconnect()
    st.markdown(STYLE + (PRESENTER_STYLE if session.presenter() else ""), unsafe_allow_html=True)
    sidebar()
    dim, dataset = session.latent_dim(), session.dataset()
    lab, error = lab_or_error(dim, dataset)
    if error:
        st.error(f"The {dim}-D models of {nouns(dataset).title} could not be loaded.\n\n{error}", icon=":material/error:")
        st.info("The other latent size or data set may still work: switch it in the sidebar.")
        return
    tabs = st.tabs(list(session.TAB_LABELS.values()), key=session.TAB, on_change="rerun")
    panels = (explore_panel, compare_panel, interpolate_panel, lesson_panel, why_panel, draw_panel)
    for tab, panel in zip(tabs, panels):
        if tab.open:
            with tab:
                panel(lab)
    session.sync_link()


@asynccontextmanager
async def load_before_serving(_app):
    """The first page's models and data, loaded at server start: a student opening the page as
    soon as the server is up does not wait for them (README: Speed)."""
    await asyncio.to_thread(load_outside_sessions, warm_first_page)
    yield


if __name__ == "__main__":
    main()
else:
    server = st.App(__file__, lifespan=load_before_serving)
