"""Figures for slides: PNGs at twice their size on the page, each with its caption written under it.

Pure (numpy and PIL): the tabs hand in the pixels and words they show, and their download buttons
call these only when clicked (ui.downloads), so no script run pays for a figure nobody asked for.
"""

import functools
import io

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ui.charts import PALETTE, Frame, nice_ticks, scatter_raster, tick_label

SCALE = 2  # a figure's pictures: twice their on-screen pixels
TEXT_PX = 14 * SCALE  # the page's caption type (about 14 px), doubled: readable on a projected slide
PAD = 8 * SCALE  # around text, between panels
PAPER, INK = (255, 255, 255), (34, 34, 34)
# A font with σ, ×, — and μ where the system has one (Debian/Ubuntu, macOS, Windows); else Pillow's own,
# which lacks them, so the text is spelled in plain letters for it.
FONT_FILES = ("DejaVuSans.ttf", "Arial Unicode.ttf", "arial.ttf")
PLAIN_LETTERS = str.maketrans({"—": "-", "–": "-", "σ": "s", "×": "x", "·": "-", "μ": "mu", "ε": "e",
                               "≈": "~", "₁": "1", "₂": "2", "✕": "x", "’": "'", "…": "..."})
MAP_TICK_PX = 11 * SCALE  # the map's axis numbers
MAP_MARGIN = {"l": 5 * MAP_TICK_PX // 2 + PAD, "b": MAP_TICK_PX + PAD, "t": PAD, "r": PAD}
MARKER_COLOUR, HALO = (17, 17, 17), (255, 255, 255)


@functools.lru_cache(maxsize=8)
def font(px):
    """(a font at px pixels, whether it is the fallback without σ, × and —)."""
    for name in FONT_FILES:
        try:
            return ImageFont.truetype(name, px), False
        except OSError:
            continue
    return ImageFont.load_default(size=px), True


def wrap(text, face, width):
    """text as lines no wider than width pixels (a word longer than that gets a line of its own)."""
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            trial = f"{line} {word}".strip()
            if line and face.getlength(trial) > width:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return lines


def text_block(text, width, px=TEXT_PX, colour=INK):
    """text wrapped into a white band `width` pixels wide."""
    face, plain = font(px)
    if plain:
        text = text.translate(PLAIN_LETTERS)
    lines = wrap(text, face, width - 2 * PAD)
    line_h = round(px * 1.3)
    band = Image.new("RGB", (width, len(lines) * line_h + 2 * PAD), PAPER)
    draw = ImageDraw.Draw(band)
    for i, line in enumerate(lines):
        draw.text((PAD, PAD + i * line_h), line, fill=colour, font=face)
    return band


def column(parts, gap=0):
    """Images one under another, left-aligned, on white."""
    width = max(part.width for part in parts)
    sheet = Image.new("RGB", (width, sum(part.height for part in parts) + gap * (len(parts) - 1)), PAPER)
    y = 0
    for part in parts:
        sheet.paste(part, (0, y))
        y += part.height + gap
    return sheet


def row(parts, gap=PAD):
    """Images side by side, top-aligned, on white."""
    height = max(part.height for part in parts)
    sheet = Image.new("RGB", (sum(part.width for part in parts) + gap * (len(parts) - 1), height), PAPER)
    x = 0
    for part in parts:
        sheet.paste(part, (x, 0))
        x += part.width + gap
    return sheet


def picture(pixels, scale):
    """uint8 grey [H, W] -> RGB image enlarged `scale` times, nearest neighbour (crisp, as on the page)."""
    pixels = np.asarray(pixels, dtype=np.uint8)
    return Image.fromarray(pixels.repeat(scale, axis=0).repeat(scale, axis=1)).convert("RGB")


def captioned(image, caption):
    """image over a band with its caption: the finished figure as PNG bytes."""
    figure = column([image, text_block(caption, image.width)])
    buffer = io.BytesIO()
    figure.save(buffer, format="PNG")
    return buffer.getvalue()


def digit_figure(pixels, shown_scale, caption):
    """One decoded image (uint8 [28, 28]) shown at shown_scale on the page."""
    return captioned(picture(pixels, SCALE * shown_scale), caption)


def panels_figure(panels, caption):
    """Panels side by side, each (title, uint8 sheet, its on-screen scale, the words written under it)."""
    parts = []
    for title, sheet, shown_scale, words in panels:
        image = picture(sheet, SCALE * shown_scale)
        parts.append(column([text_block(title, image.width, colour=(0, 0, 0)), image, text_block(words, image.width)]))
    return captioned(row(parts), caption)


def rows_figure(rows, caption):
    """Rows one under another, each (its label, uint8 sheet, its on-screen scale)."""
    parts = []
    for label, sheet, shown_scale in rows:
        image = picture(sheet, SCALE * shown_scale)
        parts += [text_block(label, image.width), image]
    return captioned(column(parts), caption)


def grid_figure(pixels, shown_width, caption):
    """A picture shown shown_width pixels wide on the page (the manifold grid), at twice that."""
    image = Image.fromarray(np.asarray(pixels, dtype=np.uint8)).convert("RGB")
    width = SCALE * shown_width
    return captioned(image.resize((width, round(image.height * width / image.width)), Image.NEAREST), caption)


def hex_rgb(colour):
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def map_picture(points, labels, ranges, marker, prior, shown_px, classes):
    """The codes as dots of their class's colour on a square shown_px high on the page, at twice that:
    axis numbers, the prior's circles (prior: (centre, radii)), a cross at marker, a legend of classes."""
    frame = Frame.around(ranges, size=SCALE * shown_px)
    indices = scatter_raster(points, labels, frame, radius=SCALE)
    colours = np.array([PAPER] + [hex_rgb(c) for c in PALETTE], dtype=np.uint8)
    plot = Image.fromarray(colours[indices])
    draw = ImageDraw.Draw(plot)
    (cx, cy), = frame.pixels([prior[0]])
    for i, radius in enumerate(prior[1]):
        r = radius * frame.size / frame.span
        if i == 0:
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=INK, width=SCALE * 2)
        else:  # the outer circle dashed, as on the page
            for start in range(0, 360, 8):
                draw.arc((cx - r, cy - r, cx + r, cy + r), start, start + 5, fill=INK, width=SCALE * 2)
    (mx, my), = frame.pixels([marker])
    half = 7 * SCALE
    for colour, width in ((HALO, 5 * SCALE), (MARKER_COLOUR, 2 * SCALE)):
        draw.line((mx - half, my - half, mx + half, my + half), fill=colour, width=width)
        draw.line((mx - half, my + half, mx + half, my - half), fill=colour, width=width)
    draw.rectangle((0, 0, frame.size - 1, frame.size - 1), outline=(153, 153, 153), width=SCALE)
    m = MAP_MARGIN
    framed = Image.new("RGB", (m["l"] + frame.size + m["r"], m["t"] + frame.size + m["b"]), PAPER)
    framed.paste(plot, (m["l"], m["t"]))
    axes = ImageDraw.Draw(framed)
    face, _ = font(MAP_TICK_PX)
    for value in nice_ticks(frame.x0, frame.x0 + frame.span):
        x = m["l"] + frame.pixels([[value, frame.y0]])[0, 0]
        axes.text((x, m["t"] + frame.size + PAD // 2), tick_label(value), fill=INK, font=face, anchor="mt")
    for value in nice_ticks(frame.y0, frame.y0 + frame.span):
        y = m["t"] + frame.pixels([[frame.x0, value]])[0, 1]
        axes.text((m["l"] - PAD // 2, y), tick_label(value), fill=INK, font=face, anchor="rm")
    return column([framed, legend(classes, framed.width)])


def legend(classes, width):
    """Each class's colour and name, in rows as wide as the map."""
    face, _ = font(TEXT_PX)
    dot, gap = TEXT_PX // 2, 2 * PAD
    entries = [(PALETTE[i], str(name), dot * 2 + PAD // 2 + face.getlength(str(name)))
               for i, name in enumerate(classes)]
    lines, line, used = [], [], PAD
    for entry in entries:
        if line and used + entry[2] > width - PAD:
            lines.append(line)
            line, used = [], PAD
        line.append(entry)
        used += entry[2] + gap
    lines.append(line)
    line_h = round(TEXT_PX * 1.4)
    band = Image.new("RGB", (width, len(lines) * line_h + PAD), PAPER)
    draw = ImageDraw.Draw(band)
    for i, entries_in_line in enumerate(lines):
        x, y = PAD, PAD // 2 + i * line_h + line_h // 2
        for colour, name, size in entries_in_line:
            draw.ellipse((x, y - dot, x + 2 * dot, y + dot), fill=hex_rgb(colour))
            draw.text((x + 2 * dot + PAD // 2, y), name, fill=INK, font=face, anchor="lm")
            x += size + gap
    return band


def map_figure(points, labels, ranges, marker, prior, shown_px, classes, caption):
    """The map with the current point (map_picture's arguments) and its caption."""
    return captioned(map_picture(points, labels, ranges, marker, prior, shown_px, classes), caption)
