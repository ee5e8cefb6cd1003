"""HTML clean-up, normalisation (indexing.normalize; raw text kept) and extraction of
dates, amounts, credit codes and company names into Document fields."""

from __future__ import annotations

from scrapy.crawler import Crawler

from crawlers.items import DocumentItem
from crawlers.processing import extract
from crawlers.processing.html import MAX_TEXT, clean_html
from indexing.normalize import normalize_text


class CleanPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CleanPipeline:
        return cls(crawler)

    def process_item(self, item):
        if not isinstance(item, DocumentItem):
            return item
        raw = item.text
        if item.html:
            title, body, alts = clean_html(item.html, item.content_selector)
            raw = "\n\n".join(p for p in (raw, body) if p)
            if alts:
                item.fields["alt_text"] = alts
                raw = "\n".join([raw, *alts])
            item.title = item.title or title
        raw = raw[:MAX_TEXT]
        item.html = ""  # cleaned: the rest of the pipeline works on text
        item.text = raw
        norm = normalize_text(raw)
        item.fields["_normalized"] = norm
        item.fields["extracted"] = {
            "dates": extract.dates_in(norm, 20),
            "amounts": extract.amounts_in(norm, 20),
            "credit_codes": extract.credit_codes_in(norm),
            "company_names": extract.company_names_in(norm, 30),
        }
        if not item.published:
            dates = item.fields["extracted"]["dates"]
            item.published = dates[0] if dates and item.source_kind != "promo" else item.published
        return item
