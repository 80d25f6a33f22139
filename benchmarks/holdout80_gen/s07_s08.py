"""h80-07 (claims PostgreSQL pinned on CPU by the overnight adjudication batch, seen as API latency)
and h80-08 (FHIR bulk-export workers OOM-killed on ECS, seen as ALB 502s)."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import LambdaLogs, gunicorn, jline, pg

from .kit import (GRID, LOG_START, alb_id, alb_metrics, apigw_metrics, bump, derive, ecs_metrics, emit, expect,
                  lam_metrics, meta, new, pick, ramp, rds_metrics)


def build_07():
    sc = new(7, "claim-status-latency", "Claim status API latency alarm; provider portal lookups taking "
             "seconds.", "ca-central-1", "2026-02-24T07:15:00+00:00")
    t0 = -2280
    api, fn, db = "claims-status", "claim-status-read", "adjudication-pg"
    cluster, other = "portal", "provider-ui"
    sc.resource("apigateway", api, stage="prod", integration=f"lambda:{fn}")
    sc.resource("lambda", fn, runtime="python3.12", timeout=20, memory_size=512)
    sc.resource("rds", db, engine="postgres", engine_version="16.2", instance_class="db.m6g.2xlarge",
                max_connections=1600, allocated_storage_gb=2000)
    sc.resource("ecs", f"{cluster}/{other}", cluster=cluster, service=other, launch_type="FARGATE")

    def load(t):
        return ramp(t, t0 - 240, t0 + 120)

    lam = lam_metrics(sc, fn, lambda t: 16.0, err_frac=lambda t: 0.0, dur=lambda t: 85 + 5600 * load(t))
    apigw_metrics(sc, api, lam["inv"], derive(sc, lam["inv"], lambda t: 0.06), [0] * len(GRID),
                  lambda t: 104 + 5640 * load(t))
    rds_metrics(sc, db, cpu=lambda t: 31 + 68 * load(t) + 14 * bump(t, -16800, -16200, 1.0),
                conns=lambda t: 120 + 38 * load(t), read_ms=lambda t: 1.1 + 5 * load(t),
                iops=lambda t: 900 + 2400 * load(t), mem_gb=lambda t: 11.4 - 2.1 * load(t))
    ecs_metrics(sc, cluster, other, cpu=lambda t: 9.0, mem=lambda t: 33.0)
    ll = LambdaLogs(sc, fn, "python3.12", 512, 20, mem_used=(104, 5))

    def body(ll, t, r, is_err, cold):
        claim = f"CLM{sc.rng.randint(10**8, 10**9)}"
        d = max(40.0, sc.rng.gauss(85 + 5600 * load(t), 120 + 900 * load(t)))
        if sc.rng.random() < 0.06:
            return {"lines": [(0.02, ll.fmt(t, r, "WARNING", f"claim {claim} not found for NPI "
                               f"{sc.rng.randint(10**9, 2 * 10**9)} -> 404"))], "dur": 30.0}
        lines = [(d / 1000 - 0.01, ll.fmt(t, r, "INFO", f"status claim={claim} state="
                  f"{pick(sc, ['ADJUDICATED', 'PENDED', 'PAID', 'IN_REVIEW'])} db_ms={int(d - 20)}"))]
        if d > 2000:
            lines.insert(0, (d / 1000 - 0.02, ll.fmt(t, r, "WARNING", f"slow query: claim_status_by_id took "
                                                     f"{int(d - 20)} ms")))
        return {"lines": lines, "dur": d}

    ll.run({m: n for m, n in zip(GRID, lam["inv"]) if m >= LOG_START}, {}, body)
    pgg, pgs = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    emit(sc, lambda t: 0.12, lambda t: sc.log(pgg, pgs, t, pg(sc, t, "LOG", f"checkpoint complete: wrote "
         f"{sc.rng.randint(2000, 9000)} buffers ({sc.rng.uniform(0.5, 3):.1f}%); 0 WAL file(s) added", pid=402)))
    emit(sc, lambda t: 0.2, lambda t: sc.log(pgg, pgs, t, pg(
        sc, t, "ERROR", "duplicate key value violates unique constraint \"remit_advice_pkey\"",
        client="10.30.7.12(51544)", user="era_loader", db="claims")))
    batch_sql = ["SELECT cl.claim_id, sum(cl.allowed_amt) FROM claim_line cl JOIN fee_schedule fs ON "
                 "fs.cpt = cl.cpt_code AND fs.payer_id = cl.payer_id WHERE cl.service_date >= $1 GROUP BY 1",
                 "UPDATE claim_header h SET adj_status = 'READY' FROM claim_line cl WHERE cl.claim_id = h.claim_id "
                 "AND cl.edit_flags @> $1"]
    emit(sc, lambda t: 1.6 * load(t), lambda t: sc.log(pgg, pgs, t, pg(
        sc, t, "LOG", f"duration: {sc.rng.uniform(18000, 95000):.3f} ms  execute <unnamed>: {pick(sc, batch_sql)}",
        client="10.30.9.88(40112)", user="adjud_batch", db="claims")))
    emit(sc, lambda t: 0.9 * load(t), lambda t: sc.log(pgg, pgs, t, pg(
        sc, t, "LOG", f"duration: {sc.rng.uniform(1500, 7000):.3f} ms  execute claim_status_by_id: SELECT "
        "h.claim_id, h.adj_status FROM claim_header h WHERE h.claim_id = $1", client="10.30.12.41(37022)",
        user="portal_ro", db="claims")))
    t = t0 - 260
    sc.log(pgg, pgs, t, pg(sc, t, "LOG", "connection authorized: user=adjud_batch database=claims "
                           "application_name=nightly-adjudication", client="10.30.9.88(40112)",
                           user="adjud_batch", db="claims"))
    sc.change(t0 - 60, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{other}",
              "codepipeline-portal")
    sc.change(-19000, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBSnapshot", f"{db}-pre-month-end",
              "dba.tremblay")
    sc.alarm("claims-status-latency", "AWS/ApiGateway", "Latency", {"ApiName": api}, "Average", 60, 5, 1500,
             "GreaterThanThreshold", "Claims status API p-avg latency")
    expect(sc, "claims-status-latency", "cpu_saturation", [db],
           [{"namespace": "AWS/RDS", "name": "CPUUtilization", "dimensions": {"DBInstanceIdentifier": db}}])
    meta(sc, "front (API Gateway → Lambda → RDS)",
         "portal UI service deploy 1 min before onset; ERA-loader duplicate-key ERRORs in the DB log all night; "
         "DB CPU bump 4.7 h ago, pre-month-end snapshot 5.3 h ago; 404 WARNs steady",
         "The claim-status API's latency goes from ~0.1 s to ~5.7 s and its alarm fires; there are no 5XX and "
         "the Lambda's errors stay at 0, but its Duration rises in step and it logs `slow query: "
         "claim_status_by_id took ... ms`. The database behind it goes to 97-100 % CPU (ReadIOPS x3, "
         "FreeableMemory down) from the moment the nightly adjudication batch connects (adjud_batch) and starts "
         "logging 20-95 s aggregate statements over claim_line/fee_schedule; the portal's simple primary-key "
         "lookups then show up in the slow-statement log too. The provider-ui deploy a minute before onset is a "
         "separate ECS service whose metrics don't move; the `remit_advice_pkey` duplicate-key ERRORs are the "
         "ERA loader's steady background.",
         judgement="07: the CPU is consumed by a scheduled batch's heavy queries. The batch runs from outside "
                   "the modelled resources and did nothing new (no change event), so the saturated resource — "
                   "the database — is the origin and the category is cpu_saturation, not traffic_surge "
                   "(API request volume is flat) or dependency_failure (the dependency is exhausted).",
         services="API Gateway, Lambda python3.12 (plain), RDS PostgreSQL (pg log), ECS")
    return sc


def build_08():
    sc = new(8, "bulk-export-502s", "Payer-to-payer FHIR bulk export returning 502s; ALB 5XX alarm.",
             "eu-west-1", "2026-03-18T01:30:00+00:00")
    t0 = -1980
    cluster, svc, other = "interop", "bulk-export", "consent-ui"
    lb = alb_id(sc, "interop-pub")
    sc.resource("ecs", f"{cluster}/{svc}", cluster=cluster, service=svc, launch_type="FARGATE", desired_count=2,
                cpu=1024, memory=2048, runtime="Python 3.12 / gunicorn 22 (4 sync workers)",
                task_definition=f"{svc}:31", log_group=f"/ecs/{cluster}/{svc}")
    sc.resource("ecs", f"{cluster}/{other}", cluster=cluster, service=other, launch_type="FARGATE", desired_count=2)
    sc.resource("alb", lb, name="interop-pub", target_groups=[f"tg-{svc}", f"tg-{other}"])
    kick = t0 - 780

    def mem(t):
        if t < kick:
            return 41 + 3 * bump(t, -15000, -14200, 1.0)
        if t < t0:
            return 41 + 55 * ramp(t, kick, t0)
        return 82 + 16 * (((t - t0) % 420) / 420)  # workers grow, get killed, respawn

    req = sc.series(lambda t: 70.0, integer=True)
    alb_metrics(sc, lb, req, t5_frac=lambda t: 0.0, elb5_frac=lambda t: 0.004 + 0.3 * (t >= t0),
                rt=lambda t: 0.4 + 1.2 * ramp(t, kick, t0), t4_frac=lambda t: 0.02)
    ecs_metrics(sc, cluster, svc, cpu=lambda t: 18 + 30 * ramp(t, kick, t0), mem=mem)
    ecs_metrics(sc, cluster, other, cpu=lambda t: 6.0, mem=lambda t: 28.0)
    grp = f"/ecs/{cluster}/{svc}"
    tasks = [f"export/api/{sc.hexid(32)}" for _ in range(2)]
    pids = {st: [sc.rng.randint(20, 90) for _ in range(4)] for st in tasks}

    def app(t, level, msg, **kv):
        return jline(dict({"asctime": sc.at(t).strftime("%Y-%m-%d %H:%M:%S,%f")[:-3], "levelname": level,
                           "name": "bulkexport", "message": msg}, **kv))

    def status_poll(t):
        st = pick(sc, tasks)
        job = f"exp-{sc.hexid(8)}"
        sc.log(grp, st, t, app(t, "INFO", f"GET /fhir/$export-poll-status/{job} 202 in-progress",
                               pid=pick(sc, pids[st])))

    emit(sc, lambda t: 2.0, status_poll)
    emit(sc, lambda t: 0.4, lambda t: sc.log(grp, pick(sc, tasks), t, app(
        t, "ERROR", f"download of ndjson part {sc.rng.randint(1, 40)} for job exp-{sc.hexid(8)} aborted: client "
        "disconnected (BrokenPipeError: [Errno 32] Broken pipe)")))
    st0 = tasks[0]
    sc.log(grp, st0, kick, app(kick, "INFO", "Kick-off POST /fhir/Group/attributed-2026Q1/$export "
                                "_type=Patient,Coverage,ExplanationOfBenefit,Encounter accepted as job exp-7f31c2aa",
                               requester="payer:NHIF-UK-221"))
    emit(sc, lambda t: 0.5, lambda t: sc.log(grp, pick(sc, tasks), t, app(
        t, "INFO", f"exp-7f31c2aa: materialised {sc.rng.randint(20, 400)}k ExplanationOfBenefit rows in memory; "
        f"rss={int(900 + 1000 * ramp(t, kick, t0))}MB")), start=kick, end=t0 + 600)
    kills = [t for t in range(int(t0), 0, 35)]
    for i, t in enumerate(kills):
        st = tasks[i % 2]
        t = t + sc.rng.uniform(0, 30)
        victim = pick(sc, pids[st])
        sc.log(grp, st, t, gunicorn(sc, t, 1, "ERROR", f"Worker (pid:{victim}) was sent SIGKILL! Perhaps out of memory?"))
        newpid = sc.rng.randint(100, 4000)
        pids[st][pids[st].index(victim)] = newpid
        sc.log(grp, st, t + 0.4, gunicorn(sc, t + 0.4, 1, "INFO", f"Booting worker with pid: {newpid}"))
        if sc.rng.random() < 0.5:
            sc.log(grp, st, t + 0.45, app(t + 0.45, "ERROR", "MemoryError while serialising ndjson part for "
                                          "exp-7f31c2aa", pid=newpid))
    sc.change(t0 - 200, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{other}",
              "codepipeline-interop")
    sc.change(t0 - 190, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", f"{other}:58",
              "codepipeline-interop")
    sc.change(-18500, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{svc}",
              "codepipeline-interop")
    sc.alarm("interop-pub-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum",
             300, 1, 25, "GreaterThanThreshold", "Public interop ALB 5xx (ALB-generated)")
    expect(sc, "interop-pub-elb-5xx", "memory_exhaustion", [f"{cluster}/{svc}", svc],
           [{"namespace": "AWS/ECS", "name": "MemoryUtilization",
             "dimensions": {"ClusterName": cluster, "ServiceName": svc}}])
    meta(sc, "front (ALB → ECS service)",
         "other ECS service deployed 3 min before onset; client-disconnect ERRORs all night; own deploy 4.6 h earlier",
         "The public interop ALB starts generating 502s (HTTPCode_ELB_5XX) for ~30 % of requests. The targets "
         "behind it are the Python bulk-export service: 13 minutes before onset a payer kicked off a Group "
         "$export of a whole quarter's attributed members, the job logs `materialised ...k ExplanationOfBenefit "
         "rows in memory; rss=...MB` with growing RSS, and MemoryUtilization climbs from ~41 % to the 2 GiB "
         "limit, then saw-tooths at 82-98 % while gunicorn logs `Worker (pid:N) was sent SIGKILL! Perhaps out of "
         "memory?` every ~35 s (plus MemoryError). Each killed worker drops its in-flight connections, which the "
         "ALB turns into 502s. consent-ui was redeployed 3 minutes before onset but sits on its own target group "
         "with flat metrics; the BrokenPipe download ERRORs are steady all night.",
         judgement="08: the trigger is one unusually large export request; the fault a responder must fix is "
                   "the service holding the whole export in memory, i.e. memory_exhaustion on the ECS service "
                   "(no change event, no surge in request count).",
         services="ECS Fargate Python/gunicorn (gunicorn + JSON app log), ALB")
    return sc


BUILDERS = [build_07, build_08]
