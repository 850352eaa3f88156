"""The sidebar's teacher panel: tick what students see, pick where they land, copy the class link.

The choice travels in the link (`show=`, parsed by ui.link); a page opened from it draws only those
tabs and controls (ui.session.shows) and has no teacher panel, so a student can widen it only by
editing the address.
"""

import streamlit as st

from ui import session
from ui.components.copylink import copy_link
from ui.link import CLASS_CONTROLS, LESSON_STEPS, TABS
from ui.tabs.lesson import STEPS as LESSON

CONTROL_WORDS = {
    "size": "Latent size switch (2-D / 16-D, in the sidebar)",
    "model": "AE | VAE switch", "layer": "Where it makes digits",
    "seed": "New samples and Seed", "n": "Number of samples", "sampling": "The AE's fair test",
    "ends": "Which two digits", "steps": "Steps", "path": "Path",
    "nav": "Previous / Next", "lsize": "Latent size per step",
}
PANEL_HELP = ("Tick what students may see and use, pick where they land, and send them the link. Their page "
              "shows only that, and no teacher panel. Everything else is as on your page now: an unticked control "
              "keeps your value (untick *New samples and Seed*, and the whole class sees your draw).")


def tab_name(tab_id, icon=True):
    """The tab's label; without its icon where the widget shows text only (a select box)."""
    label = session.TAB_LABELS[tab_id]
    return label if icon else label.split(": ", 1)[-1]


def controls_of(tab_id):
    return [word for word, owner in CLASS_CONTROLS if owner == tab_id]


@st.fragment
def teacher_panel():
    """The panel itself (a fragment: ticking a box reruns only this). Its controls are drawn only
    once a teacher opens it: students' pages then never load their JavaScript (~220 kB of a first
    visit, README: A lecture hall)."""
    if not st.toggle("For teachers: make a class link", key=session.TEACHER_OPEN, help=PANEL_HELP):
        return
    with st.container(border=True):
        st.caption(PANEL_HELP)
        show = [word for word in controls_of(None)
                if st.checkbox(CONTROL_WORDS[word], value=True, key=session.teacher_key(word))]
        st.markdown("**Tabs, and the controls on each**")
        for tab_id in TABS:
            on = st.checkbox(tab_name(tab_id), value=True, key=session.teacher_key(tab_id))
            chosen = []
            if controls_of(tab_id):
                chosen = st.pills(f"Controls on {tab_id}", controls_of(tab_id), selection_mode="multi",
                                  default=controls_of(tab_id), format_func=CONTROL_WORDS.get, disabled=not on,
                                  key=session.teacher_key(f"{tab_id}-controls"), label_visibility="collapsed")
            if on:
                show += [tab_id, *chosen]
        tabs = [tab_id for tab_id in TABS if tab_id in show]
        if not tabs:
            st.warning("Tick at least one tab.", icon=":material/tab_close:")
            return
        here = session.tab()
        landing = st.selectbox("Students land on", tabs, index=tabs.index(here) if here in tabs else 0,
                               format_func=lambda tab_id: tab_name(tab_id, icon=False), key=session.TEACHER_TAB)
        step = session.lesson_step()
        if landing == "lesson":
            step = st.selectbox("at lesson step", range(1, LESSON_STEPS + 1), index=step - 1,
                                format_func=lambda n: f"{n}. {LESSON[n - 1].title}", key=session.TEACHER_STEP)
        copy_link(session.class_link_url(show, landing, step), key="teacher-link")


def sidebar_part():
    """The teacher panel, or on a class link's page, a line saying whose choice the page shows."""
    if session.class_show() is None:
        teacher_panel()
    else:
        st.caption(":material/co_present: A class link: your teacher chose which tabs and controls this page shows.")
