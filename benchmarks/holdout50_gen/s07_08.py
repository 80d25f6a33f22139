"""h50-07 (RDS PostgreSQL runs out of storage: WAL held by an abandoned replication slot) and
h50-08 (one Tomcat instance pinned at 100 % CPU by threads spinning in a corrupted HashMap)."""
import datetime as dt

from .core import GRID, Scn, bump, counts, diurnal, ramp, series
from .fleet import LOG_FROM, alb_metrics, asg_metrics, clients, ec2_metrics, every, inst, rds_default, rds_metrics, times
from . import fmt
from .s01_02 import SPRING_FRAMES

GB = 1024 ** 3


def h07():
    s = Scn(7, "h50-07-rds-postgres-storage-full-replication-slot", "eu-north-1",
            "FreeStorageSpace alarm on inventory-pg; stock updates starting to fail.",
            dt.datetime(2026, 11, 21, 8, 25, 0), 5007)
    alb, tg = "app/inventory-alb/6d2a8f4c1e9b3057", "targetgroup/inventory-tg/4b8e2c6f0a1d9573"
    fleet = [inst(s, "inventory-web-%d" % k, "10.81") for k in range(1, 4)]
    G = ["/inventory/prod/access", "/inventory/prod/app"]
    for i in fleet:
        s.res("ec2", i["id"], name=i["name"], instance_type="m6i.large", autoscaling_group="inventory-asg",
              platform="Amazon Linux 2023 / Tomcat 9.0.85 / Corretto 17 (Spring + Hibernate WAR)", private_ip=i["ip"], log_groups=G)
    s.res("alb", alb, name="inventory-alb", target_group=tg, targets=[i["id"] for i in fleet])
    s.res("rds", "inventory-pg", engine="postgres", engine_version="15.4", instance_class="db.m6g.xlarge", max_connections=1700,
          allocated_storage_gb=200, storage_autoscaling="disabled", logical_replication="rds.logical_replication=1")
    F0, FULL = 39.0 * GB, -900
    r = (F0 - 0.22 * GB) / (FULL + 21600)
    free = lambda t: max(0.22 * GB, F0 - r * (t + 21600))
    wal = lambda t: 3.1 * GB + (F0 - free(t))
    req_tot = lambda t: 1300.0 * diurnal(s, t, 0.2, 12)
    WR = 0.33
    t5 = counts(s, lambda t: 0.5 + (req_tot(t) * WR * 0.97 if t >= FULL else 0))
    alb_metrics(s, alb, tg, counts(s, req_tot), t5, series(s, lambda t: 0.085, noise=0.008, lo=0.03), [3.0] * 360, [0.0] * 360)
    asg_metrics(s, "inventory-asg", [3.0] * 360, [3.0] * 360)
    dep = -2400
    for i in fleet:
        ec2_metrics(s, i, series(s, lambda t: 9 + req_tot(t) / 3 / 25 + bump(t, dep + 30, dep + 160, 40), noise=2, hi=100),
                    series(s, lambda t: 57.0, noise=0.7), series(s, lambda t: 33.0, noise=0.03))
    rds_metrics(s, "inventory-pg",
                series(s, lambda t: 27 + bump(t, -9060, -8100, 25), noise=3, hi=100),
                series(s, lambda t: 96.0, noise=4),
                series(s, free, noise=2e6, lo=0.2 * GB),
                series(s, lambda t: 9.8 * GB, noise=6e7),
                series(s, lambda t: 0.0012, noise=0.0002, lo=0.0003), series(s, lambda t: 0.0021 if t < FULL else 0.0009, noise=0.0003, lo=0.0003),
                series(s, lambda t: 700.0, noise=60), series(s, lambda t: 1100.0 if t < FULL else 310.0, noise=80),
                extra=[("TransactionLogsDiskUsage", "Bytes", series(s, wal, noise=1e6)),
                       ("OldestReplicationSlotLag", "Bytes", series(s, lambda t: wal(t) - 0.4 * GB, noise=1e6)),
                       ("TransactionLogsGeneration", "Bytes/Second", series(s, lambda t: r if t < FULL else 2e4, noise=r * 0.1, lo=0))])

    cl = clients(s, "10.81", 25)
    for i in fleet:
        st, pid = i["id"], s.rng.randint(1500, 9000)
        for t in times(s, LOG_FROM, -5, lambda t: 4.5 * diurnal(s, t, 0.2, 12)):
            th = "http-nio-8080-exec-%d" % s.rng.randint(1, 200)
            if s.rng.random() < WR:
                path = s.rng.choice(["/inventory/api/stock/adjust", "/inventory/api/reservations", "/inventory/api/transfers"])
                if t >= FULL:
                    s.log(G[0], st, t, fmt.tomcat_access(s, t, s.rng.choice(cl), "POST", path, 500, 287, s.rng.randint(4, 20)))
                    rel = s.rng.choice(["91827", "91830", "24581"])
                    s.log(G[1], st, t - 0.01, fmt.spring(s, t, "WARN", pid, th, "o.h.engine.jdbc.spi.SqlExceptionHelper", "SQL Error: 0, SQLState: 53100"))
                    s.log(G[1], st, t - 0.009, fmt.spring(s, t, "ERROR", pid, th, "o.h.engine.jdbc.spi.SqlExceptionHelper",
                          'ERROR: could not extend file "base/16402/%s": No space left on device\n  Hint: Check free disk space.' % rel))
                    s.log(G[1], st, t - 0.005, fmt.spring(s, t, "ERROR", pid, th, "o.a.c.c.C.[.[.[/inventory].[dispatcher]",
                          "Servlet.service() for servlet [dispatcher] in context with path [/inventory] threw exception [Request processing failed; nested exception is org.springframework.dao.DataAccessResourceFailureException: could not execute statement; SQL [n/a]; nested exception is org.hibernate.exception.GenericJDBCException: could not execute statement] with root cause\n\n"
                          + fmt.jstack('org.postgresql.util.PSQLException: ERROR: could not extend file "base/16402/%s": No space left on device\n  Hint: Check free disk space.' % rel,
                                       ["org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2713)",
                                        "org.postgresql.core.v3.QueryExecutorImpl.processResults(QueryExecutorImpl.java:2401)",
                                        "org.postgresql.jdbc.PgPreparedStatement.executeUpdate(PgPreparedStatement.java:152)",
                                        "com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeUpdate(HikariProxyPreparedStatement.java)",
                                        "org.hibernate.engine.jdbc.internal.ResultSetReturnImpl.executeUpdate(ResultSetReturnImpl.java:197)",
                                        "com.acme.inventory.stock.StockService.adjust(StockService.java:118)"] + SPRING_FRAMES[:4])))
                else:
                    s.log(G[0], st, t, fmt.tomcat_access(s, t, s.rng.choice(cl), "POST", path, 200, s.rng.randint(200, 900), s.rng.randint(20, 160)))
            else:
                s.log(G[0], st, t, fmt.tomcat_access(s, t, s.rng.choice(cl), "GET", "/inventory/api/stock/%d" % s.rng.randint(1, 400000), 200, s.rng.randint(300, 2200), s.rng.randint(5, 60)))
        for t in every(s, LOG_FROM, -5, 15, 1):
            s.log(G[0], st, t, fmt.tomcat_access(s, t, s.rng.choice(["10.81.1.30", "10.81.12.6"]), "GET", "/inventory/health", 200, 2, 2))
        for t in times(s, LOG_FROM, -5, 0.9):       # pre-existing, retried serialization failures
            th = "http-nio-8080-exec-%d" % s.rng.randint(1, 200)
            s.log(G[1], st, t, fmt.spring(s, t, "WARN", pid, th, "o.h.engine.jdbc.spi.SqlExceptionHelper", "SQL Error: 0, SQLState: 40001"))
            s.log(G[1], st, t + 0.001, fmt.spring(s, t, "ERROR", pid, th, "o.h.engine.jdbc.spi.SqlExceptionHelper",
                  "ERROR: could not serialize access due to concurrent update"))
            s.log(G[1], st, t + 0.02, fmt.spring(s, t + 0.02, "INFO", pid, th, "c.a.inventory.support.RetryingTx", "retrying reservation tx after serialization failure (attempt 2/3)"))
        for off, msg in [(30, "LifecycleEvent - ApplicationStop"), (36, "LifecycleEvent - Install"), (41, "[stdout]deployed inventory.war 2026.11.21-0741"),
                         (44, "LifecycleEvent - ApplicationStart"), (105, "LifecycleEvent - ValidateService")]:
            s.log("/inventory/prod/codedeploy", st, dep + off, fmt.codedeploy(s, dep + off, "d-7TB0E4RXN", msg))
    pgl = "/aws/rds/instance/inventory-pg/postgresql"
    for t in every(s, LOG_FROM, -5, 300, 4):
        s.log(pgl, "inventory-pg.0", t, fmt.pg(s, t, "@", 391, "LOG", "checkpoint complete: wrote %d buffers (%.1f%%); 0 WAL file(s) added, 0 removed, 0 recycled; write=269.9 s, sync=0.01 s, total=270.0 s"
              % ((lambda b: (b, b / 1310.72))(s.rng.randint(4000, 9000)))))
    s.log(pgl, "inventory-pg.0", -9050, fmt.pg(s, -9050, "@", 28113, "LOG", 'automatic vacuum of table "inventory.public.stock_movements": index scans: 1 pages: 0 removed, 812331 remain'))
    for t in times(s, FULL, -5, 6.0):
        who = "%s(%d):inventory_app@inventory" % (s.rng.choice([i["ip"] for i in fleet]), s.rng.randint(40000, 60000))
        rel = s.rng.choice(["91827", "91830", "24581"])
        s.log(pgl, "inventory-pg.0", t, fmt.pg(s, t, who, s.rng.randint(20000, 40000), "ERROR", 'could not extend file "base/16402/%s": No space left on device' % rel))
        s.log(pgl, "inventory-pg.0", t + 0.001, fmt.pg(s, t, who, s.rng.randint(20000, 40000), "HINT", "Check free disk space."))
    for t in every(s, FULL, -5, 90, 10):
        s.log(pgl, "inventory-pg.0", t, fmt.pg(s, t, "@", 387, "LOG", 'could not write to file "pg_wal/xlogtemp.387": No space left on device'))
    s.change(-73800, "dms.amazonaws.com", "StopReplicationTask", "AWS::DMS::ReplicationTask", "inventory-cdc-to-redshift", "etl-team")
    s.change(dep, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup", "inventory-prod", "jenkins-deployer")
    s.alarm("inventory-pg-free-storage-low", "AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": "inventory-pg"}, "Minimum", 300, 1, 5 * GB,
            "LessThanThreshold", s.values("FreeStorageSpace", DBInstanceIdentifier="inventory-pg"), desc="inventory-pg free storage < 5 GiB", state="ALARM")
    s.alarm("inventory-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb}, "Sum", 60, 3, 25,
            "GreaterThanThreshold", t5, state="ALARM")
    s.expect = {"alarm": "inventory-pg-free-storage-low",
                "root_cause": {"category": "storage_exhaustion", "resource": ["inventory-pg"]},
                "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace", "dimensions": {"DBInstanceIdentifier": "inventory-pg"}}]}
    return s


