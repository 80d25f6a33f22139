"""h28-13: Java date-arithmetic bug that only triggers on the 31st; errors start exactly at 00:00 UTC."""
from __future__ import annotations

import json
import random

from .common import HIST, LOGS, Clock, alarm, change, diurnal, poisson
from .logfmt import LambdaLog, Rec

R = "us-west-2"
API, FN, SWP, PG, PSYNC = "loyalty-api", "loyalty-points", "points-expiry-sweeper", "loyalty-pg", "partner-sync"


def jerr(msg, etype, frames):
    return json.dumps({"errorMessage": msg, "errorType": etype, "stackTrace": frames}, separators=(",", ":"))


DTE = jerr("Invalid date 'APRIL 31'", "java.time.DateTimeException", [
    "java.base/java.time.LocalDate.create(LocalDate.java:459)", "java.base/java.time.LocalDate.of(LocalDate.java:273)",
    "com.acme.loyalty.promo.BonusWindow.endFor(BonusWindow.java:41)",
    "com.acme.loyalty.accrual.AccrualService.accrue(AccrualService.java:88)",
    "com.acme.loyalty.AccrualHandler.handleRequest(AccrualHandler.java:52)",
    "com.acme.loyalty.AccrualHandler.handleRequest(AccrualHandler.java:24)"])
JACKSON = jerr("Cannot deserialize value of type `java.math.BigDecimal` from String \"12,50\": not a valid representation\n at [Source: "
               "(String)\"{\"memberId\":\"m_5521093\",\"amount\":\"12,50\",\"currency\":\"EUR\"}\"; line: 1, column: 47] (through reference "
               "chain: com.acme.loyalty.model.AccrualRequest[\"amount\"])",
               "com.fasterxml.jackson.databind.exc.InvalidFormatException", [
                   "com.fasterxml.jackson.databind.exc.InvalidFormatException.from(InvalidFormatException.java:67)",
                   "com.fasterxml.jackson.databind.DeserializationContext.weirdStringException(DeserializationContext.java:1958)",
                   "com.acme.loyalty.AccrualHandler.handleRequest(AccrualHandler.java:41)"])


