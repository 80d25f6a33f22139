"""h64-11 (ALB shared by legacy Tomcat hosts and a Go ECS service) and h64-12 (Laravel host)."""
from __future__ import annotations

from .common import Scenario, bump, diurnal, ramp, step
from .estate import (alb, alb_tg, catalina, ec2, ecs, emit, every, iid, laravel, pick, rds, syslog, zap)
from .runtimes import nginx


def s11() -> Scenario:
    sc = Scenario(11, "quotes-edge-5xx",
                  "Quote API errors reported by brokers; ALB target 5xx alarm.",
                  "eu-west-3", 6411, "2026-12-02T10:25:00")
    rng = sc.rng
    deploy, roll, patch = -2700, -2580, -2620
    l1, l2 = iid(sc), iid(sc)
    names = {l1: "qt-legacy-1", l2: "qt-legacy-2"}
    eng = lambda t: 520 * diurnal(sc, t, 10, .3)
    leg = lambda t: 260 * diurnal(sc, t, 10, .3)
    bad = lambda t: 0.41 * ramp(t, roll, roll + 180)
    for h in (l1, l2):
        ec2(sc, h, names[h], "m5.large", lambda t: 35 * diurnal(sc, t, 10, .3) + bump(t, patch, patch + 420, 40, 40),
            lambda t: 74.0, lambda t: 55.0, log_groups=["/quotes/legacy/catalina.out"])
    ecs(sc, "quotes", "quote-engine", lambda t: 21 * diurnal(sc, t, 10, .3) + bump(t, deploy + 60, roll + 200, 14, 30),
        lambda t: 38.0 + bump(t, deploy + 60, roll + 200, 9, 30), lambda t: 4.0 + 4 * bump(t, deploy + 60, roll + 150, 1, 20), 4,
        launch_type="FARGATE", task_definition="quote-engine:42")
    lb = alb(sc, "quotes-edge", lambda t: eng(t) + leg(t), lambda t: 2.6 + eng(t) * bad(t),
             lambda t: 0.061 + 0.01 * bad(t), lambda t: 6.0)
    alb_tg(sc, lb, "quote-engine", eng, lambda t: 0.1 + eng(t) * bad(t), lambda t: 0.028)
    alb_tg(sc, lb, "legacy-quotes", leg, lambda t: 2.5, lambda t: 0.16)
    rds(sc, "quotes-pg", "postgres", "db.r6g.large", 800, 300, lambda t: 24 * diurnal(sc, t, 10, .3), lambda t: 96.0,
        lambda t: 177.0)
    old = [sc.hexid(32) for _ in range(4)]
    new = [sc.hexid(32) for _ in range(4)]
    g = "/ecs/quote-engine"

    def served(t, ver, task):
        if ver == "1.42.0" and rng.random() < bad(t) / 0.41 * 0.41:
            sc.log(g, f"quote-engine/app/{task}", t, zap(sc, t, "error", "middleware/recover.go:31", "panic recovered",
                   error="runtime error: invalid memory address or nil pointer dereference", path="/v2/quote", status=500, version=ver,
                   stacktrace="goroutine 8812 [running]:\nquotes/internal/rating.(*Vehicle).TrimFactor(...)\n\t/src/internal/rating/vehicle.go:57\nquotes/internal/api.(*Handler).Quote(0xc0001b2000, ...)\n\t/src/internal/api/handler.go:112"))
            return
        sc.log(g, f"quote-engine/app/{task}", t, zap(sc, t, "info", "api/handler.go:141", "quote served", path="/v2/quote", status=200,
               latency_ms=rng.randint(9, 60), version=ver))
    for i in range(4):
        stop = roll + 30 * i
        sc.log(g, f"quote-engine/app/{old[i]}", -14400 + i, zap(sc, -14400 + i, "info", "cmd/server/main.go:44", "listening", addr=":8080", version="1.41.3"))
        emit(sc, g, f"quote-engine/app/{old[i]}", lambda t: 1.0, lambda t: served(t, "1.41.3", old[i]) or None, start=-14400, end=stop)
        emit(sc, g, f"quote-engine/app/{old[i]}", lambda t: 0.1, lambda t: zap(sc, t, "warn", "rating/cache.go:77", "rating cache miss storm", misses=rng.randint(50, 200), version="1.41.3"), start=-14400, end=stop)
        sc.log(g, f"quote-engine/app/{old[i]}", stop, zap(sc, stop, "info", "cmd/server/main.go:71", "shutting down: received SIGTERM", version="1.41.3"))
        st = deploy + 70 + 25 * i
        sc.log(g, f"quote-engine/app/{new[i]}", st, zap(sc, st, "info", "cmd/server/main.go:44", "listening", addr=":8080", version="1.42.0", commit="9f3ab21"))
        emit(sc, g, f"quote-engine/app/{new[i]}", lambda t: 1.0, lambda t: served(t, "1.42.0", new[i]) or None, start=max(st, roll), end=0)
        emit(sc, g, f"quote-engine/app/{new[i]}", lambda t: 0.1, lambda t: zap(sc, t, "warn", "rating/cache.go:77", "rating cache miss storm", misses=rng.randint(50, 200), version="1.42.0"), start=max(st, roll), end=0)
    for h, host in ((l1, "ip-10-30-1-5"), (l2, "ip-10-30-2-6")):
        thr = lambda: f"http-nio-8080-exec-{rng.randint(1, 200)}"
        emit(sc, "/quotes/legacy/catalina.out", h, lambda t: 1.3, lambda t: catalina(
            sc, t, "SEVERE", thr(), "fr.qt.legacy.RatingServlet.doPost",
            f"Rating table lookup failed for postcode {rng.randint(10, 95)}{rng.randint(100, 999)}: no rows; returning HTTP 500"), start=-14400)
        emit(sc, "/quotes/legacy/catalina.out", h, lambda t: 1.5, lambda t: catalina(
            sc, t, "INFO", thr(), "fr.qt.legacy.RatingServlet.doPost", f"quote {rng.randint(10 ** 6, 10 ** 7)} rated in {rng.randint(80, 260)} ms"), start=-14400)
    sc.change(deploy - 20, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "quote-engine:42", "jenkins")
    sc.change(deploy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "quotes/quote-engine", "jenkins")
    sc.change(patch, "ssm.amazonaws.com", "SendCommand", "AWS::EC2::Instance", l1, "patch-manager")
    sc.change(patch + 1, "ssm.amazonaws.com", "SendCommand", "AWS::EC2::Instance", l2, "patch-manager")
    sc.alarm("quotes-edge-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 30, "GreaterThanThreshold", "Quote ALB target 5xx")
    sc.expect = {"alarm": "quotes-edge-5xx", "root_cause": {"category": "bad_deployment", "resource": ["quotes/quote-engine", "quote-engine"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = {"front": "front (ALB -> ECS service)", "decoys": "SSM patch baseline on both legacy Tomcat hosts, 80 s after the ECS deploy and closer to onset; legacy hosts log SEVERE 'Rating table lookup failed' (and 500s) all day",
               "story": "`quotes-edge` target 5xx jump from ~3/min to ~280/min. Patch Manager ran `AWS-RunPatchBaseline` on both legacy Tomcat targets 40 s before the first errors, and those hosts log SEVERE lines with HTTP 500 all day, so they look guilty. The per-target-group metrics put the new 5xx on `quote-engine`, the ECS service; the legacy group stays at its usual ~2.5/min. Jenkins registered `quote-engine:42` and ran `UpdateService` two minutes before onset; the old tasks' log streams end with SIGTERM, the new tasks report version 1.42.0 and log `panic recovered ... invalid memory address or nil pointer dereference` in `rating.(*Vehicle).TrimFactor`, a signature absent from 1.41.3. A bad deployment of quotes/quote-engine."}
    return sc


def s12() -> Scenario:
    sc = Scenario(12, "booking-api-5xx",
                  "Hotel booking site returning 500s to a partner; ALB 5xx alarm.",
                  "eu-north-1", 6412, "2026-12-28T09:05:00")
    rng = sc.rng
    onset = -2040
    h = iid(sc)
    name = "bk-web-01"
    web = lambda t: 610 * diurnal(sc, t, 10, .3)
    partner = lambda t: 38.0 * step(t, onset, 0, 1)
    ec2(sc, h, name, "m6i.large", lambda t: 28 * diurnal(sc, t, 10, .3) + 3 * step(t, onset, 0, 1) + bump(t, -7900, -7500, 40, 60),
        lambda t: 62.0, lambda t: 51.0, net=lambda t: 2.0e6 * diurnal(sc, t, 10, .3),
        log_groups=["/booking/nginx/access", "/booking/laravel", "/booking/messages"])
    lb = alb(sc, "booking-lb", lambda t: web(t) + partner(t), lambda t: 0.5 + partner(t) * 0.97,
             lambda t: 0.14, lambda t: 1.0)
    rds(sc, "bk-mysql", "mysql", "db.m6g.large", 600, 200, lambda t: 19 * diurnal(sc, t, 10, .3), lambda t: 31.0, lambda t: 122.0)
    rds(sc, "bk-reporting", "mysql", "db.t4g.medium", 300, 100, lambda t: 8 + bump(t, -2200, -1900, 30, 60), lambda t: 4.0, lambda t: 71.0)
    g = "/booking/laravel"
    emit(sc, g, h, lambda t: 0.7, lambda t: laravel(sc, t, "warning", 'Undefined array key "utm_source"', {"url": "https://booking.example.se/rooms", "ip": sc.ip("10.5")}), start=-14400)
    emit(sc, g, h, lambda t: 0.05, lambda t: laravel(sc, t, "error", "SQLSTATE[HY000] [2002] Connection timed out (Connection: reporting, SQL: select * from `daily_kpis` where `day` = ?)",
         {"exception": "[object] (Illuminate\\Database\\QueryException(code: 2002): SQLSTATE[HY000] [2002] Connection timed out at /var/www/booking/vendor/laravel/framework/src/Illuminate/Database/Connection.php:822)"}), start=-14400)
    emit(sc, g, h, lambda t: 6.0 * step(t, onset, 0, 1), lambda t: laravel(sc, t, "error", "Division by zero",
         {"exception": "[object] (DivisionByZeroError(code: 0): Division by zero at /var/www/booking/app/Services/RateCalculator.php:88)\n[stacktrace]\n#0 /var/www/booking/app/Http/Controllers/Api/AvailabilityController.php(54): App\\Services\\RateCalculator->nightlyAverage()\n#1 /var/www/booking/vendor/laravel/framework/src/Illuminate/Routing/Controller.php(54): App\\Http\\Controllers\\Api\\AvailabilityController->quote()"}), start=onset)
    paths = [(40, "/rooms"), (25, "/rooms/%d"), (20, "/api/v1/availability?hotel=%d&check_in=2027-01-1%d&check_out=2027-01-1%d"), (15, "/static/app.css")]

    def ln(t):
        if rng.random() < partner(t) / (web(t) + partner(t)) * 4:
            d = f"2027-01-{rng.randint(10, 28)}"
            return nginx(sc, t, "185.41.20.7", "GET", f"/api/v1/availability?hotel={rng.randint(3, 9)}&check_in={d}&check_out={d}&channel=daybreak",
                         500, 312, rng.uniform(0.03, 0.08), ua="DaybreakChannelManager/2.3")
        p = pick(rng, paths)
        if "%d" in p:
            a = rng.randint(1, 4)
            p = p.replace("%d", str(rng.randint(3, 9)), 1).replace("%d", str(a), 1).replace("%d", str(a + rng.randint(1, 5)), 1)
        return nginx(sc, t, sc.ip("10.5"), "GET", p, 200, rng.randint(900, 40000), rng.uniform(0.04, 0.3))
    emit(sc, "/booking/nginx/access", h, lambda t: 3.0, ln, start=-14400)
    every(sc, "/booking/messages", h, 3600, lambda t: syslog(sc, t, "ip-10-5-1-30", "CROND", "(www-data) CMD (php /var/www/booking/artisan schedule:run)", pid=rng.randint(3000, 30000)), start=-21300)
    sc.change(-2160, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "bk-reporting", "dba.lindqvist")
    sc.change(-1990, "rds.amazonaws.com", "RebootDBInstance", "AWS::RDS::DBInstance", "bk-reporting", "dba.lindqvist")
    sc.change(-16800, "iam.amazonaws.com", "CreateAccessKey", "AWS::IAM::User", "svc-daybreak-export", "it.admin")
    sc.alarm("booking-lb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 300, 1, 60, "GreaterThanThreshold", "Booking ALB target 5xx")
    sc.alarm("bk-reporting-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "bk-reporting"}, "Average", 300, 1, 30,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "booking-lb-5xx", "root_cause": {"category": "application_error", "resource": [h, name]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = {"front": "front (ALB -> bk-web-01)", "decoys": "ModifyDBInstance + reboot of the reporting DB around onset (with its own CPU alarm); rare reporting-DB 'Connection timed out' errors all along; Undefined array key warnings",
               "story": "`booking-lb` target 5xx go from ~0 to ~37/min. A DBA modified and rebooted the `bk-reporting` database right around the onset, and the Laravel log has occasional `Connection timed out` errors on the reporting connection, so a dependency story is tempting; but those timeouts were there all morning at the same low rate and bk-mysql is healthy. Every new error is an unhandled `DivisionByZeroError` at `RateCalculator.php:88` (`nightlyAverage()`), and the nginx log shows the 500s are `GET /api/v1/availability` calls from a channel manager (`DaybreakChannelManager/2.3`) with `check_in` equal to `check_out`, a zero-night input the code never guarded. No deploy or config change on the booking host or its ALB. Application error on bk-web-01."}
    return sc
