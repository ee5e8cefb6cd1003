"""Validated items: what spiders yield and pipelines consume.

Pydantic models, so a spider that builds an item with a wrong type fails at the
spider (counted as ``invalid_item``), not deep in a pipeline.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    url: str = Field(min_length=8)  # canonical URL of the page the item came from
    source: str  # the source (site) name from config/sources/<name>.yaml
    etag: str = ""  # validators of the page, recorded once the item is stored
    last_modified: str = ""


class DocumentItem(_Item):
    source_kind: str
    title: str = ""
    html: str = ""  # decoded page HTML, cleaned by the pipeline
    text: str = ""  # text already extracted by the spider (JSON APIs, selected content)
    content_selector: str = ""  # where the main text is, for the clean-up pipeline
    published: str = ""
    encoding: str = ""
    fields: dict[str, Any] = Field(default_factory=dict)
    mentions: list[dict[str, Any]] = Field(default_factory=list)  # mentions the page states outright
    typed_company: str = ""  # a company name as a person typed it (complaints)

    @field_validator("published")
    @classmethod
    def _iso(cls, v: str) -> str:
        v = v.strip()
        if v and not (len(v) >= 10 and v[4] == "-" and v[7] == "-"):
            raise ValueError(f"expected an ISO date YYYY-MM-DD, got {v!r}")
        return v[:10]


class CompanyItem(_Item):
    company: dict[str, Any]  # indexing.models.Company.to_dict()


class AmacItem(_Item):
    """A registered fund manager; ``url`` is the manager's own stable URL (one API page lists many)."""

    name: str
    credit_code: str = ""
    registration_no: str = ""
    registered_date: str = ""
    status: str = ""
    text: str = ""  # the manager's document text, as the source file's template writes it
    mentions: list[dict[str, Any]] = Field(default_factory=list)  # set by the AMAC pipeline
    registered_company: dict[str, Any] | None = None  # a stored company the AMAC pipeline marked registered
