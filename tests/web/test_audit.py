"""Every search, company view and export lands in the audit log with query and row count."""

from __future__ import annotations

from tests.web.conftest import api_token, csrf_of


def _latest(accounts, username, action):
    return accounts.list_audit(limit=5, username=username, action=action)[0]


def test_search_view_export_audited(as_role, accounts, codes):
    c = as_role("auditor")
    c.get("/search?q=投资&level=red&min_score=50")
    e = _latest(accounts, "auditor", "search")
    assert e.detail["q"] == "投资" and e.detail["level"] == "red" and e.detail["min_score"] == 50
    assert e.row_count is not None and e.client
    c.get(f"/company/{codes['red']}")
    assert _latest(accounts, "auditor", "view_company").detail["credit_code"] == codes["red"]
    r = c.post("/export/download", data={"format": "jsonl", "min_score": "70", "csrf": csrf_of(c.get("/export").text)})
    assert r.status_code == 200
    e = _latest(accounts, "auditor", "export")
    rows = r.content.decode().strip().splitlines()
    assert e.row_count == len(rows) and e.detail["format"] == "jsonl" and e.detail["min_score"] == 70
    assert e.detail["sha256"] == r.headers["x-export-sha256"]


def test_api_actions_audited(client, accounts, codes):
    h = {"Authorization": f"Bearer {api_token(client, 'analyst')}"}
    client.get("/api/v1/companies?q=财富", headers=h)
    e = _latest(accounts, "analyst", "search")
    assert e.detail == {"q": "财富", "via": "api"}
    client.get(f"/api/v1/companies/{codes['top']}", headers=h)
    assert _latest(accounts, "analyst", "view_company").detail["credit_code"] == codes["top"]


def test_admin_reads_and_exports_audit(as_role):
    c = as_role("admin")
    c.get("/search?q=审计测试")
    page = c.get("/admin/audit?action=search")
    assert page.status_code == 200 and "审计测试" in page.text
    r = c.get("/admin/audit.csv")
    assert r.status_code == 200 and r.content.startswith(b"\xef\xbb\xbf") and "审计测试" in r.content.decode("utf-8-sig")


def test_audit_page_and_csv_read_as_chinese(as_role):
    c = as_role("admin")
    c.get("/search", params={"q": "北京", "region": "110101"})
    page = c.get("/admin/audit").text
    assert "搜索" in page and "关键词：北京" in page and "地区：北京（110101）" in page
    rows = page.split("<tbody>")[1]
    assert "{&#34;" not in rows and '{"' not in rows and "search" not in rows
    text = c.get("/admin/audit.csv").content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("编号 id,时间（北京时间） ts")
    assert ",搜索,search," in text
