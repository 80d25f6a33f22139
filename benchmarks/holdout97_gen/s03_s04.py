"""h97-03 (advisory scanner Lambda, Python) and h97-04 (publish API on ECS, Ruby, and its signer)."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import pg, rails

from .base import (LambdaLogs, alb_metrics, diurnal, ec2_metrics, ecs_metrics, emit, every,
                   lam_metrics, lambda_run, meta, new, rds_metrics, step)

PKGS = ["kiln-core", "tslab-utils", "vendo-cli", "fastq", "yaml-lite", "graphy-schema",
        "acme-button", "semver-tools", "uuid-mini", "deep-merge2", "tiny-router"]


def build_03():
    sc = new(3, "advisory-scan-failures", "Security advisories for newly published packages are "
             "not being produced; the scanner's error alarm fired.", "us-west-2",
             "2026-03-13T10:40:00")
    rng = sc.rng
    fn, role, bucket = "pkg-advisory-scan", "advisory-scan-exec", "pkgreg-tarballs-usw2"
    sc.resource("lambda", fn, runtime="python3.12", timeout=120, memory_size=1024,
                role=f"arn:aws:iam::{sc.account}:role/{role}", trigger="s3:ObjectCreated")
    sc.resource("lambda", "pkg-license-scan", runtime="python3.12", timeout=60, memory_size=512)
    pol, onset = -2700, -2640
    frac = lambda t: 0.015 + 0.865 * step(t, onset, 0, 1)
    inv = lambda t: 26 * diurnal(sc, t, 13, 0.3)
    lam_metrics(sc, fn, inv, lambda t: frac(t) * inv(t),
                lambda t: 4200 * (1 - 0.87 * step(t, onset, 0, 1)) + 380 * step(t, onset, 0, 1))
    lam_metrics(sc, "pkg-license-scan", inv, lambda t: 0.15, lambda t: 1900.0)

    def body(ll, t, rid, is_err, cold):
        pkg = rng.choice(PKGS)
        ver = f"{rng.randint(0, 6)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}"
        key = f"tarballs/{pkg}/{pkg}-{ver}.tgz"
        lines = [(0.002, ll.fmt(t, rid, "INFO", f"scan start package={pkg}@{ver} key={key}"))]
        if is_err and t >= onset and rng.random() < 0.985:
            msg = (f"[ERROR] ClientError: An error occurred (AccessDenied) when calling the GetObject "
                   f"operation: User: arn:aws:sts::{sc.account}:assumed-role/{role}/{fn} is not "
                   f"authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::{bucket}/{key}\" "
                   "because no identity-based policy allows the s3:GetObject action\nTraceback (most "
                   "recent call last):\n  File \"/var/task/handler.py\", line 31, in handler\n    blob "
                   "= fetch_tarball(record)\n  File \"/var/task/scanner/fetch.py\", line 19, in "
                   "fetch_tarball\n    obj = s3.get_object(Bucket=bucket, Key=key)\n  File \"/var/"
                   "lang/lib/python3.12/site-packages/botocore/client.py\", line 1021, in _make_api_"
                   "call\n    raise error_class(parsed_response, operation_name)")
            lines.append((0.21, msg))
            return {"lines": lines, "dur": rng.uniform(250, 420), "mem": rng.randint(140, 170)}
        if is_err:
            lines.append((0.4, "[ERROR] JSONDecodeError: Expecting value: line 1 column 1 (char 0)\n"
                          "Traceback (most recent call last):\n  File \"/var/task/handler.py\", line "
                          "36, in handler\n    manifest = read_manifest(blob)\n  File \"/var/task/"
                          "scanner/manifest.py\", line 12, in read_manifest\n    return json.loads("
                          "raw)\n  File \"/var/lang/lib/python3.12/json/__init__.py\", line 346, in "
                          "loads\n    return _default_decoder.decode(s)"))
            return {"lines": lines, "dur": rng.uniform(500, 900)}
        if t >= onset or rng.random() < 0.12:
            lines.append((0.05, ll.fmt(t + 0.05, rid, "INFO", f"metadata-only event "
                                       f"({rng.choice(['deprecate', 'dist-tag', 'unpublish'])}) "
                                       f"package={pkg}, no tarball to scan")))
            return {"lines": lines, "dur": rng.uniform(60, 140), "mem": rng.randint(130, 160)}
        if rng.random() < 0.06:
            lines.append((0.5, ll.fmt(t + 0.5, rid, "WARNING", f"tarball {key} exceeds scan size "
                                      "limit (52428800 bytes), scanning manifest only")))
        n = rng.randint(0, 3)
        lines.append((3.9, ll.fmt(t + 3.9, rid, "INFO", f"scan done package={pkg}@{ver} "
                                  f"advisories={n} deps={rng.randint(3, 240)}")))
        return {"lines": lines, "dur": rng.uniform(3000, 5400), "mem": rng.randint(300, 420)}

    ll = LambdaLogs(sc, fn, "python3.12", 1024, 120, mem_used=(320, 40))
    lambda_run(ll, lambda t: 4.0, frac, body, start=-5 * 3600)
    lic = LambdaLogs(sc, "pkg-license-scan", "python3.12", 512, 60, retire=[-2655],
                     epochs=[(-10 ** 9, "41"), (-2655, "42")])
    lambda_run(lic, lambda t: 1.5, lambda t: 0.005, lambda ll, t, rid, e, c: {
        "lines": [(0.8, ll.fmt(t + 0.8, rid, "INFO", f"licenses ok package={rng.choice(PKGS)} "
                               f"spdx={rng.choice(['MIT', 'Apache-2.0', 'ISC', 'BSD-3-Clause'])}"))],
        "dur": rng.uniform(1500, 2300)}, start=-4 * 3600)
    sc.change(-19000, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", fn, "terraform-ci")
    sc.change(pol, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", role, "terraform-ci")
    sc.change(-2655, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "pkg-license-scan", "ci-deployer")
    sc.change(-2648, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              "pkg-license-scan", "ci-deployer")
    sc.alarm("advisory-scan-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 15,
             "GreaterThanThreshold", "Advisory scanner failing")
    sc.alarm("license-scan-errors", "AWS/Lambda", "Errors", {"FunctionName": "pkg-license-scan"},
             "Sum", 300, 1, 10, "GreaterThanThreshold")
    sc.expect = {"alarm": "advisory-scan-errors",
                 "root_cause": {"category": "permission_denied", "resource": [fn, role]}}
    meta(sc, front="origin (the Lambda whose role changed)",
         decoys="pkg-license-scan code deploy 15 s before onset (after the IAM change); manifest "
         "JSONDecodeError failures at ~1.5 % for hours; an old config update on the scanner itself",
         services="Lambda, IAM (change only)", runtime="Python 3.12", logfmt="Lambda Python text",
         story="terraform-ci ran PutRolePolicy on the scanner's execution role at -45 min. From a "
         "minute later almost every invocation fails fast with `AccessDenied ... assumed-role/"
         "advisory-scan-exec/pkg-advisory-scan is not authorized to perform: s3:GetObject`, Duration "
         "collapses from ~4 s to ~0.4 s and Errors go from ~0.4/min to ~20/min. The license scanner was "
         "deployed even closer to the onset but keeps working; the JSONDecodeError tracebacks were "
         "there at the same low rate all along.")
    return sc


def build_04():
    sc = new(4, "publish-errors", "Package publishes are failing for most users; the publish "
             "load balancer's 5xx alarm paged.", "eu-west-1", "2026-03-16T09:50:00")
    rng = sc.rng
    lb, iid, ipaddr = "app/publish-front/1f0b9c7ad2e34b61", "i-0c4f8a2e91b7d3f05", "10.0.22.14"
    sc.resource("alb", lb, name="publish-front", target_group="tg-publish-api")
    sc.resource("ecs", "publish/publish-api", launch_type="FARGATE", desired_count=4,
                runtime="ruby3.3 / rails 7.1 / puma")
    sc.resource("ec2", iid, name="prov-sign-1", instance_type="c7g.large", private_ip=ipaddr,
                log_groups=["/ec2/prov-sign/app"])
    sc.resource("rds", "publish-meta", engine="postgres", engine_version="16.2",
                instance_class="db.r6g.large", max_connections=1700, allocated_storage_gb=500,
                parameter_group="publish-meta-pg16")
    onset = -1620
    down = lambda t: t >= onset
    req = lambda t: 610 * diurnal(sc, t, 12, 0.3)
    alb_metrics(sc, lb, req, lambda t: 0.4 + (0.041 * req(t) if down(t) else 0),
                lambda t: 0.118 + (0.2 if down(t) else 0), lambda t: 4.0)
    ecs_metrics(sc, "publish", "publish-api", lambda t: 31 * diurnal(sc, t, 12, 0.3),
                lambda t: 57.0, running=lambda t: 4.0)
    ec2_metrics(sc, iid, lambda t: 2.1 if down(t) else 17 * diurnal(sc, t, 12, 0.2),
                mem=lambda t: None if down(t) else 38.0,
                disk=lambda t: None if down(t) else 27.4 + 0.0001 * (t + 21600),
                net_in=lambda t: 9e3 if down(t) else 1.9e6 * diurnal(sc, t, 12, 0.3),
                sys_fail=lambda t: 1.0 if t >= onset + 60 else 0.0)
    rds_metrics(sc, "publish-meta", lambda t: 24 * diurnal(sc, t, 12, 0.3),
                lambda t: 140.0, lambda t: 311 - 0.00002 * (t + 21600), lambda t: 9.6)
    grp = "/ecs/publish/publish-api"
    streams = [f"ecs/publish-api/{sc.hexid(32)}" for _ in range(4)]

    def web(ts):
        rid = sc.uuid()
        ip = sc.ip("10.0")
        if rng.random() < 0.05:
            name = rng.choice(PKGS)
            out = [(0, rails(sc, ts, "INFO", f"Started PUT \"/api/v1/packages/{name}\" for {ip} at "
                             f"{sc.at(ts).strftime('%Y-%m-%d %H:%M:%S')} +0000", rid))]
            if down(ts):
                out.append((5.02, rails(sc, ts + 5.02, "ERROR", f"Signing::Unavailable (Failed to open "
                                        f"TCP connection to {ipaddr}:8443 (execution expired)):", rid)))
                out.append((5.03, rails(sc, ts + 5.03, "ERROR", "app/services/signing/client.rb:41:in "
                                        "`sign_attestation'\napp/services/publish/pipeline.rb:88:in "
                                        "`attest!'\napp/controllers/api/v1/packages_controller.rb:27:in "
                                        "`update'", rid)))
                out.append((5.04, rails(sc, ts + 5.04, "INFO", "Completed 503 Service Unavailable in "
                                        "5021ms (ActiveRecord: 6.1ms | Allocations: 18211)", rid)))
            else:
                d = rng.randint(380, 900)
                out.append((d / 1000, rails(sc, ts + d / 1000, "INFO", f"Completed 201 Created in {d}ms "
                                            f"(Views: 0.4ms | ActiveRecord: {rng.uniform(5, 19):.1f}ms "
                                            f"| Allocations: {rng.randint(20000, 31000)})", rid)))
            return out
        path = f"/api/v1/packages/{rng.choice(PKGS)}"
        d = rng.randint(9, 70)
        return [(0, rails(sc, ts, "INFO", f"Started GET \"{path}\" for {ip}", rid)),
                (d / 1000, rails(sc, ts + d / 1000, "INFO", f"Completed 200 OK in {d}ms (Views: "
                                 f"{d * 0.3:.1f}ms | ActiveRecord: {d * 0.4:.1f}ms)", rid))]

    def noise(ts):
        rid = sc.uuid()
        if rng.random() < 0.5:
            return rails(sc, ts, "FATAL", "ActionController::RoutingError (No route matches [GET] "
                         f"\"/{rng.choice(['wp-login.php', '.env', 'phpmyadmin/index.php'])}\"):", rid)
        return rails(sc, ts, "WARN", f"Rack::Attack throttled 203.0.113.{rng.randint(2, 250)} "
                     "matched=req/ip discriminator=api_token_bruteforce", rid)

    for s in streams:
        emit(sc, grp, s, lambda t: 3.0, web)
        emit(sc, grp, s, lambda t: 0.6, noise)
    sg = "/ec2/prov-sign/app"
    emit(sc, sg, iid, lambda t: 3.0, lambda ts: (
        f"ts={sc.iso(ts)} level=info msg=\"signed attestation\" subject=pkg:npm/"
        f"{rng.choice(PKGS)} keyid=kms-euw1-3 dur_ms={rng.randint(20, 90)}"), end=onset - 5)
    every(sc, sg, iid, 300, lambda ts: f"ts={sc.iso(ts)} level=info msg=\"key cache refreshed\" "
          "keys=3", end=onset - 5)
    rg, rs = "/aws/rds/instance/publish-meta/postgresql", "publish-meta.0"
    every(sc, rg, rs, 300, lambda ts: pg(sc, ts, "LOG", "checkpoint complete: wrote "
                                         f"{rng.randint(900, 2600)} buffers; 0 WAL file(s) added", pid=571))
    sc.log(rg, rs, -1690, pg(sc, -1690, "LOG", "received SIGHUP, reloading configuration files", pid=402))
    sc.log(rg, rs, -1689.9, pg(sc, -1689.9, "LOG", "parameter \"log_min_duration_statement\" changed "
                               "to \"500\"", pid=402))
    emit(sc, rg, rs, lambda t: 0.25, lambda ts: pg(sc, ts, "LOG", f"duration: {rng.uniform(500, 900):.3f}"
                                                   " ms  statement: SELECT \"versions\".* FROM "
                                                   "\"versions\" WHERE \"versions\".\"package_id\" = $1",
                                                   client=f"{sc.ip('10.0')}(5{rng.randint(1000, 9999)})",
                                                   user="publish", db="meta"), start=-1689)
    sc.change(-1700, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup",
              "publish-meta-pg16", "dba-automation")
    sc.change(-14200, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "publish/publish-api",
              "github-actions-deploy")
    sc.alarm("publish-front-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 10, "GreaterThanThreshold", "Publish API 5xx")
    sc.alarm("prov-sign-1-status-check", "AWS/EC2", "StatusCheckFailed", {"InstanceId": iid},
             "Maximum", 60, 2, 0, "GreaterThanThreshold")
    sc.alarm("publish-meta-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "publish-meta"},
             "Average", 300, 3, 80, "GreaterThanThreshold")
    sc.expect = {"alarm": "publish-front-target-5xx",
                 "root_cause": {"category": "dependency_failure", "resource": [iid, "prov-sign-1"]}}
    meta(sc, front="front (ALB; the publish service behind it is only the caller; origin is the EC2 signer)",
         decoys="publish-meta parameter-group change 80 s before onset (a logging parameter); "
         "RoutingError/Rack::Attack noise for hours; an old publish-api deploy",
         services="ALB, ECS, EC2, RDS", runtime="Ruby (Rails), Go signer", logfmt="Rails logger, logfmt, postgres",
         story="At -27 min the provenance signer instance prov-sign-1 (10.0.22.14) fails its system "
         "status check: its app log stops, its CloudWatch agent metrics go missing and NetworkIn "
         "drops to nothing. Every publish (PUT) on publish-api then waits 5 s and fails with "
         "`Signing::Unavailable (Failed to open TCP connection to 10.0.22.14:8443 (execution expired))`, "
         "so the ALB's target 5xx and latency rise while reads stay healthy. The publish-meta parameter "
         "change just before only set log_min_duration_statement (the database reloads it and starts "
         "logging slow statements; its metrics are flat).")
    return sc


BUILDERS = [build_03, build_04]
