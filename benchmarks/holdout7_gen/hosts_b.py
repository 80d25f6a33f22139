"""EC2 disk full behind an ALB, RDS CPU saturation seen from a Lambda, API Gateway traffic surge."""
from __future__ import annotations

import numpy as np

from .common import T, Scn, blip, counts, daily, flat, noisy, ramp, step
from .hosts import syslog
from .services import (alb_metrics, apigw_metrics, app_streams, ec2_metrics, lambda_metrics, per_minute,
                       rds_metrics, sim_lambda)


# ------------------------------------------------------------------------------
def s11_media_ingest_disk_full():
    sc = Scn("h7-11-media-ingest-disk-full", "eu-west-2",
             "media-ingest 5XX alarm; creators report uploads failing.", 7111)
    lb, tg = "app/media-ingest/4b5c6d7e8f9a0b1c", "targetgroup/media-ingest-web/2c3d4e5f6a7b8c9d"
    a, b = "i-0d5e6f7a8b9c0d1e2", "i-0e1d2c3b4a5f6e7d8"
    full = -1620
    sc.resource("alb", lb, name="media-ingest", targets=[a, b])
    for iid, nm in ((a, "media-ingest-1"), (b, "media-ingest-2")):
        sc.resource("ec2", iid, name=nm, instance_type="c6i.2xlarge",
                    log_groups=["/media-ingest/nginx/error", "/media-ingest/app"])
    disk_a = np.minimum(noisy(sc, 62 + (T + 21600) / (full + 21600) * 38, 0.002), 100)
    disk_a = np.where(T >= full, 100.0, disk_a)
    req = counts(sc, daily(95, 0.2))
    t5 = counts(sc, req * 0.001 + (T >= full) * req * 0.5 * 0.8)
    alb_metrics(sc, lb, tg, req=req, trt=noisy(sc, flat(0.65), 0.12, 0.1), t5xx=t5, healthy=flat(2))
    ec2_metrics(sc, a, disk=disk_a, cpu=noisy(sc, daily(38), 0.1, 1, 100))
    ec2_metrics(sc, b, disk=noisy(sc, flat(47), 0.002), cpu=noisy(sc, daily(37) + blip(-8100, -7500) * 40, 0.1, 1, 100))
    lines = []

    def ngx(t):
        iid = int(sc.rng.integers(2))
        return [(t, f"{sc.stamp(t, '%Y/%m/%d %H:%M:%S')} [warn] {sc.rng.integers(900, 990)}#0: *{sc.rng.integers(1e5, 9e5)} a "
                    f"client request body is buffered to a temporary file /var/lib/nginx/body/00000{sc.rng.integers(10000, 99999)}, "
                    f"client: 10.0.{sc.rng.integers(1, 9)}.{sc.rng.integers(2, 250)}, server: _, request: \"POST /upload HTTP/1.1\"",
                 iid)]
    lines = per_minute(sc, counts(sc, flat(3)), ngx)

    def crit(t):
        n = sc.rng.integers(10000, 99999)
        return [(t, f"{sc.stamp(t, '%Y/%m/%d %H:%M:%S')} [crit] 961#0: *{sc.rng.integers(1e5, 9e5)} pwrite() "
                    f"\"/var/lib/nginx/body/00000{n}\" failed (28: No space left on device), client: 10.0.3."
                    f"{sc.rng.integers(2, 250)}, server: _, request: \"POST /upload HTTP/1.1\"", 0)]
    lines += per_minute(sc, np.round(t5 * 0.4) * (T >= full), crit)
    app = per_minute(sc, counts(sc, flat(6)), lambda t: [(t, f"{sc.iso(t)} INFO media_ingest.upload: stored "
                                                             f"upload_{sc.hexid(8)}.mp4 ({sc.rng.integers(20, 900)} MB)",
                                                          int(sc.rng.integers(2)))])
    app += per_minute(sc, np.round(t5 * 0.6) * (T >= full), lambda t: [(t, (
        f"{sc.iso(t)} ERROR media_ingest.upload: upload failed\nTraceback (most recent call last):\n"
        f"  File \"/opt/media-ingest/media_ingest/upload.py\", line 141, in write_part\n    fh.write(chunk)\n"
        f"OSError: [Errno 28] No space left on device: '/var/lib/media-ingest/tmp/upload_{sc.hexid(8)}.part'"), 0)])
    app += [(t, f"{sc.iso(t)} WARNING media_ingest.janitor: tmp cleanup skipped: lock held by pid 1187", 0)
            for t in range(-10790, 0, 900)]
    for group, ev in (("/media-ingest/nginx/error", lines), ("/media-ingest/app", app)):
        for k, iid in enumerate((a, b)):
            sc.log(group, iid, [(t, m) for t, m, i in ev if i == k])
    sc.change(-9600, "ec2.amazonaws.com", "ModifyInstanceAttribute", "AWS::EC2::Instance", b, "ops-automation")
    name = "media-ingest 5XX"
    sc.alarm(name, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 5.0,
             "GreaterThanThreshold", t5)
    sc.expect(name, "storage_exhaustion", [a, "media-ingest-1"],
              [{"namespace": "CWAgent", "name": "disk_used_percent", "dimensions": {"InstanceId": a}}],
              decoys="constant nginx 'buffered to a temporary file' warnings; CPU burst and ModifyInstanceAttribute "
                     "on media-ingest-2 2.5 h earlier",
              story="media-ingest-1's tmp janitor has been stuck behind a stale lock, so partial uploads piled up "
                    "until the root volume filled. nginx and the app on that instance fail writes with ENOSPC; "
                    "about half of uploads (those routed to it) return 500.")
    return sc


