"""Dashboard figures drawn on the server as inline SVG (no script, no CDN): the trend of
high-risk companies over time and a tile-grid map of China's provinces.

The map is a tile grid, not a geographic map: one equal square per province placed
roughly where it lies, so small provinces (上海, 天津) are as readable as large ones and
no boundary data has to be shipped or trusted. Every text goes through ``escape``.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup, escape

from indexing.store.base import Store
from smoke import labels
from smoke.service.threshold import high_risk

TREND_POINTS = 60  # most recent score dates drawn
_TREND_STATE = "web.dashboard.high_risk_trend"
_BATCH = 500

# (column, row) of each province's tile, by the 2-digit region code.
TILES: dict[str, tuple[int, int]] = {
    "23": (8, 0),
    "15": (5, 1), "11": (6, 1), "21": (7, 1), "22": (8, 1),
    "65": (1, 2), "62": (3, 2), "64": (4, 2), "14": (5, 2), "13": (6, 2), "12": (7, 2),
    "54": (1, 3), "63": (2, 3), "61": (4, 3), "41": (5, 3), "37": (6, 3),
    "51": (3, 4), "50": (4, 4), "42": (5, 4), "34": (6, 4), "32": (7, 4),
    "53": (3, 5), "52": (4, 5), "43": (5, 5), "36": (6, 5), "33": (7, 5), "31": (8, 5),
    "45": (4, 6), "44": (5, 6), "35": (6, 6), "71": (7, 6),
    "46": (4, 7), "82": (5, 7), "81": (6, 7),
}  # fmt: skip
_TILE, _GAP = 42, 4
# From no high-risk company (grey) to many (deep red): five steps of the red band.
MAP_STEPS = ("#eef1f5", "#fbe0d6", "#f5b39e", "#ec8063", "#d94d37", "#a8281d")


def _step(count: int, top: int) -> int:
    if count <= 0 or top <= 0:
        return 0
    return min(5, 1 + (count * 5 - 1) // top)


def province_map(counts: dict[str, int], link: str = "/high-risk?region=") -> Markup:
    """An SVG tile map: each province coloured by its count, linked to its list."""
    top = max(counts.values(), default=0)
    cols = max(c for c, _ in TILES.values()) + 1
    rows = max(r for _, r in TILES.values()) + 1
    w, h = cols * (_TILE + _GAP), rows * (_TILE + _GAP)
    names = labels.provinces()
    out = [f'<svg class="svgchart tilemap" viewBox="0 0 {w} {h}" role="img" '
           f'aria-label="各省高风险企业数（方格地图）" xmlns="http://www.w3.org/2000/svg">']
    for code, (c, r) in TILES.items():
        n = int(counts.get(code, 0))
        x, y = c * (_TILE + _GAP), r * (_TILE + _GAP)
        step = _step(n, top)
        ink = "light" if step >= 4 else "dark"  # CSS colours the text (it outranks fill="...")
        name = escape(names.get(code, code))
        out.append(
            f'<a href="{escape(link + code)}"><title>{name}：高风险 {n} 家</title>'
            f'<rect x="{x}" y="{y}" width="{_TILE}" height="{_TILE}" rx="4" fill="{MAP_STEPS[step]}" data-count="{n}" '
            f'data-region="{code}"/>'
            f'<text class="{ink}" x="{x + _TILE / 2}" y="{y + 17}" text-anchor="middle">{name}</text>'
            f'<text class="n {ink}" x="{x + _TILE / 2}" y="{y + 32}" text-anchor="middle">{n}</text></a>'
        )
    out.append("</svg>")
    return Markup("".join(out))


def map_legend(counts: dict[str, int]) -> Markup:
    """The colour steps under the map, each with its range of counts (SVG swatches: the
    content security policy forbids inline styles)."""
    top = max(counts.values(), default=0)
    steps = [(MAP_STEPS[0], "0")]
    for step in range(1, 6):
        lo = (step - 1) * top // 5 + 1
        hi = step * top // 5
        if top > 0 and hi >= lo:
            steps.append((MAP_STEPS[step], str(lo) if lo == hi else f"{lo}-{hi}"))
    return Markup("".join(
        f'<span><svg width="16" height="10" aria-hidden="true"><rect width="16" height="10" rx="2" fill="{colour}"/></svg> '
        f"{escape(text)}</span>" for colour, text in steps))


# --- the trend ---------------------------------------------------------------------


def _high_on_dates(history: list[tuple[str, float, str]], dates: list[str]) -> Iterable[int]:
    """For each date (ascending), 1 if the company's newest score on or before it is high."""
    i, current = 0, None
    for d in dates:
        while i < len(history) and history[i][0][:10] <= d:
            current = history[i][1]
            i += 1
        yield 1 if current is not None and current >= high_risk() else 0


