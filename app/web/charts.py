"""Charts drawn on the server as SVG (no script, readable without one): bars and a two-line monthly chart.
Every text goes through markupsafe's escaping; sizes are computed, never taken from the request."""

from markupsafe import Markup, escape

BAR_COLOURS = ("#1f5fa8", "#2e8b57")
LINE_COLOURS = ("#1f5fa8", "#c0392b")


def bars(rows: list[tuple[str, int, int]], legend: tuple[str, str], title: str) -> Markup:
    """Horizontal bars: one row per (label, first value, second value), two bars each."""
    width, label_w, row_h = 640, 220, 34
    height = 40 + row_h * max(len(rows), 1)
    top = max((max(a, b) for _, a, b in rows), default=0) or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" class="chart">',
             f"<title>{escape(title)}</title>"]  # fmt: skip
    for i, (name, colour) in enumerate(zip(legend, BAR_COLOURS, strict=True)):
        parts.append(f'<rect x="{label_w + i * 170}" y="6" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{label_w + 18 + i * 170}" y="17" font-size="12">{escape(name)}</text>')
    for n, (label, first, second) in enumerate(rows):
        y = 32 + n * row_h
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" font-size="12" text-anchor="end">{escape(label)}</text>')
        for i, (value, colour) in enumerate(((first, BAR_COLOURS[0]), (second, BAR_COLOURS[1]))):
            length = round((width - label_w - 50) * value / top)
            parts.append(f'<rect x="{label_w}" y="{y + i * 13}" width="{length}" height="11" fill="{colour}"/>')
            parts.append(f'<text x="{label_w + length + 4}" y="{y + 10 + i * 13}" font-size="11">{value}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def lines(points: list[tuple[str, int, int]], legend: tuple[str, str], title: str) -> Markup:
    """Two lines over labelled points (months): e.g. received and answered on time."""
    width, height, left, bottom = 640, 240, 40, 200
    top = max((max(a, b) for _, a, b in points), default=0) or 1
    step = (width - left - 20) / max(len(points) - 1, 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" class="chart">',
             f"<title>{escape(title)}</title>",
             f'<line x1="{left}" y1="{bottom}" x2="{width - 10}" y2="{bottom}" stroke="#999"/>']  # fmt: skip
    for i, (name, colour) in enumerate(zip(legend, LINE_COLOURS, strict=True)):
        parts.append(f'<rect x="{left + i * 200}" y="6" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{left + 18 + i * 200}" y="17" font-size="12">{escape(name)}</text>')
    for series, colour in ((1, LINE_COLOURS[0]), (2, LINE_COLOURS[1])):
        xy = [(left + n * step, bottom - (bottom - 30) * p[series] / top) for n, p in enumerate(points)]
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
        parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for (x, y), p in zip(xy, points, strict=True):
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"><title>{p[series]}</title></circle>')
    for n, (label, _, _) in enumerate(points):
        x = left + n * step
        parts.append(f'<text x="{x:.1f}" y="{bottom + 16}" font-size="11" text-anchor="middle">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
