"""h63-06: a public-records (FOIA) export job stages response packages on the root volume of
one Rails instance until it is full; requests routed there fail with ENOSPC."""
from __future__ import annotations

from .common import GRID, Scenario, bump, diurnal, ramp
from .kit import LOG_START, alb, alb_id, emit, night_window, part, periodic, scanner
from .runtimes import rails

ROUTES = [("GET", "/requests", "RequestsController#index"), ("GET", "/requests/{id}", "RequestsController#show"),
          ("POST", "/requests", "RequestsController#create"), ("POST", "/requests/{id}/attachments",
                                                               "AttachmentsController#create"),
          ("GET", "/search", "SearchController#index")]


def build() -> Scenario:
    sc = Scenario(6, "records-request-portal", "Public records request portal intermittently returning "
                  "500s overnight; ALB 5XX alarm paged the county on-call.", "us-west-2", 6306,
                  "2026-01-27T11:30:00+00:00")
    rng = sc.rng
    lb = alb_id(sc, "records-request-portal")
    a, b = "i-0f3e81a6c5d27b940", "i-02c9d4b7e8a16f353"
    full = -2050
    sc.resource("alb", lb, name="records-request-portal", scheme="internet-facing")
    for iid, name in ((a, "foia-web-1"), (b, "foia-web-2")):
        sc.resource("ec2", iid, name=name, instance_type="m6i.large", root_volume_gb=80,
                    app="Rails 7.1 / puma 6 / sidekiq 7 (ruby 3.3)", log_groups=["/foia/rails", "/foia/sidekiq"])

    # ---------------------------------------------------------------- metrics
    disk_a = lambda t: min(100.0, 71 + 29 * ramp(t, -9200, full, ) ** 0.9)
    sc.metric("CWAgent", "disk_used_percent", {"InstanceId": a, "path": "/", "device": "nvme0n1p1", "fstype": "xfs"},
              "Percent", sc.series(lambda t: disk_a(t) if t < full else 100.0, noise=0.0015, cap=100.0))
    sc.metric("CWAgent", "disk_used_percent", {"InstanceId": b, "path": "/", "device": "nvme0n1p1", "fstype": "xfs"},
              "Percent", sc.series(lambda t: 58.2 + 0.4 * ramp(t, -21600, 0), noise=0.001))
    sc.metric("AWS/EC2", "CPUUtilization", {"InstanceId": a}, "Percent",
              sc.series(lambda t: 9 + 24 * ramp(t, -9200, -9000) - 18 * ramp(t, full, full + 120)
                        + bump(t, -6950, -6800, 20, 30), noise=0.1))
    sc.metric("AWS/EC2", "CPUUtilization", {"InstanceId": b}, "Percent",
              sc.series(lambda t: 8 + bump(t, -6950, -6800, 21, 30) + bump(t, -15800, -15000, 35, 120), noise=0.1))
    req = sc.series(lambda t: 34 * diurnal(sc, t, 21, 0.35), integer=True)
    p5 = lambda t: 0.001 + 0.42 * ramp(t, full - 60, full + 60)
    t5 = part(sc, req, p5)
    alb(sc, lb, req, t5, sc.series(lambda t: 0.21 - 0.05 * ramp(t, full, full + 60), noise=0.15),
        e5xx=[0.0] * len(GRID))

    # ---------------------------------------------------------------- logs
    grp, sgrp = "/foia/rails", "/foia/sidekiq"
    for iid in (a, b):
        def line(t, iid=iid):
            meth, route, action = rng.choice(ROUTES)
            path = route.replace("{id}", f"PRR-2026-{rng.randint(100, 999):05d}")
            rid = sc.uuid()
            ip = f"10.12.{rng.randint(0, 3)}.{rng.randint(4, 250)}"
            out = [(0.0, rails(sc, t, "INFO", f"Started {meth} \"{path}\" for {ip} at "
                               f"{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')} +0000", rid)),
                   (0.001, rails(sc, t, "INFO", f"Processing by {action} as HTML", rid))]
            if iid == a and t >= full - 30 and (meth == "POST" or rng.random() < 0.55):
                if meth == "POST":
                    err = (f"Errno::ENOSPC (No space left on device @ rb_sysopen - /var/app/shared/tmp/uploads/"
                           f"{sc.hexid(16)}):")
                else:
                    err = ("ActionView::Template::Error (No space left on device @ io_write - /var/app/current/tmp/"
                           f"cache/bootsnap/compile-cache-iseq/{sc.hexid(2)}/{sc.hexid(14)}):")
                ms = rng.uniform(20, 60)
                out += [(ms / 1000, rails(sc, t, "INFO", f"Completed 500 Internal Server Error in {ms:.0f}ms "
                                          "(ActiveRecord: 2.1ms | Allocations: 3120)", rid)),
                        (ms / 1000 + 0.001, rails(sc, t, "FATAL", "  ", rid)),
                        (ms / 1000 + 0.002, rails(sc, t, "FATAL", err, rid)),
                        (ms / 1000 + 0.003, rails(sc, t, "FATAL", "app/controllers/attachments_controller.rb:18:in "
                                                  "`create'" if meth == "POST" else
                                                  "app/views/requests/show.html.erb:4", rid))]
                return out
            ms = rng.uniform(40, 380)
            code = "302 Found" if meth == "POST" else "200 OK"
            out.append((ms / 1000, rails(sc, t, "INFO", f"Completed {code} in {ms:.0f}ms (Views: {ms * 0.4:.1f}ms | "
                                         f"ActiveRecord: {ms * 0.3:.1f}ms | Allocations: {rng.randint(8000, 60000)})",
                                         rid)))
            return out

        emit(sc, grp, iid, LOG_START, 0, lambda t: 1.6, line)
        emit(sc, grp, iid, LOG_START, 0, lambda t: 0.5,
             lambda t: [(0, rails(sc, t, "FATAL", "ActionController::RoutingError (No route matches [GET] "
                                  f"\"{rng.choice(['/.git/config', '/wp-admin/setup-config.php', '/.aws/credentials', '/server-status'])}\"):")),
                        (0.001, rails(sc, t, "FATAL", "  "))])
    # the staging job on foia-web-1 (sidekiq) fills /var/app/shared/exports
    periodic(sc, sgrp, a, -9200, full - 40, 75,
             lambda t: rails(sc, t, "INFO", f"ExportPackageJob JID-{sc.hexid(24)} INFO: staged part "
                             f"{int((t + 9200) / 75):04d} request=PRR-2026-00481 bytes={rng.randint(95, 160) * 2 ** 20} "
                             "dir=/var/app/shared/exports/PRR-2026-00481", pid=2211))
    periodic(sc, sgrp, a, full - 40, 0, 120,
             lambda t: [(0, rails(sc, t, "WARN", "ExportPackageJob JID-7f1c2a0d9e3b WARN: Errno::ENOSPC: No space left "
                                 "on device @ io_write - /var/app/shared/exports/PRR-2026-00481/part-0193.pdf",
                                 pid=2211)),
                        (0.01, rails(sc, t, "WARN", "ExportPackageJob retry 3 of 25 scheduled in 120s", pid=2211))])
    periodic(sc, sgrp, a, -21600, -9200, 900,
             lambda t: rails(sc, t, "INFO", "Sidekiq::Cron poll: nothing due", pid=2211))
    sc.log(sgrp, a, -9205, rails(sc, -9205, "INFO", "ExportPackageJob JID-7f1c2a0d9e3b INFO: start request=PRR-2026-00481 "
                                 "records=18211 attachments=6940 (bulk disclosure, all custodians)", pid=2211))
    periodic(sc, sgrp, b, LOG_START, 0, 900, lambda t: rails(sc, t, "INFO", "Sidekiq::Cron poll: nothing due", pid=1987))
    scanner(sc, "cjis-evidence-sweep", "cjis-audit-ro", ["foia-exports-usw2", "foia-public-release"],
            ["prod/foia/smtp", "prod/foia/rails-master-key"], every=600)

    # ---------------------------------------------------------------- changes
    night_window(sc, -8600, -2600, [
        ("ec2.amazonaws.com", "CreateSnapshot", "AWS::EC2::Volume", "vol-0a19d7c3e2f84b615", "dlm-lifecycle"),
        ("ec2.amazonaws.com", "CreateSnapshot", "AWS::EC2::Volume", "vol-05e2b8a1f97c3d462", "dlm-lifecycle"),
        ("iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "cjis-audit-ro", "sec-automation"),
        ("ssm.amazonaws.com", "UpdateAssociation", "AWS::SSM::Association", "inventory-collect-daily", "sec-automation"),
        ("s3.amazonaws.com", "PutBucketLifecycleConfiguration", "AWS::S3::Bucket", "foia-exports-usw2", "sec-automation"),
    ])
    sc.change(full - 140, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
              "AWS::ElasticLoadBalancingV2::TargetGroup", f"targetgroup/foia-web/{sc.hexid(16)}", "ops-kpatel")

    # ---------------------------------------------------------------- alarms
    sc.alarm("records-request-portal-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 3, "GreaterThanThreshold", "FOIA portal backend 5XX")
    sc.alarm(f"{b}-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": b}, "Average", 300, 2, 80,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "records-request-portal-5xx",
                 "root_cause": {"category": "storage_exhaustion", "resource": [a, "foia-web-1"]},
                 "anomalies": [{"namespace": "CWAgent", "name": "disk_used_percent",
                                "dimensions": {"InstanceId": a, "path": "/", "device": "nvme0n1p1", "fstype": "xfs"}}]}
    return sc
