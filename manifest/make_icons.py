"""Draws the Teams app icons: color.png (192x192) and outline.png (32x32, white on transparent).

Run from the project root after changing the design: .venv/bin/python manifest/make_icons.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent / "teams"
ACCENT = (46, 107, 94, 255)  # the manifest's accentColor #2E6B5E
WHITE = (255, 255, 255, 255)
SCALE = 8  # draw large, then shrink: smooth edges


def glyph(draw: ImageDraw.ImageDraw, size: int, inset: float, width: float) -> None:
    """A board (clipboard) with a tick: actions agreed and done."""
    s = size * SCALE
    box = [s * inset, s * (inset + 0.06), s * (1 - inset), s * (1 - inset + 0.02)]
    draw.rounded_rectangle(box, radius=s * 0.08, outline=WHITE, width=round(s * width))
    clip = [s * 0.38, s * (inset - 0.02), s * 0.62, s * (inset + 0.12)]
    draw.rounded_rectangle(clip, radius=s * 0.03, fill=WHITE)
    tick = [(s * 0.34, s * 0.55), (s * 0.46, s * 0.67), (s * 0.68, s * 0.42)]
    draw.line(tick, fill=WHITE, width=round(s * width * 1.2), joint="curve")


def icon(size: int, background: tuple | None, inset: float, width: float) -> Image.Image:
    image = Image.new("RGBA", (size * SCALE, size * SCALE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if background:
        draw.rounded_rectangle([0, 0, size * SCALE - 1, size * SCALE - 1], radius=size * SCALE * 0.18,
                               fill=background)
    glyph(draw, size, inset, width)
    return image.resize((size, size), Image.LANCZOS)


if __name__ == "__main__":
    icon(192, ACCENT, 0.22, 0.05).save(HERE / "color.png")
    icon(32, None, 0.12, 0.09).save(HERE / "outline.png")
    print(f"wrote {HERE / 'color.png'} and {HERE / 'outline.png'}")
