"""Charts as PNG bytes, drawn with matplotlib without a display."""

from __future__ import annotations

import io


def bar_chart(
    title: str, labels: list[str], series: dict[str, list[int]], *, unit: str = "nghìn đồng"
) -> bytes:
    """Grouped bars (one group per label, one bar per series), values in thousands."""
    # Imported on first use: matplotlib costs the bot ~40 MB it needs only for charts.
    import matplotlib

    matplotlib.use("Agg")  # no display on a server
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(6.4, 3.6), dpi=100)
    try:
        count = max(1, len(series))
        width = 0.8 / count
        colours = ("#2e7d32", "#c62828", "#1565c0", "#f9a825")
        for index, (name, values) in enumerate(series.items()):
            positions = [i + index * width - 0.4 + width / 2 for i in range(len(labels))]
            axes.bar(
                positions,
                [v / 1000 for v in values],
                width,
                label=name,
                color=colours[index % len(colours)],
            )
        axes.set_xticks(range(len(labels)), labels, fontsize=8)
        axes.set_title(title, fontsize=11)
        axes.set_ylabel(unit, fontsize=8)
        axes.grid(axis="y", alpha=0.3)
        if len(series) > 1:
            axes.legend(fontsize=8)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(figure)
