"""Lambda incidents at a limit: timeout, concurrency/throughput throttling, memory, and a traffic surge."""
from __future__ import annotations

import numpy as np

from . import decoys
from .builder import Scenario
from .common import after_onset, alarm_from_data, errors_alarm, main_function
from .data_kits import emit_api
from .lambda_sim import Outcome, emit
from .series import baseline, scale_after


def function_timeout(sc: Scenario) -> None:
    domain = sc.namer.domain()
    timeout = sc.pick([15, 30, 60, 90])
    fn = main_function(sc, domain, timeout=timeout, rate=baseline(sc.rng, sc.uniform(1.5, 3.5), 0.05, 0.2),
                       duration_ms=timeout * 1000 * sc.uniform(0.12, 0.3), duration_sigma=0.25,
                       runtime=sc.pick(["python3.12", "nodejs20.x"]))
    unit = sc.pick(["rows", "records", "line items", "pages"])
    job = sc.pick(["report", "export", "reconciliation", "statement", "invoice batch"])

    def slow(r) -> Outcome:
        size = int(r.rng.integers(150_000, 900_000))
        return Outcome("timeout", [r.line("INFO", f"Starting {job} for tenant t-{int(r.rng.integers(100, 999))} "
                                          f"({size} {unit})", 0.02)])
    fn.faults.append(after_onset(sc, sc.uniform(0.8, 0.97), slow, ramp_s=sc.uniform(60, 300)))
    _, refs = emit(sc, fn)
    if sc.chance(0.5):
        alarm = errors_alarm(sc, fn.name, refs["Errors"])
    else:
        alarm = alarm_from_data(sc, f"{fn.name}-duration-high", refs["Duration"], "Average",
                                description=f"{fn.name} average duration")
    sc.description = f"{fn.name} {job}s not completing; alarm fired."
    decoys.add_background(sc)
    sc.set_expect(alarm, "function_timeout", [fn.name], [refs["Duration"], refs["Errors"]])


def throttling_concurrency(sc: Scenario, with_api: bool) -> None:
    domain = sc.namer.domain()
    reserved = sc.randint(3, 6)
    duration_s = sc.uniform(22, 40)
    base_rate = sc.uniform(0.4, 0.55) * reserved * 60 / duration_s
    rate = scale_after(baseline(sc.rng, base_rate, 0.04, 0.1), sc.onset, sc.uniform(2.8, 4.0), sc.uniform(2, 6))
    fn = main_function(sc, domain, rate=rate, reserved_concurrency=reserved, duration_ms=duration_s * 1000,
                       duration_sigma=0.2, timeout=sc.pick([60, 120, 300]), memory_size=sc.pick([1024, 2048]),
                       memory_used_mb=sc.randint(300, 700))
    result, refs = emit(sc, fn)
    anomalies = [refs["Throttles"], refs["ConcurrentExecutions"]]
    alarm = alarm_from_data(sc, f"{fn.name}-throttles", refs["Throttles"], "Sum",
                            description=f"{fn.name} throttled invocations")
    resources = [fn.name]
    if with_api:
        api = sc.namer.api(domain)
        api_refs = emit_api(sc, api, sc.namer.api_id(), result, fn.name)
        anomalies.append(api_refs["4XXError"])
        if sc.chance(0.5):
            sc.alarms.pop()
            alarm = alarm_from_data(sc, f"{api}-4xx", api_refs["4XXError"], "Sum", description=f"{api} 4XX errors")
    sc.description = sc.pick([f"Requests to {fn.name} failing intermittently; alarm fired.",
                              f"Clients see 429s; {fn.name} alarm in ALARM."])
    decoys.add_background(sc)
    sc.set_expect(alarm, "throttling", resources, anomalies)


