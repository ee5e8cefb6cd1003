"""The status of one occurrence of a lexicon term: what the text does with the word.

* a promise word (principal guaranteed, direct-referral bonus ...) counts only where the
  text makes the promise: in a regulator's warning, a news report or a judgment it is
  *context*; after a negation ("no guarantee of principal") it is *negated*; in a complaint
  it is *reported*; in a sentence that warns or reports ("high interest used as bait",
  "claims", "beware") it is *warning*; otherwise *promise*;
* a label (pyramid scheme, money game, illegal fundraising) never counts by itself
  (*descriptive*), but a promoter denying it ("this is not a pyramid scheme", "you call it a
  pyramid scheme without investing a cent?") or naming itself by it is a *denial*, which
  raises the risk: honest businesses rarely need to say it.

The cues are config/analyser.yaml ``context``; the windows (a clause, a sentence) are here.
"""

from __future__ import annotations

import re

from scoring.lexicon import Occurrence
from scoring.text.record import CONTEXT_TYPES, PROMISE_TYPES
from scoring.text.rules import Rules

_CLAUSE_END = re.compile(r"[,\u3002;!?\n]")  # folded text: half-width punctuation and the ideographic full stop
_SENTENCE_END = re.compile(r"[\u3002;!?\n]")
CLAUSE_WINDOW = 12  # characters before an occurrence where its negation or denial is looked for
LIST_WINDOW = 24  # the same for a negation whose scope runs over a list
SENTENCE_WINDOW = 80  # characters either side within which an occurrence's sentence is read
ANSWER_WINDOW = 8  # characters after a label where an answer ("? no!") is looked for
QUESTION_WINDOW = 4  # characters after a label where a question mark or particle is looked for
DENIED_WARNING_WINDOW = 8  # characters before a warning word where its denial is looked for


def clause_before(folded: str, start: int, limit: int = CLAUSE_WINDOW) -> str:
    window = folded[max(0, start - limit) : start]
    cut = max((m.end() for m in _CLAUSE_END.finditer(window)), default=0)
    return window[cut:]


def sentence(folded: str, start: int, end: int) -> str:
    lo = max(0, start - SENTENCE_WINDOW)
    left = folded[lo:start]
    cut = max((m.end() for m in _SENTENCE_END.finditer(left)), default=0)
    right = folded[end : end + SENTENCE_WINDOW]
    m = _SENTENCE_END.search(right)
    return left[cut:] + folded[start:end] + (right[: m.start()] if m else right)


def warns(rules: Rules, text: str) -> bool:
    """Whether a sentence warns about or reports a promise. A warning word the speaker
    denies ("honestly not a scam", "no trick at all") is a promoter's reassurance, not a warning."""
    cx = rules.context
    for m in cx["warning_sentence"].finditer(text):
        if not cx["denied_warning"].search(text[max(0, m.start() - DENIED_WARNING_WINDOW) : m.start()]):
            return not cx["denial_before"].search(text)
    return False


def _denies(rules: Rules, o: Occurrence, folded: str, before: str) -> bool:
    cx = rules.context
    return bool(
        cx["denial_before"].search(before)
        or cx["denial_answer"].search(folded[o.end : o.end + ANSWER_WINDOW])
        or cx["self_label"].search(before)
        or o.via.startswith("pinyin:")  # zjp, cx: insiders' spelling, never a reporter's
        or (cx["denial_after"].search(folded[o.end : o.end + QUESTION_WINDOW]) and cx["denial_naming"].search(before))
    )


def status(rules: Rules, o: Occurrence, folded: str, doc_type: str) -> str:
    """promise | negated | warning | context | reported | denial | descriptive."""
    before = clause_before(folded, o.start)
    if not o.term.promise:
        return "denial" if doc_type in PROMISE_TYPES and _denies(rules, o, folded, before) else "descriptive"
    if doc_type in CONTEXT_TYPES:
        return "context"
    cx = rules.context
    if cx["negation_before"].search(before) or cx["negated_list"].search(clause_before(folded, o.start, LIST_WINDOW)):
        return "negated"
    if doc_type == "complaint":
        return "reported"
    if warns(rules, sentence(folded, o.start, o.end)):
        return "warning"
    return "promise"


def any_denial(rules: Rules, occurrences: list[Occurrence], folded: str) -> bool:
    """Whether a promoter would be denying one of the labels the text names."""
    return any(o.term.category == "labels" and status(rules, o, folded, "promo") == "denial" for o in occurrences)
