"""traffic_surge: a ticket on-sale floods an nginx + PHP-FPM fleet behind an ALB."""
from __future__ import annotations

from .common import Scn, clamp, diurnal, ramp, window
from .lambda_sim import LambdaFn
from .services import S, alb, ec2, lambda_deploy, nginx_access, nginx_error

WEB = [("i-0d1f3b5a7c9e24680", "tickets-web-1"), ("i-06a8c0e2b4d61357f", "tickets-web-2"),
       ("i-0e2a4c6b8d0f13579", "tickets-web-3")]
UA = ["Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
      "Version/18.1 Mobile/15E148 Safari/604.1",
      "Mozilla/5.0 (Linux; Android 15; SM-S928B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
      "Mobile Safari/537.36",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/131.0.0.0 Safari/537.36"]


def tickets_surge():
    s = Scn("h51-15-tickets-onsale-surge", 5115, "ap-southeast-1", "2026-12-01T02:12:00",
            "Ticketing site very slow and showing gateway errors; ALB latency alarm for the tickets site.")
    on = -1920
    surge = lambda t: ramp(t, on, on + 180, 0.0, 1.0)
    mult = lambda t: 1 + 4.9 * surge(t) * (1 - 0.12 * ramp(t, on + 600, 0, 0, 1))
    req = S(s, lambda t: s.poisson(diurnal(t, 820, 260, -21600 + 5400 * 4) * mult(t)))
    fail = lambda t: 0.065 * surge(t)
    t5 = [float(s.poisson(0.5) + s.binom(r, fail(t))) for t, r in zip(s.times, req)]
    lb = alb(s, "tickets-alb", "7a2c4e6b8d0f1357", req,
             S(s, lambda t: s.gauss(0.118, 0.01) + 3.6 * surge(t) * s.gauss(1, 0.08)), t5,
             S(s, lambda t: float(s.poisson(0.1 + 3 * surge(t)))), [3.0] * len(s.times), [0.0] * len(s.times),
             t4xx=S(s, lambda t: float(s.poisson(8 * mult(t)))), scheme="internet-facing",
             target_group="tickets-web-tg")
    for iid, name in WEB:
        disk = 83.2 if name == "tickets-web-2" else 47.5
        ec2(s, iid, name, "c6i.xlarge",
            S(s, lambda t: clamp(diurnal(t, 31, 9, -21600 + 5400 * 4) + 44 * surge(t) + s.gauss(0, 2.5), 0, 100)),
            S(s, lambda t: 52 + 14 * surge(t) + s.gauss(0, 0.8)), S(s, lambda t, d=disk: d + s.gauss(0, 0.03)),
            S(s, lambda t: 2.2e6 * mult(t) * s.gauss(1, 0.06)),
            stack="nginx 1.26 + php-fpm 8.2 (pm=dynamic, pm.max_children=48), Laravel 11",
            target_group="tickets-web-tg", log_groups=["/tickets/nginx/access", "/tickets/nginx/error",
                                                       "/tickets/php-fpm", "/tickets/laravel"])
    paths = ["/", "/events/2026-coldplay-sg", "/events/2026-coldplay-sg/seats", "/queue/status",
             "/api/seatmap/118/availability", "/checkout/start", "/events/2026-jazz-fest"]
    for iid, name in WEB:
        acc, err, fpm, lar = [], [], [], []
        conn = s.rng.randint(100000, 900000)
        for t0 in s.times:
            if t0 < -10800:
                continue
            k = s.poisson(6 * mult(t0))
            for _ in range(k):
                t = t0 + s.rng.random() * 60
                hot = surge(t) > 0.2
                path = s.pick(paths[:6] if hot else paths)
                conn += 1
                r = s.rng.random()
                if hot and r < 0.045:
                    rt = s.uniform(60.0, 60.2)
                    acc.append((t + rt, nginx_access(s, t, f"10.9.{s.rng.randint(0, 5)}.{s.rng.randint(2, 250)}",
                                                     "GET", path, 504, 562, rt, ua=s.pick(UA))))
                    err.append((t + rt, nginx_error(s, t + rt, "error", 2114, conn,
                                                    "upstream timed out (110: Connection timed out) while reading "
                                                    "response header from upstream, client: 10.9.0.12, server: "
                                                    f"tickets.example.sg, request: \"GET {path} HTTP/1.1\", upstream: "
                                                    "\"fastcgi://unix:/run/php/php8.2-fpm.sock:\", host: \"tickets.example.sg\"")))
                elif hot and r < 0.065:
                    acc.append((t, nginx_access(s, t, f"10.9.{s.rng.randint(0, 5)}.{s.rng.randint(2, 250)}",
                                                "GET", path, 502, 552, 0.001, ua=s.pick(UA))))
                    err.append((t, nginx_error(s, t, "error", 2114, conn,
                                               "connect() to unix:/run/php/php8.2-fpm.sock failed (11: Resource "
                                               "temporarily unavailable) while connecting to upstream, client: "
                                               f"10.9.1.40, server: tickets.example.sg, request: \"GET {path} HTTP/1.1\", "
                                               "upstream: \"fastcgi://unix:/run/php/php8.2-fpm.sock:\", host: "
                                               "\"tickets.example.sg\"")))
                else:
                    rt = abs(s.gauss(0.11, 0.05)) + 3.4 * surge(t) * s.gauss(1, 0.3)
                    acc.append((t + rt, nginx_access(s, t, f"10.9.{s.rng.randint(0, 5)}.{s.rng.randint(2, 250)}",
                                                     "GET", path, 200, s.rng.randint(900, 60000), max(0.002, rt),
                                                     ua=s.pick(UA))))
            if surge(t0) > 0.5 and s.chance(0.4):
                t = t0 + s.rng.random() * 60
                fpm.append((t, f"[{s.fmt(t, '%d-%b-%Y %H:%M:%S')}] WARNING: [pool www] server reached "
                               f"pm.max_children setting (48), consider raising it"))
            if t0 % 300 == 0:
                t = t0 + 0.4
                lar.append((t, f"[{s.fmt(t, '%Y-%m-%d %H:%M:%S')}] production.ERROR: Seatmap cache warm failed "
                               f"for venue 118: venue archived {{\"exception\":\"[object] (App\\\\Exceptions\\\\"
                               f"VenueArchived(code: 0): venue archived at /var/www/tickets/app/Jobs/WarmSeatmap.php:37)\"}}"))
                fpm.append((t + 0.2, f"[{s.fmt(t, '%d-%b-%Y %H:%M:%S')}] NOTICE: [pool www] child "
                                     f"{s.rng.randint(20000, 40000)} exited with code 0 after "
                                     f"{s.uniform(3590, 3610):.6f} seconds from start"))
        s.log("/tickets/nginx/access", iid, acc)
        s.log("/tickets/nginx/error", iid, err)
        s.log("/tickets/php-fpm", iid, fpm)
        s.log("/tickets/laravel", iid, lar)

    cw = LambdaFn(s, "seatmap-cache-warmer", "nodejs20.x", 512, 120, mem_used=(130, 190))
    warm = lambda t: window(t, -7200, -6600)
    wi = S(s, lambda t: s.poisson(26 if warm(t) else 1))
    cw.metrics(wi, [0] * len(wi), S(s, lambda t: s.gauss(5200 if warm(t) else 2400, 200)))
    cw.simulate(lambda c: [(c.duration_ms / 1000 - 0.02, "INFO",
                            f"warmed seatmap for event evt_{s.rng.randint(1000, 9999)} "
                            f"({s.rng.randint(2000, 52000)} seats) into elasticache")])
    lambda_deploy(s, -14000, "seatmap-cache-warmer", "bitbucket-pipelines", version=True)
    s.alarm("tickets-web-2-disk", "CWAgent", "disk_used_percent",
            {"InstanceId": WEB[1][0], "path": "/", "fstype": "xfs"}, "Maximum", 300, 1, 80,
            description="Root disk on tickets-web-2 above 80 %")
    s.alarm("tickets-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
            "Average", 60, 3, 1.5, description="Tickets site latency above 1.5 s")
    res = ["tickets-alb", lb] + [x for w in WEB for x in w]
    doc = s.to_dict({
        "alarm": "tickets-alb-latency",
        "root_cause": {"category": "traffic_surge", "resource": res},
        "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": lb}},
                      {"namespace": "AWS/ApplicationELB", "name": "TargetResponseTime",
                       "dimensions": {"LoadBalancer": lb}}]})
    meta = dict(
        alarm="tickets-alb-latency", category="traffic_surge", resources=res, on="origin (ALB)",
        decoys=["seatmap-cache-warmer deployed 3.9 h earlier", "steady Laravel 'venue archived' ERROR every 5 min",
                "seatmap-cache-warmer burst 2 h ago", "tickets-web-2-disk alarm in ALARM for hours (83 % root disk)"],
        text="At 10:00 local time (32 minutes ago) a concert on-sale opens: the ALB's RequestCount "
             "jumps from ~750 to roughly 4,000-4,500 per minute within three minutes, almost all of it on "
             "the event, seat and checkout pages. Latency rises from 0.12 s to ~3.7 s, PHP-FPM logs "
             "`server reached pm.max_children setting (48)` and nginx answers a few percent of "
             "requests with 504 (upstream timed out) or 502 (FPM socket full). CPU on the three "
             "web servers rises to ~75 % but is not pinned, memory and disks are normal, and there "
             "was no deploy or change. The long-standing root-disk alarm on tickets-web-2, the cache "
             "warmer's deploy and burst and the Laravel 'venue archived' error every five minutes "
             "are unrelated. Request volume far above its usual level with no other fault: "
             "traffic_surge (accepted: the ALB or the web fleet it feeds).")
    return doc, meta
