"""The β family's trade-off: a README table and a figure, from model.evaluate's report.

    python bench/beta_family.py      # after `python -m model.evaluate checkpoints/mnist/beta/*.pt ... --json bench/results/evaluate-beta.json`

Prints a Markdown table and writes docs/beta-family.svg (reconstruction and KL in nats, and the
share of clear prior samples, over β on a log-like axis). Plain SVG: no plotting library needed.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "bench" / "results" / "evaluate-beta.json"

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 300, 60, 60, 30, 50
SERIES = (("recon_nats", "reconstruction (nats)", "#0072B2", "left"),
          ("kl_nats", "KL (nats)", "#D55E00", "left"),
          ("clear_share", "clear prior samples (%)", "#009E73", "right"))


def position(i, n):
    return LEFT + i * (WIDTH - LEFT - RIGHT) / max(n - 1, 1)


def scale(value, top_value):
    return HEIGHT - BOTTOM - value / top_value * (HEIGHT - TOP - BOTTOM)


def svg(rows):
    betas = [r["beta"] for r in rows]
    left_top = max(max(r["recon_nats"], r["kl_nats"]) for r in rows) * 1.1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" font-family="sans-serif" '
             'font-size="12"><rect width="100%" height="100%" fill="white"/>',
             f'<text x="{WIDTH / 2}" y="18" text-anchor="middle" font-size="14">The β family (2-D VAE, MNIST): '
             'what the KL weight trades</text>']
    for i, beta in enumerate(betas):
        x = position(i, len(betas))
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">{beta:g}</text>')
    parts.append(f'<text x="{WIDTH / 2}" y="{HEIGHT - 12}" text-anchor="middle">β (weight of the KL term)</text>')
    for frac in (0, 0.5, 1):
        y = scale(frac * left_top, left_top)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{frac * left_top:.0f}</text>')
        parts.append(f'<text x="{WIDTH - RIGHT + 6}" y="{y + 4:.1f}">{frac * 100:.0f} %</text>')
    for key, label, colour, axis in SERIES:
        top_value = 1.0 if axis == "right" else left_top
        points = " ".join(f"{position(i, len(rows)):.1f},{scale(r[key], top_value):.1f}" for i, r in enumerate(rows))
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for i, r in enumerate(rows):
            parts.append(f'<circle cx="{position(i, len(rows)):.1f}" cy="{scale(r[key], top_value):.1f}" r="3.5" '
                         f'fill="{colour}"/>')
    for j, (_, label, colour, _) in enumerate(SERIES):
        y = TOP + 10 + 16 * j
        parts.append(f'<rect x="{WIDTH - RIGHT - 190}" y="{y - 9}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{WIDTH - RIGHT - 172}" y="{y + 1}">{label}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def family_rows(report):
    """One row per member, by β: the card's numbers flattened."""
    rows = []
    for name, m in report["models"].items():
        rows.append({"beta": float(name.split("beta")[1]), **{k: m[k] for k in (
            "recon_nats", "kl_nats", "iw_nll_nats", "active_units", "knn5_accuracy")},
            "clear_share": m["prior_samples"]["clear_share"], "inception_score": m["prior_samples"]["inception_score"],
            "frechet": m["prior_samples"]["frechet"]})
    return sorted(rows, key=lambda r: r["beta"])


def main():
    if not REPORT.is_file():
        sys.exit(f"{REPORT} is missing: run model.evaluate on checkpoints/mnist/beta/*.pt with --json first")
    rows = family_rows(json.loads(REPORT.read_text()))
    print("| β | recon | KL | IW NLL (k = 100) | active units | 5-NN acc. | clear prior samples | IS | Fréchet |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['beta']:g} | {r['recon_nats']:.1f} | {r['kl_nats']:.1f} | {r['iw_nll_nats']:.1f} | "
              f"{r['active_units']} / 2 | {r['knn5_accuracy'] * 100:.1f} % | {r['clear_share'] * 100:.1f} % | "
              f"{r['inception_score']:.2f} | {r['frechet']:.0f} |")
    out = ROOT / "docs" / "beta-family.svg"
    out.write_text(svg(rows))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
