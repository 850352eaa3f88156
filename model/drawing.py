"""A drawing or a photo of a digit, prepared the way the data set's own images were prepared.

MNIST (LeCun et al.): each digit's bounding box was scaled to fit a 20×20 box, keeping its
aspect ratio, with anti-aliasing (grey levels), then placed in a 28×28 image so that its centre
of mass sits at the image's centre. Measured on the shipped test digits, that centre is (14, 14)
in pixel indices (rows, columns; mean 13.99, 14.01, std 0.29): the digits were moved by whole
pixels. Fashion-MNIST's items fill the frame instead: the longer side of the item is 28 pixels,
centred by its bounding box.

    prepare_drawing(pad)          # a 2-D ink-bright array, a canvas's RGBA, an RGB/grey photo array
    prepare_photo(png_or_jpeg)    # bytes of a photo or scan of a handwritten digit

Both return a float tensor [1, 1, 28, 28] in [0, 1], or raise DrawingError (a ValueError) whose
message a page can show as it is. `through_both(lab, image, eps)` then puts a prepared drawing
through the AE and the VAE at once (the Draw tab's Trace). Pure numpy/torch/PIL.
"""

import io
import warnings
from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image, ImageOps

from model.data import DATASETS
from model.networks import reparameterize

SIZE = 28  # the data sets' image size
DIGIT_BOX = 20  # MNIST: the bounding box is scaled to fit this
CENTRE = SIZE / 2  # MNIST: where the centre of mass lands, in pixel indices (measured: 14.0, 14.0)
MAX_PIXELS = 4096 * 4096  # an array or decoded photo larger than this is refused
MAX_FILE_BYTES = 10 * 1024 * 1024
PHOTO_SIDE = 1024  # photos are reduced to this longer side before anything else (speed, noise)
PHOTO_FORMATS = ("PNG", "JPEG", "WEBP")
INK = 0.2  # a pixel at least this bright (after normalising) is ink, for the bounding box
MIN_CONTRAST = 0.15  # ink this much brighter than the background at least, or the pad is empty
MIN_EXTENT = 0.1  # the ink's longer side must span this share of the pad's longer side
MAX_COVER = 0.6  # more of the pad than this in ink is not a drawing


class DrawingError(ValueError):
    """A drawing or photo that cannot be prepared; the message is a hint for the person drawing."""


def prepare_drawing(image, dataset="mnist"):
    """A drawing -> float tensor [1, 1, 28, 28] in [0, 1], prepared like the data set's images.

    image: a 2-D array of any size, ink bright on dark (uint8 0-255; float 0-1, read as 0-255
    when a value is above 1.5; bool); the RGBA array [H, W, 4] a browser canvas gives (ink in
    alpha); or an RGB [H, W, 3] / grey [H, W, 1] photo-like array. Dark ink on light paper is
    inverted (the border's median says which is the paper); a torch tensor and [1, 1, H, W] work
    too. The paper becomes 0 and the brightest ink 1, before and after scaling (thin strokes on a
    big pad stay full ink).

    dataset="mnist": the ink's bounding box is scaled to fit 20×20 (aspect kept, anti-aliased),
    then moved so that its centre of mass lands on pixel (14, 14), as MNIST's digits were.
    dataset="fashion-mnist": items fill the frame, so the bounding box is scaled to fit 28×28
    (aspect kept) and centred by its bounding box, as Fashion-MNIST's items were.

    Raises DrawingError for an empty pad, too little ink, a pad that is nearly all ink, and for
    anything that is not an image array (wrong shape or dtype, NaN, too large).
    """
    word = _item_word(dataset)
    ink = _normalise(*_as_grey(image), word)
    top, bottom, left, right = _ink_box(ink, word)
    crop = ink[top:bottom, left:right]
    if dataset == "fashion-mnist":
        return _as_tensor(_centre_box(_fit(crop, SIZE)))
    return _as_tensor(_centre_mass(_fit(crop, DIGIT_BOX)))


def prepare_photo(file_bytes, dataset="mnist"):
    """PNG/JPEG/WebP bytes of a photo or scan of a handwritten digit -> prepare_drawing's tensor.

    The photo is turned upright (EXIF), reduced to 1024 px on its longer side, made grey, and
    dark ink on light paper is inverted; the ink is then cropped and placed as prepare_drawing
    does. Raises DrawingError for an empty or too large file (> 10 MB), something that is not an
    image, an image with too many pixels (a decompression bomb), and what prepare_drawing refuses.
    """
    return prepare_drawing(_decode_photo(file_bytes), dataset)


# ---------------------------------------------------------------- reading the input


def _item_word(dataset):
    if not isinstance(dataset, str) or dataset not in DATASETS:
        raise DrawingError(f"unknown data set {dataset!r}; expected one of {sorted(DATASETS)}")
    item = DATASETS[dataset].item
    return ("an " if item[0] in "aeiou" else "a ") + item  # for the hints: "a digit", "an item"


