"""Sanity summary of generated scenarios (no analysis): python -m benchmarks.holdout9_gen.check FILE..."""
from __future__ import annotations

import sys
from collections import Counter

import yaml

_L = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def main(paths):
    for p in paths:
        d = yaml.load(open(p), Loader=_L)
        a = d["alarms"][0]
        onset = a["state_changed"]
        print(f"=== {d['name']} [{d['region']}] alarm={a['name']} {a['state']} changed={onset} -> {d['expect']['root_cause']}")
        print("   ", a["state_reason"][:160])
        for r in d["resources"]:
            print("   res", r["type"], r["id"], list((r.get("properties") or {}).keys()))
        for m in d["metrics"]:
            pts = m["points"]
            pre = [v for t, v in pts if t < onset - 1800]
            post = [v for t, v in pts if t >= onset - 300]
            f = lambda xs: f"{sum(xs) / len(xs):.4g}/{max(xs):.4g}" if xs else "-"
            print(f"    {m['name']:<26} {str(list(m['dimensions'].values())[:2]):<44} pre avg/max {f(pre):<22} last avg/max {f(post)}")
        for lg in d["logs"]:
            ev = lg["events"]
            kinds = Counter()
            for t, msg in ev:
                for key in ("ERROR", "WARN", "FATAL", "Task timed out", "signal: killed"):
                    if key in msg:
                        kinds[(key, t >= onset - 600)] += 1
            print(f"    log {lg['group']} {lg['stream'][:40]} n={len(ev)} {dict(kinds)}")
        for c in d["changes"]:
            print(f"    change {c['time']} {c['event_name']} {c['resource_name']} by {c['username']}")


if __name__ == "__main__":
    main(sys.argv[1:])
