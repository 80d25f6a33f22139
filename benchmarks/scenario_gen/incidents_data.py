"""Database-side incidents: a failing dependency, connection exhaustion, full storage, a parameter change."""
from __future__ import annotations

import numpy as np

from . import content, decoys, logs
from .builder import Scenario
from .common import after_onset, alarm_from_data, errors_alarm, lead_time, main_function
from .data_kits import GB, emit_rds, rds_baseline
from .lambda_sim import LambdaFunction, Outcome, emit
from .names import rds_host
from .series import clip, ramp, scale_after
from .timeline import MINUTES, TIMES


def _db_function(sc: Scenario, domain: str, db: str, engine: str) -> LambdaFunction:
    fn = main_function(sc, domain, runtime=sc.pick(["python3.12", "python3.11"]), timeout=sc.pick([15, 30]))
    fn.properties["environment"] = {"DB_HOST": rds_host(db, sc.region), "DB_NAME": domain,
                                    "DB_PORT": "5432" if engine == "postgres" else "3306"}
    return fn


def _db_error(sc: Scenario, domain: str, db: str, engine: str, detail: str, exc: str | None = None):
    """A Lambda outcome factory for a failed DB call naming the host."""
    host, ip = rds_host(db, sc.region), sc.namer.private_ip()
    if engine == "postgres":
        exc = exc or "psycopg2.OperationalError"
        message = f'connection to server at "{host}" ({ip}), port 5432 failed: {detail}'
        code = "conn = psycopg2.connect(**DB_SETTINGS)"
    else:
        exc = exc or "pymysql.err.OperationalError"
        message = detail.replace("{host}", host)
        code = "conn = pymysql.connect(**DB_SETTINGS)"
    frames = content.frames(domain, "get_connection", code, sc.randint(14, 60))
    return lambda r: Outcome("error", [r.exception(exc, message, frames)], duration_ms=None)


def dependency_rds(sc: Scenario) -> None:
    domain = sc.namer.domain()
    engine = sc.pick(["postgres", "mysql"])
    db = sc.namer.database(domain, engine)
    fn = _db_function(sc, domain, db, engine)
    connect_timeout = sc.pick([5, 10])
    if engine == "postgres":
        detail = sc.pick(["timeout expired", "Connection timed out\n\tIs the server running on that host and "
                                             "accepting TCP/IP connections?"])
    else:
        detail = f"(2003, \"Can't connect to MySQL server on '{{host}}' (timed out)\")"
    fail = _db_error(sc, domain, db, engine, detail)
    fn.faults.append(after_onset(sc, sc.uniform(0.6, 0.95), lambda r: Outcome(
        "error", fail(r).lines, duration_ms=connect_timeout * 1000 + r.rng.uniform(2, 60)), ramp_s=60))
    _, refs = emit(sc, fn)
    max_conn = sc.pick([200, 400, 800])
    series = rds_baseline(sc, max_conn, sc.pick([100, 200, 500]))
    series["DatabaseConnections"] = np.round(ramp(series["DatabaseConnections"], sc.onset,
                                                  series["DatabaseConnections"] * sc.uniform(0.05, 0.3), 2))
    series["CPUUtilization"] = ramp(series["CPUUtilization"], sc.onset, series["CPUUtilization"] * 0.6, 3)
    extra = []
    if engine == "postgres":
        for t in TIMES[TIMES > sc.onset][::7]:
            extra.append((float(t) + 11, logs.postgres(float(t) + 11, "LOG", "could not receive data from client: "
                                                       "Connection timed out", f"{sc.namer.private_ip()}(5{sc.randint(1000, 9999)})",
                                                       f"app@{domain}", sc.randint(2000, 30000))))
    rds_refs = emit_rds(sc, db, engine, series, max_conn, int(series["FreeStorageSpace"][0] / GB * 2), extra)
    alarm = errors_alarm(sc, fn.name, refs["Errors"])
    sc.description = f"{fn.name} errors; requests hanging for seconds."
    decoys.add_background(sc)
    sc.set_expect(alarm, "dependency_failure", [db], [refs["Errors"], refs["Duration"],
                                                      rds_refs["DatabaseConnections"]])


PARTNERS = [("payments-api", "payments-api.partner-gw.example.net", "/v2/charges"),
            ("shipping-rates", "rates.carrier-hub.example.com", "/v1/quotes"),
            ("kyc-provider", "verify.kyc-check.example.io", "/api/v3/checks"),
            ("tax-engine", "api.taxengine.example.com", "/v1/calculate")]


