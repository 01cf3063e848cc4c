#!/bin/sh
# `seedspec init` on MusicBrainz (371 tables, 762 foreign keys), timed: the schema loaded into a
# fresh PostgreSQL database, then init, apply, apply again and plan --detailed-exitcode, each the
# CLI as a user runs it (wall, user+system CPU, peak RSS from /usr/bin/time). Run from the
# repository root; docs/benchmarks.md ("init on MusicBrainz") has the figures.
PYTHON=${PYTHON:-.venv/bin/python}
REALSCHEMAS=${REALSCHEMAS:-../shared/realschemas}
DB=${DB:-seedspec_musicbrainz}
OUT=${OUT:-/tmp/seedspec-musicbrainz}
URL=postgresql+psycopg://postgres@127.0.0.1:5432/$DB
mkdir -p "$OUT"
dropdb -h 127.0.0.1 -U postgres --if-exists --force "$DB"
createdb -h 127.0.0.1 -U postgres "$DB"
psql -q -h 127.0.0.1 -U postgres -d "$DB" -f "$REALSCHEMAS/musicbrainz/postgres.sql" >/dev/null 2>&1
timed() {
    label=$1
    shift
    /usr/bin/time -f "  $label: %e s wall, %U+%S s CPU, %M KiB peak RSS (exit %x)" "$@"
}
timed init "$PYTHON" -m seedspec init --from-database "$URL" -o "$OUT/musicbrainz.yaml" --force "$@"
timed apply "$PYTHON" -m seedspec apply -q "$OUT/musicbrainz.yaml"
timed "apply again" "$PYTHON" -m seedspec apply "$OUT/musicbrainz.yaml" | tail -1
timed "plan --detailed-exitcode" "$PYTHON" -m seedspec plan "$OUT/musicbrainz.yaml" --detailed-exitcode >/dev/null
dropdb -h 127.0.0.1 -U postgres --force "$DB"
