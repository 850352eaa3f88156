"""The explore panel's custom element: latent sliders, the decoded digit and the clickable map of
either model (the AE or the VAE).

explorer.py   the st.components.v2 declaration and the data the element is fed
scales.py     each model's slider ranges and steps; pure, no Streamlit
layers.py     what the map draws besides the digits (reachable region, N(0, I)'s circles, the
              verdict layer's picture); pure, no Streamlit
events.py     what the element reports (one event per move), validated; pure, no Streamlit
explorer.mjs  the view (DOM, canvases, input); explorer-core.mjs its pure functions, tested by
              explorer-core.test.mjs (`node --test`); explorer.css its styles
"""
