"""h98-03 (bookings-api Lambda alias flip saturates RDS PostgreSQL; the DB's own CPU alarm pages) and
h98-04 (control: a partner's bulk refresh quadruples pricing-quote traffic and saturates RDS MySQL,
with a neighbour client deployed 12 min earlier)."""
from __future__ import annotations

import json

from .base import (LOGS_FROM, LambdaLogs, apigw_metrics, bump, diurnal, emit, every, lam_metrics,
                   lambda_run, meta, mysql, mysql_slow, new, pg, pg_checkpoint, pg_slow, ramp,
                   rds_metrics)


# --------------------------------------------------------------------------- h98-03
def build_03():
    sc = new(3, "bookings-db-cpu-high", "The bookings database's CPU alarm fired; clinic staff report "
             "the availability screen is slow.", "ap-southeast-2", "2026-04-20T03:10:00")
    rng = sc.rng
    fn, rem, db, api = "bookings-api", "bookings-reminders", "bookings-pg", "bookings-public"
    sc.resource("apigateway", api, protocol="REST", stage="prod")
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=15, memory_size=1024, alias="live",
                environment={"PGHOST": f"{db}.cw2k9xq1lmna.ap-southeast-2.rds.amazonaws.com",
                             "PG_STATEMENT_TIMEOUT": "4000"})
    sc.resource("lambda", rem, runtime="nodejs20.x", timeout=60, memory_size=512, trigger="schedule rate(5 minutes)")
    sc.resource("ecs", "clinic/analytics-export", launch_type="FARGATE", desired_count=0,
                schedule="cron(5 * * * ? *) RunTask")
    sc.resource("rds", db, engine="postgres", engine_version="16.2", instance_class="db.m6g.xlarge",
                max_connections=1600, allocated_storage_gb=250, log_min_duration_statement_ms=1500)
    upd, pubv, alias = -2160, -2150, -2140
    sat = lambda t: ramp(t, alias + 30, alias + 300)
    errs = lambda t: 0.05 * ramp(t, alias + 150, alias + 420)
    inv = lambda t: 190 * diurnal(sc, t, 3, 0.25)
    dur = lambda t: 48 + 1250 * sat(t)
    runs = [k * 3600 - 300 for k in range(-5, 1)]                      # analytics-export at :05 every hour
    hourly = lambda t: sum(bump(t, r + 60, r + 400, 21, 60) for r in runs)
    lam_metrics(sc, fn, inv, lambda t: 0.1 + errs(t) * inv(t), dur)
    lam_metrics(sc, rem, lambda t: 0.2, lambda t: 0.0, lambda t: 2300 + 900 * sat(t))
    apigw_metrics(sc, api, inv, lambda t: 2.2, lambda t: 0.1 + errs(t) * inv(t), lambda t: dur(t) + 22)
    rds_metrics(sc, db, lambda t: 27 * diurnal(sc, t, 3, 0.2) * (1 - sat(t)) + 93 * sat(t) + hourly(t) * (1 - 0.7 * sat(t)),
                lambda t: 38 + 44 * sat(t), lambda t: 141 - 0.00001 * (t + 21600), lambda t: 10.4 - 0.4 * sat(t),
                read_ms=lambda t: 0.8 + 0.3 * sat(t))

    q_old = ("SELECT s.id, s.starts_at, s.ends_at, s.practitioner_id FROM slots s WHERE s.clinic_id = $1 AND "
             "s.starts_at >= $2 AND s.starts_at < $3 AND s.booked = false ORDER BY s.starts_at")
    q_new = ("SELECT s.id, s.starts_at, s.ends_at, s.practitioner_id FROM slots s WHERE s.clinic_id = $1 AND "
             "s.starts_at >= $2 AND s.starts_at < $3 AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.clinic_id = "
             "s.clinic_id AND b.status <> 'cancelled' AND tstzrange(b.starts_at, b.ends_at) && tstzrange(s.starts_at, "
             "s.ends_at)) ORDER BY s.starts_at")
    stack = json.dumps({"errorType": "error", "errorMessage": "canceling statement due to statement timeout",
                        "length": 109, "name": "error", "severity": "ERROR", "code": "57014",
                        "file": "postgres.c", "line": "3325", "routine": "ProcessInterrupts",
                        "stack": ["error: canceling statement due to statement timeout",
                                  "    at /var/task/node_modules/pg/lib/client.js:526:17",
                                  "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
                                  "    at async findOpenSlots (/var/task/dist/availability/repo.js:58:20)",
                                  "    at async Runtime.handler (/var/task/dist/index.js:41:24)"]},
                       separators=(",", ":"))

    def body(ll, t, rid, is_err, cold):
        new_v = t >= alias
        lines = []
        if cold:
            lines.append((0.0005, ll.fmt(t, rid, "INFO", "bookings-api@4.9.0 build=2026.04.20-1 pg=8.11.3 "
                                         "availability=overlap-check" if new_v else
                                         "bookings-api@4.8.2 build=2026.04.14-3 pg=8.11.3 availability=booked-flag")))
        clinic = rng.randint(100, 2400)
        r = 0.0 if is_err and new_v else rng.random()   # the failures are availability searches timing out
        if r < 0.55:
            lines.append((0.001, ll.fmt(t, rid, "INFO", f"GET /v1/clinics/{clinic}/availability "
                                        f"from={sc.at(t).strftime('%Y-%m-%d')} days=7")))
            if is_err and new_v:
                d = 4000 + rng.uniform(10, 90)
                lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "ERROR", "Invoke Error \t" + stack)))
                return {"lines": lines, "dur": d + 3}
            d = rng.uniform(900, 3900) if new_v and rng.random() < 0.1 + 0.9 * sat(t) else rng.uniform(25, 90)
            lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO", f"availability clinic={clinic} "
                                           f"slots={rng.randint(0, 60)} ms={d:.0f}")))
            return {"lines": lines, "dur": d + 4}
        if r < 0.8:
            bid = sc.hexid(10)
            lines.append((0.001, ll.fmt(t, rid, "INFO", f"POST /v1/bookings clinic={clinic}")))
            if rng.random() < 0.03:
                lines.append((0.01, ll.fmt(t, rid, "WARN", "Medicare item number missing; booking saved as private")))
            d = rng.uniform(30, 80) * (1 + 12 * sat(t) * rng.random())
            lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO", f"booking created id=bk_{bid} ms={d:.0f}")))
            return {"lines": lines, "dur": d + 4}
        lines.append((0.001, ll.fmt(t, rid, "INFO", f"GET /v1/practitioners/{rng.randint(1000, 30000)}")))
        d = rng.uniform(12, 40) * (1 + 8 * sat(t) * rng.random())
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO", f"200 ms={d:.0f}")))
        return {"lines": lines, "dur": d + 3}

    ll = LambdaLogs(sc, fn, "nodejs20.x", 1024, 15, epochs=[(-10 ** 9, "87"), (alias, "88")], mem_used=(164, 14))
    lambda_run(ll, lambda t: 2.8, errs, body, start=LOGS_FROM)
    rl = LambdaLogs(sc, rem, "nodejs20.x", 512, 60, mem_used=(120, 8))
    lambda_run(rl, lambda t: 0.2, lambda t: 0.0, lambda ll, t, rid, e, c: {
        "lines": [(2.0, ll.fmt(t + 2, rid, "INFO", f"queued {rng.randint(0, 40)} SMS reminders for "
                               f"{sc.at(t + 86400).strftime('%Y-%m-%d')}"))], "dur": rng.uniform(1800, 3000)},
        start=LOGS_FROM)

    g, s = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    pg_checkpoint(sc, g, s)
    cl = lambda: f"172.22.{rng.randint(8, 15)}.{rng.randint(2, 250)}({rng.randint(32768, 60999)})"

    def slow(ts):
        p, c = rng.randint(2000, 30000), cl()
        return [(0, pg_slow(sc, ts, rng.uniform(1502, 3990), q_new, c, "bookings_app", "bookings", p)),
                (0.0004, pg(sc, ts, "DETAIL", f"parameters: $1 = '{rng.randint(100, 2400)}', $2 = "
                            f"'{sc.at(ts).strftime('%Y-%m-%d')} 00:00:00+10', $3 = '{sc.at(ts + 7 * 86400).strftime('%Y-%m-%d')} "
                            "00:00:00+10'", c, "bookings_app", "bookings", p))]

    def timeout(ts):
        p, c = rng.randint(2000, 30000), cl()
        return [(0, pg(sc, ts, "ERROR", "canceling statement due to statement timeout", c, "bookings_app", "bookings", p)),
                (0.0003, pg(sc, ts, "STATEMENT", q_new, c, "bookings_app", "bookings", p))]
    emit(sc, g, s, lambda t: 6 * ramp(t, alias + 20, alias + 240), slow, start=alias)
    emit(sc, g, s, lambda t: 1.6 * ramp(t, alias + 150, alias + 420), timeout, start=alias)
    emit(sc, g, s, lambda t: 0.01, lambda ts: pg_slow(sc, ts, rng.uniform(1500, 1800), q_old, cl(), "bookings_app",
                                                      "bookings"), start=LOGS_FROM, end=alias)
    for r in runs[-4:]:
        t0 = r + 40 + rng.uniform(5, 25)
        sc.log(g, s, t0, pg(sc, t0, "LOG", "connection authorized: user=analytics_ro database=bookings "
                            "application_name=analytics-export SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)",
                            "172.22.40.9(49812)", "analytics_ro", "bookings"))
        d = rng.uniform(330, 370)
        sc.log(g, s, t0 + d, pg_slow(sc, t0 + d, d * 1000, "COPY (SELECT b.*, c.region FROM bookings b JOIN clinics c ON "
                                     "c.id = b.clinic_id WHERE b.updated_at >= now() - interval '1 hour') TO STDOUT WITH CSV",
                                     "172.22.40.9(49812)", "analytics_ro", "bookings", kind="statement"))
        sc.change(t0 - 20, "ecs.amazonaws.com", "RunTask", "AWS::ECS::Task", "clinic/analytics-export",
                  "events.amazonaws.com")
    every(sc, g, s, 1500, lambda ts: pg(sc, ts, "LOG", (
        "automatic analyze of table \"bookings.public.bookings\"\n\tavg read rate: 0.000 MB/s, avg write rate: 0.000 MB/s\n"
        f"\tbuffer usage: {rng.randint(9000, 14000)} hits, 0 misses, 0 dirtied\n\tsystem usage: CPU: user: 0.{rng.randint(20, 60)} s, "
        "system: 0.01 s, elapsed: 0.71 s")), start=LOGS_FROM)

    sc.change(-6900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", rem, "gh-actions-clinic")
    sc.change(upd, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gh-actions-clinic")
    sc.change(pubv, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, "gh-actions-clinic")
    sc.change(alias, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Alias", f"{fn}:live", "gh-actions-clinic")
    sc.change(-2020, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/clinic/reminders/sms-window-hours",
              "t.nguyen")
    sc.alarm("bookings-pg-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 60, 5, 80,
             "GreaterThanThreshold", "bookings-pg CPU above 80 % for 5 minutes")
    sc.alarm("bookings-api-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 50,
             "GreaterThanThreshold", "bookings-api errors (5 min)")
    sc.expect = {"alarm": "bookings-pg-cpu-high", "root_cause": {"category": "bad_deployment", "resource": [fn]}}
    meta(sc, front="origin's downstream (the alarm is on the saturated database; the cause is its caller's new version)",
         decoys="hourly analytics-export RunTask with a ~20-point CPU bump every hour; bookings-reminders deploy 1.9 h "
         "earlier; SSM parameter change 2 min after the alias flip (closer to the onset); errors alarm sized too high stays OK; "
         "constant Medicare WARN",
         services="API Gateway (REST), Lambda (alias), ECS scheduled task, RDS PostgreSQL", runtime="Node.js 20 (node-postgres)",
         logfmt="Lambda Node.js text with Invoke Error JSON, RDS PostgreSQL log",
         story="gh-actions-clinic published bookings-api version 88 (4.9.0) and moved the `live` alias at -36 min. The "
         "new version announces `availability=overlap-check`: open slots are no longer read from the `booked` flag but "
         "checked with a NOT EXISTS over every non-cancelled booking of the clinic using a tstzrange overlap no index "
         "serves. From the next minute bookings-pg's log is full of 1.5-4 s executions of that statement from "
         "bookings_app and `canceling statement due to statement timeout` (code 57014 in the function's Invoke "
         "Errors); CPU goes from ~27 % (plus the familiar hourly analytics-export bump) to ~93 % and stays there, "
         "while Invocations are flat. The paging alarm is the DB's CPU, but the DB only does what its caller's new "
         "version asks: bad_deployment on bookings-api.")
    return sc


# --------------------------------------------------------------------------- h98-04
def build_04():
    sc = new(4, "pricing-quote-slow-partner-refresh", "Partner quote API latency is high; pricing-quote's "
             "duration alarm and the pricing database's CPU alarm both fired.", "us-west-2", "2026-04-22T18:45:00")
    rng = sc.rng
    fn, sync, db, api = "pricing-quote", "rates-sync", "pricing-mysql", "partner-quotes"
    sc.resource("apigateway", api, protocol="REST", stage="v2", usage_plans="partner-standard, partner-plus")
    sc.resource("lambda", fn, runtime="python3.11", timeout=8, memory_size=768,
                environment={"DB_HOST": f"{db}.cq1v7rdx0bzt.us-west-2.rds.amazonaws.com", "DB_READ_TIMEOUT": "3"})
    sc.resource("lambda", sync, runtime="python3.11", timeout=120, memory_size=1024, trigger="schedule rate(5 minutes)")
    sc.resource("rds", db, engine="mysql", engine_version="8.0.35", instance_class="db.r6g.large",
                max_connections=1365, allocated_storage_gb=200, long_query_time_s=0.5)
    onset, sdep = -2040, -2760
    surge = lambda t: ramp(t, onset, onset + 150)
    inv = lambda t: 140 * diurnal(sc, t, 19, 0.2) * (1 + 3.05 * surge(t))
    busy = lambda t: ramp(t, onset + 30, onset + 240)
    errs = lambda t: 0.025 * ramp(t, onset + 150, onset + 400)
    dur = lambda t: 52 + 640 * busy(t)
    lam_metrics(sc, fn, inv, lambda t: 0.05 + errs(t) * inv(t), dur)
    lam_metrics(sc, sync, lambda t: 0.2, lambda t: 0.0, lambda t: 2100 + 700 * busy(t))
    apigw_metrics(sc, api, inv, lambda t: 1.2 * (1 + 0.3 * surge(t)), lambda t: 0.05 + errs(t) * inv(t),
                  lambda t: dur(t) + 18)
    rds_metrics(sc, db, lambda t: 29 * diurnal(sc, t, 19, 0.15) * (1 - busy(t)) + 92 * busy(t),
                lambda t: 31 + 72 * surge(t), lambda t: 96 - 0.00001 * (t + 21600), lambda t: 5.3 - 0.2 * surge(t),
                read_ms=lambda t: 0.6 + 0.3 * busy(t))
    put_sel = lambda t: 2400 * diurnal(sc, t, 19, 0.2) * (1 + 3.05 * surge(t))
    sc.metric("AWS/RDS", "ReadIOPS", {"DBInstanceIdentifier": db}, "Count/Second",
              sc.series(lambda t: 310 + 0.05 * put_sel(t), noise=0.08))

    partners = [("skyroute", "SkyRoute-FareSync/4.2", "k7x2p9qa01"), ("tripnest", "TripNest-API/1.18 (+python-requests)", "m3c8d1wz55"),
                ("globejet", "okhttp/4.12.0", "q9v4b2ne70"), ("farepilot", "FarePilot/3.0.7", "t1h6s8ku42"),
                ("wanderly", "axios/1.6.8", "z5r0y3lg19")]

    def partner(t):
        if rng.random() < (0.2 + 3.05 * surge(t)) / (1 + 3.05 * surge(t)):   # other partners' volume is unchanged
            return partners[0]
        return rng.choice(partners[1:])

    def quote_body(ll, t, rid, is_err, cold):
        p = partner(t)
        route = rng.choice(["SFO-JFK", "LAX-ORD", "SEA-DEN", "SFO-SEA", "LAX-JFK", "PDX-PHX", "SJC-LAS", "SAN-DFW"])
        lines = []
        if cold:
            lines.append((0.0005, ll.fmt(t, rid, "INFO", "pricing-quote 7.4.1 loaded fare rules (1,184 rules) in 0.41s")))
        bulk = p[0] == "skyroute" and t >= onset
        lines.append((0.001, ll.fmt(t, rid, "INFO", f"quote request partner={p[0]} route={route} pax={rng.randint(1, 4)} "
                                    f"cabin={rng.choice(['Y', 'Y', 'Y', 'W', 'J'])}" + (" mode=refresh" if bulk else ""))))
        if rng.random() < 0.02:
            lines.append((0.004, ll.fmt(t, rid, "WARNING", f"fare basis {rng.choice(['QL7', 'HX21', 'VA14'])} has no "
                                        "rule, using carrier default")))
        if is_err:
            d = 3000 + rng.uniform(5, 60)
            lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "ERROR", (
                "quote failed: (2013, 'Lost connection to MySQL server during query (timed out)')\nTraceback (most "
                "recent call last):\n  File \"/var/task/pricing/quote.py\", line 118, in price_itinerary\n    "
                "fares = repo.fares_for(route, depart, cabin)\n  File \"/var/task/pymysql/connections.py\", line 777, "
                "in _read_bytes\n    raise err.OperationalError(\npymysql.err.OperationalError: (2013, 'Lost "
                "connection to MySQL server during query (timed out)')"))))
            return {"lines": lines, "dur": d + 4}
        d = dur(t) * rng.uniform(0.6, 1.4)
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO", f"quoted {rng.randint(3, 40)} fares "
                                       f"min=${rng.randint(89, 900)}.00 db_ms={d - 11:.0f}")))
        return {"lines": lines, "dur": d + 5}

    ql = LambdaLogs(sc, fn, "python3.11", 768, 8, mem_used=(131, 10))
    lambda_run(ql, lambda t: 1.6 * (1 + 3.05 * surge(t)), errs, quote_body, start=LOGS_FROM)

    sdl = LambdaLogs(sc, sync, "python3.11", 1024, 120, retire=[sdep + 5], mem_used=(402, 25))

    def sync_body(ll, t, rid, e, cold):
        lines = []
        if cold:
            lines.append((0.001, ll.fmt(t, rid, "INFO", "rates-sync 3.2.2 (feed client 1.9.0)" if t > sdep
                                        else "rates-sync 3.2.1 (feed client 1.8.4)")))
        n = rng.randint(1700, 2100)
        d = (2100 + 700 * busy(t)) * rng.uniform(0.85, 1.15)
        lines.append((0.3, ll.fmt(t + 0.3, rid, "INFO", f"fetched {n} fare rows from ATPCO delta feed")))
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO", f"upserted {n} rows into fares in {d / 1000:.2f}s")))
        return {"lines": lines, "dur": d + 20}
    for m in range(LOGS_FROM, 0, 300):
        sdl.invoke(m + 2 + rng.uniform(0, 1.5), False, sync_body)

    ag = f"/aws/apigateway/{api}/access"

    def access(ts):
        p = partner(ts)
        bulk = p[0] == "skyroute" and ts >= onset
        lat = int(dur(ts) * rng.uniform(0.6, 1.4) + 20)
        st = 502 if rng.random() < errs(ts) else 200
        return json.dumps({"requestId": sc.uuid(), "ip": f"{rng.choice(['34.211', '52.9', '18.237', '3.101'])}."
                           f"{rng.randint(1, 254)}.{rng.randint(1, 254)}", "caller": "-", "apiKeyId": p[2],
                           "requestTime": sc.at(ts).strftime("%d/%b/%Y:%H:%M:%S +0000"), "httpMethod": "POST",
                           "resourcePath": "/quotes",
                           "status": st, "protocol": "HTTP/1.1", "responseLength": rng.randint(900, 14000),
                           "integrationLatency": lat - 14, "responseLatency": lat,
                           "userAgent": p[1] + (" (bulk-refresh)" if bulk else "")}, separators=(",", ":"))
    emit(sc, ag, "a1f3c9e2", lambda t: 1.5 * (1 + 3.05 * surge(t)), access, start=LOGS_FROM)

    sg, ss = f"/aws/rds/instance/{db}/slowquery", db
    q = ("SELECT f.fare_basis, f.carrier, f.base_cents, r.rule_json FROM fares f JOIN fare_rules r ON r.fare_basis = "
         "f.fare_basis AND r.carrier = f.carrier WHERE f.origin = '{o}' AND f.dest = '{d}' AND f.cabin = '{c}' AND "
         "'{day}' BETWEEN f.valid_from AND f.valid_to ORDER BY f.base_cents LIMIT 40")
    ip = lambda: f"10.12.{rng.randint(64, 79)}.{rng.randint(2, 250)}"

    def slowq(ts):
        o, d = rng.choice(["SFO-JFK", "LAX-ORD", "SEA-DEN", "LAX-JFK", "SJC-LAS"]).split("-")
        return mysql_slow(sc, ts, "pricing_app", ip(), rng.uniform(0.5, 0.9) + 1.6 * busy(ts) * rng.random(),
                          0.000011, 40, rng.randint(9000, 14500),
                          q.format(o=o, d=d, c=rng.choice("YYWJ"), day=sc.at(ts + 86400 * rng.randint(3, 90)).strftime("%Y-%m-%d")),
                          "pricing")
    emit(sc, sg, ss, lambda t: 0.25 + 9 * busy(t), slowq, start=LOGS_FROM)
    for m in range(LOGS_FROM, 0, 300):
        ts = m + 4 + rng.uniform(1, 2)
        sc.log(sg, ss, ts, mysql_slow(sc, ts, "rates_sync", "10.12.80.4", rng.uniform(1.5, 2.0) * (1 + 0.3 * busy(ts)),
                                      0.0004, 0, rng.randint(1700, 2100),
                                      "INSERT INTO fares (fare_basis, carrier, origin, dest, cabin, base_cents, valid_from, "
                                      "valid_to) VALUES (...) ON DUPLICATE KEY UPDATE base_cents = VALUES(base_cents), "
                                      "valid_to = VALUES(valid_to)", "pricing"))
    eg = f"/aws/rds/instance/{db}/error"
    emit(sc, eg, db, lambda t: 0.05 + 0.6 * busy(t), lambda ts: mysql(
        sc, ts, 0, "Note", "MY-010914", f"Aborted connection {rng.randint(100000, 999999)} to db: 'pricing' user: "
        f"'pricing_app' host: '{ip()}' (Got an error writing communication packets)."), start=LOGS_FROM)

    sc.change(-13200, "apigateway.amazonaws.com", "CreateUsagePlanKey", "AWS::ApiGateway::UsagePlanKey",
              "partner-plus", "partner-onboarding")
    sc.change(sdep, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", sync, "ci-pricing")
    sc.alarm("pricing-quote-duration-high", "AWS/Lambda", "Duration", {"FunctionName": fn}, "Average", 60, 3, 500,
             "GreaterThanThreshold", "pricing-quote average duration above 500 ms")
    sc.alarm("pricing-mysql-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 1, 85,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "pricing-quote-duration-high",
                 "root_cause": {"category": "traffic_surge", "resource": [fn, api]}}
    meta(sc, front="origin (the Lambda that receives the surge, behind its API)",
         decoys="rates-sync (another client of the same database) deployed 12 min before the onset; the DB CPU "
         "alarm as a second alarm; a usage-plan key created 3.7 h earlier; 5-minute rates_sync upserts in the slow log "
         "all along; constant fare-rule WARNING",
         services="API Gateway (REST), Lambda, RDS MySQL", runtime="Python 3.11 (PyMySQL)",
         logfmt="Lambda Python text, API Gateway JSON access log, MySQL slow query log and error log",
         story="At -34 min the partner SkyRoute started a bulk fare refresh (`SkyRoute-FareSync/4.2 (bulk-refresh)` in "
         "the access log, its share of requests going from ~20 % to ~80 %). pricing-quote Invocations and the API's "
         "Count go from ~140 to ~560 a minute; the slow log shows the same fares/fare_rules statement from pricing_app, "
         "with the same Rows_examined as before, just many more of them and slower; pricing-mysql CPU goes from ~29 % "
         "to ~92 %, average Duration from ~50 to ~700 ms with a few read timeouts. rates-sync's deploy 12 min earlier "
         "changed nothing: same 5-minute schedule, same row counts and statements. traffic_surge on pricing-quote "
         "(the API is also accepted).")
    return sc


BUILDERS = [build_03, build_04]
