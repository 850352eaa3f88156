"""Checkpoint I/O: the one way every part of the project saves and loads a network.

A checkpoint is a plain dict of tensors and JSON-like values written by torch.save and read
with torch.load(weights_only=True), so loading never unpickles arbitrary objects.
"""

import json
import math
import re
from pathlib import Path

import torch

from model.data import DATASETS
from model.judge import DigitJudge
from model.networks import NETWORKS

FORMAT = "latent-lab-checkpoint"
VERSION = 1
MAX_LATENT_DIM = 512


class CheckpointError(ValueError):
    """A checkpoint that cannot be used, with the file, what is wrong and how to fix it."""

    def __init__(self, path, problem, fix=None):
        self.path = str(path)
        self.problem = problem
        self.fix = fix or fix_command(path)
        super().__init__(f"{self.path}: {problem}. Fix: {self.fix}")


def fix_command(path):
    """The command that rebuilds this checkpoint, guessed from its file name and folder."""
    path = Path(str(path))
    dataset = next((p for p in reversed(path.parent.parts) if p in DATASETS), "mnist")
    if path.name.startswith("judge"):
        train = f"python -m model.train_judge --dataset {dataset} --data-dir DIR --out {path}"
    else:
        match = re.match(r"(ae|vae)-z(\d+)", path.name)
        kind, dim = (match.group(1), match.group(2)) if match else ("vae", "16")
        train = f"python -m model.train --dataset {dataset} --kind {kind} --latent-dim {dim} --data-dir DIR --out {path}"
    return f"restore the shipped file (`git checkout -- {path}`) or retrain it (`{train}`)"


def save_checkpoint(net, path, metadata=None, half=False):
    """Write a network and its metadata (JSON-like values only) to path.

    half=True stores float weights as float16 (half the bytes; load_model restores float32):
    for model families where a decoded pixel moving by < 1/255 does not matter.
    """
    kind = net.kind
    state = {k: v.detach().cpu().clone() for k, v in net.state_dict().items()}
    if half:
        state = {k: v.half() if v.dtype == torch.float32 else v for k, v in state.items()}
    payload = {
        "format": FORMAT,
        "version": VERSION,
        "kind": kind,
        "state_dict": state,
        # A JSON round trip keeps metadata to plain types, which a weights_only load accepts.
        "metadata": json.loads(json.dumps(metadata if metadata is not None else net.metadata, default=str)),
    }
    if kind != "judge":
        payload["latent_dim"] = net.latent_dim
        payload["hidden"] = list(net.hidden)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    torch.save(payload, path)


def load_model(path, kind=None):
    """Load a checkpoint onto the CPU in eval mode, ready for inference.

    kind: if given ("ae", "vae", "judge" or a tuple of them), a checkpoint of another kind
    is refused. Every failure raises CheckpointError naming the file.
    """
    path = Path(path)
    payload = _read(path)
    found = payload.get("kind")
    if found not in (*NETWORKS, "judge"):
        raise CheckpointError(path, f"unknown model kind {found!r}")
    wanted = (kind,) if isinstance(kind, str) else kind
    if wanted is not None and found not in wanted:
        raise CheckpointError(
            path, f"this is a {found!r} checkpoint, but a {' or '.join(map(repr, wanted))} model was expected"
        )
    net = _build(path, payload)
    state = payload.get("state_dict")
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise CheckpointError(path, "its state_dict is missing or holds something other than tensors")
    # float16-stored families come back as float32, the dtype every network computes in.
    stored_half = any(v.dtype == torch.float16 for v in state.values())
    state = {k: v.float() if v.dtype == torch.float16 else v for k, v in state.items()}
    try:
        net.load_state_dict(state, strict=True)
    except RuntimeError as err:
        first = str(err).strip().splitlines()
        detail = " ".join(line.strip() for line in first[:3])
        raise CheckpointError(path, f"its weights do not fit the architecture it declares ({detail})") from None
    if not all(torch.isfinite(v).all() for v in state.values() if v.is_floating_point()):
        raise CheckpointError(path, "its weights contain NaN or infinite values")
    metadata = payload.get("metadata", {})
    if not isinstance(metadata, dict):
        raise CheckpointError(path, "its metadata is not a dictionary")
    net.metadata = metadata
    net.source = str(path)
    net.stored_half = stored_half  # saving it again keeps its storage size
    net.eval()
    for p in net.parameters():
        p.requires_grad_(False)
    return net


def _read(path):
    if not path.exists():
        raise CheckpointError(path, "file not found")
    if not path.is_file():
        raise CheckpointError(path, "not a file")
    if path.stat().st_size == 0:
        raise CheckpointError(path, "the file is empty")
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as err:  # noqa: BLE001 - any failure here means "not a usable checkpoint"
        reason = type(err).__name__
        if "Unpickl" in reason or "weights_only" in str(err):
            problem = "it holds Python objects that a safe load refuses (it was not written by save_checkpoint)"
        else:
            problem = f"not a readable checkpoint (truncated or not a torch file: {reason})"
        raise CheckpointError(path, problem) from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise CheckpointError(path, "not a Latent Lab checkpoint (no 'format' marker)")
    if payload.get("version") != VERSION:
        raise CheckpointError(path, f"checkpoint version {payload.get('version')!r}, expected {VERSION}")
    return payload


def _build(path, payload):
    kind = payload["kind"]
    if kind == "judge":
        return DigitJudge()
    latent_dim, hidden = payload.get("latent_dim"), payload.get("hidden")
    if not isinstance(latent_dim, int) or isinstance(latent_dim, bool) or not 1 <= latent_dim <= MAX_LATENT_DIM:
        raise CheckpointError(path, f"latent_dim {latent_dim!r} is not an integer in 1..{MAX_LATENT_DIM}")
    if (
        not isinstance(hidden, (list, tuple))
        or not hidden
        or not all(isinstance(h, int) and 1 <= h <= 8192 for h in hidden)
    ):
        raise CheckpointError(path, f"hidden sizes {hidden!r} are not a list of positive integers")
    return NETWORKS[kind](latent_dim, hidden)


def metric(net, name, default=math.nan):
    """A number from the checkpoint's stored evaluation (NaN when absent)."""
    value = net.metadata.get("metrics", {}).get(name, default)
    return value if isinstance(value, (int, float)) else default
