"""h18-11: catalog API 5xx; the search Lambda times out connecting to a self-managed search node whose host failed."""
from __future__ import annotations

import numpy as np

from .common import N, T, Scn
from .logfmt import LambdaLog, poisson_times, py_frames, syslog
from . import svc

NODE, NODE_IP = "i-0f3e9a7c21b84d5e6", "10.40.21.14"
HOSTNAME = "search-node-1.catalog.internal"


def build():
    s = Scn("h18-11-catalog-5xx-search-host-down", 1811, "us-east-1", "2026-03-23T15:20:00", -4.0)
    s.res("apigateway", "catalog-api", api_id="r2t6y8u0i4", stage="prod", endpoint_type="REGIONAL")
    s.res("lambda", "catalog-search", runtime="python3.12", timeout=6, memory_size=512, log_format="JSON",
          application_log_level="WARN", system_log_level="WARN",
          environment={"SEARCH_ENDPOINT": f"http://{HOSTNAME}:9200", "SEARCH_INDEX": "products-v12"})
    s.res("lambda", "catalog-product", runtime="python3.12", timeout=6, memory_size=256,
          environment={"PRODUCTS_TABLE": "catalog-products"})
    s.res("lambda", "catalog-images", runtime="python3.12", timeout=60, memory_size=1536,
          environment={"IMAGE_BUCKET": "catalog-media-prod"})
    s.res("ec2", NODE, name="search-node-1", instance_type="r6i.xlarge", private_ip=NODE_IP, dns=HOSTNAME,
          role="OpenSearch 2.11 single node (products-v12)", detailed_monitoring=False,
          log_groups=["/ec2/search-node-1/opensearch", "/ec2/search-node-1/syslog"])

    onset = -2200.0
    shape = s.diurnal(peak=14.0, depth=0.7)
    search = s.pois(85 * shape * (1 + s.ar(0.04)))
    prod = s.pois(480 * shape)
    dead = T >= onset
    s_err = np.where(dead, search, 0) + np.where(dead, 0, s.pois(np.full(N, 0.03)))
    s_dur = np.where(dead, s.gauge(np.full(N, 2060.0), 15, lo=2005), s.gauge(np.full(N, 85.0), 8, lo=30))
    svc.lam(s, "catalog-search", search, s_err, s_dur)
    svc.lam(s, "catalog-product", prod, s.pois(np.full(N, 0.02)), s.gauge(np.full(N, 34.0), 3, lo=10))
    count = search + prod
    e5 = s_err + s.pois(np.full(N, 0.05))
    lat = (s_dur * search + 48 * prod) / np.maximum(count, 1) + 14
    svc.apigw(s, "catalog-api", count, e4=s.pois(count * 0.008), e5=e5, lat=lat)
    dep = onset - 250
    img_inv = s.pois(np.full(N, 1.6) * shape)
    img_dur = s.gauge(np.where(T >= dep, 2900.0, 3100.0), 200, lo=800)
    svc.lam(s, "catalog-images", img_inv, np.zeros(N), img_dur)

    alive = T < onset - 30
    cpu = s.gauge(9 + 14 * shape, 1.5, lo=2)
    net = s.gauge(1.1e7 * shape, 6e5, lo=1e5)
    status = np.where(T >= onset + 40, 1.0, 0.0)
    svc.ec2(s, NODE, cpu, net, net * 2.4, status=status, mem=s.gauge(np.full(N, 71.0), 0.3),
            disk=s.gauge(np.full(N, 54.0), 0.02), every=300, keep=alive)

    # ---- search node logs ------------------------------------------------------------
    osl = []
    for t in np.arange(-21600 + 17, onset - 20, 300.0):
        osl.append((t, f"[{s.clock(t, '%Y-%m-%dT%H:%M:%S')},{int(s.rng.integers(100, 999))}][INFO ][o.o.m.j.JvmGcMonitorService] "
                       f"[search-node-1] [gc][{int(t + 8123500)}] overhead, spent [{int(s.rng.integers(120, 300))}ms] "
                       "collecting in the last [1s]"))
    for t in poisson_times(s, 0.08, -21600, onset - 20):
        took = int(s.rng.integers(800, 1900))
        osl.append((t, f"[{s.clock(t, '%Y-%m-%dT%H:%M:%S')},{int(s.rng.integers(100, 999))}][WARN ][i.s.s.query] "
                       f"[search-node-1] [products-v12][{int(s.rng.integers(0, 3))}] took[{took}ms], "
                       f"took_millis[{took}], search_type[QUERY_THEN_FETCH], total_shards[3]"))
    for t in np.arange(-21600 + 1200, onset - 20, 3600.0):
        osl.append((t, f"[{s.clock(t, '%Y-%m-%dT%H:%M:%S')},{int(s.rng.integers(100, 999))}][INFO ][o.o.c.m.MetadataMappingService] "
                       "[search-node-1] [products-v12/Zq3vV1bTQxu2] update_mapping [_doc]"))
    s.stream("/ec2/search-node-1/opensearch", NODE, osl)
    host = "ip-10-40-21-14"
    sl = [(t, syslog(s, t, host, "systemd", "Started Session of user ec2-user.", 1))
          for t in poisson_times(s, 0.01, -21600, onset - 100)]
    sl += [(t, syslog(s, t, host, "CRON", "(root) CMD (/usr/local/bin/snapshot-products.sh)",
                      int(s.rng.integers(10000, 30000)))) for t in np.arange(-21600 + 600, onset - 30, 1800.0)]
    sl += [(onset - 95, syslog(s, onset - 95, host, "kernel", "[8123344.018112] nvme nvme1: I/O 417 QID 3 timeout, "
                                                              "aborting")),
           (onset - 64, syslog(s, onset - 64, host, "kernel", "[8123375.210004] nvme nvme1: I/O 417 QID 3 timeout, "
                                                              "reset controller")),
           (onset - 33, syslog(s, onset - 33, host, "kernel", "[8123406.402771] INFO: task java:2214 blocked for more "
                                                              "than 120 seconds."))]
    s.stream("/ec2/search-node-1/syslog", NODE, sl)

    # ---- catalog-search (JSON WARN+) -------------------------------------------------
    ll = LambdaLog(s, "catalog-search", "python3.12", 512, fmt="json", logger="search")
    frames = py_frames([("/var/task/search/handler.py", 44, "lambda_handler",
                         "hits = client.search(index=INDEX, body=query, request_timeout=4)"),
                        ("/var/task/opensearchpy/transport.py", 457, "perform_request", "raise e"),
                        ("/var/task/opensearchpy/connection/http_urllib3.py", 269, "perform_request",
                         "raise ConnectionTimeout(\"TIMEOUT\", str(e), e)")])
    for t in poisson_times(s, 0.09, -9000, onset):
        ll.record(t, ll.line(t, s.uuid(), "WARN", f"slow search {int(s.rng.integers(700, 1900))} ms for q="
                                                  f"'{s.pick(['usb c hub', 'm8 bolts', 'nitrile gloves', 'pallet jack'])}'"),
                  6)
    for i in np.nonzero(dead & (T >= -9000))[0]:
        for _ in range(int(s_err[i])):
            t = T[i] + float(s.rng.uniform(0, 60))
            obj = f"0x7f{s.hexs(10)}"
            ll.record(t, ll.unhandled(t, s.uuid(), "ConnectionTimeout",
                                      f"ConnectionTimeout caused by - ConnectTimeoutError(<urllib3.connection."
                                      f"HTTPConnection object at {obj}>, 'Connection to {HOSTNAME} timed out. "
                                      "(connect timeout=2)')", frames), 12)
    ll.flush()

    pl = LambdaLog(s, "catalog-images", "python3.12", 1536, mem_used=(400, 700))
    okb = (lambda t, rid: [(0.3, pl.line(t, rid, "INFO", f"resized {s.hexs(8)}.jpg to 4 renditions"))])
    pl.minutes(-9000, img_inv, np.zeros(N), img_dur, okb, None, t_to=dep)
    pl.set_version("$LATEST")
    pl.minutes(dep, img_inv, np.zeros(N), img_dur,
               lambda t, rid: [(0.3, pl.line(t, rid, "INFO", f"resized {s.hexs(8)}.jpg to 4 renditions (avif on)"))],
               None)
    pl.flush()

    s.change(dep, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "catalog-images",
             "gh-actions-catalog")
    s.change(-13300, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "catalog-search",
             "gh-actions-catalog")
    s.change(-6100, "ec2.amazonaws.com", "CreateSnapshot", "AWS::EC2::Volume", "vol-0a4c81e2f7b39d516",
             "dlm-products-policy")
    s.alarm("catalog-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "catalog-api"}, "Sum", 60, 3, 20,
            desc="Catalog API 5xx", after=onset, before=onset + 600)
    s.alarm("catalog-search-errors", "AWS/Lambda", "Errors", {"FunctionName": "catalog-search"}, "Sum", 60, 3, 10,
            after=onset)
    s.alarm("search-node-1-status-check", "AWS/EC2", "StatusCheckFailed", {"InstanceId": NODE}, "Maximum", 60, 2, 0,
            after=onset)
    doc = s.doc("Product search returns errors on the B2B catalog; catalog API 5xx alarm fired.",
                "catalog-api-5xx", "dependency_failure", [NODE, "search-node-1"],
                [{"namespace": "AWS/EC2", "name": "StatusCheckFailed_System", "dimensions": {"InstanceId": NODE}}])
    meta = {"alarm_on": "front (API Gateway -> catalog-search Lambda -> EC2 search node)",
            "decoys": "catalog-images deploy 4 min before onset; catalog-search deploy 3.1 h earlier; EBS snapshot "
                      "1.1 h earlier; slow-search warnings",
            "story": (
                "search-node-1's host fails: NVMe I/O timeouts and a hung java task in syslog, then the node goes "
                "silent, CloudWatch metrics stop and StatusCheckFailed_System turns 1. catalog-search cannot even "
                "connect (`ConnectTimeoutError ... Connection to search-node-1.catalog.internal timed out`), every "
                "search request fails after the 2 s connect timeout, API Gateway returns 5xx. The product routes of "
                "the same API are healthy. Deciding evidence: the node's logs and metrics stop first, the status "
                "check, connection timeouts naming its hostname; not saturated (CPU/memory normal until silence), so "
                "a dependency failure rather than an exhaustion.")}
    return doc, meta
