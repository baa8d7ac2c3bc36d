"""Charts drawn on the server as SVG: readable on a phone, in print and without JavaScript.

Each chart pictures a table that the page shows beside it, so screen readers read the
table and the chart is one image with a name.
"""

from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 360  # user units: a phone's width, scaled evenly on larger screens
LABELS = 130
BAR_HEIGHT = 18
GAP = 10
COLOURS = ("#0b5c6b", "#8a4b00")  # both 4.5:1 or better on white


@dataclass
class Series:
    name: str
    values: list[int | None]  # None: too small to show, drawn as nothing


def bar_chart(title: str, labels: list[str], series: list[Series]) -> Markup:
    """Horizontal bars, a group per label, scaled to the largest value, with a legend when
    there is more than one series."""
    largest = max((value for each in series for value in each.values if value), default=1)
    room = WIDTH - LABELS - 40
    group = len(series) * BAR_HEIGHT + GAP
    legend = 22 if len(series) > 1 else 0
    height = len(labels) * group + legend
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for row, label in enumerate(labels):
        top = row * group
        parts.append(
            f'<text x="0" y="{top + BAR_HEIGHT - 4}" font-size="12">{escape(_fit(label))}</text>'
        )
        for index, each in enumerate(series):
            value = each.values[row]
            if not value:
                continue
            width = room * value / largest
            y = top + index * BAR_HEIGHT
            parts.append(
                f'<rect x="{LABELS}" y="{y + 2}" width="{width:.1f}" height="{BAR_HEIGHT - 4}" '
                f'fill="{COLOURS[index % 2]}"/>'
                f'<text x="{LABELS + width + 3:.1f}" y="{y + BAR_HEIGHT - 5}" font-size="11">'
                f"{value}</text>"
            )
    for index, each in enumerate(series if legend else []):
        x = LABELS + index * 110
        parts.append(
            f'<rect x="{x}" y="{height - 16}" width="10" height="10" fill="{COLOURS[index % 2]}"/>'
            f'<text x="{x + 14}" y="{height - 7}" font-size="11">{escape(each.name)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it went through escape()


def _fit(label: str, length: int = 20) -> str:
    return label if len(label) <= length else label[: length - 1] + "…"
