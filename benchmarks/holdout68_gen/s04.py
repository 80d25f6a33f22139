"""h68-04: leaderboard snapshot writer denied by S3 after an IAM policy rewrite."""
from __future__ import annotations

import json

from .common import Scenario, diurnal
from .kit import apigw_family, event_load, lam_config, lam_deploy, lambda_family, lambda_logs, ramp
from .runtimes import LambdaLogs

EVENT, IAM, ONSET, DECOY = -12000, -3300, -3240, -3180


def build() -> Scenario:
    sc = Scenario(4, "ladder-snapshot-errors", "Ranked ladder pages show stale standings during the "
                  "Season 9 finals; snapshot Lambda Errors alarm firing.",
                  "us-west-2", 6804, "2026-11-24T03:10:00")
    rng = sc.rng
    fn, rd, api, role = "ladder-snapshot", "ladder-read", "ladder-api", "ladder-snapshot-role"
    bucket = "arena-ladder-snapshots-prod"
    sc.resource("lambda", fn, runtime="java21", memory_size=1024, timeout=60, role=role,
                trigger="EventBridge schedule rate(1 minute), 12 board shards")
    sc.resource("lambda", rd, runtime="java21", memory_size=1536, timeout=10, snap_start=True)
    sc.resource("apigateway", api, stage="live")
    load = lambda t: diurnal(sc, t, 3, 0.3) * event_load(t, EVENT, 2.4, 1.5, 3000)
    bad = lambda t: ramp(t, ONSET, ONSET + 30)
    m = lambda_family(sc, fn, lambda t: 12, lambda t: bad(t), lambda t: 2300 + 500 * (load(t) - 1) - 1500 * bad(t),
                      conc=lambda t: 1.2)
    lambda_family(sc, rd, lambda t: 880 * load(t), lambda t: 0.0002, lambda t: 38 + 6 * (load(t) - 1))
    apigw_family(sc, api, lambda t: 900 * load(t), lambda t: 55 + 8 * (load(t) - 1), e4=lambda t: 4 * load(t))

    # ---------------------------------------------------------------- ladder-snapshot (Java)
    ll = LambdaLogs(sc, fn, "java21", 1024, 60, mem_used=(410, 25), retire=[-15600])
    acct = sc.account

    def body(ll, t, rid, is_err, cold):
        shard = f"season9-{rng.choice(['na', 'eu', 'apac'])}-shard{rng.randint(1, 4):02d}"
        key = f"snapshots/season9/{shard}/{sc.at(t).strftime('%Y-%m-%dT%H:%M')}.json.gz"
        f = lambda dt, lvl, msg: (dt, ll.fmt(t + dt, rid, lvl, msg))
        init = [(0.3, ll.fmt(t, "main", "INFO", "com.arena.ladder.Handler - ladder-snapshot 4.2.0 "
                                                 f"init, bucket={bucket}"))]
        lines = [f(0.01, "INFO", f"SnapshotJob - building snapshot board={shard}")]
        if is_err:
            msg = (f"User: arn:aws:sts::{acct}:assumed-role/{role}/{fn} is not authorized to perform: "
                   f"s3:PutObject on resource: \"arn:aws:s3:::{bucket}/{key}\" because no identity-based "
                   f"policy allows the s3:PutObject action (Service: S3, Status Code: 403, Request ID: "
                   f"{sc.hexid(16).upper()})")
            lines.append(f(0.7, "ERROR", f"SnapshotWriter - snapshot upload failed board={shard} key={key}"))
            lines.append((0.72, json.dumps({
                "errorMessage": msg, "errorType": "software.amazon.awssdk.services.s3.model.S3Exception",
                "stackTrace": ["software.amazon.awssdk.services.s3.model.S3Exception$BuilderImpl.build(S3Exception.java:104)",
                               "com.arena.ladder.SnapshotWriter.upload(SnapshotWriter.java:88)",
                               "com.arena.ladder.SnapshotJob.run(SnapshotJob.java:57)",
                               "com.arena.ladder.Handler.handleRequest(Handler.java:31)"]},
                separators=(",", ":"))))
            return {"dur": rng.uniform(700, 1100), "lines": lines, "init_lines": init if cold else []}
        if rng.random() < 0.2:
            lines.append(f(0.2, "WARN", f"SnapshotJob - board={shard} unchanged since last snapshot, skipping upload"))
        else:
            lines.append(f(1.9, "INFO", f"SnapshotWriter - wrote s3://{bucket}/{key} rows={rng.randint(40000, 260000)} "
                                        f"bytes={rng.randint(900000, 6000000)}"))
        return {"dur": rng.gauss(2300, 250), "lines": lines, "init_lines": init if cold else []}

    lambda_logs(ll, m, body, per_min=2.5, err_min=1)

    # ---------------------------------------------------------------- ladder-read (Java, API)
    rl = LambdaLogs(sc, rd, "java21", 1536, 10, mem_used=(520, 30), retire=[DECOY + 17],
                    epochs=[(-10 ** 9, "113"), (DECOY + 17, "114")])

    def read(ll, t, rid, is_err, cold):
        f = lambda dt, lvl, msg: (dt, ll.fmt(t + dt, rid, lvl, msg))
        b = "4.2.1" if t >= DECOY + 17 else "4.1.9"
        init = [(0.2, ll.fmt(t, "main", "INFO", f"com.arena.ladder.ReadHandler - ladder-read {b} restored from SnapStart"))]
        age = int(rng.uniform(20, 80) + max(0.0, t - ONSET) if t > ONSET else rng.uniform(20, 80))
        lines = [f(0.01, "INFO", f"LadderQuery - page board=season9-{rng.choice(['na', 'eu', 'apac'])} "
                                 f"offset={rng.randint(0, 50) * 50} snapshot_age_s={age}")]
        if rng.random() < 0.12:
            lines.append(f(0.015, "WARN", "DdbClient - ProvisionedThroughputExceededException on index "
                                          "rank-index, retrying (attempt 1/3)"))
        if age > 120:
            lines.append(f(0.02, "WARN", f"LadderQuery - latest snapshot is {age}s old (expected < 90s), "
                                         "serving stale standings"))
        return {"dur": rng.lognormvariate(3.6, 0.3), "lines": lines, "init_lines": init if cold else []}

    rl.run({t: 1 + (rng.random() < 0.8) for t in range(-21600, 0, 60)}, {}, read)

    sc.alarm("ladder-snapshot-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 5,
             "GreaterThanThreshold", "Snapshot writer failures")
    sc.alarm("ladder-api-latency", "AWS/ApiGateway", "Latency", {"ApiName": api}, "Average", 300, 3, 250,
             "GreaterThanThreshold")
    lam_config(sc, -15600, fn, "terraform-ci")
    sc.change(-11700, "dynamodb.amazonaws.com", "UpdateTable", "AWS::DynamoDB::Table", "LadderRanks",
              "ops-dwright")
    sc.change(IAM, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", role, "terraform-ci")
    sc.change(IAM + 40, "iam.amazonaws.com", "DeleteRolePolicy", "AWS::IAM::Role", role, "terraform-ci")
    lam_deploy(sc, DECOY, rd, "github-actions-ladder")
    sc.expect = {"alarm": "ladder-snapshot-errors",
                 "root_cause": {"category": "permission_denied", "resource": [fn, role]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = {
        "front": "origin (alarm on the function whose role lost s3:PutObject)",
        "services": ["lambda", "apigateway"], "runtime": "Java 21 Lambda (plain + runtime JSON errors)",
        "decoys": "ladder-read deploy 1 min after onset; ladder-snapshot's own configuration update 3.4 h "
                  "earlier; steady DynamoDB ProvisionedThroughputExceeded retries in ladder-read; "
                  "stale-snapshot warnings in ladder-read",
        "story": (
            "ladder-snapshot runs twelve shard jobs a minute and had written snapshots without a single "
            "failure for five hours, including through the finals rush at -200 min. At -55 min "
            "terraform-ci replaced the inline policy on ladder-snapshot-role (PutRolePolicy then "
            "DeleteRolePolicy); from -54 min every invocation fails with S3Exception `... "
            "assumed-role/ladder-snapshot-role/ladder-snapshot is not authorized to perform: "
            "s3:PutObject ... (Status Code: 403)`. ladder-read was deployed a minute after the onset "
            "and starts warning that snapshots are minutes old, but it has no errors; its "
            "ProvisionedThroughputExceeded retry warnings run at the same rate all six hours. The "
            "configuration update on ladder-snapshot itself was 3.4 h earlier with five clean hours "
            "after it."),
        "judgement": "The role is not one of the six resource types; the function is the primary "
                     "answer and the role name is accepted as the same origin.",
    }
    return sc
