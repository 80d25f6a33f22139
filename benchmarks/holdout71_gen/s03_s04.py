"""h71-03 geofence evaluator settings edit; h71-04 firmware rollout dispatcher loses S3 read."""
from __future__ import annotations

from .common import Scenario, ramp
from .kit import (GRID, device_id, fleet_load, lam_metrics, lambda_logs, rds_metrics, sprinkle,
                  zeros)
from .runtimes import pg


def s03() -> Scenario:
    sc = Scenario(3, "fence-exit-errors",
                  "Geofence evaluator Lambda errors alarm; depot arrival notifications missing.",
                  "ap-southeast-2", 7103, "2026-03-12T05:31:00")
    fn = "geofence-eval"
    sc.resource("lambda", fn, runtime="python3.12", timeout=30, memory_size=1024,
                event_source="kinesis:fleet-positions",
                environment={"FENCE_TABLE": "fences-v3", "GEOFENCE_HYSTERESIS_M": "25m",
                             "LOG_LEVEL": "INFO", "SKEW_TOLERANCE_S": "300"})
    sc.resource("ecs", "routing/eta-api", desired_count=3, runtime="java21")
    sc.resource("lambda", "depot-notify", runtime="python3.12", timeout=20, memory_size=256)
    cfg, code = -2100, -12600

    def load(t):
        return fleet_load(sc, t, 46, amp=0.2, peak=3, batch=0.7, batch_minute=0,
                          wave_starts=[-17000, -7300], wave_h=0.5)

    inv = sc.series(load, noise=0.04, integer=True)
    frac = [0.38 * ramp(t, cfg + 15, cfg + 90) for t in GRID]
    err = [float(round(i * f + (1 if sc.rng.random() < 0.015 else 0))) for i, f in zip(inv, frac)]
    dur = sc.series(lambda t: 410 - 60 * ramp(t, cfg, cfg + 90), noise=0.08)
    lam_metrics(sc, fn, inv, err, dur)
    ni = [float(round(max(0.0, v * 0.12 * (1 - 0.9 * ramp(t, cfg, cfg + 120)) + sc.rng.gauss(0, 0.6))))
          for t, v in zip(GRID, inv)]
    lam_metrics(sc, "depot-notify", ni, zeros(), sc.series(lambda t: 180, noise=0.1))

    def body(ll, t, rid, is_err, cold):
        dev = device_id(sc)
        d = sc.rng.uniform(250, 600)
        lines = [(0.002, ll.fmt(t, rid, "INFO", f"evaluating batch records={sc.rng.randint(20, 100)} "
                                f"shard=shardId-00000000000{sc.rng.randint(0, 7)}"))]
        r = sc.rng.random()
        if r < 0.07:
            lines.append((0.05, ll.fmt(t + 0.05, rid, "ERROR",
                                       f"geofence lookup skipped for {dev}: device clock skew "
                                       f"{sc.rng.choice([3600, 3601, 36000])}s exceeds 300s")))
        elif r < 0.14:
            lines.append((0.04, ll.fmt(t + 0.04, rid, "WARNING",
                                       f"discarding fix from {dev}: hdop={sc.rng.uniform(9, 30):.1f}")))
        if is_err:
            tb = ("[ERROR] ValueError: could not convert string to float: '25m'\n"
                  "Traceback (most recent call last):\n"
                  '  File "/var/task/app/handler.py", line 57, in handler\n'
                  "    events = evaluator.evaluate(batch)\n"
                  '  File "/var/task/app/fences.py", line 118, in evaluate\n'
                  "    if self._exit_check(fence, fix):\n"
                  '  File "/var/task/app/fences.py", line 133, in _exit_check\n'
                  '    margin = float(os.environ["GEOFENCE_HYSTERESIS_M"])')
            lines.append((d * 0.6 / 1000, tb))
            return {"lines": lines, "dur": d * 0.6, "status": "error",
                    "error_type": "ValueError"}
        n = sc.rng.randint(0, 3)
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO", f"batch done enter={n} "
                                       f"exit={sc.rng.randint(0, 2)} depot_events={n}")))
        return {"lines": lines, "dur": d}

    lambda_logs(sc, fn, "python3.12", 1024, 30, inv, err, body, k=3, retire=(code, cfg))
    sc.change(code, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", fn, "bitbucket-pipelines")
    sc.change(cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", fn, "j.mercer")
    sc.change(-2070, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "routing/eta-api",
              "bitbucket-pipelines")
    sc.change(-2075, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "eta-api:88", "bitbucket-pipelines")
    sc.alarm("geofence-eval-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "Geofence evaluator errors")
    sc.expect = {"alarm": "geofence-eval-errors",
                 "root_cause": {"category": "config_change", "resource": [fn]}}
    sc.meta = dict(where="alarm on origin (Lambda)",
                   decoys="eta-api ECS release 25-30 s after the edit (closer to onset); a code "
                          "deploy of the same function 3.5 h earlier; handled ERROR lines for "
                          "clock-skewed devices all day; depot-notify traffic drop (downstream "
                          "effect)",
                   services="Lambda (Python), ECS")
    return sc


def s04() -> Scenario:
    sc = Scenario(4, "ota-wave-dispatch",
                  "Firmware rollout dispatcher failing; the Lambda Errors alarm fired mid-campaign.",
                  "me-central-1", 7104, "2026-03-12T21:08:00")
    fn, db = "ota-dispatch", "ota-state-db"
    role = "ota-dispatch-exec"
    sc.resource("lambda", fn, runtime="ruby3.3", timeout=120, memory_size=512,
                role=f"arn:aws:iam::{sc.account}:role/{role}")
    sc.resource("rds", db, engine="postgres", engine_version="16.2", instance_class="db.t4g.medium",
                max_connections=410, allocated_storage_gb=100)
    sc.resource("lambda", "fw-signing", runtime="ruby3.3", timeout=60, memory_size=1024)
    pol, onset = -1500, -1475
    inv = sc.series(lambda t: 24 + (10 if sc.at(t).minute % 10 == 0 else 0), noise=0.02, integer=True)
    frac = [0.86 * ramp(t, pol + 10, pol + 40) for t in GRID]
    err = [float(round(i * f)) for i, f in zip(inv, frac)]
    dur = sc.series(lambda t: 2300 - 1900 * ramp(t, onset - 30, onset + 30), noise=0.1)
    lam_metrics(sc, fn, inv, err, dur)
    si = sc.series(lambda t: 2 + (25 if -9000 < t < -8400 else 0), noise=0.2, integer=True)
    lam_metrics(sc, "fw-signing", si, zeros(), sc.series(lambda t: 5200, noise=0.1))
    wr = lambda t: 1 - 0.8 * ramp(t, onset, onset + 60)
    rds_metrics(sc, db, sc.series(lambda t: 18 * (0.4 + 0.6 * wr(t)) + (22 if -1460 < t < -1260 else 0),
                                  noise=0.08),
                sc.series(lambda t: 34 - 12 * (1 - wr(t)), noise=0.05, integer=True),
                sc.series(lambda t: 71.2, noise=0.0008),
                sc.series(lambda t: 1.9, noise=0.02),
                sc.series(lambda t: 0.0012, noise=0.1, digits=5),
                sc.series(lambda t: 0.0021, noise=0.1, digits=5))
    bucket = "fleet-fw-artifacts-me1"

    def body(ll, t, rid, is_err, cold):
        wave = sc.rng.randint(3, 9)
        hw = sc.rng.choice(["tcu-9", "tcu-9", "tcu-11", "gw-lite-2"])
        key = f"manifests/{hw}/5.1.0.json"
        lines = [(0.003, ll.fmt(t, rid, "INFO", f"dispatching wave={wave} campaign=fw-5.1.0 hw={hw}"))]
        r = sc.rng.random()
        if r < 0.12:
            lines.append((0.2, ll.fmt(t + 0.2, rid, "WARN", f"device {device_id(sc, 'TCU')} "
                                      f"rejected job: battery {sc.rng.randint(5, 28)}% below 30%")))
        elif r < 0.2:
            lines.append((0.3, ll.fmt(t + 0.3, rid, "ERROR",
                                      "Aws::IoT::Errors::ResourceAlreadyExistsException: Job "
                                      f"fw-5-1-0-{hw}-w{wave} already exists (idempotent retry, "
                                      "ignoring)")))
        if is_err:
            arn = f"arn:aws:sts::{sc.account}:assumed-role/{role}/{fn}"
            msg = (f"User: {arn} is not authorized to perform: s3:GetObject on resource: "
                   f"\\\"arn:aws:s3:::{bucket}/{key}\\\" because no identity-based policy allows "
                   "the s3:GetObject action")
            d = sc.rng.uniform(180, 420)
            lines.append((d / 1000 - 0.002, ll.fmt(t + d / 1000, rid, "ERROR",
                                                   f"manifest fetch failed bucket={bucket} key={key}")))
            lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "ERROR",
                "Error raised from handler method\n{\n  \"errorMessage\": \"" + msg + "\",\n"
                "  \"errorType\": \"Function<Aws::S3::Errors::AccessDenied>\",\n  \"stackTrace\": [\n"
                "    \"/var/runtime/gems/aws-sdk-core-3.201.0/lib/seahorse/client/plugins/raise_response_errors.rb:17:in `call'\",\n"
                "    \"/var/task/lib/manifest_store.rb:22:in `fetch'\",\n"
                "    \"/var/task/lib/dispatcher.rb:48:in `dispatch_wave'\",\n"
                "    \"/var/task/handler.rb:9:in `handler'\"\n  ]\n}")))
            return {"lines": lines, "dur": d}
        d = sc.rng.uniform(1500, 3200)
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO",
                                       f"wave {wave} queued devices={sc.rng.randint(40, 400)} "
                                       f"manifest_etag={sc.hexid(12)}")))
        return {"lines": lines, "dur": d}

    lambda_logs(sc, fn, "ruby3.3", 512, 120, inv, err, body, k=3, retire=(-6900,))
    sprinkle(sc, f"/aws/rds/instance/{db}/postgresql", f"{db}.0",
             lambda t: 0.25 + (3 if -1465 < t < -1380 else 0),
             lambda t: pg(sc, t, "LOG", sc.rng.choice(
                 ["checkpoint starting: time", "automatic vacuum of table \"ota.public.job_events\": "
                  "index scans: 1", "checkpoint complete: wrote 412 buffers (2.5%)"]) if t < -1465 or t > -1380
                 else "parameter \"log_min_duration_statement\" changed to \"500\""))
    sc.change(-6900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", fn, "codepipeline-ota")
    sc.change(pol, "iam.amazonaws.com", "CreatePolicyVersion", "AWS::IAM::Policy",
              "fleet-fw-artifacts-read", "tf-platform-ci")
    sc.change(-1470, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", db,
              "dba.kfarouk")
    sc.alarm("ota-dispatch-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 3,
             "GreaterThanThreshold", "OTA dispatcher Lambda errors")
    sc.alarm("ota-state-db-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db},
             "Average", 300, 1, 70, "GreaterThanThreshold")
    sc.expect = {"alarm": "ota-dispatch-errors",
                 "root_cause": {"category": "permission_denied", "resource": [fn]}}
    sc.meta = dict(where="alarm on origin (Lambda)",
                   decoys="ModifyDBInstance on the function's own database 30 s after the IAM "
                          "change (closer to onset) with a brief CPU bump; an earlier code deploy; "
                          "handled IoT ResourceAlreadyExists errors and battery rejections all day",
                   services="Lambda (Ruby), RDS, IAM")
    return sc
