"""Tensors -> crisp PNGs embedded in the page: tiles, PNG bytes, data URIs, and the captioned
figure every tab shows them in.

Images go into the page as data URIs rather than through st.image's media-file store:
a fragment rerun then never leaves the browser asking for a media file that was already
dropped ("Missing file"), and 30 students do not fill the server's media store.
"""

import base64
import html
import io

import numpy as np
import streamlit as st
from PIL import Image

DIGIT_SCALE = 10  # 28 px -> 280 px, nearest neighbour


def to_uint8(images):
    """[N,1,28,28] or [28,28] floats in [0,1] -> uint8 array [N,28,28]."""
    arr = np.asarray(images.detach().cpu() if hasattr(images, "detach") else images, dtype=np.float32)
    arr = arr.reshape(-1, arr.shape[-2], arr.shape[-1])
    return (np.nan_to_num(arr, nan=0.0).clip(0, 1) * 255).round().astype(np.uint8)


def tile(images, columns, gap=1):
    """N images -> one grid image (uint8), padded with a thin light line between cells."""
    pixels = to_uint8(images)
    n, h, w = pixels.shape
    columns = max(1, min(columns, n))
    rows = -(-n // columns)
    sheet = np.full((rows * (h + gap) - gap, columns * (w + gap) - gap), 200, dtype=np.uint8)
    for i, img in enumerate(pixels):
        r, c = divmod(i, columns)
        sheet[r * (h + gap) : r * (h + gap) + h, c * (w + gap) : c * (w + gap) + w] = img
    return sheet


def png(pixels, scale=1, compress_level=1):
    """uint8 [H,W] -> PNG bytes, upscaled by an integer factor with nearest neighbour (no blur).
    compress_level 1: fast, for pictures made per script run; 9 for pictures made once and sent often."""
    if pixels.dtype != np.uint8 or pixels.ndim != 2:
        pixels = to_uint8(pixels)[0]
    if scale > 1:
        pixels = pixels.repeat(scale, axis=0).repeat(scale, axis=1)  # 10× faster than np.kron here
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG", optimize=False, compress_level=compress_level)
    return buffer.getvalue()


def data_uri(png_bytes):
    return "data:image/png;base64," + base64.b64encode(png_bytes).decode("ascii")


def img_tag(png_bytes, alt, width=None, test_id=None):
    """An <img> element; `image-rendering: pixelated` keeps browser rescaling crisp too.

    width: CSS px to show it at (enlarged if the image is smaller: markdown images only shrink by default)."""
    style = "image-rendering: pixelated; max-width: 100%;" + (f" width: {width}px;" if width else "")
    tid = f' data-testid="{test_id}"' if test_id else ""
    return f'<img src="{data_uri(png_bytes)}" alt="{alt}" style="{style}"{tid}/>'


def digit_uri(image, scale=DIGIT_SCALE):
    """One image as a data URI, scaled up without blur."""
    return data_uri(png(tile(image, 1), scale))


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