def throttling_dynamodb(sc: Scenario) -> None:
    domain = sc.namer.domain()
    table = f"{domain}-{sc.namer.table().lower()}"
    fn = main_function(sc, domain, runtime=sc.pick(["python3.12", "python3.11"]))
    fn.rate = scale_after(fn.rate, sc.onset, sc.uniform(1.4, 1.9), 5)
    fn.duration_factor = scale_after(np.ones_like(fn.rate), sc.onset, sc.uniform(2, 4), 5)
    op = sc.pick(["PutItem", "UpdateItem", "BatchWriteItem"])
    message = (f"An error occurred (ProvisionedThroughputExceededException) when calling the {op} operation "
               f"(reached max retries: 9): The level of configured provisioned throughput for the table was "
               f"exceeded. Consider increasing your provisioning level with the UpdateTable API.")
    frames = [("/var/task/handler.py", 44, "lambda_handler", "return process(event, context)"),
              (f"/var/task/{domain}/store.py", sc.randint(30, 120), "save", f"table.{op[0].lower() + op[1:]}(**item)"),
              ("/var/runtime/botocore/client.py", 1023, "_make_api_call", "raise error_class(parsed_response, operation_name)")]
    fn.properties["environment"] = {"TABLE_NAME": table, "LOG_LEVEL": "INFO"}
    fn.faults.append(after_onset(sc, sc.uniform(0.3, 0.6), lambda r: Outcome(
        "error", [r.line("WARNING", f"{op} on {table} throttled; retrying with backoff", 0.3),
                  r.exception("botocore.errorfactory.ProvisionedThroughputExceededException", message, frames, 2.5)],
        duration_ms=r.rng.uniform(2600, 4200)), ramp_s=120))
    _, refs = emit(sc, fn)
    alarm = errors_alarm(sc, fn.name, refs["Errors"])
    sc.description = f"{fn.name} errors alarm during the afternoon import."
    decoys.add_background(sc)
    sc.set_expect(alarm, "throttling", [fn.name, table], [refs["Errors"], refs["Duration"]])


def memory_lambda(sc: Scenario) -> None:
    domain = sc.namer.domain()
    memory = sc.pick([256, 512, 1024])
    fn = main_function(sc, domain, memory_size=memory, memory_used_mb=int(memory * sc.uniform(0.35, 0.6)),
                       duration_ms=sc.uniform(300, 1500), timeout=sc.pick([30, 60]),
                       runtime=sc.pick(["python3.12", "nodejs20.x"]))
    item = sc.pick(["document", "image", "archive", "spreadsheet"])

    def oom(r) -> Outcome:
        size = r.rng.uniform(60, 400)
        return Outcome("killed", [r.line("INFO", f"Loading {item} {int(r.rng.integers(10000, 99999))} "
                                         f"({size:.1f} MB) into memory", 0.03)],
                       duration_ms=r.rng.uniform(1500, 9000))
    fn.faults.append(after_onset(sc, sc.uniform(0.3, 0.7), oom, ramp_s=120))
    _, refs = emit(sc, fn)
    alarm = errors_alarm(sc, fn.name, refs["Errors"])
    sc.description = f"{fn.name} errors climbing; some {item}s never processed."
    decoys.add_background(sc)
    sc.set_expect(alarm, "memory_exhaustion", [fn.name], [refs["Errors"]])


def traffic_surge_api(sc: Scenario) -> None:
    domain = sc.namer.domain()
    fn = main_function(sc, domain, rate=baseline(sc.rng, sc.uniform(2, 4), 0.05, 0.2), timeout=60,
                       duration_ms=sc.uniform(150, 600))
    factor = sc.uniform(3.2, 5.5)
    fn.rate = scale_after(fn.rate, sc.onset, factor, sc.uniform(3, 10))
    fn.duration_factor = scale_after(np.ones_like(fn.rate), sc.onset, sc.uniform(1.6, 3.0), 8)
    fn.faults.append(after_onset(sc, sc.uniform(0.01, 0.03),
                                 lambda r: Outcome("slow", duration_ms=r.rng.uniform(29500, 36000))))
    result, refs = emit(sc, fn)
    api = sc.namer.api(domain)
    api_refs = emit_api(sc, api, sc.namer.api_id(), result, fn.name)
    if sc.chance(0.5):
        alarm = alarm_from_data(sc, f"{api}-latency", api_refs["Latency"], "Average", evaluation_periods=3,
                                description=f"{api} latency")
    else:
        alarm = alarm_from_data(sc, f"{api}-requests-high", api_refs["Count"], "Sum", evaluation_periods=3)
    sc.description = f"{api} slow for customers; latency alarm."
    decoys.add_background(sc)
    sc.set_expect(alarm, "traffic_surge", [api, fn.name], [api_refs["Count"], api_refs["Latency"], refs["Invocations"]])
