"""Shared helpers for the holdout24 scenario generators (stdlib + pyyaml only)."""
from __future__ import annotations

import datetime as _dt
import math
import random
from pathlib import Path

import yaml

OUT_DIR = Path(__file__).resolve().parents[1] / "scenarios_holdout24"
_UTC = _dt.timezone.utc


def pois(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam < 30:
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= rng.random()
            if p <= limit:
                return k
            k += 1
    return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))


def ramp(t: float, t0: float, t1: float, v0: float, v1: float) -> float:
    if t <= t0:
        return v0
    if t >= t1:
        return v1
    return v0 + (v1 - v0) * (t - t0) / (t1 - t0)


def diurnal(t: float, now_hour: float, low: float, high: float) -> float:
    """Smooth day curve: minimum around 04:00, maximum around 16:00 local wall clock."""
    hour = (now_hour + t / 3600.0) % 24
    return low + (high - low) * (0.5 - 0.5 * math.cos((hour - 4.0) / 24.0 * 2 * math.pi))


class Scn:
    """One scenario under construction."""

    def __init__(self, num: int, slug: str, region: str, description: str, now_wall: str,
                 hours: int = 6, seed: int = 0):
        self.num, self.slug = num, slug
        self.rng = random.Random(seed or 24000 + num)
        self.now = _dt.datetime.fromisoformat(now_wall).replace(tzinfo=_UTC)
        self.now_hour = self.now.hour + self.now.minute / 60.0
        self.start = -hours * 3600
        self.minutes = list(range(self.start, 0, 60))
        self.d = {"format": "aiops-scenario/v1", "name": slug, "description": description,
                  "region": region, "resources": [], "metrics": [], "logs": [], "alarms": [],
                  "changes": [], "expect": {}}

    # ---- ids and clocks -------------------------------------------------
    def hexid(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def rid(self) -> str:
        h = self.hexid(32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) % 4]}{h[17:20]}-{h[20:32]}"

    def wall(self, t: float) -> _dt.datetime:
        return self.now + _dt.timedelta(seconds=t)

    def iso(self, t: float) -> str:
        w = self.wall(t)
        return w.strftime("%Y-%m-%dT%H:%M:%S.") + f"{w.microsecond // 1000:03d}Z"

    def clock(self, t: float, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
        w = self.wall(t)
        return w.strftime(fmt) + (f".{w.microsecond // 1000:03d}" if "%S" in fmt[-2:] else "")

    def ip(self, net: str = "10.0") -> str:
        return f"{net}.{self.rng.randint(1, 30)}.{self.rng.randint(2, 250)}"

    # ---- builders -------------------------------------------------------
    def resource(self, rtype: str, rid: str, region: str | None = None, **props) -> None:
        r = {"type": rtype, "id": rid}
        if region:
            r["region"] = region
        if props:
            r["properties"] = props
        self.d["resources"].append(r)

    def metric(self, ns: str, name: str, dims: dict, unit: str, values, region: str | None = None,
               nd: int = 3) -> list:
        """values: callable(t) -> float|None, or a list aligned with self.minutes."""
        pts = []
        for i, t in enumerate(self.minutes):
            v = values(t) if callable(values) else values[i]
            if v is None:
                continue
            pts.append([t, round(float(v), nd)])
        m = {"namespace": ns, "name": name, "dimensions": dims, "unit": unit, "points": pts}
        if region:
            m["region"] = region
        self.d["metrics"].append(m)
        return pts

    def counts(self, rate) -> list[int]:
        return [pois(self.rng, max(0.0, rate(t))) for t in self.minutes]

    def log(self, group: str, stream: str, events: list, region: str | None = None) -> None:
        events = sorted(([round(t, 3), s] for t, s in events), key=lambda e: e[0])
        entry = {"group": group, "stream": stream, "events": events}
        if region:
            entry["region"] = region
        self.d["logs"].append(entry)

    def alarm(self, name: str, ns: str, metric: str, dims: dict, statistic: str, period: int,
              evals: int, threshold: float, comparison: str, state: str, changed: int,
              description: str | None = None, reason: str | None = None, **extra) -> None:
        word = {"GreaterThanThreshold": "greater than", "LessThanThreshold": "less than",
                "GreaterThanOrEqualToThreshold": "greater than or equal to",
                "LessThanOrEqualToThreshold": "less than or equal to"}[comparison]
        if reason is None:
            reason = (f"Threshold Crossed: {evals} datapoint{'s' if evals > 1 else ''} "
                      f"{'were' if evals > 1 else 'was'} {word} the threshold ({float(threshold)}).")
            if state == "OK":
                reason = (f"Threshold Crossed: {evals} datapoint{'s' if evals > 1 else ''} "
                          f"{'were' if evals > 1 else 'was'} not {word} the threshold ({float(threshold)}).")
        a = {"name": name, "namespace": ns, "metric": metric, "dimensions": dims, "statistic": statistic,
             "period": period, "evaluation_periods": evals, "threshold": threshold,
             "comparison": comparison, "state": state, "state_reason": reason, "state_changed": changed}
        if description:
            a["description"] = description
        a.update(extra)
        self.d["alarms"].append(a)

    def change(self, t: int, source: str, event: str, rtype: str, rname: str, user: str,
               region: str | None = None) -> None:
        c = {"time": t, "event_source": source, "event_name": event, "resource_type": rtype,
             "resource_name": rname, "username": user}
        if region:
            c["region"] = region
        self.d["changes"].append(c)

    def expect(self, alarm: str, category: str, resources: list, anomalies: list) -> None:
        self.d["expect"] = {"alarm": alarm, "root_cause": {"category": category, "resource": resources},
                            "anomalies": anomalies}

    # ---- lambda ---------------------------------------------------------
    def lambda_logs(self, fn: str, memory: int, runtime: str, counts: list[int], body,
                    log_from: int = -10800, epochs: tuple = (), streams_per_epoch: int = 2,
                    region: str | None = None, version: str = "$LATEST", keep: float = 1.0) -> list:
        """Emit START/.../END/REPORT for every invocation in counts (per minute) after log_from.

        body(t, rid) -> (lines, duration_ms, max_mem_mb, timed_out) where lines is a list of
        (offset_s, level, message)."""
        bounds = sorted(set([self.start] + list(epochs)))
        streams: dict = {}
        day = self.wall(0).strftime("%Y/%m/%d")
        for b in bounds:
            streams[b] = [f"{day}/[{version}]{self.hexid(32)}" for _ in range(streams_per_epoch)]
        out: dict = {}
        errs: list = [None] * len(self.minutes)
        for i, t0 in enumerate(self.minutes):
            if t0 < log_from:
                continue
            errs[i] = 0
            epoch = max(b for b in bounds if b <= t0)
            for _ in range(counts[i]):
                t = t0 + self.rng.uniform(0, 59.0)
                rid = self.rid()
                lines, dur, mem, timed_out = body(t, rid)
                ev = [(t, f"START RequestId: {rid} Version: {version}")]
                for off, level, msg in lines:
                    ev.append((t + off, self._fmt(runtime, t + off, rid, level, msg)))
                end = t + dur / 1000.0
                if timed_out:
                    ev.append((end + 0.005, f"{self.iso(end)} {rid} Task timed out after {dur / 1000.0 + 0.01:.2f} seconds"))
                ev.append((end + 0.01, f"END RequestId: {rid}"))
                ev.append((end + 0.011, f"REPORT RequestId: {rid}\tDuration: {dur:.2f} ms\tBilled Duration: "
                                        f"{int(math.ceil(dur))} ms\tMemory Size: {memory} MB\tMax Memory Used: {mem} MB"))
                if ev[-1][0] >= 0:
                    continue
                if timed_out or any(lv == "ERROR" for _, lv, _ in lines):
                    errs[i] += 1
                if keep < 1.0 and self.rng.random() >= keep:
                    continue
                out.setdefault(self.rng.choice(streams[epoch]), []).extend(ev)
        group = f"/aws/lambda/{fn}"
        for stream, ev in out.items():
            self.log(group, stream, ev, region=region)
        return errs

    @staticmethod
    def merge(logged: list, sampled: list) -> list:
        return [s if lg is None else lg for lg, s in zip(logged, sampled)]

    def _fmt(self, runtime: str, t: float, rid: str, level: str, msg: str) -> str:
        if runtime.startswith("python"):
            return f"[{level}]\t{self.iso(t)}\t{rid}\t{msg}"
        if runtime.startswith("nodejs"):
            return f"{self.iso(t)}\t{rid}\t{level}\t{msg}"
        if runtime.startswith("java"):
            return f"{self.clock(t)} {rid} {level:<5} {msg}"
        return f"{self.iso(t)} {rid} {level} {msg}"

    # ---- output ---------------------------------------------------------
    def _auto_alarm(self, a: dict) -> None:
        m = next(x for x in self.d["metrics"] if x["namespace"] == a["namespace"] and x["name"] == a["metric"]
                 and x["dimensions"] == a["dimensions"])
        pts, step = dict((int(t), v) for t, v in m["points"]), a["period"] // 60
        op = {"GreaterThanThreshold": lambda v: v > a["threshold"], "LessThanThreshold": lambda v: v < a["threshold"],
              "GreaterThanOrEqualToThreshold": lambda v: v >= a["threshold"],
              "LessThanOrEqualToThreshold": lambda v: v <= a["threshold"]}[a["comparison"]]
        ends = list(range(-60, self.start + a["period"], -a["period"]))[::-1]
        hist, state, changed = [], "OK", self.start
        for end in ends:
            vals = [pts[end - 60 * k] for k in range(step) if end - 60 * k in pts]
            v = None if not vals else {"Sum": sum(vals), "Average": sum(vals) / len(vals),
                                       "Maximum": max(vals), "Minimum": min(vals)}[a["statistic"]]
            hist.append(v is not None and op(v))
            last = hist[-a["evaluation_periods"]:]
            if state == "OK" and len(last) == a["evaluation_periods"] and all(last):
                state, changed = "ALARM", end + 60
            elif state == "ALARM" and not any(last):
                state, changed = "OK", end + 60
        a["state_changed"] = changed
        if state != a["state"]:
            print(f"  warning: {self.slug} alarm {a['name']} computed {state}, declared {a['state']}")

    def write(self) -> Path:
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        for a in self.d["alarms"]:
            if a["state_changed"] == "auto":
                self._auto_alarm(a)
        self.d["changes"].sort(key=lambda c: c["time"])
        path = OUT_DIR / f"h24-{self.num:02d}-{self.slug}.yaml"
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        with path.open("w", encoding="utf-8") as fh:
            yaml.dump(self.d, fh, Dumper=dumper, sort_keys=False, width=100000, allow_unicode=True)
        return path


def noisy(rng: random.Random, base: float, rel: float = 0.05, lo: float = 0.0, hi: float | None = None) -> float:
    v = rng.gauss(base, abs(base) * rel)
    v = max(lo, v)
    return min(hi, v) if hi is not None else v
