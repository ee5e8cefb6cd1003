"""SVG charts of an evaluation, for people who would rather look than read.

Plain SVG strings (no plotting library, nothing fetched): they open in any browser and
embed in Markdown. Deterministic: the same inputs give the same file. The colour bands
behind the dots, their colours and the high-risk line come from the model and the labels
(config/model.yaml ``bands``, config/labels.yaml ``levels``, through smoke.labels), as on
the web.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from indexing.models import high_levels, high_risk
from smoke.labels import level_bands, level_colour

_FONT = 'font-family="Noto Sans CJK SC, Microsoft YaHei, sans-serif"'


def _jitter(code: str) -> float:
    """A stable pseudo-random offset in [-1, 1] from a credit code (no RNG state)."""
    return (sum(ord(c) * (i + 1) for i, c in enumerate(code)) % 997) / 498.5 - 1.0


def score_distribution_svg(scores: dict[str, float], truth: list[dict], title: str = "") -> str:
    """One dot per company on the 0-100 smoke index axis, in three rows: planted schemes,
    legitimate look-alikes, ordinary companies; the colour bands behind, the high-risk line (60) marked."""
    threshold = high_risk()
    line_colour = level_colour(high_levels()[0])
    width, left, right, row_h, top = 900, 150, 30, 90, 50
    rows = [
        ("planted schemes 涉嫌", [t for t in truth if t.get("is_scheme")], "#b8202a"),
        ("look-alikes 疑似正常", [t for t in truth if not t.get("is_scheme") and t.get("lookalike")], "#e08a1e"),
        ("ordinary 普通企业", [t for t in truth if not t.get("is_scheme") and not t.get("lookalike")], "#4a6fa5"),
    ]
    height = top + row_h * len(rows) + 50
    plot_w = width - left - right

    def x(v: float) -> float:
        return left + plot_w * max(0.0, min(100.0, v)) / 100.0

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" {_FONT} font-size="13">',
           '<rect width="100%" height="100%" fill="#ffffff"/>',
           f'<text x="{left}" y="24" font-size="16" font-weight="bold">{escape(title or "smoke index by ground truth")}</text>']
    for band in level_bands():
        lo, hi = band["lo"], band["hi"]
        out.append(f'<rect x="{x(lo):.1f}" y="{top}" width="{x(hi) - x(lo):.1f}" height="{row_h * len(rows)}" '
                   f'fill="{band["colour"]}" opacity="0.10"/>')
    for r, (label, members, colour) in enumerate(rows):
        y0 = top + r * row_h
        flagged = sum(1 for t in members if scores.get(t["credit_code"], 0.0) >= threshold)
        out.append(f'<text x="10" y="{y0 + row_h / 2:.0f}">{escape(label)}</text>')
        out.append(f'<text x="10" y="{y0 + row_h / 2 + 16:.0f}" fill="#555" font-size="11">'
                   f'{len(members)} companies, {flagged} at {threshold:g}+</text>')
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y0 + row_h}" y2="{y0 + row_h}" stroke="#ddd"/>')
        for t in members:
            v = float(scores.get(t["credit_code"], 0.0) or 0.0)
            cy = y0 + row_h / 2 + _jitter(t["credit_code"]) * (row_h / 2 - 8)
            out.append(f'<circle cx="{x(v):.1f}" cy="{cy:.1f}" r="3.2" fill="{colour}" fill-opacity="0.75"/>')
    axis_y = top + row_h * len(rows)
    for v in range(0, 101, 20):
        out.append(f'<line x1="{x(v):.1f}" x2="{x(v):.1f}" y1="{axis_y}" y2="{axis_y + 5}" stroke="#333"/>')
        out.append(f'<text x="{x(v):.1f}" y="{axis_y + 20}" text-anchor="middle">{v}</text>')
    out.append(f'<line x1="{x(threshold):.1f}" x2="{x(threshold):.1f}" y1="{top - 6}" y2="{axis_y}" '
               f'stroke="{line_colour}" stroke-width="2" stroke-dasharray="5,4"/>')
    out.append(f'<text x="{x(threshold) + 4:.1f}" y="{top - 8}" fill="{line_colour}">{threshold:g} high risk</text>')
    out.append(f'<text x="{left + plot_w / 2:.0f}" y="{height - 8}" text-anchor="middle">冒烟指数 smoke index</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def lead_time_svg(first_high: dict[str, str | None], truth: list[dict], start: str, end: str,
                  title: str = "") -> str:
    """One row per planted scheme: its life from launch to collapse (grey), and the day its
    score first reached the high-risk line, 60 (a diamond in the high band's colour). Rows sorted
    by launch date."""
    threshold = high_risk()
    hit_colour = level_colour(high_levels()[0])
    schemes = sorted((t for t in truth if t.get("is_scheme") and t.get("launch")),
                     key=lambda t: (t["launch"], t["credit_code"]))
    d0, d1 = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    span = max(1, (d1 - d0).days)
    width, left, right, top, row = 900, 40, 40, 50, 9
    height = top + row * max(1, len(schemes)) + 60
    plot_w = width - left - right

    def x(day: str) -> float:
        d = dt.date.fromisoformat(day[:10])
        return left + plot_w * max(0, min(span, (d - d0).days)) / span

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" {_FONT} font-size="12">',
           '<rect width="100%" height="100%" fill="#ffffff"/>',
           f'<text x="{left}" y="22" font-size="16" font-weight="bold">'
           f'{escape(title or f"early warning: first day at {threshold:g} within each scheme life")}</text>',
           f'<text x="{left}" y="40" fill="#555">grey: launch to collapse (or to the end of the replay); '
           f'diamond: first day at {threshold:g} or above</text>']
    for i, t in enumerate(schemes):
        y = top + i * row
        stop = t.get("collapse") or end
        out.append(f'<rect x="{x(t["launch"]):.1f}" y="{y + 1}" width="{max(1.0, x(stop) - x(t["launch"])):.1f}" '
                   f'height="{row - 2}" fill="#9aa3ad"/>')
        if t.get("collapse"):
            out.append(f'<line x1="{x(stop):.1f}" x2="{x(stop):.1f}" y1="{y}" y2="{y + row}" stroke="#222"/>')
        hit = first_high.get(t["credit_code"])
        if hit:
            cx, cy = x(hit), y + row / 2
            out.append(f'<path d="M{cx:.1f},{cy - 4:.1f} L{cx + 4:.1f},{cy:.1f} L{cx:.1f},{cy + 4:.1f} '
                       f'L{cx - 4:.1f},{cy:.1f} Z" fill="{hit_colour}"/>')
    axis_y = top + row * max(1, len(schemes)) + 6
    out.append(f'<line x1="{left}" x2="{width - right}" y1="{axis_y}" y2="{axis_y}" stroke="#333"/>')
    months = 0
    day = d0.replace(day=1)
    while day <= d1:
        if day >= d0 and months % 3 == 0:
            out.append(f'<text x="{x(day.isoformat()):.1f}" y="{axis_y + 18}" text-anchor="middle">'
                       f'{day.isoformat()[:7]}</text>')
        months += 1
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    out.append("</svg>")
    return "\n".join(out) + "\n"
