"""h36-07 Wed 04:05 EDT, marketplace (mkt-prod-): mkt-prod-web ALB target 5xx.

The nightly listing-events import fills mkt-prod-mysql's 200 GB volume (no storage autoscaling);
the MySQL error log says so plainly while the page is on the web fleet's load balancer.
"""
from __future__ import annotations

from . import logfmt as L
from .common import Scenario, anomaly, lerp, smooth
from .fleet import Fleet
from .infra import GB, alb, ec2, rds
from .lam import Lambda, Outcome

LB, DB, IDX = "app/mkt-prod-web/6d8e0a2c4f6b8d13", "mkt-prod-mysql", "mkt_search_indexer_prod"
IIDS = ["i-0a17c3e5b9d2f4861", "i-0b28d4f6c0e3a5972", "i-0c39e5a7d1f4b6a83"]
T_IMPORT, T0 = -7500, -2460

META = {
    "region": "ca-central-1", "category": "storage_exhaustion", "front": "front (ALB)",
    "resources": [DB],
    "decoys": "mkt_search_indexer_prod deploy 7 min before the onset (healthy, no DB access); "
              "steady Rails DEPRECATION WARNINGs and MySQL 'Aborted connection' notes; web hosts' "
              "own disks at 41 %",
    "story": (
        "The marketplace web fleet (three Rails/Puma instances in mkt-prod-web-asg behind the "
        "mkt-prod-web ALB) pages on target 5xx. The Rails logs show writes failing with "
        "`Mysql2::Error: The table 'listing_events' is full` and requests hanging until "
        "Rack::Timeout; reads still succeed. The cause is stated outright in the database's own "
        "error log: `Disk is full writing './mysql-bin-changelog.081337' (OS errno 28 - No space "
        "left on device)` and InnoDB `Error number 28 means 'No space left on device'`. "
        "FreeStorageSpace on mkt-prod-mysql has been sliding for hours, steeper since the 02:00 "
        "import, and reaches ~0 at the onset; WriteIOPS collapse while connections pile up below "
        "the limit. The only change nearby is a deploy of an unrelated indexer Lambda. "
        "storage_exhaustion of mkt-prod-mysql, with the alarm on the front."),
}


