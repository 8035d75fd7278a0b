"""Eval suites for prompt engineers: a prompt x model x judge matrix run through the batch job,
rows with per-cohort scores, paired comparisons with intervals, an HTML report, rescoring of
stored stories, and judge calibration against human labels.

`suite` (the TOML file, typed) → `listeners` (stratified sample) → `runner` (one batch run per
cell) → `rows` (via `RunStore`, with `metrics`) → `compare` / `report` / `rescore` /
`calibrate`. Only `wrapped.cli.eval_cmd` imports this package.
"""
