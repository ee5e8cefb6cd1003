"""amac.sandbox.test: an AMAC-style list of registered private fund managers."""

from __future__ import annotations

from sandbox.sites.common import Request, Response, json_response, not_found, page


def handle(req: Request) -> Response:
    path = req.path.rstrip("/") or "/"
    if path == "/":
        return Response(200, page("私募基金管理人公示", "<h1>私募基金管理人公示</h1>"), last_modified=req.as_of, html=True)
    if path != "/api/managers":
        return not_found()
    n = req.int_arg("page", 1)
    size = req.int_arg("size", 100, 1, 500)
    total = req.db.execute("SELECT count(*) FROM managers WHERE reg_date <= ?", (req.as_of,)).fetchone()[0]
    rows = req.db.execute("SELECT code, name, reg_no, reg_date, lost_date FROM managers WHERE reg_date <= ?"
                          " ORDER BY reg_date, code LIMIT ? OFFSET ?", (req.as_of, size, (n - 1) * size)).fetchall()
    items = [{"name": name, "credit_code": code, "registration_no": reg_no, "registered_date": reg_date,
              "status": "失联机构" if lost and lost <= req.as_of else "正常"} for code, name, reg_no, reg_date, lost in rows]
    return json_response({"total": total, "page": n, "size": size, "items": items})
