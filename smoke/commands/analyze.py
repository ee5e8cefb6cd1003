"""`smoke analyze-text`: the text analyser as a filter, one JSON object per input per line.

The output is a contract others script against: every line has at least ``risk``,
``doc_type``, ``yields`` (list of {text, annual_rate}) and ``hits`` (list of {term,
category, count}); see scoring/text/ and docs/analyser.md for the rest.
"""

from __future__ import annotations

import json
import sys

import click

MAX_BYTES = 20 * 1024 * 1024  # crawled text is hostile: cap what one input may hold


def decode_bytes(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK),
    then whatever charset-normalizer detects (Big5 ...)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    for enc in ("utf-8", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "gb18030":
            # GB18030 decodes almost anything; accept it only when it yields mostly CJK/ASCII
            from charset_normalizer import from_bytes

            best = from_bytes(data).best()
            if best is not None and best.encoding not in ("gb18030", "gbk", "gb2312") and _cjk_share(str(best)) > _cjk_share(text):
                return str(best), best.encoding
        return text, enc
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return data.decode("utf-8", errors="replace"), "utf-8?"
    return str(best), best.encoding


def _cjk_share(text: str) -> float:
    if not text:
        return 0.0
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or ch.isascii()) / len(text)


@click.command("analyze-text")
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True, dir_okay=False))
@click.option("--title", default="", help="Title to classify with the text (applies to every input).")
@click.option("--pretty", is_flag=True, help="Indent the JSON (then it is no longer one object per line).")
def analyze_text(paths: tuple[str, ...], title: str, pretty: bool) -> None:
    """分析文本中的非法集资与传销迹象（每行输出一个 JSON）。

    Analyse texts for signs of illegal fundraising or pyramid schemes.

    Reads each PATH (no PATH or '-': standard input) in UTF-8, GBK/GB18030 or Big5 and
    prints one JSON object per input, one per line, with at least risk (0-100),
    doc_type (promo, recruit, complaint, judgment, warning, news, other), yields (list
    of {text, annual_rate}) and hits (list of {term, category, count}).
    """
    from scoring.text import analyze

    failures = 0
    for path in paths or ("-",):
        try:
            if path == "-":
                data = sys.stdin.buffer.read(MAX_BYTES + 1)
            else:
                with open(path, "rb") as fh:
                    data = fh.read(MAX_BYTES + 1)
        except OSError as exc:
            from smoke.cli_text import t

            click.echo(t("analyze.cannot_read", path=path, error=exc.strerror or exc), err=True)
            failures += 1
            continue
        truncated = len(data) > MAX_BYTES
        text, encoding = decode_bytes(data[:MAX_BYTES])
        out = analyze(text, title=title).to_json()
        out["source"] = "-" if path == "-" else path
        out["encoding"] = encoding
        if truncated:
            out["truncated"] = True
        click.echo(json.dumps(out, ensure_ascii=False, indent=2 if pretty else None))
    if failures:
        sys.exit(1)


COMMANDS = [analyze_text]
