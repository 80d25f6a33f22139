"""h92-13 (intermittent ALB 502s in front of the agent portal, cause not in the evidence) and h92-14
(the boards' RESO Web API failing under the Go feed puller)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import GRID, bump, diurnal
from benchmarks.holdout57_gen.runtimes import LambdaLogs, logfmt_writer, spring

from .base import (ZERO, alb_id, alb_metrics, anomaly, cnt, ecs_metrics, expect, lambda_metrics,
                   make, rds_metrics, sample, sprinkle, task_id, val)

slog = logfmt_writer(time_key="time")


# =========================================================================== h92-13
def build_13():
    sc = make(13, "agent-portal-502s", "Agents see intermittent 502 Bad Gateway in the listing "
              "management portal; ALB 5XX alarm.", "ca-central-1", "2026-05-17T21:35:00",
              category="unknown", side="front",
              services="ALB, ECS Fargate (Java/Spring Boot), RDS PostgreSQL, Lambda (Python)",
              runtime="Java, Python", fmt="Spring Boot text",
              decoys="UpdateFunctionConfiguration on commission-report 50 s before onset; report-time CPU spike on the service 2.2 h earlier; steady Broken pipe errors and avatar 404 warnings",
              story=(
                  "From about -1900 s the ALB `agent-portal-ca` itself returns bursts of 502s "
                  "(`HTTPCode_ELB_5XX_Count` 5-25 a minute) while `HTTPCode_Target_5XX_Count`, "
                  "`TargetResponseTime`, request volume and healthy-host count (3/3) do not move. The "
                  "Spring Boot service behind it logs nothing new (the Broken pipe and avatar-404 lines "
                  "are at the same rate as all evening), its CPU and memory are flat, no task was "
                  "replaced, the PostgreSQL database is quiet, and no change touched the ALB or the "
                  "service. The only CloudTrail event near the onset is a configuration update of an "
                  "unrelated reporting function. Nothing in the scenario says why the load balancer "
                  "cannot get a response from healthy targets."),
              judgement=("h92-13: labelled `unknown` as the format says when the evidence supports no "
                         "category. ALB-generated 502s without target errors usually need ALB access "
                         "logs or VPC flow logs, which the scenario does not have. The alarmed ALB and the "
                         "service behind it are both listed as resources."))
    alb = alb_id(sc, "agent-portal-ca")
    cluster, svc, db, fn = "portal-ca", "agent-portal", "agent-portal-pg", "commission-report"
    sc.resource("alb", alb, name="agent-portal-ca", scheme="internet-facing", idle_timeout_s=60)
    sc.resource("ecs", f"{cluster}/{svc}", launch_type="FARGATE", desired_count=3, cpu=2048, memory=4096)
    sc.resource("rds", db, engine="postgres", engine_version="16.2", instance_class="db.m6g.large",
                max_connections=800, allocated_storage_gb=150)
    sc.resource("lambda", fn, runtime="python3.12", timeout=900, memory_size=1024)
    onset = -1900
    req = cnt(sc, lambda t: 700 * diurnal(sc, t, 20, 0.3))
    burst = [0.0] * len(GRID)
    for i, t in enumerate(GRID):
        if t >= onset:
            burst[i] = float(max(3, round(sc.rng.choice([5, 8, 12, 17, 25]) + sc.rng.gauss(0, 2))))
    alb_metrics(sc, alb, req, val(sc, lambda t: 0.11, noise=0.1), cnt(sc, lambda t: 0.3), burst,
                [3.0] * len(GRID), ZERO, t4=cnt(sc, lambda t: 11))
    ecs_metrics(sc, cluster, svc, val(sc, lambda t: 27 + bump(t, -9900, -9300, 40, 120), noise=0.07),
                val(sc, lambda t: 61, noise=0.01), [3.0] * len(GRID))
    rds_metrics(sc, db, val(sc, lambda t: 16 + bump(t, -9900, -9300, 20, 120), noise=0.1), cnt(sc, lambda t: 45),
                val(sc, lambda t: 9.8e10, noise=0.0003, digits=0), val(sc, lambda t: 4.4e9, noise=0.01, digits=0),
                val(sc, lambda t: 0.0010, noise=0.2, digits=5))
    finv = [1.0 if (t + 21600) % 3600 == 0 else 0.0 for t in GRID]
    lambda_metrics(sc, fn, finv, ZERO, [480000.0 if n else None for n in finv])
    fl = LambdaLogs(sc, fn, "python3.12", 1024, 900, retire=(onset - 50,), mem_used=(600, 30))
    fl.run({t: 1 for t, n in zip(GRID, finv) if n}, {}, lambda ll, t, rid, e, c: {
        "lines": [(470.0, ll.fmt(t + 470, rid, "INFO", f"commission report written: s3://agent-reports-ca/{sc.at(t).strftime('%Y/%m/%d/%H')}.csv"))],
        "dur": sc.rng.uniform(440000, 520000)})
    group = f"/ecs/{svc}"
    streams = [f"app/agent-portal/{task_id(sc)}" for _ in range(3)]
    app = "agent-portal"
    paths = ["/api/listings/mine", "/api/leads?status=new", "/api/showings/upcoming", "/api/listings/{}/photos",
             "/api/openhouses", "/api/listings/{}"]

    def line(t):
        p = sc.rng.choice(paths).replace("{}", str(sc.rng.randint(27000000, 27999999)))
        sc.log(group, sc.rng.choice(streams), t, spring(
            sc, t, "INFO", f"http-nio-8080-exec-{sc.rng.randint(1, 40)}", "c.p.agent.web.RequestLoggingFilter",
            f"{sc.rng.choice(['GET', 'GET', 'POST', 'PUT'])} {p} -> 200 in {sc.rng.randint(12, 180)} ms", app))

    sprinkle(sc, GRID[0], 0, 3, line)
    sprinkle(sc, GRID[0], 0, 0.3, lambda t: sc.log(group, sc.rng.choice(streams), t, spring(
        sc, t, "ERROR", f"http-nio-8080-exec-{sc.rng.randint(1, 40)}", "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
        "Servlet.service() for servlet [dispatcherServlet] threw exception\n"
        "org.apache.catalina.connector.ClientAbortException: java.io.IOException: Broken pipe\n"
        "\tat org.apache.catalina.connector.OutputBuffer.realWriteBytes(OutputBuffer.java:341)", app)))
    sprinkle(sc, GRID[0], 0, 0.5, lambda t: sc.log(group, sc.rng.choice(streams), t, spring(
        sc, t, "WARN", f"http-nio-8080-exec-{sc.rng.randint(1, 40)}", "c.p.agent.media.AvatarService",
        f"avatar not found for agent {sc.rng.randint(10000, 99999)} (404 from media CDN), using default", app)))
    for s in streams:
        for t in range(-9900 + sc.rng.randint(0, 30), -9300, 120):
            sc.log(group, s, t, spring(sc, t, "INFO", "scheduling-1", "c.p.agent.reports.WeeklyDigestJob",
                                       f"building weekly digest chunk for {sc.rng.randint(80, 200)} agents", app))
    sc.change(onset - 50, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", fn,
              "finance-ops-admin")
    sc.change(-16200, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", db, "aws-backup-ca-central")
    sc.alarm("agent-portal-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": alb},
             "Sum", 60, 3, 2, "GreaterThanThreshold", "Agent portal load balancer 5XX")
    expect(sc, "agent-portal-elb-5xx", "unknown", [alb, "agent-portal-ca", f"{cluster}/{svc}", svc],
           [anomaly("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": alb})])
    return sc


# =========================================================================== h92-14
def build_14():
    sc = make(14, "reso-feed-errors", "Ontario board listings not updating since late morning; "
              "Errors alarm on the feed puller.", "ca-central-1", "2026-05-16T11:50:00",
              category="dependency_failure", side="origin",
              services="Lambda (Go, Node.js), RDS PostgreSQL", runtime="Go, Node.js",
              fmt="Go slog logfmt, Lambda Node text",
              decoys="config update of feed-photo-queue 30 s before onset; puller deploy 3 h earlier; DB vacuum CPU spike; steady media-404 warnings",
              story=(
                  "`reso-feed-pull` (Go, custom runtime) pulls changed listings from the boards' RESO Web "
                  "API every minute. From -2400 s its requests to `https://api.reso-boards.example/odata/"
                  "Property` time out (`context deadline exceeded (Client.Timeout exceeded while awaiting "
                  "headers)`) or return `503 Service Unavailable`; after three attempts each run fails and "
                  "Duration rises from ~9 s to ~32 s (well under the 300 s timeout). The listings database "
                  "is healthy and only gets fewer writes; the configuration update of `feed-photo-queue` "
                  "30 s before the onset and the puller's own deploy three hours earlier change nothing "
                  "in their metrics; the media-404 warnings are constant all morning."),
              judgement=("h92-14: the failing dependency is outside the account, so the origin resource "
                         "is the function whose calls fail (`reso-feed-pull`)."))
    fn, other, db = "reso-feed-pull", "feed-photo-queue", "listings-ca-main"
    sc.resource("lambda", fn, runtime="provided.al2023", timeout=300, memory_size=512, architecture="arm64")
    sc.resource("lambda", other, runtime="nodejs20.x", timeout=60, memory_size=512)
    sc.resource("rds", db, engine="postgres", engine_version="15.6", instance_class="db.r6g.large",
                max_connections=1600, allocated_storage_gb=500)
    onset, dep = -2400, -10800
    bad = lambda t: t >= onset
    inv = [4.0] * len(GRID)
    err = [4.0 if bad(t) else (1.0 if sc.rng.random() < 0.01 else 0.0) for t in GRID]
    lambda_metrics(sc, fn, inv, err, val(sc, lambda t: 32000 if bad(t) else 9000, noise=0.08))
    rds_metrics(sc, db, val(sc, lambda t: 19 + bump(t, -6300, -5700, 38, 120) - 6 * bad(t), noise=0.1),
                cnt(sc, lambda t: 52 - 10 * bad(t)), val(sc, lambda t: 2.6e11 - 1e4 * (t + 21600), noise=0.0002, digits=0),
                val(sc, lambda t: 7.7e9, noise=0.01, digits=0), val(sc, lambda t: 0.0012, noise=0.2, digits=5))
    ll = LambdaLogs(sc, fn, "provided.al2023", 512, 300, retire=(dep,), mem_used=(64, 5))
    boards = ["TRREB", "OREB", "RAHB", "ITSO"]
    url = "https://api.reso-boards.example/odata/Property"

    def body(ll, t, rid, is_err, cold):
        b = sc.rng.choice(boards)
        since = sc.at(t - 60).strftime("%Y-%m-%dT%H:%M:00Z")
        q = f"{url}?$filter=ModificationTimestamp%20gt%20{since}&$top=200"
        lines = [(0.001, slog(sc, t, "INFO", "sync start", board=b, since=since, request_id=rid))]
        if sc.rng.random() < 0.3 and not is_err:
            lines.append((1.5, slog(sc, t + 1.5, "WARN", "media URL returned 404, skipping", board=b,
                                    listing=f"W{sc.rng.randint(8000000, 8999999)}", request_id=rid)))
        if is_err and bad(t):
            off = 0.0
            for a in (1, 2, 3):
                slow = sc.rng.random() < 0.7
                off += 10.0 if slow else 0.6
                e = (f"Get \"{q}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
                     if slow else "reso: unexpected status 503 Service Unavailable")
                lines.append((off, slog(sc, t + off, "WARN", "request failed, retrying" if a < 3 else "request failed",
                                        board=b, attempt=a, err=e.replace('"', '\\"'), request_id=rid)))
                off += 0.5 * a
            lines.append((off + 0.01, slog(sc, t + off, "ERROR", "feed sync failed", board=b,
                                           err="reso: giving up after 3 attempts", request_id=rid)))
            return {"lines": lines, "dur": off * 1000 + 25}
        if is_err:
            lines.append((2.0, slog(sc, t + 2, "ERROR", "feed sync failed", board=b,
                                    err="decode page: unexpected EOF", request_id=rid)))
            return {"lines": lines, "dur": 2100.0}
        d = max(3000.0, sc.rng.gauss(9000, 1500))
        n = sc.rng.randint(20, 200)
        lines.append((d / 2000, slog(sc, t + d / 2000, "INFO", "page fetched", board=b, page=1, records=n,
                                     ms=int(d / 2), request_id=rid)))
        lines.append((d / 1000 - 0.01, slog(sc, t + d / 1000, "INFO", "sync done", board=b, upserted=n,
                                             photos_queued=n * 3, request_id=rid)))
        return {"lines": lines, "dur": d}

    li, le = sample(sc, inv, err, cap=2)
    ll.run(li, le, body)
    oinv = cnt(sc, lambda t: 5 * (0.5 if bad(t) else 1))
    lambda_metrics(sc, other, oinv, ZERO, val(sc, lambda t: 700, noise=0.15))
    ol = LambdaLogs(sc, other, "nodejs20.x", 512, 60, retire=(onset - 30,), mem_used=(140, 9))
    ol.run(*sample(sc, oinv, ZERO, cap=1), lambda ll, t, rid, e, c: {
        "lines": [(0.4, ll.fmt(t + 0.4, rid, "INFO", f"queued {sc.rng.randint(10, 600)} photo fetch jobs"))],
        "dur": sc.rng.uniform(300, 1100)})
    sc.change(dep, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gh-actions-deploy")
    sc.change(onset - 30, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              other, "luc.bergeron")
    sc.alarm("reso-feed-pull-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 2,
             "GreaterThanThreshold", "RESO feed puller failures")
    expect(sc, "reso-feed-pull-errors", "dependency_failure", [fn],
           [anomaly("AWS/Lambda", "Errors", {"FunctionName": fn})])
    return sc


BUILDERS = [build_13, build_14]
