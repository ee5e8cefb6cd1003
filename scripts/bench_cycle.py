#!/usr/bin/env python3
"""The daily cycle on a synthetic store of ``--companies`` companies: day 0 and day 1.

Day 0: the synthetic store (scripts/synth_store.py) is loaded straight through the Store
interface (no crawl), then scored in full, alerts evaluated and delivered, and the
high-risk export written. Day 1: 1 % of the companies change (new promotional pages,
complaints, registry flags, new ties) and the incremental cycle runs: index (the store
writes a crawl would make), score, alerts, export. Scoring, alerts and export are the
cycle's own functions (smoke/cycle.py: ``score_and_save`` with its memo, analyses file and
worker count; smoke.alerts; smoke.exports.write_export), with SMOKE_HOME in a work folder.

Each stage runs in its own Python process, so its figures are its own: the time of its work
(from its first store call to its last; the table also shows the process's wall time with
interpreter start and imports, which a real cycle pays once), and peak
memory = the larger of the stage process's own peak RSS (ru_maxrss) and the peak of the
summed RSS of the process and its workers, sampled every 0.2 s. Then, on the same store,
web company search (smoke.service.search, as the search page calls it) and the company
page (every store call of the page, as ``bench store`` times it): p50 / p95.

The baseline, measured in the same run: a plain iteration over the store (every company
and its documents, read once, nothing computed). The last lines are ``key=value``:
full_score_s, full_score_peak_mib, day1_s, day1_peak_mib, search_p95_ms, page_p95_ms, then
``cycle_ratio=<full score seconds / plain iteration seconds>``.

Usage: ``./scripts/bench cycle [--companies 10000] [--backend sqlite|elasticsearch] [--work DIR]``
(elasticsearch: the node at SMOKE_ES_URL).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for p in (str(ROOT), str(ROOT / "scripts")):
    if p not in sys.path:
        sys.path.insert(0, p)

from synth_store import AS_OF, DAY1, Synth, company_index, credit_code, load  # noqa: E402

DAY0_STAGES = ("load", "baseline", "score0", "alerts0", "export0")
DAY1_STAGES = ("check1", "index1", "score1", "alerts1", "export1")
LABELS = {"load": "day 0 load (index)", "baseline": "baseline: plain iteration over the store",
          "score0": "day 0 full score", "alerts0": "day 0 alerts", "export0": "day 0 export",
          "check1": "day 1 store check (quick_check)", "index1": "day 1 index", "score1": "day 1 score",
          "alerts1": "day 1 alerts", "export1": "day 1 export", "queries": "search and company page"}
SEARCH_WORDS = ["投资", "财富", "资产管理", "科技", "鑫利", "华盈", "养老", "区块链", "深圳", "供应链", "传销", "集资"]


def say(msg: str) -> None:
    print(msg, flush=True)


# --- inside a stage process -----------------------------------------------------------------
def _settings():
    from config.settings import get_settings

    return get_settings()


def _store():
    from indexing.store import open_store

    return open_store(_settings())


def stage_load(args: argparse.Namespace) -> dict[str, Any]:
    from indexing.tokenize import analyze

    analyze("预热分词词典")  # jieba's dictionary: loaded once, before the clock
    with _store() as store:
        t = time.monotonic()
        st = load(store, Synth(args.companies, args.seed), batch=args.batch, every_s=args.progress_every,
                  label="day 0 load", jobs=args.load_jobs, opener=_store)
        load_s = time.monotonic() - t
        t = time.monotonic()
        optimize = getattr(store, "optimize", None)
        if optimize is not None:
            optimize()  # what `smoke index optimize` does after a big load
        opt_s = time.monotonic() - t
        return {"jobs": args.load_jobs, "companies": st.companies, "documents": st.documents, "records_per_s": round(st.rate, 1),
                "load_s": round(load_s, 1), "optimize_s": round(opt_s, 1)}


def stage_baseline(args: argparse.Namespace) -> dict[str, Any]:
    """Every company and its documents read once (what scoring must read at least)."""
    from scoring.scorer import company_batches

    n = docs = 0
    with _store() as store:
        for batch in company_batches(store):
            for c in batch:
                docs += len(store.documents_for(c.credit_code))
                n += 1
    return {"companies": n, "documents": docs}


def stage_score(args: argparse.Namespace, as_of: str) -> dict[str, Any]:
    from indexing.store import StoreSpec
    from smoke.cycle import analyses_path, memo_path, score_and_save, score_workers

    s = _settings()
    with _store() as store:
        workers = score_workers(store)
        scored, analysed, high = score_and_save(store, as_of, memo_path(s), progress=True, workers=workers,
                                                spec=StoreSpec.from_settings(s), analyses=analyses_path(s))
    return {"scored": scored, "analysed": analysed, "high_risk": len(high), "workers": workers}


def stage_alerts(args: argparse.Namespace, as_of: str) -> dict[str, Any]:
    from smoke.alerts import deliver_pending, evaluate_rules
    from smoke.alerts.digests import deliver_watch_digests

    s = _settings()
    with _store() as store:
        new = evaluate_rules(store, as_of)
        delivery = deliver_pending(store, home=s.home)
        watch = deliver_watch_digests(store, s.home, as_of)
    return {"new_alerts": len(new), "delivery": str(delivery)[:200], "watch": str(watch)[:200]}


def stage_export(args: argparse.Namespace, as_of: str) -> dict[str, Any]:
    from indexing.models import Run
    from smoke.exports import write_export
    from smoke.runstate import crawl_state
    from smoke.service.threshold import high_risk

    s = _settings()
    out = s.home / "exports" / f"high-risk-{as_of}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    run = Run(id=f"synthetic-{as_of}", started=as_of + "T00:00:00", finished=as_of + "T00:00:00", status="ok",
              kind="crawl")
    with _store() as store:
        manifest = write_export(store, out, fmt="csv", min_score=high_risk(), as_of=as_of, crawl=crawl_state(run))
        t = time.monotonic()
        # not part of the stage's work: how many of the planted schemes are high risk (a check
        # that the synthetic data reads as intended), and how many others are
        synth = Synth(args.companies, args.seed)
        flagged = [company_index(s.credit_code) for s in store.iter_latest_scores(min_score=high_risk())]
        check_s = time.monotonic() - t
    schemes = sum(1 for i in range(args.companies) if synth.scheme_no(i) is not None)
    hit = sum(1 for i in flagged if i is not None and synth.scheme_no(i) is not None)
    return {"rows": manifest.get("row_count", ""), "bytes": out.stat().st_size, "schemes": schemes,
            "schemes_high_risk": hit, "others_high_risk": len(flagged) - hit, "_check_s": check_s}


def stage_check(args: argparse.Namespace) -> dict[str, Any]:
    with _store() as store:
        damage = store.check_integrity()
    return {"damage": len(damage)}


def stage_index1(args: argparse.Namespace) -> dict[str, Any]:
    from indexing.tokenize import analyze

    analyze("预热分词词典")
    companies, docs = Synth(args.companies, args.seed).day1(args.churn)
    with _store() as store:
        t = time.monotonic()
        rc = store.upsert_companies(companies)
        rd = store.upsert_documents(docs)
        took = time.monotonic() - t
    # the stage's work is the store writes a crawl would make (generating the changes and
    # loading jieba's dictionary are the benchmark's, not the cycle's)
    return {"companies": len(companies), "documents": len(docs), "changed": rc.changed + rd.changed,
            "new": rc.new + rd.new, "_work_s": took}


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def stage_queries(args: argparse.Namespace) -> dict[str, Any]:
    from bench_store import company_page

    from smoke.service.filters import parse_filters
    from smoke.service.search import search_companies
    from smoke.web.routes.pages import SEARCH_SPEC

    rng = random.Random(args.seed + 4)
    search, page = [], []
    with _store() as store:
        search_companies(store, parse_filters({"q": "预热"}, SEARCH_SPEC, strict=False))  # first query warms caches
        for _ in range(args.queries):
            f = parse_filters({"q": rng.choice(SEARCH_WORDS)}, SEARCH_SPEC, strict=False)
            t = time.perf_counter()
            search_companies(store, f)
            search.append((time.perf_counter() - t) * 1000)
        for _ in range(max(20, args.queries // 2)):
            code = credit_code(rng.randrange(args.companies))
            t = time.perf_counter()
            company_page(store, code)
            page.append((time.perf_counter() - t) * 1000)
    return {"search_p50_ms": round(pct(search, 50), 1), "search_p95_ms": round(pct(search, 95), 1),
            "page_p50_ms": round(pct(page, 50), 1), "page_p95_ms": round(pct(page, 95), 1),
            "searches": len(search), "pages": len(page)}


def run_stage(args: argparse.Namespace) -> int:
    name = args.stage
    fns = {"load": stage_load, "baseline": stage_baseline, "check1": stage_check, "index1": stage_index1,
           "queries": stage_queries,
           "score0": lambda a: stage_score(a, AS_OF), "score1": lambda a: stage_score(a, DAY1),
           "alerts0": lambda a: stage_alerts(a, AS_OF), "alerts1": lambda a: stage_alerts(a, DAY1),
           "export0": lambda a: stage_export(a, AS_OF), "export1": lambda a: stage_export(a, DAY1)}
    t = time.monotonic()
    out = fns[name](args)
    took = time.monotonic() - t - out.pop("_check_s", 0.0)
    out["work_s"] = round(out.pop("_work_s", took), 2)
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU seconds of the stage process and its (waited-for) workers, start and imports included:
    # on a shared machine the wall time says how busy the machine was, this says the work
    out["cpu_s"] = round(me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime, 1)
    out["self_peak_mib"] = round(me.ru_maxrss / 1024, 1)
    out["children_peak_mib"] = round(kids.ru_maxrss / 1024, 1)
    Path(args.result).write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
    return 0


# --- the driver ---------------------------------------------------------------------------
def _tree_rss_kib(root: int) -> int:
    """Summed VmRSS of ``root`` and its descendants (found through /proc/PID/task/*/children)."""
    total, todo, seen = 0, [root], set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
                total += next((int(x.split()[1]) for x in fh if x.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return total


def measure_stage(name: str, args: argparse.Namespace, env: dict[str, str], work: Path) -> dict[str, Any]:
    result = work / f"stage-{name}.json"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--stage", name, "--result", str(result),
           "--companies", str(args.companies), "--seed", str(args.seed), "--batch", str(args.batch),
           "--queries", str(args.queries), "--churn", str(args.churn), "--load-jobs", str(args.load_jobs), "--progress-every", str(args.progress_every)]
    say(f"[stage] {LABELS[name]} ...")
    t = time.monotonic()
    proc = subprocess.Popen(cmd, env=env)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            peak[0] = max(peak[0], _tree_rss_kib(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    rc = proc.wait()
    done.set()
    sampler.join()
    took = time.monotonic() - t
    if rc:
        raise SystemExit(f"stage {name} failed (exit {rc})")
    out = json.loads(result.read_text(encoding="utf-8"))
    out["process_s"] = round(took, 2)
    # the figure: the stage's own work, without the interpreter start and imports each stage
    # process pays (a real cycle pays them once); process_s includes them
    out["s"] = out["work_s"]
    out["peak_mib"] = round(max(out["self_peak_mib"], peak[0] / 1024), 1)
    detail = ", ".join(f"{k}={v}" for k, v in out.items() if k not in ("s", "peak_mib", "work_s", "process_s"))
    say(f"[stage] {LABELS[name]}: {out['s']:,.1f} s ({took:,.1f} s with process start), peak {out['peak_mib']:,.0f} MiB ({detail})")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--companies", type=int, default=10_000)
    ap.add_argument("--backend", choices=["sqlite", "elasticsearch"], default="sqlite")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--churn", type=float, default=0.01, help="share of the companies changed on day 1")
    ap.add_argument("--batch", type=int, default=2000, help="companies (with their documents) per store call")
    ap.add_argument("--load-jobs", type=int, default=2, help="load processes (synth_store.load)")
    ap.add_argument("--queries", type=int, default=200, help="company searches (and half as many company pages)")
    ap.add_argument("--work", type=Path, default=None, help="work folder (SMOKE_HOME inside; default: a temporary one)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("--progress-every", type=float, default=30.0, help="seconds between load progress lines")
    ap.add_argument("--stage", default="", help=argparse.SUPPRESS)
    ap.add_argument("--result", default="", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.stage:
        return run_stage(args)

    work = args.work or Path(tempfile.mkdtemp(prefix="smoke-bench-cycle-"))
    work.mkdir(parents=True, exist_ok=True)
    home = work / "home"
    if home.exists():
        shutil.rmtree(home)  # a fresh store every run
    env = dict(os.environ, SMOKE_HOME=str(home), SMOKE_STORE=args.backend, PYTHONPATH=str(ROOT))
    prefix = ""
    if args.backend == "elasticsearch":
        if not os.environ.get("SMOKE_ES_URL"):
            raise SystemExit("--backend elasticsearch needs SMOKE_ES_URL (scripts/es-node start DIR prints one)")
        prefix = f"bench-cycle-{os.getpid()}"
        env["SMOKE_ES_PREFIX"] = prefix
    synth = Synth(args.companies, args.seed)
    say(f"[bench cycle] {args.companies:,} companies (about {synth.expected_documents():,} documents), "
        f"backend {args.backend}, seed {args.seed}, day-1 churn {args.churn:.1%}, work {work}")
    res: dict[str, dict[str, Any]] = {}
    try:
        for name in (*DAY0_STAGES, *DAY1_STAGES, "queries"):
            if name == "check1" and args.backend != "sqlite":
                continue
            res[name] = measure_stage(name, args, env, work)
    finally:
        if prefix:
            _drop_es(env)
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    day1 = [res[k] for k in ("index1", "score1", "alerts1", "export1")]
    say(f"{'stage':<44}{'s':>10}{'process s':>10}{'cpu s':>10}{'peak MiB':>10}")
    for k, v in res.items():
        say(f"{LABELS[k]:<44}{v['s']:>10.1f}{v['process_s']:>10.1f}{v['cpu_s']:>10.1f}{v['peak_mib']:>10.0f}")
    say(f"load_records_per_s={res['load']['records_per_s']}")
    say(f"documents={res['load']['documents']}")
    say(f"baseline_s={res['baseline']['s']}")
    if "check1" in res:
        say(f"day1_check_s={res['check1']['s']}")
    say(f"full_score_cpu_s={res['score0']['cpu_s']}")
    say(f"day1_cpu_s={round(sum(v['cpu_s'] for v in day1), 1)}")
    say(f"full_score_s={res['score0']['s']}")
    say(f"full_score_peak_mib={res['score0']['peak_mib']}")
    say(f"day1_s={round(sum(v['s'] for v in day1), 2)}")
    say(f"day1_peak_mib={max(v['peak_mib'] for v in day1)}")
    say(f"search_p95_ms={res['queries']['search_p95_ms']}")
    say(f"page_p95_ms={res['queries']['page_p95_ms']}")
    say(f"cycle_ratio={res['score0']['s'] / res['baseline']['s']:.2f}")
    return 0


def _drop_es(env: dict[str, str]) -> None:
    """Delete the benchmark's indices (its own prefix only)."""
    code = ("from indexing.store import open_store\nfrom config.settings import get_settings\n"
            "s = open_store(get_settings())\ns.destroy()\ns.close()\n")
    subprocess.run([sys.executable, "-c", code], env=env, check=False)


if __name__ == "__main__":
    raise SystemExit(main())
