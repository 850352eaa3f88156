"""The explore panel's custom element: latent sliders, the decoded digit and the clickable map.

explorer.py   the st.components.v2 declaration and the data the element is fed
events.py     what the element reports (one event per move), validated; pure, no Streamlit
explorer.mjs  the view (DOM, canvases, input); explorer-core.mjs its pure functions, tested by
              explorer-core.test.mjs (`node --test`); explorer.css its styles
"""
