"""h88-09 (calendar sync Lambda failing on Google Calendar 503s and timeouts) and h88-10 (.NET digest
builder hitting its 30 s timeout as the day's activity grows for large tenants)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, jline

from .kit import S88, lam_metrics, per_min, rds_metrics


def build09() -> S88:
    T0 = -2040
    sc = S88(9, "freebusy-backoff", "Calendar sync failing for many tenants; the worker's Errors alarm fired.",
             "eu-west-2", 8809, "2026-02-26T12:10:00+00:00", {
                 "front": "origin (caller; dependency outside the account)", "services": ["lambda"],
                 "decoys": "config update of calendar-invite-render 70 s before onset; revoked-token "
                           "invalid_grant errors all day; hourly full-sync spike",
             })
    fn = "calendar-sync-worker"
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=120, memory_size=512, reserved_concurrency=80)
    sc.resource("lambda", "calendar-invite-render", runtime="nodejs20.x", timeout=15, memory_size=256)
    out = lambda t: ramp(t, T0 - 120, T0 + 30) * (1 - 0.15 * ramp(t, -400, -100))  # noqa: E731
    hourly = lambda t: sum(bump(t, h, h + 240, 12, 60) for h in range(-21000, 0, 3600))  # noqa: E731
    inv = lambda t: 22 * diurnal(sc, t, 12, 0.2) + hourly(t)  # noqa: E731
    lam = lam_metrics(sc, fn, inv, lambda t: 0.03 + 0.5 * out(t), lambda t: 2400 + 16000 * out(t))
    lam_metrics(sc, "calendar-invite-render", lambda t: 14 * diurnal(sc, t, 12, 0.2), lambda t: 0.0,
                lambda t: 310)
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 6, "GreaterThanThreshold",
             "Calendar sync failures")
    sc.alarm(f"{fn}-duration-p-avg", "AWS/Lambda", "Duration", {"FunctionName": fn}, "Average", 60, 5, 10000,
             "GreaterThanThreshold")
    sc.change(T0 - 70, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "calendar-invite-render", "o.brennan@crmco.io")
    sc.change(-15000, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", "AWS::Lambda::Function", fn,
              "o.brennan@crmco.io")
    sc.change(-9800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "gh-actions-deployer")
    ll = LambdaLogs(sc, fn, "nodejs20.x", 512, 120, retire=(-9800,), mem_used=(140, 14))

    def body(ll, t, rid, is_err, cold):
        prov = "google" if sc.rng.random() < 0.62 else "microsoft"
        ten = sc.rng.choice(["t_0c4e", "t_19aa", "t_33f0", "t_5b72", "t_7e01", "t_a2d9", "t_c3e8"])
        cal = f"cal_{sc.hexid(10)}"
        lines = [(0.004, ll.fmt(t + 0.004, rid, "INFO", jline({"msg": "sync start", "tenant": ten, "provider": prov,
                                                        "calendar": cal, "syncToken": True})))]
        if is_err and prov == "google" and out(t) > 0.3:
            e = sc.rng.choice([
                {"msg": "sync failed", "err": "GaxiosError: The service is currently unavailable.", "code": 503,
                 "reason": "backendError", "url": "https://www.googleapis.com/calendar/v3/calendars/primary/events"
                 "?syncToken=...", "attempts": 4},
                {"msg": "sync failed", "err": "FetchError: request to https://www.googleapis.com/calendar/v3/"
                 "freeBusy failed, reason: connect ETIMEDOUT 142.250.179.234:443", "code": "ETIMEDOUT",
                 "attempts": 4}])
            e.update(tenant=ten, calendar=cal)
            dur = sc.rng.uniform(14000, 32000)
            lines.append((dur / 1000 - 0.01, ll.fmt(t + dur / 1000 - 0.01, rid, "ERROR", jline(e))))
            return {"dur": dur, "lines": lines}
        if is_err:
            lines.append((0.6, ll.fmt(t + 0.6, rid, "ERROR", jline({
                "msg": "sync failed", "tenant": ten, "calendar": cal, "provider": prov,
                "err": "invalid_grant: Token has been expired or revoked." if prov == "google" else
                "AADSTS50173: The provided grant has expired due to it being revoked", "code": 400}))))
            return {"dur": sc.rng.uniform(500, 900), "lines": lines}
        slow = out(t) if prov == "google" else 0.0
        dur = sc.rng.uniform(1200, 3800) + slow * sc.rng.uniform(3000, 14000)
        if slow > 0.3:
            lines.append((dur / 2000, ll.fmt(t + dur / 2000, rid, "WARN", jline({
                "msg": "retrying", "tenant": ten, "status": 503, "backoffMs": sc.rng.choice([1000, 2000, 4000]),
                "host": "www.googleapis.com"}))))
        lines.append((dur / 1000 - 0.01, ll.fmt(t + dur / 1000 - 0.01, rid, "INFO", jline({
            "msg": "sync done", "tenant": ten, "provider": prov, "calendar": cal,
            "events": sc.rng.randint(0, 40), "ms": int(dur)}))))
        return {"dur": dur, "lines": lines}
    ll.run({m: max(1, round(v / 2)) for m, v in per_min(lam["inv"]).items()},
           {m: round(v / 2) for m, v in per_min(lam["err"]).items()}, body)
    sc.expect_(f"{fn}-errors", "dependency_failure", [fn],
               [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}])
    sc.meta["story"] = (
        "Google's Calendar API starts answering 503 `backendError` and timing out (`connect ETIMEDOUT` to "
        "www.googleapis.com) about 35 minutes ago. calendar-sync-worker retries with backoff, so its duration "
        "jumps from ~2.4 s to ~18 s, and syncs that exhaust four attempts fail: Errors goes from ~0.7/min to "
        "~14/min. Microsoft calendars synced by the same function keep succeeding, which isolates the "
        "dependency. The function never reaches its 120 s timeout and has no throttles. The config update of "
        "calendar-invite-render 70 s before onset is the nearest change, on an unaffected function; the "
        "`invalid_grant` errors are revoked user tokens at the usual rate. The dependency is outside the "
        "account, so the resource is the caller.")
    return sc


def build10() -> S88:
    sc = S88(10, "since-midnight", "Daily digest e-mails not going out for large customers; Errors alarm on the "
             "digest function.", "ca-central-1", 8810, "2026-02-27T21:35:00+00:00", {
                 "front": "origin", "services": ["lambda", "rds"],
                 "decoys": "ModifyDBInstance on the read replica 2.5 min before the first timeouts; missing "
                           "localisation warnings all day; replica CPU bump",
             })
    fn, rep = "tenant-digest-builder", "crm-ca-pg-replica-1"
    sc.resource("lambda", fn, runtime="dotnet8", timeout=30, memory_size=1536)
    sc.resource("rds", rep, engine="postgres", instance_class="db.r6g.large", max_connections=900,
                allocated_storage_gb=1000, read_replica_of="crm-ca-pg-01")
    big = lambda t: 13500 + 19500 * ((t + 21600) / 21600) ** 1.2  # noqa: E731  large tenants' build time
    TFIRST = next(t for t in range(-21600, 0, 60) if big(t) >= 30000)
    sc.meta["tfirst"] = TFIRST
    frac_big = 0.24
    inv = lambda t: 9 * diurnal(sc, t, 21, 0.1)  # noqa: E731
    err = lambda t: frac_big * (1.0 if big(t) >= 30000 else 0.0) + 0.0  # noqa: E731
    lam = lam_metrics(sc, fn, inv, err, lambda t: (1 - frac_big) * 3100 + frac_big * min(30000, big(t)))
    rds_metrics(sc, rep, lambda t: 19 + bump(t, -7600, -7000, 28), lambda t: 140, lambda t: 540.0,
                read_lat=lambda t: 0.0009, mem_gb=11.5)
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 2, 3, "GreaterThanThreshold",
             "Digest builder failures")
    sc.change(TFIRST - 150, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", rep, "dba-oncall")
    sc.change(-20500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "azure-pipelines-svc")
    ll = LambdaLogs(sc, fn, "dotnet8", 1536, 30, mem_used=(420, 40))
    acts = {"t_91aa": 1.0, "t_44be": 0.92, "t_5d11": 0.97}

    def body(ll, t, rid, is_err, cold):
        large = is_err or sc.rng.random() < (frac_big if big(t) < 30000 else 0.0)
        ten = sc.rng.choice(list(acts)) if large else sc.rng.choice(["t_1a90", "t_2c07", "t_8f21", "t_c3e8",
                                                                     "t_e510", "t_f0b3"])
        n_act = int((400000 * ((t + 21600) / 21600 + 0.6) if large else sc.rng.randint(2000, 30000)) *
                    acts.get(ten, 1.0))
        owners = sc.rng.randint(180, 420) if large else sc.rng.randint(5, 60)
        dur = min(big(t) * sc.rng.uniform(0.95, 1.03), 29800) if large else sc.rng.uniform(1800, 4500)
        lines = [(0.01, ll.fmt(t + 0.01, rid, "INFO", f"Digest.Builder[0] tenant={ten} window=since-midnight "
                                               f"activities={n_act} owners={owners}")),
                 (0.45, ll.fmt(t + 0.45, rid, "INFO", f"Digest.Data[2] query activities+deals completed in "
                                               f"{sc.rng.randint(180, 520)} ms rows={n_act}"))]
        if sc.rng.random() < 0.3:
            lines.append((0.5, ll.fmt(t + 0.5, rid, "WARN", "Digest.Templates[3] Missing localized string "
                                                      "'digest.deal_won' for culture 'fr-CA'; falling back to 'en'")))
        steps = 4
        for i in range(1, steps + 1):
            at = min(dur, 29900) * i / (steps + 1)
            lines.append((at / 1000, ll.fmt(t + at / 1000, rid, "INFO", f"Digest.Render[4] rendered "
                                                            f"{owners * i // (steps + 1)}/{owners} owner sections")))
        if is_err:
            return {"dur": 30000, "lines": lines, "status": "timeout"}
        lines.append((dur / 1000 - 0.02, ll.fmt(t + dur / 1000 - 0.02, rid, "INFO", f"Digest.Mailer[5] queued {owners} digests to SES "
                                                                f"in {sc.rng.randint(90, 400)} ms")))
        return {"dur": dur, "lines": lines}
    ll.run(per_min(lam["inv"]), per_min(lam["err"]), body)
    sc.expect_(f"{fn}-errors", "function_timeout", [fn],
               [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": fn}}])
    sc.meta["story"] = (
        "tenant-digest-builder builds a since-midnight digest per tenant. For the three largest tenants the "
        "work grows through the day (REPORT durations ~14 s six hours ago, ~29 s an hour ago) until, about "
        f"{-TFIRST // 60} minutes ago, their invocations start ending in `Task timed out after 30.00 seconds` part-way through "
        "rendering owner sections. Database queries stay at 0.2-0.5 s, the replica's latency is flat, and no "
        "dependency error appears. The ModifyDBInstance on the read replica 2.5 minutes before the first "
        "timeout is the nearest change but nothing on the replica moves; the fr-CA localisation warning has "
        "been logged all day.")
    return sc


BUILDERS = [build09, build10]
