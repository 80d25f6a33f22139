"""Log simulators: Lambda execution environments (START/END/REPORT per invocation) and ECS task streams."""
from __future__ import annotations

import math

from .common import Ctx, LogBook


class LambdaSim:
    """Spreads planned invocations over warm execution environments (one log stream each).

    ``invoke(t0, rid, cold, kind)`` returns ``{"lines": [(t, text)], "dur": ms, "mem": MB, "status": str|None}``;
    status ``"timeout"`` adds the runtime's timeout line and ``Status: timeout`` in REPORT.
    """

    def __init__(self, ctx: Ctx, mem_mb: int, timeout_s: float, invoke, version=lambda t: "$LATEST",
                 init_ms: tuple[float, float] = (180.0, 520.0), life: tuple[float, float] = (2400.0, 7800.0)):
        self.ctx, self.mem, self.timeout_s, self.version = ctx, mem_mb, timeout_s, version
        self.invoke = invoke
        self.init_ms, self.life = init_ms, life
        self.streams: list[dict] = []

    def _stream(self, t: float) -> tuple[dict, bool]:
        rng = self.ctx.rng
        ver = self.version(t)
        free = [s for s in self.streams if s["free_at"] <= t and s["dies"] > t and s["ver"] == ver]
        if free:
            free.sort(key=lambda s: -s["free_at"])
            return free[min(len(free) - 1, int(rng.expovariate(1.2)))], False
        s = {"name": f"{self.ctx.date_path(t)}/[{ver}]{self.ctx.hexid()}", "free_at": t, "ver": ver,
             "dies": t + rng.uniform(*self.life)}
        self.streams.append(s)
        if len(self.streams) > 400:
            self.streams = [x for x in self.streams if x["dies"] > t]
        return s, True

    def run(self, book: LogBook, group: str, plan) -> None:
        """plan: iterable of (minute_start, [kind, ...])."""
        rng = self.ctx.rng
        for t_min, kinds in plan:
            kinds = list(kinds)
            rng.shuffle(kinds)
            starts = sorted(t_min + rng.uniform(0.0, 59.5) for _ in kinds)
            for t0, kind in zip(starts, kinds):
                stream, cold = self._stream(t0)
                rid = self.ctx.uid()
                if cold:
                    t0 += rng.uniform(*self.init_ms) / 1000.0
                res = self.invoke(t0, rid, cold, kind)
                dur = res["dur"]
                ev = [(t0, f"START RequestId: {rid} Version: {stream['ver']}")]
                ev.extend(res["lines"])
                if res.get("status") == "timeout":
                    dur = self.timeout_s * 1000.0 + rng.uniform(5, 60)
                    ev.append((t0 + dur / 1000.0, f"{self.ctx.iso(t0 + dur / 1000.0)} {rid} Task timed out after "
                                                   f"{dur / 1000.0:.2f} seconds"))
                t_end = t0 + dur / 1000.0 + 0.002
                ev.append((t_end, f"END RequestId: {rid}"))
                rep = (f"REPORT RequestId: {rid}\tDuration: {dur:.2f} ms\tBilled Duration: {math.ceil(dur)} ms\t"
                       f"Memory Size: {self.mem} MB\tMax Memory Used: {res['mem']} MB")
                if cold:
                    rep += f"\tInit Duration: {rng.uniform(*self.init_ms):.2f} ms"
                if res.get("status") == "timeout":
                    rep += "\tStatus: timeout"
                ev.append((t_end + 0.001, rep))
                stream["free_at"] = t_end + 0.01
                book.extend(group, stream["name"], ev)


def plan_from(ts: list[int], counts: dict[str, list[float]], start: float) -> list:
    """Per-minute kinds list from aligned per-kind count series, only for minutes >= start."""
    out = []
    for i, t in enumerate(ts):
        if t < start:
            continue
        kinds = []
        for kind, series in counts.items():
            kinds.extend([kind] * int(series[i]))
        out.append((t, kinds))
    return out


class Tasks:
    """ECS task log streams ``<prefix>/<task-id>`` with replacement over time."""

    def __init__(self, ctx: Ctx, prefix: str, n: int, start: float):
        self.ctx, self.prefix = ctx, prefix
        self.slots = [[(start, self._new())] for _ in range(n)]

    def _new(self) -> str:
        return f"{self.prefix}/{self.ctx.hexid()}"

    def replace(self, slot: int, t: float) -> str:
        sid = self._new()
        self.slots[slot].append((t, sid))
        return sid

    def replace_all(self, t0: float, t1: float) -> None:
        """Rolling replacement of every task between t0 and t1."""
        n = len(self.slots)
        for i in range(n):
            self.replace(i, t0 + (t1 - t0) * (i + 0.5) / n)

    def add_slot(self, t: float) -> int:
        self.slots.append([(t, self._new())])
        return len(self.slots) - 1

    def stream(self, slot: int, t: float) -> str | None:
        cur = None
        for since, sid in self.slots[slot]:
            if since <= t:
                cur = sid
        return cur

    def live(self, t: float) -> list[int]:
        return [i for i in range(len(self.slots)) if self.slots[i][0][0] <= t]

    def pick(self, t: float) -> tuple[int, str]:
        slots = self.live(t)
        i = self.ctx.rng.choice(slots)
        return i, self.stream(i, t)
