"""h15-15: a Spring Boot report service on two EC2 instances; the data volume of one
instance fills up (its temp cleanup has been skipping for hours) and exports on it fail
with 'No space left on device' (logback JSON, Caused by chains). Alarm on the ALB."""
from __future__ import annotations

from datetime import datetime

import numpy as np

from . import aws
from .common import Ctx, Stream, alarm, bump, change, scenario
from .logfmt import logback

REGION = "ap-south-1"
LB = "app/partner-portal/6f8a0c2e4b1d3579"
TG = "targetgroup/rpt-8080/2e4a6c8f0b1d3957"
R1, R1_N = "i-01a3c5e7092b4d6f8", "reportgen-01"
R2, R2_N = "i-02b4d6f8103c5e7a9", "reportgen-02"
ONSET = -2100.0

NOSPACE = ("com.northwind.reports.export.ExportException: Failed to write report {rid} to /var/app/tmp/{rid}.xlsx\n"
           "\tat com.northwind.reports.export.XlsxExporter.export(XlsxExporter.java:97)\n"
           "\tat com.northwind.reports.api.ExportController.create(ExportController.java:64)\n"
           "\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)\n"
           "\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)\n"
           "Caused by: java.io.UncheckedIOException: java.io.IOException: No space left on device\n"
           "\tat org.apache.poi.xssf.streaming.SheetDataWriter.writeRow(SheetDataWriter.java:212)\n"
           "\tat org.apache.poi.xssf.streaming.SXSSFSheet.flushOneRow(SXSSFSheet.java:1890)\n"
           "\t... 58 common frames omitted\n"
           "Caused by: java.io.IOException: No space left on device\n"
           "\tat java.base/sun.nio.ch.FileDispatcherImpl.write0(Native Method)\n"
           "\tat java.base/sun.nio.ch.FileDispatcherImpl.write(FileDispatcherImpl.java:62)\n"
           "\tat java.base/sun.nio.ch.IOUtil.writeFromNativeBuffer(IOUtil.java:137)\n"
           "\tat java.base/sun.nio.ch.FileChannelImpl.write(FileChannelImpl.java:285)\n"
           "\t... 61 common frames omitted")
ABORT = ("org.apache.catalina.connector.ClientAbortException: java.io.IOException: Broken pipe\n"
         "\tat org.apache.catalina.connector.OutputBuffer.realWriteBytes(OutputBuffer.java:343)\n"
         "Caused by: java.io.IOException: Broken pipe\n"
         "\tat java.base/sun.nio.ch.SocketDispatcher.write0(Native Method)\n"
         "\t... 48 common frames omitted")


