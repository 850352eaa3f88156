"""How well the shipped judge reads drawn digits after model.prepare_drawing (issue #12).

    python bench/drawing.py            # all 10,000 MNIST test digits; writes bench/results/drawing.json
    python bench/drawing.py --n 1000   # a quicker sample

Each test digit is made "drawn-like": enlarged 3-10× at random (bilinear), its strokes thickened
with a max filter (about a third of the scale on each side), and placed at a random spot on a
280×280 pad, as a student might draw it. The judge then reads it
  - untouched (the 28×28 test digit: the ceiling),
  - after prepare_drawing (the target: within 5 points of untouched),
  - after a naive resize of the whole pad to 28×28 (what happens without preparation),
  - after prepare_drawing of the pad first reduced to 140×140 (what the drawing pad element sends
    Python: ui/components/drawpad, PAYLOAD_SIZE) and to 56×56 (a smaller payload's cost),
  - and the 140×140 one after the link's 4-bit code (ui.link.pack_drawing): what the app's models see.
It also reports how long that code is, in characters of a link.
One CPU thread; not a test (no timing asserts).
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model import DrawingError, checkpoint_dir, load_model, prepare_drawing  # noqa: E402
from model.data import load_test_images  # noqa: E402
from model.judge import classify  # noqa: E402
from ui.link import pack_drawing, unpack_drawing  # noqa: E402

PAD = 280


def drawn_like(image, rng):
    """A 28×28 digit in [0, 1] -> a 280×280 uint8 pad (ink bright) with the digit enlarged 3-10×,
    thickened and placed at random."""
    scale = rng.uniform(3, 10)
    side = int(round(28 * scale))
    big = Image.fromarray(np.uint8(np.round(image * 255))).resize((side, side), Image.Resampling.BILINEAR)
    reach = max(1, int(round(scale / 3)))
    big = np.asarray(big.filter(ImageFilter.MaxFilter(2 * reach + 1)))
    rows, cols = np.flatnonzero(big.max(axis=1) > 25), np.flatnonzero(big.max(axis=0) > 25)
    ink = big[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    pad = np.zeros((PAD, PAD), dtype=np.uint8)
    top = rng.integers(0, PAD - ink.shape[0] + 1)
    left = rng.integers(0, PAD - ink.shape[1] + 1)
    pad[top:top + ink.shape[0], left:left + ink.shape[1]] = ink
    return pad


def shrink(pad, side):
    """The whole pad reduced to side×side with area averaging (uint8)."""
    return np.asarray(Image.fromarray(pad).resize((side, side), Image.Resampling.BOX))


def as_batch(images):
    return torch.from_numpy(np.stack(images).astype(np.float32) / 255.0).unsqueeze(1)


def prepared(pads):
    out, refused = [], 0
    for pad in pads:
        try:
            out.append(prepare_drawing(pad))
        except DrawingError:
            out.append(torch.zeros(1, 1, 28, 28))  # counted wrong unless the judge reads a blank as the label
            refused += 1
    return torch.cat(out), refused


def through_the_link(images):
    """Each image after the link's code: what the app keeps and its models see."""
    return torch.stack([torch.from_numpy(unpack_drawing(pack_drawing(image))) for image in images]).unsqueeze(1)


def accuracy(judge, images, labels):
    digits, _, _ = classify(judge, images)
    return float((digits == labels).mean())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10000, help="test digits to use (first n)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", default=str(ROOT / "bench" / "results" / "drawing.json"))
    args = parser.parse_args(argv)
    torch.set_num_threads(1)

    judge = load_model(checkpoint_dir("mnist") / "judge.pt", kind="judge")
    images, labels = load_test_images("mnist")
    images, labels = images[: args.n], labels[: args.n].numpy()
    rng = np.random.default_rng(args.seed)
    start = time.perf_counter()
    pads = [drawn_like(image[0].numpy(), rng) for image in images]
    made = time.perf_counter()
    ready, refused = prepared(pads)
    prep_seconds = time.perf_counter() - made
    sent = prepared([shrink(p, 140) for p in pads])[0]
    rows = {
        "untouched test digits": accuracy(judge, images, labels),
        "prepare_drawing(280×280 pad)": accuracy(judge, ready, labels),
        "naive resize of the pad to 28×28": accuracy(judge, as_batch([shrink(p, 28) for p in pads]), labels),
        "prepare_drawing(pad reduced to 140×140)": accuracy(judge, sent, labels),
        "prepare_drawing(pad reduced to 56×56)": accuracy(judge, prepared([shrink(p, 56) for p in pads])[0], labels),
        "… 140×140, then the link's 4-bit code (the app)": accuracy(judge, through_the_link(sent), labels),
    }
    link_chars = [len(pack_drawing(image)) for image in sent]
    for name, value in rows.items():
        print(f"{name:48s} {100 * value:6.2f} %")
    print(f"the link's code: {np.median(link_chars):.0f} characters (median), {max(link_chars)} at most")
    gap = rows["untouched test digits"] - rows["prepare_drawing(280×280 pad)"]
    print(f"gap to untouched: {100 * gap:.2f} points (target ≤ 5); refused by prepare_drawing: {refused}")
    print(f"prepare_drawing: {1000 * prep_seconds / len(pads):.2f} ms per 280×280 pad (1 thread; "
          f"making the pads took {made - start:.0f} s)")
    result = {
        "command": "python bench/drawing.py" + (f" --n {args.n}" if args.n != 10000 else ""),
        "n": len(pads), "seed": args.seed, "pad": PAD, "scale": [3, 10],
        "accuracy": rows, "gap_points": 100 * gap, "target_gap_points": 5, "refused": refused,
        "prepare_ms_per_pad": 1000 * prep_seconds / len(pads),
        "link_chars": {"median": float(np.median(link_chars)), "max": max(link_chars)},
        "date": time.strftime("%Y-%m-%d"),
    }
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
