"""h68-07: match results not saving; the MySQL instance behind the ingest Lambda runs out of disk."""
from __future__ import annotations

from .common import Scenario, diurnal
from .kit import emit, event_load, lam_deploy, lambda_family, lambda_logs, ramp, rds_family
from .runtimes import LambdaLogs, mysql

EVENT, ONSET, DECOY = -10800, -1860, -1980


def free_gb(t: float) -> float:
    f = 11.45 - 1.4 * (min(t, EVENT) + 21600) / 3600 - 2.9 * max(0.0, t - EVENT) / 3600
    return max(0.04, f)


def build() -> Scenario:
    sc = Scenario(7, "match-ingest-errors", "Match results and XP not saving after Copa Arena matches; "
                  "ingest Lambda Errors alarm.", "sa-east-1", 6807, "2026-11-27T23:30:00")
    rng = sc.rng
    fn, db, other = "match-result-ingest", "mh-store-01", "acct-link-pg"
    sc.resource("lambda", fn, runtime="python3.11", memory_size=512, timeout=30, trigger="SQS match-results (batch 25)")
    sc.resource("rds", db, engine="mysql", engine_version="8.0.39", instance_class="db.m6g.large",
                allocated_storage_gb=200, max_allocated_storage_gb=None, max_connections=1365, binlog_retention_h=72)
    sc.resource("rds", other, engine="postgres", engine_version="16.4", instance_class="db.t4g.large",
                allocated_storage_gb=100, max_connections=450)
    sc.resource("lambda", "xp-award", runtime="python3.11", memory_size=256, timeout=15)
    load = lambda t: diurnal(sc, t, 23, 0.25) * event_load(t, EVENT, 2.2, 1.7, 3000)
    full = lambda t: ramp(t, ONSET, ONSET + 90)
    m = lambda_family(sc, fn, lambda t: 210 * load(t), lambda t: 0.0006 + 0.8 * full(t),
                      lambda t: 340 + 60 * (load(t) - 1) - 250 * full(t))
    lambda_family(sc, "xp-award", lambda t: 400 * load(t), lambda t: 0.0004, lambda t: 62)
    rds_family(sc, db, lambda t: 24 * load(t) - 6 * full(t), lambda t: 60 + 25 * load(t), free_gb,
               wlat=lambda t: 0.0023 + 0.0008 * (load(t) - 1), mem_gb=lambda t: 2.1)
    rds_family(sc, other, lambda t: 12 + 18 * ramp(t, DECOY + 30, DECOY + 90) * (1 - ramp(t, DECOY + 400, DECOY + 500)),
               lambda t: 70 + 10 * load(t) - 60 * ramp(t, DECOY + 30, DECOY + 60) * (1 - ramp(t, DECOY + 90, DECOY + 180)),
               lambda t: 61.3, mem_gb=lambda t: 3.9)

    # ---------------------------------------------------------------- ingest Lambda (Python)
    ll = LambdaLogs(sc, fn, "python3.11", 512, 30, retire=[-9600 + 17], mem_used=(132, 6),
                    epochs=[(-10 ** 9, "31"), (-9600 + 17, "32")])

    def body(ll, t, rid, is_err, cold):
        f = lambda dt, lvl, msg: (dt, ll.fmt(t + dt, rid, lvl, msg))
        n = rng.randint(8, 25)
        lines = [f(0.003, "INFO", f"batch received records={n} queue=match-results")]
        if rng.random() < 0.06:
            lines.append(f(0.08, "WARNING", "Deadlock found when trying to get lock; try restarting transaction "
                                            "(match_players upsert), retry 1/3"))
        if is_err and t >= ONSET:
            lines.append((0.05, "[ERROR] OperationalError: (1114, \"The table 'match_events' is full\")\n"
                          "Traceback (most recent call last):\n"
                          "  File \"/var/task/ingest/handler.py\", line 29, in lambda_handler\n"
                          "    writer.write_batch(records)\n"
                          "  File \"/var/task/ingest/writer.py\", line 66, in write_batch\n"
                          "    cur.executemany(INSERT_EVENTS, rows)"))
            return {"dur": rng.uniform(40, 120), "lines": lines}
        if is_err:
            lines.append((0.5, "[ERROR] OperationalError: (2013, 'Lost connection to MySQL server during query')\n"
                          "Traceback (most recent call last):\n  File \"/var/task/ingest/writer.py\", line 66, in write_batch"))
            return {"dur": rng.uniform(400, 900), "lines": lines}
        lines.append(f(0.3, "INFO", f"stored matches={n} events={n * rng.randint(180, 420)} "
                                    f"mode={rng.choice(['copa-arena', 'ranked-5v5', 'casual'])}"))
        return {"dur": rng.lognormvariate(5.8, 0.25), "lines": lines}

    lambda_logs(ll, m, body, per_min=3, err_min=1)

    # ---------------------------------------------------------------- MySQL error log
    eg, es = f"/aws/rds/instance/{db}/error", db
    emit(sc, eg, es, lambda t: 0.5, lambda t: mysql(
        sc, t, rng.randint(20000, 90000), "Note", "MY-010914",
        f"Aborted connection {rng.randint(20000, 90000)} to db: 'arena' user: 'ingest' host: "
        f"'10.60.{rng.randint(1, 9)}.{rng.randint(2, 250)}' (Got an error reading communication packets)."))
    emit(sc, eg, es, lambda t: 3.0 * full(t), lambda t: mysql(
        sc, t, 0, "ERROR", "MY-012639", f"[InnoDB] Write to file ./arena/match_events.ibd failed at offset "
        f"{rng.randint(10 ** 10, 9 * 10 ** 10)}, 1048576 bytes should have been written, only 0 were written. "
        "Operating system error number 28. Check that your OS and file system support files of this size. "
        "Check also that the disk is not full or a disk quota exceeded.").replace("[Server] [InnoDB]", "[InnoDB]"),
        t0=ONSET)
    emit(sc, eg, es, lambda t: 3.0 * full(t), lambda t: [
        (0, mysql(sc, t, 0, "ERROR", "MY-012640", "[InnoDB] Error number 28 means 'No space left on device'")
         .replace("[Server] [InnoDB]", "[InnoDB]")),
        (0.01, mysql(sc, t + 0.01, rng.randint(20000, 90000), "ERROR", "MY-013132", "The table 'match_events' is full!"))],
        t0=ONSET)
    for t in range(-21000, 0, 1800):
        sc.log(eg, es, t + 7, mysql(sc, t + 7, 0, "Note", "MY-010733", "Binlog rotated: mysql-bin-changelog."
                                     f"{412000 + (t + 21000) // 1800}"))

    sc.alarm("match-result-ingest-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "Match result ingest failures")
    sc.alarm(f"{db}-free-storage-low", "AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": db}, "Minimum",
             300, 1, 10e9, "LessThanThreshold", "Match history DB under 10 GB free")
    sc.alarm(f"{other}-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": other}, "Average", 300, 1, 80,
             "GreaterThanThreshold")
    sc.change(-17800, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBSnapshot", f"{other}-weekly", "aws-backup")
    lam_deploy(sc, -9600, fn, "codebuild-copa", alias=False)
    sc.change(DECOY, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup",
              "acct-link-pg16-params", "dba-rsouza")
    sc.change(DECOY + 40, "rds.amazonaws.com", "RebootDBInstance", "AWS::RDS::DBInstance", other, "dba-rsouza")
    sc.expect = {"alarm": "match-result-ingest-errors",
                 "root_cause": {"category": "storage_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace",
                                "dimensions": {"DBInstanceIdentifier": db}}]}
    sc.meta = {
        "front": "front (caller Lambda; origin is the MySQL instance)",
        "services": ["lambda", "rds"], "runtime": "Python 3.11 Lambda, MySQL 8 error log",
        "decoys": "parameter-group change + reboot of a different DB 2 min before onset; ingest deploy 2 h "
                  "earlier; steady deadlock retry warnings; long-ignored low-storage alarm",
        "story": (
            "FreeStorageSpace on mh-store-01 falls all day (about 1.4 GB/h, then 2.9 GB/h once the Copa "
            "Arena event starts at -180 min) and reaches ~0 at -31 min; the low-storage alarm has been "
            "in ALARM for hours. At that moment the MySQL error log starts `Operating system error "
            "number 28`, `Error number 28 means 'No space left on device'` and `The table "
            "'match_events' is full!`, and ~80 % of match-result-ingest invocations fail with "
            "`OperationalError: (1114, \"The table 'match_events' is full\")`. Two minutes earlier a DBA "
            "changed the parameter group of acct-link-pg and rebooted it (its connections dip and CPU "
            "bumps), but nothing here talks to that database. The ingest deploy at -160 min was "
            "followed by two healthy hours, and the deadlock retries and rare lost-connection errors "
            "are at baseline rates."),
    }
    return sc
