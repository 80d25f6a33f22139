"""Scenarios 13-14: one hot host after a fleet-wide release; a listener repointed after a release."""
from __future__ import annotations

import numpy as np

from . import kit
from . import logfmt as lf
from .common import Scn


# ---------------------------------------------------------------------------------------------
def h20_13() -> tuple[dict, dict]:
    s = Scn("h20-13-geo-api-latency-one-hot-host", 2013, "us-west-2", "2026-11-20T02:42:00",
            "Geocoding API slow for a third of requests; geo-api-alb latency alarm.")
    lb, lb_name = "app/geo-api-alb/2b3c4d5e6f708192", "geo-api-alb"
    hosts = [("i-0a1152c7d3e4f5061", "geo-api-1"), ("i-0b22f4e6a8c0d1e27", "geo-api-2"), ("i-0c3391b5d7f9e2a43", "geo-api-3")]
    hot_id, hot_name = hosts[1]
    deploy, onset = -3900, -2520
    s.res("alb", lb, name=lb_name, scheme="internet-facing", target_group="geo-api-tg")
    for iid, name in hosts:
        s.res("ec2", iid, name=name, instance_type="c6g.large", vcpu=2, platform="Amazon Linux 2023",
              log_groups=["/geo-api/app", "/var/log/messages"])

    day = s.daily(0.35, 20.0)
    req = s.counts(2400 * day)
    hot = s.step(onset, ramp=60)
    share_slow = hot / 3.0
    rt = s.gauge(0.041, 0.003, lo=0.02) * (1 - share_slow) + share_slow * s.gauge(3.05, 0.2, lo=1.5)
    t5 = s.binom(req, 0.0002 + share_slow * 0.11)
    kit.alb_metrics(s, lb, req, rt, t5, s.counts(0.02 * np.ones_like(s.t)), np.full_like(req, 3.0),
                    np.zeros_like(req), t4xx=s.counts(req * 0.006))
    restart = (s.t >= deploy) & (s.t < deploy + 120)
    for iid, name in hosts:
        cpu = s.gauge(27 * day, 2.0, lo=3) + restart * 12
        if iid == hot_id:
            cpu = np.where(s.t >= onset, s.gauge(99.4, 0.5, lo=97, hi=100), cpu)
        kit.ec2_metrics(s, iid, cpu, s.gauge(5.5e7 * day / 3, 3e6, lo=1e5), s.gauge(38, 0.6), s.gauge(44.2, 0.03))

    for iid, name in hosts:
        ev = []
        n = s.rng.binomial(req.astype(int), 0.0006)
        for tt in s.arrivals(n):
            slow = iid == hot_id and tt >= onset
            route = s.pick(["/v1/geocode", "/v1/reverse", "/v1/autocomplete"], [0.5, 0.2, 0.3])
            if slow and s.rng.random() < 0.33:
                ev.append((tt, lf.go_json(s, tt, "warn", "server/handler.go:112", "handler timeout", route=route,
                                          status=503, duration_ms=3000, error="context deadline exceeded")))
                continue
            ms = float(s.rng.normal(2600, 500)) if slow else float(s.rng.gamma(3, 12))
            ev.append((tt, lf.go_json(s, tt, "info", "server/handler.go:98", "request", route=route, status=200,
                                      duration_ms=round(max(ms, 2.0), 1), cache_hit=bool(s.rng.random() < 0.6))))
        for tt in s.arrivals(s.counts(0.03 * np.ones_like(s.t))):
            ev.append((tt, lf.go_json(s, tt, "warn", "geo/normalize.go:61", "unparseable address, returning 422",
                                      route="/v1/geocode", status=422)))
        a = deploy + 20 + hosts.index((iid, name)) * 25
        ev.append((a, lf.go_json(s, a, "info", "cmd/geo-api/main.go:44", "shutting down", signal="terminated")))
        ev.append((a + 6, lf.go_json(s, a + 6, "info", "cmd/geo-api/main.go:31", "geo-api starting", version="2.14.0",
                                     commit="e41b7c9", tiles="/var/lib/geo/tiles-2026-11-18")))
        s.log("/geo-api/app", iid, ev)

        host = f"ip-10-8-{int(s.rng.integers(1, 40))}-{int(s.rng.integers(2, 250))}"
        sl = []
        for k, line in enumerate([f"codedeploy-agent[2211]: Deployment d-7QX2M1K9B lifecycle event ApplicationStop succeeded",
                                  f"codedeploy-agent[2211]: Deployment d-7QX2M1K9B lifecycle event AfterInstall succeeded",
                                  f"codedeploy-agent[2211]: Deployment d-7QX2M1K9B lifecycle event ApplicationStart succeeded",
                                  f"codedeploy-agent[2211]: Deployment d-7QX2M1K9B lifecycle event ValidateService succeeded"]):
            tt = a - 10 + k * 9
            sl.append((tt, f"{s.stamp(tt, '%b %d %H:%M:%S')} {host} {line}"))
        for tt in np.arange(-21600 + 300, 0, 900.0):
            sl.append((tt, f"{s.stamp(tt, '%b %d %H:%M:%S')} {host} chronyd[598]: Selected source 169.254.169.123"))
        for tt in np.arange(-21600 + 60 * 17, 0, 3600.0):
            sl.append((tt, f"{s.stamp(tt, '%b %d %H:%M:%S')} {host} CROND[{int(s.rng.integers(1000, 60000))}]: "
                           "(root) CMD (run-parts /etc/cron.hourly)"))
        if iid == hot_id:
            sl.append((onset, f"{s.stamp(onset, '%b %d %H:%M:%S')} {host} CROND[41233]: (root) CMD "
                              "(nice -n 0 /usr/local/sbin/clamscan-nightly.sh)"))
            sl.append((onset + 1, f"{s.stamp(onset + 1, '%b %d %H:%M:%S')} {host} clamscan-nightly[41234]: starting full "
                                  "scan of / (excluding /proc /sys /dev), 2 threads"))
            files = 0
            for tt in np.arange(onset + 300, 0, 300.0):
                files += int(s.rng.integers(30000, 42000))
                sl.append((tt, f"{s.stamp(tt, '%b %d %H:%M:%S')} {host} clamscan-nightly[41234]: still running, "
                               f"{files} files scanned (/var/lib/geo/tiles-2026-11-18)"))
        s.log("/var/log/messages", iid, sl)

    s.change(deploy, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup", "geo-api-prod",
             "jenkins-geo")
    s.change(-14000, "ec2.amazonaws.com", "ModifyInstanceMetadataOptions", "AWS::EC2::Instance", hosts[2][0], "sec-baseline")

    s.alarm(f"{lb_name}-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 3, 0.8,
            description="geo API average response time above 800 ms", not_before=onset)
    doc = s.build(f"{lb_name}-latency", "cpu_saturation", [hot_id, hot_name],
                  [("AWS/EC2", "CPUUtilization", {"InstanceId": hot_id})])
    meta = {"front": "front (ALB before three instances, one of them hot)",
            "decoys": "fleet-wide CodeDeploy release 23 min before onset; hourly cron noise; old metadata-options change on "
                      "another instance; standing 422 warnings",
            "text": "At 02:00 a leftover cron job on geo-api-2 started a full ClamAV scan of its tile directory; the "
                    "instance's two vCPUs sit at 99-100 % from that minute, its requests take ~2.6 s or hit the 3 s "
                    "handler deadline, and because the ALB spreads traffic evenly the average response time passes the "
                    "alarm line. A fleet-wide release went out 23 minutes earlier and is the obvious suspect, but it "
                    "landed identically on all three instances, two of which are perfectly healthy; no new error "
                    "signature appears with it, and the slowdown begins with the cron entry, not the deploy. CPU pinned "
                    "with latency following: cpu_saturation on geo-api-2."}
    return doc, meta