def h08():
    s = Scn(8, "h50-08-tomcat-one-instance-cpu-spin-hashmap", "ca-central-1",
            "Quote API latency alarm on quotes-alb; a share of quote requests take many seconds or time out.",
            dt.datetime(2026, 11, 18, 18, 30, 0), 5008)
    alb, tg = "app/quotes-alb/1f7c3e9a5b2d8064", "targetgroup/quotes-tg/8c2e6a0f4d1b7359"
    fleet = [inst(s, "quotes-web-%02d" % k, "10.93") for k in range(1, 5)]
    bad = fleet[2]
    G = ["/quotes/prod/access", "/quotes/prod/app", "/quotes/prod/catalina", "/quotes/prod/ssm-agent"]
    for i in fleet:
        s.res("ec2", i["id"], name=i["name"], instance_type="c6i.xlarge", vcpus=4, autoscaling_group="quotes-asg",
              platform="Amazon Linux 2 / Tomcat 9.0.82 / Corretto 8 (legacy WAR)", private_ip=i["ip"], log_groups=G)
    s.res("alb", alb, name="quotes-alb", target_group=tg, targets=[i["id"] for i in fleet], idle_timeout_s=60)
    s.res("rds", "quotes-mysql", engine="mysql", engine_version="8.0.35", instance_class="db.r6g.large", max_connections=1000,
          allocated_storage_gb=150)
    ON, SCAN = -2280, -3600
    req_tot = lambda t: 1900.0 * diurnal(s, t, 0.2, 18)
    slow = lambda t: t >= ON
    elb504 = counts(s, lambda t: 0.0 if not slow(t) else req_tot(t) / 4 * 0.09)
    rt = series(s, lambda t: 0.11 if not slow(t) else 0.11 * 0.75 + 0.25 * min(14.0, 4 + (t - ON) / 120.0), noise=0.05, lo=0.04)
    alb_metrics(s, alb, tg, counts(s, req_tot), counts(s, lambda t: 0.7), rt, [4.0] * 360, [0.0] * 360, e5xx=elb504)
    asg_metrics(s, "quotes-asg", [4.0] * 360, [4.0] * 360)
    for i in fleet:
        base = lambda t: 10 + req_tot(t) / 4 / 38.0 + bump(t, SCAN + 20, SCAN + 200, 14)
        cpu = series(s, (lambda t: base(t) if t < ON else min(100.0, 96 + (t - ON) / 600.0)) if i is bad else base, noise=1.8 if i is not bad else 1.0, hi=100)
        ec2_metrics(s, i, cpu, series(s, lambda t: 61.0, noise=0.6), series(s, lambda t: 48.0, noise=0.03))
    rds_default(s, "quotes-mysql", cpu=19.0, conns=88.0, free_gb=95.0, mem_gb=6.4)

    cl = clients(s, "10.93", 30)
    for i in fleet:
        st, pid = i["id"], s.rng.randint(1500, 9000)
        for t in times(s, LOG_FROM, -5, 4.5):
            path = s.rng.choice(["/quotes/api/v1/quote", "/quotes/api/v1/quote", "/quotes/api/v1/quote/%s" % s.hexid(12), "/quotes/api/v1/products"])
            m = "POST" if path == "/quotes/api/v1/quote" else "GET"
            if i is bad and slow(t):
                d = int(s.rng.uniform(4000, 60000))
                if d > 59000:
                    continue                                       # ALB gave up with 504; Tomcat logs it later when the thread frees
                s.log(G[0], st, t + d / 1000.0, fmt.tomcat_access(s, t, s.rng.choice(cl), m, path, 200, s.rng.randint(300, 4000), d))
            else:
                s.log(G[0], st, t, fmt.tomcat_access(s, t, s.rng.choice(cl), m, path, 200, s.rng.randint(300, 4000), s.rng.randint(25, 220)))
        for t in every(s, LOG_FROM, -5, 10, 1):
            d = s.rng.randint(1, 4) if not (i is bad and slow(t)) else s.rng.randint(900, 4800)
            s.log(G[0], st, t, fmt.tomcat_access(s, t, s.rng.choice(["10.93.3.12", "10.93.11.70"]), "GET", "/quotes/health", 200, 2, d))
        for t in times(s, LOG_FROM, -5, 1.0):
            s.log(G[1], st, t, "%s WARN  [http-nio-8080-exec-%d] c.a.quotes.fx.FxRateClient - fx feed stale (age %d min), using cached EUR/CAD, USD/CAD rates"
                  % (fmt.ms(s, t), s.rng.randint(1, 200), s.rng.randint(31, 44)))
        off = s.rng.uniform(0, 1800) if i is not bad else (ON - 10 + 21600) % 1800
        for t in range(int(-21600 + off), -5, 1800):
            if t < LOG_FROM:
                continue
            s.log(G[1], st, t, "%s INFO  [rate-refresh-1] c.a.quotes.rates.RateTableCache - refreshing rate tables (scheduled)" % fmt.ms(s, t))
            if not (i is bad and ON - 20 < t <= ON + 5):
                if i is bad and t > ON:
                    s.log(G[1], st, t + 0.5, "%s WARN  [rate-refresh-1] c.a.quotes.rates.RateTableCache - previous refresh still running, skipping" % fmt.ms(s, t + 0.5))
                else:
                    s.log(G[1], st, t + 3.1, "%s INFO  [rate-refresh-1] c.a.quotes.rates.RateTableCache - rate tables refreshed: 48211 entries in %d ms" % (fmt.ms(s, t + 3.1), s.rng.randint(2500, 3400)))
        for t in every(s, LOG_FROM, -5, 300, 3):
            s.log(G[1], st, t, "%s INFO  [gc-monitor] c.a.quotes.ops.JvmStats - heap used=%d MB / 3072 MB, young GCs=%d (last 5 min), full GCs=0, threads busy=%d/200"
                  % (fmt.ms(s, t), s.rng.randint(900, 1700), s.rng.randint(30, 60), (s.rng.randint(3, 14) if not (i is bad and slow(t)) else min(200, 40 + int((t - ON) / 12)))))
        for o, msg in [(0, "INFO [ssm-agent-worker] [MessageService] received command 5b0e2c7a-91d4-4e6f-8a3b-2f4c6d8e0a1b document AWS-RunPatchBaseline"),
                       (1, "INFO [ssm-agent-worker] [PatchBaseline] Operation: Scan (no install, no reboot)"),
                       (170, "INFO [ssm-agent-worker] [PatchBaseline] Scan complete: 3 missing, 0 failed; compliance reported"),
                       (175, "INFO [ssm-agent-worker] [MessageService] command 5b0e2c7a-91d4-4e6f-8a3b-2f4c6d8e0a1b complete: Success")]:
            s.log(G[3], st, SCAN + 20 + o, fmt.ssm_agent(s, SCAN + 20 + o, msg.split(" ", 1)[0], msg.split(" ", 1)[1]))
    st = bad["id"]
    stack = ["java.util.HashMap$TreeNode.find(HashMap.java:1880)", "java.util.HashMap$TreeNode.find(HashMap.java:1876)",
             "java.util.HashMap$TreeNode.getTreeNode(HashMap.java:1892)", "java.util.HashMap.getNode(HashMap.java:577)",
             "java.util.HashMap.get(HashMap.java:558)", "com.acme.quotes.rates.RateTableCache.lookup(RateTableCache.java:97)",
             "com.acme.quotes.pricing.QuoteEngine.price(QuoteEngine.java:211)", "com.acme.quotes.web.QuoteController.create(QuoteController.java:54)"]
    for t in every(s, ON + 70, -5, 10, 0.5):
        n = min(200, 3 + int((t - ON) / 11))
        th = s.rng.randint(1, 200)
        s.log(G[2], st, t, fmt.catalina(s, t, "WARNING", "ContainerBackgroundProcessor[StandardEngine[Catalina]]",
              "org.apache.catalina.valves.StuckThreadDetectionValve.notifyStuckThreadDetected",
              "Thread [http-nio-8080-exec-%d] (id=[%d]) has been active for [%s] milliseconds (since [%s]) to serve the same request for [http://quotes.internal/quotes/api/v1/quote] and may be stuck (configured threshold for this StuckThreadDetectionValve is [60] seconds). There is/are [%d] thread(s) in total that are monitored by this Valve and may be stuck.\n%s"
              % (th, th + 40, format(s.rng.randint(60000, 600000), ","), s.at(t - 70).strftime("%m/%d/%y, %I:%M %p"), n,
                 fmt.jstack("java.lang.Throwable", stack))))
    s.log(G[2], st, ON + 40, fmt.catalina(s, ON + 40, "WARNING", "rate-refresh-1", "com.acme.quotes.rates.RateTableCache.refresh",
          "rate table refresh has been running for 40 s (expected < 4 s)"))
    s.change(SCAN, "ssm.amazonaws.com", "SendCommand", "AWS::SSM::Document", "AWS-RunPatchBaseline", "ssm-maintenance-window")
    for i in fleet:
        s.change(SCAN, "ssm.amazonaws.com", "SendCommand", "AWS::EC2::Instance", i["id"], "ssm-maintenance-window")
    s.alarm("quotes-alb-latency-high", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": alb}, "Average", 60, 3, 1.5,
            "GreaterThanThreshold", rt, desc="quotes API average target response time", state="ALARM")
    s.alarm("quotes-mysql-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "quotes-mysql"}, "Average", 300, 2, 80,
            "GreaterThanThreshold", s.values("CPUUtilization", DBInstanceIdentifier="quotes-mysql"), state="OK")
    s.expect = {"alarm": "quotes-alb-latency-high",
                "root_cause": {"category": "cpu_saturation", "resource": [bad["id"], bad["name"]]},
                "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": bad["id"]}},
                              {"namespace": "AWS/ApplicationELB", "name": "TargetResponseTime", "dimensions": {"LoadBalancer": alb}}]}
    return s