def dependency_http(sc: Scenario) -> None:
    domain = sc.namer.domain()
    fn = main_function(sc, domain)
    partner, host, path = sc.pick(PARTNERS)
    fn.properties["environment"] = {f"{partner.upper().replace('-', '_')}_URL": f"https://{host}"}
    node = fn.runtime.startswith("nodejs")
    kind = sc.pick(["503", "ECONNREFUSED", "timeout"])
    if kind == "503":
        exc, msg = (("AxiosError", "Request failed with status code 503") if node else
                    ("requests.exceptions.HTTPError", f"503 Server Error: Service Unavailable for url: https://{host}{path}"))
        pre = f"503 from {partner} ({host}{path})"
    elif kind == "ECONNREFUSED":
        ip = sc.namer.private_ip()
        exc, msg = (("Error", f"connect ECONNREFUSED {ip}:443") if node else
                    ("requests.exceptions.ConnectionError", f"HTTPSConnectionPool(host='{host}', port=443): Max retries "
                     f"exceeded with url: {path} (Caused by NewConnectionError('Failed to establish a new connection: "
                     "[Errno 111] Connection refused'))"))
        pre = f"{partner} unreachable: ECONNREFUSED {host}"
    else:
        exc, msg = (("Error", f"timeout of 5000ms exceeded calling https://{host}{path}") if node else
                    ("requests.exceptions.ReadTimeout", f"HTTPSConnectionPool(host='{host}', port=443): Read timed "
                     "out. (read timeout=5)"))
        pre = f"call to {partner} timed out after 5000 ms ({host})"
    frames = content.frames(domain, "call_partner" if not node else "callPartner",
                            f"resp = session.post(f'https://{host}{path}', json=payload, timeout=5)", sc.randint(30, 99),
                            fn.runtime)
    fn.faults.append(after_onset(sc, sc.uniform(0.5, 0.9), lambda r: Outcome(
        "error", [r.line("WARN" if node else "WARNING", pre, 0.2), r.exception(exc, msg, frames, 0.25)],
        duration_ms=r.rng.uniform(5000, 5400) if kind == "timeout" else r.rng.uniform(80, 400)), ramp_s=60))
    _, refs = emit(sc, fn)
    alarm = errors_alarm(sc, fn.name, refs["Errors"])
    sc.description = f"{fn.name} errors alarm; {content.domain_object(domain)[0]} flow degraded."
    decoys.add_background(sc)
    sc.set_expect(alarm, "dependency_failure", [fn.name, partner, host], [refs["Errors"]])


def connection_exhaustion_lambda(sc: Scenario) -> None:
    domain = sc.namer.domain()
    db = sc.namer.database(domain)
    fn = _db_function(sc, domain, db, "postgres")
    max_conn = sc.pick([100, 150, 200, 400])
    fail = _db_error(sc, domain, db, "postgres", sc.pick(["FATAL:  sorry, too many clients already",
                                                          "FATAL:  remaining connection slots are reserved for "
                                                          "non-replication superuser connections"]))
    fn.faults.append(after_onset(sc, sc.uniform(0.4, 0.8), fail, ramp_s=240))
    _, refs = emit(sc, fn)
    series = rds_baseline(sc, max_conn, sc.pick([100, 200]))
    climb = ramp(series["DatabaseConnections"], sc.onset - sc.uniform(300, 900), max_conn - sc.rng.integers(0, 3, MINUTES),
                 sc.uniform(8, 20))
    series["DatabaseConnections"] = np.round(clip(climb, 0, max_conn))
    series["CPUUtilization"] = scale_after(series["CPUUtilization"], sc.onset, sc.uniform(1.2, 1.6), 10)
    extra = []
    for t in np.sort(sc.rng.uniform(sc.onset, -60, sc.randint(60, 200))):
        t = float(t)
        extra.append((t, logs.postgres(t, "FATAL", "sorry, too many clients already",
                                       f"{sc.namer.private_ip()}({sc.randint(30000, 60000)})", f"app@{domain}",
                                       sc.randint(2000, 40000))))
    rds_refs = emit_rds(sc, db, "postgres", series, max_conn, int(series["FreeStorageSpace"][0] / GB * 2), extra)
    alarm = errors_alarm(sc, fn.name, refs["Errors"])
    sc.description = f"{fn.name} failing; Errors alarm in ALARM."
    decoys.add_background(sc)
    sc.set_expect(alarm, "db_connection_exhaustion", [db], [rds_refs["DatabaseConnections"], refs["Errors"]])


