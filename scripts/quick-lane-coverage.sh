#!/usr/bin/env bash
# The quick lane (pytest -m "not slow") under coverage: its wall time, its slowest tests, and
# the modules it runs less than MIN percent of (default 80). Only code run inside the pytest
# process counts: a module that the lane runs only through `kodeklar` in a subprocess shows
# as unrun, which is the point: the quick loop should exercise it in-process.
#
#   bash scripts/quick-lane-coverage.sh [MIN] [extra pytest arguments…]
#
# Needs the dev extra (pip install -e '.[dev]', which brings coverage).
set -uo pipefail
cd "$(dirname "$0")/.."
min="${1:-80}"
shift $(( $# > 0 ? 1 : 0 ))
data=".cache/coverage/quick-lane"
mkdir -p "$(dirname "$data")"

start=$SECONDS
python -m coverage run --data-file="$data" --source=kodeklar,transcribe,anonymise \
    -m pytest -m "not slow" -q --durations=25 "$@"
rc=$?
echo "quick lane: $(( SECONDS - start )) s wall under coverage, pytest exit $rc"

echo "modules under ${min} %:"
python -m coverage report --data-file="$data" --sort=cover \
    | awk -v min="$min" 'NR <= 2 || $1 == "TOTAL" || ($NF ~ /%$/ && $NF + 0 < min)'
exit $rc
