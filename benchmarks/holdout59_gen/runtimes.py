"""Log line formats per runtime for the holdout59 scenario set: set 57's
(:mod:`benchmarks.holdout57_gen.runtimes`; its `LambdaLogs` takes this set's `init_ms`)."""
from benchmarks.holdout57_gen.runtimes import (INIT_MS, RUNTIME_VERSION, LambdaLogs, gunicorn, jline, mysql, nginx, pg,
                                               rails, serilog, spring)

__all__ = ["INIT_MS", "RUNTIME_VERSION", "LambdaLogs", "gunicorn", "jline", "mysql", "nginx", "pg", "rails", "serilog",
           "spring"]
