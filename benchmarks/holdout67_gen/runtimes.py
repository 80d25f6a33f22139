"""Log line formats per runtime for the holdout67 scenario set: set 57's
(:mod:`benchmarks.holdout57_gen.runtimes`), its Lambda log events in the function's region."""
from benchmarks.holdout57_gen import runtimes as _set57
from benchmarks.holdout57_gen.runtimes import (INIT_MS, RUNTIME_VERSION, gunicorn, jline, mysql, nginx, pg, rails,
                                               serilog, spring)

__all__ = ["INIT_MS", "RUNTIME_VERSION", "LambdaLogs", "gunicorn", "jline", "mysql", "nginx", "pg", "rails", "serilog",
           "spring"]


class LambdaLogs(_set57.LambdaLogs):
    """Set 57's, logging into the function's ``region`` (the scenario's own unless given)."""

    def _log(self, stream: str, t: float, text: str) -> None:
        self.sc.log(self.group, stream, t, text, region=self.region)
