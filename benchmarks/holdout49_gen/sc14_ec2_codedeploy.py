"""h49-14: a CodeDeploy in-place release of billing-web (Rails on one EC2 instance) ships a
view that calls a method the model doesn't have; invoice pages with VAT lines 500.
Rails logs are stamped in Europe/Berlin and every FATAL line is its own event among
plenty of INFO; scanners have produced RoutingError FATALs all day. EC2 metrics are
5-minute (basic)."""
from __future__ import annotations

import math

from .common import Clock, Rng, alarm, change, diurnal, expect, log_stream, metric, pts, scenario

NOW = "2026-03-14T14:40:00"
REGION = "eu-central-1"
TZ = 1  # CET
INST = "i-0e5d4c3b2a1908f7e"
ALB = "app/billing-alb/5d0c8e2f7b1a4396"
DEPLOY = -2100
RESTART = DEPLOY + 75
LOG_FROM = -3600


def build():
    rng = Rng(4914)
    clock = Clock(NOW)
    rb = lambda t, sev, rid, msg: "%s, [%s #%d] %5s -- : [%s] %s" % (
        sev[0], clock.fmt(t, "%Y-%m-%dT%H:%M:%S.%f", TZ), 2811 if t < RESTART else 40612, sev, rid, msg)
    ev = []
    req, t5, t4, rts = {}, {}, {}, {}
    for m in range(-21600, 0, 60):
        n = rng.pois(68 * diurnal(m, 0.2, 10000))
        fails = scans = 0
        lat = 0.0
        for _ in range(n):
            t = m + rng.random() * 60
            if RESTART <= t < RESTART + 14:
                continue  # puma restarting: ALB answers 502 itself
            rid = rng.uuid4()
            r = rng.random()
            ip = rng.ip("10.0")
            if r < 0.38:
                inv = rng.randint(80000, 99999)
                path, action, params = "/invoices/%d" % inv, "InvoicesController#show", '{"id"=>"%d"}' % inv
            elif r < 0.6:
                path, action, params = "/invoices?page=%d" % rng.randint(1, 9), "InvoicesController#index", None
            elif r < 0.72:
                path, action, params = "/payments", "PaymentsController#create", None
            elif r < 0.985:
                path, action, params = "/customers/%d" % rng.randint(1000, 9999), "CustomersController#show", None
            else:
                path, action, params = "/wp-login.php", None, None
            meth = "POST" if action == "PaymentsController#create" else "GET"
            dur = max(8.0, rng.gauss(62, 18))
            new_bug = action == "InvoicesController#show" and t >= RESTART + 14 and rng.random() < 0.62
            if m >= LOG_FROM:
                ev.append([t, rb(t, "INFO", rid, 'Started %s "%s" for %s at %s' % (meth, path, ip, clock.fmt(t, "%Y-%m-%d %H:%M:%S %z", TZ)))])
            if action is None:
                scans += 1
                if m >= LOG_FROM:
                    tt = t + 0.003
                    for line in ["  ", 'ActionController::RoutingError (No route matches [GET] "/wp-login.php"):', "  "]:
                        ev.append([tt, rb(tt, "FATAL", rid, line)])
                        tt += 0.0002
                lat += 0.004
                continue
            if m >= LOG_FROM:
                ev.append([t + 0.001, rb(t + 0.001, "INFO", rid, "Processing by %s as %s" % (action, "HTML" if meth == "GET" else "JSON"))])
                if params:
                    ev.append([t + 0.0012, rb(t + 0.0012, "INFO", rid, "  Parameters: %s" % params)])
            if new_bug:
                dur = max(8.0, rng.gauss(37, 8))
                fails += 1
                if m >= LOG_FROM:
                    tt = t + dur / 1000
                    ev.append([tt, rb(tt, "INFO", rid, "Completed 500 Internal Server Error in %dms (ActiveRecord: %.1fms | Allocations: %d)"
                                      % (dur, dur * 0.2, rng.randint(8000, 11000)))])
                    for line in ["  ", "ActionView::Template::Error (undefined method `vat_breakdown' for an instance of Invoice):",
                                 "    11:   </thead>",
                                 "    12:   <% @invoice.vat_breakdown.each do |rate, amount| %>", "  ",
                                 "app/views/invoices/_totals.html.erb:12", "app/views/invoices/show.html.erb:38"]:
                        tt += 0.0002
                        ev.append([tt, rb(tt, "FATAL", rid, line)])
            elif m >= LOG_FROM:
                tt = t + dur / 1000
                ev.append([tt, rb(tt, "INFO", rid, "Completed %s in %dms (Views: %.1fms | ActiveRecord: %.1fms | Allocations: %d)"
                                  % ("201 Created" if meth == "POST" else "200 OK", dur, dur * 0.6, dur * 0.25,
                                     rng.randint(9000, 40000)))])
            lat += dur / 1000
        req[m] = n
        t5[m] = fails
        t4[m] = scans + rng.pois(0.8)
        rts[m] = lat / n if n else None
    boot_t = RESTART + 6
    boot = [
        "Puma starting in cluster mode...",
        "* Puma version: 6.4.2 (ruby 3.3.0-p0) (\"The Eagle of Durango\")",
        "*  Min threads: 5", "*  Max threads: 5", "*  Environment: production", "*   Master PID: 40612",
        "*      Workers: 4", "*     Restarts: (\u2714) hot (\u2716) phased", "* Preloading application",
        "billing-web release 2026.03.14-1 (git 7c1e9ab) booted",
        "* Listening on http://0.0.0.0:3000", "Use Ctrl-C to stop",
    ]
    puma = [[RESTART - 2, "- Gracefully stopping, waiting for requests to finish"],
            [RESTART - 1, "=== puma shutdown: %s ===" % clock.fmt(RESTART - 1, "%Y-%m-%d %H:%M:%S %z", TZ)],
            [RESTART - 0.9, "- Goodbye!"]]
    puma += [[boot_t + 0.3 * k, line] for k, line in enumerate(boot)]
    puma += [[boot_t + 5 + k, "[%d] - Worker %d (PID: %d) booted in 4.%02ds, phase: 0" % (40612, k, 40620 + k, rng.randint(10, 99))]
             for k in range(4)]
    cd = lambda t, msg: [t, "%s INFO  [codedeploy-agent(1893)]: %s" % (clock.fmt(t, "%Y-%m-%dT%H:%M:%S", TZ), msg)]
    dep = "d-7QX2M4K9B"
    codedeploy = [
        cd(DEPLOY + 8, "[Aws::CodeDeployCommand::Client 200] poll_host_command: DownloadBundle for %s" % dep),
        cd(DEPLOY + 20, "Lifecycle event BeforeInstall: Script - scripts/stop_puma.sh (deployment %s)" % dep),
        cd(DEPLOY + 41, "Lifecycle event AfterInstall: Script - scripts/bundle_and_assets.sh (deployment %s)" % dep),
        cd(RESTART - 3, "Lifecycle event ApplicationStart: Script - scripts/restart_puma.sh (deployment %s)" % dep),
        cd(RESTART + 30, "Lifecycle event ValidateService: Script - scripts/healthcheck.sh -> HTTP 200 /up (deployment %s)" % dep),
        cd(RESTART + 32, "Deployment %s succeeded on %s (revision billing-web-2026.03.14-1.zip)" % (dep, INST)),
    ]
    logs = [log_stream("/billing-web/production.log", INST, ev), log_stream("/billing-web/puma", INST, puma),
            log_stream("/billing-web/codedeploy-agent", INST, codedeploy)]

    alb = {"LoadBalancer": ALB}
    grid = lambda src, nd=4: [[m, round(float(src[m]), nd)] for m in range(-21600, 0, 60) if src[m] is not None]
    m_req = metric("AWS/ApplicationELB", "RequestCount", alb, "Count", grid(req))
    m_t5 = metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb, "Count", grid(t5))
    m_t4 = metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", alb, "Count", grid(t4))
    m_e5 = metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", alb, "Count",
                  pts(lambda t: 11.0 if t == (RESTART // 60) * 60 else float(rng.pois(0.02))))
    m_rt = metric("AWS/ApplicationELB", "TargetResponseTime", alb, "Seconds", grid(rts))
    m_hh = metric("AWS/ApplicationELB", "HealthyHostCount", alb, "Count",
                  pts(lambda t: 0.0 if t == (RESTART // 60) * 60 else 1.0))
    five = dict(start=-21600, end=-300, step=300)
    i = {"InstanceId": INST}
    m_cpu = metric("AWS/EC2", "CPUUtilization", i, "Percent",
                   pts(lambda t: rng.noise(64, 4) if t <= DEPLOY < t + 300 else rng.noise(17, 1.8) * diurnal(t, 0.2, 10000), **five))
    m_net = metric("AWS/EC2", "NetworkOut", i, "Bytes", pts(lambda t: rng.noise(9.1e7, 6e6), nd=0, **five))
    m_sc = metric("AWS/EC2", "StatusCheckFailed", i, "Count", pts(lambda t: 0.0))
    r = {"DBInstanceIdentifier": "billing-db"}
    m_db = [metric("AWS/RDS", "CPUUtilization", r, "Percent", pts(lambda t: rng.noise(11, 1.2))),
            metric("AWS/RDS", "DatabaseConnections", r, "Count", pts(lambda t: rng.noise(22, 1.5), integer=True))]
    im = {"FunctionName": "invoice-mailer"}
    m_im = [metric("AWS/Lambda", "Invocations", im, "Count", pts(lambda t: rng.pois(2.2), integer=True)),
            metric("AWS/Lambda", "Errors", im, "Count", pts(lambda t: 0.0))]
    metrics = [m_req, m_t5, m_t4, m_e5, m_rt, m_hh, m_cpu, m_net, m_sc] + m_db + m_im
    alarms = [
        alarm("billing-alb-target-5xx", m_t5, "Sum", 60, 3, 8.0, "GreaterThanThreshold", clock, "ALARM",
              "billing-web 5XX"),
        alarm("billing-alb-elb-5xx", m_e5, "Sum", 60, 1, 20.0, "GreaterThanThreshold", clock, "OK"),
        alarm("billing-web-1-cpu", m_cpu, "Average", 300, 2, 85.0, "GreaterThanThreshold", clock, "OK"),
        alarm("billing-db-cpu", m_db[0], "Average", 300, 3, 80.0, "GreaterThanThreshold", clock, "OK"),
    ]
    changes = [
        change(-3600, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
               "invoice-mailer", "s.hoffmann"),
        change(DEPLOY, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup",
               "billing-web/billing-web-prod", "github-actions-billing"),
    ]
    resources = [
        {"type": "ec2", "id": INST, "properties": {
            "name": "billing-web-1", "instance_type": "m6i.large", "monitoring": "basic",
            "codedeploy": {"application": "billing-web", "deployment_group": "billing-web-prod"},
            "log_groups": ["/billing-web/production.log", "/billing-web/puma", "/billing-web/codedeploy-agent"]}},
        {"type": "alb", "id": ALB, "properties": {"name": "billing-alb", "targets": [INST]}},
        {"type": "rds", "id": "billing-db", "properties": {"engine": "postgres", "instance_class": "db.t4g.large",
                                                           "max_connections": 450}},
        {"type": "lambda", "id": "invoice-mailer", "properties": {"runtime": "ruby3.3", "timeout": 30,
                                                                  "memory_size": 256}},
    ]
    data = scenario("h49-14-ec2-codedeploy-rails-template-error",
                    "billing-alb target 5XX alarm; accountants cannot open some invoices.",
                    REGION, resources, metrics, logs, alarms, changes,
                    expect("billing-alb-target-5xx", "bad_deployment", [INST, "billing-web-1"], [m_t5]))
    meta = {
        "slug": "ec2-codedeploy-rails-template-error", "region": REGION, "alarm": "billing-alb-target-5xx",
        "category": "bad_deployment", "resources": [INST, "billing-web-1"], "alarm_on": "front (ALB)",
        "decoys": "invoice-mailer Lambda configuration change 1 h earlier; wp-login.php RoutingError FATALs "
                  "all day; the brief ELB 502s and HealthyHostCount dip of the restart itself",
        "paragraph": (
            "35 minutes ago GitHub Actions created a CodeDeploy deployment for billing-web-prod; the agent "
            "log on billing-web-1 shows the lifecycle hooks and the puma log shows the restart into release "
            "2026.03.14-1 (git 7c1e9ab). From then on ~60 % of `GET /invoices/:id` end in `Completed 500` "
            "followed by FATAL lines `ActionView::Template::Error (undefined method `vat_breakdown' for an "
            "instance of Invoice)` at app/views/invoices/_totals.html.erb:12, a signature absent before. "
            "Rails stamps Berlin time (+0100) and writes each FATAL line as its own event among a lot of "
            "INFO; `RoutingError` FATALs from wp-login scanners are present at the same rate all day. "
            "EC2 has only 5-minute basic metrics (a CPU bump during bundle/assets). The restart's short "
            "ELB 502 burst is part of the deploy, not the failure, and the invoice-mailer configuration "
            "change concerns a Lambda that is not on this path. New error signature right after a code "
            "deployment: bad_deployment on billing-web-1; the alarm is on the ALB in front."),
    }
    return data, meta
