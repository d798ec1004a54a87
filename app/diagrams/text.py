"""SVG element construction and label text: wrapping by estimated width, one <tspan> per line."""

import unicodedata

from lxml import etree

SVG = "http://www.w3.org/2000/svg"
FONT_SIZE = 12
LABEL_FONT_SIZE = 11
MIN_FONT_SIZE = 9  # names shrink to this before words are cut or an ellipsis is needed
CHAR_WIDTH = 0.57  # average glyph width as a fraction of the font size (no font metrics server-side)
# Rough Arial/DejaVu proportions, so "tiếp nhận" is not measured like "MMMM MMMM"; other characters use CHAR_WIDTH.
INK, PAPER = "#22242a", "#ffffff"  # default line and text colour, default fill
NARROW, WIDE = set("iljtfrI.,;:'!|()[]/-"), set("mwMW")
LINE_HEIGHT = 1.2


def num(value: float) -> str:
    """Compact number text: 12, 12.5, never 12.000000."""
    return f"{value:.2f}".rstrip("0").rstrip(".") if value % 1 else str(int(value))


def el(parent, tag: str, attrs: dict | None = None, text: str | None = None):
    """Append an SVG element; lxml escapes attribute values and text, so names can never become markup."""
    values = {key: num(value) if isinstance(value, int | float) else str(value) for key, value in (attrs or {}).items()}
    if parent is None:
        node = etree.Element(f"{{{SVG}}}{tag}", values, nsmap={None: SVG})
    else:
        node = etree.SubElement(parent, f"{{{SVG}}}{tag}", values)
    if text is not None:
        node.text = text
    return node


def points(coordinates) -> str:
    return " ".join(f"{num(x)},{num(y)}" for x, y in coordinates)


def char_width(ch: str) -> float:
    """Estimated advance of one character, in font sizes; combining marks ride on their base letter."""
    if unicodedata.combining(ch):
        return 0.0
    base = unicodedata.normalize("NFD", ch)[0]
    if base == " ":
        return 0.3
    if base in NARROW:
        return 0.32
    if base in WIDE:
        return 0.88
    if base.isupper():
        return 0.7
    return CHAR_WIDTH


def text_width(text: str, size: float) -> float:
    return sum(map(char_width, text)) * size


def wrap(text: str, width: float, size: float = FONT_SIZE, *, cut: bool = False) -> list[str]:
    """Greedy word wrap to `width` pixels; explicit newlines are kept; a word longer than a line stays whole
    (it overflows) unless `cut` is asked for."""
    width = max(width, size)
    lines = []
    for paragraph in text.replace("\r\n", "\n").split("\n"):
        current = ""
        for word in paragraph.split():
            while cut and text_width(word, size) > width:
                if current:
                    lines.append(current)
                    current = ""
                head, word = _cut(word, width, size)
                lines.append(head)
            candidate = f"{current} {word}" if current else word
            if text_width(candidate, size) <= width or not current:
                current = candidate
            else:
                lines.append(current)
                current = word
        if current:
            lines.append(current)
    return lines


def fits(lines: list[str], width: float, height: float, size: float) -> bool:
    return block_height(lines, size) <= height and all(text_width(line, size) <= width for line in lines)


def fit(text: str, width: float, height: float, size: float = FONT_SIZE) -> tuple[list[str], float, bool]:
    """Lines, font size and whether they fit a width×height box: whole words, the font shrunk a little if need be;
    only when even the smallest size cannot hold the text are long words cut and the last line ends in "…"."""
    for step in range(int(size - MIN_FONT_SIZE) + 1):
        lines = wrap(text, width, size - step)
        if fits(lines, width, height, size - step):
            return lines, size - step, True
    size = MIN_FONT_SIZE
    return limit_lines(wrap(text, width, size, cut=True), height, size), size, False


def _cut(word: str, width: float, size: float) -> tuple[str, str]:
    """Split where `width` is reached (at least one character), keeping combining marks with their letter."""
    used = 0.0
    for index, ch in enumerate(word):
        used += char_width(ch) * size
        if used > width and index and not unicodedata.combining(ch):
            return word[:index], word[index:]
    return word, ""


def limit_lines(lines: list[str], height: float, font_size: float) -> list[str]:
    """Keep what fits in `height`, marking the cut with an ellipsis."""
    fit = max(1, int(height // (font_size * LINE_HEIGHT)))
    if len(lines) <= fit:
        return lines
    return lines[: fit - 1] + [lines[fit - 1].rstrip(" .,") + "…"]


def text_block(parent, lines: list[str], x: float, top: float, *, size=FONT_SIZE, anchor="middle", css="bpmn-text"):
    """Lines starting at `top` (the first line's top edge), each positioned absolutely for every renderer."""
    if not lines:
        return None
    node = el(parent, "text", {"class": css, "font-size": size, "text-anchor": anchor, "fill": INK})
    for index, line in enumerate(lines):
        el(node, "tspan", {"x": x, "y": top + size * 0.9 + index * size * LINE_HEIGHT}, line)
    return node


def block_height(lines: list[str], size: float) -> float:
    return len(lines) * size * LINE_HEIGHT


def centred_text(parent, text: str, cx: float, cy: float, width: float, height: float, size=FONT_SIZE):
    """Text wrapped to `width` and centred on (cx, cy), fitted to `height`."""
    lines, size, _ = fit(text, width, height, size)
    return text_block(parent, lines, cx, cy - block_height(lines, size) / 2, size=size)


def rotated_text(parent, text: str, cx: float, cy: float, length: float, depth: float, size=FONT_SIZE):
    """Text read bottom-to-top (a pool's or lane's name band): wrapped to `length`, centred on (cx, cy)."""
    lines, size, _ = fit(text, length, depth, size)
    node = text_block(parent, lines, cx, cy - block_height(lines, size) / 2, size=size)
    if node is not None:
        node.set("transform", f"rotate(-90 {num(cx)} {num(cy)})")
    return node
