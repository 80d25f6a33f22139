"""h87-07 (return-copy PDF service on ECS: JVM heap exhausted, tasks restarting behind an internal
ALB) and h87-08 (one PHP upload instance's root volume fills up behind the upload ALB)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import jline

from . import kit
from .kit import LAST3H, apache, emit, every, logstash, php_error


def build_07():
    sc = kit.make(7, "return-copy-502s",
                  "Taxpayers cannot download the PDF copy of their filed return; internal ALB returning "
                  "502/503.", "us-east-2", "2027-04-15T14:25:00+00:00")
    rng = sc.rng
    alb = kit.alb_id(sc, "efile-int-alb")
    cl, svc, other = "efile-batch", "return-copy", "ack-dispatch"
    climb, oom = -3900, -2460
    sc.resource("alb", alb, name="efile-int-alb", scheme="internal")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=6, cpu=2048, memory=4096,
                java_opts="-Xmx3g -XX:+ExitOnOutOfMemoryError", log_group=f"/ecs/{svc}")
    sc.resource("ecs", f"{cl}/{other}", launch_type="FARGATE", desired_count=3, cpu=512, memory=1024)

    load = lambda t: 380 * diurnal(sc, t, 15.0, 0.25)
    dying = lambda t: ramp(t, oom, oom + 200)
    # heap fills as deadline-day returns with hundreds of attachment pages arrive; tasks die and restart
    mem = lambda t: 52 + 40 * ramp(t, climb, oom) + (8 if t >= oom and (t // 60) % 4 else -14 * dying(t))
    kit.ecs_metrics(sc, cl, svc, lambda t: 28 * diurnal(sc, t, 15.0, 0.2) + 25 * ramp(t, climb, oom), mem,
                    lambda t: 6.0 - (2.0 if t >= oom and (t // 60) % 3 == 0 else 0.0))
    kit.ecs_metrics(sc, cl, other, lambda t: 14 + bump(t, -2700, -2200, 60.0, 120), lambda t: 38.0,
                    lambda t: 3.0 if t < -2640 else 5.0)
    kit.alb_metrics(sc, alb, load, lambda t: 0.9 + 0.6 * ramp(t, climb, oom) + 1.8 * dying(t),
                    t5=lambda t: 0.3 + 4 * dying(t), e5=lambda t: 0.2 + load(t) * 0.11 * dying(t),
                    healthy=lambda t: 6.0 - 1.6 * dying(t), unhealthy=lambda t: 1.6 * dying(t))

    sc.alarm("efile-int-alb-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": alb},
             "Sum", 60, 3, 15, "GreaterThanThreshold", "Internal ALB: load-balancer generated 5xx")
    sc.alarm("ack-dispatch-cpu", "AWS/ECS", "CPUUtilization", {"ClusterName": cl, "ServiceName": other},
             "Average", 60, 3, 70, "GreaterThanThreshold")
    sc.alarm("efile-int-alb-unhealthy", "AWS/ApplicationELB", "UnHealthyHostCount", {"LoadBalancer": alb},
             "Maximum", 60, 5, 2, "GreaterThanOrEqualToThreshold")

    sc.change(-20100, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}",
              "svc-efile-pipeline")
    sc.change(-2660, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{other}",
              "chg-CHG0042415-ahassan")
    sc.change(-2520, "application-autoscaling.amazonaws.com", "PutScalingPolicy",
              "AWS::ApplicationAutoScaling::ScalingPolicy", f"service/{cl}/{other}", "chg-CHG0042415-ahassan")

    group = f"/ecs/{svc}"
    # task generations: the original six, then replacements after each OOM exit
    tasks = [[kit.task_id(sc), -40000, None] for _ in range(6)]
    live, t = list(range(6)), oom + 20
    while t < -30:  # one task exits on OOM every few minutes; ECS starts a replacement
        dead = tasks[live.pop(0)]
        dead[2] = t
        tasks.append([kit.task_id(sc), t + 45, None])
        live.append(len(tasks) - 1)
        t += rng.uniform(140, 260)
    for tid, born, died in tasks:
        stream = f"ecs/{svc}/{tid}"
        start, end = max(born, LAST3H), died if died is not None else 0
        if start >= end:
            continue
        if born > LAST3H:
            sc.log(group, stream, born, logstash(sc, born, "INFO", "gov.efile.copy.ReturnCopyApplication", "main",
                                                 "Started ReturnCopyApplication in 11.82 seconds (process running for 12.9)"))

        def line(t, born=born):
            heap = min(3072, 1500 + 1500 * ramp(t, climb, oom) + (t - max(born, oom)) * 6 * (t > oom))
            r = rng.random()
            if t > oom and heap > 2900 and r < 0.35:
                return logstash(sc, t, "ERROR", "o.a.c.c.C.[.[.[/].[dispatcherServlet]", f"http-nio-8080-exec-{rng.randint(1, 64)}",
                                "Servlet.service() for servlet [dispatcherServlet] threw exception [Handler dispatch failed: "
                                "java.lang.OutOfMemoryError: Java heap space] with root cause",
                                stack_trace="java.lang.OutOfMemoryError: Java heap space\n\tat java.base/java.util.Arrays.copyOf(Arrays.java:3541)\n"
                                            "\tat java.base/java.io.ByteArrayOutputStream.ensureCapacity(ByteArrayOutputStream.java:100)\n"
                                            "\tat org.apache.pdfbox.io.RandomAccessReadBuffer.<init>(RandomAccessReadBuffer.java:96)\n"
                                            "\tat gov.efile.copy.pdf.ReturnAssembler.merge(ReturnAssembler.java:142)")
            if r < 0.12:
                return logstash(sc, t, "WARN", "gov.efile.copy.assets.FontCache", "main",
                                "barcode font not found in s3://efile-assets/fonts/, using bundled copy")
            if r < 0.2 and heap > 2400:
                return logstash(sc, t, "WARN", "gov.efile.copy.health.HeapMonitor", "heap-monitor",
                                f"heap after GC {heap:.0f}MB of 3072MB ({heap / 30.72:.0f}%)")
            pages = int(rng.lognormvariate(3.3 + 0.9 * ramp(t, climb, oom), 0.6))
            return logstash(sc, t, "INFO", "gov.efile.copy.pdf.ReturnAssembler", f"http-nio-8080-exec-{rng.randint(1, 64)}",
                            f"assembled copy for SUB-{rng.randint(10**9, 10**10 - 1)} pages={pages} ms={rng.randint(200, 900) + pages * 6}")

        emit(sc, group, stream, start, end, lambda t: 2.4, line)
        if died is not None:
            sc.log(group, stream, died - 0.4, logstash(sc, died - 0.4, "ERROR", "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                                        f"http-nio-8080-exec-{rng.randint(1, 64)}",
                                                        "Servlet.service() threw exception [java.lang.OutOfMemoryError: Java heap space]"))
            sc.log(group, stream, died - 0.1, "Terminating due to java.lang.OutOfMemoryError: Java heap space")
    every(sc, f"/ecs/{other}", f"ecs/{other}/{kit.task_id(sc)}", LAST3H, 0, 60,
          lambda t: jline({"level": "info", "ts": sc.iso(t), "msg": "dispatch tick",
                           "pending": rng.randint(0, 40) + int(900 * bump(t, -2700, -2200, 1.0, 120))}))

    sc.expect["alarm"] = "efile-int-alb-elb-5xx"
    kit.meta(sc, "memory_exhaustion", [f"{cl}/{svc}", svc], "front (internal ALB)",
             "UpdateService and a scaling policy on ack-dispatch (with its own CPU alarm) minutes before onset; barcode-font WARNs on every task for hours; return-copy's last deploy was 5.5 h earlier",
             "The internal ALB's load-balancer 5xx alarm. return-copy's MemoryUtilization climbs for "
             "25 minutes as deadline-day returns grow (pages per copy roughly double) and then saw-tooths "
             "at the top: tasks log `heap after GC 2900MB of 3072MB`, then `java.lang.OutOfMemoryError: "
             "Java heap space` in PDFBox buffers and `Terminating due to java.lang.OutOfMemoryError`, and new "
             "task streams keep starting. UnHealthyHostCount rises while replacements boot. ack-dispatch's "
             "scale-out and CPU spike happen alongside but nothing of it touches return-copy.",
             services="ALB (internal), ECS (Java, logstash JSON)")
    return sc


def build_08():
    sc = kit.make(8, "upload-form-500s",
                  "Attachment upload page intermittently fails with HTTP 500 ('Your file could not be "
                  "saved'); upload ALB 5xx alarm.", "us-west-1", "2027-04-13T23:35:00+00:00")
    rng = sc.rng
    alb = kit.alb_id(sc, "efile-upload-alb")
    a, b = kit.instance_id(sc), kit.instance_id(sc)
    full = -1920
    sc.resource("alb", alb, name="efile-upload-alb", scheme="internet-facing")
    for iid, nm in ((a, "upl-php-1"), (b, "upl-php-2")):
        sc.resource("ec2", iid, name=nm, instance_type="m5.large", root_volume_gb=50,
                    log_groups=["/efile/upload/access", "/efile/upload/php-error"])

    load = lambda t: 520 * diurnal(sc, t, 23.0, 0.3)
    fail = lambda t: ramp(t, full, full + 120)
    kit.alb_metrics(sc, alb, load, lambda t: 0.62 - 0.1 * fail(t), t5=lambda t: 0.6 + load(t) * 0.5 * 0.8 * fail(t),
                    healthy=lambda t: 2.0, t4=lambda t: load(t) * 0.015)
    kit.ec2_metrics(sc, a, lambda t: 34 * diurnal(sc, t, 23.0, 0.2), lambda t: 58.0,
                    lambda t: min(100.0, 77.0 + 23.0 * (t + 21600) / (21600 + full)) if t < full else 100.0,
                    net=lambda t: 3.1e8)
    kit.ec2_metrics(sc, b, lambda t: 34 * diurnal(sc, t, 23.0, 0.2) + bump(t, -2400, -1500, 48.0, 120),
                    lambda t: 57.0, lambda t: 41.0 + 0.2 * ((t // 3600) % 2), net=lambda t: 3.0e8)

    sc.alarm("efile-upload-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb},
             "Sum", 60, 3, 30, "GreaterThanThreshold")
    sc.alarm("upl-php-2-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": b}, "Average", 300, 1, 75,
             "GreaterThanThreshold")

    sc.change(-18000, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", b, "chg-CHG0041990-dcho")
    sc.change(-2400, "ssm.amazonaws.com", "SendCommand", "AWS::SSM::Document", "AWS-RunShellScript",
              "chg-CHG0042288-dcho")
    sc.change(-2030, "elasticloadbalancing.amazonaws.com", "AddListenerCertificates",
              "AWS::ElasticLoadBalancingV2::Listener", alb, "chg-CHG0042290-pmurphy")

    for iid in (a, b):
        is_a = iid == a

        def acc(t):
            r = rng.random()
            if r < 0.012:
                return apache(sc, t, kit.IP(sc), "POST", "/upload/attach.php", 413, 381, rng.uniform(2e5, 6e5))
            if r < 0.5:
                ok = not (is_a and t >= full and rng.random() < 0.85)
                return apache(sc, t, kit.IP(sc), "POST", "/upload/attach.php", 200 if ok else 500,
                              rng.randint(300, 900) if ok else 612, rng.lognormvariate(13.0, 0.4))
            return apache(sc, t, kit.IP(sc), "GET", rng.choice(["/upload/list.php", "/upload/status.php?id=" + sc.hexid(8)]),
                          200, rng.randint(2000, 9000), rng.lognormvariate(10.5, 0.4))

        emit(sc, "/efile/upload/access", iid, LAST3H, 0, lambda t: 6, acc)
        emit(sc, "/efile/upload/php-error", iid, LAST3H, 0, lambda t: 1.0,
             lambda t: php_error(sc, t, "Notice", "Undefined index: HTTP_X_FORWARDED_PROTO in "
                                                 "/var/www/upload/lib/Request.php on line 37"))
        emit(sc, "/efile/upload/php-error", iid, LAST3H, 0, lambda t: 0.3,
             lambda t: php_error(sc, t, "Warning", "POST Content-Length of 31457280 bytes exceeds the limit of "
                                                  "26214400 bytes in Unknown on line 0"))
        if is_a:
            def nospace(t):
                tmp = f"/tmp/php{sc.hexid(6)}"
                return rng.choice([
                    [php_error(sc, t, "Warning", f"move_uploaded_file(/var/www/upload/staging/{sc.hexid(16)}.pdf): Failed to open "
                                                 "stream: No space left on device in /var/www/upload/attach.php on line 58"),
                     php_error(sc, t, "Warning", f"move_uploaded_file(): Unable to move \"{tmp}\" to "
                                                 f"\"/var/www/upload/staging/{sc.hexid(16)}.pdf\" in /var/www/upload/attach.php on line 58")],
                    php_error(sc, t, "Warning", "Unknown: Write failed: No space left on device (28) in Unknown on line 0"),
                    php_error(sc, t, "Fatal error", "Uncaught RuntimeException: could not stage attachment in "
                                                    "/var/www/upload/attach.php:61\nStack trace:\n#0 {main}\n  thrown in "
                                                    "/var/www/upload/attach.php on line 61")])

            emit(sc, "/efile/upload/php-error", iid, full, 0, lambda t: 4, nospace)
            every(sc, "/efile/upload/php-error", iid, LAST3H, 0, 3600,
                  lambda t: php_error(sc, t, "Warning", "file_put_contents(/var/log/efile/upload-audit.log): "
                                                        "Failed to open stream: No space left on device in "
                                                        "/var/www/upload/lib/Audit.php on line 22") if t > full else None)

    sc.expect["alarm"] = "efile-upload-alb-5xx"
    kit.meta(sc, "storage_exhaustion", [a, "upl-php-1"], "front (ALB)",
             "AddListenerCertificates on the same ALB 2 min before onset; an SSM RunShellScript 8 min before onset; a CPU spike (own alarm) on upl-php-2; PHP Notices and 413/Content-Length warnings all along",
             "The upload ALB's 5xx alarm. Only upl-php-1 returns 500s on POST /upload/attach.php; its "
             "disk_used_percent has climbed steadily all day and sits at 100 % since -32 min, and its PHP "
             "error log switches to `move_uploaded_file(...): Failed to open stream: No space left on "
             "device` and `Write failed: No space left on device (28)`. upl-php-2 serves the same page "
             "fine (its CPU spike is unrelated, and an SSM command cannot explain a disk that filled gradually all day), and the listener certificate "
             "addition cannot explain a per-instance disk error.",
             services="ALB, EC2 (PHP/Apache, PHP error log + access log)")
    return sc


BUILDERS = [build_07, build_08]
