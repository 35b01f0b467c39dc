"""Small charts as PNG bytes, drawn with matplotlib's non-interactive Agg backend.

Charts are sized for an A4 column and use a colour-blind-safe palette; the
target of a measure is a dashed line so it reads in black-and-white print too.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from bot.document import Chart  # noqa: E402

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


def chart_png(chart: Chart, *, width: float = 6.0, height: float = 2.6) -> bytes:
    """Draw ``chart`` and return the PNG."""
    fig, ax = plt.subplots(figsize=(width, height), dpi=110)
    try:
        labels = _labels(chart)
        if chart.kind == "bar":
            _bars(ax, chart, labels)
        else:
            _lines(ax, chart, labels)
        if chart.target is not None:
            ax.axhline(chart.target, color="#555555", linestyle="--", linewidth=1, label="target")
        ax.set_title(chart.title, fontsize=10, loc="left")
        ax.set_ylabel(chart.y_label, fontsize=8)
        ax.tick_params(labelsize=7)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        if len(chart.series) > 1 or chart.target is not None:
            # Beside the plot, never over a bar or a line.
            ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png")
        return out.getvalue()
    finally:
        plt.close(fig)


def _labels(chart: Chart) -> list[str]:
    seen: dict[str, None] = {}
    for series in chart.series:
        for label, _ in series.points:
            seen.setdefault(label, None)
    return list(seen)


def _bars(ax: plt.Axes, chart: Chart, labels: list[str]) -> None:
    count = max(len(chart.series), 1)
    width = 0.8 / count
    for i, series in enumerate(chart.series):
        values = dict(series.points)
        xs = [x + i * width - 0.4 + width / 2 for x in range(len(labels))]
        ax.bar(xs, [values.get(label, 0) for label in labels], width, label=series.name,
               color=PALETTE[i % len(PALETTE)])
    crowded = len(labels) > 6 or sum(len(label) for label in labels) > 60  # long names would run together
    ax.set_xticks(range(len(labels)), labels, rotation=20 if crowded else 0, ha="right" if crowded else "center")


def _lines(ax: plt.Axes, chart: Chart, labels: list[str]) -> None:
    index = {label: i for i, label in enumerate(labels)}
    for i, series in enumerate(chart.series):
        xs = [index[label] for label, _ in series.points]
        ax.plot(xs, [value for _, value in series.points], marker="o", markersize=3, label=series.name,
                color=PALETTE[i % len(PALETTE)])
    ax.set_xticks(range(len(labels)), labels)
