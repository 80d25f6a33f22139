"""h18-10: promo DB CPU alarm; a push campaign multiplies traffic on the promo API, nothing is broken."""
from __future__ import annotations

import numpy as np

from .common import N, T, Scn
from .logfmt import LambdaLog, mysql_err, poisson_times
from . import svc

DB = "promo-db"
BASTION = "i-0d7c3b9a51e2f4680"


def build():
    s = Scn("h18-10-promo-db-cpu-campaign-traffic", 1810, "eu-west-1", "2026-03-21T18:50:00", 0.0)
    s.res("apigateway", "promo-api", api_id="h4n8v2c6x0", stage="live", endpoint_type="EDGE",
          throttling={"rate_limit": 5000, "burst_limit": 2500})
    s.res("lambda", "promo-redeem", runtime="python3.12", timeout=10, memory_size=512, log_format="JSON",
          application_log_level="WARN", system_log_level="WARN",
          environment={"DB_HOST": "promo-db.c8m3x1v7kq2s.eu-west-1.rds.amazonaws.com", "DB_NAME": "promo"})
    s.res("lambda", "campaign-sender", runtime="python3.12", timeout=900, memory_size=1024,
          schedule="cron(0 18 ? * SAT *)", environment={"PLATFORM": "fcm+apns", "SEGMENT": "all_opted_in"})
    s.res("rds", DB, engine="mysql", engine_version="8.0.35", instance_class="db.r6g.xlarge",
          allocated_storage_gb=250, max_connections=2000)
    s.res("ec2", BASTION, name="metabase-1", instance_type="t3.large", private_ip="10.80.3.21")

    send = -1990.0
    shape = s.diurnal(peak=19.5, depth=0.55)
    surge = np.clip((T - (send + 60)) / 420, 0, 1) * np.exp(-np.clip(T - (send + 480), 0, None) / 40000)
    count = s.pois(430 * shape * (1 + s.ar(0.05)) * (1 + 6.8 * surge))
    onset = float(T[int(np.argmax(count > 3 * np.median(count)))])
    load = count / 430
    dur = s.gauge(105 + 6 * shape, 6, lo=40) * (1 + 0.2 * np.clip(load - 1, 0, None) ** 1.2)
    svc.lam(s, "promo-redeem", count, s.pois(np.full(N, 0.02)), dur)
    lat = dur + s.gauge(np.full(N, 28.0), 3, lo=10)
    svc.apigw(s, "promo-api", count, e4=s.pois(count * 0.045), e5=s.pois(np.full(N, 0.05) + count * 0.00005),
              lat=lat)
    cs_inv = np.where((T >= send) & (T < send + 300), 5.0, 0.0)
    svc.lam(s, "campaign-sender", cs_inv, np.zeros(N), np.where(cs_inv > 0, 48000.0, 0.0), conc=np.minimum(cs_inv, 4))
    cpu = s.gauge(np.full(N, 12.0), 1.5, lo=3) + 10.5 * np.clip(load, 0, None) ** 0.97
    cpu = np.minimum(cpu, s.gauge(np.full(N, 82.5), 1.3))
    svc.rds(s, DB, cpu, s.gauge(70 + 28 * load, 4, lo=20), s.gauge(np.full(N, 171.0), 0.04), 24.0,
            load=np.clip(load / 2, 0.5, None), riops=s.gauge(150 + 110 * load, 20, lo=20),
            wiops=s.gauge(90 + 95 * load, 12, lo=10))
    spike = s.win(-5220, -4620, rise=60, fall=120)
    svc.ec2(s, BASTION, s.gauge(np.full(N, 4.0), 1, lo=0.5) + 88 * spike, s.gauge(np.full(N, 3e5), 3e4, lo=1e3)
            + 6e7 * spike, mem=s.gauge(np.full(N, 41.0), 0.6) + 25 * spike, disk=s.gauge(np.full(N, 37.0), 0.03))

    # ---- logs ------------------------------------------------------------------------
    cl = LambdaLog(s, "campaign-sender", "python3.12", 1024, mem_used=(300, 420))
    for k, st in enumerate(np.arange(send + 2, send + 300, 60.0)):
        rid = s.uuid()
        lines = [(0.1, cl.line(st, rid, "INFO", "campaign SPRING-FLASH-26 segment=all_opted_in devices=1184220 "
                                                f"shard {k + 1}/5"))]
        for b in range(10):
            lines.append((4 + b * 4.3, cl.line(st + 4 + b * 4.3, rid, "INFO", f"published batch {b + 1}/10 of shard {k + 1} "
                                                                 f"({int(s.rng.integers(23000, 24000))} messages, "
                                                                 f"fcm={int(s.rng.integers(15000, 17000))})")))
        lines.append((47.5, cl.line(st + 47.5, rid, "INFO", f"shard {k + 1} done: deep link https://shop.example-fresh.eu/"
                                                      "promo/SPRING-FLASH-26")))
        cl.invoke(st, 48000.0 + float(s.rng.uniform(-900, 900)), lines, rid=rid)
    cl.flush()

    rl = LambdaLog(s, "promo-redeem", "python3.12", 512, fmt="json", logger="promo")
    for i in np.nonzero(T >= -9000)[0]:
        for _ in range(int(s.rng.poisson(count[i] * 0.0065))):
            t = T[i] + float(s.rng.uniform(0, 60))
            code = s.pick(["SPRING-FLASH-26", "WELCOME10", "FREESHIP", "SPRING-FLASH-26"]) if T[i] >= send else \
                s.pick(["WELCOME10", "FREESHIP", "LOYAL15"])
            rl.record(t, rl.line(t, s.uuid(), "WARN", f"redeem rejected: code {code} already used by customer "
                                                      f"c_{int(s.rng.integers(10 ** 6, 10 ** 7))}"), 30)
    for t in poisson_times(s, 0.15, -9000):
        rl.record(t, rl.line(t, s.uuid(), "WARN", "redeem rejected: unknown code "
                                                  f"{s.hexs(6).upper()}"), 30)
    rl.flush()

    err_ev = []
    for t in np.arange(-21600 + 311, 0, 3600.0):
        err_ev.append((t, mysql_err(s, t, "Note", "010914", "Server", "Aborted connection "
                                    f"{int(s.rng.integers(10 ** 5, 10 ** 6))} to db: 'promo' user: 'redeem' host: "
                                    f"'{s.ip('10.80')}' (Got timeout reading communication packets).",
                                    int(s.rng.integers(10 ** 5, 10 ** 6)))))
    s.stream(f"/aws/rds/instance/{DB}/error", DB, err_ev)
    slow = []
    rate = np.where(T >= -10800, 0.05 + 0.0022 * np.clip(count - 430, 0, None), 0)
    for t in poisson_times(s, rate, -10800):
        qt = float(s.rng.uniform(1.0, 2.6)) if t > onset else float(s.rng.uniform(1.0, 1.6))
        slow.append((t, f"# Time: {s.iso6(t)}\n# User@Host: redeem[redeem] @  [{s.ip('10.80')}]  Id: "
                        f"{int(s.rng.integers(10 ** 5, 10 ** 6))}\n# Query_time: {qt:.6f}  Lock_time: 0.000004 "
                        f"Rows_sent: 1  Rows_examined: {int(s.rng.integers(80000, 240000))}\nSET timestamp="
                        f"{int(s.at(t).timestamp())};\nSELECT c.id, c.remaining FROM promo_codes c WHERE c.code = "
                        "'SPRING-FLASH-26' AND c.segment_id IN (SELECT segment_id FROM customer_segments WHERE "
                        f"customer_id = {int(s.rng.integers(10 ** 6, 10 ** 7))}) FOR UPDATE;"))
    s.stream(f"/aws/rds/instance/{DB}/slowquery", DB, slow)

    s.change(-15120, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "promo-redeem",
             "jenkins-promo")
    s.change(-7030, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", DB, "l.moreau")
    s.change(-5260, "ssm.amazonaws.com", "StartSession", "AWS::EC2::Instance", BASTION, "l.moreau")
    s.alarm("promo-db-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": DB}, "Average", 60, 5, 75,
            desc="promo-db CPU above 75 %", after=onset, before=onset + 900)
    s.alarm("promo-api-latency", "AWS/ApiGateway", "Latency", {"ApiName": "promo-api"}, "Average", 60, 3, 250,
            after=onset)
    s.alarm("promo-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "promo-api"}, "Sum", 60, 3, 10, want="OK")
    s.alarm("metabase-1-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": BASTION}, "Average", 300, 2, 80, want="OK")
    doc = s.doc("promo-db CPU alarm fired during the Saturday flash sale; redemption feels slow.",
                "promo-db-cpu-high", "traffic_surge", ["promo-api", "promo-redeem"],
                [{"namespace": "AWS/ApiGateway", "name": "Count", "dimensions": {"ApiName": "promo-api"}}])
    meta = {"alarm_on": "origin's downstream (RDS CPU, two hops below the API where the surge enters)",
            "decoys": "ModifyDBInstance on promo-db 1.4 h before onset; promo-redeem deploy 3.7 h earlier; "
                      "metabase-1 CPU spike 55 min earlier (alarm back to OK); campaign-sender run (explains the traffic)",
            "story": (
                "The weekly campaign-sender run pushes the SPRING-FLASH-26 deep link to 1.18 M devices. Within minutes "
                "promo-api requests rise about sevenfold; promo-redeem scales without throttles or errors, but every "
                "redemption runs a locking SELECT on promo-db, whose CPU climbs from ~20 % to the high 80s (not "
                "pinned) and latency grows; the slow-query log fills with the same statement. Deciding evidence: "
                "Count on promo-api far above its level before the campaign, the rise coinciding with the push, no "
                "errors, throttles, config change or saturation at the time; the DB modification happened long "
                "before and the CPU only follows the request volume.")}
    return doc, meta
