"""Schema of ``config/analyser.yaml``: the text analyser's knowledge as versioned data.

The cues that tell who is speaking (a promoter or a reporter), what genre a text is, in
what context a lexicon term occurs (promised, negated, warned about, denied), which
disclosures mark a licensed product, what a judgment concludes, how a collapsing platform
speaks, how pay by recruitment is phrased, and the weights of the risk components.
``scoring/text/`` compiles it once per file version; ``docs/analyser.md`` is generated
from it (``scripts/gen_analyser_docs.py``). Bump ``version`` on any change: scores
record it, and ``tests/test_config_versions.py`` fails until you do.

A cue rule is a regex ``pattern`` in which ``{cues}`` (and ``{name}`` for each list in
``lists``) stands for the alternation of that list, ``(?:a|b|c)``. Each list item is a
regex fragment (a plain word is a fragment); an analyst extends a rule with one line.
Texts are matched after folding (simplified characters, half-width punctuation, latin
lower case), so write cues that way.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

DOC_TYPES = ("judgment", "warning", "news", "complaint", "recruit", "promo")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def _check_fragment(item: str) -> str:
    if not item.strip():
        raise ValueError("empty cue")
    try:
        re.compile(item)
    except re.error as exc:
        raise ValueError(f"not a valid regex fragment {item!r}: {exc}") from exc
    return item


Fragment = Annotated[str, AfterValidator(_check_fragment)]


class Cue(BaseModel):
    """One rule: a pattern over named cue lists."""

    model_config = ConfigDict(extra="forbid")

    pattern: str = Field("{cues}", description="Regex; {cues} and {name} (a key of lists) stand for (?:a|b|c) of that list.")
    cues: list[Fragment] = Field(default_factory=list, description="The main cue list: regex fragments or words, one per line.")
    lists: dict[str, list[Fragment]] = Field(default_factory=dict, description="Further named cue lists the pattern uses.")

    @field_validator("lists")
    @classmethod
    def _lists(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        for name, items in v.items():
            if not items:
                raise ValueError(f"list {name!r} is empty")
        return v

    @model_validator(mode="after")
    def _compiles(self) -> Cue:
        names = set(_PLACEHOLDER.findall(self.pattern))
        if not names:
            raise ValueError("pattern: expected at least one {list} placeholder")
        known = {"cues", *self.lists}
        unknown = sorted(names - known)
        if unknown:
            raise ValueError(f"pattern: unknown list {', '.join(unknown)} (expected one of {', '.join(sorted(known))})")
        if "cues" in names and not self.cues:
            raise ValueError("cues: the pattern uses {cues}, expected at least one cue")
        try:
            re.compile(self.regex())
        except re.error as exc:
            raise ValueError(f"pattern: not a valid regex once the lists are filled in: {exc}") from exc
        return self

    def regex(self) -> str:
        """The pattern with each {list} replaced by the alternation of its items."""
        lists = {"cues": self.cues, **self.lists}
        return _PLACEHOLDER.sub(lambda m: "(?:" + "|".join(lists[m.group(1)]) + ")", self.pattern)


class VotingCue(Cue):
    """A structural cue that votes for a document type."""

    doc_type: str = Field(description=f"The type it votes for: one of {', '.join(DOC_TYPES)}.")
    votes: float = Field(gt=0, description="Votes added when the cue is found.")
    within: int = Field(gt=0, description="Looked for in the first this many characters of the text.")
    in_title: bool = Field(default=False, description="Also looked for in the title.")

    @field_validator("doc_type")
    @classmethod
    def _type(cls, v: str) -> str:
        if v not in DOC_TYPES:
            raise ValueError(f"expected one of {', '.join(DOC_TYPES)}")
        return v


class DocTypes(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_votes: float = Field(gt=0, description="Below this many votes for the best type, the text is 'other'.")
    head_chars: int = Field(gt=0, description="Cues count in this many first characters: the genre shows early.")
    title_factor: float = Field(gt=0, description="Cues in the title count this many times.")
    cues: dict[str, dict[str, float]] = Field(
        description="doc type -> {stock phrase: votes}. Phrases are literal (no regex), matched in one pass; "
        "each repeat of a phrase counts half the previous one."
    )
    case_number: VotingCue = Field(description="A court case number such as (2021)京0105刑初123号.")
    first_person: VotingCue = Field(description="A first-person account of paying money in: a complaint's narrative.")

    @field_validator("cues")
    @classmethod
    def _cues(cls, v: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        unknown = [t for t in v if t not in DOC_TYPES]
        if unknown:
            raise ValueError(f"unknown doc type {', '.join(unknown)}: expected one of {', '.join(DOC_TYPES)}")
        for t, phrases in v.items():
            for phrase, w in phrases.items():
                if not phrase.strip():
                    raise ValueError(f"{t}: empty phrase")
                if not 0 < w <= 10:
                    raise ValueError(f"{t}: votes of {phrase!r} must be in (0, 10], got {w}")
        return v


class Stance(BaseModel):
    """Who is speaking: used to settle a document's type when its genre cues are thin or borrowed."""

    model_config = ConfigDict(extra="forbid")

    promoter: Cue = Field(description="A promoter speaks in the first person and calls readers to act (counted).")
    reporter: Cue = Field(description="Reporters, regulators and lawyers cite authorities and warn (counted).")
    commentary: Cue = Field(description="General commentary (a law firm's or an educator's article) about schemes, naming no one.")
    sales_call: Cue = Field(description="A call to sign up or make contact: invite codes, WeChat, QR codes (counted).")
    suspect: Cue = Field(description="A warning or report that names a suspect rather than describing schemes in general (counted).")


