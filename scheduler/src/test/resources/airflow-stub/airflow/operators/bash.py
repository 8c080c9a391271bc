# BashOperator's constructor as Airflow 2.4+ and 3.x take it, and the >> dependencies between tasks.
from datetime import timedelta

from airflow import TASKS


class BashOperator:
    def __init__(self, *, task_id, bash_command, env, append_env, execution_timeout=None, retries=None,
                 retry_delay=None, retry_exponential_backoff=False):
        if not isinstance(bash_command, str) or not all(isinstance(v, str) for v in env.values()):
            raise TypeError("bash_command and every env value must be text")
        # BaseOperator's: execution_timeout a timedelta (per try), retries a count of tries after the first.
        if execution_timeout is not None and not isinstance(execution_timeout, timedelta):
            raise TypeError("execution_timeout must be a timedelta: %r" % (execution_timeout,))
        if retries is not None and not (isinstance(retries, int) and retries >= 0):
            raise TypeError("retries must be a whole number from 0: %r" % (retries,))
        if retry_delay is not None and not isinstance(retry_delay, timedelta):
            raise TypeError("retry_delay must be a timedelta: %r" % (retry_delay,))
        if not isinstance(retry_exponential_backoff, bool):
            raise TypeError("retry_exponential_backoff must be True or False")
        self.execution_timeout = execution_timeout
        self.retries = retries
        self.retry_delay = retry_delay
        self.retry_exponential_backoff = retry_exponential_backoff
        self.task_id = task_id
        self.bash_command = bash_command
        self.env = env
        self.append_env = append_env
        self.upstream = []
        TASKS.append(self)

    def __rshift__(self, other):
        other.upstream.append(self.task_id)
        return other

    def __rrshift__(self, others):
        for o in others:
            self.upstream.append(o.task_id)
        return self
