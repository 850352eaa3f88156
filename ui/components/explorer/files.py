"""The explorer's large, fixed data as files a browser keeps: decoder weights, the map's points and
labels, the manifold picture. One file per (data set, latent size, model), named by a digest of its
content and served by the app's own route (app.py) with a year-long cache lifetime, so a student
who comes back, or opens a second tab, loads it from the browser's cache instead of through the
websocket (README: A lecture hall). New checkpoints give new names, so a cached file is never stale.

The file is binary: "LLX1", the length of a JSON header (4 bytes, little-endian), the header (shapes,
the projection, the manifold picture, where each array lies), then the arrays' raw bytes: a fifth
smaller than base64 in JSON, even after gzip. Floats travel as float16: half the bytes of float32.
The page's digit then differs from the server's float32 decoding by more than one grey level in
about one pixel in a million (tests/test_explorer_files.py); the judge reads the server's own.
"""

import hashlib
import json
import re
import struct
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import streamlit as st

from model.data import DATASETS
from model.networks import decoder_layers
from ui.images import data_uri
from ui.link import LATENT_SIZES
from ui.resources import WARM_THREAD, get_lab, lab_key, manifold_png, quiet_log

PREFIX = "lab/explorer/"  # the route, below the page's own address
NAME = re.compile(r"(?P<dataset>[a-z-]+)-z(?P<dim>\d+)-(?P<model>ae|vae)-(?P<digest>[0-9a-f]{16})\.bin")
MAGIC = b"LLX1"
MANIFOLD_N = 20
CACHE_FOREVER = "public, max-age=31536000, immutable"
# Requests for a file are answered in threads of their own, named like the warm-up's, so that the
# cache functions they call outside any session do not fill the log with Streamlit's warning.
_builders = ThreadPoolExecutor(max_workers=1, thread_name_prefix=WARM_THREAD)


def asset_url(lab, model):
    """Where the page fetches this model's large data: relative to the page's own address."""
    name, _ = _asset_file(*lab_key(lab), model)
    return PREFIX + name


def asset_contents(lab, model):
    """The file's content, as the page reads it (for tests and the benches): unpack_file's dict."""
    return unpack_file(_asset_file(*lab_key(lab), model)[1])


def pack_file(header, arrays):
    """One file of a JSON header and named arrays (numpy, stored little-endian as they are)."""
    index, body, offset = {}, [], 0
    for name, array in arrays.items():
        data = np.ascontiguousarray(array).tobytes()
        index[name] = [offset, len(data), array.dtype.str]
        body.append(data)
        offset += len(data)
    head = json.dumps({**header, "arrays": index}, separators=(",", ":"), allow_nan=False).encode()
    return MAGIC + struct.pack("<I", len(head)) + head + b"".join(body)


def unpack_file(content):
    """pack_file's inverse: the header's fields, each array in place of the index."""
    if content[:4] != MAGIC:
        raise ValueError("not an explorer file")
    (length,) = struct.unpack("<I", content[4:8])
    header = json.loads(content[8:8 + length])
    body = 8 + length
    arrays = {name: np.frombuffer(content[body + offset:body + offset + size], dtype=dtype)
              for name, (offset, size, dtype) in header.pop("arrays").items()}
    return {**header, **arrays}


@st.cache_resource(max_entries=16)
def _asset_file(latent_dim, dataset, folder, model):
    """(file name, bytes) of one model's large data."""
    lab = get_lab(latent_dim, folder, dataset)
    space = lab.spaces[model]
    layers = decoder_layers(lab.net(model))
    arrays = {"points": space.points.astype("<f2"), "labels": lab.labels.astype(np.uint8)}
    for i, (weight, bias) in enumerate(layers):
        arrays[f"decoder.{i}.weight"], arrays[f"decoder.{i}.bias"] = weight.astype("<f2"), bias.astype("<f2")
    content = pack_file({
        "manifold": data_uri(manifold_png(lab, model, MANIFOLD_N, scale=1)),
        "decoder": [{"shape": list(weight.shape)} for weight, _ in layers],
        "projection": {"mean": space.projection.mean.tolist(), "components": space.projection.components.tolist()},
    }, arrays)
    digest = hashlib.sha256(content).hexdigest()[:16]
    return f"{dataset}-z{latent_dim}-{model}-{digest}.bin", content


def parse_name(name):
    """(data set, latent size, model, digest) from a file name, or None if it names no file we make."""
    match = NAME.fullmatch(name or "")
    if match is None or match["dataset"] not in DATASETS or int(match["dim"]) not in LATENT_SIZES:
        return None
    return match["dataset"], int(match["dim"]), match["model"], match["digest"]


def file_content(name, folder):
    """The content of the named file, or None: the name is odd, or its digest is not the current one."""
    parsed = parse_name(name)
    if parsed is None:
        return None
    dataset, dim, model, _ = parsed
    current, content = _asset_file(dim, dataset, folder, model)
    return content if current == name else None


def route():
    """The Starlette route that serves the files (app.py adds it to the server)."""
    import asyncio

    from starlette.responses import PlainTextResponse, Response
    from starlette.routing import Route

    from model import CheckpointError, checkpoint_dir

    async def serve(request):
        loop = asyncio.get_running_loop()
        try:
            content = await loop.run_in_executor(_builders, file_content, request.path_params["name"],
                                                 str(checkpoint_dir()))
        except (CheckpointError, FileNotFoundError) as err:
            return PlainTextResponse(f"models not loaded: {err}", status_code=503)
        if content is None:
            return PlainTextResponse("no such file", status_code=404)
        return Response(content, media_type="application/octet-stream", headers={"Cache-Control": CACHE_FOREVER})

    quiet_log()
    base = st.config.get_option("server.baseUrlPath").strip("/")
    return Route(f"/{base + '/' if base else ''}{PREFIX}{{name}}", serve, methods=["GET"])
