"""Small panels shared by the tabs: an image with a caption, the judge's verdict, samples."""

import html
import time

import streamlit as st

from ui.images import img_tag, png, tile

DIGIT_SCALE = 10  # 28 px -> 280 px, nearest neighbour
PAINT_PAUSE_S = 0.05


def let_the_browser_paint():
    """Pause so the images written so far reach the browser and are drawn before a large chart.

    A Plotly chart whose figure changed is re-created, and re-creating its WebGL scene blocks
    the page for ~100 ms; arriving in the same batch, it would hold back the images with it
    (measured in Chromium on the old Plotly explore map: p95 241 ms without the pause, 102 ms
    with it). Used before the AE-vs-VAE codes chart. The thread sleeps, so other sessions run.
    """
    time.sleep(PAINT_PAUSE_S)


def show_image(png_bytes, caption, alt, width=None):
    """One image embedded in the page, with a caption under it."""
    st.markdown(
        f'<figure class="lab-figure">{img_tag(png_bytes, alt, width)}'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>",
        unsafe_allow_html=True,
    )


def show_digit(image, caption, alt, scale=DIGIT_SCALE):
    show_image(png(tile(image, 1), scale), caption, alt)


def show_tiles(images, columns, caption, alt, scale=3):
    show_image(png(tile(images, columns), scale), caption, alt)


def verdict_markdown(verdict):
    """The judge's verdict in plain words and numbers."""
    clear = round(verdict.confident_share * verdict.n)
    seen = [d for d, c in enumerate(verdict.histogram) if c]
    missing = [d for d, c in enumerate(verdict.histogram) if not c]
    counts = " ".join(f"**{d}**×{c}" for d, c in enumerate(verdict.histogram) if c)
    junk = f" · **{verdict.not_digits}** look like no digit at all" if verdict.not_digits else ""
    lines = [
        f"**{clear} of {verdict.n}** look like a clear digit (judge ≥ 90 % sure){junk}.",
        f"Digits the judge sees: {counts or 'none'}"
        + (f" — never: {', '.join(map(str, missing))}" if missing and len(seen) > 0 else ""),
        f"Fréchet distance to real digits: **{verdict.frechet:.1f}** (lower is more digit-like).",
    ]
    return "  \n".join(lines)


def show_verdict(verdict):
    st.markdown(verdict_markdown(verdict))
