"""`smoke lexicon suggest`: propose new feature words with gensim Word2Vec.

Trains Word2Vec on the jieba tokens of stored promotional and recruiting documents
(lexicon terms added to jieba's dictionary so each is one token) and lists, for each
seed term of config/lexicon.yaml, the nearest tokens that are not already in the
lexicon. Writes the suggestions to a YAML file for an analyst; applies nothing.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click
import yaml

from smoke.cli_text import t

_TOKEN_OK = re.compile(r"^[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9]+$")


def suggest(token_docs: list[list[str]], seeds: dict[str, str], known: set[str], topn: int = 5,
            min_count: int = 3, min_similarity: float = 0.5, seed: int = 1) -> list[dict]:
    """[{term, near, category, similarity}] best first; deterministic for one corpus and seed."""
    from gensim.models import Word2Vec

    w2v = Word2Vec(sentences=token_docs, vector_size=64, window=5, min_count=min_count, workers=1, seed=seed,
                   epochs=20, sg=1)
    found: dict[str, dict] = {}
    for term, category in sorted(seeds.items()):
        if term not in w2v.wv:
            continue
        for cand, sim in w2v.wv.most_similar(term, topn=topn * 3):
            if cand in known or not _TOKEN_OK.match(cand) or sim < min_similarity:
                continue
            if cand not in found or sim > found[cand]["similarity"]:
                found[cand] = {"term": cand, "near": term, "category": category, "similarity": round(float(sim), 3)}
    return sorted(found.values(), key=lambda r: (-r["similarity"], r["term"]))


@click.group("lexicon")
def lexicon() -> None:
    """特征词词库（config/lexicon.yaml）。

    The feature-word lexicon (config/lexicon.yaml)."""


@lexicon.command("suggest")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("lexicon-suggestions.yaml"),
              show_default=True, help="YAML file of suggestions for an analyst to review.")
@click.option("--topn", default=5, show_default=True, help="Neighbours considered per seed term.")
@click.option("--min-count", default=3, show_default=True, help="Ignore tokens rarer than this.")
@click.option("--min-similarity", default=0.5, show_default=True, help="Cosine similarity floor.")
@click.option("--limit", default=50, show_default=True, help="Rows to print.")
def suggest_cmd(out: Path, topn: int, min_count: int, min_similarity: float, limit: int) -> None:
    """用已存推广文本训练 Word2Vec，推荐与种子词相近的新词。

    Train Word2Vec on stored promotional text and propose terms near the seed terms.

    Nothing is applied: review the YAML and copy accepted terms into config/lexicon.yaml.
    """
    import jieba

    from indexing.store import open_store
    from scoring.lexicon import load_lexicon
    from scoring.text import analyze

    lex = load_lexicon()
    jieba.setLogLevel(60)
    seeds: dict[str, str] = {}
    for cat_id, cat in lex.config.categories.items():
        if cat.promise:
            for term in cat.terms:
                jieba.add_word(term)
                seeds[term] = cat_id
    known = {t for cat in lex.config.categories.values() for t in cat.terms}
    docs: list[list[str]] = []
    store = open_store()
    try:
        for n, d in enumerate(store.iter_documents("promo"), 1):
            if analyze(d.text, d.title, normalized=True).doc_type in ("promo", "recruit"):
                docs.append([t for t in jieba.cut(d.text) if t.strip()])
            if n % 500 == 0:
                click.echo("\r" + t("lexicon.reading", n=n, promo=len(docs)), nl=False, err=True)
    finally:
        store.close()
    click.echo("\r" + t("lexicon.read", n=len(docs)), err=True)
    if len(docs) < 5:
        raise click.ClickException(t("lexicon.too_few"))
    rows = suggest(docs, seeds, known, topn=topn, min_count=min_count, min_similarity=min_similarity)
    from smoke.commands.core import _pad

    c = t("lexicon.cols").split("|")
    click.echo(f"{_pad(c[0], 14)}{_pad(c[1], 14)}{_pad(c[2], 22)}{c[3]}")
    for r in rows[:limit]:
        click.echo(f"{_pad(r['term'], 14)}{_pad(r['near'], 14)}{r['category']:<22}{r['similarity']:.3f}")
    out.write_text("# Suggested by `smoke lexicon suggest`; nothing applied. Copy accepted terms into config/lexicon.yaml\n"
                   "# under their category with a weight.\n"
                   + yaml.safe_dump({"lexicon_version": lex.version, "suggestions": rows}, allow_unicode=True, sort_keys=False),
                   encoding="utf-8")
    click.echo(t("lexicon.written", n=len(rows), out=out))
    sys.stdout.flush()


COMMANDS = [lexicon]
