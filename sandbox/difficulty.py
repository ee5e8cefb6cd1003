"""How hard a world is to read: the knobs the generator consults, one preset per level.

``easy`` is the world the tests were built on: schemes leave complaints, judgments and
registry flags, look-alikes leave none (separable by construction). ``hard`` adds what
a regulator actually meets (issue 15): schemes that stay silent until they collapse,
yields hidden in images or coded words, legitimate firms with angry customers, licensed
finance firms with registry flags, innocent companies named in passing by news and
warnings, crowded mass-registration addresses, evasion-heavy promotions, schemes
reborn under a new name, and disguised schemes whose own site reads like any small firm's
(they recruit offline, at seminars and through acquaintances, and surface only when they
collapse). Every knob is a probability or a share, 0 in ``easy`` where the
easy world has no such thing, so the easy world's bytes do not change.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Difficulty:
    name: str
    quiet_scheme: float  # share of schemes with no complaint, judgment, flag or warning before collapse
    hidden_yield: float  # share of schemes whose yields sit in images or coded words only
    evasion_levels: tuple[float, ...]  # per-scheme share of sentences that use an evasion trick
    rebirth: float  # chance a new scheme is a collapsed one under a new name
    hub_address: float  # chance an address is a mass-registration address (商务秘书集中登记地)
    hubs_per_region: int  # how many such addresses a region has (fewer: more crowded)
    angry_ordinary: float  # chance an ordinary firm draws angry complaints (closed gym, late refund)
    bystander_news: float  # chance a news report or warning names an innocent company in passing
    # share of schemes that recruit offline behind a bland site (and are quiet): nothing online reads
    # as a scheme before the collapse, so no index can rank them early (a floor on recall, AUC < 1)
    disguised: float = 0.0
    # extra look-alike kinds and their weights (added to the easy ones)
    extra_lookalikes: tuple[tuple[str, float], ...] = ()


EASY = Difficulty(
    name="easy", quiet_scheme=0.0, hidden_yield=0.0, evasion_levels=(0.0, 0.0, 0.2, 0.4, 0.7), rebirth=0.25,
    hub_address=0.04, hubs_per_region=3, angry_ordinary=0.0, bystander_news=0.0,
)

HARD = Difficulty(
    name="hard", quiet_scheme=0.35, hidden_yield=0.3, evasion_levels=(0.2, 0.5, 0.7, 0.9, 1.0), rebirth=0.4,
    hub_address=0.12, hubs_per_region=2, angry_ordinary=0.02, bystander_news=0.6, disguised=0.08,
    extra_lookalikes=(("angry_customers", 0.12), ("licensed_flagged", 0.08), ("named_in_news", 0.10)),
)

LEVELS: dict[str, Difficulty] = {d.name: d for d in (EASY, HARD)}


def difficulty(name: str) -> Difficulty:
    """The preset called ``name`` (clear error otherwise)."""
    try:
        return LEVELS[name]
    except KeyError:
        raise ValueError(f"difficulty: expected one of {', '.join(LEVELS)}, got {name!r}") from None