def _as_array(image):
    """Anything array-like -> a numpy array of numbers, or DrawingError."""
    if isinstance(image, torch.Tensor):
        image = image.detach().cpu().numpy()
    try:
        array = np.asarray(image)
    except Exception as err:  # ragged lists, objects that refuse conversion, ...
        raise DrawingError(f"the drawing is not an image array ({type(err).__name__})") from err
    if array.dtype == bool:
        return array.astype(np.uint8) * 255
    if array.dtype.kind not in "uif":
        raise DrawingError(f"the drawing must hold numbers (uint8 or float), not {array.dtype}")
    return array


def _as_grey(image):
    """Any accepted form -> (float32 [H, W] in [0, 1], whether it is ink-bright by convention:
    a 2-D array or a canvas's alpha; not a photo-like RGB or grey [H, W, 1] array)."""
    array = _channels_last(_as_array(image))
    if array.size == 0:
        raise DrawingError("the drawing has no pixels")
    if array.shape[0] * array.shape[1] > MAX_PIXELS:
        raise DrawingError(f"the drawing is too large ({array.shape[0]}×{array.shape[1]} pixels)")
    divisor = _full_scale(array)
    ink_bright = array.ndim == 2
    if array.ndim == 3 and array.shape[2] == 4 and np.ptp(array[..., 3]) > 0:
        array, ink_bright = array[..., 3], True  # a canvas: the ink is in the alpha channel
    elif array.ndim == 3 and array.shape[2] == 1:
        array = array[..., 0]
    elif array.ndim == 3:
        array = array[..., :3].astype(np.float32) @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    return np.clip(array.astype(np.float32) / divisor, 0.0, 1.0), ink_bright


def _channels_last(array):
    """[H, W], [H, W, C] with C in (1, 3, 4), [1, H, W] or [1, 1, H, W] -> [H, W] or [H, W, C]."""
    if array.ndim == 4 and array.shape[:2] == (1, 1):
        array = array[0, 0]
    elif array.ndim == 3 and array.shape[0] == 1 and array.shape[2] not in (1, 3, 4):
        array = array[0]
    if array.ndim == 2 or (array.ndim == 3 and array.shape[2] in (1, 3, 4)):
        return array
    raise DrawingError(
        f"the drawing must be a 2-D image [H, W] or [H, W, 1|3|4], not an array of shape {tuple(array.shape)}"
    )


def _full_scale(array):
    """What full ink is: 255 for integers, 1 for floats (255 if any value is above 1.5)."""
    if array.dtype.kind == "f":
        if not np.isfinite(array).all():
            raise DrawingError("the drawing has NaN or infinite values")
        return 255.0 if array.max() > 1.5 else 1.0
    return 255.0


# ---------------------------------------------------------------- finding the ink


def _normalise(grey, ink_bright, word):
    """Grey levels -> ink in [0, 1]: paper (the border's median) at 0, the darkest/brightest ink at 1.

    Dark ink on light paper is inverted. Raises DrawingError when nothing stands out."""
    if np.ptp(grey) < MIN_CONTRAST:  # one level all over: blank, or (ink-bright arrays) filled
        if ink_bright and grey.mean() > 0.5:
            raise DrawingError(f"The pad is all ink — clear it and draw {word}.")
        raise DrawingError(f"Draw {word} first — the pad is empty.")
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    paper = float(np.median(border))
    if paper > 0.5:
        grey, paper = 1.0 - grey, 1.0 - paper
    peak = float(grey.max())
    if peak - paper < MIN_CONTRAST:
        raise DrawingError(f"Draw {word} first — the pad is empty.")
    return np.clip((grey - paper) / (peak - paper), 0.0, 1.0)


def _ink_box(ink, word):
    """(top, bottom, left, right) of the ink, bottom/right exclusive; DrawingError if it is no drawing."""
    mask = ink >= INK
    if mask.mean() > MAX_COVER:
        raise DrawingError(f"The pad is almost all ink — clear it and draw {word}.")
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    height, width = rows[-1] + 1 - rows[0], cols[-1] + 1 - cols[0]
    if max(height, width) < max(3, MIN_EXTENT * max(ink.shape)):
        raise DrawingError(f"Too little ink to read {word} — draw it bigger, across most of the pad.")
    return rows[0], rows[-1] + 1, cols[0], cols[-1] + 1


# ---------------------------------------------------------------- scaling and placing


def _fit(crop, box):
    """Scale crop so that its longer side is box pixels (aspect kept). PIL's Lanczos filter widens
    with the reduction, so a 280 -> 20 reduction averages rather than skips pixels (no aliasing)."""
    height, width = crop.shape
    scale = box / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))  # PIL: (width, height)
    image = Image.fromarray(np.ascontiguousarray(crop, dtype=np.float32))  # mode "F": no rounding
    resized = np.clip(np.asarray(image.resize(size, Image.Resampling.LANCZOS), dtype=np.float32), 0.0, 1.0)
    peak = resized.max()
    return resized / peak if peak > 0 else resized  # thin strokes on a big pad: full ink, as MNIST's