class Context(BaseModel):
    """The status of one lexicon occurrence: promise, negated, warning, denial ..."""

    model_config = ConfigDict(extra="forbid")

    denial_before: Cue = Field(description="A promoter's own denial of a label, read in the clause before it: 这不是传销.")
    denial_after: Cue = Field(description="A question right after a label (传销吗?), a denial when denial_naming precedes it.")
    denial_naming: Cue = Field(description="'Call it / count it as' just before a label, which a question after it turns into a denial.")
    denial_answer: Cue = Field(description="A label asked and answered at once: 传销?不是!")
    self_label: Cue = Field(description="A promoter naming itself by the label (我们是资金盘新模式): as telling as a denial.")
    negation_before: Cue = Field(description="A plain negation of a promise word in the clause before it: 不承诺保本.")
    negated_list: Cue = Field(description="A negation whose scope runs over a list: 严禁任何形式的入门费和团队计酬.")
    warning_sentence: Cue = Field(description="A sentence that warns about or reports a promise rather than making it.")
    denied_warning: Cue = Field(description="A warning word the speaker denies (不是骗局, 没有套路): a reassurance, not a warning.")


class Verdicts(BaseModel):
    """What a judgment concludes: read into TextAnalysis.verdicts."""

    model_config = ConfigDict(extra="forbid")

    conviction: Cue = Field(description="The court convicts (判处, 有期徒刑, 罪名成立 ...).")
    fundraising_crime: Cue = Field(description="The crime is illegal fundraising or a pyramid scheme.")


class Collapse(BaseModel):
    """A platform's own notice that money can no longer come out: the collapse stage of a scheme."""

    model_config = ConfigDict(extra="forbid")

    halt: Cue = Field(description="Withdrawals or repayments stopped, limited or postponed.")
    reassure: Cue = Field(description="The reassurance such notices carry (耐心等待, 不要听信谣言, 分期兑付); required with halt.")
    maintenance_window: Cue = Field(description="A scheduled maintenance window (00:00-04:00): a bank's notice, not a collapse.")


class RecruitPay(BaseModel):
    """Pay by recruitment (禁止传销条例 第七条)."""

    model_config = ConfigDict(extra="forbid")

    recruit_count: Cue = Field(description="Pay or promotion by the number of people recruited: 拉两个人回本, 推荐5人升级.")
    per_recruit_reward: Cue = Field(description="A reward for each person recruited: 每发展一个会员奖励1000元 (counts with entry_fee).")
    entry_fee: Cue = Field(description="Joining costs money: 缴纳2980元成为VIP, 入门费. Without it a per-recruit reward is a shop's coupon.")


class YieldCurve(BaseModel):
    model_config = ConfigDict(extra="forbid")

    above_bank_multiple: float = Field(gt=0, description="A promised rate above this many times the LPR starts to count.")
    ceiling_multiple: float = Field(gt=0, description="The judicial ceiling for private lending, times the LPR.")
    at_ceiling: float = Field(ge=0, le=100, description="Points at the ceiling (linear from 0 above the bank's rate).")
    above_ceiling: float = Field(ge=0, le=100, description="Points just above the ceiling.")
    usury_rate: float = Field(gt=0, description="Annual rate (%) beyond which lending is void.")
    at_usury: float = Field(ge=0, le=100, description="Points at the usury rate (linear from above_ceiling).")
    per_decade: float = Field(ge=0, description="Points per tenfold beyond the usury rate.")
    cap: float = Field(ge=0, le=100, description="The yield component never exceeds this.")


