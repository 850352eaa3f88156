"""model.drawing (prepare_drawing, prepare_photo, through_both), the drawing pad's payload decoder and the
drawing in a link (ui.link's codec) (issue #12)."""

import base64
import io
import shutil
import subprocess
import struct
import zlib

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as hst
from PIL import Image, ImageFilter

from model import DrawingError, checkpoint_dir, load_model, prepare_drawing
from model.drawing import prepare_photo, through_both
from model.judge import classify
from ui.components.drawpad import decode_drawing, example_uri, picked_example, read_value, served_js
from ui.link import BASE64URL, link_params, pack_drawing, parse_link, unpack_drawing

PAD = 280


def pad_with(digit, scale=8, corner=(0, 0), thicken=3):
    """A 28×28 test digit in [0, 1] enlarged scale× (bilinear), thickened by a max filter and put
    with its ink against a corner of a blank 280×280 uint8 pad (ink bright)."""
    side = 28 * scale
    big = Image.fromarray(np.uint8(np.round(digit * 255))).resize((side, side), Image.Resampling.BILINEAR)
    big = np.asarray(big.filter(ImageFilter.MaxFilter(2 * thicken + 1)) if thicken else big)
    rows, cols = np.flatnonzero(big.max(axis=1) > 25), np.flatnonzero(big.max(axis=0) > 25)
    ink = big[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    pad = np.zeros((PAD, PAD), dtype=np.uint8)
    top = corner[0] * (PAD - ink.shape[0])
    left = corner[1] * (PAD - ink.shape[1])
    pad[top:top + ink.shape[0], left:left + ink.shape[1]] = ink
    return pad


def centre_of_mass(image):
    image = np.asarray(image, dtype=np.float64).reshape(28, 28)
    rows, cols = np.indices(image.shape)
    return (rows * image).sum() / image.sum(), (cols * image).sum() / image.sum()


def assert_prepared(out):
    assert isinstance(out, torch.Tensor) and out.dtype == torch.float32
    assert out.shape == (1, 1, 28, 28)
    assert torch.isfinite(out).all() and out.min() >= 0 and out.max() <= 1


def png_bytes(array, mode=None):
    buffer = io.BytesIO()
    Image.fromarray(array, mode).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def judge():
    torch.set_num_threads(1)
    return load_model(checkpoint_dir("mnist") / "judge.pt", kind="judge")


@pytest.fixture(scope="module")
def sample(test_digits):
    """50 test digits spread over the set."""
    images, labels = test_digits
    index = np.arange(0, 10000, 200)
    return images[index, 0].numpy(), labels[index].numpy()


# ---------------------------------------------------------------- drawings come back as digits


def test_an_enlarged_moved_thickened_digit_comes_back_close_to_the_original(sample):
    images, _ = sample
    errors = []
    for k, digit in enumerate(images):
        corner = [(0, 0), (0, 1), (1, 0), (1, 1)][k % 4]
        out = prepare_drawing(pad_with(digit, corner=corner))
        assert_prepared(out)
        errors.append(float((out[0, 0].numpy() - digit).__abs__().mean()))
    assert np.mean(errors) < 0.06, errors  # measured ≈ 0.045 (the thickening itself is most of it)
    assert max(errors) < 0.12, errors


def test_the_judge_reads_the_same_digit_after_preparation(sample, judge):
    images, labels = sample
    pads = [pad_with(digit, scale=4 + k % 7, corner=[(0, 1), (1, 1), (1, 0)][k % 3]) for k, digit in enumerate(images)]
    prepared = torch.cat([prepare_drawing(pad) for pad in pads])
    read, _, _ = classify(judge, prepared)
    original, _, _ = classify(judge, torch.from_numpy(images).unsqueeze(1))
    assert (read == labels).mean() >= 0.94
    assert (read == original).mean() >= 0.94


def test_centre_of_mass_lands_on_pixel_14_14_as_in_mnist(sample):
    images, _ = sample
    for digit in images[:10]:
        row, col = centre_of_mass(prepare_drawing(pad_with(digit, corner=(1, 1))))
        assert abs(row - 14) <= 1 and abs(col - 14) <= 1


def test_the_ink_box_fits_20_pixels_keeping_its_aspect():
    pad = np.zeros((280, 280), dtype=np.uint8)
    pad[40:240, 100:140] = 255  # a tall bar: 200 × 40, aspect 5:1
    out = prepare_drawing(pad)[0, 0].numpy()
    rows, cols = np.flatnonzero(out.max(axis=1) > 0.5), np.flatnonzero(out.max(axis=0) > 0.5)
    assert len(rows) == 20 and len(cols) == 4


def test_float_uint8_and_tensor_forms_agree(sample):
    pad = pad_with(sample[0][3])
    expected = prepare_drawing(pad)
    for form in (pad.astype(np.float32) / 255, pad.astype(np.float64) / 255, torch.from_numpy(pad),
                 pad[None, None], pad.astype(np.int64), pad.astype(np.float32)):  # the last: floats 0-255
        assert torch.allclose(prepare_drawing(form), expected, atol=1e-5)


def test_canvas_rgba_with_ink_in_alpha(sample):
    pad = pad_with(sample[0][5])
    rgba = np.zeros((PAD, PAD, 4), dtype=np.uint8)
    rgba[..., 3] = pad  # black ink, transparent paper: what canvas.getImageData gives
    assert torch.allclose(prepare_drawing(rgba), prepare_drawing(pad), atol=1e-5)


def test_dark_ink_on_light_photo_like_arrays_are_inverted(sample):
    pad = pad_with(sample[0][7], corner=(1, 0))
    expected = prepare_drawing(pad)
    paper = 255 - pad
    for form in (paper, paper[..., None], np.repeat(paper[..., None], 3, axis=2)):
        assert torch.allclose(prepare_drawing(form), expected, atol=1e-5)


def test_a_grey_paper_photo_is_stretched_to_full_ink(sample):
    pad = pad_with(sample[0][9]).astype(np.float32) / 255
    photo = 0.85 - 0.6 * pad  # light grey paper, dark grey ink
    out = prepare_drawing(photo)
    assert torch.allclose(out, prepare_drawing(pad), atol=1e-3)


def test_fashion_items_fill_the_frame_centred_by_their_box():
    pad = np.zeros((200, 300), dtype=np.uint8)
    pad[50:150, 20:220] = 200  # a 100 × 200 item
    out = prepare_drawing(pad, dataset="fashion-mnist")[0, 0].numpy()
    assert_prepared(torch.from_numpy(out)[None, None])
    rows, cols = np.flatnonzero(out.max(axis=1) > 0.5), np.flatnonzero(out.max(axis=0) > 0.5)
    assert (cols[0], cols[-1]) == (0, 27)
    assert len(rows) == 14 and rows[0] == 7


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize("blank", [np.zeros((280, 280), np.uint8), np.zeros((280, 280, 4), np.uint8),
                                   np.full((280, 280, 3), 255, np.uint8), np.zeros((5, 5), np.float32)])
def test_a_blank_pad_raises_a_hint(blank):
    with pytest.raises(DrawingError, match="Draw a digit first — the pad is empty"):
        prepare_drawing(blank)


def test_a_single_dot_is_too_little_ink():
    pad = np.zeros((280, 280), dtype=np.uint8)
    yy, xx = np.indices(pad.shape)
    pad[(yy - 100) ** 2 + (xx - 60) ** 2 <= 10 ** 2] = 255  # one tap of a 20 px pen
    with pytest.raises(DrawingError, match="too little ink|Too little ink"):
        prepare_drawing(pad)


def test_messages_name_the_data_sets_item():
    with pytest.raises(DrawingError, match="Draw an item first"):
        prepare_drawing(np.zeros((28, 28)), dataset="fashion-mnist")


ODD_INPUTS = {
    "one pixel": np.pad(np.ones((1, 1)), 100),
    "all ink": np.ones((280, 280)),
    "all ink uint8": np.full((280, 280), 255, np.uint8),
    "nearly all ink": np.pad(np.ones((270, 270)), 5),
    "line across": np.pad(np.ones((4, 280)), ((138, 138), (0, 0))),
    "line down": np.pad(np.ones((280, 4)), ((0, 0), (138, 138))),
    "diagonal": np.eye(280),
    "nan": np.full((28, 28), np.nan),
    "inf": np.pad(np.full((10, 10), np.inf), 9),
    "-inf": np.pad(np.full((10, 10), -np.inf), 9),
    "0-size": np.zeros((0, 0)),
    "0 rows": np.zeros((0, 280)),
    "one row": np.linspace(0, 1, 280)[None],
    "one column": np.linspace(0, 1, 280)[:, None],
    "1x1": np.ones((1, 1)),
    "scalar": np.float32(1),
    "1-D": np.ones(784),
    "5-D": np.ones((1, 1, 1, 28, 28)),
    "4-D batch": np.ones((2, 1, 28, 28)),
    "2 channels": np.ones((28, 28, 2)),
    "channels first RGB": np.ones((3, 28, 28)),
    "bool": np.pad(np.ones((100, 40), bool), 90),
    "bool blank": np.zeros((28, 28), bool),
    "object": np.array([[object()] * 3] * 3),
    "strings": np.array([["a", "b"], ["c", "d"]]),
    "complex": np.ones((28, 28), np.complex64),
    "ragged list": [[1, 2, 3], [4]],
    "None": None,
    "dict": {"a": 1},
    "text": "a digit",
    "negative floats": -np.ones((28, 28)),
    "huge values": np.pad(np.full((20, 20), 1e30), 4),
    "int64 extremes": np.pad(np.full((20, 20), np.iinfo(np.int64).max), 4),
    "uint16": np.pad(np.full((20, 20), 65535, np.uint16), 4),
    "float16": np.pad(np.ones((20, 20), np.float16), 4),
    "huge": np.broadcast_to(np.uint8(0), (5000, 5000)),
    "long and thin": np.pad(np.ones((1, 4000)), 2),
    "noise": np.random.default_rng(0).random((280, 280)),
}


@pytest.mark.parametrize("name", list(ODD_INPUTS))
def test_odd_input_never_raises_anything_but_drawing_error(name):
    try:
        out = prepare_drawing(ODD_INPUTS[name])
    except DrawingError as err:
        assert str(err)
    else:
        assert_prepared(out)


@pytest.mark.parametrize("dataset", ["cifar", None, 3])
def test_an_unknown_data_set_is_a_drawing_error(dataset):
    with pytest.raises(DrawingError, match="unknown data set"):
        prepare_drawing(np.ones((28, 28)), dataset=dataset)


def test_drawing_error_is_a_value_error():
    assert issubclass(DrawingError, ValueError)


# ---------------------------------------------------------------- photos


def test_a_png_of_dark_ink_on_white_paper_matches_the_drawing(sample):
    pad = pad_with(sample[0][11], corner=(0, 1))
    expected = prepare_drawing(pad)
    assert torch.allclose(prepare_photo(png_bytes(255 - pad)), expected, atol=1e-5)
    rgb = np.repeat((255 - pad)[..., None], 3, axis=2)
    assert torch.allclose(prepare_photo(png_bytes(rgb)), expected, atol=1e-5)


def test_a_jpeg_photo_with_a_margin_and_noise_still_reads(sample, judge):
    digit, label = sample[0][13], sample[1][13]
    pad = pad_with(digit, corner=(1, 1))
    photo = np.full((600, 800), 230.0)  # the paper, a bit grey, the digit somewhere in it
    photo[200:480, 300:580] -= 0.8 * pad
    photo += np.random.default_rng(1).normal(0, 6, photo.shape)
    buffer = io.BytesIO()
    Image.fromarray(np.uint8(np.clip(photo, 0, 255))).save(buffer, format="JPEG", quality=85)
    out = prepare_photo(buffer.getvalue())
    assert_prepared(out)
    assert int(classify(judge, out)[0][0]) == label


def test_a_transparent_png_uses_its_alpha(sample):
    pad = pad_with(sample[0][15])
    rgba = np.zeros((PAD, PAD, 4), dtype=np.uint8)
    rgba[..., 3] = pad
    assert torch.allclose(prepare_photo(png_bytes(rgba)), prepare_drawing(pad), atol=1e-5)


def bomb_png(width, height):
    """A valid PNG header claiming width × height pixels, with a tiny (truncated) body."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


@pytest.mark.parametrize("size", [(100_000, 100_000), (20_000, 5_000), (5_000, 5_000)])
def test_a_decompression_bomb_is_refused(size):
    data = bomb_png(*size)
    assert len(data) < 200
    with pytest.raises(DrawingError, match="too many pixels"):
        prepare_photo(data)


@pytest.mark.parametrize("data", [b"", b"not an image at all", b"\x89PNG\r\n\x1a\n" + b"\0" * 50, b"GIF89a" + b"\0" * 40,
                                  b"%PDF-1.4\n", bomb_png(64, 64)[:40], bytes(range(256)) * 4])
def test_files_that_are_not_images_are_refused(data):
    with pytest.raises(DrawingError):
        prepare_photo(data)


def test_a_gif_is_refused_even_when_valid():
    buffer = io.BytesIO()
    Image.new("L", (50, 50)).save(buffer, format="GIF")
    with pytest.raises(DrawingError, match="PNG or JPEG"):
        prepare_photo(buffer.getvalue())


def test_a_huge_file_is_refused_before_reading():
    with pytest.raises(DrawingError, match="too large"):
        prepare_photo(b"\0" * (10 * 1024 * 1024 + 1))


@pytest.mark.parametrize("value", [None, "photo.png", 3, [1, 2], np.zeros(4, np.uint8)])
def test_a_photo_must_be_bytes(value):
    with pytest.raises(DrawingError):
        prepare_photo(value)


def test_a_photo_of_blank_paper_is_empty():
    with pytest.raises(DrawingError, match="empty"):
        prepare_photo(png_bytes(np.full((300, 400), 240, np.uint8)))


# ---------------------------------------------------------------- the pad's payload (ui/components/drawpad)


def data_uri(array):
    return "data:image/png;base64," + base64.b64encode(png_bytes(array)).decode()


def test_a_pad_payload_decodes_to_the_ink(sample):
    pad = pad_with(sample[0][17])
    value = {"kind": "drawing", "png": data_uri(pad), "strokes": 3, "id": "x"}
    decoded = decode_drawing(value)
    assert decoded.dtype == np.uint8 and decoded.shape == (PAD, PAD)
    assert np.array_equal(decoded, pad)
    assert torch.allclose(prepare_drawing(decoded), prepare_drawing(pad))


def test_an_rgba_payload_decodes_to_its_alpha(sample):
    pad = pad_with(sample[0][19])
    rgba = np.zeros((PAD, PAD, 4), dtype=np.uint8)
    rgba[..., 3] = pad
    assert np.array_equal(decode_drawing({"kind": "drawing", "png": data_uri(rgba)}), pad)


def garbage_payloads():
    tiny = base64.b64encode(png_bytes(np.zeros((4, 4), np.uint8))).decode()
    return [
        None, 1, "x", [], {}, {"kind": "drawing"}, {"kind": "drawing", "png": None},
        {"kind": "drawing", "png": 5}, {"kind": "drawing", "png": "data:image/png;base64,"},
        {"kind": "drawing", "png": "data:image/png;base64,!!!!"},
        {"kind": "drawing", "png": "data:image/png;base64," + base64.b64encode(b"hello").decode()},
        {"kind": "drawing", "png": "data:image/jpeg;base64," + tiny},
        {"kind": "drawing", "png": "data:image/png;base64," + base64.b64encode(bomb_png(100_000, 100_000)).decode()},
        {"kind": "drawing", "png": "data:image/png;base64," + "A" * 3_000_000},
        {"kind": "clear"}, {"kind": "example", "index": 0}, {"kind": object()},
    ]


@pytest.mark.parametrize("value", garbage_payloads())
def test_garbage_payloads_decode_to_none(value):
    assert decode_drawing(value) is None


def test_picked_example_reads_only_a_valid_index():
    assert picked_example({"kind": "example", "index": 2}, 4) == 2
    for value in [None, {"kind": "example"}, {"kind": "example", "index": 4}, {"kind": "example", "index": -1},
                  {"kind": "example", "index": "1"}, {"kind": "example", "index": True}, {"kind": "example", "index": 1.5},
                  {"kind": "drawing", "index": 1}, "example"]:
        assert picked_example(value, 4) is None


def test_example_uri_is_a_png_of_the_digit(sample):
    digit = sample[0][0]
    uri = example_uri(torch.from_numpy(digit)[None, None])
    assert uri.startswith("data:image/png;base64,")
    decoded = np.asarray(Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))))
    assert decoded.shape == (28, 28) and np.abs(decoded / 255 - digit).max() < 1 / 255 + 1e-6


def test_read_value_gives_a_drawing_an_example_or_a_clear_at_most_one(sample):
    pad = pad_with(sample[0][21])
    drawn = read_value({"kind": "drawing", "png": data_uri(pad), "strokes": 4, "id": "a"}, 4)
    assert np.array_equal(drawn.drawing, pad) and drawn.example is None and drawn.strokes == 4 and drawn.id == "a"
    assert not drawn.cleared
    picked = read_value({"kind": "example", "index": 3, "id": "b"}, 4)
    assert picked.drawing is None and picked.example == 3 and picked.id == "b" and not picked.cleared
    cleared = read_value({"kind": "clear", "id": "c"}, 4)
    assert cleared.cleared and cleared.drawing is None and cleared.example is None and cleared.id == "c"
    for value in garbage_payloads():
        result = read_value(value, 0)
        assert result.drawing is None and result.example is None
        assert result.cleared == (isinstance(value, dict) and value.get("kind") == "clear")


def test_the_served_module_inlines_the_pure_parts_and_parses(tmp_path):
    source = served_js()
    assert "export default function" in source and "function strokePath" in source and "function el(" in source
    assert not [line for line in source.splitlines() if line.startswith(("import ", "export const", "export function"))]
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    path = tmp_path / "bundle.mjs"
    path.write_text(source)
    check = subprocess.run([node, "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


# --- the drawing in a link (ui.link.pack_drawing / unpack_drawing) ---------------------------

def test_a_drawing_survives_the_link_within_one_grey_level_of_sixteen(test_digits):
    images = test_digits[0]
    for image in images[:50]:
        text = pack_drawing(image)
        assert set(text) <= BASE64URL
        assert np.abs(unpack_drawing(text) - image[0].numpy()).max() <= 0.5 / 15 + 1e-6
    assert np.array_equal(unpack_drawing(pack_drawing(images[7, 0].numpy())), unpack_drawing(pack_drawing(images[7])))


def test_every_test_digit_packs_into_a_few_hundred_characters(test_digits):
    lengths = [len(pack_drawing(image)) for image in test_digits[0]]
    assert max(lengths) <= 300 and np.median(lengths) <= 200


def test_odd_images_pack_without_raising():
    noisy = np.random.default_rng(0).random((28, 28))
    assert np.abs(unpack_drawing(pack_drawing(noisy)) - noisy).max() <= 0.5 / 15 + 1e-6
    with_nan = np.full((28, 28), np.nan)
    with_nan[10:18, 12:15] = 2.0  # out of range: clipped to full ink
    assert unpack_drawing(pack_drawing(with_nan)).max() == 1.0


def deflated(data):
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.urlsafe_b64encode(packer.compress(data) + packer.flush()).decode().rstrip("=")


@pytest.mark.parametrize("text", [
    None, 5, "", "!!!!", "abc=", "ab cd", "ÄÖÜ", "A", "AAAA",
    deflated(b"\x11" * 391), deflated(b"\x11" * 393), deflated(b"\x00" * 392),  # too short, too long, blank
    deflated(b"\x00" * 1_000_000),  # a deflate bomb small enough for a link: stopped after 393 bytes
    deflated(b"\x11" * 392) + "AAAA",  # trailing data after the stream
    base64.urlsafe_b64encode(zlib.compress(b"\x11" * 392)).decode(),  # zlib's header: not raw deflate
])
def test_anything_but_a_packed_drawing_unpacks_to_none(text):
    assert unpack_drawing(text) is None


def test_a_link_with_a_drawing_round_trips_and_a_bad_one_leaves_a_note(test_digits):
    text = pack_drawing(test_digits[0][3])
    state = parse_link({"tab": "draw", "draw": text, "eps": "77"})
    assert (state.draw, state.eps, state.notes) == (text, 77, ())
    assert parse_link(link_params(state)) == state
    bad = parse_link({"draw": text[:-3]})
    assert bad.draw is None and len(bad.notes) == 1 and "`draw=" in bad.notes[0] and "no drawing" in bad.notes[0]


@settings(max_examples=300, deadline=None)
@given(hst.text(max_size=600) | hst.text(alphabet=sorted(BASE64URL), max_size=600))
def test_no_text_makes_unpack_raise(text):
    result = unpack_drawing(text)
    assert result is None or (result.shape == (28, 28) and 0 <= result.min() and result.max() <= 1)


# --- a drawing through both models (model.drawing.through_both) ------------------------------

@pytest.mark.parametrize("dim", [2, 16])
def test_through_both_is_the_models_own_numbers(dim, test_digits):
    from model.lab import load_lab
    from model.latent import prior_samples

    lab = load_lab(dim)
    image = test_digits[0][:1]
    eps = prior_samples(8, dim, 3)
    trace = through_both(lab, image, eps)
    with torch.inference_mode():
        mu, logvar = lab.vae.posterior(image)
        code = lab.ae.encode(image)
    assert np.allclose(trace.mu, mu[0].numpy(), atol=1e-6) and np.allclose(trace.ae_code, code[0].numpy(), atol=1e-6)
    assert np.allclose(trace.sigma, np.exp(0.5 * logvar[0].numpy()), rtol=1e-5)
    assert np.allclose(trace.z, trace.mu + trace.sigma * eps.numpy(), atol=1e-5)
    assert torch.allclose(trace.samples, lab.decode("vae", trace.z), atol=1e-5)
    assert torch.allclose(trace.vae_recon, lab.decode("vae", trace.mu), atol=1e-5)
    assert torch.allclose(trace.ae_recon, lab.decode("ae", trace.ae_code), atol=1e-5)
    assert len(trace.readings) == 3
    for batched, alone in ((trace.readings[0], lab.read(image)), (trace.readings[2], lab.read(trace.vae_recon))):
        assert (batched.label, batched.call) == (alone.label, alone.call)
        assert batched.confidence == pytest.approx(alone.confidence, abs=1e-6)
