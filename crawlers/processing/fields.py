"""Read the fields a source declares (config/sources_extraction.py) from a page or a
JSON entry: selectors, JSON paths, labelled rows, templates and constants, then split,
pattern, value map and type (dates through crawlers.processing.dates, amounts and
capital through crawlers.processing.extract).

Nothing here knows a site: every selector, key and label comes from the source file.
A value that cannot be typed (a date nobody can read) is left out and reported in
``Extracted.bad``; the spider counts it, the crawl goes on.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from parsel import Selector, SelectorList

from config.sources_extraction import FieldSpec, LabelTable, PageSpec, is_xpath
from crawlers.processing.dates import parse_date
from crawlers.processing.extract import parse_amount, parse_capital_wan

_WS = re.compile(r"\s+")
_TRUE = {"1", "true", "yes", "y", "是", "有"}


def json_path(data: Any, path: str, default: Any = None) -> Any:
    """'a.b.0.c' into nested dicts / lists; ``default`` when any step is missing."""
    cur = data
    for part in path.split(".") if path else []:
        if isinstance(cur, dict):
            cur = cur.get(part)
        elif isinstance(cur, list) and part.isdigit() and int(part) < len(cur):
            cur = cur[int(part)]
        else:
            return default
        if cur is None:
            return default
    return cur


def select(node: Selector | SelectorList, expr: str) -> SelectorList:
    """A declared selector: XPath or CSS by config.sources_extraction.is_xpath."""
    return node.xpath(expr) if is_xpath(expr) else node.css(expr)


def node_text(sel: Selector) -> str:
    """Whitespace-collapsed text of a node, or the string a ::text / ::attr() selector gave."""
    raw = sel.root if isinstance(sel.root, str) else " ".join(sel.xpath(".//text()").getall())
    return _WS.sub(" ", str(raw)).strip()


def spec_of(spec: FieldSpec, json: bool) -> FieldSpec:
    """A bare string (``path``) is a JSON path on JSON entries, a selector on pages."""
    if not spec.path:
        return spec
    where = {"json_path": spec.path} if json else {"css": spec.path}
    return spec.model_copy(update={"path": "", **where})


@dataclass
class Extracted:
    values: dict[str, Any] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # declared fields that came out empty
    missing_required: list[str] = field(default_factory=list)
    bad: list[tuple[str, str]] = field(default_factory=list)  # (field, raw value) that could not be typed

    @property
    def ok(self) -> bool:
        return not self.missing_required

    def absorb(self, other: Extracted, prefix: str) -> None:
        self.missing += [f"{prefix}.{m}" for m in other.missing]
        self.bad += [(f"{prefix}.{f}", raw) for f, raw in other.bad]


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def _template(tpl: str | list[str], values: dict[str, Any]) -> str:
    """The template filled from ``values``; of a list, the first whose fields all have a value."""
    given = {k: v for k, v in values.items() if v not in (None, "", [])}
    choices = [tpl] if isinstance(tpl, str) else tpl
    for choice in choices:
        names = [f for _, f, _, _ in string.Formatter().parse(choice) if f]
        if all(n in given for n in names) or choice is choices[-1]:
            return string.Formatter().vformat(choice, (), _Blank(given))
    return ""


def read_labels(table: LabelTable, node: Selector | SelectorList) -> dict[str, str]:
    """label text -> value text of a label / value table."""
    out: dict[str, str] = {}
    if table.rows:
        pairs = [(select(row, table.label), select(row, table.value)) for row in select(node, table.rows)]
        items = [(" ".join(node_text(x) for x in lab), " ".join(node_text(x) for x in val)) for lab, val in pairs]
    else:
        labels = [node_text(x) for x in select(node, table.label)]
        values = [node_text(x) for x in select(node, table.value)]
        items = list(zip(labels, values, strict=False))
    for label, value in items:
        label = label.strip(table.strip)
        if label and label not in out:
            out[label] = value
    return out


class FieldReader:
    """Reads declared fields; ``today`` anchors relative dates (昨天, 3天前)."""

    def __init__(self, today: date | None = None) -> None:
        self.today = today

    # --- one field --------------------------------------------------------------
    def _raw(self, spec: FieldSpec, node: Any, entry: Any, labels: dict[str, str]) -> tuple[list[Any], int]:
        """The raw values of a field and how many matches there were."""
        if spec.value is not None:
            return [spec.value], 1
        if spec.label:
            return ([labels[spec.label]], 1) if spec.label in labels else ([], 0)
        if spec.json_path:
            got = json_path(entry, spec.json_path) if entry is not None else None
            if got is None:
                return [], 0
            items = got if isinstance(got, list) else [got]
            return items, len(items)
        if node is None:
            return [], 0
        matches = select(node, spec.css or spec.xpath)
        if spec.type == "html":
            return [m.get() for m in matches], len(matches)
        return [node_text(m) for m in matches], len(matches)

    @staticmethod
    def _mapped(spec: FieldSpec, raw: Any) -> Any:
        if isinstance(raw, str):
            raw = raw.strip()
        if spec.map and raw not in (None, ""):
            raw = spec.map.get(str(raw), spec.default if spec.default is not None else raw)
        return raw

    def _typed(self, spec: FieldSpec, raw: Any, year: int | None) -> Any:
        """The (mapped) value typed as declared; None when it cannot be."""
        t = spec.type
        if raw is None or raw == "":
            return None
        if t in ("text", "html"):
            return raw if not isinstance(raw, str) else (raw if t == "html" else _WS.sub(" ", raw))
        if t == "date":
            return parse_date(raw, spec.date_format, self.today, year)
        if t == "amount":
            return float(raw) if isinstance(raw, int | float) else parse_amount(str(raw))
        if t == "capital_wan":
            return float(raw) if isinstance(raw, int | float) else parse_capital_wan(str(raw))
        if t == "percent":
            m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%?", str(raw))
            return float(m.group(1)) / 100 if m else None
        if t in ("number", "int"):
            try:
                num = float(str(raw).replace(",", ""))
            except ValueError:
                return None
            return int(num) if t == "int" else num
        if t == "upper":
            return str(raw).strip().upper()
        if t == "domain":
            return str(raw).strip().lower().removeprefix("http://").removeprefix("https://").strip("/")
        if t == "bool":
            return raw if isinstance(raw, bool) else str(raw).strip().lower() in _TRUE
        return raw

    def read(self, decls: dict[str, FieldSpec], node: Any = None, entry: Any = None, labels: dict[str, str] | None = None,
             context: dict[str, Any] | None = None, json: bool = False) -> Extracted:
        """Every declared field of one entry or page; templates last, from the others and ``context``."""
        out = Extracted()
        labels = labels or {}
        context = context or {}
        year = context.get("year") if isinstance(context.get("year"), int) else None
        specs = {name: spec_of(d, json) for name, d in decls.items()}
        for name, spec in sorted(specs.items(), key=lambda kv: bool(kv[1].template)):
            if spec.template:
                raws, n = [_template(spec.template, {**context, **out.values})], 1
            else:
                raws, n = self._raw(spec, node, entry, labels)
            if spec.type == "count":
                out.values[name] = n
                continue
            pieces: list[Any] = []
            for raw in raws:
                if isinstance(raw, str) and spec.pattern:
                    found = [m.group(1) if m.groups() else m.group(0) for m in re.finditer(spec.pattern, raw)]
                    pieces += found if spec.all else found[:1]
                elif isinstance(raw, str) and spec.split:
                    pieces += [p for p in re.split(spec.split, raw) if p.strip()]
                else:
                    pieces.append(raw)
            values = []
            for raw in pieces:
                raw = self._mapped(spec, raw)
                v = self._typed(spec, raw, year)
                if v is None and raw not in (None, "") and spec.type == "date":
                    out.bad.append((name, str(raw)))
                if v is not None:
                    values.append(v)
            if spec.all or spec.split:
                out.values[name] = values
                empty = not values
            elif values:
                out.values[name] = values[0]
                empty = False
            else:
                empty = True
                if spec.default is not None:
                    out.values[name] = spec.default
            if empty:
                out.missing.append(name)
                if spec.required:
                    out.missing_required.append(name)
        return out

    # --- one page or entry ------------------------------------------------------------
    def read_page(self, page: PageSpec, node: Any = None, entry: Any = None, context: dict[str, Any] | None = None,
                  json: bool = False) -> Extracted:
        """Fields, labelled rows and tables of a detail page, or of one listing entry."""
        labels = read_labels(page.labels, node) if page.labels is not None and node is not None else {}
        out = self.read(page.fields, node, entry, labels, context, json)
        for name, table in page.tables.items():
            rows = []
            for row in select(node, table.records) if node is not None else []:
                got = self.read(table.fields, row, context=context)
                out.bad += [(f"{name}.{f}", raw) for f, raw in got.bad]
                if got.ok:
                    rows.append(got.values)
            out.values[name] = rows
            if not rows:
                out.missing.append(name)
        return out