def compute_trend(store: Store, max_points: int = TREND_POINTS) -> list[dict[str, Any]]:
    """[{date, count}] of companies whose newest score on that date was high risk, over the
    last ``max_points`` dates on which any score was made. One pass over every company's
    history, in batches; companies never at or above the line are skipped cheaply."""
    codes = [c.credit_code for c in store.iter_companies()]
    histories: dict[str, list[tuple[str, float, str]]] = {}
    all_dates: set[str] = set()
    for i in range(0, len(codes), _BATCH):
        for code, hist in store.score_histories(codes[i:i + _BATCH]).items():
            if not hist:
                continue
            all_dates.update(h[0][:10] for h in hist)
            if max(h[1] for h in hist) >= high_risk():
                histories[code] = sorted(hist, key=lambda h: h[0])
    dates = sorted(all_dates)[-max_points:]
    totals = [0] * len(dates)
    for hist in histories.values():
        for j, high in enumerate(_high_on_dates(hist, dates)):
            totals[j] += high
    return [{"date": d, "count": n} for d, n in zip(dates, totals, strict=True)]


def high_risk_trend(store: Store) -> list[dict[str, Any]]:
    """The trend, cached in the store's state until scores are added or a run is recorded
    (the computation reads every history; the dashboard is opened far more often)."""
    runs = store.list_runs(limit=1)
    key = f"{store.count_records('scores')}:{runs[0].id if runs else ''}:{runs[0].finished if runs else ''}"
    cached = store.get_state(_TREND_STATE)
    if cached:
        try:
            data = json.loads(cached)
            if data.get("key") == key:
                return list(data["points"])
        except (ValueError, KeyError, TypeError):
            pass  # a damaged cache is recomputed
    points = compute_trend(store)
    # a store opened read-only still shows the trend, uncached
    with contextlib.suppress(Exception):
        store.set_state(_TREND_STATE, json.dumps({"key": key, "points": points}, ensure_ascii=False))
    return points


def trend_svg(points: list[dict[str, Any]]) -> Markup:
    """A line of high-risk counts per score date, with the first, middle and last dates."""
    w, h, left, right, top, bottom = 440, 170, 34, 14, 12, 26  # narrow: text stays legible at 390 px
    out = [f'<svg class="svgchart trend" viewBox="0 0 {w} {h}" role="img" aria-label="高风险企业数趋势" '
           'xmlns="http://www.w3.org/2000/svg">']
    if not points:
        out.append(f'<text x="{w / 2}" y="{h / 2}" text-anchor="middle" class="empty">暂无评分历史</text></svg>')
        return Markup("".join(out))
    peak = max(max(p["count"] for p in points), 1)
    span = max(len(points) - 1, 1)
    pw, ph = w - left - right, h - top - bottom

    def xy(i: int, n: int) -> tuple[float, float]:
        x = left + (pw * i / span if len(points) > 1 else pw / 2)
        return round(x, 1), round(top + ph - ph * n / peak, 1)

    for frac in (0, 0.5, 1):
        y = round(top + ph - ph * frac, 1)
        out.append(f'<line class="grid" x1="{left}" y1="{y}" x2="{w - right}" y2="{y}"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4}" text-anchor="end">{round(peak * frac)}</text>')
    coords = [xy(i, int(p["count"])) for i, p in enumerate(points)]
    line = " ".join(f"{x},{y}" for x, y in coords)
    base = top + ph
    out.append(f'<polygon class="area" points="{coords[0][0]},{base} {line} {coords[-1][0]},{base}"/>')
    out.append(f'<polyline class="line" points="{line}"/>')
    for (x, y), p in zip(coords, points, strict=True):
        out.append(f'<circle class="dot" cx="{x}" cy="{y}" r="3"><title>{escape(p["date"])}：{int(p["count"])} 家</title></circle>')
    # every date when few, else the first, middle and last
    shown = range(len(points)) if len(points) <= 8 else sorted({0, len(points) // 2, len(points) - 1})
    for i in shown:
        anchor = "start" if i == 0 else "end" if i == len(points) - 1 else "middle"
        out.append(f'<text x="{coords[i][0]}" y="{h - 8}" text-anchor="{anchor}">{escape(points[i]["date"][5:])}</text>')
    out.append("</svg>")
    return Markup("".join(out))