def build(seed: int):
    ctx = Ctx(seed, datetime(2026, 4, 22, 8, 35), utc_offset_h=5.5)
    rng, t = ctx.rng, ctx.t
    shape = ctx.daily(12.0, 0.35)
    req = ctx.poisson(118 * shape * (1 + ctx.ar(0.05)))
    exp_ = np.array([rng.binomial(int(n), 0.3) for n in req], dtype=float)
    on2 = np.array([rng.binomial(int(n), 0.5) for n in exp_], dtype=float)
    full = t >= ONSET
    t5 = np.where(full, on2, 0) + (rng.random(ctx.n) < 0.03)
    disk2 = np.where(full, 100.0, np.interp(t, [-21600, ONSET], [71.2, 99.7]) + ctx.ar(0.05))
    disk1 = 38.0 + 0.0003 * (t + 21600) / 60 + ctx.ar(0.05)
    big1 = bump(t, -2500, -1750, 120)

    metrics = aws.alb_lb(ctx, LB, req, t5xx=t5, rt=0.34 + ctx.ar(0.03) - 0.05 * full)
    metrics += aws.alb_tg(ctx, LB, TG, req, t5xx=t5, healthy=np.full(ctx.n, 2), unhealthy=np.zeros(ctx.n))
    metrics += aws.ec2(ctx, R1, cpu=24 * shape + ctx.ar(2) + 52 * big1, net_in=9e6 * shape * (1 + ctx.ar(0.05)),
                       net_out=3.1e7 * shape * (1 + ctx.ar(0.05)))
    metrics += aws.ec2(ctx, R2, cpu=25 * shape + ctx.ar(2) - 6 * full, net_in=9e6 * shape * (1 + ctx.ar(0.05)),
                       net_out=3.0e7 * shape * (1 + ctx.ar(0.05)) * (1 - 0.3 * full))
    for iid, data in ((R1, disk1), (R2, disk2)):
        metrics.append(aws.cwagent_disk(ctx, iid, 41.5 + ctx.ar(0.05), path="/", device="nvme0n1p1"))
        metrics.append(aws.cwagent_disk(ctx, iid, data, path="/var/app", device="nvme1n1", gaps=0.02))
        metrics.append(aws.cwagent_mem(ctx, iid, 63 + ctx.ar(0.8), gaps=0.02))
    metrics += aws.rds(ctx, "hr-payroll-db", cpu=7 + ctx.ar(1), conns=12 + ctx.ar(1), free_gb=61 + ctx.ar(0.02),
                       freemem_gb=2.9 + ctx.ar(0.03), every=1)

    streams = {R1: Stream("/reports/app", R1), R2: Stream("/reports/app", R2)}
    thr = lambda: f"http-nio-8080-exec-{int(rng.integers(1, 50))}"
    lg_api = "com.northwind.reports.api.ExportController"
    log_from = -4200.0
    for i in range(ctx.n):
        m0 = t[i]
        if m0 < log_from:
            continue
        n_exp2 = int(on2[i])
        n_exp1 = int(exp_[i] - on2[i])
        for iid, n_exp in ((R1, n_exp1), (R2, n_exp2)):
            s = streams[iid]
            for ts in sorted(m0 + rng.uniform(0, 60, n_exp)):
                rid = f"R-{ctx.hex(10).upper()}"
                partner = ctx.pick(["acme-logistics", "zenmart", "bluefin-retail", "kora-foods"])
                s.add(ts, logback(ctx, ts, "INFO", lg_api, f"Export requested report={rid} partner={partner} "
                                                          f"rows={int(rng.integers(2000, 90000))}", thr(), partner=partner))
                if iid == R2 and ts >= ONSET:
                    s.add(ts + 0.4, logback(ctx, ts + 0.4, "ERROR",
                                            "org.apache.catalina.core.ContainerBase.[Tomcat].[localhost].[/].[dispatcherServlet]",
                                            "Servlet.service() for servlet [dispatcherServlet] threw exception",
                                            thr(), stack=NOSPACE.format(rid=rid), partner=partner))
                else:
                    d = float(rng.uniform(1.5, 9))
                    s.add(ts + d, logback(ctx, ts + d, "INFO", "com.northwind.reports.export.XlsxExporter",
                                          f"Report {rid} written ({int(rng.integers(200, 9000))} KB) in {d:.1f}s",
                                          thr(), partner=partner))
            for ts in sorted(m0 + rng.uniform(0, 60, rng.binomial(int(req[i] - exp_[i]) // 2, 0.1))):
                s.add(ts, logback(ctx, ts, "INFO", "com.northwind.reports.api.ReportController",
                                  f"GET /api/reports/{ctx.hex(8)} 200 {int(rng.integers(8, 90))}ms", thr()))
            if rng.random() < 0.05:
                ts = m0 + float(rng.uniform(0, 60))
                s.add(ts, logback(ctx, ts, "WARN", "org.springframework.web.servlet.mvc.method.annotation."
                                  "ExceptionHandlerExceptionResolver", "Resolved [org.apache.catalina.connector."
                                  "ClientAbortException: java.io.IOException: Broken pipe]", thr(), stack=ABORT))
    for ts in np.arange(-21000, -60, 900.0) + float(rng.uniform(0, 60)):
        ts = float(ts)
        streams[R1].add(ts, logback(ctx, ts, "INFO", "com.northwind.reports.maint.TempCleanup",
                                    f"Temp cleanup removed {int(rng.integers(20, 140))} files "
                                    f"({rng.uniform(0.2, 3.1):.1f} GB) from /var/app/tmp", "scheduling-1"))
        streams[R2].add(ts + 3, logback(ctx, ts + 3, "WARN", "com.northwind.reports.maint.TempCleanup",
                                        "Temp cleanup skipped: lock file /var/app/tmp/.cleanup.lock present "
                                        "(held since 2026-04-21T23:02:11Z)", "scheduling-1"))

    resources = [
        {"type": "ec2", "id": R1, "properties": {"name": R1_N, "instance_type": "m6i.large", "monitoring": "basic",
                                                 "data_volume": "/var/app (nvme1n1, 200 GiB gp3)",
                                                 "log_groups": ["/reports/app"]}},
        {"type": "ec2", "id": R2, "properties": {"name": R2_N, "instance_type": "m6i.large", "monitoring": "basic",
                                                 "data_volume": "/var/app (nvme1n1, 200 GiB gp3)",
                                                 "log_groups": ["/reports/app"]}},
        {"type": "alb", "id": LB, "properties": {"name": "partner-portal", "target_groups": [TG],
                                                 "targets": {TG: [R1, R2]}, "health_check_path": "/ping"}},
        {"type": "rds", "id": "hr-payroll-db", "properties": {"engine": "postgres", "instance_class": "db.t4g.medium",
                                                             "allocated_storage_gb": 100}},
    ]
    changes = [
        change(-18000, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup",
               "report-service-prod", "gitlab-deployer"),
        change(-1900, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "hr-payroll-db", "a.iyer"),
    ]
    a5 = next(m for m in metrics if m["name"] == "HTTPCode_Target_5XX_Count" and "TargetGroup" in m["dimensions"])
    c1 = next(m for m in metrics if m["name"] == "CPUUtilization" and m["dimensions"].get("InstanceId") == R1)
    alarms = [
        alarm(a5, "partner-portal-target-5xx", "Sum", 60, 3, 5, "GreaterThanThreshold", rng=rng,
              description="Partner portal targets returning 5xx"),
        alarm(c1, "reportgen-01-cpu-high", "Average", 300, 1, 70, "GreaterThanThreshold", rng=rng),
    ]
    doc = scenario(
        "h15-15-reportgen-disk-full", "Partners say report exports fail about half the time; partner-portal-target-5xx "
        "paged.", REGION, resources, metrics, list(streams.values()), alarms, changes,
        {"alarm": "partner-portal-target-5xx",
         "root_cause": {"category": "storage_exhaustion", "resource": [R2, R2_N]},
         "anomalies": [{"namespace": "CWAgent", "name": "disk_used_percent",
                        "dimensions": {"InstanceId": R2, "path": "/var/app", "device": "nvme1n1", "fstype": "xfs"}}]})
    meta = {"alarm_on": "front (ALB target group)",
            "decoys": "reportgen-01 CPU spike from a large export (own alarm flips) near onset; RDS change on "
                      "an unrelated database 3 min after onset; CodeDeploy to both hosts 5 h ago; constant "
                      "ClientAbortException broken-pipe WARNs",
            "story": "The /var/app data volume of reportgen-02 (CWAgent disk_used_percent, path /var/app) has "
                     "been filling all day because its temp cleanup keeps logging `skipped: lock file ... "
                     "present`, and reaches 100 % at -35 min; the root volume and reportgen-01 are fine. From "
                     "then every export that lands on reportgen-02 fails with ExportException `Caused by: "
                     "java.io.IOException: No space left on device`, about half of all exports, so the target "
                     "group's 5xx rise while both targets stay healthy. reportgen-01's CPU spike is a large "
                     "export completing normally."}
    return doc, meta
