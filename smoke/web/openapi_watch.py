"""OpenAPI description of the watchlist, screening and alert-triage endpoints
(``smoke.web.routes.api_watch``), merged into ``smoke.web.openapi.openapi_spec``."""

from __future__ import annotations

from typing import Any

from indexing.models import LEVEL_IDS


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


_AUTH = {"401": _error("No or invalid bearer token"), "403": _error("The role may not do this")}
_OBJ = {"type": "object"}
_CODE_BODY = {
    "required": True,
    "content": {"application/json": {"schema": {
        "type": "object", "required": ["credit_code"], "additionalProperties": False,
        "properties": {"credit_code": {"type": "string", "minLength": 1, "maxLength": 64}}}}},
}
_IDS = {"type": "array", "minItems": 1, "maxItems": 2000, "items": {"type": "string", "minLength": 1, "maxLength": 100}}
_WATCH_ITEM = {
    "type": "object", "required": ["credit_code", "name", "added", "smoke_index", "level"],
    "properties": {"credit_code": {"type": "string"}, "name": {"type": "string"}, "added": {"type": "string"},
                   "smoke_index": {"type": "number", "nullable": True}, "level": {"type": "string"}},
}
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _q(name: str, schema: dict[str, Any], description: str = "") -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


WATCH_PATHS: dict[str, Any] = {
    "/api/v1/watchlist": {
        "get": {
            "summary": "The companies the caller follows (audited)",
            "responses": {"200": {"description": "Followed companies, oldest first", "content": {
                "application/json": {"schema": {"type": "array", "items": _WATCH_ITEM}}}},
                "400": _error("A parameter was given (none is expected)"), **_AUTH},
        },
        "post": {
            "summary": "Follow a company by credit code: its changes come in the caller's daily digest (audited)",
            "requestBody": _CODE_BODY,
            "responses": {"200": {"description": "Already followed", "content": {"application/json": {"schema": _OBJ}}},
                          "201": {"description": "Now followed", "content": {"application/json": {"schema": _OBJ}}},
                          "400": _error("Body is not JSON {credit_code: string}"),
                          "404": _error("No company with that credit code"), **_AUTH},
        },
        "delete": {
            "summary": "Stop following a company (audited)",
            "parameters": [{**_q("credit_code", {"type": "string", "minLength": 1, "maxLength": 64}), "required": True}],
            "responses": {"200": {"description": "Removed", "content": {"application/json": {"schema": _OBJ}}},
                          "400": _error("No credit_code given"), "404": _error("Not in the caller's watchlist"),
                          **_AUTH},
        },
    },
    "/api/v1/watchlist/{credit_code}": {
        "delete": {
            "summary": "Stop following a company (audited)",
            "parameters": [{"name": "credit_code", "in": "path", "required": True,
                            "schema": {"type": "string", "minLength": 1, "maxLength": 64}}],
            "responses": {"200": {"description": "Removed", "content": {"application/json": {"schema": _OBJ}}},
                          "400": _error("A parameter is malformed"),
                          "404": _error("Not in the caller's watchlist"), **_AUTH},
        },
    },
    "/api/v1/screenings": {
        "post": {
            "summary": "Screen a CSV or XLSX list of names and/or credit codes (at most 10,000 rows); answers with "
                       "the workbook: each row's match, confidence, smoke index, band and top reasons (audited)",
            "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                "type": "object", "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"}}}}}},
            "responses": {"200": {"description": "The screening workbook", "content": {
                _XLSX: {"schema": {"type": "string", "format": "binary"}}}},
                "400": _error("Not a readable CSV / XLSX file, or more than 10,000 rows"), **_AUTH},
        },
    },
    "/api/v1/alerts/groups": {
        "get": {
            "summary": "Alerts grouped per company and data day, filtered, for triage (audited)",
            "parameters": [
                _q("rule", {"type": "string", "enum": ["", "crossing", "rise", "critical"]}),
                _q("band", {"type": "string", "enum": ["", *LEVEL_IDS]}),
                _q("region", {"type": "string", "pattern": "^[0-9]{0,6}$", "maxLength": 6}, "Region code prefix"),
                _q("assignee", {"type": "string", "maxLength": 64}, "'-': nobody assigned"),
                _q("state", {"type": "string", "enum": ["", "open", "acked", "all"]}, "Default: open"),
                _q("day", {"type": "string", "format": "date"}, "Data day YYYY-MM-DD"),
                _q("mine", {"type": "string", "enum": ["", "0", "1"]}, "1: only companies the caller follows"),
                _q("limit", {"type": "integer", "minimum": 0, "maximum": 1000}),
            ],
            "responses": {"200": {"description": "Groups, newest day first, then highest score", "content": {
                "application/json": {"schema": {"type": "array", "items": _OBJ}}}},
                "400": _error("A parameter is malformed"), **_AUTH},
        },
    },
    "/api/v1/alerts/ack": {
        "post": {
            "summary": "Acknowledge alerts in bulk (analysts and up; audited)",
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["ids"], "additionalProperties": False, "properties": {"ids": _IDS}}}}},
            "responses": {"200": {"description": "{acknowledged: ids, missing: ids}", "content": {
                "application/json": {"schema": _OBJ}}}, "400": _error("Body is not JSON {ids: [string]}"), **_AUTH},
        },
    },
    "/api/v1/alerts/triage": {
        "post": {
            "summary": "Set the assignee of alerts and/or add a note (analysts and up; audited)",
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["ids"], "additionalProperties": False, "minProperties": 2,
                "description": "ids and an assignee, a note or both",
                "properties": {"ids": _IDS, "assignee": {"type": "string", "maxLength": 64,
                                                         "pattern": "^[^\\x00-\\x1f\\x7f-\\x9f]*$"},
                               "note": {"type": "string", "maxLength": 2000}}}}}},
            "responses": {"200": {"description": "The alerts changed", "content": {"application/json": {"schema": _OBJ}}},
                          "400": _error("Body malformed"), "404": _error("An unknown alert id"), **_AUTH},
        },
    },
}
