# Sourced by scripts/run and scripts/test: make .venv and install the project into it,
# again only when pyproject.toml changed since the last install.
# Usage: ensure_venv "" | ensure_venv "[test]"
ensure_venv() {
  # Two statements: in one `local a=… b=…${a…}`, $a is expanded before it is set, and the
  # test extras then shared the plain install's stamp (never installed after ./scripts/run).
  local extras="$1"
  local stamp=".venv/.installed${extras:+-test}"
  if [ ! -x .venv/bin/python ]; then
    echo "[setup] creating .venv" >&2
    python3 -m venv .venv
    .venv/bin/python -m pip install -q --upgrade pip >&2
  fi
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "[setup] installing smokewatch${extras} into .venv (first time takes a few minutes)" >&2
    .venv/bin/python -m pip install -q -e ".${extras}" >&2
    touch "$stamp"
  fi
}
