"""An Airflow DAG running the chain one `BashOperator` per stage.

Airflow fails a BashOperator task on a non-zero exit, so a monitor alert (exit 1) stops the
DAG before `review_sample`, and the stage that failed is the one marked red. Relies only on the
`wrapped` CLI and its exit codes.
"""

from __future__ import annotations

from datetime import UTC, datetime

from airflow import DAG
from airflow.operators.bash import BashOperator

WORK = "/data/wrapped"
RUN = "{{ ds[:7] }}"  # one run per month, named by the logical date

with DAG(
    dag_id="wrapped_monthly",
    schedule="0 3 2 * *",
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
) as dag:
    ingest = BashOperator(
        task_id="ingest", bash_command=f"wrapped ingest /data/exports --out {WORK}/ingest/{RUN}"
    )
    stats = BashOperator(
        task_id="stats", bash_command=f"wrapped stats {WORK}/ingest/{RUN} --out {WORK}/stats/{RUN}"
    )
    generate = BashOperator(
        task_id="generate",
        bash_command=(
            f"wrapped generate {WORK}/ingest/{RUN} --out {WORK}/runs --run-id {RUN} "
            "--max-failure-rate 0.02"
        ),
    )
    monitor = BashOperator(
        task_id="monitor",
        bash_command=(
            f"wrapped monitor {WORK}/runs/{RUN} --baseline {WORK}/runs/last-good "
            f"--json {WORK}/monitor/{RUN}.json --html {WORK}/monitor/{RUN}.html"
        ),
    )
    review_sample = BashOperator(
        task_id="review_sample",
        bash_command=f"ln -sfn {WORK}/runs/{RUN} {WORK}/runs/last-good && echo sample {RUN}",
    )
    ingest >> stats >> generate >> monitor >> review_sample