def storage_rds(sc: Scenario) -> None:
    domain = sc.namer.domain()
    db = sc.namer.database(domain)
    fn = _db_function(sc, domain, db, "postgres")
    allocated = sc.pick([20, 50, 100])
    series = rds_baseline(sc, 400, allocated)
    start_free = allocated * GB * sc.uniform(0.18, 0.3)
    slope = np.linspace(start_free, start_free * 0.55, MINUTES)
    floor = sc.uniform(0.02, 0.3) * GB
    cliff = sc.randint(10, 30)
    series["FreeStorageSpace"] = ramp(slope, sc.onset - cliff * 60, floor, cliff) + sc.rng.uniform(0, 2e7, MINUTES)
    series["WriteLatency"] = scale_after(series["WriteLatency"], sc.onset, sc.uniform(3, 8), 3)
    relation = f"base/{sc.randint(16000, 17000)}/{sc.randint(20000, 90000)}"
    message = f'could not extend file "{relation}": No space left on device\nHINT:  Check free disk space.'
    fn.faults.append(after_onset(sc, sc.uniform(0.4, 0.8), lambda r: Outcome("error", [r.exception(
        "psycopg2.errors.DiskFull", message, content.frames(domain, "save", "cur.execute(INSERT_SQL, row)", 77))]),
        ramp_s=60))
    _, refs = emit(sc, fn)
    extra = []
    for t in np.sort(sc.rng.uniform(sc.onset, -60, sc.randint(40, 120))):
        t = float(t)
        extra.append((t, logs.postgres(t, "ERROR", f'could not extend file "{relation}.{sc.randint(1, 9)}": No space '
                                       "left on device", f"{sc.namer.private_ip()}(4{sc.randint(1000, 9999)})",
                                       f"app@{domain}", sc.randint(2000, 40000))))
    rds_refs = emit_rds(sc, db, "postgres", series, 400, allocated, extra)
    if sc.chance(0.5):
        alarm = alarm_from_data(sc, f"{db}-free-storage-low", rds_refs["FreeStorageSpace"], "Minimum",
                                comparison="LessThanThreshold", period=300, evaluation_periods=1)
    else:
        alarm = errors_alarm(sc, fn.name, refs["Errors"])
    sc.description = f"Writes failing in {domain}; alarm fired."
    decoys.add_background(sc)
    sc.set_expect(alarm, "storage_exhaustion", [db], [rds_refs["FreeStorageSpace"], refs["Errors"]])


def config_rds_parameter(sc: Scenario) -> None:
    domain = sc.namer.domain()
    db = sc.namer.database(domain)
    group = f"{db}-params"
    fn = _db_function(sc, domain, db, "postgres")
    changed = lead_time(sc, 2, 10)
    value = sc.pick(["200", "500", "1000"])
    frames = content.frames(domain, "fetch_report", "cur.execute(REPORT_SQL, params)", sc.randint(40, 120))
    fn.faults.append(after_onset(sc, sc.uniform(0.35, 0.7), lambda r: Outcome("error", [r.exception(
        "psycopg2.errors.QueryCanceled", "canceling statement due to statement timeout", frames, 0.3)],
        duration_ms=float(value) + r.rng.uniform(5, 40)), ramp_s=30))
    _, refs = emit(sc, fn)
    series = rds_baseline(sc, 400, 200)
    reload_at = changed + sc.uniform(20, 60)
    extra = [(reload_at, logs.postgres(reload_at, "LOG", "received SIGHUP, reloading configuration files", pid=412)),
             (reload_at + 0.01, logs.postgres(reload_at + 0.01, "LOG", f'parameter "statement_timeout" changed to "{value}"',
                                              pid=412))]
    for t in np.sort(sc.rng.uniform(sc.onset, -60, sc.randint(30, 90))):
        t = float(t)
        extra.append((t, logs.postgres(t, "ERROR", "canceling statement due to statement timeout",
                                       f"{sc.namer.private_ip()}(4{sc.randint(1000, 9999)})", f"app@{domain}",
                                       sc.randint(2000, 40000))))
    emit_rds(sc, db, "postgres", series, 400, 200, extra)
    sc.resources[-1]["properties"]["parameter_group"] = group
    sc.add_change(changed, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", group,
                  sc.namer.user(human=True))
    alarm = errors_alarm(sc, fn.name, refs["Errors"])
    sc.description = f"{fn.name} errors alarm; report requests failing."
    decoys.add_background(sc)
    sc.set_expect(alarm, "config_change", [db, group], [refs["Errors"]])
