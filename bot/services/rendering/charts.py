"""Charts as PNG bytes, drawn with matplotlib without a display.

Drawn for a small old phone (docs/style.md): amounts in triệu with the reader's decimal
separator, each bar's value written on it, big text, and colours that differ in
lightness as well as hue (Okabe–Ito blue and orange), so they part in grey and for a
colour-blind reader alike.
"""

from __future__ import annotations

import io
from collections.abc import Callable

MILLION = 1_000_000
# Dark blue, light orange, then a mid green and a pale yellow for more series.
COLOURS = ("#0b5394", "#f6a623", "#3d8b5a", "#f2e34c")
EDGES = ("#062a4d", "#9a5f00", "#1f4d31", "#8a7d10")
TEXT_SIZE = 13
TITLE_SIZE = 15


def _value(millions: float, number: Callable[[float], str]) -> str:
    """A bar's value: "12,5", "0,23"; nothing on an empty bar."""
    if not millions:
        return ""
    return number(round(millions, 1 if millions >= 1 else 2))


def bar_chart(
    title: str,
    labels: list[str],
    series: dict[str, list[int]],
    *,
    unit: str,
    number: Callable[[float], str] = str,
) -> bytes:
    """Grouped bars (one group per label, one bar per series) of sums in đồng, drawn in
    millions; ``unit`` names the axis ("triệu đồng") and ``number`` writes a value the
    reader's way ("2,5")."""
    # Imported on first use: matplotlib costs the bot ~40 MB it needs only for charts.
    import matplotlib

    matplotlib.use("Agg")  # no display on a server
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    figure, axes = plt.subplots(figsize=(6.4, 4.4), dpi=120)
    try:
        count = max(1, len(series))
        width = 0.8 / count
        for index, (name, values) in enumerate(series.items()):
            positions = [i + index * width - 0.4 + width / 2 for i in range(len(labels))]
            millions = [value / MILLION for value in values]
            bars = axes.bar(
                positions,
                millions,
                width,
                label=name,
                color=COLOURS[index % len(COLOURS)],
                edgecolor=EDGES[index % len(EDGES)],
                linewidth=1,
            )
            axes.bar_label(
                bars,
                labels=[_value(value, number) for value in millions],
                padding=2,
                fontsize=TEXT_SIZE - 2,
            )
        axes.set_xticks(range(len(labels)), labels, fontsize=TEXT_SIZE)
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: number(round(value, 2))))
        axes.tick_params(axis="y", labelsize=TEXT_SIZE - 2)
        axes.set_title(title, fontsize=TITLE_SIZE)
        axes.set_ylabel(unit, fontsize=TEXT_SIZE - 1)
        axes.margins(y=0.15)  # room for the values above the tallest bar
        axes.grid(axis="y", alpha=0.3)
        axes.spines[["top", "right"]].set_visible(False)
        if len(series) > 1:
            axes.legend(fontsize=TEXT_SIZE - 1, frameon=False)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(figure)
