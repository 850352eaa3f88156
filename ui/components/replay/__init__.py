"""The training replay's element: the AE's and the VAE's latent spaces forming, played in the page.

replay.py        the st.components.v2 declaration and the data it is fed; the per-frame captions
replay.mjs       the view (DOM, canvases, controls, the playback clock); replay-core.mjs its pure
                 functions, tested by replay-core.test.mjs (`node --test`); replay.css its styles
"""
