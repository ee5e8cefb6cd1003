"""Spider modules hold no site's markup: no CSS / XPath selector, no data- attribute, no key
of any site's JSON, no URL shape. Everything about reading a site is in its source file."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SPIDERS = sorted((ROOT / "crawlers" / "spiders").glob("*.py"))
SOURCE_FILES = sorted((ROOT / "config" / "sources").glob("*.yaml")) + sorted(
    (ROOT / "tests" / "crawlers" / "other_sites" / "sources").glob("*.yaml"))
_SELECTOR = re.compile(r"::attr|::text|^data-|\[@|^//|^\./|"
                       r"^(a|div|span|td|th|tr|ul|ol|li|p|h\d|meta|table|dl|dt|dd|section|article|img|time|title)[.#\[ :]")
_URL_SHAPE = re.compile(r"/api/|/sitemap|\.xml|http://|https://|\{host\}")


def literals(path: Path) -> list[str]:
    """String constants of a module, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docs.add(id(first.value))
    return [n.value for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]


def site_keys() -> tuple[set[str], set[str]]:
    """(JSON keys sites use, field names sources declare) across every source file."""
    keys: set[str] = set()
    names: set[str] = set()

    def walk(node, json_page: bool) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "fields" and isinstance(v, dict):
                    for name, spec in v.items():
                        names.add(name)
                        if isinstance(spec, dict) and "json" in spec:
                            keys.update(str(spec["json"]).split("."))
                        elif isinstance(spec, str) and json_page:
                            keys.update(spec.split("."))
                elif k in ("records", "total", "cursor_path") and json_page and isinstance(v, str):
                    keys.update(v.split("."))
                else:
                    walk(v, json_page if k != "detail" else False)
        elif isinstance(node, list):
            for v in node:
                walk(v, json_page)

    for f in SOURCE_FILES:
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        walk({k: v for k, v in data.items() if k != "feeds"}, data.get("access") == "json_api")
        for feed in (data.get("feeds") or {}).values():
            walk(feed, feed.get("access") == "json_api")
    return keys, names


def test_no_selector_or_url_shape_in_spiders() -> None:
    found = [(p.name, s) for p in SPIDERS for s in literals(p) if _SELECTOR.search(s) or _URL_SHAPE.search(s)]
    assert found == []


def test_no_site_json_key_in_spiders() -> None:
    keys, names = site_keys()
    site_only = keys - names  # a site's key that is not also one of our own field names
    assert {"items", "next_cursor", "publish_date", "docId", "wsmc", "homepage", "list"} <= site_only
    found = [(p.name, s) for p in SPIDERS for s in literals(p) if s in site_only]
    assert found == []


def test_scoring_does_not_know_the_debtor_api() -> None:
    facts = (ROOT / "scoring" / "facts.py").read_text(encoding="utf-8")
    assert '"duty"' not in facts and '"performance"' not in facts
