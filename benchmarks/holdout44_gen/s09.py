"""h44-09: members API 502s; Lambda-held idle MySQL connections pile up until max_connections is hit."""
from __future__ import annotations

from .common import TIMES, Rng, Scenario, diurnal, iso_us, ramp
from .kit import apigw_metrics, py_info, py_unhandled, rds_set, sim_lambda

REGION = "ap-northeast-1"
T0 = -1900
MAXC = 300
PYMYSQL = [("/var/task/pymysql/connections.py", 361, "__init__", "self.connect()"),
           ("/var/task/pymysql/connections.py", 669, "connect", "self._get_server_information()"),
           ("/var/task/pymysql/connections.py", 1066, "_get_server_information", "packet = self._read_packet()"),
           ("/var/task/pymysql/connections.py", 775, "_read_packet", "packet.raise_for_error()"),
           ("/var/task/pymysql/protocol.py", 219, "raise_for_error", "err.raise_mysql_exception(self._data)"),
           ("/var/task/pymysql/err.py", 150, "raise_mysql_exception", "raise errorclass(errno, errval)")]


def build() -> dict:
    rng = Rng(4409)
    sc = Scenario("h44-09-members-api-mysql-connections", REGION,
                  "Member profile pages failing in the app (502); members-api 5XX alarm.")
    env = {"DB_HOST": "members-db.cx3k9p1v7qzt.ap-northeast-1.rds.amazonaws.com", "DB_NAME": "members",
           "DB_USER": "members_app", "DB_SECRET_ID": "prod/members/db", "DB_CONNECTION_MODE": "global connection per execution environment"}
    vpc = {"vpc_id": "vpc-0a7c9e1b3d5f24681 (members-prod)", "subnet_ids": ["subnet-0d4e6f8a0b2c41357", "subnet-0d4e6f8a0b2c41368"],
           "network_acl": "acl-0c2e4a6b8d0f13579 (members-private-nacl)",
           "security_group_ids": ["sg-0b3d5f7a9c1e24680 (members-lambda-sg)"]}
    sc.res("apigateway", "members-api", api_id="h4t9r2w6yn", stage="prod",
           routes={"GET /members/{id}": "lambda members-profile", "GET /members/search": "lambda members-search"})
    sc.res("lambda", "members-profile", runtime="python3.12", timeout=10, memory_size=512, environment=env, vpc_config=vpc)
    sc.res("lambda", "members-search", runtime="python3.12", timeout=10, memory_size=512, environment=env, vpc_config=vpc)
    sc.res("lambda", "points-sync", runtime="python3.12", timeout=60, memory_size=256, environment=env, vpc_config=vpc,
           triggers=["eventbridge schedule rate(1 minute), fan-out 10 partitions"])
    sc.res("rds", "members-db", engine="mysql", engine_version="8.0.35", instance_class="db.t4g.large",
           max_connections=MAXC, allocated_storage_gb=200, rds_proxy="none",
           parameters={"max_connections": str(MAXC), "wait_timeout": "28800", "skip_name_resolve": "0"},
           security_groups=["sg-0e5a7c9b1d3f24680 (members-db-sg: tcp 3306 from members-lambda-sg)"])

    conns = lambda t: min(MAXC, 121 + 179 * (t + 21600) / (T0 + 21600) + 4 * diurnal(t, 1.0, -3000))
    full = lambda t: 0.0 if t < T0 - 60 else min(1.0, 0.25 + 0.5 * ramp(t, T0, 600))
    err = lambda t: 0.42 * full(t)
    rate = lambda t: 56 * diurnal(t, 0.3, -5000)

    def mk_body(kind):
        def body(t, rid, is_err, d):
            if kind == "profile":
                lines = [(0.003, py_info(t, rid, f"GET /members/{{id}} member_id=M{rng.randint(10**7, 10**8)}"))]
            else:
                lines = [(0.003, py_info(t, rid, f"GET /members/search q_len={rng.randint(2, 14)} page=1"))]
            if is_err:
                lines.append((d / 1000 - 0.004, py_unhandled("OperationalError", "(1040, 'Too many connections')",
                              [("/var/task/app.py", 27, "handler", "conn = db.get_conn()"),
                               ("/var/task/members/db.py", 19, "get_conn",
                                "_conn = pymysql.connect(host=DB_HOST, user=DB_USER, password=_secret(), database=DB_NAME, connect_timeout=3)")] + PYMYSQL)))
            elif kind == "profile":
                lines.append((d / 1000 - 0.004, py_info(t, rid, f"200 tier={rng.choice(['silver', 'gold', 'bronze', 'platinum'])} "
                                                        f"points={rng.randint(0, 90000)} db_ms={rng.randint(3, 11)}")))
            else:
                lines.append((d / 1000 - 0.004, py_info(t, rid, f"200 hits={rng.randint(0, 40)} db_ms={rng.randint(8, 30)}")))
            return lines, None
        return body
    pr = sim_lambda(sc, rng, "members-profile", rate=rate, err=err, dur=lambda t, e: rng.gauss(35, 8) if e else rng.gauss(48, 10), body=mk_body("profile"), mem_used=(88, 97),
                    log_from=-2400, streams=3)
    se = sim_lambda(sc, rng, "members-search", rate=lambda t: rate(t) * 0.43, err=err,
                    dur=lambda t, e: rng.gauss(35, 8) if e else rng.gauss(95, 20), body=mk_body("search"),
                    mem_used=(90, 99), log_from=-2400, streams=2)

    def ps_body(t, rid, is_err, d):
        p = rng.randint(0, 9)
        if is_err:
            return [(d / 1000 - 0.004, py_unhandled("OperationalError", "(1040, 'Too many connections')",
                     [("/var/task/sync.py", 22, "handler", "with db.connection() as conn:"),
                      ("/var/task/members/db.py", 19, "get_conn", "_conn = pymysql.connect(host=DB_HOST, user=DB_USER, password=_secret(), database=DB_NAME, connect_timeout=3)")] + PYMYSQL))], None
        return [(0.004, py_info(t, rid, f"partition={p} synced {rng.randint(20, 300)} point ledgers"))], None
    sim_lambda(sc, rng, "points-sync", rate=lambda t: 10.0, err=lambda t: 0.3 * full(t), dur=lambda t, e: rng.gauss(40, 8) if e else rng.gauss(1400, 300),
               body=ps_body, memory=256, mem_used=(80, 92), log_from=-2400, streams=2)

    cnt, e4, e5, lat, ilat = {}, {}, {}, {}, {}
    for t in TIMES:
        n = pr["inv"][t] + se["inv"][t]
        cnt[t] = n + rng.poisson(0.8)
        e5[t] = pr["err"][t] + se["err"][t]
        e4[t] = rng.poisson(n * 0.02)
        durs = [pr["dur"].get(t), se["dur"].get(t)]
        durs = [d for d in durs if d]
        if durs:
            ilat[t] = sum(durs) / len(durs) + rng.uniform(6, 12)
            lat[t] = ilat[t] + rng.uniform(3, 6)
    apigw_metrics(sc, "members-api", cnt, e4, e5, lat, ilat)
    rds_set(sc, rng, "members-db", cpu=lambda t: 21 * diurnal(t, 0.2, -5000), conns=conns, free_gb=lambda t: 131.7,
            freeable_gb=lambda t: 2.9 - 0.0035 * conns(t), extra={"SwapUsage": ("Bytes", lambda t: 2.1e7, {"rel": 0.02})})
    # clamp the connection series to the hard limit
    for m in sc.d["metrics"]:
        if m["name"] == "DatabaseConnections":
            m["points"] = [[t, float(min(MAXC, v))] for t, v in m["points"]]

    err_log = []
    for mnt in range(-10800, 0, 60):
        if rng.random() < 0.55:
            tt = mnt + rng.uniform(0, 59)
            err_log.append((tt, f"{iso_us(tt)} {rng.randint(180000, 260000)} [Warning] [MY-010055] [Server] IP address "
                                f"'10.80.{rng.choice([33, 34])}.{rng.randint(5, 250)}' could not be resolved: Name or service not known"))
        if rng.random() < 0.25:
            tt = mnt + rng.uniform(0, 59)
            err_log.append((tt, f"{iso_us(tt)} {rng.randint(100000, 180000)} [Note] [MY-010914] [Server] Aborted connection "
                                f"{rng.randint(100000, 180000)} to db: 'members' user: 'members_app' host: "
                                f"'10.80.{rng.choice([33, 34])}.{rng.randint(5, 250)}' (Got timeout reading communication packets)."))
    sc.log("/aws/rds/instance/members-db/error", "members-db", err_log)

    sc.change(-14000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "members-search", "github-actions")
    sc.change(-2400, "ec2.amazonaws.com", "ReplaceNetworkAclEntry", "AWS::EC2::NetworkAcl", "acl-07b9d1f3a5c7e9024", "netops-terraform")
    sc.alarm("members-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "members-api"}, "Sum", 60, 3, 8,
             "GreaterThanThreshold", "ALARM", T0 + 240, description="members-api 5XX (membership on-call)")
    sc.alarm("members-db-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "members-db"}, "Average", 300, 3, 80,
             "GreaterThanThreshold", "OK", -200000)
    sc.expect("members-api-5xx", "db_connection_exhaustion", ["members-db"],
              [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": {"DBInstanceIdentifier": "members-db"}},
               {"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": "members-api"}}])
    return sc.done()
