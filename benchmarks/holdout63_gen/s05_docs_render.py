"""h63-05: the tribunal bundle renderer runs out of heap on an overnight batch of very large
case bundles; tasks are OOM-killed and the ALB returns 502s. A sibling service deployed
one minute before the climb."""
from __future__ import annotations

import json

from .common import GRID, Scenario, diurnal, ramp
from .kit import LOG_START, alb, alb_id, ecs, emit, night_window, part, scanner, task_ids
from .runtimes import pino

CL = "casework"
SVC, SIB = "docs-render", "case-api"


def build() -> Scenario:
    sc = Scenario(5, "tribunal-bundles", "Case bundle downloads failing with 502 overnight; "
                  "ALB 5XX alarm fired.", "ap-southeast-2", 6305, "2026-06-22T16:10:00+00:00")
    rng = sc.rng
    lb = alb_id(sc, "casework-int")
    climb, first_kill = -3000, -2580
    sc.resource("alb", lb, name="casework-int", scheme="internal")
    sc.resource("ecs", f"{CL}/{SVC}", desired_count=3, cpu=1024, memory_mb=2048, image="docs-render:4.12.0",
                runtime="node20 (puppeteer + pdf-lib)", node_options="--max-old-space-size=1792")
    sc.resource("ecs", f"{CL}/{SIB}", desired_count=4, cpu=512, memory_mb=1024, runtime="node20 (fastify)")
    sc.resource("lambda", "case-archiver", runtime="nodejs20.x", timeout=900, memory_size=1024)

    # ---------------------------------------------------------------- metrics
    period = 470.0

    def mem(t):
        if t < climb:
            return 47 + 3 * diurnal(sc, t, 4, 0.5)
        x = ((t - climb) % period) / period
        return 52 + 46 * x * ramp(t, climb, climb + 420)

    ecs(sc, CL, SVC, sc.series(lambda t: 22 + 31 * ramp(t, climb, climb + 300), noise=0.12),
        sc.series(mem, noise=0.025, cap=100.0))
    ecs(sc, CL, SIB, sc.series(lambda t: 14 * diurnal(sc, t, 4, 0.5) + (9 if -3060 < t < -2940 else 0), noise=0.1),
        sc.series(lambda t: 41, noise=0.03))
    running = sc.series(lambda t: 3 - (1 if t >= first_kill and ((t - climb) % period) > period - 130 else 0),
                        noise=0.0, integer=True)
    sc.metric("ECS/ContainerInsights", "RunningTaskCount", {"ClusterName": CL, "ServiceName": SVC}, "Count", running)
    req = sc.series(lambda t: 58 * diurnal(sc, t, 4, 0.5), integer=True)
    p502 = lambda t: (0.02 * ramp(t, climb + 200, first_kill) if t < first_kill
                      else (0.34 if ((t - climb) % period) > period - 130 else 0.11))
    e5 = part(sc, req, p502)
    alb(sc, lb, req, part(sc, req, lambda t: 0.002), sc.series(lambda t: 0.9 + 1.8 * ramp(t, climb, climb + 600),
                                                              noise=0.15), e5xx=e5)
    d = {"FunctionName": "case-archiver"}
    arch_inv = [1.0 if i % 15 == 3 else None for i in range(len(GRID))]
    sc.metric("AWS/Lambda", "Invocations", d, "Count", arch_inv)
    sc.metric("AWS/Lambda", "Errors", d, "Count", [1.0 if v and i % 45 == 3 else (0.0 if v else None)
                                                   for i, v in enumerate(arch_inv)])
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds", [round(rng.uniform(200000, 890000), 1) if v else None
                                                            for v in arch_inv])

    # ---------------------------------------------------------------- logs
    tasks = task_ids(sc, 3)
    live = list(tasks)
    grp = f"/ecs/{SVC}"
    kills = []
    t = first_kill
    while t < 0:
        kills.append(t)
        t += period
    kill_i = 0
    for k, tid in enumerate(tasks):
        host = f"ip-10-42-{rng.randint(10, 40)}-{rng.randint(5, 250)}.ap-southeast-2.compute.internal"

        def line(t, host=host):
            big = t >= climb and rng.random() < 0.5
            pages = rng.randint(1800, 4200) if big else rng.randint(12, 240)
            case = f"{rng.choice(['AAT', 'NCAT', 'VCAT'])}-{rng.randint(2024, 2026)}-{rng.randint(10000, 99999)}"
            if big and rng.random() < 0.4:
                return pino(sc, t, 40, "heap usage high", host, heapUsedMB=rng.randint(1550, 1780),
                            heapLimitMB=1792, caseId=case, pages=pages)
            return pino(sc, t, 30, "bundle rendered", host, caseId=case, pages=pages,
                        ms=int(pages * rng.uniform(9, 14)), bytes=pages * rng.randint(90000, 180000))

        end = kills[k] - 3 if k < len(kills) else 0
        emit(sc, grp, f"{SVC}/app/{tid}", LOG_START, end, lambda t: 1.2, line)
    # OOM kills rotate through the tasks; each replacement gets a new stream
    for kt in kills:
        idx = kill_i % 3
        tid = live[idx]
        st = f"{SVC}/app/{tid}"
        heap = kill_i % 2 == 0
        if not heap:
            sc.log(grp, st, kt - 6, pino(sc, kt - 6, 40, "heap usage high", "-", heapUsedMB=1702, heapLimitMB=1792,
                                         chromiumRssMB=rng.randint(300, 420)))
            _task_event(sc, kt + 4, tid, "OutOfMemoryError: Container killed due to memory usage", 137, SVC)
        if heap:
            mc = (f"[1:0x{rng.getrandbits(28):07x}]  {rng.randint(400000, 900000)} ms: Mark-Compact 1789.2 (1823.6) "
                  f"-> 1781.4 (1824.1) MB, {rng.uniform(900, 1600):.1f} / 0.0 ms  (average mu = 0.121, current mu = "
                  "0.034) allocation failure; scavenge might not succeed")
            sc.log(grp, st, kt - 2.5, "<--- Last few GCs --->")
            sc.log(grp, st, kt - 2.4, mc)
            sc.log(grp, st, kt - 0.8, "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory")
            sc.log(grp, st, kt - 0.7, " 1: 0xb8d0a3 node::Abort() [node]")
            _task_event(sc, kt + 4, tid, "Essential container in task exited", 134, SVC)
        new = sc.hexid(32)
        live[idx] = new
        nst = f"{SVC}/app/{new}"
        host = f"ip-10-42-{rng.randint(10, 40)}-{rng.randint(5, 250)}.ap-southeast-2.compute.internal"
        sc.log(grp, nst, kt + 95, pino(sc, kt + 95, 30, "docs-render listening", host, port=8080, version="4.12.0"))
        emit(sc, grp, nst, kt + 96, min(0, kt + 3 * period - 3), lambda t: 1.2,
             lambda t, host=host: pino(sc, t, 30, "bundle rendered", host,
                                       caseId=f"NCAT-2026-{rng.randint(10000, 99999)}",
                                       pages=rng.randint(1500, 3900), ms=rng.randint(20000, 50000)))
        kill_i += 1
    sgrp = f"/ecs/{SIB}"
    for tid in task_ids(sc, 2):
        emit(sc, sgrp, f"{SIB}/api/{tid}", LOG_START, 0, lambda t: 1.0,
             lambda t: pino(sc, t, 30, "request completed", "ip-10-42-22-71", reqId=f"req-{rng.randint(1, 99999)}",
                            res={"statusCode": 200}, responseTime=round(rng.uniform(8, 60), 1)))
        emit(sc, sgrp, f"{SIB}/api/{tid}", LOG_START, 0, lambda t: 0.5,
             lambda t: pino(sc, t, 50, "tribunal-calendar lookup failed", "ip-10-42-22-71",
                            err={"type": "HTTPError", "message": "Response code 404 (Not Found)"},
                            listingId=f"L{rng.randint(100000, 999999)}"))
    for tid in task_ids(sc, 4):
        _task_event(sc, -3055 + rng.uniform(0, 120), tid, "Scaling activity initiated by (deployment "
                    f"ecs-svc/{rng.randint(10 ** 18, 10 ** 19 - 1)})", 0, SIB)
    scanner(sc, "ism-controls-sweep", "ism-audit-readonly", ["casework-bundles-apse2", "casework-evidence"],
            ["prod/casework/db", "prod/casework/jwt"], every=600)

    # ---------------------------------------------------------------- changes
    U = "buildkite-deployer"
    night_window(sc, -8800, -3400, [
        ("kms.amazonaws.com", "CreateGrant", "AWS::KMS::Key", f"arn:aws:kms:ap-southeast-2:{sc.account}:key/{sc.uuid()}",
         "ecs-tasks.amazonaws.com"),
        ("logs.amazonaws.com", "PutRetentionPolicy", "AWS::Logs::LogGroup", sgrp, "ism-baseline"),
        ("iam.amazonaws.com", "TagRole", "AWS::IAM::Role", "casework-task-role", "ism-baseline"),
        ("ec2.amazonaws.com", "ModifyVpcEndpoint", "AWS::EC2::VPCEndpoint", "vpce-02bb81f3e4a9d0c77", "netsec-automation"),
    ])
    sc.change(-3075, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", f"{SIB}:57", U)
    sc.change(-3062, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CL}/{SIB}", U)
    sc.change(-19800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CL}/{SVC}", U)

    # ---------------------------------------------------------------- alarms
    sc.alarm("casework-int-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb},
             "Sum", 300, 1, 5, "GreaterThanThreshold", "Casework internal ALB generating 5XX (502/503)")
    sc.alarm("case-archiver-errors", "AWS/Lambda", "Errors", {"FunctionName": "case-archiver"}, "Sum", 3600, 1, 0,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "casework-int-elb-5xx",
                 "root_cause": {"category": "memory_exhaustion", "resource": [f"{CL}/{SVC}", SVC]},
                 "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization",
                                "dimensions": {"ClusterName": CL, "ServiceName": SVC}}]}
    return sc


def _task_event(sc: Scenario, t: float, tid: str, reason: str, code: int, svc: str) -> None:
    ev = {"version": "0", "id": sc.uuid(), "detail-type": "ECS Task State Change", "source": "aws.ecs",
          "account": sc.account, "time": sc.iso(t, 0), "region": sc.region,
          "detail": {"clusterArn": f"arn:aws:ecs:{sc.region}:{sc.account}:cluster/{CL}",
                     "group": f"service:{svc}", "lastStatus": "STOPPED", "desiredStatus": "STOPPED",
                     "stopCode": "EssentialContainerExited" if code else "ServiceSchedulerInitiated",
                     "stoppedReason": reason if code in (0, 137) else "Essential container in task exited",
                     "taskArn": f"arn:aws:ecs:{sc.region}:{sc.account}:task/{CL}/{tid}",
                     "containers": [{"name": svc, "exitCode": code,
                                     **({"reason": reason} if code == 137 else {})}]}}
    sc.log("/aws/events/ecs-task-state", "ecs-events", t, json.dumps(ev, separators=(",", ":")))
