"""The end-of-campaign review: a chart of the weekly numbers, and what to read given how it went.

Words stay out of the image (its fonts may lack Bengali, Thai or Urdu glyphs): each metric is a panel
titled 1, 2, 3… and the message beside it, in the user's language, says which is which.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.stats_chart import COLORS, png_bytes

# What to read next, by how the campaign went (first found in the library wins, three at most).
STRUGGLED_TO_POST = ("mg-rhythm", "gs-first-month", "gs-team")  # fewer than half the posting days done
NUMBERS_FELL = ("cc-formats", "cc-storytelling", "im-platform-insights")  # reach or engagement went down
WENT_WELL = ("im-reporting", "cc-boosting", "gs-influencers")  # posted and grew: report it, then go further
NO_NUMBERS = ("im-metrics", "im-baseline", "im-platform-insights")  # nothing to compare: start measuring
HEADLINE_METRICS = ("reach", "engagement", "shares", "followers")


def chart_png(numbers: Mapping[str, Mapping[int, float]], metrics: Sequence[str], weeks: int) -> bytes:
    """One small panel per metric, each on its own scale (reach in thousands and shares in tens both
    show their change), titled by its position in the message; gaps where a week has no number."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    shown = [metric for metric in metrics if numbers.get(metric)] or list(metrics[:1])
    columns = 1 if len(shown) == 1 else 2
    panel_rows = (len(shown) + columns - 1) // columns
    figure, grid = plt.subplots(panel_rows, columns, figsize=(3.4 * columns, 2.3 * panel_rows), dpi=110, squeeze=False)
    try:
        for index, axes in enumerate(grid.flat):
            if index >= len(shown):
                axes.set_visible(False)
                continue
            by_week = numbers.get(shown[index], {})
            xs = [week for week in range(1, weeks + 1) if week in by_week]
            axes.plot(xs, [by_week[week] for week in xs], marker="o", color=COLORS[index % len(COLORS)])
            axes.set_title(str(index + 1), loc="left", fontsize=11, fontweight="bold")
            axes.set_xticks(range(1, weeks + 1))
            axes.set_xlim(0.5, weeks + 0.5)
            axes.set_ylim(bottom=0)
            axes.spines[["top", "right"]].set_visible(False)
        return png_bytes(figure)
    finally:
        plt.close(figure)


def articles_to_read(done: int, total: int, numbers: Mapping[str, Mapping[int, float]], available: set[str]) -> list[str]:
    """Three library articles for how it went: posting rhythm when posting stalled, content when the
    numbers fell, measuring when there were none, reporting and growing when it went well."""
    if total and done * 2 < total:
        wanted = STRUGGLED_TO_POST
    elif not any(numbers.values()):
        wanted = NO_NUMBERS
    elif any(_fell(numbers.get(metric, {})) for metric in HEADLINE_METRICS):
        wanted = NUMBERS_FELL
    else:
        wanted = WENT_WELL
    return [article for article in wanted if article in available][:3]


def _fell(by_week: Mapping[int, float]) -> bool:
    """The last number is below the first (two weeks or more recorded)."""
    if len(by_week) < 2:
        return False
    weeks = sorted(by_week)
    return by_week[weeks[-1]] < by_week[weeks[0]]
