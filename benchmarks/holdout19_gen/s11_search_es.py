"""h19-11: the self-hosted Elasticsearch instance fails its system status check (dependency_failure, EC2 origin, Lambda front alarm)."""
from __future__ import annotations

import json
from datetime import datetime

import numpy as np

from .common import LOG_START, START, Case, counts, diurnal, wobble
from .logfmt import Inv, LambdaSim

SLUG = "h19-11-search-es-host-down"
DOWN = -2040
IID = "i-03e8a1c5f7b9d2046"
ES = "search-es-1.prod.internal"

META = {
    "front": "front (Lambda)",
    "decoys": "search-indexer deployed 4 min before the failure (its first run afterwards succeeded); constant "
              "slow-query warnings and GC/deprecation lines",
    "story": (
        "`search-suggest` queries a single-node Elasticsearch on EC2 `search-es-1` (i-03e8a1c5f7b9d2046). At "
        "-34 min the instance fails its system status check (StatusCheckFailed_System = 1), its CPU and CWAgent "
        "metrics stop and the Elasticsearch log goes silent. From then on every suggest call fails after its "
        "2 s connect timeout with `elastic_transport.ConnectionTimeout ... Connection to "
        "search-es-1.prod.internal timed out`, and the Errors alarm fires; the indexer fails the same way. Nothing "
        "was exhausted on the instance before it dropped (CPU ~20 %, memory and disk flat). The search-indexer "
        "deploy a few minutes earlier is a red herring: its first run after the deploy indexed normally and it "
        "only started failing when the host went away, with the same connection error as the suggest function."),
}


def es_log(c: Case, ts: float, level: str, logger: str, thread: str, msg: str) -> str:
    return json.dumps({"@timestamp": c.iso(ts), "log.level": level, "message": msg, "ecs.version": "1.2.0",
                       "service.name": "ES_ECS", "event.dataset": "elasticsearch.server",
                       "process.thread.name": f"elasticsearch[search-es-1][{thread}][T#1]", "log.logger": logger,
                       "elasticsearch.node.name": "search-es-1", "elasticsearch.cluster.name": "search-prod"})


def conn_error(kind: str, line: int, call: str) -> str:
    return ("[ERROR] ConnectionTimeout: Connection timed out caused by: ConnectTimeoutError(<urllib3.connection."
            f"HTTPConnection object at 0x7f{kind}>, 'Connection to {ES} timed out. (connect timeout=2)')\n"
            "Traceback (most recent call last):\n"
            f'  File "/var/task/handler.py", line {line}, in lambda_handler\n'
            f"    {call}\n"
            '  File "/opt/python/elasticsearch/_sync/client/utils.py", line 455, in wrapped\n'
            "    return api(*args, **kwargs)\n"
            '  File "/opt/python/elastic_transport/_transport.py", line 342, in perform_request\n'
            "    resp = node.perform_request(\n"
            '  File "/opt/python/elastic_transport/_node/_http_urllib3.py", line 202, in perform_request\n'
            "    raise err from e")


