"""h16-04: a feature flag is switched on in Parameter Store; the new code path lacks its settings."""
from __future__ import annotations

import datetime as dt
import json

import numpy as np

from . import aws
from .kit import Scenario, counts, daily, jitter, step
from .logfmt import periodic, poisson_times, py_traceback

META = {
    "file": "h16-04-feature-flag-flip-search",
    "postmortem": "feature flag flipped on in production for 100 % of traffic, enabling an unready code path",
    "side": "front (public ALB target 5XX; origin is the ECS service)",
    "decoys": "indexer deploy 10 min before the flag change; query-suggest spellcheck timeouts at a steady rate; "
              "an old search-api deploy 5 h earlier",
    "story": (
        "An engineer sets semantic_rerank=true in the Parameter Store document /search-api/prod/flags (CloudTrail "
        "PutParameter). Within 30 s every search-api task logs 'feature flags reloaded' with the change, and from "
        "then on about half of /v2/search requests fail with a pydantic ValidationError: RerankSettings.endpoint "
        "'Field required' -- the reranker was never configured for production. The ALB's target 5XX alarm fires; "
        "CPU, memory and task count are unchanged and autocomplete traffic is fine. A configuration change on "
        "search-api with errors naming the missing setting: config_change. The indexer deploy ten minutes earlier "
        "is another service whose logs stay clean, and the search-api image deploy five hours earlier ran "
        "error-free for hours."),
}

ALB = "app/search-public/3e7d9c1a2b4f6a80"


def _flag_error(sc: Scenario) -> str:
    return py_traceback([
        ("/app/.venv/lib/python3.11/site-packages/starlette/middleware/errors.py", 164, "__call__",
         "await self.app(scope, receive, _send)"),
        ("/app/search_api/routes/search.py", 72, "search", "results = await ranking.rank(query, hits, flags)"),
        ("/app/search_api/ranking.py", 118, "rank", "reranker = SemanticReranker.from_settings()"),
        ("/app/search_api/rerank/client.py", 41, "from_settings", "settings = RerankSettings(**cfg.get(\"rerank\", {}))"),
        ("/app/.venv/lib/python3.11/site-packages/pydantic/main.py", 171, "__init__",
         "self.__pydantic_validator__.validate_python(data, self_instance=self)"),
    ], "pydantic_core._pydantic_core.ValidationError: 1 validation error for RerankSettings\nendpoint\n"
       "  Field required [type=missing, input_value={'top_k': 50, 'timeout_ms': 300}, input_type=dict]\n"
       "    For further information visit https://errors.pydantic.dev/2.6/v/missing")


def _j(sc: Scenario, t: float, level: str, event: str, **kw) -> str:
    rec = {"timestamp": sc.iso(t), "level": level, "logger": kw.pop("logger", "search_api"), "event": event}
    rec.update(kw)
    return json.dumps(rec, separators=(", ", ": "))


