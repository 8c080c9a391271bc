# BashOperator's constructor as Airflow 2.4+ and 3.x take it, and the >> dependencies between tasks.
from airflow import TASKS


class BashOperator:
    def __init__(self, *, task_id, bash_command, env, append_env):
        if not isinstance(bash_command, str) or not all(isinstance(v, str) for v in env.values()):
            raise TypeError("bash_command and every env value must be text")
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
