"""Fixtures for the scheduler tests: a SMOKE_HOME per test and a launcher that runs the
real `smoke` CLI in a subprocess with ``smoke.cycle.run_cycle`` replaced by a job that
records its run in a file and sleeps (the real cycle needs a crawled world)."""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

LAUNCHER = textwrap.dedent(
    """
    import os, sys, time, types
    sys.path.insert(0, {repo!r})
    fake = types.ModuleType("smoke.cycle")

    def run_cycle(settings=None, *, world_dir=None, as_of=None, sources=None, progress=True):
        with open(os.environ["FAKE_CYCLE_OUT"], "a", encoding="utf-8") as fh:
            fh.write(f"{{os.getpid()}} {{time.time():.3f}} {{sources}}\\n")
        time.sleep(float(os.environ.get("FAKE_CYCLE_SLEEP", "0")))
        return "fake cycle result"

    fake.run_cycle = run_cycle
    sys.modules["smoke.cycle"] = fake
    from smoke.cli import main
    sys.argv = ["smoke", *sys.argv[1:]]
    main()
    """
)


@pytest.fixture
def launcher(tmp_path: Path) -> list[str]:
    path = tmp_path / "launch_smoke.py"
    path.write_text(LAUNCHER.format(repo=str(REPO)), encoding="utf-8")
    return [sys.executable, str(path)]


@pytest.fixture
def sub_env(home: Path, tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        SMOKE_HOME=str(home),
        FAKE_CYCLE_OUT=str(tmp_path / "runs.txt"),
        FAKE_CYCLE_SLEEP="2",
        PYTHONPATH=str(REPO),
        SMOKE_LOG_LEVEL="INFO",
    )
    return env
