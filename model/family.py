"""The β family: 2-D VAEs trained with loss = reconstruction + β·KL, one per β, and their numbers.

    family = load_family(checkpoint_dir("mnist") / "beta", judge, test_images)
    family.betas                  # (0.0, 0.1, ..., 8.0): whichever members the folder holds
    family.member(1.0).vae        # loaded through model.load_model, the one way to load
    family.member(1.0).numbers    # reconstruction, KL, clear share of prior samples, active dimensions

A member is a file vae-z2-beta<β>.pt (`python -m model.train --kind vae --latent-dim 2 --beta B
--half`). Its numbers are read from its metadata once `model.evaluate --write-metadata` has
stored them (10,000 test digits and 10,000 prior samples, the README's table); a member not
evaluated yet is measured at load on fewer (ESTIMATE_DIGITS, ESTIMATE_SAMPLES), and its
Numbers say so. Pure PyTorch: the app caches load_family once per server.
"""

import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from model.checkpoint import CheckpointError, load_model
from model.data import binarize
from model.evaluate import ACTIVE_UNIT_THRESHOLD, JUDGE_SAMPLES, elbo_parts
from model.judge import classify
from model.latent import prior_samples
from model.networks import codes_of, decode_batched

LATENT_DIM = 2
MEMBER_NAME = re.compile(r"^vae-z2-beta(\d+(?:\.\d+)?)\.pt$")
ESTIMATE_DIGITS = 2000  # test digits a not-yet-evaluated member's reconstruction and KL are measured on
ESTIMATE_SAMPLES = 1000  # prior samples its clear share is measured on
EVALUATED_DIGITS = 10_000
MAP_DIGITS = 2000  # test digits whose codes a member's map shows (the replay shows 2,000 too)


@dataclass(frozen=True)
class Numbers:
    """One member's trade-off, in nats per test digit and shares of prior samples."""

    recon_nats: float  # reconstruction error (lower = closer to the original)
    kl_nats: float  # KL of the encoder's clouds to the prior (how much the codes say about a digit)
    clear_share: float  # share of decoded prior samples the judge calls a clear digit
    active_units: int  # latent dimensions the encoder really uses (variance of codes > ACTIVE_UNIT_THRESHOLD)
    digits: int  # test digits the first two were measured on
    samples: int  # prior samples the clear share was measured on
    evaluated: bool  # True: stored by model.evaluate; False: measured at load on fewer


@dataclass(frozen=True)
class Member:
    beta: float
    vae: torch.nn.Module
    numbers: Numbers
    codes: np.ndarray  # [MAP_DIGITS, 2] the first test digits' codes (posterior means)


@dataclass(frozen=True)
class Family:
    folder: Path
    members: tuple  # Member, by increasing β

    @property
    def betas(self):
        return tuple(m.beta for m in self.members)

    def member(self, beta):
        """The member trained at this β (KeyError when none was)."""
        for m in self.members:
            if math.isclose(m.beta, beta, rel_tol=1e-9, abs_tol=1e-12):
                return m
        raise KeyError(f"no member trained at β = {beta:g}; trained: {', '.join(f'{b:g}' for b in self.betas)}")

    def trained_beta(self, beta):
        """beta as one of the trained values, or None (a link may ask for any number)."""
        try:
            return self.member(beta).beta
        except (KeyError, TypeError):
            return None

    @property
    def default_beta(self):
        """The member nearest to β = 1, the plain VAE: where a dial starts."""
        return min(self.betas, key=lambda b: abs(b - 1.0))


def member_files(folder):
    """{β: path} of the members in folder, by increasing β; other files are ignored."""
    found = {}
    for path in sorted(Path(folder).glob("vae-z2-beta*.pt")):
        match = MEMBER_NAME.match(path.name)
        if match is None:
            continue
        beta = float(match.group(1))
        if beta in found:
            raise CheckpointError(path, f"a second member for β = {beta:g} (the other is {found[beta].name})",
                                  fix=f"keep one of the two files in {folder}")
        found[beta] = path
    return dict(sorted(found.items()))


def retrain_fix(path, beta):
    return (f"restore the shipped file (`git checkout -- {path}`) or retrain it (`python -m model.train --kind vae "
            f"--latent-dim 2 --beta {beta:g} --epochs 30 --half --data-dir DIR --out {path}`)")


def load_member_vae(path, beta):
    """The member's VAE; CheckpointError naming the file when it is broken or not the β its name says."""
    try:
        vae = load_model(path, kind="vae")
    except CheckpointError as err:
        raise CheckpointError(path, err.problem, fix=retrain_fix(path, beta)) from None
    if vae.latent_dim != LATENT_DIM:
        raise CheckpointError(path, f"latent_dim is {vae.latent_dim}, but the family is 2-D", fix=retrain_fix(path, beta))
    stored = vae.metadata.get("beta")
    if not isinstance(stored, (int, float)) or not math.isclose(stored, beta, rel_tol=1e-6, abs_tol=1e-9):
        raise CheckpointError(path, f"its metadata says β = {stored!r}, but its name says {beta:g}",
                              fix=retrain_fix(path, beta))
    return vae


def stored_numbers(vae):
    """The numbers model.evaluate stored in the checkpoint, or None when it has not run on it."""
    metrics = vae.metadata.get("metrics")
    try:
        values = (float(metrics["recon_nats"]), float(metrics["kl_nats"]),
                  float(metrics["prior_samples"]["clear_share"]))
        active = int(metrics["active_units"])
        digits = int(metrics.get("test_images", EVALUATED_DIGITS))
    except (KeyError, TypeError, ValueError):
        return None
    if not all(math.isfinite(v) for v in values):
        return None
    return Numbers(*values, active_units=active, digits=digits, samples=JUDGE_SAMPLES, evaluated=True)


def measured_numbers(vae, judge, images, digits=ESTIMATE_DIGITS, samples=ESTIMATE_SAMPLES):
    """The same numbers as model.evaluate's, on fewer test digits and prior samples (a quick estimate)."""
    binary = binarize(images[:digits], seed=0)
    recon, kl = elbo_parts(vae, binary)
    active = int((codes_of(vae, binary).var(0) > ACTIVE_UNIT_THRESHOLD).sum().item())
    _, _, calls = classify(judge, decode_batched(vae, prior_samples(samples, LATENT_DIM, seed=0)))
    return Numbers(recon.mean().item(), kl.sum(1).mean().item(), float((calls == "clear").mean()),
                   active_units=active, digits=len(binary), samples=samples, evaluated=False)


def load_family(folder, judge, images):
    """Every member in folder, loaded and measured; CheckpointError names a broken member or an empty folder.

    judge: the data set's digit judge; images: its test images [N, 1, 28, 28] in [0, 1], in the
    order of the app's labels (the first MAP_DIGITS are the map's).
    """
    folder = Path(folder)
    files = member_files(folder) if folder.is_dir() else {}
    if not files:
        raise CheckpointError(folder, "no β family here (no vae-z2-beta<β>.pt files)",
                              fix=f"train one member per β (`python -m model.train --kind vae --latent-dim 2 "
                                  f"--beta B --epochs 30 --half --data-dir DIR --out {folder}/vae-z2-betaB.pt`)")
    members = []
    for beta, path in files.items():
        vae = load_member_vae(path, beta)
        numbers = stored_numbers(vae) or measured_numbers(vae, judge, images)
        members.append(Member(beta, vae, numbers, codes_of(vae, images[:MAP_DIGITS]).numpy()))
    return Family(folder, tuple(members))
