"""Bar charts drawn on the server as SVG: readable without JavaScript, and
each chart comes with its figures in a table for screen readers (the SVG
itself is aria-hidden)."""

from markupsafe import Markup, escape

BAR_HEIGHT = 22
LABEL_WIDTH = 260
CHART_WIDTH = 640


def horizontal_bars(items, colour="#1f5f7a"):
    """items: [(label, value)]. One bar per item, the value written after it."""
    items = list(items)
    top = max([value for _label, value in items] + [1])
    height = BAR_HEIGHT * len(items) + 4
    span = CHART_WIDTH - LABEL_WIDTH - 60
    parts = [
        f'<svg class="chart" role="img" aria-hidden="true" focusable="false" width="{CHART_WIDTH}" '
        f'height="{height}" viewBox="0 0 {CHART_WIDTH} {height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for row, (label, value) in enumerate(items):
        y = row * BAR_HEIGHT + 2
        width = round(span * value / top) if value else 0
        short = label if len(label) <= 42 else label[:40] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end" font-size="12">{escape(short)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{width}" height="{BAR_HEIGHT - 6}" fill="{colour}"/>'
            f'<text x="{LABEL_WIDTH + width + 4}" y="{y + 15}" font-size="12">{value}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def columns(items, colour="#1f5f7a", height=140):
    """items: [(label, value)] in time order, e.g. one column per day."""
    items = list(items)
    top = max([value for _label, value in items] + [1])
    width = max(1, (CHART_WIDTH - 40) // max(1, len(items)))
    parts = [
        f'<svg class="chart" role="img" aria-hidden="true" focusable="false" width="{CHART_WIDTH}" '
        f'height="{height + 20}" viewBox="0 0 {CHART_WIDTH} {height + 20}" xmlns="http://www.w3.org/2000/svg">',
        f'<text x="0" y="12" font-size="11">{top}</text>',
    ]
    for index, (label, value) in enumerate(items):
        bar = round((height - 20) * value / top) if value else 0
        parts.append(
            f'<rect x="{30 + index * width}" y="{height - bar}" width="{max(1, width - 1)}" '
            f'height="{bar}" fill="{colour}"><title>{escape(label)} : {value}</title></rect>'
        )
    if items:
        parts.append(
            f'<text x="30" y="{height + 16}" font-size="11">{escape(items[0][0])}</text>'
            f'<text x="{CHART_WIDTH - 4}" y="{height + 16}" font-size="11" text-anchor="end">'
            f"{escape(items[-1][0])}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
