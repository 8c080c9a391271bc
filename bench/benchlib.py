"""What the benchmark scripts' Python summaries share (bench/common.sh puts this folder on PYTHONPATH)."""
import json


def load_json(path):
    """A command's JSON output. JVM options may print lines of their own before it (JFR's "Started recording"):
    they are skipped."""
    lines = open(path).read().splitlines(True)
    return json.loads("".join(lines[next(i for i, l in enumerate(lines) if l.startswith("{")):]))


def cpu(out, label):
    """User + system CPU seconds of the process common.sh's `measure LABEL` ran (its out/LABEL.time: GNU time's
    "%e %M %U %S")."""
    fields = open(f"{out}/{label}.time").read().split()
    return round(float(fields[2]) + float(fields[3]), 2)