def _paste(patch, top, left):
    """patch placed with its corner at (top, left) in a blank 28×28 image, clipped at the borders."""
    out = np.zeros((SIZE, SIZE), dtype=np.float32)
    height, width = patch.shape
    t0, l0 = max(top, 0), max(left, 0)
    t1, l1 = min(top + height, SIZE), min(left + width, SIZE)
    if t1 > t0 and l1 > l0:
        out[t0:t1, l0:l1] = patch[t0 - top:t1 - top, l0 - left:l1 - left]
    return out


def _centre_mass(patch):
    """MNIST: move the patch by whole pixels so that its centre of mass lands on (14, 14)."""
    rows, cols = np.indices(patch.shape)
    mass = patch.sum()
    if not mass > 0:
        raise DrawingError("Too little ink to read a digit — draw it bigger, across most of the pad.")
    row, col = (rows * patch).sum() / mass, (cols * patch).sum() / mass
    return _paste(patch, int(round(CENTRE - row)), int(round(CENTRE - col)))


def _centre_box(patch):
    """Fashion-MNIST: the patch's bounding box centred in the frame."""
    height, width = patch.shape
    return _paste(patch, (SIZE - height) // 2, (SIZE - width) // 2)


def _as_tensor(image):
    return torch.from_numpy(np.ascontiguousarray(image, dtype=np.float32)).reshape(1, 1, SIZE, SIZE)


# ---------------------------------------------------------------- photos


def _decode_photo(file_bytes):
    """Image file bytes -> a numpy array prepare_drawing accepts (RGB, or RGBA when it has alpha)."""
    if not isinstance(file_bytes, (bytes, bytearray, memoryview)):
        raise DrawingError(f"a photo must be the file's bytes, not {type(file_bytes).__name__}")
    if len(file_bytes) == 0:
        raise DrawingError("The file is empty — choose a photo of a digit (PNG or JPEG).")
    if len(file_bytes) > MAX_FILE_BYTES:
        raise DrawingError(f"The file is too large ({len(file_bytes) / 1e6:.0f} MB; at most 10 MB).")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _read_image(bytes(file_bytes))
    except DrawingError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
        raise DrawingError("The image has too many pixels to open safely.") from err
    except Exception as err:  # PIL raises many kinds for broken files: OSError, SyntaxError, ValueError...
        raise DrawingError("That file is not a photo this page can read — use a PNG or JPEG.") from err


def _read_image(data):
    with Image.open(io.BytesIO(data), formats=PHOTO_FORMATS) as image:
        if image.width * image.height > MAX_PIXELS:
            raise DrawingError(f"The image has too many pixels ({image.width}×{image.height}).")
        image.draft("L", (PHOTO_SIDE, PHOTO_SIDE))  # JPEG: decode at a reduced size, cheaply
        image = ImageOps.exif_transpose(image)
        has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")  # RGB: read as a photo, not as ink-bright
        image.thumbnail((PHOTO_SIDE, PHOTO_SIDE), Image.Resampling.LANCZOS)
        return np.asarray(image)


# ---------------------------------------------------------------- through the models


@dataclass(frozen=True)
class Trace:
    """A prepared drawing through both models of one latent size: everything the Draw tab shows."""

    image: torch.Tensor  # [1, 1, 28, 28]: what the models see
    ae_code: np.ndarray  # [d]: the AE's code, one point
    ae_recon: torch.Tensor  # [1, 1, 28, 28]: the AE's decoder at that point
    mu: np.ndarray  # [d]: the VAE's posterior q(z | x) = N(mu, sigma²), its mean...
    sigma: np.ndarray  # [d]: ...and its standard deviations
    eps: np.ndarray  # [n, d]: the noise, drawn from N(0, I)
    z: np.ndarray  # [n, d]: the samples, z = mu + sigma * eps
    vae_recon: torch.Tensor  # [1, 1, 28, 28]: the VAE's decoder at mu
    samples: torch.Tensor  # [n, 1, 28, 28]: the VAE's decoder at each z
    readings: tuple  # the judge's Reading of image, ae_recon and vae_recon


def through_both(lab, image, eps):
    """A prepared image [1, 1, 28, 28] through lab's AE and VAE, with eps [n, d] as the noise.

    One encode per model, one decode per model (the VAE decodes mu and the n samples as one
    batch) and one pass of the judge over the drawing and its two reconstructions: a stroke's whole
    cost on the server. (Judging the samples too would cost the judge ~3× more.)
    """
    eps = torch.as_tensor(np.asarray(eps, dtype=np.float32)).reshape(-1, lab.latent_dim)
    with torch.inference_mode():
        ae_code = lab.ae.encode(image)
        ae_recon = lab.ae.decode(ae_code)
        mu, logvar = lab.vae.posterior(image)
        z = reparameterize(mu, logvar, eps=eps)
        decoded = lab.vae.decode(torch.cat([mu, z]))
    readings = lab.readings(torch.cat([image, ae_recon, decoded[:1]]))
    return Trace(image=image, ae_code=ae_code[0].double().numpy(), ae_recon=ae_recon, mu=mu[0].double().numpy(),
                 sigma=torch.exp(0.5 * logvar[0]).double().numpy(), eps=eps.double().numpy(),
                 z=z.double().numpy(), vae_recon=decoded[:1], samples=decoded[1:], readings=tuple(readings))
