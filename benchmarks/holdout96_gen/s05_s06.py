"""h96-05 crew pairing queries on RDS MySQL (.NET Lambda + Java ECS workers) and h96-06 mobile
boarding passes on EC2 (Java) behind an ALB."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import HISTORY, bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, jline, mysql, spring

from .kit import (Scenario, alb_metrics, ec2_metrics, ecs_metrics, every, flight, lambda_metrics,
                  pick, pnr, rds_metrics, sampled, scatter, task_id, tomcat_access)


# =========================================================================== h96-05
def build_05() -> Scenario:
    sc = Scenario(5, "crew-pairing", "Crew schedulers cannot load pairings during the storm "
                  "disruption; crew-pairing-query errors alarm.", "eu-west-1", 9605, "2026-03-20T17:45:00")
    db, fn, cl, wk = "crewdb-main", "crew-pairing-query", "crew-ops", "reassign-worker"
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large",
                max_connections=420, allocated_storage_gb=400)
    sc.resource("rds", "loyalty-mysql-02", engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large",
                max_connections=600, allocated_storage_gb=200)
    sc.resource("lambda", fn, runtime="dotnet8", timeout=30, memory_size=1024)
    sc.resource("ecs", f"{cl}/{wk}", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=4,
                hikari_max_pool_size=25)
    tasks = lambda t: 4 + 2 * sum(1 for s in (-2760, -2580, -2400, -2220, -2040) if t >= s)  # noqa: E731
    conns = lambda t: min(420.0, 118 + 25 * tasks(t) + 10 * ramp(t, -3000, -1800))  # noqa: E731
    full = lambda t: ramp(t, -2000, -1880)  # noqa: E731
    inv = lambda t: 95 * diurnal(sc, t, 16.0, 0.15) * (1 + 0.25 * ramp(t, -4000, -2500))  # noqa: E731
    rds_metrics(sc, db, lambda t: 38 + 9 * ramp(t, -2800, -1900), lambda t: conns(t), lambda t: 233 - 0.00005 * t,
                lambda t: 3.1, rlat=lambda t: 0.0018, wlat=lambda t: 0.0031)
    rds_metrics(sc, "loyalty-mysql-02", lambda t: 22.0, lambda t: 74.0, lambda t: 131.0, lambda t: 5.2)
    m = lambda_metrics(sc, fn, inv, lambda t: 0.5 + 0.36 * full(t) * inv(t), lambda t: 310 + 120 * full(t))
    ecs_metrics(sc, cl, wk, lambda t: 58 - 12 * ramp(t, -2760, -2000), lambda t: 47.0, running=tasks)

    sc.change(-16000, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              fn, "terraform-crew-ops")
    for s in (-2760, -2580, -2400, -2220, -2040):
        sc.change(s, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{wk}",
                  "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.change(-1990, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "loyalty-mysql-02",
              "AWSReservedSSO_DBA_7c20e4b19a3f5d68/s.murphy")

    crews = [f"{sc.rng.randint(100000, 999999)}" for _ in range(80)]

    def body(ll, t, rid, is_err, cold):
        c = pick(sc, crews)
        lines = [(0.002, ll.fmt(t, rid, "INFO", f"GET /pairings?crewId={c}&from=2026-03-20&days=7"))]
        if sc.rng.random() < 0.05:
            lines.append((0.09, ll.fmt(t, rid, "WARN", "MySqlConnector.MySqlException (0x80004005): Deadlock found when "
                                                     "trying to get lock; try restarting transaction (attempt 1/3, retrying)")))
        if is_err and t < -2000:  # the odd deadlock that survives all three attempts, all day long
            d = sc.rng.uniform(900, 1600)
            lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "ERROR", "MySqlConnector.MySqlException (0x80004005): Deadlock "
                                                                      "found when trying to get lock; try restarting transaction "
                                                                      "(attempt 3/3, giving up)")))
            lines.append((d / 1000 + 0.001, jline({"errorType": "MySqlException", "errorMessage": "Deadlock found when trying "
                                                   "to get lock; try restarting transaction", "stackTrace": [
                                                       "at CrewOps.Pairing.PairingRepository.LoadAsync(String crewId)"]})))
            return {"lines": lines, "dur": d}
        if is_err:
            d = sc.rng.uniform(30, 140)
            msg = "MySqlConnector.MySqlException (0x80004005): Too many connections"
            lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "ERROR", f"{msg}\n   at MySqlConnector.Core.ServerSession."
                                                                      "ConnectAsync(ConnectionSettings cs, MySqlConnection connection)\n"
                                                                      "   at MySqlConnector.MySqlConnection.OpenAsync(IOBehavior ioBehavior)\n"
                                                                      "   at CrewOps.Pairing.PairingRepository.LoadAsync(String crewId) in "
                                                                      "/src/Pairing/PairingRepository.cs:line 37")))
            lines.append((d / 1000 + 0.001, jline({"errorType": "MySqlException", "errorMessage": "Too many connections",
                                                   "stackTrace": ["at MySqlConnector.Core.ServerSession.ConnectAsync(...)",
                                                                  "at CrewOps.Pairing.PairingRepository.LoadAsync(String crewId)"]})))
            return {"lines": lines, "dur": d}
        d = m["dur"].get(int(t // 60 * 60), 310) * sc.rng.uniform(0.6, 1.4)
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO", f"Returned {sc.rng.randint(3, 11)} pairings for crew {c} "
                                                                 f"({sc.rng.randint(12, 60)} duties)")))
        return {"lines": lines, "dur": d}
    ll = LambdaLogs(sc, fn, "dotnet8", 1024, 30, mem_used=(188, 12))
    inv_l, err_l = sampled(m, -16200, 4)
    ll.run(inv_l, err_l, body)

    wg = f"/ecs/{wk}"
    starts = [(-HISTORY, k) for k in range(4)] + [(s, k) for s in (-2760, -2580, -2400, -2220, -2040) for k in range(2)]
    for st, _k in starts:
        s = f"ecs/{wk}/{task_id(sc)}"
        t0 = st + (35 if st > -HISTORY else 0)
        if st > -HISTORY:
            sc.log(wg, s, st + 18, spring(sc, st + 18, "INFO", "main", "c.c.reassign.ReassignWorkerApp",
                                          "Started ReassignWorkerApp in 14.2 seconds (process running for 15.0)", wk))
        limit_hit = st >= -2040
        if limit_hit:
            sc.log(wg, s, st + 20, spring(sc, st + 20, "ERROR", "main", "com.zaxxer.hikari.pool.HikariPool",
                                          "HikariPool-1 - Exception during pool initialization.\njava.sql."
                                          "SQLNonTransientConnectionException: Too many connections", wk))
        scatter(sc, wg, s, lambda t: 2.0, lambda t: spring(
            sc, t, "INFO", f"sqs-listener-{sc.rng.randint(1, 8)}", "c.c.reassign.DisruptionHandler",
            f"Reassigned crew for {flight(sc, ('EI', 'EI', 'BA'))} after {pick(sc, ['cancellation', 'diversion', 'delay > 3h'])}; "
            f"{sc.rng.randint(2, 6)} duties updated", wk), t0, 0)
        scatter(sc, wg, s, lambda t: 0.9 * full(t), lambda t: spring(
            sc, t, "WARN", f"sqs-listener-{sc.rng.randint(1, 8)}", "com.zaxxer.hikari.pool.PoolBase",
            "HikariPool-1 - Failed to create connection: java.sql.SQLNonTransientConnectionException: Too many connections", wk),
            max(t0, -2000), 0)
    eg, es = f"/aws/rds/instance/{db}/error", db
    scatter(sc, eg, es, lambda t: 0.25 + 2.5 * full(t), lambda t: mysql(
        sc, t, sc.rng.randint(90000, 99000), "Note", "MY-010914",
        f"Aborted connection {sc.rng.randint(900000, 999999)} to db: 'crew' user: "
        f"'{pick(sc, ['pairing_api', 'reassign_svc'])}' host: '10.60.{sc.rng.randint(1, 6)}.{sc.rng.randint(10, 240)}' "
        f"(Got an error reading communication packets)."))
    every(sc, eg, es, 3600, lambda t: mysql(sc, t, 0, "Note", "MY-013211", "Plugin mysqlx reported: 'IO: Sessions: 0'", "Server"))

    sc.alarm("crew-pairing-query-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "Crew pairing API failing")
    sc.alarm("crewdb-main-connections", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db}, "Maximum",
             60, 5, 390, "GreaterThanThreshold")
    sc.expect = {"alarm": "crew-pairing-query-errors",
                 "root_cause": {"category": "db_connection_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": {"DBInstanceIdentifier": db}}]}
    sc.note(alarm_on="caller (the Lambda) - origin is the MySQL instance",
            decoys="ModifyDBInstance on a different MySQL instance 10 s before the limit; autoscaling UpdateService "
                   "events on the worker; an old memory change on the function; long-standing deadlock WARNs and the odd "
                   "deadlock that fails an invocation",
            story="Storm disruptions make the crew-ops reassign-worker scale out from 4 to 14 tasks between -2760 "
                  "and -2040 s, each opening a 25-connection Hikari pool. DatabaseConnections on crewdb-main climbs "
                  "to its max_connections of 420 and stays pinned; from about -2000 s the pairing Lambda and new worker "
                  "tasks fail with `Too many connections`. The ModifyDBInstance is on loyalty-mysql-02, which is idle.",
            judgement="The scale-out supplies the connections, but the fault the category names is the exhausted "
                      "database; only the database is accepted, as in the public example.")
    return sc


# =========================================================================== h96-06
def build_06() -> Scenario:
    sc = Scenario(6, "mobile-boarding-pass", "Mobile boarding pass downloads slow at the gate; "
                  "mbp-edge latency alarm.", "us-east-1", 9606, "2026-03-22T13:30:00")
    lb = "app/mbp-edge/0d6b2e91c4f7a358"
    ids = {"mbp-web-1": "i-0f3a6c1e9b2d47085", "mbp-web-2": "i-0b7c2e5d8a1f39464", "mbp-web-3": "i-0e2d9a4b7c1f68523"}
    hot = "mbp-web-2"
    sc.resource("alb", lb, name="mbp-edge", target_groups=["mbp-web-tg"])
    for n, iid in ids.items():
        sc.resource("ec2", iid, name=n, instance_type="c6i.xlarge", autoscaling_group="mbp-web-asg",
                    log_groups=["/mbp/app", "/mbp/access"])
    onset = -1860
    slow = lambda t: ramp(t, onset, onset + 240)  # noqa: E731
    req = lambda t: 1500 * diurnal(sc, t, 14.0, 0.2)  # noqa: E731
    alb_metrics(sc, lb, req, lambda t: 0.11 + 1.35 * slow(t), t5=lambda t: 0.4 + 0.012 * req(t) * slow(t),
                e5=lambda t: 0.1 + 4 * slow(t), healthy=lambda t: 3.0, t4=lambda t: 0.02 * req(t))
    for n, iid in ids.items():
        if n == hot:
            ec2_metrics(sc, iid, lambda t: 29 * diurnal(sc, t, 14.0, 0.2) + 71 * slow(t), mem=lambda t: 57 + 4 * slow(t),
                        net=lambda t: 2.9e6)
        elif n == "mbp-web-3":
            ec2_metrics(sc, iid, lambda t: 28 * diurnal(sc, t, 14.0, 0.2) + bump(t, -9300, -8700, 55, 90),
                        mem=lambda t: 55.0, net=lambda t: 2.9e6)
        else:
            ec2_metrics(sc, iid, lambda t: 28 * diurnal(sc, t, 14.0, 0.2), mem=lambda t: 56.0, net=lambda t: 2.9e6)

    sc.change(-30, "ec2.amazonaws.com", "CreateLaunchTemplateVersion", "AWS::EC2::LaunchTemplate", "mbp-web-lt",
              "t.alvarez")
    sc.change(-1795, "ec2.amazonaws.com", "CreateLaunchTemplateVersion", "AWS::EC2::LaunchTemplate", "mbp-web-lt",
              "packer-ami-pipeline")
    sc.change(-1790, "ec2.amazonaws.com", "ModifyLaunchTemplate", "AWS::EC2::LaunchTemplate", "mbp-web-lt",
              "packer-ami-pipeline")
    sc.change(-9400, "ssm.amazonaws.com", "SendCommand", "AWS::SSM::Document", "AWS-RunShellScript (logrotate)",
              "ops-automation")

    app = "mbp"
    for n, iid in ids.items():
        is_hot = n == hot

        def acc(t, _h=is_hot):
            s_ = slow(t) if _h else 0.0
            ms = int(sc.rng.uniform(1800, 9000) * s_ + sc.rng.uniform(35, 180))
            st = 504 if _h and s_ > 0.5 and sc.rng.random() < 0.04 else 200
            path = pick(sc, [f"/v2/passes/{pnr(sc)}/pkpass", f"/v2/passes/{pnr(sc)}/gpay", "/v2/passes/status"])
            return tomcat_access(sc, t, f"10.12.{sc.rng.randint(0, 3)}.{sc.rng.randint(10, 250)}", "GET", path, st,
                                 sc.rng.randint(8000, 42000) if st == 200 else 0, ms)
        scatter(sc, "/mbp/access", iid, lambda t: 3.0, acc)
        scatter(sc, "/mbp/app", iid, lambda t: 0.5, lambda t: spring(
            sc, t, "WARN", f"push-{sc.rng.randint(1, 4)}", "c.a.mbp.passkit.PushService",
            f"APNs PassKit push for pass {pnr(sc)}: 410 Unregistered device token; removing registration", app))
        every(sc, "/mbp/app", iid, 300, lambda t, _h=is_hot: spring(
            sc, t, "INFO", "stats-1", "c.a.mbp.ops.PoolStats",
            f"render-pool active={(14 + sc.rng.randint(0, 2)) if _h and slow(t) > 0.5 else sc.rng.randint(1, 5)}/16 "
            f"queued={sc.rng.randint(150, 240) if _h and slow(t) > 0.5 else 0}", app))
        if n == "mbp-web-3":
            sc.log("/mbp/app", iid, -9330, spring(sc, -9330, "INFO", "main", "c.a.mbp.ops.Housekeeping",
                                                  "logrotate run requested via SSM; compressing 6 archives", app))
    iid = ids[hot]
    sc.log("/mbp/app", iid, onset - 2, spring(sc, onset - 2, "INFO", "quartz-worker-3", "c.a.mbp.fares.FareRulesCacheJob",
                                              "Job fareRulesCacheRebuild fired (trigger DAILY_1300, misfire policy FIRE_NOW); "
                                              "rebuilding on 16 threads", app))
    done = [0]

    def prog(t):
        done[0] += sc.rng.randint(900, 1400)
        return spring(sc, t, "INFO", f"fare-rebuild-{sc.rng.randint(1, 16)}", "c.a.mbp.fares.FareRulesCacheJob",
                      f"fareRulesCacheRebuild progress {done[0]}/228114 rules ({100 * done[0] / 228114:.1f}%), "
                      f"elapsed {int(t - onset)} s", app)
    every(sc, "/mbp/app", iid, 60, prog, onset + 30, 0)
    scatter(sc, "/mbp/app", iid, lambda t: 1.2 * slow(t), lambda t: spring(
        sc, t, "WARN", f"http-nio-8443-exec-{sc.rng.randint(1, 200)}", "c.a.mbp.web.RenderController",
        f"Pass render for {pnr(sc)} took {sc.rng.uniform(2.1, 9.5):.1f} s (budget 1.5 s); queue wait "
        f"{sc.rng.uniform(1.5, 8):.1f} s", app), onset, 0)

    sc.alarm("mbp-edge-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 5,
             0.6, "GreaterThanThreshold", "Mobile boarding pass edge: slow target responses")
    sc.alarm("mbp-web-3-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": ids["mbp-web-3"]}, "Average", 300, 1, 70,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "mbp-edge-latency",
                 "root_cause": {"category": "cpu_saturation", "resource": [ids[hot], hot]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": ids[hot]}}]}
    sc.note(alarm_on="front (ALB) - origin is one of its three targets",
            decoys="launch-template versions from the AMI pipeline 1 min after onset and one just now; earlier "
                   "logrotate CPU spike + alarm on mbp-web-3; steady APNs 410 WARNs; request volume flat",
            story="At -1860 s a Quartz misfire runs the daily fare-rules cache rebuild on 16 threads on mbp-web-2 "
                  "only. Its CPU goes from ~30 % to ~100 % and stays there; its render pool fills, pass renders take "
                  "2-9 s and the ALB's average target response time climbs from 0.11 s to ~1.4 s. Request count is "
                  "flat, the other two targets are idle-ish, and launch-template versions do not touch running instances.")
    return sc


BUILDERS = [build_05, build_06]
