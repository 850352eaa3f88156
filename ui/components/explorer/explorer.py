"""The explore panel's element (st.components.v2): its declaration and the data it is fed.

explorer.mjs (the view) and explorer-core.mjs (its pure functions, tested with `node --test`)
are the source; ui.components.bundle makes them the one module Streamlit serves. The element
shows one model (the AE or the VAE) of one latent size at a time. What it is sent: that model's
fixed parts (`static_data`, built once per size and model and shared), the address of its large
data (points, labels, decoder weights: a file the browser fetches and keeps, files.py), the
verdict layer when it is on (`verdict_layer`, computed once per server), and per run the digit,
z, the marker and the reconstructions (`element_data`).
"""

import io
import json
import math
from pathlib import Path

import numpy as np
import streamlit as st
from PIL import Image

from model.latent import dims_by_usage, map_view, prior_samples
from model.measures import nearest_code_distance, neighbour_share, verdict_grid
from ui.charts import PALETTE, POINT_OPACITY
from ui.components.bundle import bundle
from ui.components.explorer.files import MANIFOLD_N, asset_url
from ui.components.explorer.layers import (NONE_DARK, NONE_STRIPE, PRIOR_RADII, TINT, UNSURE_GREY, cell_centres,
                                           disc_share, hex_rgb, prior_centre, reachable_polygon, verdict_shading)
from ui.components.explorer.scales import SPREAD_WORDS, USAGE_WORDS, amount_words, code_scale, vae_scale
from ui.images import data_uri, digit_uri
from ui.link import Z_LIMIT
from ui.nouns import article, nouns
from ui.resources import get_lab, lab_key

HERE = Path(__file__).parent

explorer = st.components.v2.component(
    "latent_lab_explorer",
    html='<div class="lab-explorer"></div>',
    css=(HERE / "explorer.css").read_text(),
    js=bundle(HERE / "explorer.mjs", HERE / "explorer-core.mjs", HERE.parent / "element.mjs"),
    # In the page's DOM rather than a shadow root: presenter mode's larger type applies, and
    # the browser tests find the images and sliders with plain selectors.
    isolate_styles=False,
)

MODEL_NAMES = {"vae": "VAE", "ae": "AE"}
VERDICT_N = 48  # the verdict layer's grid: 2,304 decoded and judged images per model and size
FAR_SPACINGS = 2  # "far from every test digit": farther than this many typical code spacings
NEIGHBOUR_DRAWS = 1000  # N(0, I) draws for the 16-D neighbour test in the verdict layer's caption
def buttons(item):
    """The element's buttons: (event, label, help); item: what one image is called ("digit")."""
    return (("random", "Random z", "Draw z from N(0, I), the bell curve the VAE is trained to fill"),
            ("origin", "Origin", "Move every slider to 0 (or as near as it goes)"),
            ("jump", f"Test {item}", f"Jump to a random test {item}'s code and show its reconstructions"))


def slider_scale(lab, model):
    """What this model's sliders reach (ui.components.explorer.scales)."""
    return _slider_scale(*lab_key(lab), model)


@st.cache_resource(max_entries=8)
def _slider_scale(latent_dim, dataset, folder, model):
    if model == "vae":
        return vae_scale(latent_dim)
    return code_scale(get_lab(latent_dim, folder, dataset).spaces[model].codes)


def map_ranges(lab, model):
    """The map's data ranges: 99.8 % of the codes; for the VAE in 2-D no more than its sliders' ±3."""
    limit = Z_LIMIT if model == "vae" and lab.latent_dim == 2 else None
    return map_view(lab.spaces[model].points, limit)


def axis_titles(lab, model):
    """The map's axes in plain words: z itself in 2-D, else the codes' two main directions (PCA)."""
    projection = lab.spaces[model].projection
    if lab.latent_dim == 2:
        return list(projection.axis_titles)
    return [f"main direction {i + 1} · {share:.0%} of the {MODEL_NAMES[model]} codes' spread"
            for i, share in enumerate(projection.explained)]


def within(radius):
    """Share of N(0, I) draws inside a circle of this radius on the map: the map's two axes are
    orthonormal directions (2-D: the space itself; 16-D: principal components), so a draw's two
    coordinates are a 2-D standard normal, whose squared radius is chi-square with 2 degrees of freedom."""
    return 1 - math.exp(-radius ** 2 / 2)


def slider_words(lab, model):
    """(order, plain labels, precise terms, help) for the sliders: the VAE's by how much it uses
    each dimension (KL to the prior), the AE's by how widely its codes spread along each."""
    items = nouns(lab.dataset).items
    if model == "vae":
        amounts, words = lab.kl_per_dim, USAGE_WORDS
        precise = [f"KL {v:.2f} nats" for v in amounts]
        help_ = [f"Latent dimension {i + 1}. How much the VAE uses it: its KL divergence to the prior, {v:.2f} nats "
                 f"on average over the test {items} (0 = unused)." for i, v in enumerate(amounts)]
    else:
        amounts, words = lab.spaces[model].codes.std(axis=0), SPREAD_WORDS
        precise = [f"std {v:.1f}" for v in amounts]
        help_ = [f"Latent dimension {i + 1}. How widely the AE's codes of the test {items} spread along it: "
                 f"standard deviation {v:.1f} (N(0, I) draws: 1)." for i, v in enumerate(amounts)]
    labels = [f"z{i + 1} · {word}" for i, word in enumerate(amount_words(amounts, words))]
    return dims_by_usage(amounts), labels, precise, help_