def build() -> Scenario:
    s = Scenario(7, "marketplace-5xx-mysql-disk-full", 3607, "ca-central-1",
                 "Paged 04:05 EDT by mkt-prod-web-5xx; sellers report 'could not save listing'.",
                 "2026-03-11T08:05:00", -4)
    r = s.rng
    s.resource("alb", LB, name="mkt-prod-web", scheme="internet-facing")
    for iid in IIDS:
        s.resource("ec2", iid, name="mkt-prod-web", instance_type="c6i.xlarge",
                   autoscaling_group="mkt-prod-web-asg",
                   log_groups=["/mkt/prod/web/rails", "/mkt/prod/web/nginx-access"])
    s.resource("rds", DB, engine="mysql", engine_version="8.0.36", instance_class="db.m6i.large",
               max_connections=683, allocated_storage_gb=200, max_allocated_storage_gb=None,
               binlog_retention_hours=168)
    s.resource("lambda", IDX, runtime="python3.12", timeout=60, memory_size=1024,
               event_source="sqs:mkt-listing-changes-prod")

    def free(t):
        """Bytes left: ~2 GB/h of binlog + table growth, plus ~6.4 GB/h during the import."""
        if t >= T0:
            return r.uniform(38, 95) * 1024 ** 2
        left = 2.0 * GB * (T0 - t) / 3600 + 6.4 * GB * (T0 - max(t, T_IMPORT)) / 3600
        return left + 60 * 1024 ** 2 + r.uniform(-2e7, 2e7)
    f = lambda t: smooth(t, T0, T0 + 60)
    imp = lambda t: smooth(t, T_IMPORT, T_IMPORT + 120)
    rds(s, DB, {
        "FreeStorageSpace": free,
        "CPUUtilization": lambda t: s.noise(18 + 22 * imp(t) * (1 - f(t)), 0.1) * (1 - 0.5 * f(t)),
        "DatabaseConnections": lambda t: s.noise(42 + 8 * imp(t) + 120 * f(t), 0.05),
        "FreeableMemory": lambda t: s.noise(2.6 * GB, 0.02),
        "ReadIOPS": lambda t: s.noise(220 + 150 * imp(t), 0.12),
        "WriteIOPS": lambda t: s.noise(lerp(380 + 1700 * imp(t), 6, f(t)), 0.12),
        "WriteLatency": lambda t: s.noise(0.0019 + 0.001 * imp(t), 0.12) * (1 - f(t)) + f(t) * r.uniform(0.0, 0.004),
        "ReadLatency": lambda t: s.noise(0.0011, 0.12),
        "BinLogDiskUsage": lambda t: 61.5 * GB + (min(t, T0) + 21600) * 1.1e6 + max(0, min(t, T0) - T_IMPORT) * 1.4e6,
    })
    req = lambda t: 520 * s.diurnal(t, 0.35, 13)
    alb_pts = alb(s, LB, {
        "RequestCount": lambda t: s.noise(req(t), 0.05),
        "TargetResponseTime": lambda t: s.noise(0.13, 0.1) + f(t) * r.uniform(2.4, 4.6),
        "HTTPCode_Target_5XX_Count": lambda t: (1 if r.random() < 0.08 else 0) + f(t) * s.noise(0.3 * req(t), 0.15),
        "HTTPCode_Target_4XX_Count": lambda t: s.noise(0.02 * req(t), 0.2),
        "HTTPCode_ELB_5XX_Count": lambda t: f(t) * r.choice([0, 0, 1]),
        "HealthyHostCount": lambda t: 3, "UnHealthyHostCount": lambda t: 0,
    })
    for iid in IIDS:
        ec2(s, iid, {"CPUUtilization": lambda t: s.noise(21 * s.diurnal(t, 0.4, 13) + 6, 0.1) * (1 - 0.3 * f(t)),
                     "NetworkIn": lambda t: s.noise(4.2e6, 0.15), "NetworkOut": lambda t: s.noise(9.8e6, 0.15),
                     "StatusCheckFailed": lambda t: 0, "mem_used_percent": lambda t: s.noise(63 + 5 * f(t), 0.02),
                     "disk_used_percent": lambda t: s.noise(41.2, 0.003)})

    # ---------------------------------------------------------------- MySQL error log
    g, st = f"/aws/rds/instance/{DB}/error", DB
    my = lambda t, th, lvl, code, msg, sub="Server": s.emit(g, st, t, L.mysql(s, t, th, lvl, code, msg, sub))
    for _ in range(int(10800 / 600)):
        t = -10800 + r.uniform(0, 10800)
        my(t, r.randint(80000, 99999), "Note", "MY-010914", f"Aborted connection {r.randint(80000, 99999)} to db: 'mkt' "
           f"user: 'mkt_app' host: '10.12.{r.randint(1, 3)}.{r.randint(10, 250)}' (Got an error reading communication packets).")
    for k, t in enumerate(range(T0, 0, 600)):
        my(t + 0.2, 27, "ERROR", "MY-000035", f"Disk is full writing './mysql-bin-changelog.{81337:06d}' (OS errno 28 - No "
           "space left on device). Waiting for someone to free space... Retry in 60 secs. Message reprinted in 600 secs.")
    for t in [T0 + 0.05] + [T0 + r.uniform(10, abs(T0)) for _ in range(22)]:
        th = r.randint(1100, 1900)
        off = r.randint(3190000, 3200000) * 16384
        my(t, th, "ERROR", "MY-012639", f"Write to file ./mkt/listing_events.ibd failed at offset {off}, 16384 bytes should "
           "have been written, only 0 were written. Operating system error number 28. Check that your OS and file system "
           "support files of this size. Check also that the disk is not full or a disk quota exceeded.", "InnoDB")
        my(t + 0.001, th, "ERROR", "MY-012640", "Error number 28 means 'No space left on device'", "InnoDB")
        my(t + 0.002, th, "Warning", "MY-012145", f"Error while writing 16384 zeroes to ./mkt/listing_events.ibd starting at "
           f"offset {off}", "InnoDB")
        my(t + 0.003, th, "ERROR", "MY-013132", "The table 'listing_events' is full!")

    # ---------------------------------------------------------------- web fleet logs
    rails = Fleet(s, "/mkt/prod/web/rails")
    ngx = Fleet(s, "/mkt/prod/web/nginx-access")
    hosts = {iid: (rails.host(iid), ngx.host(iid), r.randint(2000, 9000)) for iid in IIDS}
    reads = ['GET "/listings/{n}"', 'GET "/search?q=vintage+{w}"', 'GET "/sellers/{n}/listings"']
    writes = ['POST "/listings/{n}/views"', 'PATCH "/listings/{n}"', 'POST "/listings"']

    def request(t, m, fail=False):
        iid = m.mid
        rm, nm, pid = hosts[iid]
        rid = s.uuid()
        write = fail or r.random() < 0.3
        line = r.choice(writes if write else reads).format(n=r.randint(10 ** 5, 10 ** 6), w=r.choice(["lamp", "desk", "jacket"]))
        meth, path = line.split(" ")
        client = f"10.12.0.{r.randint(4, 60)}"
        rails.emit(rm, t, L.rails(s, t, "INFO", f"Started {meth} {path} for {client} at {s.wall(t).strftime('%Y-%m-%d %H:%M:%S')} +0000", pid, rid))
        if fail and r.random() < 0.55:
            dt = r.uniform(0.02, 0.3)
            rails.emit(rm, t + dt, L.rails(s, t + dt, "ERROR", f"ActiveRecord::StatementInvalid (Mysql2::Error: The table "
                       "'listing_events' is full):\n  \napp/models/listing_event.rb:18:in `record!'\napp/controllers/"
                       "listings_controller.rb:41:in `track_view'", pid, rid))
            rails.emit(rm, t + dt + 0.001, L.rails(s, t + dt, "INFO", f"Completed 500 Internal Server Error in {int(dt * 1000)}ms (ActiveRecord: {int(dt * 900)}.2ms | Allocations: 5120)", pid, rid))
            status, rt = 500, dt
        elif fail:
            dt = 15.0 + r.uniform(0, 0.02)
            rails.emit(rm, t + dt, L.rails(s, t + dt, "ERROR", "Rack::Timeout::RequestTimeoutException (Request ran for "
                       "longer than 15000ms ):\n  \napp/models/listing.rb:77:in `save_with_events!'", pid, rid))
            rails.emit(rm, t + dt + 0.001, L.rails(s, t + dt, "INFO", "Completed 500 Internal Server Error in 15001ms (ActiveRecord: 14982.0ms | Allocations: 4410)", pid, rid))
            status, rt = 500, dt
        else:
            dt = r.uniform(0.02, 0.2)
            rails.emit(rm, t + dt, L.rails(s, t + dt, "INFO", f"Completed {200 if meth == 'GET' else 204} {'OK' if meth == 'GET' else 'No Content'} in {int(dt * 1000)}ms (Views: {dt * 300:.1f}ms | ActiveRecord: {dt * 400:.1f}ms | Allocations: {r.randint(3000, 30000)})", pid, rid))
            status, rt = (200 if meth == "GET" else 204), dt
        ngx.emit(nm, t + rt, L.nginx(s, t + rt, client, meth, path, status, r.randint(300, 40000) if status < 300 else 1722, rt, r.choice(L.UA)))
    rails.spread(-7200, 0, lambda t: 26 * s.diurnal(t, 0.35, 13) * (1 - 0.3 * f(t)), request, warm=0, drain=0)
    pts5 = dict(map(tuple, alb_pts["HTTPCode_Target_5XX_Count"]))
    for m0 in range(T0 - 60, 0, 60):
        for _ in range(int(pts5.get(m0, 0))):
            t = m0 + r.random() * 60
            if f(t) > 0.3:
                request(t - (15 if r.random() < 0.45 else 0), hosts[r.choice(IIDS)][0], fail=True)
    rails.spread(-7200, 0, lambda t: 2, lambda t, m: rails.emit(m, t, L.rails(
        s, t, "WARN", "DEPRECATION WARNING: `Rails.application.secrets` is deprecated in favor of "
        "`Rails.application.credentials` and will be removed in Rails 7.2. (called from <main> at "
        "/srv/mkt/config/initializers/stripe.rb:3)", hosts[m.mid][2])), warm=0, drain=0)

    def index(t):
        v = "2.14.0" if t >= -2900 else "2.13.4"
        n = r.randint(1, 10)
        return Outcome("ok", r.uniform(150, 700), r.randint(160, 190),
                       [(0.01, "INFO", f"indexer {v}: {n} listing change(s) from SQS"),
                        (0.12, "INFO", f"bulk indexed {n} docs into listings-v12 took={r.randint(20, 90)}ms errors=false")])
    Lambda(s, IDX, "python3.12", 1024, 60, log_start=-7200,
           versions=[(-10 ** 9, "a", "$LATEST"), (-2895, "b", "$LATEST")]).run(
        lambda t: 6 * s.diurnal(t, 0.35, 13) * (0.4 if t >= T0 else 1.0), index)

    s.change(-2900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", IDX,
             "circleci-marketplace")
    s.change(-19100, "autoscaling.amazonaws.com", "UpdateAutoScalingGroup", "AWS::AutoScaling::AutoScalingGroup",
             "mkt-prod-web-asg", "terraform-marketplace")

    dims = {"LoadBalancer": LB}
    s.alarm("mkt-prod-web-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims,
            alb_pts["HTTPCode_Target_5XX_Count"], "Sum", 60, 3, 20, "GreaterThanThreshold",
            "Marketplace web: target 5xx")
    ddims = {"DBInstanceIdentifier": DB}
    s.quiet_alarm(f"{DB}-free-storage-low", "AWS/RDS", "FreeStorageSpace",   # still points at the
                  {"DBInstanceIdentifier": "mkt-prod-mysql-2021"}, "Minimum", 300, 1,  # pre-migration DB
                  2 * GB, "LessThanThreshold", state="INSUFFICIENT_DATA", changed=-900000)
    s.expect("mkt-prod-web-5xx", "storage_exhaustion", META["resources"],
             [anomaly("AWS/RDS", "FreeStorageSpace", ddims),
              anomaly("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims)])
    s.meta = META
    return s