# ---------------------------------------------------------------------------------------------
def h20_14() -> tuple[dict, dict]:
    s = Scn("h20-14-booking-502-listener-target-port", 2014, "ap-southeast-1", "2026-11-20T06:05:00",
            "Booking site down with 502 Bad Gateway; booking-alb ELB 5XX alarm.")
    lb, lb_name = "app/booking-alb/6d5c4b3a2918f7e6", "booking-alb"
    tg1 = "targetgroup/booking-web-tg/1a2b3c4d5e6f7081"
    tg2 = "targetgroup/booking-web-tg-v2/8f7e6d5c4b3a2910"
    hosts = [("i-0d6e5f4a3b2c1d0e9", "booking-web-1"), ("i-0e7f8a9b0c1d2e3f4", "booking-web-2")]
    deploy, ctg, reg, listen = -3720, -3000, -2950, -2880
    onset = listen + 5
    s.res("alb", lb, name=lb_name, scheme="internet-facing",
          listener="HTTPS:443 default action forward to booking-web-tg-v2",
          target_groups=["booking-web-tg (HTTP:8080, health check /healthz)",
                         "booking-web-tg-v2 (HTTP:8081, health check /healthz)"])
    for iid, name in hosts:
        s.res("ec2", iid, name=name, instance_type="m7i.large", app_port=8080, platform="Ubuntu 22.04",
              log_groups=["/booking-web/rails"])

    day = s.daily(0.35, 7.0)
    req = s.counts(1500 * day)
    down = s.step(onset)
    e502 = s.binom(req, 0.995 * down)
    ok = req - e502
    d = {"LoadBalancer": lb}
    s.metric("AWS/ApplicationELB", "RequestCount", d, "Count", req, 0)
    s.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", s.gauge(0.12, 0.01, lo=0.04), 4, keep=(down == 0))
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_2XX_Count", d, "Count", np.maximum(0, ok - s.counts(ok * 0.01)), 0)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", s.counts(0.1 * (1 - down)), 0)
    s.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", e502 + s.counts(0.02 * np.ones_like(s.t)), 0)
    s.metric("AWS/ApplicationELB", "HTTPCode_ELB_502_Count", d, "Count", e502, 0)
    s.metric("AWS/ApplicationELB", "TargetConnectionErrorCount", d, "Count", e502, 0)
    s.metric("AWS/ApplicationELB", "HealthyHostCount", {**d, "TargetGroup": tg1}, "Count", np.full_like(req, 2.0), 0)
    s.metric("AWS/ApplicationELB", "UnHealthyHostCount", {**d, "TargetGroup": tg1}, "Count", np.zeros_like(req), 0)
    v2 = s.t >= reg + 60
    s.metric("AWS/ApplicationELB", "HealthyHostCount", {**d, "TargetGroup": tg2}, "Count", np.zeros_like(req), 0, keep=v2)
    s.metric("AWS/ApplicationELB", "UnHealthyHostCount", {**d, "TargetGroup": tg2}, "Count", np.full_like(req, 2.0), 0, keep=v2)
    restart = (s.t >= deploy + 40) & (s.t < deploy + 160)
    for iid, name in hosts:
        kit.ec2_metrics(s, iid, s.gauge(31 * day, 2, lo=2) * (1 - 0.85 * down) + restart * 25,
                        s.gauge(2.4e7 * day, 2e6, lo=1e5) * (1 - 0.97 * down), s.gauge(57, 0.6), s.gauge(38.5, 0.03))

    for iid, name in hosts:
        ev = []
        pid = 4100 + hosts.index((iid, name)) * 17
        restart_at = deploy + 45 + hosts.index((iid, name)) * 50
        for tt in s.arrivals(s.binom((req * (1 - down)).astype(float), 0.0016)):
            if restart_at <= tt < restart_at + 12:
                continue
            rid = s.uuid()
            path = s.pick(["/", "/hotels/{id}", "/bookings/new", "/bookings/{id}", "/search?city=Singapore"],
                          [0.15, 0.35, 0.15, 0.2, 0.15]).replace("{id}", str(int(s.rng.integers(1000, 99999))))
            w = s.wall(tt)
            ms = float(s.rng.gamma(3, 35))
            stamp = w.strftime("%Y-%m-%dT%H:%M:%S.") + f"{w.microsecond:06d}"
            ev.append((tt, f"I, [{stamp} #{pid}]  INFO -- : [{rid}] Started GET \"{path}\" for {s.ip('10.0')} at "
                           f"{w.strftime('%Y-%m-%d %H:%M:%S')} +0000"))
            w2 = s.wall(tt + ms / 1000)
            stamp2 = w2.strftime("%Y-%m-%dT%H:%M:%S.") + f"{w2.microsecond:06d}"
            ev.append((tt + ms / 1000, f"I, [{stamp2} #{pid}]  INFO -- : [{rid}] Completed 200 OK in {ms:.0f}ms "
                                       f"(Views: {ms * 0.4:.1f}ms | ActiveRecord: {ms * 0.3:.1f}ms | "
                                       f"Allocations: {int(s.rng.integers(2000, 40000))})"))
            if tt > restart_at and s.rng.random() < 0.03:
                ev.append((tt + 0.01, f"W, [{stamp} #{pid}]  WARN -- : [{rid}] DEPRECATION WARNING: `to_time` will always "
                                      "preserve the receiver timezone rather than system local time in Rails 8.0. To opt "
                                      "in to the new behavior, set `config.active_support.to_time_preserves_timezone = "
                                      ":zone`. (called from BookingPresenter#checkin_at at app/presenters/booking_presenter.rb:41)"))
        for tt in np.arange(-21600 + hosts.index((iid, name)) * 7, 0, 30.0):   # booking-web-tg health checks on 8080
            if restart_at <= tt < restart_at + 12:
                continue
            w = s.wall(tt)
            stamp = w.strftime("%Y-%m-%dT%H:%M:%S.") + f"{w.microsecond:06d}"
            if s.rng.random() < 0.2:
                ev.append((tt, f"D, [{stamp} #{pid}] DEBUG -- : health check from ELB-HealthChecker/2.0: ok (db 2ms, "
                               "redis 1ms)"))
        ev.append((restart_at, f"I, [{s.iso(restart_at)[:-1]} #{pid}]  INFO -- : Gracefully stopping, waiting for requests to finish"))
        ev.append((restart_at + 9, f"I, [{s.iso(restart_at + 9)[:-1]} #{pid + 5}]  INFO -- : Puma starting in cluster mode... "
                                   "Version 6.4.2, Ruby 3.3.5, app release 2026.11.20-1 (3f0e9aa)"))
        ev.append((restart_at + 11, f"I, [{s.iso(restart_at + 11)[:-1]} #{pid + 5}]  INFO -- : * Listening on http://0.0.0.0:8080"))
        s.log("/booking-web/rails", iid, ev)

    s.change(-15400, "elasticloadbalancing.amazonaws.com", "ModifyLoadBalancerAttributes", "AWS::ElasticLoadBalancingV2::LoadBalancer",
             lb_name, "terraform-platform")
    s.change(deploy, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup", "booking-web-prod",
             "github-actions-booking")
    s.change(ctg, "elasticloadbalancing.amazonaws.com", "CreateTargetGroup", "AWS::ElasticLoadBalancingV2::TargetGroup",
             "booking-web-tg-v2", "d.tanaka")
    s.change(reg, "elasticloadbalancing.amazonaws.com", "RegisterTargets", "AWS::ElasticLoadBalancingV2::TargetGroup",
             "booking-web-tg-v2", "d.tanaka")
    s.change(listen, "elasticloadbalancing.amazonaws.com", "ModifyListener", "AWS::ElasticLoadBalancingV2::Listener",
             lb_name, "d.tanaka")

    s.alarm(f"{lb_name}-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Sum", 60, 2, 50,
            description="booking ALB generated 5XX", not_before=onset)
    doc = s.build(f"{lb_name}-elb-5xx", "config_change", [lb_name, lb, "booking-web-tg-v2"],
                  [("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d)])
    meta = {"front": "origin (the load balancer whose listener changed)",
            "decoys": "CodeDeploy release to both instances 14 min before the listener change, with a new Rails "
                      "deprecation warning; ALB attribute change 4 h earlier; healthy old target group",
            "text": "An engineer prepared a new target group on port 8081, registered both instances in it and pointed "
                    "the HTTPS listener's default action at it. Nothing listens on 8081: the new group's health checks fail "
                    "(both targets unhealthy), the ALB fails open and forwards anyway, every connection is refused and the "
                    "load balancer itself answers 502 (ELB 502 and TargetConnectionErrorCount equal the request count, "
                    "TargetResponseTime has no data). The application release fourteen minutes earlier is the decoy: the "
                    "Rails logs show it restarting and then serving 200s normally for about twelve minutes, its only new output is "
                    "a deprecation warning, the instances remain healthy in the old target group on 8080, and after the "
                    "listener change they simply stop receiving requests. A configuration change shortly before onset: "
                    "config_change on booking-alb."}
    return doc, meta
