"""The HTML report's inline SVG chart: how repository scores are distributed."""

from __future__ import annotations

from collections.abc import Sequence

BUCKET_WIDTH = 10
"""Each bar covers this many points; the last bar includes 100."""

_WIDTH, _HEIGHT = 640, 240
_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 12, 20, 40


def score_band(score: float | None) -> str:
    """A CSS class for a score's colour: band-a (90+), b (75+), c (50+), d, or none."""
    if score is None:
        return "band-none"
    if score >= 90:
        return "band-a"
    if score >= 75:
        return "band-b"
    if score >= 50:
        return "band-c"
    return "band-d"


def bucket_counts(scores: Sequence[float]) -> list[int]:
    """How many scores fall in each of the ten buckets 0 to 9, 10 to 19, ..., 90 to 100."""
    counts = [0] * (100 // BUCKET_WIDTH)
    for score in scores:
        index = min(int(max(score, 0.0) // BUCKET_WIDTH), len(counts) - 1)
        counts[index] += 1
    return counts


def distribution_svg(scores: Sequence[float]) -> str:
    """A bar chart of repository scores, as an inline SVG element."""
    counts = bucket_counts(scores)
    peak = max(counts, default=0) or 1
    plot_width = _WIDTH - _LEFT - _RIGHT
    plot_height = _HEIGHT - _TOP - _BOTTOM
    slot = plot_width / len(counts)
    parts = [
        f'<svg class="chart" viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" '
        f'aria-labelledby="chart-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">Repository scores: {len(scores)} repositories in scope, '
        "by bands of ten points</title>",
    ]
    for tick in _ticks(peak):
        y = _TOP + plot_height - plot_height * tick / peak
        parts.append(
            f'<line x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#d1d9e0" stroke-width="1"/>'
            f'<text x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="#59636e">{tick}</text>'
        )
    for index, count in enumerate(counts):
        low = index * BUCKET_WIDTH
        x = _LEFT + index * slot + 4
        height = plot_height * count / peak
        y = _TOP + plot_height - height
        band = score_band(float(low))
        parts.append(
            f'<rect class="bar-{band}" x="{x:.1f}" y="{y:.1f}" width="{slot - 8:.1f}" '
            f'height="{height:.1f}" rx="3">'
            f"<title>{low}\u2013{low + BUCKET_WIDTH - 1 if index < len(counts) - 1 else 100}: "
            f"{count} repositories</title></rect>"
        )
        if count:
            parts.append(
                f'<text x="{x + (slot - 8) / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                f'font-size="12" font-weight="600" fill="#1f2328">{count}</text>'
            )
        parts.append(
            f'<text x="{x + (slot - 8) / 2:.1f}" y="{_TOP + plot_height + 16}" '
            f'text-anchor="middle" font-size="12" fill="#59636e">{low}</text>'
        )
    parts.append(
        f'<text x="{_LEFT + plot_width / 2:.1f}" y="{_HEIGHT - 6}" text-anchor="middle" '
        'font-size="12" fill="#59636e">repository score</text></svg>'
    )
    return "".join(parts)


def _ticks(peak: int) -> list[int]:
    step = max(1, -(-peak // 4))
    return list(range(0, peak + 1, step))
