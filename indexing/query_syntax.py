"""The search syntax users already know, parsed by us into a small tree that each store
backend translates (SQLite: an FTS5 MATCH expression built only from quoted tokens;
Elasticsearch: a bool query). The user's string never reaches FTS5 or Elasticsearch.

    北京 投资            both words (a space is AND)
    北京 AND 投资        the same; 且 is AND too
    北京 OR 上海         either; 或 is OR too
    "保本 保息"          a phrase: the words next to each other (Chinese: the exact characters,
                         spacing and punctuation tricks ignored, as everywhere in search)
    投资 NOT 北京        投资 without 北京; also 投资 -北京
    (北京 OR 上海) 投资  parentheses group
    “保本保息” 「保本」  curly and corner quotes work like "..."

Operators are the upper-case words AND, OR, NOT and the single characters 且 and 或, each
standing alone between spaces; a lower-case "and" or "or" is a word. There is no 非 operator:
"非 法 集 资" is the very spelling evasive promoters use, and must search as words. NOT binds
tightest, then AND (or a plain space), then OR.

Malformed queries are repaired, never refused, by ``parse`` (what the stores use): an unclosed
quote or parenthesis closes at the end, a stray ``)`` or a dangling operator is ignored, and an
exclusion with nothing to exclude from (``NOT 北京`` alone, ``-北京``, ``北京 OR -上海``) is
dropped, because both backends must give the same answer and "everything but" is not a
search. Each repair leaves a note (Chinese) the caller can show; ``parse(..., strict=True)``
raises ``QuerySyntaxError`` with the same text instead (for callers that prefer to refuse).
See docs/indexing.md.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from indexing.tokenize import prepare, query_bigrams, query_tokens

MAX_QUERY_CHARS = 1000  # longer queries are cut: no one types more, and FTS5 expressions grow with it
MAX_TERMS = 64  # terms beyond this are ignored (with a note)

AND_WORDS = frozenset({"AND", "且"})
OR_WORDS = frozenset({"OR", "或"})
NOT_WORDS = frozenset({"NOT"})
_QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』"}
_SPECIAL = set(_QUOTES) | {"(", ")"}


class QuerySyntaxError(ValueError):
    """A malformed query, in strict mode. The message (Chinese, then English) says what is wrong."""


@dataclass(frozen=True, slots=True)
class Term:
    """Words that must all match (``phrase``: next to each other). ``grams``: for a phrase of
    Chinese characters only, the bigrams of its characters (an exact-substring match)."""

    text: str
    words: tuple[str, ...]
    phrase: bool = False
    grams: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class And:
    """Every one of ``must``, none of ``must_not`` (never empty ``must``)."""

    must: tuple[Node, ...]
    must_not: tuple[Node, ...] = ()


@dataclass(frozen=True, slots=True)
class Or:
    any: tuple[Node, ...]


Node = Term | And | Or


@dataclass(slots=True)
class ParsedQuery:
    root: Node | None  # None: nothing to search for
    notes: list[str] = field(default_factory=list)  # the repairs made (empty when well formed)
    text: str = ""  # the query as typed (after NFKC), for credit-code lookups

    @property
    def words(self) -> list[str]:
        """The words the query looks for (not the excluded ones), for highlighting."""
        out: dict[str, None] = {}
        _collect(self.root, out)
        return list(out)

    @property
    def notice(self) -> str:
        return "；".join(self.notes)


def _collect(node: Node | None, out: dict[str, None]) -> None:
    if isinstance(node, Term):
        for w in node.words:
            out.setdefault(w, None)
    elif isinstance(node, And):
        for n in node.must:
            _collect(n, out)
    elif isinstance(node, Or):
        for n in node.any:
            _collect(n, out)


# --- lexing -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # word | phrase | and | or | not | minus | open | close
    text: str = ""


def _lex(text: str, problem: _Problems) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in _QUOTES:
            end = text.find(_QUOTES[ch], i + 1)
            if end < 0:
                problem("引号未闭合，已在末尾补上 (unclosed quote, closed at the end)")
                end = n
            toks.append(_Tok("phrase", text[i + 1 : end]))
            i = end + 1
        elif ch == "(":
            toks.append(_Tok("open"))
            i += 1
        elif ch == ")":
            toks.append(_Tok("close"))
            i += 1
        elif ch == "-" and i + 1 < n and not text[i + 1].isspace():  # only ever at a token's start
            toks.append(_Tok("minus"))
            i += 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in _SPECIAL:
                j += 1
            word = text[i:j]
            kind = "and" if word in AND_WORDS else "or" if word in OR_WORDS else "not" if word in NOT_WORDS else "word"
            toks.append(_Tok(kind, word))
            i = j
    return _balanced(_joined(toks), problem)


def _joined(toks: list[_Tok]) -> list[_Tok]:
    """Plain words in a row become one term, tokenised together as before this syntax existed:
    "非 法 集 资" is 非法集资, not four single characters. A word right after NOT or - is
    excluded alone (``上海 -北京 投资`` looks for 上海 and 投资)."""
    out: list[_Tok] = []
    for t in toks:
        if (t.kind == "word" and out and out[-1].kind == "word"
                and (len(out) < 2 or out[-2].kind not in ("minus", "not"))):
            out[-1] = _Tok("word", out[-1].text + " " + t.text)
        else:
            out.append(t)
    return out


def _balanced(toks: list[_Tok], problem: _Problems) -> list[_Tok]:
    """Without the ``)`` that close nothing (an unclosed ``(`` is closed by the parser)."""
    out: list[_Tok] = []
    depth = 0
    for t in toks:
        if t.kind == "close":
            if depth == 0:
                problem("多余的右括号已忽略 (unmatched ')' ignored)")
                continue
            depth -= 1
        elif t.kind == "open":
            depth += 1
        out.append(t)
    return out


class _Problems:
    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.notes: list[str] = []

    def __call__(self, note: str) -> None:
        if self.strict:
            raise QuerySyntaxError(note)
        if note not in self.notes:
            self.notes.append(note)


# --- parsing: or := and (OR and)* ; and := unary ((AND)? unary)* ; unary := (NOT|-) unary | primary
class _Parser:
    def __init__(self, toks: list[_Tok], problem: _Problems) -> None:
        self.toks = toks
        self.i = 0
        self.problem = problem
        self.terms = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def parse(self) -> tuple[list[tuple[bool, Node]], ...]:
        return self.or_expr()  # _balanced left no ")" that could stop it early

    def or_expr(self) -> tuple[list[tuple[bool, Node]], ...]:
        """The OR alternatives, each an AND group as (negated, node) items."""
        groups = [self.and_expr()]
        while (t := self.peek()) is not None and t.kind == "or":
            self.i += 1
            groups.append(self.and_expr())
        if any(not g for g in groups) and len(groups) > 1:
            self.problem("OR 两侧缺少搜索词，已忽略 (OR without a term on one side ignored)")
        return tuple(g for g in groups if g)

    def and_expr(self) -> list[tuple[bool, Node]]:
        items: list[tuple[bool, Node]] = []
        dangling = False
        while (t := self.peek()) is not None and t.kind not in ("or", "close"):
            if t.kind == "and":
                self.i += 1
                dangling = True
                if not items:
                    self.problem("AND 前缺少搜索词，已忽略 (AND without a term before it ignored)")
                continue
            item = self.unary()
            dangling = False
            if item is not None:
                items.append(item)
        if dangling and items:
            self.problem("AND 后缺少搜索词，已忽略 (AND without a term after it ignored)")
        return items

    def unary(self) -> tuple[bool, Node] | None:
        negated = False
        while (t := self.peek()) is not None and t.kind in ("not", "minus"):
            self.i += 1
            negated = not negated
        t = self.peek()
        if t is None or t.kind in ("or", "close", "and"):
            if negated:
                self.problem("NOT 或 - 后缺少搜索词，已忽略 (NOT or - without a term ignored)")
            return None
        node = self.primary()
        return (negated, node) if node is not None else None

    def primary(self) -> Node | None:
        t = self.toks[self.i]
        self.i += 1
        if t.kind == "open":
            groups = self.or_expr()
            if (c := self.peek()) is not None and c.kind == "close":
                self.i += 1
            else:
                self.problem("括号未闭合，已在末尾补上 (unclosed '(', closed at the end)")
            return _build(groups, self.problem)
        self.terms += 1
        if self.terms > MAX_TERMS:
            if self.terms == MAX_TERMS + 1:
                self.problem(f"搜索词超过 {MAX_TERMS} 个，其余已忽略 (more than {MAX_TERMS} terms: the rest ignored)")
            return None
        return _term(t.text, phrase=t.kind == "phrase")


def _term(text: str, phrase: bool) -> Term | None:
    words = tuple(query_tokens(text))
    if not words:
        return None  # punctuation only: nothing to look for (as before the syntax existed)
    grams: tuple[str, ...] = ()
    if phrase:
        grams = tuple(query_bigrams(re.sub(r"[\W_]+", "", prepare(text))))
    return Term(text, words, phrase and (len(words) > 1 or bool(grams)), grams)


def _build(groups: tuple[list[tuple[bool, Node]], ...], problem: _Problems) -> Node | None:
    alts: list[Node] = []
    for items in groups:
        must = tuple(n for neg, n in items if not neg)
        must_not = tuple(n for neg, n in items if neg)
        if not must:
            if must_not:
                problem("只有排除词而没有要找的词，排除已忽略 (an exclusion needs something to search for: ignored)")
            continue
        alts.append(must[0] if len(must) == 1 and not must_not else And(must, must_not))
    if not alts:
        return None
    return alts[0] if len(alts) == 1 else Or(tuple(alts))


def parse(text: str, strict: bool = False) -> ParsedQuery:
    """The query tree of ``text`` (see the module docstring); lenient unless ``strict``."""
    problem = _Problems(strict)
    raw = unicodedata.normalize("NFKC", text or "")
    if len(raw) > MAX_QUERY_CHARS:
        problem(f"搜索语句超过 {MAX_QUERY_CHARS} 字，已截断 (query cut at {MAX_QUERY_CHARS} characters)")
        raw = raw[:MAX_QUERY_CHARS]
    parser = _Parser(_lex(raw, problem), problem)
    root = _build(parser.parse(), problem)
    return ParsedQuery(root, problem.notes, raw.strip())
