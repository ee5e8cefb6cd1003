# Sourced by scripts/test: the system packages the suite needs besides Python's.
# As root (CI, a fresh machine) they are installed with apt-get (one `apt-get update`
# first); otherwise one line says what is missing and how to get it, and the tests that
# need it say so when they run.
SYSTEM_PACKAGES=(redis-server chromium maven fonts-wqy-microhei)

_missing_system_packages() {
  local missing=()
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v mvn >/dev/null 2>&1 || missing+=(maven)  # fetches the Elasticsearch distribution
  # A Chinese font, so the browser's screenshots (scripts/screenshots) show characters, not boxes
  [ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
  echo "${missing[@]}"
}

ensure_system_packages() {
  local missing
  missing=$(_missing_system_packages)
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "[setup] apt-get install $missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    # shellcheck disable=SC2086  # one word per package
    if apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends $missing >/dev/null; then
      return 0
    fi
    echo "[setup] apt-get could not install: $missing" >&2
  fi
  missing=$(_missing_system_packages)
  echo "[setup] missing system packages: $missing (as root: apt-get install $missing); their tests will say so" >&2
}
