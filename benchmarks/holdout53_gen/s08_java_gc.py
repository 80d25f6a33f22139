"""h53-08: quote-engine (Java 17, G1, -Xmx12g) on quote-node-2 has an unbounded session cache; after 11 days of
uptime the old generation is full and the JVM spends most of its time in Full GC pauses."""
from __future__ import annotations

from datetime import datetime

from . import logfmt as L
from .core import Scenario, counts, diurnal, dims_ref, value_at
from .kits import add, alb_set, ec2_set, lambda_set, minutes

REGION = "eu-west-2"
N1, N2 = "i-0c1b2a3948576d6e5", "i-0e5f4d3c2b1a09f8e"
LB = "app/quote-alb/2d4c6e8f0a1b3c5d"
NOW_H = 17.33
ONSET = -2700
MAXH = 12288.0

META = {
    "file": "h53-08-ec2-java-gc-thrash.yaml", "region": REGION, "alarm": "quote-alb-latency",
    "category": "memory_exhaustion", "resources": [N2, "quote-node-2"], "alarm_on": "front (ALB)",
    "decoys": "memory-size change on the quote-pdf-renderer Lambda 12 min after onset; RateFeedClient `503` ERROR "
              "every 30 s on both nodes all day; benign RequestCount spike from a newsletter 2.5 h earlier",
    "story": (
        "Quote ALB latency climbs from ~60 ms to several seconds and the target flaps unhealthy. On quote-node-2 the "
        "JVM heap (CloudWatch agent JMX metrics) has grown all day and is pinned at the 12 GB -Xmx; the GC log shows "
        "young pauses giving way to `To-space exhausted` and back-to-back `Pause Full (G1 Compaction Pause)` of "
        "5-14 s that reclaim almost nothing (12.2 G -> 11.9 G), GC time per minute goes from <1 s to 20-45 s, "
        "HikariCP reports `Thread starvation or clock leap detected`, and finally requests fail with "
        "`java.lang.OutOfMemoryError: Java heap space` in QuoteSessionCache.put, whose periodic size line keeps "
        "growing (no eviction). quote-node-1 runs the same build but was restarted yesterday and sits at half the "
        "heap. Host mem_used_percent is flat because the heap is preallocated, and CPU rises with GC work but is "
        "not pinned. The Lambda memory change happened after onset on an unrelated function; the rate-feed 503s "
        "are constant. Judgement: memory exhaustion (JVM heap) on quote-node-2."),
}


