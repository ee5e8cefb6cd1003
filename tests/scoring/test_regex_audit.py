"""Every regular expression the crawler's processing and the analyser compile at module
level runs in time linear in its input (issue 12): on a run of any one of the pattern's own
characters, or of a pair of them, four times the input costs about four times the time.
A backtracking pattern (\\d+ followed by what fails, adjacent unbounded repeats over one
class) costs sixteen times as much: that is what this audit catches, before a hostile page
does. The fuzz harness (test_hostile_text.py) covers whole pages."""

from __future__ import annotations

import importlib
import itertools
import pkgutil
import re
import time

import pytest

import crawlers.processing
import scoring

SMALL, LARGE = 1000, 4000
MAX_RATIO = 9.0  # linear: ~4; quadratic: ~16


def _modules() -> list[str]:
    names = [m.name for pkg in (scoring, crawlers.processing) for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + ".")]
    return sorted(names) + ["indexing.normalize", "indexing.creditcode"]


def _rules_patterns() -> list[tuple[str, re.Pattern]]:
    """The analyser's rules, compiled from config/analyser.yaml at run time."""
    from scoring.text.rules import load_rules

    out = []
    for key, value in vars(load_rules()).items():
        if isinstance(value, re.Pattern):
            out.append((f"analyser.yaml:{key}", value))
        elif isinstance(value, dict):
            out += [(f"analyser.yaml:{key}.{k}", v) for k, v in value.items() if isinstance(v, re.Pattern)]
    return out


def _patterns() -> list[tuple[str, re.Pattern]]:
    out: list[tuple[str, re.Pattern]] = _rules_patterns()
    for name in _modules():
        mod = importlib.import_module(name)
        for key, value in vars(mod).items():
            items = value if isinstance(value, (list, tuple)) else [value]
            for i, item in enumerate(items):
                for x in item if isinstance(item, tuple) else (item,):
                    if isinstance(x, re.Pattern):
                        out.append((f"{name}.{key}" + (f"[{i}]" if items is value else ""), x))
    return out


def _cost(p: re.Pattern, s: str, repeat: int = 1) -> float:
    data: str | bytes = s.encode("utf-8") if isinstance(p.pattern, bytes) else s
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _m in p.finditer(data):  # type: ignore[arg-type]
            pass
        best = min(best, time.perf_counter() - t0)
    return best


def _units(p: re.Pattern) -> list[str]:
    src = p.pattern if isinstance(p.pattern, str) else p.pattern.decode("utf-8", "ignore")
    chars = sorted({ch for ch in src if not ch.isascii()} | set("0123456789 ,.%-\n:<a"))
    return chars + ["".join(pair) for pair in itertools.combinations(chars[:40], 2)][:300]


def test_audit_sees_the_patterns() -> None:
    names = {n for n, _ in _patterns()}
    assert {"scoring.yields._INVEST", "crawlers.processing.extract._AMOUNT", "indexing.normalize._SPACE_NEXT_TO_CJK"} <= names
    assert any(n.startswith("analyser.yaml:context.") for n in names)
    assert len(names) >= 60


# Slow lane: a timing ratio, not fair beside a second test worker. The default run and CI run it.
@pytest.mark.slow
def test_every_pattern_is_linear_on_runs_of_its_own_characters() -> None:
    slow = []
    for name, p in _patterns():
        for u in _units(p):
            small = u * (SMALL // len(u))
            t1 = _cost(p, small)
            if t1 < 0.002:
                continue  # too fast to tell anything, at 1,000 characters
            t1 = _cost(p, small, 3)
            t2 = _cost(p, u * (LARGE // len(u)), 2)
            if t2 > MAX_RATIO * t1:  # one more, longer look before calling it: a busy machine stalls runs
                t1, t2 = _cost(p, small, 7), _cost(p, u * (LARGE // len(u)), 5)
            if t2 > MAX_RATIO * t1:
                slow.append((name, u, round(t1 * 1000, 2), round(t2 * 1000, 2)))
    assert not slow, f"super-linear (pattern, run of, ms at {SMALL}, ms at {LARGE}): {slow}"
