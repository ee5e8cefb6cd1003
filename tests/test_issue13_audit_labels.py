"""Issue 13, "Pages": English audit action names on the audit log. Every action the code records
(a string literal given to an ``audit`` / ``_audit`` call anywhere in smoke/) and every key of
its conditions must have a Chinese name in config/labels.yaml, or the audit page and its CSV
show the raw id (``ack_alerts_bulk``, ``alert_ids``)."""

from __future__ import annotations

import ast
from pathlib import Path

from smoke.labels import audit_detail_text, labels

ROOT = Path(__file__).resolve().parent.parent
USERS = {"system", "-", "cli"}  # literal user names some calls pass before the action


def _audit_calls() -> list[tuple[str, ast.Call]]:
    out = []
    for path in (ROOT / "smoke").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            if name in ("audit", "_audit"):
                out.append((f"{path.relative_to(ROOT)}:{node.lineno}", node))
    return out


def recorded() -> tuple[dict[str, str], dict[str, str]]:
    """(action -> where, condition key -> where) of every audit call with literal values."""
    actions: dict[str, str] = {}
    keys: dict[str, str] = {}
    for where, call in _audit_calls():
        for arg in call.args:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value.isidentifier() \
                    and arg.value not in USERS:
                actions.setdefault(arg.value, where)
                break
        for arg in [*call.args, *(k.value for k in call.keywords)]:
            if isinstance(arg, ast.Dict):
                for k in arg.keys:
                    if isinstance(k, ast.Constant) and isinstance(k.value, str):
                        keys.setdefault(k.value, where)
    return actions, keys


def test_the_scan_finds_the_audit_calls() -> None:
    actions, keys = recorded()
    assert {"search", "view_company", "watch_add", "screening", "alert_assign"} <= set(actions), actions
    assert {"credit_code", "alert_ids"} <= set(keys)


def test_every_recorded_audit_action_has_a_chinese_name() -> None:
    actions, _ = recorded()
    missing = {a: where for a, where in actions.items() if a not in labels().audit_actions}
    # f-string actions (source_{action}, user_{action}) are listed in the labels by hand
    assert missing == {}, f"config/labels.yaml audit_actions lacks: {missing}"
    for a in ("source_enable", "source_disable", "user_add", "user_role", "user_disable", "user_enable"):
        assert a in labels().audit_actions


def test_every_recorded_condition_key_has_a_chinese_name() -> None:
    _, keys = recorded()
    missing = {k: where for k, where in keys.items() if k not in labels().audit_keys}
    assert missing == {}, f"config/labels.yaml audit_keys lacks: {missing}"
    text = audit_detail_text({"alert_ids": ["a1"], "count": 1, "assignee": "zhang", "via": "api"})
    assert "alert_ids" not in text and "count" not in text and "assignee" not in text