def build() -> Scenario:
    scn = Scenario("h53-08-ec2-java-gc-thrash", "Insurance quotes timing out for about half of users; ALB latency "
                   "alarm.", REGION, 5308, datetime(2026, 9, 15, 16, 20))
    rng = scn.rng
    for iid, name, up in ((N1, "quote-node-1", "1 day"), (N2, "quote-node-2", "11 days")):
        scn.resource("ec2", iid, name=name, instance_type="r6i.xlarge", uptime=up,
                     jvm="OpenJDK 17.0.10, G1GC, -Xms12g -Xmx12g", log_groups=["/quote/app", "/quote/gc"])
    scn.resource("alb", LB, name="quote-alb", scheme="internet-facing", stickiness="lb_cookie 1h",
                 health_check="/actuator/health timeout 5s interval 10s unhealthy_threshold 3")
    scn.resource("lambda", "quote-pdf-renderer", runtime="java17", timeout=60, memory_size=2048)
    mult = lambda t: diurnal(t, NOW_H, peak_hour=15.0, amp=0.35)
    after = lambda t: t >= ONSET
    heap2 = lambda t: (9650 + (MAXH * 0.975 - 9650) * (t + 21600) / (21600 + ONSET)) if not after(t) \
        else MAXH * rng.uniform(0.972, 0.998)
    heap1 = lambda t: 5100 + 900 * (t + 21600) / 21600
    gc2 = lambda t: (380 + 60 * mult(t) if t < ONSET - 1800 else 900 + (t - ONSET + 1800) * 0.9) if not after(t) \
        else rng.uniform(19000, 45000)
    unhealthy = lambda t: after(t) and (int(t // 60) % 5) in (1, 2)
    for iid, heap, gc in ((N1, heap1, lambda t: 300 + 50 * mult(t)), (N2, heap2, gc2)):
        bad = iid == N2
        ec2_set(scn, iid, cpu=lambda t, bad=bad: (27 * mult(t) + (min(38.0, gc2(t) / 1000) if bad and t > ONSET - 1800 else 0)
                                                  + (12 if not bad and after(t) else 0)) + rng.gauss(0, 1.5),
                mem=lambda t: 51.8 + rng.gauss(0, 0.2), disk=lambda t: 28.4 + rng.gauss(0, 0.02),
                net_in=lambda t: 6e7 * mult(t) * rng.uniform(0.9, 1.1),
                net_out=lambda t: 9e7 * mult(t) * rng.uniform(0.9, 1.1))
        d = {"InstanceId": iid}
        add(scn, "CWAgent", d, "jvm.memory.heap.used", "Bytes",
            lambda t, h=heap: h(t) * 1048576 * rng.uniform(0.995, 1.0), nd=0)
        add(scn, "CWAgent", d, "jvm.memory.heap.max", "Bytes", lambda t: MAXH * 1048576, nd=0)
        add(scn, "CWAgent", d, "jvm.gc.collections.elapsed", "Milliseconds", lambda t, g=gc: g(t) * rng.uniform(0.9, 1.1), nd=0)
        add(scn, "CWAgent", d, "jvm.threads.count", "Count", lambda t: 238 + rng.randint(-6, 6), nd=0)
    burst = lambda t: -9000 <= t < -8400
    req = counts(lambda t: 2100 * mult(t) * (1.8 if burst(t) else 1.0), rng)
    alb = alb_set(scn, LB, req=req,
                  rt=lambda t: (0.058 * rng.uniform(0.85, 1.2) if not after(t) else rng.uniform(2.6, 5.2)),
                  t5xx=lambda t: rng.choice([0, 0, 1]) + (value_at(req, t) * rng.uniform(0.004, 0.02) if t > -900 else 0),
                  e5xx=lambda t: rng.choice([0, 0, 0, 1]) + (rng.randint(3, 20) if unhealthy(t) else 0),
                  healthy=lambda t: 1 if unhealthy(t) else 2, unhealthy=lambda t: 1 if unhealthy(t) else 0)
    pdf = counts(lambda t: 6 * mult(t), rng)
    lambda_set(scn, "quote-pdf-renderer", inv=pdf, err=lambda t: 0, thr=lambda t: 0,
               dur=lambda t: rng.uniform(1400, 2200) * (0.7 if t > -2000 else 1.0), conc=lambda t: rng.choice([1, 1, 2]))
    scn.alarm("quote-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB}, "Average", 60, 3,
              1.5, "GreaterThanThreshold", points=alb["TargetResponseTime"], description="quote-alb average latency > 1.5 s")
    scn.change(-2000, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
               "quote-pdf-renderer", "s.patel")
    _logs(scn, heap1, heap2, mult)
    scn.set_expect("quote-alb-latency", META["category"], META["resources"],
                   [dims_ref("CWAgent", "jvm.memory.heap.used", {"InstanceId": N2}),
                    dims_ref("CWAgent", "jvm.gc.collections.elapsed", {"InstanceId": N2}),
                    dims_ref("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB})])
    return scn


OOM = ("Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Handler dispatch "
       "failed: java.lang.OutOfMemoryError: Java heap space] with root cause\n\njava.lang.OutOfMemoryError: Java heap "
       "space\n\tat java.base/java.util.HashMap.resize(HashMap.java:702)\n\tat java.base/java.util.HashMap.putVal("
       "HashMap.java:661)\n\tat java.base/java.util.HashMap.put(HashMap.java:610)\n\tat com.acme.quote.session."
       "QuoteSessionCache.put(QuoteSessionCache.java:57)\n\tat com.acme.quote.web.QuoteController.create("
       "QuoteController.java:88)")


def _logs(scn, heap1, heap2, mult):
    rng = scn.rng
    for iid, heap, up0, pid in ((N1, heap1, 86400.0 + 3000, 1893), (N2, heap2, 11 * 86400.0 + 4100, 2417)):
        bad = iid == N2
        app, gcl = [], []
        gcn = 48000 if bad else 4100
        entries = 4_380_000 if bad else 690_000
        t = -9000.0
        while t < -1:
            h = heap(t)
            up = up0 + 21600 + t
            stamp = lambda tt: f"[{scn.at(tt).strftime('%Y-%m-%dT%H:%M:%S.')}{scn.at(tt).microsecond // 1000:03d}+0000]" \
                               f"[{up0 + 21600 + tt:.3f}s]"
            gcn += 1
            if not bad or t < ONSET:
                before = min(MAXH - 40, h + rng.uniform(1100, 1500))
                ms = rng.uniform(18, 55)
                gcl.append((t, f"{stamp(t)}[info][gc] GC({gcn}) Pause Young (Normal) (G1 Evacuation Pause) "
                               f"{before:.0f}M->{h:.0f}M({MAXH:.0f}M) {ms:.3f}ms"))
                t += rng.uniform(14, 26) / mult(t)
            else:
                kind = rng.random()
                if kind < 0.45:
                    gcl.append((t, f"{stamp(t)}[info][gc] GC({gcn}) To-space exhausted"))
                    gcl.append((t + 0.01, f"{stamp(t)}[info][gc] GC({gcn}) Pause Young (Normal) (G1 Evacuation Pause) "
                                          f"{MAXH - rng.uniform(5, 30):.0f}M->{MAXH - rng.uniform(40, 120):.0f}M"
                                          f"({MAXH:.0f}M) {rng.uniform(180, 650):.3f}ms"))
                    t += rng.uniform(1, 4)
                else:
                    ms = rng.uniform(5200, 14100)
                    gcl.append((t, f"{stamp(t)}[info][gc] GC({gcn}) Pause Full (G1 Compaction Pause) "
                                   f"{MAXH - rng.uniform(3, 20):.0f}M->{MAXH * rng.uniform(0.972, 0.985):.0f}M"
                                   f"({MAXH:.0f}M) {ms:.3f}ms"))
                    if rng.random() < 0.4:
                        tt = t + ms / 1000 + 0.01
                        app.append((tt, L.logback(scn, tt, "WARN", pid, "l-1 housekeeper",
                                    "com.zaxxer.hikari.pool.HikariPool", f"HikariPool-1 - Thread starvation or clock "
                                    f"leap detected (housekeeper delta={int(ms / 1000) + 30}s{rng.randint(0, 999)}ms).")))
                    t += ms / 1000 + rng.uniform(0.5, 3)
        for m0 in minutes(-9000):
            slow = bad and m0 >= ONSET
            for _ in range(int(7 * mult(m0) * (0.45 if slow else 1))):
                tt = m0 + rng.uniform(0, 60)
                thr = f"nio-8080-exec-{rng.randint(1, 200)}"
                if slow and m0 > -900 and rng.random() < 0.08:
                    app.append((tt, L.logback(scn, tt, "ERROR", pid, thr, "o.a.c.c.C.[.[.[/].[dispatcherServlet]", OOM)))
                    continue
                ms = rng.uniform(25, 110) * (rng.uniform(30, 90) if slow else 1)
                app.append((tt, L.logback(scn, tt, "INFO", pid, thr, "c.a.q.web.QuoteController",
                            f"quote computed id=Q-{scn.hex(10).upper()} product={rng.choice(['motor', 'home', 'travel'])}"
                            f" ms={ms:.0f}")))
            for s in (7, 37):
                tt = m0 + s + rng.uniform(0, 0.3)
                app.append((tt, L.logback(scn, tt, "ERROR", pid, "scheduling-1", "c.a.q.rates.RateFeedClient",
                            "Rate feed refresh failed: 503 Service Unavailable from https://rates.partner.example/v2;"
                            " keeping previous rates")))
            entries += int(rng.uniform(700, 1100) * mult(m0))
            if scn.at(m0).minute % 10 == 0:
                tt = m0 + 12
                app.append((tt, L.logback(scn, tt, "INFO", pid, "scheduling-2", "c.a.q.session.QuoteSessionCache",
                            f"session cache size {entries:,} entries (~{entries * 1.72 / 1e3 / 1e3:.2f} GB est.), "
                            "evictions=0")))
        scn.log("/quote/gc", iid, gcl)
        scn.log("/quote/app", iid, app)