def build(seed: int) -> Scenario:
    sc = Scenario("h16-04-feature-flag-flip-search",
                  "Site search failing for many queries (HTTP 500); search-public target 5XX alarm paged.",
                  "us-west-2", seed, dt.datetime(2026, 2, 19, 19, 10))
    P = -2040.0       # PutParameter
    O = P + 22        # flags reloaded
    on = step(O)
    day = daily(sc, peak_hour=20, depth=0.45)
    sc.resource("alb", ALB, name="search-public", scheme="internet-facing", target_groups=["search-api-tg"])
    sc.resource("ecs", "search/search-api", desired_count=6, launch_type="FARGATE", cpu=1024, memory=2048,
                image="318204556721.dkr.ecr.us-west-2.amazonaws.com/search-api:4.31.2",
                feature_flags="ssm:/search-api/prod/flags", log_groups=["/ecs/search-api"])
    sc.resource("ecs", "search/indexer", desired_count=2, launch_type="FARGATE", cpu=2048, memory=4096,
                image="318204556721.dkr.ecr.us-west-2.amazonaws.com/search-indexer:2.8.0")
    sc.resource("ecs", "search/query-suggest", desired_count=3, launch_type="FARGATE", cpu=512, memory=1024)

    req = counts(sc, 1450 * day)
    search_share = 0.68
    fail = np.round(req * search_share * 0.52 * on * jitter(sc, 1, 0.05))
    t5 = counts(sc, 0.6) + fail
    rt = jitter(sc, 0.046 + 0.01 * day, 0.06) - on * 0.006
    aws.alb_metrics(sc, ALB, req, t5, rt, healthy=6, t4xx=counts(sc, 14 * day))
    aws.ecs_metrics(sc, "search", "search-api", jitter(sc, 22 + 22 * day, 0.05), jitter(sc, 61, 0.02),
                    running=6, desired=6)
    aws.ecs_metrics(sc, "search", "indexer", jitter(sc, 35, 0.12) + step(P - 600) * 4, jitter(sc, 48, 0.03),
                    running=2, desired=2)
    aws.ecs_metrics(sc, "search", "query-suggest", jitter(sc, 18 * day + 5, 0.08), jitter(sc, 40, 0.02),
                    running=3, desired=3)

    # --- search-api logs: per-task stats lines, flag reload, de-duplicated errors ----------------------------
    tasks = sc.task_streams("search-api", 6)
    for k, stream in enumerate(tasks):
        ev = []
        off = sc.rng.uniform(0, 60)
        for t in periodic(-10800, 60, offset=off):
            i = int((t + 21600) // 60)
            served = int(req[i] / 6)
            errs = int(fail[i] / 6) + (1 if sc.rng.random() < 0.08 else 0)
            ev.append((t, _j(sc, t, "info", "request stats", logger="search_api.metrics", window_s=60,
                             served=served, errors=errs, p50_ms=int(sc.rng.normal(17, 2)),
                             p99_ms=int(sc.rng.normal(140, 20)))))
        if k == 0:
            for t in (-18020.0 + sc.rng.uniform(0, 40),):
                ev.append((t, _j(sc, t, "info", "startup complete", version="4.31.2", workers=4)))
        t_reload = O + sc.rng.uniform(-12, 8)
        ev.append((t_reload, _j(sc, t_reload, "info", "feature flags reloaded", logger="search_api.flags",
                                source="ssm:/search-api/prod/flags", version=47,
                                changed={"semantic_rerank": {"old": False, "new": True}})))
        for t in periodic(-10800, 1800, offset=off + 7):
            if abs(t - t_reload) > 40:
                ev.append((t, _j(sc, t, "debug", "feature flags unchanged", logger="search_api.flags",
                                 version=46 if t < t_reload else 47)))
        for t in periodic(t_reload + 0.5, 10, offset=sc.rng.uniform(0, 10)):
            t1 = t + sc.rng.uniform(0, 1)
            ev.append((t1, _j(sc, t1, "error", "request failed", path="/v2/search", method="GET", status=500,
                              request_id=sc.hexid(16), exception=_flag_error(sc))))
            n = int(fail[int((t + 21600) // 60)] / 6 / 6) - 1
            if n > 0:
                ev.append((t + 9.9, _j(sc, t + 9.9, "warning", f"suppressed {n} similar log records",
                                       logger="search_api.logdedup", key="request failed:/v2/search")))
        for t in poisson_times(sc, 0.15, -10800):
            ev.append((t, _j(sc, t, "warning", "slow upstream", upstream="opensearch", took_ms=int(sc.rng.integers(
                800, 1900)), index="products-v12")))
        sc.log("/ecs/search-api", stream, ev)
    # --- query-suggest: steady pre-existing errors ---------------------------------------------------------
    ev = []
    for t in poisson_times(sc, 1.1, -10800):
        ev.append((t, json.dumps({"ts": sc.iso(t), "lvl": "ERROR", "svc": "query-suggest",
                                  "msg": "spellcheck upstream timeout after 250ms", "fallback": "prefix-only"})))
    for t in poisson_times(sc, 3, -10800):
        ev.append((t, json.dumps({"ts": sc.iso(t), "lvl": "INFO", "svc": "query-suggest",
                                  "msg": "suggest cache refreshed", "keys": int(sc.rng.integers(900, 4000))})))
    sc.log_split("/ecs/query-suggest", sc.task_streams("query-suggest", 3), ev)
    # --- indexer -----------------------------------------------------------------------------------------------
    ev = []
    dep = P - 600
    for t in periodic(-10800, 120, offset=sc.rng.uniform(0, 120)):
        ver = "2.8.0" if t >= dep + 60 else "2.7.4"
        ev.append((t, f"{sc.clock(t)} INFO  indexer[{ver}] bulk indexed {int(sc.rng.integers(200, 2600))} "
                      f"docs into products-v12 in {sc.rng.uniform(0.4, 2.2):.2f}s"))
    ev.append((dep + 45, f"{sc.clock(dep + 45)} INFO  indexer[2.8.0] starting, consumer group search-indexer"))
    sc.log_split("/ecs/search-indexer", sc.task_streams("indexer", 2), ev)

    sc.change(-18100, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "search/search-api",
              "github-actions")
    sc.change(dep - 20, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "indexer:57",
              "github-actions")
    sc.change(dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "search/indexer", "github-actions")
    sc.change(P, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/search-api/prod/flags", "jmorales")
    lb = {"LoadBalancer": ALB}
    sc.alarm_on("search-public-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, t5, "Sum", 60, 2,
                100, "GreaterThanThreshold", description="Search targets returning 5XX")
    sc.set_expect("search-public-target-5xx", "config_change", ["search/search-api", "search-api"],
                  [("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb)])
    return sc
