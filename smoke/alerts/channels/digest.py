"""The daily digest: ``$SMOKE_HOME/alerts/digest-YYYY-MM-DD.jsonl`` and ``.html``.

One JSON line per alert, in the file of the day the alert was raised (its
``created`` date, Asia/Shanghai). An alert already in the file is not written again,
so re-running a day never duplicates lines; the HTML page is rebuilt from the JSONL
at the end of each round and replaced atomically.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

from config.alerts import DigestChannel as DigestConfig
from smoke.alerts.channels import Channel
from smoke.alerts.render import AlertView, band_zh, clean_line, rule_title
from smoke.service.timefmt import shanghai_display


def digest_paths(folder: Path, day: str) -> tuple[Path, Path]:
    return folder / f"digest-{day}.jsonl", folder / f"digest-{day}.html"


def read_digest(path: Path) -> list[dict]:
    """The records of one JSONL digest; a torn last line (crash mid-write) is skipped."""
    records = []
    if path.exists():
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                records.append(json.loads(line))
            except ValueError:
                continue
    return records


def render_digest_html(day: str, records: list[dict]) -> str:
    e = html.escape
    rows = []
    for r in sorted(records, key=lambda r: (-float(r.get("score") or 0), r.get("credit_code", ""))):
        prev = r.get("previous_score")
        name = e(clean_line(str(r.get("company_name", ""))))
        url = str(r.get("company_url", ""))
        if url.startswith(("http://", "https://")):  # a configured base URL (config.alerts.check_base_url)
            name = f'<a href="{e(url, quote=True)}">{name}</a>'
        rows.append(
            "<tr>"
            f"<td>{name}</td>"
            f"<td>{e(str(r.get('credit_code', '')))}</td>"
            f"<td>{e(rule_title(str(r.get('rule'))))}</td>"
            f"<td>{float(r.get('score') or 0):.1f}（{e(band_zh(float(r.get('score') or 0)))}）</td>"
            f"<td>{'—' if prev is None else f'{float(prev):.1f}'}</td>"
            f"<td>{e(clean_line(str(r.get('message', '')), 2000))}</td>"
            f"<td>{e(shanghai_display(str(r.get('created', ''))))}</td>"
            "</tr>"
        )
    return (
        "<!doctype html><html lang=zh-CN><head><meta charset=utf-8>"
        f"<title>冒烟指数预警日报 {e(day)}</title>"
        "<style>body{font-family:sans-serif}td,th{border:1px solid #ccc;padding:4px}table{border-collapse:collapse}</style>"
        f"</head><body><h1>冒烟指数预警日报 {e(day)}</h1><p>共 {len(records)} 条预警</p>"
        "<table><tr><th>公司</th><th>统一社会信用代码</th><th>规则</th><th>冒烟指数</th><th>此前</th>"
        f"<th>说明</th><th>时间（北京时间）</th></tr>{''.join(rows)}</table></body></html>"
    )


class DigestChannel(Channel):
    key = "digest"

    def __init__(self, config: DigestConfig, home: Path) -> None:
        self.folder = Path(home) / config.subdir
        self._ids: dict[str, set[str]] = {}  # day -> alert ids already in its file
        self._touched: set[str] = set()

    def send(self, view: AlertView) -> None:
        a = view.alert
        day = a.created[:10]
        jsonl, _ = digest_paths(self.folder, day)
        if day not in self._ids:
            self._ids[day] = {str(r.get("id")) for r in read_digest(jsonl)}
        self._touched.add(day)
        if a.id in self._ids[day]:
            return
        record = {k: v for k, v in a.to_dict().items() if k not in ("delivery", "acknowledged_by", "acknowledged_at")}
        record["company_name"] = view.company_name
        record["company_url"] = view.company_url or view.company_path  # the path alone: no base_url set
        self.folder.mkdir(parents=True, exist_ok=True)
        line = json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"
        data = line.encode("utf-8")
        with jsonl.open("ab+") as fh:
            end = fh.seek(0, os.SEEK_END)
            if end > 0:
                fh.seek(end - 1)
                if fh.read(1) != b"\n":
                    data = b"\n" + data  # a torn line from a crash stays on its own line
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        self._ids[day].add(a.id)

    def close(self) -> None:
        for day in sorted(self._touched):
            jsonl, page = digest_paths(self.folder, day)
            tmp = page.with_suffix(".html.tmp")
            tmp.write_text(render_digest_html(day, read_digest(jsonl)), encoding="utf-8")
            os.replace(tmp, page)
        self._touched.clear()
