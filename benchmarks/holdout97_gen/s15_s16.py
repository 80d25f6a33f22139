"""h97-15 (registry web UI on ECS, Python/Django, and its MySQL) and h97-16 (SBOM generator Lambda)."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import gunicorn, mysql

from .base import (LambdaLogs, alb_metrics, diurnal, ecs_metrics, emit, every, lam_metrics,
                   lambda_run, meta, new, rds_metrics, step)

PKGS = ["kiln-core", "tslab-utils", "vendo-cli", "fastq", "yaml-lite", "graphy-schema",
        "acme-button", "semver-tools", "uuid-mini", "deep-merge2", "tiny-router"]


def _django(sc, t, level, msg, module="log", pid=17):
    d = sc.at(t)
    return f"{level} {d.strftime('%Y-%m-%d %H:%M:%S')},{d.microsecond // 1000:03d} {module} {pid} {msg}"


def build_15():
    sc = new(15, "registry-web-500s", "The registry website returns server errors on login and "
             "account pages; the web load balancer's 5xx alarm paged.", "us-west-2", "2026-03-28T16:50:00")
    rng = sc.rng
    lb, db, pgname = "app/registry-www/3e8a51c07d9b2f46", "accounts-mysql", "accounts-mysql80"
    sc.resource("alb", lb, name="registry-www", target_group="tg-registry-ui")
    sc.resource("ecs", "web/registry-ui", launch_type="FARGATE", desired_count=6,
                runtime="python3.12 / django 5.0 / gunicorn", db_conn_max_age=60)
    sc.resource("ecs", "web/search-ui", launch_type="FARGATE", desired_count=2, runtime="node20")
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.xlarge",
                max_connections=150, allocated_storage_gb=300, parameter_group=pgname)
    cfg = -2280
    onset = cfg + 10
    on = lambda t: step(t, onset, 0, 1, 60)
    req = lambda t: 820 * diurnal(sc, t, 16, 0.25)
    frac = lambda t: 0.31 * on(t)
    alb_metrics(sc, lb, req, lambda t: 0.4 + frac(t) * req(t), lambda t: 0.16 + 0.05 * on(t), lambda t: 6.0)
    ecs_metrics(sc, "web", "registry-ui", lambda t: 29 * diurnal(sc, t, 16, 0.25), lambda t: 61.0,
                running=lambda t: 6.0)
    ecs_metrics(sc, "web", "search-ui", lambda t: 17.0, lambda t: 40.0, running=lambda t: 2.0)
    rds_metrics(sc, db, lambda t: 34 * diurnal(sc, t, 16, 0.2) * (1 - 0.25 * on(t)),
                lambda t: 215 * diurnal(sc, t, 16, 0.1) * (1 - on(t)) + 150 * on(t),
                lambda t: 188 - 0.00003 * (t + 21600), lambda t: 11.2, conn_cap=151)
    grp = "/ecs/web/registry-ui"
    paths = ["/login", "/settings/tokens", "/~{u}", "/package/{p}", "/package/{p}/access", "/org/{u}/members"]

    def web(ts):
        pid = rng.choice([17, 18, 19, 20])
        path = rng.choice(paths).format(u=rng.choice(["kiln", "acme", "tslab", "vendo"]), p=rng.choice(PKGS))
        if rng.random() < frac(ts) * 1.05:
            return (_django(sc, ts, "ERROR", f"Internal Server Error: {path}", "django.request", pid) +
                    "\nTraceback (most recent call last):\n  File \"/usr/local/lib/python3.12/site-packages/"
                    "django/db/backends/base/base.py\", line 275, in ensure_connection\n    self.connect()\n"
                    "  File \"/usr/local/lib/python3.12/site-packages/MySQLdb/__init__.py\", line 121, in "
                    "Connect\n    return Connection(*args, **kwargs)\nMySQLdb.OperationalError: (1040, 'Too "
                    "many connections')\n\nThe above exception was the direct cause of the following "
                    "exception:\n\ndjango.db.utils.OperationalError: (1040, 'Too many connections')")
        r = rng.random()
        if r < 0.05:
            return _django(sc, ts, "WARNING", f"Not Found: /{rng.choice(['.env', 'wp-admin/', '.git/config'])}",
                           "django.request", pid)
        if r < 0.08:
            return _django(sc, ts, "WARNING", "Forbidden (CSRF cookie not set.): /login",
                           "django.security.csrf", pid)
        return gunicorn(sc, ts, pid, "INFO", f"GET {path} 200 {rng.randint(12, 160)}ms")

    for _ in range(3):
        s = f"ecs/registry-ui/{sc.hexid(32)}"
        emit(sc, grp, s, lambda t: 3.0, web)
    eg, es = f"/aws/rds/instance/{db}/error", db
    emit(sc, eg, es, lambda t: 0.3, lambda ts: mysql(
        sc, ts, rng.randint(9000, 99000), "Note", "MY-010914", f"Aborted connection {rng.randint(9000, 99000)} "
        f"to db: 'accounts' user: 'registry' host: '{sc.ip('10.0')}' (Got timeout reading communication "
        "packets)."))
    every(sc, eg, es, 3600, lambda ts: mysql(sc, ts, 0, "Note", "MY-011953", "[InnoDB] Page cleaner took "
                                           f"{rng.randint(4100, 5200)}ms to flush 2000 pages", "InnoDB"))
    sg = "/ecs/web/search-ui"
    for st, en in ((-21600, -2230), (-2245, 0)):
        s = f"ecs/search-ui/{sc.hexid(32)}"
        emit(sc, sg, s, lambda t: 1.0, lambda ts: f"{sc.iso(ts)} info: GET /search?q={rng.choice(PKGS)[:3]} "
             f"200 {rng.randint(5, 60)}ms", start=st + 1, end=en)
    sc.change(-9000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "web/registry-ui",
              "github-actions-deploy")
    sc.change(cfg, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", pgname,
              "j.okafor")
    sc.change(-2255, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "search-ui:44", "github-actions-deploy")
    sc.change(-2250, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "web/search-ui",
              "github-actions-deploy")
    sc.alarm("registry-www-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 20, "GreaterThanThreshold", "Registry website 5xx")
    sc.alarm("accounts-mysql-connections-high", "AWS/RDS", "DatabaseConnections",
             {"DBInstanceIdentifier": db}, "Maximum", 300, 2, 800, "GreaterThanThreshold",
             "80 % of max_connections (1000)")
    sc.expect = {"alarm": "registry-www-target-5xx",
                 "root_cause": {"category": "config_change", "resource": [db, pgname]}}
    meta(sc, front="front (ALB -> ECS web service -> the RDS instance whose parameter group changed)",
         decoys="search-ui deploy 30 s after the change (closer to the onset); a registry-ui deploy 2.5 h "
         "earlier; the connections alarm, still sized for the old limit, stays OK; 404/CSRF noise",
         services="ALB, ECS, RDS", runtime="Python (Django/gunicorn)", logfmt="Django logging, gunicorn, MySQL error log",
         story="At -38 min j.okafor modified the accounts-mysql80 parameter group. Within seconds "
         "registry-ui starts failing ~30 % of requests with `(1040, 'Too many connections')`, and "
         "DatabaseConnections, which ran at ~200-230 all day, is pinned at ~150 — the instance's "
         "max_connections is now 150 (the connections alarm's description still says 1000). The "
         "connection limit is the mechanism, the parameter change is the trigger, and the tie-break "
         "rule makes this a config change on the database. The search-ui deploy just after is unrelated.")
    return sc


def build_16():
    sc = new(16, "sbom-generation-failures", "SBOM generation is failing for many packages; the "
             "generator's error alarm fired.", "eu-west-1", "2026-03-29T12:20:00")
    rng = sc.rng
    fn = "sbom-generate"
    sc.resource("lambda", fn, runtime="python3.12", timeout=300, memory_size=1024, alias="live",
                trigger="sqs:sbom-requests")
    sc.resource("lambda", "provenance-verify", runtime="python3.12", timeout=30, memory_size=512)
    deploy, alias = -2640, -2600
    onset = alias + 30
    frac = lambda t: 0.004 + 0.4 * step(t, onset, 0, 1, 60)
    inv = lambda t: 9 * diurnal(sc, t, 11, 0.25)
    lam_metrics(sc, fn, inv, lambda t: frac(t) * inv(t), lambda t: 8800 + 4200 * step(t, onset, 0, 1, 60))
    lam_metrics(sc, "provenance-verify", lambda t: 30 * diurnal(sc, t, 11, 0.25), lambda t: 0.1,
                lambda t: 420.0)

    def body(ll, t, rid, is_err, cold):
        new_v = t >= alias
        pkg = rng.choice(PKGS)
        lines = []
        if cold:
            lines.append((0.001, ll.fmt(t, rid, "INFO", ("sbom-generate 4.2.0 (cyclonedx-python-lib 7.4.0) "
                                                         "starting" if new_v else "sbom-generate 4.1.3 "
                                                         "(cyclonedx-python-lib 6.4.4) starting"))))
        deps = rng.randint(40, 9000)
        lines.append((0.01, ll.fmt(t, rid, "INFO", f"generating sbom package={pkg} lockfile=package-lock.json "
                                   f"deps={deps}")))
        r = rng.random()
        if r < 0.05:
            lines.append((0.05, ll.fmt(t, rid, "ERROR", "unsupported lockfile format: bun.lockb, skipping")))
            return {"lines": lines, "dur": rng.uniform(80, 200)}
        if r < 0.09:
            lines.append((2.0, ll.fmt(t + 2, rid, "WARNING", "dependency graph truncated at depth 64")))
        if is_err and new_v:
            d = rng.uniform(6000, 19000)
            lines.append((d / 1000 - 0.5, ll.fmt(t + d / 1000 - 0.5, rid, "INFO", "resolved components="
                                                 f"{deps * 3}, building dependency graph (in-memory)")))
            lines.append((d / 1000, f"RequestId: {rid} Error: Runtime exited with error: signal: killed"))
            return {"lines": lines, "dur": d, "status": "error", "error_type": "Runtime.OutOfMemory",
                    "mem": 1024}
        d = 3000 + deps * 1.6 + rng.uniform(0, 2000)
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO", f"sbom written s3://pkgreg-sbom-euw1/{pkg}/"
                                       f"bom.cdx.json components={deps}")))
        mem = rng.randint(260, 520) if not new_v else rng.randint(640, 990)
        return {"lines": lines, "dur": d, "mem": mem}

    ll = LambdaLogs(sc, fn, "python3.12", 1024, 300, epochs=[(-10 ** 9, "57"), (alias, "58")],
                    mem_used=(380, 60))
    lambda_run(ll, lambda t: 3.0, frac, body, start=-5 * 3600)
    pv = LambdaLogs(sc, "provenance-verify", "python3.12", 512, 30, retire=[-2585], mem_used=(140, 10))
    lambda_run(pv, lambda t: 1.5, lambda t: 0.0, lambda ll, t, rid, e, c: {
        "lines": [(0.3, ll.fmt(t + 0.3, rid, "INFO", f"provenance verified for {rng.choice(PKGS)} "
                               "(slsa v1, builder=github-actions)"))], "dur": rng.uniform(300, 550)}, start=-3 * 3600)
    sc.change(deploy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "ci-deployer")
    sc.change(deploy + 12, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn,
              "ci-deployer")
    sc.change(alias, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Alias", f"{fn}:live",
              "ci-deployer")
    sc.change(-2585, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "provenance-verify", "s.brandt")
    sc.alarm("sbom-generate-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 5,
             "GreaterThanThreshold", "SBOM generator failures")
    sc.alarm("provenance-verify-errors", "AWS/Lambda", "Errors", {"FunctionName": "provenance-verify"},
             "Sum", 300, 1, 10, "GreaterThanThreshold")
    sc.expect = {"alarm": "sbom-generate-errors",
                 "root_cause": {"category": "bad_deployment", "resource": [fn]}}
    meta(sc, front="origin (the deployed Lambda)",
         decoys="provenance-verify configuration update 15 s before onset (after the alias flip); "
         "bun.lockb errors and graph-truncation warnings all along",
         services="Lambda", runtime="Python 3.12", logfmt="Lambda Python text",
         story="ci-deployer published sbom-generate version 58 and moved the `live` alias to it at "
         "-43 min. The new version's environments announce `sbom-generate 4.2.0 (cyclonedx-python-lib "
         "7.4.0)`; successful runs now use 640-990 MB instead of 260-520 MB, and ~40 % of invocations "
         "end with `Runtime exited with error: signal: killed` and REPORT `Error Type: Runtime.OutOfMemory` "
         "at 1024 MB — a signature never seen on version 57. The memory exhaustion is the mechanism, "
         "the deployment is the trigger; the tie-break rule makes it a bad deployment. The "
         "provenance-verify config update is closer to the onset but that function is unaffected.")
    return sc


BUILDERS = [build_15, build_16]
