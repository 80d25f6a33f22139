"""h52-09: the self-managed Redis host behind member-profile fails its system status check."""
from __future__ import annotations

from .common import Scenario, apigw_pack, ec2_pack, ecs_pack, lambda_pack, rds_pack
from .logfmt import LambdaSim, starts_from

CACHE, BASTION = "i-0f2e4d6c8a0b13579", "i-03a1b5c7d9e2f4680"
T_NL, T_API, T_MP, T_DB, T_RB = -4800, -3000, -2400, -2000, -1100
FAIL = -1700
REDIS_IP = "10.40.12.31"


def build():
    s = Scenario(9, "session-cache-host-failure", "ap-southeast-2", "2026-10-05T06:20:00",
                 "Members app: profile and session calls failing or very slow; the members-api 5XX alarm fired.")
    s.resource("apigateway", "members-api", api_id="w8x2p4r6tn", stage="v1", integration="lambda-proxy:member-profile")
    s.resource("lambda", "member-profile", runtime="python3.11", timeout=10, memory_size=512, vpc=True,
               environment_keys=["REDIS_HOST", "REDIS_PORT", "DB_SECRET_ARN"], redis_host=f"{REDIS_IP}:6379")
    s.resource("lambda", "member-authorizer", runtime="python3.11", timeout=5, memory_size=256)
    s.resource("ec2", CACHE, name="session-cache-1", instance_type="r6i.large", private_ip=REDIS_IP,
               role="Redis 7.2 (self-managed, single node)", auto_recovery=False,
               log_groups=["/ec2/session-cache/redis", "/ec2/session-cache/syslog"])
    s.resource("ec2", BASTION, name="bastion-1", instance_type="t3.micro")
    s.resource("rds", "members-db", engine="postgres", engine_version="16.3", instance_class="db.m6g.large",
               max_connections=800, allocated_storage_gb=200)
    s.resource("ecs", "members/newsletter-worker", launch_type="FARGATE", desired_count=2)

    api_c = s.series(lambda t: s.count(1180 * s.diurnal(t, 9, 0.3)))
    redis_share = 0.86
    e5 = {t: (s.count(api_c[t] * redis_share * 0.985) if t >= FAIL + 20 else (1.0 if s.rng.random() < 0.1 else 0.0))
          for t in api_c}
    mp_dur = {t: (2080 + s.noise(40)) * (e5[t] / api_c[t]) + (38 + s.noise(4)) * (1 - e5[t] / api_c[t]) for t in api_c}
    apigw_pack(s, "members-api", api_c, {t: s.count(api_c[t] * 0.015) for t in api_c}, e5,
               {t: mp_dur[t] + 24 + s.noise(3) for t in api_c}, {t: mp_dur[t] + 9 + s.noise(2) for t in api_c})
    lambda_pack(s, "member-profile", api_c, {t: e5[t] - (1.0 if t < FAIL and e5[t] else 0.0) for t in api_c}, mp_dur)
    lambda_pack(s, "member-authorizer", {t: s.count(api_c[t] * 0.3) for t in api_c}, {t: 0.0 for t in api_c},
                s.series(lambda t: 6.1 + s.noise(0.8)))
    ec2_pack(s, CACHE, s.series(lambda t: None if t >= FAIL else 11 + 5 * s.diurnal(t, 9, 0.3) + s.noise(1.2)),
             s.series(lambda t: None if t >= FAIL else 2.6e7 * s.diurnal(t, 9, 0.3) + s.noise(1e6)),
             s.series(lambda t: 1.0 if t >= FAIL + 40 else 0.0),
             status_system=s.series(lambda t: 1.0 if t >= FAIL + 40 else 0.0),
             mem=s.series(lambda t: None if t >= FAIL else 57.5 + (t + 21600) * 2e-5 + s.noise(0.2)))
    ec2_pack(s, BASTION, s.series(lambda t: 1.2 + abs(s.noise(0.6))), s.series(lambda t: 4e4 + s.noise(5e3)),
             s.series(lambda t: 0.0), status_system=s.series(lambda t: 0.0))
    rds_pack(s, "members-db", s.series(lambda t: 19 + s.noise(2)), s.series(lambda t: 58 + s.noise(3)),
             s.series(lambda t: 120.4e9 + s.noise(3e7)), s.series(lambda t: 4.4e9 + s.noise(6e7)),
             s.series(lambda t: 0.0008 + abs(s.noise(0.0002))))
    ecs_pack(s, "members", "newsletter-worker", s.series(lambda t: 14 + s.noise(2) + (20 if T_NL <= t < T_NL + 300 else 0)),
             s.series(lambda t: 36 + s.noise(1)))

    # ---- member-profile logs
    def handler(version):
        def h(t, rid):
            mid = f"m_{s.rng.randint(10**6, 10**7)}"
            route = s.rng.choice(["GET /v1/profile", "GET /v1/session", "PUT /v1/profile", "GET /v1/points"]
                                 + (["GET /v1/preferences"] if version == "4.2.0" else []))
            needs = s.rng.random() < redis_share
            if t >= FAIL and needs:
                return {"lines": [(0.001, "INFO", f"{route} member={mid}"),
                                  (2.05, "ERROR", f"cache unavailable host={REDIS_IP}:6379: Timeout connecting to server")],
                        "dur": 2080 + s.noise(30), "mem": 97, "error": ("TimeoutError", "Timeout connecting to server", [
                            '  File "/var/task/app.py", line 44, in handler', "    session = SESSIONS.get(token)",
                            '  File "/var/task/members/sessions.py", line 29, in get', '    raw = self.r.get(f"sess:{token}")',
                            '  File "/opt/python/redis/commands/core.py", line 1829, in get',
                            '    return self.execute_command("GET", name)',
                            '  File "/opt/python/redis/client.py", line 559, in execute_command',
                            "    conn = self.connection or pool.get_connection(command_name, **options)",
                            '  File "/opt/python/redis/connection.py", line 711, in connect',
                            '    raise TimeoutError("Timeout connecting to server")'])}
            lines = [(0.001, "INFO", f"{route} member={mid}")]
            if needs:
                lines.append((0.004, "INFO", f"session cache {'hit' if s.rng.random() < 0.93 else 'miss -> members-db'} "
                              f"member={mid}"))
            if s.rng.random() < 0.06:
                lines.append((0.01, "WARNING", f"member {mid} has legacy points ledger; skipping tier recompute"))
            return {"lines": lines + [(0.03, "INFO", f"{route} 200")], "dur": 38 + s.noise(6), "mem": 104}
        return h

    st = starts_from(s, api_c, 0.012)
    for version, a, b in (("4.1.3", -10800, T_MP + 10), ("4.2.0", T_MP + 10, 0)):
        sim = LambdaSim(s, "member-profile", "python3.11", 512, 10)
        sim.run([x for x in st if a <= x < b], handler(version), envs=2,
                init_lines=lambda t, v=version: [(0.3, "INFO", f"member-profile {v} init redis={REDIS_IP}:6379 "
                                                               "db=members-db pool=4")])

    # ---- API Gateway execution log (ERROR level)
    ev = []
    for t, c in api_c.items():
        if t < FAIL:
            continue
        for _ in range(int(c * 0.02)):
            tt = t + s.rng.uniform(0, 59)
            r = s.uuid()
            ev.append((tt, f"({r}) Lambda execution failed with status 200 due to customer function error: Timeout "
                           f"connecting to server. Lambda request id: {s.uuid()}"))
            ev.append((tt + 0.001, f"({r}) Method completed with status: 502"))
    s.log("API-Gateway-Execution-Logs_w8x2p4r6tn/v1", "w8x2p4r6tn-v1", ev)

    # ---- cache host logs: redis + syslog stop when the host drops off
    rl, sl = [], []
    pid = 1
    for t in range(-10800, FAIL, 60):
        if t % 300 == 0:
            child = s.rng.randint(40000, 60000)
            rl += [(t + 1.1, f"{pid}:M {s.stamp(t + 1.1, '%d %b %Y %H:%M:%S.%ms')} * 10000 changes in 60 seconds. Saving..."),
                   (t + 1.2, f"{pid}:M {s.stamp(t + 1.2, '%d %b %Y %H:%M:%S.%ms')} * Background saving started by pid {child}"),
                   (t + 3.9, f"{child}:C {s.stamp(t + 3.9, '%d %b %Y %H:%M:%S.%ms')} * DB saved on disk"),
                   (t + 4.0, f"{child}:C {s.stamp(t + 4.0, '%d %b %Y %H:%M:%S.%ms')} * Fork CoW for RDB: current 6 MB, "
                              f"peak 6 MB, average 4 MB"),
                   (t + 4.1, f"{pid}:M {s.stamp(t + 4.1, '%d %b %Y %H:%M:%S.%ms')} * Background saving terminated with success")]
        if t % 600 == 0:
            sl.append((t + 5, f"{s.stamp(t + 5, '%b %e %H:%M:%S')} ip-10-40-12-31 systemd[1]: Started "
                              "sysstat-collect.service - system activity accounting tool."))
    sl += [(FAIL - 95, f"{s.stamp(FAIL - 95, '%b %e %H:%M:%S')} ip-10-40-12-31 kernel: [8812345.118201] ena 0000:00:05.0 "
                       "eth0: Found a Tx that wasn't completed on time, qid 2, index 311. 320000 usecs have passed since "
                       "last napi execution."),
           (FAIL - 40, f"{s.stamp(FAIL - 40, '%b %e %H:%M:%S')} ip-10-40-12-31 kernel: [8812400.522034] ena 0000:00:05.0 "
                       "eth0: Keep alive watchdog timeout.")]
    s.log("/ec2/session-cache/redis", CACHE, rl)
    s.log("/ec2/session-cache/syslog", CACHE, sl)

    # ---- changes
    s.change(T_NL, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "members/newsletter-worker", "buildkite")
    s.change(T_API, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", "members-api", "buildkite")
    s.change(T_MP, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "member-profile",
             "buildkite")
    s.change(T_DB, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "members-db", "dba-c.walsh")
    s.change(T_RB, "ec2.amazonaws.com", "RebootInstances", "AWS::EC2::Instance", CACHE, "oncall-a.nguyen")

    a = s.alarm("members-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "members-api"}, "Sum", 60, 3, 20,
                "GreaterThanThreshold", expect_state="ALARM")
    s.alarm("session-cache-1-system-status", "AWS/EC2", "StatusCheckFailed_System", {"InstanceId": CACHE}, "Maximum",
            60, 2, 1, "GreaterThanOrEqualToThreshold", expect_state="ALARM")
    s.alarm("newsletter-worker-cpu", "AWS/ECS", "CPUUtilization",
            {"ClusterName": "members", "ServiceName": "newsletter-worker"}, "Average", 300, 2, 80,
            "GreaterThanThreshold", expect_state="OK")
    res = [CACHE, "session-cache-1"]
    doc = s.render({"alarm": a["name"], "root_cause": {"category": "dependency_failure", "resource": res},
                    "anomalies": [{"namespace": "AWS/EC2", "name": "StatusCheckFailed_System",
                                   "dimensions": {"InstanceId": CACHE}},
                                  {"namespace": "AWS/ApiGateway", "name": "5XXError",
                                   "dimensions": {"ApiName": "members-api"}}]})
    meta = dict(alarm=a["name"], category="dependency_failure", resources=res,
                where="front (API Gateway; origin is an EC2 host two hops down)",
                decoys="member-profile 4.2.0 deploy 12 min before onset; members-api CreateDeployment; members-db "
                       "ModifyDBInstance; newsletter-worker deploy; on-call RebootInstances after onset (did not help); "
                       "steady 'legacy points ledger' WARNINGs",
                story="session-cache-1 is a self-managed single-node Redis on EC2 without auto-recovery. At -28 min "
                      "its syslog shows ENA Tx timeouts and a keep-alive watchdog timeout, then the host goes silent: "
                      "no Redis or syslog lines, CPU and network metrics stop, and StatusCheckFailed_System turns 1 "
                      "and stays 1 (an on-call reboot at -18 min does not clear it). From the same minute "
                      "member-profile fails every cache-backed call with redis `TimeoutError: Timeout connecting to "
                      "server` after its 2 s connect timeout; API Gateway logs 502s and its 5XX alarm fires. "
                      "member-profile 4.2.0 had served cache hits for 12 minutes before the host dropped off. "
                      "The downstream is down, not saturated: dependency_failure on session-cache-1.")
    return doc, meta
