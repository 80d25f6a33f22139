"""Lambda incidents, part 2: data-triggered exception (Java), external HTTP dependency, RDS crash recovery."""
from __future__ import annotations

import json

import numpy as np

from .common import T, Scn, blip, counts, daily, flat, noisy, ramp, step
from .lambdas_a import py_unhandled
from .services import apigw_exec_log, apigw_metrics, lambda_metrics, rds_metrics, sim_lambda


def java(sc, t, rid, lvl, logger, msg):
    return f"{sc.stamp(t)} {rid} {lvl:<5} {logger} - {msg}"


# ------------------------------------------------------------------------------
def s14_tax_calculator_exception():
    sc = Scn("h7-14-tax-calculator-exception", "eu-north-1",
             "TaxCalculator-Errors-PROD alarm; some baskets fail at checkout with 'could not calculate tax'.", 7114)
    fn, onset = "tax-calculator", -2000
    sc.resource("lambda", fn, runtime="java21", timeout=15, memory_size=1536)
    sc.resource("lambda", "receipt-mailer", runtime="nodejs20.x", timeout=30, memory_size=256)
    inv = counts(sc, daily(26, 0.15))
    promo = 0.22 * step(onset)  # a 3-for-2 campaign configured by merchandising in the commerce platform

    def h(sc, t, rid):
        p = promo[min(int((t + 21600) // 60), len(T) - 1)]
        lines = [(0.004, java(sc, t, rid, "INFO", "c.s.tax.TaxHandler", f"basket bsk_{sc.hexid(10)} "
                                                                        f"lines={sc.rng.integers(1, 9)} country=SE"))]
        if sc.rng.random() < 0.05:
            lines.append((0.006, java(sc, t, rid, "WARN", "c.s.tax.RateTable", "rate table older than 24h, "
                                                                              "using cached copy")))
        if sc.rng.random() < p:
            body = json.dumps({"errorMessage": "Non-terminating decimal expansion; no exact representable decimal result.",
                               "errorType": "java.lang.ArithmeticException",
                               "stackTrace": ["java.base/java.math.BigDecimal.divide(BigDecimal.java:1780)",
                                              "com.shopco.tax.Allocation.splitDiscount(Allocation.java:88)",
                                              "com.shopco.tax.TaxCalculator.calculate(TaxCalculator.java:142)",
                                              "com.shopco.tax.TaxHandler.handleRequest(TaxHandler.java:57)"]})
            return "error", float(sc.rng.uniform(30, 60)), 210, lines + [(0.03, body)]
        d = float(sc.rng.gamma(6, 7))
        return "ok", d, 205, lines + [(d / 1000, java(sc, t + d / 1000, rid, "INFO", "c.s.tax.TaxHandler",
                                                      f"tax total={sc.rng.uniform(5, 400):.2f} SEK"))]
    err, dur, conc = sim_lambda(sc, fn, inv, h, mem=1536, runtime="java:21.v19", streams=3, timeout_s=15)
    lambda_metrics(sc, fn, inv, err, dur, conc)
    inv2 = counts(sc, daily(8))

    def h2(sc, t, rid):
        return "ok", float(sc.rng.gamma(5, 40)), 90, [(0.002, f"{sc.iso(t)}\t{rid}\tINFO\treceipt queued for "
                                                               f"order ord_{sc.hexid(10)}")]
    e2, d2, c2 = sim_lambda(sc, "receipt-mailer", inv2, h2, mem=256, runtime="nodejs:20.v33", streams=1,
                            versions=((-1e9, "$LATEST"),))
    lambda_metrics(sc, "receipt-mailer", inv2, e2, d2, c2)
    sc.change(onset - 620, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "receipt-mailer", "gha-deployer")
    name = "TaxCalculator-Errors-PROD"
    sc.alarm(name, "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 2, 5.0, "GreaterThanThreshold", err,
             datapoints_to_alarm=2)
    sc.expect(name, "application_error", [fn],
              [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}],
              decoys="receipt-mailer deploy 10 minutes before onset (different function); constant rate-table "
                     "warnings",
              story="Merchandising launched a 3-for-2 campaign in the commerce platform (outside AWS). Splitting "
                    "the discount over three lines divides a BigDecimal by 3 without a MathContext, which throws "
                    "ArithmeticException for every basket with the promotion. No AWS change touched tax-calculator.")
    return sc


# ------------------------------------------------------------------------------
def s15_shipping_carrier_timeouts():
    sc = Scn("h7-15-shipping-carrier-timeouts", "ap-southeast-1",
             "Shipping API - integration latency alarm; checkout shipping options slow or missing.", 7115)
    api, api_id, fn, onset = "shipping-api", "p4w8e2r6ty", "shipping-quotes", -2100
    sc.resource("apigateway", api, api_id=api_id, stages=["prod"])
    sc.resource("lambda", fn, runtime="python3.12", timeout=29, memory_size=512,
                environment={"CARRIER_API_URL": "https://api.carrierx.com/v2", "CARRIER_TIMEOUT": "5"})
    sc.resource("lambda", "address-validate", runtime="python3.12", timeout=10, memory_size=256)
    inv = counts(sc, daily(21, 0.15))
    bad = 0.55 * ramp(onset, onset + 180)
    exec_log = []

    def h(sc, t, rid):
        b = bad[min(int((t + 21600) // 60), len(T) - 1)]
        lines = [(0.003, f"[INFO]\t{sc.iso(t)}\t{rid}\tquote request to={sc.rng.choice(['SG', 'MY', 'ID', 'TH'])} "
                         f"parcels={sc.rng.integers(1, 4)}")]
        r = sc.rng.random()
        if r < b * 0.8:
            lines.append((5.01, f"[ERROR]\t{sc.iso(t + 5.01)}\t{rid}\tcarrier quote failed: HTTPSConnectionPool("
                                f"host='api.carrierx.com', port=443): Read timed out. (read timeout=5)"))
            msg = py_unhandled("CarrierUnavailable", "carrierx quote failed after 1 attempt(s)",
                               [("/var/task/app.py", 33, "handler", "quotes = get_quotes(req)"),
                                ("/var/task/shipping/carriers.py", 97, "get_quotes", "raise CarrierUnavailable(...)")])
            exec_log.extend(apigw_exec_log(sc, api_id, "prod", t + 5.1, 502, [
                f"Lambda execution failed with status 200 due to customer function error: carrierx quote failed after "
                f"1 attempt(s). Lambda request id: {rid}"]))
            return "error", float(sc.rng.uniform(5020, 5090)), 101, lines + [(5.05, msg)]
        if r < b:
            lines.append((0.9, f"[ERROR]\t{sc.iso(t + 0.9)}\t{rid}\tcarrier quote failed: 503 Server Error: Service "
                               f"Unavailable for url: https://api.carrierx.com/v2/rates"))
            exec_log.extend(apigw_exec_log(sc, api_id, "prod", t + 1.0, 502, [
                f"Lambda execution failed with status 200 due to customer function error: carrierx quote failed after "
                f"1 attempt(s). Lambda request id: {rid}"]))
            return "error", float(sc.rng.uniform(850, 1300)), 101, lines
        d = float(sc.rng.gamma(6, 60) + b * 1800)
        return "ok", d, 99, lines + [(d / 1000, f"[INFO]\t{sc.iso(t + d / 1000)}\t{rid}\treturned "
                                                 f"{sc.rng.integers(2, 6)} quotes")]
    err, dur, conc = sim_lambda(sc, fn, inv, h, streams=2, timeout_s=29)
    lambda_metrics(sc, fn, inv, err, dur, conc)
    e4 = counts(sc, inv * 0.02)
    integ = noisy(sc, np.nan_to_num(dur) + 6, 0.04, 5)
    apigw_metrics(sc, api, "prod", count=inv + e4, e4xx=e4, e5xx=err, latency=integ + noisy(sc, flat(18), 0.2, 3),
                  integ=integ)
    sc.log(f"API-Gateway-Execution-Logs_{api_id}/prod", sc.hexid(32), exec_log)
    inv2 = counts(sc, daily(18))

    def h2(sc, t, rid):
        lines = [(0.002, f"[INFO]\t{sc.iso(t)}\t{rid}\tvalidated address")]
        if sc.rng.random() < 0.06:
            lines = [(0.002, f"[ERROR]\t{sc.iso(t)}\t{rid}\tpostcode {sc.rng.integers(10000, 99999)} not found in "
                             f"reference data for country=ID")]
        return "ok", float(sc.rng.gamma(4, 10)), 70, lines
    e2, d2, c2 = sim_lambda(sc, "address-validate", inv2, h2, mem=256, streams=1, timeout_s=10)
    lambda_metrics(sc, "address-validate", inv2, e2, d2, c2)
    sc.change(-10900, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", f"{api}/prod", "k.tan")
    name = "Shipping API - integration latency"
    sc.alarm(name, "AWS/ApiGateway", "IntegrationLatency", {"ApiName": api, "Stage": "prod"}, "Average", 60, 3,
             1500.0, "GreaterThanThreshold", integ)
    sc.expect(name, "dependency_failure", [fn, api, "api.carrierx.com"],
              [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}],
              decoys="UpdateStage on the API 3 h earlier; address-validate's constant postcode ERROR lines",
              story="The third-party carrier API (carrierx) degraded: most rate requests hang until the 5 s read "
                    "timeout, others get 503. shipping-quotes surfaces CarrierUnavailable and API Gateway returns 502; "
                    "integration latency jumps. Nothing in the account changed.")
    return sc


# ------------------------------------------------------------------------------
def s16_erp_pg_crash_recovery():
    sc = Scn("h7-16-erp-pg-crash-recovery", "eu-west-3",
             "OrdersSync-Errors alarm; ERP order sync failing.", 7116)
    fn, db, crash = "orders-sync", "erp-pg", -1560
    sc.resource("lambda", fn, runtime="python3.11", timeout=60, memory_size=512)
    sc.resource("rds", db, engine="postgres", engine_version="14.11", instance_class="db.r5.2xlarge",
                max_connections=3000, allocated_storage_gb=2000)
    sc.resource("lambda", "invoice-export", runtime="python3.11", timeout=120, memory_size=1024)
    host = f"{db}.c7h2k9m3n4p5.eu-west-3.rds.amazonaws.com"
    inv = counts(sc, daily(14, 0.1))
    down = T >= crash

    def h(sc, t, rid):
        if t >= crash:
            mode = ("FATAL:  the database system is in recovery mode" if t >= crash + 200 and sc.rng.random() < 0.7
                    else "Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?")
            return "error", float(sc.rng.uniform(15, 60)), 80, [(0.01, py_unhandled(
                "OperationalError", f"connection to server at \"{host}\" (10.50.2.14), port 5432 failed: {mode}",
                [("/var/task/app.py", 21, "handler", "conn = get_conn()"),
                 ("/var/task/sync/db.py", 14, "get_conn", "return psycopg2.connect(dsn, connect_timeout=5)")]).replace(
                "\nOperationalError:", "\npsycopg2.OperationalError:"))]
        d = float(sc.rng.gamma(6, 70))
        return "ok", d, 96, [(0.01, f"[INFO]\t{sc.iso(t)}\t{rid}\tsynced {sc.rng.integers(1, 40)} orders to ERP")]
    err, dur, conc = sim_lambda(sc, fn, inv, h, mem=512, runtime="python:3.11.v44", streams=2, timeout_s=60)
    lambda_metrics(sc, fn, inv, err, dur, conc)
    inv2 = np.zeros(len(T))
    inv2[5::15] = 1

    def h2(sc, t, rid):
        lines = [(0.2, f"[INFO]\t{sc.iso(t)}\t{rid}\texported {sc.rng.integers(40, 300)} invoices to s3://erp-exports/")]
        if sc.rng.random() < 0.5:
            lines.append((0.3, f"[ERROR]\t{sc.iso(t)}\t{rid}\tPDF font 'Inter-Medium' missing, falling back to Helvetica"))
        return "ok", float(sc.rng.uniform(8000, 14000)), 400, lines
    e2, d2, c2 = sim_lambda(sc, "invoice-export", inv2, h2, mem=1024, streams=1, timeout_s=120)
    lambda_metrics(sc, "invoice-export", inv2, e2, d2, c2)
    gap = (T >= crash + 60) & (T < crash + 300)  # no metrics while the instance restarts
    cpu = np.where(gap, np.nan, noisy(sc, daily(28) - down * 10 + down * (T >= crash + 300) * 8, 0.1, 1, 100))
    conns = np.where(gap, np.nan, np.where(down, 2 + (T >= crash + 300) * 1, np.round(noisy(sc, daily(140), 0.05))))
    wiops = np.where(gap, np.nan, noisy(sc, daily(900) + down * 2600, 0.1, 0))
    rds_metrics(sc, db, cpu=cpu, conns=conns, write_iops=wiops, storage_gb=2000, mem_gb=64,
                freeable=np.where(gap, np.nan, noisy(sc, flat(22 * 2 ** 30), 0.01)),
                free_storage=np.where(gap, np.nan, noisy(sc, flat(1.1e12), 0.0005)))
    pg = [(t, f"{sc.stamp(t)} UTC::@:[611]:LOG:  checkpoint complete: wrote {sc.rng.integers(5000, 20000)} buffers "
              f"({sc.rng.uniform(1, 4):.1f}%); 0 WAL file(s) added, 0 removed, 12 recycled") for t in range(-21590, crash, 300)]
    seq = [(0, "UTC::@:[611]:PANIC:  could not fsync file \"base/16400/2619\": Input/output error"),
           (0.4, "UTC::@:[498]:LOG:  checkpointer process (PID 611) was terminated by signal 6: Aborted"),
           (0.5, "UTC::@:[498]:LOG:  terminating any other active server processes"),
           (1.6, "UTC::@:[498]:LOG:  all server processes terminated; reinitializing"),
           (240, "UTC::@:[498]:LOG:  database system was interrupted; last known up at " + sc.stamp(crash - 100) + " UTC"),
           (241, "UTC::@:[498]:LOG:  database system was not properly shut down; automatic recovery in progress"),
           (243, "UTC::@:[498]:LOG:  redo starts at 3A1/4F000028")]
    pg += [(crash + off, f"{sc.stamp(crash + off)} {m}") for off, m in seq]
    for t in np.sort(sc.rng.uniform(crash + 250, -10, 80)):
        pg.append((t, f"{sc.stamp(t)} UTC:10.50.{sc.rng.integers(1, 9)}.{sc.rng.integers(2, 250)}({sc.rng.integers(30000, 60000)})"
                      f":erp_sync@erp:[{sc.rng.integers(1000, 9000)}]:FATAL:  the database system is in recovery mode"))
    for t in range(int(crash + 600), 0, 300):
        pg.append((t, f"{sc.stamp(t)} UTC::@:[498]:LOG:  redo in progress, elapsed time: {t - crash - 243:.2f} s, "
                      f"current LSN: 3A{sc.rng.integers(2, 9)}/{sc.hexid(8).upper()}"))
    sc.log(f"/aws/rds/instance/{db}/postgresql", f"{db}.0", pg)
    sc.change(-12400, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "invoice-export", "s.moreau")
    name = "OrdersSync-Errors"
    sc.alarm(name, "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 3.0, "GreaterThanOrEqualToThreshold", err,
             style="short")
    sc.alarm("erp-pg CPU high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 3, 80.0,
             "GreaterThanThreshold", cpu, expect_state="OK")
    sc.expect(name, "dependency_failure", [db],
              [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": {"DBInstanceIdentifier": db}}],
              decoys="invoice-export config change 3.4 h earlier and its constant font ERROR lines; erp-pg CPU alarm OK",
              story="An I/O error on erp-pg's storage made the checkpointer PANIC; PostgreSQL restarted and has been "
                    "in crash recovery (WAL redo) for ~25 minutes. orders-sync's connections are refused, then "
                    "rejected with 'the database system is in recovery mode'. The database is not overloaded - it "
                    "is unavailable.")
    return sc


SCENARIOS = [s14_tax_calculator_exception, s15_shipping_carrier_timeouts, s16_erp_pg_crash_recovery]