class PromiseRisk(BaseModel):
    """Promotional, recruiting and other texts: the text is the promise."""

    model_config = ConfigDict(extra="forbid")

    category_cap: float = Field(gt=0, description="One lexicon category adds at most this much feature weight.")
    feature_scale: float = Field(gt=0, description="Feature weight that gives 63 points (100 * (1 - e^-1)).")
    guarantee_with_yield: float = Field(ge=0, le=100, description="Principal guaranteed at a rate above the bank's.")
    strong_guarantee_with_yield: float = Field(ge=0, le=100, description="The same with a strong guarantee term.")
    strong_term_weight: float = Field(gt=0, description="A lexicon weight at least this makes a guarantee strong, a pattern named.")
    named_pattern_each: float = Field(ge=0, description="Each Supreme People's Court pattern promised (售后包租 ...).")
    named_pattern_cap: float = Field(ge=0, le=100, description="At most this from named patterns.")
    daily_payout: float = Field(ge=0, le=100, description="Returns paid every day.")
    pay_per_recruit: float = Field(ge=0, le=100, description="Pay by recruitment (recruit_pay).")
    denial_each: float = Field(ge=0, description="Each denial of a label by the promoter.")
    denial_cap: float = Field(ge=0, le=100, description="At most this from denials.")
    legit_damping_each: float = Field(ge=0, le=1, description="Each legitimacy disclosure takes this share off the risk.")
    legit_damping_floor: float = Field(ge=0, le=1, description="Disclosures never take the risk below this share.")
    legit_max_rate_multiple: float = Field(gt=0, description="Disclosures do not dampen rates above this many times the LPR.")
    other_factor: float = Field(ge=0, le=1, description="A text of type 'other' keeps this share of its risk.")
    withdrawal_halt: float = Field(ge=0, le=100, description="The platform's own notice that withdrawals stopped.")


class ComplaintRisk(BaseModel):
    model_config = ConfigDict(extra="forbid")

    severity_cap: float = Field(ge=0, le=100, description="At most this from severity words (无法提现, 跑路).")
    severity_scale: float = Field(gt=0, description="Severity weight that gives 63 points.")
    reported_factor: float = Field(ge=0, le=1, description="Share of the promises the complainant reports.")
    reported_scale: float = Field(gt=0, description="Reported promise weight that gives 63 points (before the share).")
    yield_factor: float = Field(ge=0, le=1, description="Share of the yield component for a reported yield.")


class JudgmentRisk(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fundraising_conviction: float = Field(ge=0, le=100, description="A conviction for a fundraising crime.")
    fundraising_case: float = Field(ge=0, le=100, description="A fundraising crime named without a conviction.")
    other: float = Field(ge=0, le=100, description="Any other judgment.")


class ReportRisk(BaseModel):
    """Warnings and news: about schemes in general; modest unless a scheme is named as suspect."""

    model_config = ConfigDict(extra="forbid")

    per_label: float = Field(ge=0, description="Points per label (传销, 非法集资) named.")
    per_severity: float = Field(ge=0, description="Points per unit of severity weight.")
    cap: float = Field(ge=0, le=100, description="At most this from labels and severity.")
    commentary_factor: float = Field(ge=0, le=1, description="Commentary naming no suspect keeps this share.")
    named_suspect_each: float = Field(ge=0, description="Each suspect named.")
    named_suspect_cap: float = Field(ge=0, le=100, description="At most this from named suspects.")


class Risk(BaseModel):
    """Risk components per genre, combined by noisy-or: 100 * (1 - prod(1 - c/100))."""

    model_config = ConfigDict(extra="forbid")

    yield_curve: YieldCurve = Field(description="Promised annual rate -> points.")
    promise: PromiseRisk = Field(description="promo, recruit, other.")
    complaint: ComplaintRisk = Field(description="complaint.")
    judgment: JudgmentRisk = Field(description="judgment.")
    report: ReportRisk = Field(description="warning, news.")


class AnalyserConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str = Field(description="Recorded with every analysis and score; bump it on any change.")
    description: str = ""
    doc_types: DocTypes = Field(description="Genre: stock phrases and structural cues voting for each document type.")
    stance: Stance = Field(description="Who is speaking.")
    context: Context = Field(description="The status of one occurrence of a lexicon term.")
    legitimacy: Cue = Field(description="A licensed product's disclosures (理财非存款, 业绩比较基准 ...), counted; they dampen risk.")
    verdicts: Verdicts = Field(description="What a judgment concludes.")
    collapse: Collapse = Field(description="A platform's notice that withdrawals stopped.")
    recruit_pay: RecruitPay = Field(description="Pay by recruitment.")
    risk: Risk = Field(description="Risk-component weights per genre.")
