# Stands in for Airflow's import surface that a generated DAG file uses (Airflow itself cannot be installed on the
# build machines): DAG as a context manager taking Airflow's keyword arguments, and a record of the tasks made.
TASKS = []


class DAG:
    def __init__(self, *, dag_id, description, schedule, start_date, catchup, tags):
        if catchup is not False or start_date.tzinfo is None:
            raise ValueError("the DAG must be without catch-up, from an aware start date")
        # Airflow takes None, a preset or a five-field cron string (read by croniter).
        if schedule is not None and not (isinstance(schedule, str) and (
                schedule in ("@hourly", "@daily", "@weekly", "@monthly", "@yearly") or len(schedule.split()) == 5)):
            raise ValueError("schedule must be None, a preset or a five-field cron: %r" % (schedule,))
        self.schedule = schedule
        self.dag_id = dag_id
        self.description = description
        self.tags = tags

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