def build() -> Case:
    c = Case(SLUG, 1911, "eu-west-2", datetime(2026, 11, 25, 13, 40),
             "Search suggestions failing on the website; search-suggest Errors alarm paged on-call.")
    rng, ids, t = c.rng, c.ids, c.t
    n = len(t)
    c.resource("ec2", IID, name="search-es-1", instance_type="r6g.xlarge", private_dns=ES,
               role="Elasticsearch 8.13 (single node, cluster search-prod)", log_groups=["/search/elasticsearch"])
    c.resource("lambda", "search-suggest", runtime="python3.12", timeout=6, memory_size=512,
               environment={"ES_URL": f"http://{ES}:9200", "ES_INDEX": "products", "ES_CONNECT_TIMEOUT": "2"})
    c.resource("lambda", "search-indexer", runtime="python3.12", timeout=120, memory_size=1024,
               environment={"ES_URL": f"http://{ES}:9200", "ES_INDEX": "products"},
               schedule="rate(5 minutes)")
    down = t >= DOWN

    # ---------------------------------------------------------------- search-suggest
    per_min = counts(rng, 21 * diurnal(t, 1800, 0.3) * (1 + wobble(rng, n, 0.07)))
    words = ["wireless head", "running sh", "coffee gr", "yoga m", "usb-c hub", "desk lamp", "air fry", "rain jack"]

    def suggest(ts: float, rid: str) -> Inv:
        q = ids.pick(words)
        mem = int(rng.integers(92, 104))
        lines = [(0.002, "INFO", f"suggest q='{q}' locale=en-GB")]
        if ts >= DOWN:
            dur = float(rng.uniform(2004, 2030))
            lines.append((dur / 1000 - 0.002, None, conn_error(ids.hex(10), 27,
                                                              'hits = es.search(index=INDEX, query=build_query(q), size=8)')))
            return Inv(dur, mem, lines, error=True)
        dur = float(rng.lognormal(np.log(42), 0.35))
        if rng.random() < 0.012:
            dur = float(rng.uniform(380, 650))
            lines.append((dur / 1000 - 0.004, "WARNING", f"Slow query q='{q}' took {dur - 6:.0f} ms"))
        lines.append((dur / 1000 - 0.002, "INFO", f"returned {int(rng.integers(3, 9))} suggestions in {dur - 3:.0f} ms"))
        return Inv(dur, mem, lines)

    s = LambdaSim(c, "search-suggest", "python3.12", 512, 6, recycle=(-6600,), streams_per_gen=2)
    sm = s.metrics(s.run(per_min, suggest))

    # ---------------------------------------------------------------- search-indexer (every 5 minutes)
    dep = -2280
    ticks = np.array([1.0 if int(x) % 300 == 0 else 0.0 for x in t])

    def index(ts: float, rid: str) -> Inv:
        k = int(rng.integers(40, 420))
        lines = [(0.01, "INFO", f"Fetched {k} product updates since last run")]
        if ts >= DOWN:
            dur = float(rng.uniform(2100, 2400))
            lines.append((dur / 1000 - 0.01, None, conn_error(ids.hex(10), 41, "helpers.bulk(es, actions(batch))")))
            return Inv(dur, 131, lines, error=True)
        dur = float(rng.uniform(900, 2600)) + k * 3
        lines.append((dur / 1000 - 0.01, "INFO", f"Indexed {k} documents into products (0 failed)"))
        return Inv(dur, int(rng.integers(120, 140)), lines)

    ix = LambdaSim(c, "search-indexer", "python3.12", 1024, 120, recycle=(dep + 5,))
    ix.metrics(ix.run(ticks, index))

    # ---------------------------------------------------------------- the instance
    dims = {"InstanceId": IID}
    cpu = np.where(down, np.nan, np.clip(19 * diurnal(t, 1800, 0.2) + wobble(rng, n, 2), 1, 100))
    c.metric("AWS/EC2", "CPUUtilization", dims, "Percent", cpu)
    c.metric("AWS/EC2", "NetworkIn", dims, "Bytes", np.where(down, np.nan, 3.1e6 * (1 + wobble(rng, n, 0.1))))
    c.metric("AWS/EC2", "StatusCheckFailed", dims, "Count", down.astype(float))
    c.metric("AWS/EC2", "StatusCheckFailed_System", dims, "Count", down.astype(float))
    c.metric("AWS/EC2", "StatusCheckFailed_Instance", dims, "Count", np.zeros(n))
    c.metric("CWAgent", "mem_used_percent", dims, "Percent", np.where(down, np.nan, 63 + wobble(rng, n, 0.6)))
    c.metric("CWAgent", "disk_used_percent", {**dims, "path": "/var/lib/elasticsearch", "fstype": "xfs"}, "Percent",
             np.where(down, np.nan, 54.2 + 0.00002 * (t - START) + wobble(rng, n, 0.03)))

    es = c.stream("/search/elasticsearch", IID)
    for ts in np.sort(rng.uniform(LOG_START, DOWN - 15, 160)):
        r = rng.random()
        if r < 0.45:
            es.add(ts, es_log(c, ts, "INFO", "org.elasticsearch.monitor.jvm.JvmGcMonitorService", "scheduler",
                              f"[gc][{int(rng.integers(1800000, 1900000))}] overhead, spent [{int(rng.integers(250, 420))}ms] "
                              "collecting in the last [1s]"))
        elif r < 0.75:
            es.add(ts, es_log(c, ts, "WARN", "org.elasticsearch.deprecation.rest.RestController", "http_server_worker",
                              "Legacy index templates are deprecated in favor of composable templates."))
        else:
            es.add(ts, es_log(c, ts, "INFO", "org.elasticsearch.cluster.metadata.MetadataMappingService",
                              "masterService#updateTask", "[products/Xk2pQ9sVT1a8n0cYbE4w2g] update_mapping [_doc]"))

    c.alarm("search-suggest-errors", sm["Errors"], "Sum", 60, 3, 10, "GreaterThanThreshold", DOWN,
            description="search-suggest Lambda errors")
    c.change(dep, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "search-indexer",
             "buildkite")
    c.expect = {"alarm": "search-suggest-errors",
                "root_cause": {"category": "dependency_failure", "resource": [IID, "search-es-1"]},
                "anomalies": [{"namespace": "AWS/EC2", "name": "StatusCheckFailed_System", "dimensions": dims}]}
    return c
