"""h44-06: quotes-web-1 CPU pinned by a rake job started from cron; a NACL edit is the decoy."""
from __future__ import annotations

from .common import TIMES, Rng, Scenario, diurnal, ramp, spread, wall
from .kit import alb_metrics, ec2_basic, rds_set

REGION = "ca-central-1"
LB = "app/quotes-alb/4b7d1e9a3c5f0826"
TG = "targetgroup/quotes-web-tg/0c6e2a8f4d1b7395"
WEB1, WEB2 = "i-0f4a7c2e9b1d35068", "i-02b8e6d4c0a1f3957"
T0 = -2040


def _rb(t, pid, lvl, msg, rid=None):
    d = wall(t)
    stamp = d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond:06d}"
    tag = f"[{rid}] " if rid else ""
    return f"{lvl[0]}, [{stamp} #{pid}] {lvl:>5} -- : {tag}{msg}"


def build() -> dict:
    rng = Rng(4406)
    sc = Scenario("h44-06-quotes-web-cpu-rake-job", REGION,
                  "Quote requests slow and some failing for brokers; CPU alarm on quotes-web-1.")
    for iid, name, ip, subnet in ((WEB1, "quotes-web-1", "10.60.11.24", "subnet-0a9b8c7d6e5f40312 (quotes-private-a)"),
                                  (WEB2, "quotes-web-2", "10.60.12.57", "subnet-0d1c2b3a4f5e60789 (quotes-private-b)")):
        sc.res("ec2", iid, name=name, instance_type="c6i.xlarge", private_ip=ip, subnet=subnet, vpc_id="vpc-0e7d6c5b4a3f21098",
               network_acl="acl-0e2d4f6a8c1b3e579 (quotes-private-nacl)",
               security_groups=["sg-0c3e5a7b9d1f24680 (quotes-web-sg: tcp 80 from quotes-alb-sg)"],
               stack="nginx 1.24 + puma 6 (Rails 7.1, ruby 3.3)", target_group="quotes-web-tg",
               log_groups=["/quotes/rails/production", "/quotes/syslog"])
    sc.res("alb", LB, name="quotes-alb", scheme="internet-facing",
           listeners=[{"port": 443, "protocol": "HTTPS", "default_action": "forward to quotes-web-tg"}],
           target_groups=[{"name": "quotes-web-tg", "id": TG, "target_type": "instance", "port": 80,
                           "targets": [WEB1, WEB2], "health_check": {"path": "/up", "interval_s": 30, "timeout_s": 10}}])
    sc.res("rds", "quotes-db", engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large",
           max_connections=1000, allocated_storage_gb=300)

    f = lambda t: ramp(t, T0 + 20, 70)
    base = lambda t: 160 * diurnal(t, 0.2, -2000)
    ec2_basic(sc, rng, WEB1, cpu=lambda t: 28 * diurnal(t, 0.2, -2000) + 71 * f(t), net_in=lambda t: 2.1e6 * diurnal(t, 0.2, -2000),
              mem=lambda t: 52 + 9 * f(t), disk=lambda t: 41.3)
    ec2_basic(sc, rng, WEB2, cpu=lambda t: 27 * diurnal(t, 0.2, -2000), net_in=lambda t: 2.0e6 * diurnal(t, 0.2, -2000),
              mem=lambda t: 50.5, disk=lambda t: 40.8)
    rds_set(sc, rng, "quotes-db", cpu=lambda t: 18 * diurnal(t, 0.1), conns=lambda t: 64, free_gb=lambda t: 188.0,
            freeable_gb=lambda t: 4.2)

    # per-request simulation on both instances, shared by the ALB metrics and the Rails logs
    pm = {k: {} for k in ("RequestCount", "HTTPCode_Target_2XX_Count", "HTTPCode_Target_4XX_Count",
                          "HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count", "TargetResponseTime",
                          "HealthyHostCount", "UnHealthyHostCount")}
    logs = {WEB1: [], WEB2: []}
    pids = {WEB1: [3114, 3121, 3127, 3133], WEB2: [2987, 2990, 2996, 3002]}
    paths = [("POST", "/api/v1/quotes", "QuotesController#create", 0.45), ("GET", "/api/v1/quotes/:id", "QuotesController#show", 0.3),
             ("GET", "/api/v1/carriers", "CarriersController#index", 0.15), ("POST", "/api/v1/quotes/:id/bind", "BindingsController#create", 0.1)]
    for t in TIMES:
        n = rng.poisson(base(t))
        tot, e5, e4 = 0.0, 0, 0
        for ti in spread(rng, t, n):
            iid = WEB1 if rng.random() < 0.5 else WEB2
            method, path, action, _ = rng.pick([(p, p[3]) for p in paths])
            ar = rng.gauss(31, 8)
            view = rng.gauss(120, 30)
            slow = f(ti) if iid == WEB1 else 0.0
            total = (ar + view) * (1 + 45 * slow * rng.lognormvariate(0, 0.55))
            status = 200 if method == "GET" else 201
            if rng.random() < 0.012:
                status = 422
            if total > 15000:
                total, status = 15000 + rng.uniform(0.5, 3), 500
            tot += total / 1000
            e5 += status == 500
            e4 += status == 422
            if ti >= -2700:
                rid = rng.uid()
                pid = rng.choice(pids[iid])
                if status == 500:
                    logs[iid].append((ti + total / 1000, _rb(ti + total / 1000, pid, "ERROR",
                                      "Rack::Timeout::RequestTimeoutException (Request ran for longer than 15000ms ):\n  "
                                      "app/services/quotes/premium_calculator.rb:88:in `block in rate_lines'\n  "
                                      "app/controllers/api/v1/quotes_controller.rb:21:in `create'", rid)))
                    logs[iid].append((ti + total / 1000 + 0.001, _rb(ti + total / 1000, pid, "INFO",
                                      f"Completed 500 Internal Server Error in {total:.0f}ms (ActiveRecord: {ar:.1f}ms | Allocations: {rng.randint(90000, 200000)})", rid)))
                else:
                    txt = {200: "200 OK", 201: "201 Created", 422: "422 Unprocessable Entity"}[status]
                    logs[iid].append((ti + total / 1000, _rb(ti + total / 1000, pid, "INFO",
                                      f"Completed {txt} in {total:.0f}ms (Views: {view * (total / (ar + view)):.1f}ms | "
                                      f"ActiveRecord: {ar:.1f}ms | Allocations: {rng.randint(40000, 190000)})", rid)))
        pm["RequestCount"][t] = n
        pm["HTTPCode_Target_5XX_Count"][t] = e5
        pm["HTTPCode_Target_4XX_Count"][t] = e4
        pm["HTTPCode_Target_2XX_Count"][t] = n - e5 - e4
        pm["HTTPCode_ELB_5XX_Count"][t] = rng.poisson(0.05)
        pm["TargetResponseTime"][t] = tot / max(n, 1)
        pm["HealthyHostCount"][t] = 2
        pm["UnHealthyHostCount"][t] = 0
    alb_metrics(sc, LB, TG, pm)

    # rake job progress (web-1 only) + syslog on both instances
    job_pid = 28113
    t = T0 + 9
    batch = 1
    while t < 0:
        logs[WEB1].append((t, _rb(t, job_pid, "INFO", f"[rate_cache] rebuilt batch {batch}/330 (carrier="
                                  f"{rng.choice(['intact', 'aviva', 'definity', 'wawanesa', 'desjardins'])}, rows={rng.randint(9000, 14000)}) "
                                  f"in {rng.uniform(14, 22):.1f}s")))
        batch += 1
        t += rng.uniform(14, 22)
    logs[WEB1].append((T0 + 6, _rb(T0 + 6, job_pid, "INFO", "[rate_cache] starting full rebuild: 330 batches, 12 worker threads, "
                                   "REBUILD_SCOPE=all_provinces")))
    for iid in (WEB1, WEB2):
        sc.log("/quotes/rails/production", iid, logs[iid])
    for iid, host in ((WEB1, "ip-10-60-11-24"), (WEB2, "ip-10-60-12-57")):
        ev = []
        for m in range(-10800, 0, 60):
            d = wall(m)
            stamp = d.strftime("%b %d %H:%M:%S")
            if m % 300 == 0:
                ev.append((m + 0.2, f"{stamp} {host} CRON[{rng.randint(20000, 29999)}]: (root) CMD (/usr/local/bin/ship-puma-stats.sh >/dev/null 2>&1)"))
            if m % 3600 == 1020:
                ev.append((m + 0.4, f"{stamp} {host} CRON[{rng.randint(20000, 29999)}]: (root) CMD (   cd / && run-parts --report /etc/cron.hourly)"))
            if iid == WEB1 and m == T0:
                ev.append((m + 0.3, f"{stamp} {host} CRON[{job_pid - 2}]: (deploy) CMD (cd /srv/quotes/current && RAILS_ENV=production "
                                    f"bundle exec rake quotes:rebuild_rate_cache >> log/cron.log 2>&1)"))
            if rng.random() < 0.08:
                ev.append((m + rng.uniform(1, 59), f"{stamp} {host} systemd[1]: Started session-{rng.randint(1000, 9999)}.scope - Session of user ssm-user."))
        sc.log("/quotes/syslog", iid, ev)

    sc.change(-2100, "ec2.amazonaws.com", "ReplaceNetworkAclEntry", "AWS::EC2::NetworkAcl", "acl-0e2d4f6a8c1b3e579",
              "secops-blocklist-automation")
    sc.change(-7900, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "quotes-mysql80", "j.tremblay")
    sc.alarm("quotes-web-1-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": WEB1}, "Average", 300, 2, 90,
             "GreaterThanThreshold", "ALARM", T0 + 660, description="quotes-web-1 CPU > 90% for 10 minutes")
    sc.alarm("quotes-alb-target-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB}, "Average", 60, 5,
             1.0, "GreaterThanThreshold", "ALARM", T0 + 400)
    sc.alarm("quotes-web-2-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": WEB2}, "Average", 300, 2, 90,
             "GreaterThanThreshold", "OK", -90000)
    sc.expect("quotes-web-1-cpu-high", "cpu_saturation", [WEB1, "quotes-web-1"],
              [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": WEB1}}])
    return sc.done()
