"""The /stats picture: questions per day, stacked by language, and active users as a line (a PNG).

Words stay out of the image (its fonts may lack Bengali, Thai or Urdu glyphs): days, numbers and
language codes only; the text beside it, in the admin's language, says what it shows.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from bot.storage.stats import Summary

COLORS = ("#0b6e4f", "#d1495b", "#edae49", "#00798c", "#30638e", "#8d6a9f", "#6c757d")


def chart_png(summary: Summary, today: date, languages: list[str]) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    days = [summary.since + timedelta(days=offset) for offset in range((today - summary.since).days + 1)]
    figure, axes = plt.subplots(figsize=(7.2, 3.6), dpi=110)
    try:
        bottom = [0] * len(days)
        for index, language in enumerate(languages):
            counts = [summary.questions_by_day.get(day, {}).get(language, 0) for day in days]
            if any(counts):
                axes.bar(days, counts, bottom=bottom, label=language, color=COLORS[index % len(COLORS)], width=0.8)
                bottom = [low + count for low, count in zip(bottom, counts, strict=True)]
        users = [summary.users_by_day.get(day, 0) for day in days]
        axes.plot(days, users, color="#222222", linewidth=1.5, marker="o", markersize=2.5, label="users")
        axes.set_title(f"{days[0].isoformat()} – {days[-1].isoformat()}")
        axes.legend(loc="upper left", fontsize=8, ncol=4, frameon=False)
        axes.spines[["top", "right"]].set_visible(False)
        figure.autofmt_xdate()
        return png_bytes(figure)
    finally:
        plt.close(figure)


def png_bytes(figure: Any) -> bytes:
    """The finished figure as PNG bytes, laid out to fit."""
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