def static_data(lab, model):
    """The element's data that only depends on the model (shared by every session)."""
    return _static_data(*lab_key(lab), model)


@st.cache_resource(max_entries=8)
def _static_data(latent_dim, dataset, folder, model):
    lab = get_lab(latent_dim, folder, dataset)
    space, name, scale = lab.spaces[model], MODEL_NAMES[model], slider_scale(lab, model)
    x_range, y_range = map_ranges(lab, model)
    order, labels, precise, help_ = slider_words(lab, model)
    where = (" on the latent space itself" if latent_dim == 2
             else ", seen on the flat slice through their two main directions (PCA)")
    first = "most used dimension first" if model == "vae" else "widest-spread dimension first"
    w = nouns(dataset)
    return {
        "signature": f"{dataset}:{latent_dim}:{folder}:{model}", "model": model,
        "heading": f"{latent_dim} latent sliders of the {name} · {first}",
        "order": order, "scale": scale.as_dict(),
        "slider_labels": labels, "slider_precise": precise, "slider_help": help_,
        "buttons": buttons(w.item), "classes": list(w.classes), "item": w.item,
        "view": {"x": x_range, "y": y_range}, "axes": axis_titles(lab, model),
        "palette": PALETTE, "point_opacity": POINT_OPACITY, "map_height": 460,
        "reachable": reachable_polygon(space.projection, scale, x_range, y_range),
        "prior": {"centre": prior_centre(space.projection), "radii": list(PRIOR_RADII),
                  "label": "where N(0, I) draws land"},
        "map_caption": f"{len(lab.labels):,} test {w.items}, placed by the {name}'s encoder{where}. Tap or click anywhere — "
                       f"on {w.an_item} or on empty space — to decode that point. Circles: where random draws from "
                       f"the bell curve N(0, I) land — {within(1):.0%} inside the inner one, {within(2):.0%} inside "
                       "the outer (1σ and 2σ). The dashed outline with straight sides: what the sliders reach; a tap "
                       f"beyond it moves them as far as they go. With a mouse, point at a dot to see which test "
                       f"{w.item} it is.",
        "manifold_title": f"Manifold grid · the {name}'s decoder over a {MANIFOLD_N}×{MANIFOLD_N} grid of the map",
        "manifold_caption": ("Spaced so that every cell holds the same share of random draws from the bell curve "
                             "(the prior's quantiles): the middle of the map gets more cells than its edges."
                             if model == "vae" else "Evenly spaced from nearly the smallest to nearly the largest of "
                             "its codes (their 1st and 99th percentiles): the AE has no bell curve to space them by."),
    }


def verdict_layer(lab, model):
    """Where this decoder makes digits: the judge's call at every cell of the map, as a picture
    for the map, its legend and a caption with the measured shares."""
    return _verdict_layer(*lab_key(lab), model)


def rgb_png(pixels):
    buffer = io.BytesIO()
    Image.fromarray(pixels, mode="RGB").save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()


@st.cache_resource(max_entries=8)
def _verdict_layer(latent_dim, dataset, folder, model):
    lab = get_lab(latent_dim, folder, dataset)
    space = lab.spaces[model]
    x_range, y_range = map_ranges(lab, model)
    (x0, x1), (y0, y1) = x_range, y_range
    half_x, half_y = (x1 - x0) / VERDICT_N / 2, (y1 - y0) / VERDICT_N / 2  # cell centres: the cells tile the map
    grid = verdict_grid(lab.net(model), lab.judge, (x0 + half_x, x1 - half_x), (y0 + half_y, y1 - half_y),
                        VERDICT_N, space.projection.inverse)
    shares = {"clear": grid.share("clear"),
              "circle": disc_share(x_range, y_range, prior_centre(space.projection), PRIOR_RADII[-1])}
    if latent_dim == 2:  # the map is the latent space: "far from every test digit" is a distance on it
        xs, ys = cell_centres(x_range, y_range, VERDICT_N)
        cells = np.array([[x, y] for y in ys for x in xs])
        far = (nearest_code_distance(cells, space.codes) > FAR_SPACINGS).reshape(VERDICT_N, VERDICT_N)
        shares["far"] = float((grid.calls[far] == "clear").mean()) if far.any() else None
    else:  # what the slice cannot show: where draws land in all 16 dimensions
        draws = prior_samples(NEIGHBOUR_DRAWS, latent_dim, seed=0)
        shares["neighbours"] = float(neighbour_share(draws, space.codes).mean())
    return {
        "image": data_uri(rgb_png(verdict_shading(grid.labels, grid.calls, PALETTE))),
        "x": list(x_range), "y": list(y_range), "legend": verdict_legend(lab.info.item),
        "caption": verdict_caption(model, lab.info.item, shares), "shares": shares,
    }


