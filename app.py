"""Latent Lab: why a VAE can generate digits (or clothes) and a plain auto-encoder cannot.

    streamlit run app.py

The page: the sidebar, one tab per module in ui/tabs/, and the address bar kept in step with
the session (ui/session.py, the one owner of st.session_state).

This file is read twice. `streamlit run` imports it as a module and finds `server` below, a
st.App: the server, which loads what the first page needs before it says it is healthy and serves
the explorer's large data as files browsers keep (ui/components/explorer/files.py). Each
browser session then runs it as the page script (`__main__`), which draws the page.
"""

import asyncio
from contextlib import asynccontextmanager

import streamlit as st
import torch

from ui import session
from ui.components.explorer import files as explorer_files
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
from ui.teacher import sidebar_part as teacher_sidebar

torch.set_num_threads(1)  # see ui.resources: small forward passes, many sessions, 2 cores

STYLE = """
<style>
.lab-figure { margin: 0 0 0.5rem 0; text-align: center; }
.lab-figure figcaption { font-size: 0.85rem; color: #555; margin-top: 0.2rem; }
/* Pictures go out at 1 px per pixel and are enlarged by the browser to their box (Streamlit's own
   style would keep them at their natural size: a 36-sample sheet at 173 px in a 488 px box). */
.lab-figure img { object-fit: contain; }
/* A phone: AE vs VAE keeps its two panels side by side (Streamlit stacks columns below 640 px),
   so a student compares them without scrolling between them. */
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-top: 4rem; }  /* under the header's one button, no more */
  .st-key-compare-panels [data-testid="stHorizontalBlock"] { flex-wrap: nowrap; gap: 0.75rem; }
  .st-key-compare-panels [data-testid="stColumn"] { min-width: 0; width: auto; flex: 1 1 0; }
  .st-key-compare-panels h2, .st-key-compare-panels h4 { font-size: 1rem; }
}
/* A short, wide screen (a projector): each AE vs VAE panel puts its verdict beside its samples, so both
   panels and both verdicts fit one screen. */
.st-key-compare-panels { container-type: inline-size; }
@media (min-height: 500px) and (max-height: 950px) {
  @container (min-width: 860px) {
    .st-key-compare-panels [data-testid="stColumn"] > [data-testid="stVerticalBlock"] {
      display: grid; grid-template-columns: minmax(0, 1.25fr) minmax(0, 1fr); gap: 0 1rem; align-items: start; }
    .st-key-compare-panels [data-testid="stColumn"] > [data-testid="stVerticalBlock"] > * { grid-column: 2; }
    .st-key-compare-panels [data-testid="stColumn"] > [data-testid="stVerticalBlock"] > :first-child { grid-column: 1 / -1; }
    .st-key-compare-panels [data-testid="stColumn"] > [data-testid="stVerticalBlock"] > :nth-child(2) {
      grid-column: 1; grid-row: 2 / span 4; }
    .st-key-compare-panels [data-testid="stMarkdownContainer"] p { font-size: 0.8rem; }
    .st-key-compare-panels .lab-figure img { max-height: calc(100vh - 22rem); object-fit: contain; }
  }
}
</style>
"""
# Presenter mode, for a projector (1024×768 and up): the sidebar starts collapsed (page config),
# type, pictures and controls grow with the root font size (sizes in rem), Streamlit's wide margins
# shrink, and pictures stop growing at the height that keeps a view on one screen.
PRESENTER_STYLE = """
<style>
html { font-size: 20px; }
.lab-figure figcaption { font-size: 0.9rem; }
[data-testid="stMainBlockContainer"] { padding: 3rem 1.5rem 2rem 1.5rem; }
.lab-figure img { max-height: calc(100vh - 24rem); object-fit: contain; }
/* The app's own SVG charts (bars, codes views, Draw's maps) set their text in px: grow it with the type. */
[data-testid="stMarkdownContainer"] svg text, .drawview svg text { font-size: 125%; }
</style>
"""


def sidebar():
    with st.sidebar:
        st.title(":material/science: Latent Lab")
        words = nouns(session.dataset())
        st.markdown(f"Why random points decoded by a **VAE** come out as new {words.items}, and why a plain "
                    "**auto-encoder** gives you no safe place to draw them from.")
        if session.shows("size"):
            st.radio("Latent size", LATENT_SIZES, key=session.DIM, horizontal=True,
                     format_func=lambda d: f"{d}-D", help="2-D: the map *is* the latent space. "
                     f"16-D: sharper {words.items}, 16 sliders; the map shows a 2-D PCA view.")
            st.radio("Data set", DATASETS, key=session.DATASET, horizontal=True,
                     format_func=lambda name: nouns(name).title,
                     help="MNIST: handwritten digits 0-9. Fashion-MNIST: small photos of ten kinds of clothes, shoes "
                          "and bags. Each has its own AE, VAE and judge, trained the same way.")
        st.toggle("Presenter mode", key=session.PRESENTER, help="For a projector: the sidebar folds away, type and "
                  "pictures grow, and each view fits one screen. A link opens it with `presenter=1`.")
        st.caption("Every control is in the address bar: copy the URL to share exactly what you see.")
        show_glossary(words)
        teacher_sidebar()
        for note in session.link_notes():
            st.warning(note, icon=":material/link_off:")


def main():
    session.init_from_link()
    # On every run (Streamlit 1.67 allows it): presenter mode collapses the sidebar, which keeps its own
    # open button; "auto" opens it again on a wide screen.
    st.set_page_config(page_title="Latent Lab · AE vs VAE", page_icon=":material/science:", layout="wide",
                       initial_sidebar_state="collapsed" if session.presenter() else "auto")
    rerun_on_reconnect()
    st.markdown(STYLE + (PRESENTER_STYLE if session.presenter() else ""), unsafe_allow_html=True)
    sidebar()
    dim, dataset = session.latent_dim(), session.dataset()
    lab, error = lab_or_error(dim, dataset)
    if error:
        st.error(f"The {dim}-D models of {nouns(dataset).title} could not be loaded.\n\n{error}", icon=":material/error:")
        st.info("The other latent size or data set may still work: switch it in the sidebar.")
        return
    panels = {"explore": explore_panel, "compare": compare_panel, "interpolate": interpolate_panel,
              "lesson": lesson_panel, "why": why_panel, "draw": draw_panel}
    shown = session.shown_tabs()  # a class link's hidden tabs are not drawn at all
    tabs = st.tabs([session.TAB_LABELS[tab_id] for tab_id in shown], key=session.TAB, on_change="rerun")
    for tab, tab_id in zip(tabs, shown):
        if tab.open:
            with tab:
                panels[tab_id](lab)
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
    server = st.App(__file__, lifespan=load_before_serving, routes=[explorer_files.route()])
