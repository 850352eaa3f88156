"""Every reconnect runs the script again, so a page that lost its server comes back by itself.

Streamlit's page asks for a run when its websocket reconnects only if its last run was a
fragment run, a run was under way, or a fragment reruns on a timer (`run_every`). Otherwise it
keeps showing the old page on a session that, after a server restart or on another replica, has
never run: the server then drops every fragment rerun (the explorer, New samples, Next, Random
endpoints) for a fragment it does not know, and the page stops answering, with no error shown.
One empty fragment on a long timer makes every reconnect a full run; a new session's first run
reads the link (ui.session.init_from_link), so the view is restored. On the same server the
reconnected session is the old one and the run changes nothing.
"""

from datetime import timedelta

import streamlit as st

TIMER = timedelta(hours=1)  # the timer itself reruns an empty fragment: nothing to compute or send


@st.fragment(run_every=TIMER)
def rerun_on_reconnect():
    """Call once per run: the fragment's timer is what the page checks on reconnecting."""