# ------------------------------------------------------------------------------
def s12_catalog_pg_cpu():
    sc = Scn("h7-12-catalog-pg-cpu", "ap-south-1",
             "catalog-search p95 duration alarm; product search slow in the app.", 7112)
    fn, db, onset = "catalog-search", "catalog-pg", -2700
    sc.resource("lambda", fn, runtime="python3.12", timeout=10, memory_size=1024, alias="live")
    sc.resource("rds", db, engine="postgres", engine_version="16.3", instance_class="db.r6g.large",
                max_connections=1000, allocated_storage_gb=300)
    sc.resource("lambda", "catalog-indexer", runtime="python3.12", timeout=900, memory_size=2048)
    host = f"{db}.cx9ab7de1f2g.ap-south-1.rds.amazonaws.com"
    cpu = np.minimum(noisy(sc, daily(24) + ramp(onset, onset + 300) * 74, 0.05, 1), 100)
    slow = ramp(onset, onset + 300)
    inv = counts(sc, daily(40, 0.15))

    def h(sc, t, rid):
        s = slow[min(int((t + 21600) // 60), len(slow) - 1)]
        q = float(sc.rng.gamma(5, 9) + s * sc.rng.gamma(6, 380))
        lines = [(0.002, f"[INFO]\t{sc.iso(t)}\t{rid}\tsearch q='{sc.rng.choice(['shoes', 'red kurta', 'usb c cable', 'rice'])}'"
                         f" page={sc.rng.integers(1, 4)} -> {sc.rng.integers(0, 48)} hits ({q:.0f} ms in db {host})")]
        if sc.rng.random() < 0.02:
            lines.append((0.003, f"[WARNING]\t{sc.iso(t)}\t{rid}\tpersonalisation profile missing, using defaults"))
        return "ok", q + float(sc.rng.gamma(4, 6)), 190, lines
    err, dur, conc = sim_lambda(sc, fn, inv, h, mem=1024, streams=3, timeout_s=10, versions=((-1e9, "23"),))
    lambda_metrics(sc, fn, inv, err, dur, conc, alias="live")
    inv2 = np.zeros(len(T))
    inv2[::30] = 1

    def h2(sc, t, rid):
        return "ok", float(sc.rng.uniform(60000, 90000)), 700, [
            (0.1, f"[INFO]\t{sc.iso(t)}\t{rid}\treindexed {sc.rng.integers(200, 900)} changed products")]
    e2, d2, c2 = sim_lambda(sc, "catalog-indexer", inv2, h2, mem=2048, streams=1, timeout_s=900)
    lambda_metrics(sc, "catalog-indexer", inv2, e2, d2, c2)
    rds_metrics(sc, db, cpu=cpu, conns=np.round(noisy(sc, flat(34) + slow * 22, 0.06)), storage_gb=300, mem_gb=16,
                read_iops=noisy(sc, daily(300) + slow * 1400, 0.1, 0), queue=noisy(sc, flat(0.5) + slow * 3, 0.3, 0))
    pg = [(t, f"{sc.stamp(t)} UTC::@:[412]:LOG:  checkpoint complete: wrote {sc.rng.integers(300, 3000)} buffers "
              f"({sc.rng.uniform(0.1, 1.2):.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled")
          for t in range(-21590, 0, 300)]
    pg.append((onset - 200, f"{sc.stamp(onset - 200)} UTC::@:[30911]:LOG:  automatic analyze of table "
                            f"\"catalog.public.products\"\n\tavg read rate: 41.220 MB/s, avg write rate: 0.012 MB/s\n"
                            f"\tsystem usage: CPU: user: 2.91 s, system: 0.22 s, elapsed: 3.71 s"))
    for t in np.sort(sc.rng.uniform(onset + 60, -20, 160)):
        pg.append((t, f"{sc.stamp(t)} UTC:10.12.{sc.rng.integers(1, 9)}.{sc.rng.integers(2, 250)}({sc.rng.integers(30000, 60000)})"
                      f":search_ro@catalog:[{sc.rng.integers(5000, 40000)}]:LOG:  duration: {sc.rng.uniform(1200, 5200):.3f} ms"
                      f"  execute <unnamed>: SELECT p.id, p.title, p.price FROM products p JOIN product_tags t ON "
                      f"t.product_id = p.id WHERE p.tsv @@ plainto_tsquery($1) AND t.tag = ANY($2) ORDER BY p.rank "
                      f"DESC LIMIT 48"))
    sc.log(f"/aws/rds/instance/{db}/postgresql", f"{db}.0", pg)
    sc.change(-11300, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "catalog-indexer", "jenkins")
    name = "catalog-search p95 duration (live)"
    sc.alarm(name, "AWS/Lambda", "Duration", {"FunctionName": fn, "Resource": f"{fn}:live"}, "p95", 60, 5, 1500.0,
             "GreaterThanThreshold", np.where(inv > 0, dur, np.nan), datapoints_to_alarm=4)
    sc.expect(name, "cpu_saturation", [db],
              [{"namespace": "AWS/RDS", "name": "CPUUtilization", "dimensions": {"DBInstanceIdentifier": db}}],
              decoys="catalog-indexer deploy 3 h earlier; constant personalisation warnings",
              story="After autovacuum re-analysed products, the planner switched the tag-filtered search to a plan "
                    "that scans product_tags for every query. catalog-pg's CPU pinned near 100 % and every search "
                    "query takes seconds; the Lambda has no errors, only latency. The function's only link to the "
                    "database is the host name in its log lines.")
    return sc


# ------------------------------------------------------------------------------
def s13_catalog_api_surge():
    sc = Scn("h7-13-public-catalog-surge", "us-east-1",
             "Catalog API p99 latency (v1) alarm; partner integrations report slow responses.", 7113)
    api, api_id, fn, onset = "public-catalog-api", "x3v9m1q7zt", "catalog-read", -2400
    sc.resource("apigateway", api, api_id=api_id, stages=["v1"])
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=10, memory_size=512)
    surge = ramp(onset, onset + 1500) * 6.5
    inv = counts(sc, daily(11, 0.12) * (1 + surge))
    cold_frac = np.clip(np.diff(np.concatenate([[0], inv * 0.25])) / np.maximum(inv, 1), 0, 0.6)

    def h(sc, t, rid):
        i = min(int((t + 21600) // 60), len(T) - 1)
        extra = 1400.0 if sc.rng.random() < cold_frac[i] else 0.0
        d = float(sc.rng.gamma(5, 11) + surge[i] * 4)
        return "ok", d + extra * 0.1, 120, [(0.003, f"{sc.iso(t)}\t{rid}\tINFO\tGET /v1/products/{sc.rng.integers(1e5, 9e5)} "
                                                    f"-> 200 (cache {'hit' if sc.rng.random() < 0.7 else 'miss'})")]
    err, dur, conc = sim_lambda(sc, fn, inv, h, mem=512, runtime="nodejs:20.v33", timeout_s=10,
                                streams=lambda t: 3 + int(surge[min(int((t + 21600) // 60), len(T) - 1)] * 7))
    lambda_metrics(sc, fn, inv, err, dur, conc)
    e4 = counts(sc, inv * 0.015)
    lat = noisy(sc, np.nan_to_num(dur) + 30 + cold_frac * 2600 + surge * 90, 0.1, 10)
    apigw_metrics(sc, api, "v1", count=inv + e4, e4xx=e4, e5xx=np.zeros(len(T)), latency=lat,
                  integ=noisy(sc, np.nan_to_num(dur) + 8 + cold_frac * 2300, 0.1, 5))
    sc.change(-15000, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::RestApi", api, "cdk-pipeline")
    sc.change(-14990, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", f"{api}/v1", "cdk-pipeline")
    name = "Catalog API p99 latency (v1)"
    sc.alarm(name, "AWS/ApiGateway", "Latency", {"ApiName": api, "Stage": "v1"}, "p99", 60, 5, 400.0,
             "GreaterThanThreshold", lat, datapoints_to_alarm=3)
    sc.expect(name, "traffic_surge", [api, fn],
              [{"namespace": "AWS/ApiGateway", "name": "Count", "dimensions": {"ApiName": api, "Stage": "v1"}}],
              decoys="API deployment + stage update 4 h earlier; steady 4XX from bad product ids",
              story="A partner launched a full-catalogue sync that ramps request volume to ~7x normal. The function "
                    "keeps scaling out, so a steady stream of cold starts (Init Duration in the REPORT lines) pushes "
                    "API p99 latency up; there are no errors, throttles or changes.")
    return sc


SCENARIOS = [s11_media_ingest_disk_full, s12_catalog_pg_cpu, s13_catalog_api_surge]