def verdict_legend(item):
    tints = ", ".join(f"rgb({', '.join(str(round(v)) for v in 255 + TINT * (hex_rgb(c) - 255))})" for c in PALETTE[:4])
    return [[f"linear-gradient(90deg, {tints})", f"a clear {item} (coloured like its dots)"],
            [f"rgb({UNSURE_GREY}, {UNSURE_GREY}, {UNSURE_GREY})", "the judge is unsure"],
            [f"repeating-linear-gradient(45deg, rgb({NONE_STRIPE}, {NONE_STRIPE}, {NONE_STRIPE}) 0 2px, "
             f"rgb({NONE_DARK}, {NONE_DARK}, {NONE_DARK}) 2px 6px)", f"no {item} at all"]]


def percent(share):
    """A share in words: one decimal below 10 % (0.1 % is not 0 %)."""
    return f"{share:.1%}" if share < 0.1 else f"{share:.0%}"


def verdict_caption(model, item, shares):
    """What the verdict layer shows, with its measured shares: "clear" (of the map), "circle" (the
    map inside the 2σ circle), and in 2-D "far" (clear among the cells far from every code, or
    None), in 16-D "neighbours" (the neighbour test of N(0, I) draws against the codes)."""
    name, flat = MODEL_NAMES[model], "neighbours" in shares
    inside = 1 - math.exp(-PRIOR_RADII[-1] ** 2 / 2)  # N(0, I) on a plane: P(|z| <= r) = 1 - exp(-r²/2)
    text = (f"Shaded by the judge's verdict on the {name}'s decoder at each point"
            + (" of this flat slice of its 16-D space" if flat else "")
            + f": a clear {item} over {percent(shares['clear'])} of it")
    if shares.get("far") is not None:
        text += f", and over {percent(shares['far'])} of the parts far from every test {item}"
    text += ". "
    if model == "ae" and not flat and shares["clear"] >= 0.5:
        text += "The gaps between its codes are not the AE's problem; knowing where to sample is: "
    text += (f"{inside:.0%} of draws from N(0, I) land inside the dashed circle, "
             f"{percent(shares['circle'])} of this {'slice' if flat else 'map'}")
    if flat:
        text += (f" — and in all 16 directions, {percent(shares['neighbours'])} of a draw's 10 nearest neighbours "
                 f"are {name} codes (50% would mean draws land among the codes)")
    if model == "vae":
        text += ": training pulled the VAE's codes there"
    return text + "."


def with_article(name):
    return f"{article(name)} {name}"  # "an 8", "an ankle boot", "a pair of trousers"


def reading_words(reading, info):
    """The judge's calibrated reading of one image in plain words (info: the data set's names)."""
    name = with_article(info.classes[reading.label])
    if reading.call == "clear":
        return f"looks like {name} ({reading.confidence:.0%} sure)"
    if reading.call == "unsure":
        return f"unsure — maybe {name} ({reading.confidence:.0%})"
    return f"doesn't look like any {info.item}"


def reconstructions(lab, index):
    """A test digit beside the AE's and the VAE's reconstructions of it (None: no digit)."""
    if index is None:
        return None
    images = (("original", lab.images[index : index + 1]), ("AE reconstruction", lab.reconstruct("ae", index)),
              ("VAE reconstruction", lab.reconstruct("vae", index)))
    w = nouns(lab.dataset)
    return {"title": f"Test {w.item} #{index} (label {w.name(lab.labels[index])}): original, AE and VAE reconstructions",
            "images": [[digit_uri(image, 5), name] for name, image in images]}


def payload(data):
    """The element's data as the bytes of its JSON. Handed a dict, Streamlit sniffs each of its
    values for data frames (importing pandas on the first page: 0.3-1.5 s here) and re-encodes
    the whole JSON on every run to identify the element; bytes it only hashes."""
    return json.dumps(data, separators=(",", ":"), allow_nan=False).encode()


def element_data(lab, model, z, *, layer, jumped_digit, event_id):
    """Everything the element shows for this model and z: its fixed parts plus the digit and marker.

    layer: verdict_layer(lab, model) when it is on, else None; event_id: the event this run answers
    (the page ignores answers to older events). The large data is a file the page fetches (files.py).
    """
    image = lab.decode(model, z)
    return {
        **static_data(lab, model),
        "assets_url": asset_url(lab, model),
        "layer": layer,
        "z": [float(v) for v in z],
        "marker": [float(v) for v in lab.spaces[model].projection.forward(z)],
        "digit": digit_uri(image),
        "digit_caption": f"{MODEL_NAMES[model]} decoder output · judge: {reading_words(lab.read(image), lab.info)}",
        "recon": reconstructions(lab, jumped_digit),
        "event_id": event_id,
    }
