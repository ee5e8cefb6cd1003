"""docs/crawling.md lists every field of a source file, so operators can trust it, and its
walk-through of adding a site works, step by step, against a fixture site."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from pydantic import BaseModel

from config.sources import SourceConfig
from config.sources_extraction import FieldSpec, LabelTable, Table

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "crawling.md"
OTHER = ROOT / "tests" / "crawlers" / "other_sites"


def field_paths(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Every key a file may hold, as written in the file (aliases, e.g. ``list``)."""
    paths = set()
    for name, f in model.model_fields.items():
        key = f.alias or name
        sub = f.annotation
        if isinstance(sub, type) and issubclass(sub, BaseModel):
            paths |= field_paths(sub, f"{prefix}{key}.")
        else:
            paths.add(prefix + key)
    return paths


def declared() -> set[str]:
    keys = field_paths(SourceConfig)
    for prefix, model in (("field.", FieldSpec), ("labels.", LabelTable), ("table.", Table)):
        keys |= field_paths(model, prefix)
    return keys


def test_every_source_field_is_documented() -> None:
    documented = set(re.findall(r"^\| `([a-z_.]+)` \|", DOC.read_text(encoding="utf-8"), re.M))
    assert declared() - documented == set(), "fields missing from docs/crawling.md"
    assert documented - declared() == set(), "docs/crawling.md documents fields the schema does not have"


def walkthrough() -> list[tuple[str, list[str]]]:
    """(YAML, lines the check output must show) of each step of 'Adding a site from nothing'."""
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## Adding a site from nothing"):]
    section = section[: section.index("\n## ", 5)]
    steps = []
    for chunk in re.split(r"<!-- walkthrough: step \d+ -->\n", section)[1:]:
        yaml = re.match(r"```yaml\n(.*?)```", chunk, re.S)
        shown = re.search(r"```text\n(.*?)```", chunk, re.S)
        assert yaml and shown, chunk[:200]
        steps.append((yaml.group(1), [ln for ln in shown.group(1).splitlines() if ln.strip()]))
    return steps


def test_the_walkthrough_works_against_its_fixture_site(tmp_path) -> None:
    from smoke.cli import cli
    from tests.crawlers.siteserver import SiteServer

    steps = walkthrough()
    assert len(steps) == 3
    server = SiteServer(root=OTHER / "pages")
    server.start()
    try:
        for n, (yaml, shown) in enumerate(steps, 1):
            f = tmp_path / f"tousu_{n}.yaml"
            f.write_text(yaml, encoding="utf-8")
            res = CliRunner().invoke(cli, ["sources", "check", str(f), "--proxy", server.proxy_url])
            assert res.exit_code == 0, res.output
            for line in shown:
                assert line in res.output.splitlines(), (n, line, res.output)
    finally:
        server.stop()
    # the last step is the file the crawl tests crawl and check field by field
    assert steps[-1][0] == (OTHER / "sources" / "other_complaints.yaml").read_text(encoding="utf-8")
