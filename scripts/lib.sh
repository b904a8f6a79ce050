#!/usr/bin/env bash
# Shared set-up for ./run, ./test and ./aicc: installs what is missing, manages the
# private PostgreSQL cluster and builds the solution. Sourced, never run directly.

AICC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
AICC_DATA="${AICC_DATA:-$AICC_ROOT/.data}"
PG_BIN="${PG_BIN:-}"
_apt_updated=0

log() { printf '[aicc] %s\n' "$*" >&2; }
die() { printf '[aicc] error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs the named Debian packages that are not installed yet. Daemons are kept from
# auto-starting (no systemd here; our scripts start what they need themselves).
ensure_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod +x /usr/sbin/policy-rc.d
  fi
  if [ "$_apt_updated" = 0 ]; then
    as_root apt-get update -qq >&2 || die "apt-get update failed"
    _apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
    || die "apt-get install ${missing[*]} failed"
}

ensure_dotnet() {
  command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK is required (dotnet on PATH)"
  # The host's build bundles the pages' npm packages (src/Api/Web/Client).
  command -v npm >/dev/null 2>&1 || ensure_packages nodejs npm
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
}

# The SIP/WebRTC edge for agents' browser phones: kamailio (WebSocket transport, auth against
# the platform's PostgreSQL) and userspace rtpengine (no kernel module).
ensure_edge_packages() {
  ensure_packages kamailio kamailio-websocket-modules kamailio-postgres-modules rtpengine-daemon
}

# The address the edge listens on: AICC_EDGE_ADDRESS, else this machine's primary IPv4 (browsers'
# ICE ignores loopback-only candidates), else loopback.
edge_address() {
  if [ -n "${AICC_EDGE_ADDRESS:-}" ]; then printf '%s' "$AICC_EDGE_ADDRESS"; return 0; fi
  local address
  address="$(ip -4 -o route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p')"
  printf '%s' "${address:-127.0.0.1}"
}

find_pg_bin() {
  [ -n "$PG_BIN" ] && return 0
  ensure_packages postgresql postgresql-contrib
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -x "$PG_BIN/initdb" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql"
}

# The cluster lives under .data/pg, owned by the postgres user (initdb refuses root).
# If the postgres user cannot reach the checkout (a private home folder), the cluster
# goes under /var/tmp instead, keyed by the checkout's path.
pg_dir() {
  local dir="$AICC_DATA/pg"
  mkdir -p "$AICC_DATA"
  if ! runuser -u postgres -- test -x "$AICC_DATA" 2>/dev/null; then
    dir="/var/tmp/aicc-pg-$(printf '%s' "$AICC_ROOT" | md5sum | cut -c1-12)"
  fi
  printf '%s' "$dir"
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Starts the private cluster unless it runs already; sets AICC_CONNECTION and
# PG_STARTED_BY_US=1 when this call started it.
pg_start() {
  PG_STARTED_BY_US=0
  if [ -n "${AICC_CONNECTION:-}" ]; then
    log "using PostgreSQL from AICC_CONNECTION"
    return 0
  fi
  find_pg_bin
  local dir; dir="$(pg_dir)"
  PG_DIR="$dir"
  mkdir -p "$dir"
  chown postgres:postgres "$dir" 2>/dev/null || true
  if [ ! -f "$dir/cluster/PG_VERSION" ]; then
    log "initialising a private PostgreSQL cluster in $dir/cluster"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$dir/cluster" -U postgres --auth=trust \
      --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    runuser -u postgres -- mkdir -p "$dir/sock"
  fi
  local port
  if runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/cluster" status >/dev/null 2>&1; then
    port="$(cat "$dir/port")"
  else
    port="${AICC_PG_PORT:-$(cat "$dir/port" 2>/dev/null || echo 55432)}"
    while ! port_free "$port"; do port=$((port + 1)); done
    printf '%s' "$port" | runuser -u postgres -- tee "$dir/port" >/dev/null
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/cluster" -l "$dir/server.log" -w -t 60 start \
      -o "-p $port -k $dir/sock -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=256MB -c max_prepared_transactions=20" \
      >/dev/null || { tail -n 30 "$dir/server.log" >&2; die "PostgreSQL did not start"; }
    PG_STARTED_BY_US=1
    log "PostgreSQL running on 127.0.0.1:$port"
  fi
  runuser -u postgres -- "$PG_BIN/psql" -h "$dir/sock" -p "$port" -U postgres -tAc \
    "select 1 from pg_database where datname='aicc'" | grep -q 1 \
    || runuser -u postgres -- "$PG_BIN/createdb" -h "$dir/sock" -p "$port" -U postgres aicc
  PG_PORT="$port"
  export AICC_CONNECTION="Host=127.0.0.1;Port=$port;Username=postgres;Database=aicc"
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/cluster" -m fast -w stop >/dev/null 2>&1 || true
  log "PostgreSQL stopped"
}

# Builds the host/CLI when any source is newer than the last build (a no-op build of the
# whole solution still costs seconds; ./aicc is run often).
AICC_BIN="$AICC_ROOT/artifacts/bin/aicc"
build_cli() {
  ensure_dotnet
  local stamp="$AICC_ROOT/artifacts/.cli-built"
  if [ -f "$stamp" ] && [ -x "$AICC_BIN/aicc" ] && \
     [ -z "$(find "$AICC_ROOT/src" "$AICC_ROOT/Directory.Build.props" "$AICC_ROOT/Directory.Packages.props" \
             -newer "$stamp" -not -path '*/node_modules/*' -not -path '*/Assets/dist/*' \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.sql' -o -name '*.json' -o -name '*.html' -o -name '*.js' -o -name '*.css' \) -print -quit)" ]; then
    return 0
  fi
  log "building the host"
  mkdir -p "$AICC_ROOT/artifacts"
  dotnet build "$AICC_ROOT/src/Api/Api.csproj" -c Release -o "$AICC_BIN" -nologo -v q "-clp:ErrorsOnly;NoSummary" >&2 \
    || die "build failed"
  touch "$stamp"
}
