#!/bin/sh
# The monthly chain: ingest -> stats -> generate -> monitor -> review sample.
# Every step is a `wrapped` command; a non-zero exit stops the chain (set -e), so stories from a
# run the monitor flags never reach the review queue or the listeners.
#   exit codes: 0 ok; 1 monitor alert (or generate past --max-failure-rate);
#               2 bad input or config; 130/143 interrupted (rerun the same command to resume)
set -eu
DATA=${DATA:-/data/exports}          # this month's exports
WORK=${WORK:-/data/wrapped}          # ingest, stats and runs live here
BASELINE=${BASELINE:-$WORK/runs/last-good}
RUN_ID=${RUN_ID:-$(date -u +%Y-%m)}

wrapped ingest "$DATA" --out "$WORK/ingest/$RUN_ID"
wrapped stats "$WORK/ingest/$RUN_ID" --out "$WORK/stats/$RUN_ID"
wrapped generate "$WORK/ingest/$RUN_ID" --out "$WORK/runs" --run-id "$RUN_ID" --max-failure-rate 0.02
wrapped monitor "$WORK/runs/$RUN_ID" --baseline "$BASELINE" \
  --json "$WORK/monitor/$RUN_ID.json" --html "$WORK/monitor/$RUN_ID.html"
# only a run the monitor passed becomes the next baseline and goes to review
ln -sfn "$WORK/runs/$RUN_ID" "$BASELINE"
echo "run $RUN_ID passed the monitor: sample it for review"
