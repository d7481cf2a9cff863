#!/usr/bin/env bash
# The seven cases of issue 11's "Why", against real faults: a real read-only
# file (the command runs as `nobody`), another process holding the write lock,
# a real full disk (a small tmpfs), a zero-byte file, runaway memory and a
# row-by-row Filter against a large constant. Needs root (mount, runuser) and
# python3; the tests in tests/host/*faults_test.cpp cover the same ground
# without root, this script shows the real thing.
#
#   sudo tests/fault/reproducers.sh [BUILD_DIR]
#
# Prints each command with its exit status and message. Expected: no exit 134,
# no Internal error; exit 3 when a store command cannot use its store, exit 4
# when eval's result is an error value, the reason in every message.
set -uo pipefail
cd "$(dirname "$0")/../.."
bin="$(realpath "${1:-build}")/canvasfx"
[ "$(id -u)" -eq 0 ] || { echo "run as root (tmpfs, runuser)"; exit 2; }
work=$(mktemp -d /tmp/canvasfx-repro-XXXXXX)
chmod 755 "$work"
trap 'umount "$work/full" 2>/dev/null; rm -rf "$work"' EXIT

show() {  # show LABEL COMMAND...
  local label="$1"
  shift
  local out status
  out=$("$@" 2>&1)
  status=$?
  printf '%s\n  $ %s\n  exit %d: %s\n' "$label" "${*: -3}" "$status" "$(head -c 400 <<<"$out")"
}

echo "== 1. store set / store sync begin on a locked store"
"$bin" --store "$work/locked.db" store status >/dev/null
python3 - "$work/locked.db" <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE"); c.execute("UPDATE _cfx_device SET metered = 1")
open(sys.argv[1] + ".held", "w").close(); time.sleep(14)
PY
while [ ! -f "$work/locked.db.held" ]; do sleep 0.1; done
show "locked: store set connected false" "$bin" --store "$work/locked.db" store set connected false
show "locked: store sync begin" "$bin" --store "$work/locked.db" store sync begin
wait

echo "== 2. the same on a read-only store, and a write in a formula"
mkdir "$work/ro" && "$bin" --store "$work/ro/s.db" store status >/dev/null
chown -R nobody "$work/ro" && chmod 444 "$work/ro/s.db"
as_nobody() { runuser -u nobody -- "$@"; }
show "read-only: store set connected false" as_nobody "$bin" --store "$work/ro/s.db" store set connected false
show "read-only: store sync begin" as_nobody "$bin" --store "$work/ro/s.db" store sync begin
show "read-only: IfError(Patch(...))" as_nobody "$bin" --store "$work/ro/s.db" eval \
  'IfError(Patch(Accounts, First(Accounts), {Name: "q"}).Name, "ERR: " & FirstError.Message)'
show "read-only: Patch uncaught" as_nobody "$bin" --store "$work/ro/s.db" eval \
  'Patch(Accounts, First(Accounts), {Name: "q"})'

echo "== 3. creating a store on a full disk"
mkdir "$work/full"
for size in 64k 512k 2m; do
  mount -t tmpfs -o size=$size tmpfs "$work/full"
  show "full disk ($size): store status on a new store" "$bin" --store "$work/full/s.db" store status
  echo "  left behind: $(ls -A "$work/full" | tr '\n' ' ')"
  umount "$work/full"
done

echo "== 4. a disk that fills up during writes, then has room again"
mount -t tmpfs -o size=3500k tmpfs "$work/full"
"$bin" --store "$work/seed.db" store status >/dev/null
cp "$work/seed.db" "$work/full/s.db"
show "full disk: 50 writes" "$bin" --store "$work/full/s.db" eval \
  'ForAll(Sequence(50), IfError(Collect(Accounts, {Name: "w" & Value & Concat(Sequence(300), "xxxxxxxxxx")}).Name, "FAILED: " & FirstError.Message))'
show "full disk: a read meanwhile" "$bin" --store "$work/full/s.db" eval 'CountRows(Accounts)'
mount -o remount,size=50m "$work/full"
show "room again: a write" "$bin" --store "$work/full/s.db" eval 'Collect(Accounts, {Name: "after"}).Name'
show "room again: rows" "$bin" --store "$work/full/s.db" eval 'CountRows(Accounts)'
echo "  SQLite: $(python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute("PRAGMA integrity_check").fetchone()[0], c.execute("SELECT count(*) FROM Accounts").fetchone()[0], "rows", c.execute("SELECT count(*) FROM _cfx_queue").fetchone()[0], "queued")' "$work/full/s.db")"
umount "$work/full"

echo "== 5. a write that fails in a formula (see 2): IsError, Errors(source)"
show "read-only: IsError and Errors" as_nobody "$bin" --store "$work/ro/s.db" eval \
  'IsError(Patch(Accounts, First(Accounts), {Name: "q"})) & " " & First(Errors(Accounts)).Message'

echo "== 6. a zero-byte file as --store, and a half-created one"
: >"$work/zero.db"
show "zero-byte: store status" "$bin" --store "$work/zero.db" store status
show "zero-byte: eval" "$bin" --store "$work/zero.db" eval 1
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("PRAGMA journal_mode=WAL"); c.execute("CREATE TABLE t(x)"); c.execute("DROP TABLE t")' "$work/half.db"
show "half-created: store status" "$bin" --store "$work/half.db" store status
echo "  zero.db is $(stat -c %s "$work/zero.db") bytes"

echo "== 7. memory and row-by-row work"
python3 -c 'print("\"" + "x" * 50 * 1024 * 1024 + "\"")' >"$work/literal.txt"
for formula in "@$work/literal.txt" 'ForAll(Sequence(50000), ForAll(Sequence(50000), 1))' \
  'ForAll(Sequence(50000), ForAll(Sequence(50000 - Value), 1))'; do
  if [ "${formula:0:1}" = @ ]; then
    label="50 MB literal"
    /usr/bin/time -v "$bin" --store "$work/seed.db" eval - <"${formula:1}" >"$work/out" 2>"$work/err"
  else
    label="$formula"
    /usr/bin/time -v "$bin" --store "$work/seed.db" eval "$formula" >"$work/out" 2>"$work/err"
  fi
  status=$(grep -o 'Exit status: [0-9]*' "$work/err" | grep -o '[0-9]*$')
  echo "$label"
  # eval prints an error value on stdout, its own refusals on stderr.
  echo "  exit $status: $(cat "$work/out" <(grep -v -E '^\s' "$work/err" | grep -v 'Command') | head -c 300)"
  grep -E 'Elapsed|Maximum resident' "$work/err" | sed 's/^\s*/  /'
done
show "row-by-row Filter against a 450 KB constant" "$bin" --store "$work/seed.db" eval \
  'CountRows(Filter(ForAll(Sequence(3000), {n: Text(Value)}), n in Concat(Sequence(45000), Text(Value) & ",")))'
