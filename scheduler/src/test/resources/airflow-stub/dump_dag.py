# Runs a DAG file against the stand-in and prints what it made as JSON.
import json
import runpy
import sys

import airflow

names = runpy.run_path(sys.argv[1])
dag = names["dag"]
print(json.dumps({
    "dag_id": dag.dag_id,
    "description": dag.description,
    "tags": dag.tags,
    "schedule": dag.schedule,
    "tasks": [{"task_id": t.task_id, "bash_command": t.bash_command, "env": t.env, "append_env": t.append_env,
               "upstream": t.upstream,
               "execution_timeout": None if t.execution_timeout is None else t.execution_timeout.total_seconds(),
               "retries": t.retries,
               "retry_delay": None if t.retry_delay is None else t.retry_delay.total_seconds(),
               "retry_exponential_backoff": t.retry_exponential_backoff} for t in airflow.TASKS],
}))
