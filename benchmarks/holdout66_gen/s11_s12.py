"""h66-11 (roster sync hits its timeout at shift change) and h66-12 (vaccination booking surge)."""
from __future__ import annotations

from .common import bump, diurnal, ramp
from .kit import M, jl, meta, minutes, new_scenario, sprinkle
from .runtimes import LambdaLogs, serilog


def build_11():
    sc = new_scenario(11, "roster-sync-shift", "Staff roster sync failing since the 07:00 shift change; "
                      "Lambda Errors alarm.", "eu-west-2", 6611, "2026-03-19T07:38:00+00:00")
    T0 = -2280  # 07:00
    fn, db, other = "roster-sync", "pg-rostering", "bed-board-api"
    sc.resource("lambda", fn, runtime="provided.al2023", timeout=120, memory_size=512,
                schedule="cron(0/15 * * * ? *)", language="go1.22")
    sc.resource("lambda", other, runtime="nodejs22.x", timeout=10, memory_size=512)
    sc.resource("rds", db, engine="postgres", instance_class="db.t4g.large", max_connections=450,
                allocated_storage_gb=100)
    runs = [t for t in minutes(-21600) if sc.at(t).minute % 15 == 0]
    wards = lambda t: 52
    days = lambda t: 14 if t >= T0 else 1 + (sc.at(t).minute == 0)
    dl = {"FunctionName": fn}
    per_ward = lambda t: 0.9 + 0.12 * days(t)  # seconds per ward
    durs = {}
    for t in runs:
        d = min(120000.0, wards(t) * per_ward(t) * 1000 * sc.rng.uniform(0.93, 1.07))
        durs[t] = round(d if d < 119000 else 120000.0 + sc.rng.uniform(1, 30), 2)
    timed_out = {t: durs[t] >= 120000 for t in runs}
    sc.metric("AWS/Lambda", "Invocations", dl, "Count", [1.0] * len(runs), times=runs)
    sc.metric("AWS/Lambda", "Errors", dl, "Count", [1.0 if timed_out[t] else 0.0 for t in runs], times=runs)
    sc.metric("AWS/Lambda", "Duration", dl, "Milliseconds", [durs[t] for t in runs], times=runs)
    sc.metric("AWS/Lambda", "Throttles", dl, "Count", [0.0] * len(runs), times=runs)
    dd = {"DBInstanceIdentifier": db}
    shift = lambda t: bump(t, -2700, -1200, 1.0, edge=300)
    M(sc, "AWS/RDS", "CPUUtilization", dd, "Percent", lambda t: 14 + 38 * shift(t), noise=0.08)
    M(sc, "AWS/RDS", "DatabaseConnections", dd, "Count", lambda t: 48 + 60 * shift(t), integer=True)
    M(sc, "AWS/RDS", "ReadLatency", dd, "Seconds", lambda t: 0.0010 + 0.0002 * shift(t), noise=0.15,
      digits=5)
    do = {"FunctionName": other}
    M(sc, "AWS/Lambda", "Invocations", do, "Count", lambda t: 40 * diurnal(sc, t, 12, 0.5) * (1 + shift(t)),
      integer=True)
    M(sc, "AWS/Lambda", "Errors", do, "Count", lambda t: 0.3, integer=True)
    ll = LambdaLogs(sc, fn, "provided.al2023", 512, 120, prewarm=-21600, life=(3000, 5400))

    def zl(s, level, msg, **kv):
        return jl({"level": level, "time": sc.iso(s, 0), "msg": msg, **kv})

    def body(ll, s, rid, is_err, cold):
        d = durs[(int(s) // 60) * 60]
        n = days(s)
        lines = [(0.002, zl(s, "info", "roster sync start", window_days=n, wards=52,
                            mode="publish" if n == 14 else ("hourly" if n == 2 else "delta")))]
        per = d / 1000 / 52
        k = 0
        for w in range(52):
            at = (w + 1) * per * sc.rng.uniform(0.97, 1.03)
            if at > 119.9:
                break
            k = w + 1
            if sc.rng.random() < 0.35 or w % 10 == 9:
                lines.append((at, zl(s + at, "info", "ward synced", ward=f"W{w + 1:02d}",
                                     shifts=sc.rng.randint(6, 24) * n, ms=int(per * 1000))))
            if w in (7, 33) and sc.rng.random() < 0.8:
                lines.append((at + 0.01, zl(s + at, "warn", "ward has no charge nurse assigned",
                                            ward=f"W{w + 1:02d}")))
        if d < 120000:
            lines.append((d / 1000 - 0.01, zl(s + d / 1000, "info", "roster sync done", wards=k,
                                              elapsed_ms=int(d))))
            return {"lines": lines, "dur": d}
        return {"lines": lines, "dur": d, "status": "timeout"}
    ll.run({t: 1 for t in runs}, {}, body)
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", dl, "Sum", 900, 1, 0, "GreaterThanThreshold",
             "Roster sync failed")
    sc.change(-12000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              fn, "gitlab-workforce")
    sc.change(T0 - 75, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              other, "gitlab-bedboard")
    sc.change(-7300, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", db,
              "aws-backup-workforce")
    sc.expect = {"alarm": f"{fn}-errors",
                 "root_cause": {"category": "function_timeout", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": dl}]}
    meta(sc, alarm_pos="origin", services=["Lambda (Go, provided.al2023)", "RDS Postgres"],
         decoys=["bed-board-api deploy 75 s before onset", "shift-change DB CPU/connection bump",
                 "code deploy 3.3 h earlier", "charge-nurse warnings every run"],
         story=(
             "`roster-sync` runs every 15 minutes and walks 52 wards in order. Delta and hourly runs take "
             "50-63 s. At 07:00 the shift-change publish run covers a 14-day "
             "window, and each ward takes ~2.6 s instead of ~1 s. The run stops logging around ward "
             "45 and ends with `Task timed out after 120.00 seconds` / `Status: timeout`. The 07:15 "
             "and 07:30 runs do the same. There is no dependency error anywhere: the DB bump at shift "
             "change is the usual morning load, with low latency. The bed-board deploy is an "
             "unrelated function."),
         judgement=("The work per run grew (publish window), but nothing failed except the clock, "
                    "so the label is function_timeout, not traffic_surge. The larger window is the "
                    "normal 07:00 publish mode, not a change."))
    return sc


def build_12():
    sc = new_scenario(12, "vaccine-booking-surge", "Vaccination booking site slow for the public; ALB "
                      "latency alarm.", "eu-central-1", 6612, "2026-03-20T08:24:00+00:00")
    T0 = -1440  # 08:00
    lb, svc, db = "app/vax-booking/e2b7c04d19af3366", "public/booking-web", "pg-booking"
    sc.resource("alb", lb, name="vax-booking", scheme="internet-facing")
    sc.resource("ecs", svc, launch_type="FARGATE", desired_count=4, cpu=1024, memory=2048,
                autoscaling="target CPU 60 %, max 12")
    sc.resource("ecs", "public/booking-admin", launch_type="FARGATE", desired_count=1)
    sc.resource("rds", db, engine="postgres", instance_class="db.r6g.xlarge", max_connections=1600,
                allocated_storage_gb=200)
    base = lambda t: diurnal(sc, t, 11, 0.6)
    surge = lambda t: 1 + 6.5 * ramp(t, T0, T0 + 300)
    tasks = lambda t: 4 + min(8, max(0, int((t - T0 - 240) / 120))) if t > T0 + 240 else 4
    lat = lambda t: 0.11 + 1.5 * ramp(t, T0, T0 + 300) * (1 - 0.35 * ramp(t, T0 + 600, T0 + 1200))
    dl = {"LoadBalancer": lb}
    M(sc, "AWS/ApplicationELB", "RequestCount", dl, "Count", lambda t: 380 * base(t) * surge(t),
      integer=True)
    M(sc, "AWS/ApplicationELB", "TargetResponseTime", dl, "Seconds", lat, noise=0.1)
    M(sc, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dl, "Count",
      lambda t: 0.4 + 35 * ramp(t, T0, T0 + 300) * (1 - 0.5 * ramp(t, T0 + 600, T0 + 1200)), integer=True)
    M(sc, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", dl, "Count",
      lambda t: 12 * bump(t, T0 + 120, T0 + 500, 1.0, edge=60), integer=True)
    M(sc, "AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", dl, "Count", lambda t: 6 * surge(t) ** 0.5,
      integer=True)
    de = {"ClusterName": "public", "ServiceName": "booking-web"}
    M(sc, "AWS/ECS", "CPUUtilization", de, "Percent",
      lambda t: min(78.0, 21 * base(t) * surge(t) * 4 / tasks(t)), noise=0.035)
    M(sc, "AWS/ECS", "MemoryUtilization", de, "Percent", lambda t: 47 + 8 * ramp(t, T0, T0 + 300),
      noise=0.02)
    M(sc, "ECS/ContainerInsights", "RunningTaskCount", de, "Count", tasks, noise=0.0, digits=0)
    dd = {"DBInstanceIdentifier": db}
    M(sc, "AWS/RDS", "CPUUtilization", dd, "Percent", lambda t: 9 + 22 * ramp(t, T0, T0 + 300) +
      30 * bump(t, -3240, -2880, 1.0, edge=60), noise=0.08)
    M(sc, "AWS/RDS", "DatabaseConnections", dd, "Count", lambda t: 60 + 14 * tasks(t), integer=True)
    # ---- app logs (.NET, Serilog request logging)
    g = "/ecs/booking-web"
    st = [f"ecs/booking-web/{sc.hexid(32)}" for _ in range(4)]
    paths = ["/book/slots?centre={}", "/book/confirm", "/book/centres", "/"]

    def req(s):
        p = sc.rng.choice(paths).format(sc.rng.randint(1, 80))
        r = lat(s) * sc.rng.uniform(0.5, 1.6) * 1000
        stream = st[sc.rng.randrange(4)]
        if sc.rng.random() < 0.09 * ramp(s, T0, T0 + 300) * (1 - 0.5 * ramp(s, T0 + 600, T0 + 1200)):
            sc.log(g, stream, s, serilog(sc, s, "ERR", "Microsoft.AspNetCore.Server.Kestrel",
                                         f"Request queue full; HTTP GET {p} responded 503 in {r:.1f} ms "
                                         "(RequestQueueLimit 500 reached, Kestrel:Limits:MaxConcurrentConnections)"))
        else:
            sc.log(g, stream, s, serilog(sc, s, "INF", "Serilog.AspNetCore.RequestLoggingMiddleware",
                                         f"HTTP GET {p} responded 200 in {r:.1f} ms"))
    sprinkle(sc, -21600, 0, lambda t: 2.2 * base(t) * surge(t) ** 0.6, req)
    sprinkle(sc, -21600, 0, lambda t: 0.4, lambda s: sc.log(g, st[sc.rng.randrange(4)], s, serilog(
        sc, s, "WRN", "Microsoft.AspNetCore.Antiforgery.DefaultAntiforgery",
        "Antiforgery token validation failed. The antiforgery token could not be decrypted.")))
    sprinkle(sc, -21600, 0, lambda t: 0.5 * base(t) * surge(t) ** 0.5, lambda s: sc.log(
        g, st[sc.rng.randrange(4)], s, serilog(sc, s, "INF", "Booking.Audit", (
            f"AUDIT booking.created centre={sc.rng.randint(1, 80)} cohort="
            f"{sc.rng.choice(['65+', 'clinical-risk', 'carer', 'hcw'])} channel=web"))))
    jg, js = "/ecs/slot-generation", f"ecs/slot-generation/{sc.hexid(32)}"
    for i, s in enumerate([-3238.0, -3100.0, -2960.0, -2884.0]):
        sc.log(jg, js, s, serilog(sc, s, "INF", "SlotGeneration.Job",
                                  ["Generating slots for 2026-03-27, 80 centres", "Generated 41200 slots",
                                   "Published availability cache", "Done in 354 s"][i]))
    sc.alarm("vax-booking-latency", "AWS/ApplicationELB", "TargetResponseTime", dl, "Average", 60, 3,
             0.8, "GreaterThanThreshold", "Booking latency above 800 ms")
    sc.change(-3250, "ecs.amazonaws.com", "RunTask", "AWS::ECS::TaskDefinition", "slot-generation:19",
              "eventbridge-ecs-scheduler")
    sc.change(T0 - 60, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "public/booking-admin",
              "azdo-deployer")
    sc.change(T0 - 55, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "booking-admin:64", "azdo-deployer")
    for k in range(8):
        sc.change(T0 + 360 + 120 * k, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc,
                  "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.expect = {"alarm": "vax-booking-latency",
                 "root_cause": {"category": "traffic_surge", "resource": [lb, "vax-booking"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": dl}]}
    meta(sc, alarm_pos="origin (ALB)", services=["ALB", "ECS Fargate (.NET 8)", "RDS Postgres"],
         decoys=["booking-admin deploy 60 s before onset", "07:30 slot generation job DB spike",
                 "autoscaling UpdateService calls after onset", "antiforgery warnings all night"],
         story=(
             "At 08:00 the public vaccination booking site's RequestCount goes from ~500 to ~4100 a "
             "minute (8x), with no deploy to booking-web. Latency climbs to ~1.6 s and Kestrel starts "
             "shedding with `Request queue full ... 503`. Task CPU rises until autoscaling adds "
             "tasks (the UpdateService calls by the autoscaling role come after onset), and latency "
             "eases without recovering fully. The DB goes to ~30 % CPU with no errors. The "
             "booking-admin deploy is a different service. The 07:30 slot-generation spike is the "
             "daily job."),
         judgement=("The origin is given as the ALB, the entry point where the volume is measured. "
                    "A reader could name booking-web instead. CPU never pins (it peaks in the low 80s and "
                    "falls as tasks are added), so this is not cpu_saturation."))
    return sc


BUILDERS = [build_11, build_12]
