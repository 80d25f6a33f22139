"""h18-14: members ALB 5xx; the loyalty API's Lambda got a mistyped database host in a configuration update."""
from __future__ import annotations

import json

import numpy as np

from .common import N, T, Scn
from .logfmt import LambdaLog, TaskLog, pg, pg_background, poisson_times, py_frames
from . import svc

LB = "app/members-alb/3a7c5e9b1d4f6082"
API_ID = "q1w2e3r4t5"
GOOD = "loyalty-ledger.cx8k2mq9e1ab.eu-west-1.rds.amazonaws.com"
BAD = "loyalty-ledger.cx8k2mq9e1ab.eu-west-1.rds.amazonaws.co"


def build():
    s = Scn("h18-14-members-5xx-loyalty-settings", 1814, "eu-west-1", "2026-03-26T11:30:00", 0.0)
    s.res("alb", LB, name="members-alb", scheme="internet-facing", target_groups=["members-web-tg"])
    s.res("ecs", "members/members-web", desired_count=3, launch_type="FARGATE", awslogs_groups=["/ecs/members-web"],
          environment={"LOYALTY_API": f"https://{API_ID}.execute-api.eu-west-1.amazonaws.com/prod"})
    s.res("ecs", "members/points-expiry", desired_count=1, launch_type="FARGATE",
          awslogs_groups=["/ecs/points-expiry"], environment={"PGHOST": GOOD})
    s.res("apigateway", "loyalty-api", api_id=API_ID, stage="prod", endpoint_type="REGIONAL")
    s.res("lambda", "loyalty-points", runtime="python3.12", timeout=10, memory_size=512,
          environment={"LEDGER_DB_HOST": BAD, "LEDGER_DB_NAME": "ledger", "LEDGER_DB_USER": "points_svc",
                       "POINTS_MULTIPLIER": "1.5", "PROMO_CAMPAIGN": "spring-double-points"})
    s.res("rds", "loyalty-ledger", engine="postgres", engine_version="15.5", instance_class="db.t4g.large",
          allocated_storage_gb=100, max_connections=400, endpoint=GOOD)

    chg = -1520.0
    shape = s.diurnal(peak=13.0, depth=0.6)
    req = s.pois(820 * shape * (1 + s.ar(0.04)))
    calls = s.pois(req * 0.024)
    bad = T >= chg + 6
    err = np.where(bad, calls, 0) + np.where(bad, 0, s.pois(np.full(N, 0.01)))
    dur = np.where(bad, s.gauge(np.full(N, 31.0), 4, lo=8), s.gauge(np.full(N, 145.0), 10, lo=40))
    svc.lam(s, "loyalty-points", calls, err, dur)
    e5 = np.where(bad, calls, 0) + s.pois(np.full(N, 0.02))
    svc.apigw(s, "loyalty-api", calls, e4=s.pois(calls * 0.01), e5=e5, lat=dur + s.gauge(np.full(N, 20.0), 2))
    t5 = np.where(bad, calls, 0) + s.pois(np.full(N, 0.1))
    warm = s.win(-6100, -5700, rise=60, fall=180)
    svc.alb(s, LB, req, s.gauge(0.11 + 0.02 * shape, 0.007, lo=0.03) + 0.25 * warm, t5=t5,
            t4=s.pois(req * 0.018), healthy=np.full(N, 3.0))
    svc.ecs(s, "members", "members-web", s.gauge(18 * shape + 5, 1.4, lo=2) + 50 * warm, s.gauge(np.full(N, 46.0), 0.5))
    svc.ecs(s, "members", "points-expiry", s.gauge(np.full(N, 8.0), 1.0, lo=1), s.gauge(np.full(N, 27.0), 0.3))
    lam_conns = np.where(bad, np.maximum(14 * np.exp(-(T - chg) / 420), 0), 14 + 4 * shape)
    svc.rds(s, "loyalty-ledger", s.gauge(8 + 10 * shape, 1.2, lo=2) - 4 * bad, s.gauge(lam_conns + 9, 1.2, lo=6),
            s.gauge(np.full(N, 71.0), 0.02), 3.1, load=shape * (1 - 0.6 * bad))

    # ---- loyalty-points --------------------------------------------------------------
    ll = LambdaLog(s, "loyalty-points", "python3.12", 512, mem_used=(72, 94))
    frames = py_frames([("/var/task/points/handler.py", 23, "lambda_handler", "conn = ledger.connect()"),
                        ("/var/task/points/ledger.py", 15, "connect",
                         "return psycopg2.connect(host=os.environ[\"LEDGER_DB_HOST\"], dbname=DB, user=USER, "
                         "password=_secret(), connect_timeout=3)"),
                        ("/var/task/psycopg2/__init__.py", 122, "connect",
                         "conn = _connect(dsn, connection_factory=connection_factory, **kwasync)")])

    def ok(t, rid):
        m = f"M{int(s.rng.integers(10 ** 6, 10 ** 7))}"
        return [(0.09, ll.line(t, rid, "INFO", f"balance member={m} points={int(s.rng.integers(0, 48000))} "
                                               f"tier={s.pick(['silver', 'gold', 'blue', 'blue'])}"))]

    def fail(t, rid, k):
        return ([(0.02, ll.unhandled(t, rid, "OperationalError",
                                     f'could not translate host name "{BAD}" to address: Name or service not known\n',
                                     frames))], None, None)
    ll.minutes(-6000, calls, np.zeros(N), dur, ok, fail, t_to=chg + 6)
    ll.set_version("$LATEST")
    ll.minutes(chg + 6, calls, err, dur, ok, fail)
    ll.flush()

    # ---- members-web (Node, pino) ----------------------------------------------------
    def pino(t, level, msg, **kw):
        return json.dumps({"level": level, "time": int(s.at(t).timestamp() * 1000), "pid": 1,
                           "hostname": "ip-10-90-%d-%d" % (int(s.rng.integers(1, 20)), int(s.rng.integers(2, 250))),
                           "msg": msg, **kw}, separators=(",", ":"))
    ml = TaskLog(s, "/ecs/members-web", "members-web", "members-web", 3)
    for t in np.arange(-21600, 0, 60.0):
        i = int((t + 21600) // 60)
        for task in ml.live(t):
            tt = t + float(s.rng.uniform(0, 10))
            ml.add(tt, pino(tt, 30, "request stats", requests=int(req[i] / 3), p95Ms=int(s.rng.integers(120, 260))),
                   task)
    for t in np.arange(-6090, -5750, 40.0):
        ml.add(t, pino(t, 30, "warming offer cache", offers=int(s.rng.integers(1200, 1900)), region="uk"))
    for t in poisson_times(s, 0.6):
        ml.add(t, pino(t, 40, "session expired, redirecting to login", path="/account"))
    for i in np.nonzero(bad & (calls > 0))[0]:
        for _ in range(int(calls[i])):
            t = T[i] + float(s.rng.uniform(0.1, 60))
            ml.add(t, pino(t, 50, "loyalty api call failed", status=502, path="/api/dashboard",
                           upstream=f"https://{API_ID}.execute-api.eu-west-1.amazonaws.com/prod/points",
                           body='{"message": "Internal server error"}'))
    ml.flush()

    pl = TaskLog(s, "/ecs/points-expiry", "points-expiry", "points-expiry", 1)
    for t in np.arange(-21600 + 90, 0, 300.0):
        pl.add(t, json.dumps({"time": s.iso(t), "level": "INFO", "msg": "expiry batch done",
                              "expired_accounts": int(s.rng.integers(0, 30)), "db": GOOD}))
    for t in poisson_times(s, 0.05):
        pl.add(t, json.dumps({"time": s.iso(t), "level": "WARN", "msg": "member record locked, will retry next batch",
                              "member": f"M{int(s.rng.integers(10 ** 6, 10 ** 7))}"}))
    pl.flush()

    db = pg_background(s, t_from=-10800, tables=("points_ledger", "members", "redemptions"), dbname="ledger")
    for t in poisson_times(s, 0.06, -10800):
        db.append((t, pg(s, t, "LOG", "could not receive data from client: Connection reset by peer",
                         f"{s.ip('10.90')}({int(s.rng.integers(32768, 60999))})", "points_svc", "ledger")))
    s.stream("/aws/rds/instance/loyalty-ledger/postgresql", "loyalty-ledger.0", db)

    s.change(-9020, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "members/members-web", "gitlab-members")
    s.change(-9040, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "members-web:77",
             "gitlab-members")
    s.change(-4300, "secretsmanager.amazonaws.com", "RotateSecret", "AWS::SecretsManager::Secret",
             "members/session-signing-key", "secrets-rotation")
    s.change(chg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "loyalty-points", "p.haddad")
    first = float(T[int(np.argmax(bad & (calls > 0)))])
    s.alarm("members-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": LB}, "Sum", 60, 3,
            8, desc="Members site 5xx", after=first, before=first + 900)
    s.alarm("loyalty-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "loyalty-api"}, "Sum", 300, 1, 10,
            after=first)
    s.alarm("loyalty-ledger-connections", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": "loyalty-ledger"},
            "Maximum", 300, 1, 320, want="OK")
    doc = s.doc("Members' dashboard shows an error page; members ALB 5xx alarm.",
                "members-alb-5xx", "config_change", ["loyalty-points"],
                [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "loyalty-points"}}])
    meta = {"alarm_on": "front (members ALB -> members-web -> loyalty API -> Lambda; origin two hops away)",
            "decoys": "members-web deploy 2.1 h earlier; offer-cache warm-up CPU spike 1.3 h earlier; secret "
                      "rotation 46 min earlier; session-expired warnings",
            "story": (
                "p.haddad updates loyalty-points' configuration (UpdateFunctionConfiguration); LEDGER_DB_HOST now ends "
                "in `.rds.amazonaws.co`. Every invocation after it fails with `could not translate host name "
                "\"loyalty-ledger....amazonaws.co\" to address: Name or service not known`; API Gateway returns 502, "
                "members-web logs 'loyalty api call failed' and the dashboard 5xx trips the ALB alarm. The ledger "
                "database is healthy: points-expiry keeps writing to the correct host and DB connections fall "
                "rather than rise. Deciding evidence: the configuration change seconds before the first error, the "
                "error naming a setting's value (mistyped host), visible in the function's environment.")}
    return doc, meta
