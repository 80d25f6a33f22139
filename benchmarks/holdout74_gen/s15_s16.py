"""15: dock-slot booking API slow, its Postgres instance pinned at 100 % CPU (Go Lambda in between, ap-southeast-1).
16: carrier manifest PDF function killed for running out of memory on large loads (Ruby, eu-south-1)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, jline, pg

from .kit import S, apigw_metrics, emit, every, lam_metrics, lambda_logs, pick, rds_metrics, shift_load


def build15() -> S:
    sc = S(15, "slot-booking-latency", "Hauliers report the dock appointment page spinning; the slot-booking API "
           "latency alarm fired.", "ap-southeast-1", 7415, "2026-03-22T02:30:00+00:00", front="front (API Gateway)",
           decoys="code deploy on slot-reminder 2 min before onset; an autovacuum CPU bump 3 h earlier; steady "
           "duplicate-key errors; timeouts in the caller that look like a dependency failure")
    api, fn, db, other = "slot-booking-api", "slot-book", "dock-slots-pg", "slot-reminder"
    onset = -2100
    sc.resource("apigateway", api, api_id="h2p6v8k3zn", stage="prod")
    sc.resource("lambda", fn, runtime="provided.al2023", timeout=29, memory_size=256)
    sc.resource("lambda", other, runtime="provided.al2023", timeout=60, memory_size=256)
    sc.resource("rds", db, engine="postgres", engine_version="16.2", instance_class="db.m6g.large", max_connections=800,
                allocated_storage_gb=200)
    load = lambda t: shift_load(sc, t, starts=(0.0,), height=0.8, width=1.2)
    hot = lambda t: ramp(t, onset - 180, onset + 120)
    calls = lambda t: 140 * load(t)
    qms = lambda t: 35 + 5200 * hot(t)          # typical slot query time
    slow = lambda t: 0.35 * hot(t)              # share of calls that blow the 10 s DB deadline
    apigw_metrics(sc, api, count=calls, e4xx=lambda t: 0.02 * calls(t), e5xx=lambda t: calls(t) * slow(t),
                  lat=lambda t: 95 + qms(t) * 1.1)
    v = lam_metrics(sc, fn, inv=calls, err=lambda t: calls(t) * slow(t), dur=lambda t: 80 + qms(t) * 1.05)
    v2 = lam_metrics(sc, other, inv=lambda t: 1.0, err=lambda t: 0.0, dur=lambda t: 1400.0)
    rds_metrics(sc, db, cpu=lambda t: 18 * load(t) + bump(t, -11400, -10500, 34) + (99.6 - 18 * load(t)) * hot(t),
                conns=lambda t: 22 + 6 * load(t) + 55 * hot(t), free_gb=lambda t: 121.5 - (t + 21600) / 21600 * 0.3,
                mem_gb=lambda t: 3.4, read_lat=lambda t: 0.0011 + 0.004 * hot(t))
    host = "dock-slots-pg.cz8wq1k5tj2r.ap-southeast-1.rds.amazonaws.com:5432"

    def zl(t, level, msg, **kw):
        return jline({"level": level, "time": sc.iso(t), "message": msg, **kw})

    def body(ll, t, rid, is_err, cold):
        site = pick(sc, ["SIN-DC1", "SIN-DC2", "JHB-X"])
        lines = [(0.002, zl(t, "info", "slot search", site=site, day=sc.at(t).strftime("%Y-%m-%d"), request_id=rid))]
        if sc.rng.random() < 0.04:
            lines.append((0.02, zl(t + 0.02, "error", "booking insert failed, retrying with next slot", request_id=rid,
                                   error="ERROR: duplicate key value violates unique constraint \"slot_bookings_dock_start_key\" "
                                         "(SQLSTATE 23505)")))
        if is_err:
            lines.append((10.0, zl(t + 10.0, "error", "slot query failed", request_id=rid, db=host,
                                   error="timeout: context deadline exceeded")))
            return {"dur": 10030 + sc.rng.uniform(0, 40), "lines": lines}
        q = qms(t) * sc.rng.uniform(0.5, 1.4) if hot(t) > 0.2 else sc.rng.uniform(15, 70)
        q = min(q, 9800)
        lines.append((q / 1000, zl(t + q / 1000, "info", "slots returned", request_id=rid, count=sc.rng.randint(0, 24),
                                   query_ms=int(q))))
        return {"dur": q + sc.rng.uniform(20, 60), "lines": lines}

    ll = LambdaLogs(sc, fn, "provided.al2023", 256, 29, prewarm=-17400, mem_used=(41, 3))
    lambda_logs(sc, ll, v, body, per_min=2.0)

    def body2(ll2, t, rid, is_err, cold):
        return {"dur": sc.rng.uniform(900, 1800), "lines": [(0.01, zl(t, "info", "reminders queued", count=sc.rng.randint(3, 60)))]}
    ll2 = LambdaLogs(sc, other, "provided.al2023", 256, 60, prewarm=-17400, retire=(-2220,))
    lambda_logs(sc, ll2, v2, body2, per_min=0.8)
    g, st = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    every(sc, g, st, 300, lambda t: pg(sc, t, "LOG", f"checkpoint complete: wrote {sc.rng.randint(300, 2400)} buffers (0.6%); "
                                              "0 WAL file(s) added, 0 removed, 1 recycled", pid=388), start=-21600)
    emit(sc, g, st, lambda t: 0.2, lambda t: pg(sc, t, "ERROR", "duplicate key value violates unique constraint "
                                              "\"slot_bookings_dock_start_key\"", client=sc.ip("10.12"), user="slotbook",
                                              db="docks"), start=-21600)
    sc.log(g, st, -11420, pg(sc, -11420, "LOG", "automatic vacuum of table \"docks.public.slot_events\": index scans: 1",
                             pid=9051))
    emit(sc, g, st, lambda t: 4 * hot(t), lambda t: pg(
        sc, t, "LOG", f"duration: {sc.rng.uniform(3000, 9900):.3f} ms  execute <unnamed>: SELECT s.id, s.dock_id, s.starts_at "
        "FROM dock_slots s LEFT JOIN slot_bookings b ON b.slot_id = s.id WHERE s.site_code = $1 AND s.starts_at::date = $2 "
        "AND b.id IS NULL ORDER BY s.starts_at", client=sc.ip("10.12"), user="slotbook", db="docks"), start=onset - 300)
    sc.change(-2220, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other, "gh-actions-docks")
    sc.change(-19000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gh-actions-docks")
    sc.alarm("slot-booking-api-latency", "AWS/ApiGateway", "Latency", {"ApiName": api}, "Average", 60, 5, 2000,
             "GreaterThanThreshold", "Dock slot booking latency")
    sc.alarm("slot-book-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5, "GreaterThanThreshold")
    sc.expect_rc("slot-booking-api-latency", "cpu_saturation", [db],
                 [("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}),
                  ("AWS/ApiGateway", "Latency", {"ApiName": api})])
    sc.meta["story"] = (
        "From 01:55 the Postgres instance dock-slots-pg runs at ~100 % CPU (18-30 % before; the 34-point bump "
        "three hours earlier was an autovacuum and cleared). Its log fills with multi-second `duration: ... ms "
        "execute <unnamed>: SELECT ... FROM dock_slots ... LEFT JOIN slot_bookings` statements, ReadLatency "
        "rises, the Go slot-book function's `query_ms` goes from tens of ms to seconds and a third of calls hit "
        "its 10 s `context deadline exceeded`, and API latency follows. The caller's timeouts look like a "
        "dependency failure, but the dependency is itself exhausted (CPU pinned), which the table assigns to "
        "cpu_saturation. The slot-reminder deploy two minutes earlier and the duplicate-key errors are noise.")
    sc.meta["judgement"] = ("No change explains why the plan turned expensive; the saturated database is the "
                            "origin, not the API or the function that time out waiting for it.")
    return sc


def build16() -> S:
    sc = S(16, "manifest-pdf-errors", "Drivers leaving the Milan hub get trucks without printed carrier "
           "manifests; the manifest-pdf Errors alarm fired.", "eu-south-1", 7416, "2026-03-23T06:45:00+00:00",
           front="origin", decoys="code deploy on customs-cn22 3 min before onset; its own timeout increase 5 h "
           "earlier; steady font-fallback warnings")
    fn, other = "manifest-pdf", "customs-cn22"
    mem_mb = 1024
    onset = -2400
    sc.resource("lambda", fn, runtime="ruby3.3", timeout=120, memory_size=mem_mb)
    sc.resource("lambda", other, runtime="ruby3.3", timeout=30, memory_size=512)
    load = lambda t: shift_load(sc, t, starts=(6.0,), height=1.3, width=0.7)
    size = lambda t: 1.0 + 2.2 * ramp(t, onset - 900, onset + 600)   # stops per manifest relative to the night
    inv = lambda t: 12 * load(t)
    ooms = lambda t: max(0.0, min(0.75, (size(t) - 2.0) * 0.6))
    v = lam_metrics(sc, fn, inv=inv, err=lambda t: inv(t) * ooms(t), dur=lambda t: 4200 * size(t))
    v2 = lam_metrics(sc, other, inv=lambda t: 8 * load(t), err=lambda t: 0.0, dur=lambda t: 700.0)

    def body(ll, t, rid, is_err, cold):
        sz = size(t)
        stops = int(sc.rng.gauss(70 * sz, 12))
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"rendering manifest carrier={pick(sc, ['BRT', 'GLS-IT', 'SDA', 'TNT-IT'])} "
                                               f"vehicle=MI-{sc.rng.randint(100, 999)} stops={stops} pages={stops // 6 + 1}"))]
        if sc.rng.random() < 0.25:
            lines.append((0.4, ll.fmt(t + 0.4, rid, "WARN", "Prawn::Errors: glyph U+0107 missing in Helvetica, falling back "
                                                            "to DejaVuSans")))
        if is_err:
            d = sc.rng.uniform(7000, 14000)
            lines.append((d / 1000 - 0.02, f"RequestId: {rid} Error: Runtime exited with error: signal: killed"))
            lines.append((d / 1000 - 0.01, "Runtime.ExitError"))
            return {"dur": d, "lines": lines, "status": "error", "error_type": "Runtime.OutOfMemory", "mem": mem_mb}
        d = 4200 * sz * sc.rng.uniform(0.8, 1.2)
        lines.append((d / 1000 - 0.05, ll.fmt(t + d / 1000 - 0.05, rid, "INFO", f"uploaded s3://mxp-manifests/{sc.at(t).strftime('%Y%m%d')}/"
                                                                               f"{sc.hexid(10)}.pdf ({sc.rng.randint(200, 900) * sz:.0f} KB)")))
        used = int(min(mem_mb - 30, sc.rng.gauss(300 + 330 * (sz - 1), 30)))
        return {"dur": d, "lines": lines, "mem": max(150, used)}

    ll = LambdaLogs(sc, fn, "ruby3.3", mem_mb, 120, prewarm=-17400, retire=(-18000,))
    lambda_logs(sc, ll, v, body, per_min=2.0)

    def body2(ll2, t, rid, is_err, cold):
        return {"dur": sc.rng.uniform(450, 1000), "lines": [(0.01, ll2.fmt(t, rid, "INFO", f"CN22 generated for parcel "
                                                                                         f"{sc.hexid(8).upper()}"))]}
    ll2 = LambdaLogs(sc, other, "ruby3.3", 512, 30, prewarm=-17400, retire=(-2580,))
    lambda_logs(sc, ll2, v2, body2, per_min=1.0)
    sc.change(-18000, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", fn, "giulia.ferri")
    sc.change(-2580, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other, "gh-actions-customs")
    sc.alarm("manifest-pdf-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 5, "GreaterThanThreshold",
             "Manifest PDF generation failing")
    sc.expect_rc("manifest-pdf-errors", "memory_exhaustion", [fn], [("AWS/Lambda", "Errors", {"FunctionName": fn})])
    sc.meta["story"] = (
        "At the 06:00 shift start the consolidated morning loads are three times the size of the night's "
        "(`stops=` in the render lines goes from ~70 to ~220). Max Memory Used in the REPORT lines climbs "
        "from ~300 MB toward the 1024 MB limit, and from about 06:05 many invocations end with `Error: Runtime "
        "exited with error: signal: killed` and `Max Memory Used: 1024 MB ... Error Type: Runtime.OutOfMemory`. "
        "The customs-cn22 deploy three minutes before is on another function; the timeout increase on "
        "manifest-pdf five hours ago changed nothing visible; the Prawn font-fallback warnings are constant.")
    return sc


BUILDERS = [build15, build16]