def build():
    rng = random.Random(2813)
    clk = Clock("2026-03-31T00:36:00")
    mid = clk.top_of_hour(0)
    api = Rec("AWS/ApiGateway", {"ApiName": API})
    lam = Rec("AWS/Lambda", {"FunctionName": FN})
    swp = Rec("AWS/Lambda", {"FunctionName": SWP})
    pg = Rec("AWS/RDS", {"DBInstanceIdentifier": PG})
    ps = Rec("AWS/Lambda", {"FunctionName": PSYNC})
    log = LambdaLog(rng, clk, FN, "java21", 1536, streams=4, logger="AccrualHandler")
    sl = LambdaLog(rng, clk, SWP, "java21", 2048, streams=1, logger="ExpirySweeper")
    pl = LambdaLog(rng, clk, PSYNC, "python3.12", 256, streams=1)
    for t in range(-HIST, 0, 60):
        inv = poisson(rng, 150 * diurnal(t, 0.2, 15000))
        after = t >= mid
        bonus = sum(1 for _ in range(inv) if rng.random() < 0.4) if after else 0
        pre = poisson(rng, 0.5)
        errs = min(inv, bonus + pre)
        lam.put(t, Invocations=inv, Errors=errs, Throttles=0, Duration=rng.gauss(118, 8) - (25 if after else 0),
                ConcurrentExecutions=max(1, round(inv * 0.118 / 60 * 3 + rng.random())))
        api.put(t, Count=inv, **{"4XXError": poisson(rng, 5), "5XXError": errs}, Latency=rng.gauss(140, 9), IntegrationLatency=rng.gauss(124, 8))
        hot = mid <= t < mid + 420
        pg.put(t, CPUUtilization=(76 if hot else 19) + rng.gauss(0, 2), DatabaseConnections=(58 if hot else 46) + rng.gauss(0, 2),
               FreeableMemory=3.1e9 + rng.gauss(0, 3e7), FreeStorageSpace=1.12e11 - (t + HIST) * 800, ReadIOPS=(2900 if hot else 420) + rng.gauss(0, 40),
               WriteIOPS=(1800 if hot else 160) + rng.gauss(0, 20), ReadLatency=0.0008, WriteLatency=0.0013 + (0.0009 if hot else 0),
               DiskQueueDepth=(4.5 if hot else 0.6) + abs(rng.gauss(0, 0.2)))
        pn = 1 if t % 300 == 0 else 0
        if pn:
            ps.put(t, Invocations=1, Errors=0, Throttles=0, Duration=rng.gauss(2100, 150), ConcurrentExecutions=1)
        if t < -LOGS:
            continue
        for _ in range(poisson(rng, 10)):
            ts = t + rng.uniform(0, 59)
            member = f"m_{rng.randint(1000000, 9999999)}"
            order = f"o-{rng.randint(10 ** 8, 10 ** 9)}"
            inpromo = rng.random() < 0.4
            lines = [(0.004, "INFO", f"Accrual request member={member} order={order} amount={rng.uniform(5, 400):.2f} USD"
                                     f"{' campaign=SPRING_DOUBLE' if inpromo else ''}")]
            if ts >= mid and inpromo:
                d = rng.uniform(70, 100)
                lines.append((d / 1000 - 0.004, "ERROR", f"Accrual failed member={member} order={order}: java.time.DateTimeException: "
                                                         "Invalid date 'APRIL 31'"))
                log.invoke(ts, d, rng.randint(180, 200), lines, raw=[(d / 1000 - 0.002, DTE)])
            elif rng.random() < 0.03:
                log.invoke(ts, 40, 184, [(0.004, "INFO", f"Accrual request from partner=pos-eu-7")], raw=[(0.03, JACKSON)])
            else:
                d = rng.uniform(90, 150)
                pts = rng.randint(5, 800)
                lines.append((d / 1000 - 0.004, "INFO", f"Accrued {pts} points member={member} order={order} tier="
                                                        f"{rng.choice(['BLUE', 'SILVER', 'GOLD'])}" +
                              (f" bonusWindowEnd={clk.at(ts).strftime('%Y')}-{clk.at(ts).month + 1:02d}-{clk.at(ts).day:02d}" if inpromo else "")))
                log.invoke(ts, d, rng.randint(180, 200), lines)
        if pn and rng.random() < 1:
            pl.invoke(t + 1, rng.gauss(2100, 150), 71, [(0.02, "INFO", f"Synced {rng.randint(20, 90)} partner offers "
                                                                        f"batch_size={'500' if t >= -7200 else '200'}")])
    d = 392000.0
    swp.put(int((mid + 2 + d / 1000) // 60 * 60), Invocations=1, Errors=0, Throttles=0, Duration=d, ConcurrentExecutions=1)
    sl.invoke(mid + 2.1, d, 1420, [(0.05, "INFO", "Expiry sweep started for lots earned before 2024-03-31"),
                                   (180.0, "INFO", "Expired 31,884 / ~48,000 point lots"),
                                   (d / 1000 - 0.2, "INFO", f"Expiry sweep finished: expired 48,211 point lots, notified 12,904 members in {d / 1000:.1f} s")])
    alarms = [alarm(clk, "loyalty-api-5xx", api.get("5XXError"), "Sum", 300, 3, 50, after=mid - 300,
                    description="Loyalty API 5XX (points accrual failing)")]
    lag = round((alarms[0]["state_changed"] - (mid)) / 60)
    changes = [change(-20040, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", FN, "ci-deployer"),
               change(-20020, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", FN, "ci-deployer"),
               change(-7200, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", PSYNC, "k.nguyen")]
    scen = {
        "format": "aiops-scenario/v1", "name": "h28-13-loyalty-month-end-date-bug",
        "description": "Members not receiving points since around midnight UTC; loyalty-api 5XX alarm.",
        "region": R,
        "resources": [
            {"type": "apigateway", "id": API, "properties": {"stage": "prod"}},
            {"type": "lambda", "id": FN, "properties": {"runtime": "java21", "timeout": 20, "memory_size": 1536}},
            {"type": "lambda", "id": SWP, "properties": {"runtime": "java21", "timeout": 900, "memory_size": 2048, "schedule": "cron(0 0 * * ? *)"}},
            {"type": "rds", "id": PG, "properties": {"engine": "postgres", "engine_version": "15.5", "instance_class": "db.r6g.large",
                                                   "max_connections": 800, "allocated_storage_gb": 150}},
            {"type": "lambda", "id": PSYNC, "properties": {"runtime": "python3.12", "timeout": 60, "memory_size": 256}},
        ],
        "metrics": api.metrics() + lam.metrics() + swp.metrics() + pg.metrics() + ps.metrics(),
        "logs": log.logs() + sl.logs() + pl.logs(), "alarms": alarms, "changes": changes,
        "expect": {"alarm": "loyalty-api-5xx",
                   "root_cause": {"category": "application_error", "resource": [FN]},
                   "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}},
                                 {"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": API}}]},
    }
    meta = {"alarm_on": "front (loyalty-api)",
            "decoys": "daily points-expiry-sweeper at 00:00 with a loyalty-pg CPU/IO spike at the same minute; loyalty-points deploy "
                      "5.5 h earlier (clean until midnight); partner-sync config change 2 h ago; constant Jackson InvalidFormatException",
            "story": (
                "At exactly 00:00 UTC on 31 March, 40 % of accrual requests (members in the SPRING_DOUBLE campaign) start failing "
                "with java.time.DateTimeException: Invalid date 'APRIL 31' thrown from BonusWindow.endFor via LocalDate.of(year, "
                "month + 1, day) - successful logs from the previous day show bonusWindowEnd computed that way. Nothing changed "
                "at midnight: the last loyalty-points deploy was 5.5 hours earlier and ran cleanly, the partner-sync change is "
                "on another function, and the expiry sweeper that runs at 00:00 every day pushes loyalty-pg CPU to ~76 % for "
                f"seven minutes without any DB errors. The 5XX alarm (three 5-minute periods) fired ~{lag} minutes after onset. "
                "An unhandled exception with no preceding change and no resource or dependency fault: application_error in "
                "loyalty-points. The partner InvalidFormatException runs at ~0.5/min all day.")}
    return scen, meta
