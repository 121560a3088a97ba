#!/usr/bin/env bash
# Installs what `make test` needs beyond a Rust toolchain, by package name (Debian's apt, PyPI, rustup
# components), and starts the PostgreSQL server its tests use. Cheap when everything is there: each tool is
# looked up first. `make test` runs it first; `.ci/run` runs `make test`.
#   - nginx, shellcheck, python3 + pyyaml: the deployment check (deploy/check.py)
#   - chromium, node, npm: the console's browser tests
#   - PostgreSQL with the orafce extension: the app store on PostgreSQL, the PostgreSQL source, and the
#     product benchmark's Oracle stand-in (`pstral eval --demo --dialect oracle`)
# Installing needs root (apt-get); without it, the missing packages are named and the script stops.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
apt_updated=0
apt_install() {
  if [ "$(id -u)" != 0 ]; then
    echo "deps: missing packages: $*; install them (as root: apt-get install $*) and run again" >&2
    exit 1
  fi
  [ "$apt_updated" = 1 ] || { apt-get update -qq; apt_updated=1; }
  apt-get install -y -qq "$@"
}

need_apt=()
for tool in make:make gcc:gcc pkg-config:pkg-config python3:python3 psql:postgresql-client nginx:nginx \
  shellcheck:shellcheck chromium:chromium node:nodejs npm:npm; do
  command -v "${tool%%:*}" >/dev/null || need_apt+=("${tool#*:}")
done
[ ${#need_apt[@]} -eq 0 ] || apt_install "${need_apt[@]}"
python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip
python3 -c 'import yaml' 2>/dev/null || python3 -m pip install --quiet 'pyyaml==6.0.2'
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt

# PostgreSQL: the store and the PostgreSQL source are tested against a real server, unless
# PSTRAL_TEST_PG_URL points at another machine's.
PG_URL=${PSTRAL_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/test}
if [ -z "${PSTRAL_TEST_PG_URL:-}" ] || [[ "$PG_URL" == *@127.0.0.1:5432/* ]]; then
  ls /etc/postgresql >/dev/null 2>&1 || apt_install postgresql
  version=$(find /etc/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -n | tail -n1)
  [ -f "/usr/share/postgresql/$version/extension/orafce.control" ] || apt_install "postgresql-$version-orafce"
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  psql "$PG_URL" -qAtc 'SELECT 1' >/dev/null 2>&1 || psql -h 127.0.0.1 -U postgres -qc 'CREATE DATABASE test' postgres
fi
