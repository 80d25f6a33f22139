"""h52-05: a weekly search reindex cron pins portal-web-2's CPU; ALB latency alarm fires."""
from __future__ import annotations

from .common import Scenario, alb_dims, ec2_pack, lambda_pack, rds_pack, sig, tg_dims
from .logfmt import nginx

ALB = "app/portal-alb/0c4b7e2d9a1f3658"
TG = "targetgroup/portal-web-tg/5e1d7a3c9b2f4068"
WEB1, WEB2, WORK = "i-0d3f5a7c9e1b24680", "i-0a8e6c4f2b0d13579", "i-07b5d3f1e9c2a4680"
CRON = -2400
HOST = {WEB1: "ip-10-1-1-38", WEB2: "ip-10-1-2-57"}


def build():
    s = Scenario(5, "portal-reindex-cpu", "us-east-2", "2026-06-02T02:40:00",
                 "Customer portal pages are very slow (several seconds) and some requests fail; the "
                 "portal ALB latency alarm fired.")
    s.resource("alb", ALB, name="portal-alb", scheme="internet-facing", target_groups=["portal-web-tg"])
    for iid, name in ((WEB1, "portal-web-1"), (WEB2, "portal-web-2")):
        s.resource("ec2", iid, name=name, instance_type="c6i.xlarge", vcpus=4,
                   role="Rails 7.1 / Puma 6 (2 workers x 8 threads) behind nginx",
                   log_groups=["/portal/nginx/access", "/portal/rails/production", "/portal/syslog"]
                   + (["/portal/reindex"] if iid == WEB2 else []))
    s.resource("ec2", WORK, name="portal-worker-1", instance_type="m6i.large",
               role="sidekiq", autoscaling_group="portal-worker-asg")
    s.resource("rds", "portal-db", engine="postgres", engine_version="14.11", instance_class="db.r6g.xlarge",
               max_connections=1700, allocated_storage_gb=300)
    s.resource("lambda", "portal-sitemap", runtime="ruby3.3", timeout=300, memory_size=1024)

    load = sig  # alias for readability
    req = s.series(lambda t: s.count(940 * s.diurnal(t, 0.5, 0.2)))
    slow2 = {t: load(t, CRON + 50, 20) for t in req}
    t5 = {t: s.count(req[t] * 0.5 * 0.012 * slow2[t]) + (1.0 if s.rng.random() < 0.05 else 0.0) for t in req}
    trt = {t: 0.105 + s.noise(0.01) + slow2[t] * (1.25 + s.noise(0.12)) for t in req}
    s.metric("AWS/ApplicationELB", "RequestCount", alb_dims(ALB), "Count", req, integer=True)
    s.metric("AWS/ApplicationELB", "TargetResponseTime", alb_dims(ALB), "Seconds", trt, nd=4)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb_dims(ALB), "Count", t5, integer=True)
    s.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", alb_dims(ALB), "Count",
             {t: s.count(2.5 * slow2[t]) for t in req}, integer=True)
    unh = {t: (1.0 if slow2[t] > 0.5 and s.rng.random() < 0.22 else 0.0) for t in req}
    s.metric("AWS/ApplicationELB", "UnHealthyHostCount", tg_dims(ALB, TG), "Count", unh, integer=True)
    s.metric("AWS/ApplicationELB", "HealthyHostCount", tg_dims(ALB, TG), "Count",
             {t: 2.0 - unh[t] for t in req}, integer=True)
    ec2_pack(s, WEB1, {t: 27 * req[t] / 940 + s.noise(2.5) for t in req},
             {t: req[t] * 4100 + s.noise(2e5) for t in req}, s.series(lambda t: 0.0),
             mem=s.series(lambda t: 61 + s.noise(0.8)), disk=s.series(lambda t: 48.2 + t * 1e-6 + s.noise(0.05)))
    ec2_pack(s, WEB2, {t: (27 * req[t] / 940 + s.noise(2.5)) * (1 - slow2[t]) + slow2[t] * (98.6 + s.noise(1.1))
                       for t in req},
             {t: req[t] * 4000 + s.noise(2e5) + slow2[t] * 6e6 for t in req}, s.series(lambda t: 0.0),
             mem=s.series(lambda t: 63 + s.noise(0.8) + 17 * sig(t, CRON + 120, 200)),
             disk=s.series(lambda t: 51.0 + 0.6 * sig(t, CRON + 300, 400) + s.noise(0.05)))
    kw = dict(step=300, start=-43200, end=-300)
    ec2_pack(s, WORK, s.series(lambda t: 34 + s.noise(6), **kw), s.series(lambda t: 9e7 + s.noise(1e7), **kw),
             s.series(lambda t: 0.0, **kw), **kw)
    rds_pack(s, "portal-db", {t: 21 + s.noise(2) + 14 * slow2[t] for t in req},
             s.series(lambda t: 74 + s.noise(3) + (12 if t >= CRON else 0)),
             s.series(lambda t: 188.6e9 + s.noise(4e7)), s.series(lambda t: 19.2e9 + s.noise(1e8)),
             s.series(lambda t: 0.0008 + abs(s.noise(0.0002))))
    pinv = s.series(lambda t: 1.0 if t % 3600 == 0 else None)
    lambda_pack(s, "portal-sitemap", pinv, {t: 0.0 for t in pinv}, {t: 41000.0 + s.noise(3000) for t in pinv},
                conc={t: 1.0 for t in pinv})

    # ---- logs: nginx, rails, syslog per instance
    bots = ["/wp-login.php", "/.env", "/xmlrpc.php"]
    for iid in (WEB1, WEB2):
        acc, rails, sysl = [], [], []
        pid = 24817 if iid == WEB1 else 31002
        for t in range(-10800, 0, 60):
            f = slow2.get(t, 0.0) if iid == WEB2 else 0.0
            for _ in range(int(s.count(6))):
                tt = t + s.rng.uniform(0, 59.9)
                path = s.rng.choice(["/account", "/invoices", f"/invoices/{s.rng.randint(10**5, 10**6)}",
                                     "/dashboard", "/api/v1/notifications", "/support/tickets"])
                rt = s.rng.uniform(0.03, 0.2) * (1 + f * s.rng.uniform(8, 40))
                status = 200
                if f > 0.5 and s.rng.random() < 0.025:
                    status, rt = 503, 15.0 + s.rng.uniform(0, 0.1)
                rid = s.uuid()
                acc.append((tt + rt, nginx(s, tt + rt, f"10.1.{s.rng.randint(0, 3)}.{s.rng.randint(2, 250)}", "GET",
                                           path, status, s.rng.randint(800, 40000), rt, upstream=rt - 0.001)))
                us = f"{s.at(tt).microsecond:06d}"
                stamp = f"{s.stamp(tt, '%Y-%m-%dT%H:%M:%S')}.{us}"
                rails.append((tt, f"I, [{stamp} #{pid}]  INFO -- : [{rid}] Started GET \"{path}\" for "
                              f"10.1.{s.rng.randint(0, 3)}.{s.rng.randint(2, 250)} at {s.stamp(tt, '%Y-%m-%d %H:%M:%S +0000')}"))
                if status == 503:
                    rails.append((tt + 15, f"E, [{stamp} #{pid}] ERROR -- : [{rid}] Rack::Timeout::RequestTimeoutException "
                                  "(Request ran for longer than 15000ms ):"))
                else:
                    ms = rt * 1000
                    rails.append((tt + rt, f"I, [{stamp} #{pid}]  INFO -- : [{rid}] Completed 200 OK in {ms:.0f}ms "
                                  f"(Views: {ms * 0.6:.1f}ms | ActiveRecord: {min(ms * 0.2, s.rng.uniform(8, 40)):.1f}ms "
                                  f"| Allocations: {s.rng.randint(9000, 80000)})"))
            if s.rng.random() < 0.35:
                tt = t + s.rng.uniform(0, 59.9)
                us = f"{s.at(tt).microsecond:06d}"
                bp = s.rng.choice(bots)
                rid = s.uuid()
                rails.append((tt, f"F, [{s.stamp(tt, '%Y-%m-%dT%H:%M:%S')}.{us} #{pid}] FATAL -- : [{rid}] "
                              f"ActionController::RoutingError (No route matches [GET] \"{bp}\"):"))
                acc.append((tt, nginx(s, tt, f"{s.rng.randint(40, 200)}.{s.rng.randint(0, 255)}.{s.rng.randint(0, 255)}."
                                      f"{s.rng.randint(1, 254)}", "GET", bp, 404, 1722, 0.004, ua="python-requests/2.31.0",
                                      upstream=0.003)))
            if t % 3600 == 0:
                sysl.append((t + 1, f"{s.stamp(t + 1, '%b %e %H:%M:%S')} {HOST[iid]} CRON[{s.rng.randint(100000, 300000)}]: "
                             "(root) CMD (/usr/local/bin/logrotate-portal >/dev/null 2>&1)"))
            if t % 300 == 0:
                sysl.append((t + 2, f"{s.stamp(t + 2, '%b %e %H:%M:%S')} {HOST[iid]} amazon-cloudwatch-agent[1187]: "
                             "2026/06/02 metrics flushed to CloudWatch (measurement=mem,disk)"))
        if iid == WEB2:
            sysl.append((CRON + 1, f"{s.stamp(CRON + 1, '%b %e %H:%M:%S')} {HOST[iid]} CRON[188213]: (deploy) CMD (cd "
                         "/srv/portal/current && RAILS_ENV=production bundle exec rake search:rebuild_index WORKERS=8 "
                         ">> /srv/portal/shared/log/reindex.log 2>&1)"))
            for t in range(CRON + 600, 0, 900):
                sysl.append((t + 20, f"{s.stamp(t + 20, '%b %e %H:%M:%S')} {HOST[iid]} kernel: [3912{s.rng.randint(100, 999)}.{s.rng.randint(100000, 999999)}] "
                             f"puma: page allocation stalls for {s.rng.randint(10, 40)}ms, order:0, mode:0x14200ca"))
            rx = [(CRON + 4, "[reindex] 02:00:04 starting full rebuild of index portal_documents_v12: 2,481,903 documents, 8 workers"),
                  (CRON + 5, "[reindex] 02:00:05 dropping alias portal_documents -> v11 after completion (not before)")]
            done = 0
            for t in range(CRON + 60, 0, 60):
                done += s.rng.randint(13000, 17000)
                rx.append((t + 4, f"[reindex] {s.stamp(t + 4, '%H:%M:%S')} progress {done:,}/2,481,903 "
                           f"({done / 2481903 * 100:.1f}%) rate={s.rng.randint(215, 280)}/s workers=8 load1={s.rng.uniform(11, 15):.2f}"))
            s.log("/portal/reindex", WEB2, rx)
        s.log("/portal/nginx/access", iid, acc)
        s.log("/portal/rails/production", iid, rails)
        s.log("/portal/syslog", iid, sysl)

    # ---- changes
    s.change(-6000, "autoscaling.amazonaws.com", "UpdateAutoScalingGroup", "AWS::AutoScaling::AutoScalingGroup",
             "portal-worker-asg", "ops-t.fischer")
    s.change(-3600, "elasticloadbalancing.amazonaws.com", "CreateRule", "AWS::ElasticLoadBalancingV2::ListenerRule",
             "app/portal-alb/0c4b7e2d9a1f3658/6f2e8a1c3b5d7094", "web-team-b.cho")
    s.change(-2800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "portal-sitemap", "ci-deployer")
    s.change(-2700, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "portal-db", "dba-r.singh")
    s.change(-1800, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/portal/prod/maintenance_banner",
             "support-lead-k.adams")
    s.change(-900, "ec2.amazonaws.com", "CreateSnapshot", "AWS::EC2::Volume", "vol-04a9c1e7b3d5f2860 (portal-worker-1)",
             "aws-backup")

    a = s.alarm("portal-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", alb_dims(ALB), "Average", 60, 5,
                1.0, "GreaterThanThreshold", expect_state="ALARM", description="Portal average response time > 1 s")
    s.alarm("portal-web-2-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": WEB2}, "Average", 300, 3, 90,
            "GreaterThanThreshold", expect_state="ALARM")
    s.alarm("portal-web-1-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": WEB1}, "Average", 300, 3, 90,
            "GreaterThanThreshold", expect_state="OK")
    s.alarm("portal-db-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "portal-db"}, "Average",
            300, 3, 80, "GreaterThanThreshold", expect_state="OK")
    res = [WEB2, "portal-web-2"]
    doc = s.render({"alarm": a["name"], "root_cause": {"category": "cpu_saturation", "resource": res},
                    "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": WEB2}},
                                  {"namespace": "AWS/ApplicationELB", "name": "TargetResponseTime",
                                   "dimensions": alb_dims(ALB)}]})
    meta = dict(alarm=a["name"], category="cpu_saturation", resources=res,
                where="front (ALB latency; origin is one of its two targets)",
                decoys="new ALB listener rule on the same ALB 20 min before; portal-sitemap deploy; portal-db "
                       "ModifyDBInstance (backup retention); worker ASG resize; SSM banner flag after onset; EBS "
                       "snapshot on the worker; steady RoutingError FATALs from bots on both hosts",
                story="At 02:00 UTC cron on portal-web-2 starts `rake search:rebuild_index WORKERS=8` (2.48 M documents) "
                      "on a 4-vCPU host. CPUUtilization on web-2 goes from ~27 % to 97-100 % within two minutes and "
                      "stays there; web-1 is unchanged. Requests routed to web-2 take seconds, some hit "
                      "Rack::Timeout (15 s, 503) and ALB 504s, the target flaps unhealthy, and the ALB's average "
                      "response time crosses 1 s. None of the CloudTrail changes touches web-2 (the listener rule "
                      "only redirects /help, portal-db's change is backup retention), and the database is only "
                      "mildly busier. Label: cpu_saturation on portal-web-2.")
    return doc, meta
