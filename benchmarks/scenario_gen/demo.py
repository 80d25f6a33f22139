"""The hand-tuned demo scenario: a configuration change on the checkout payments Lambda removes
PAYMENT_API_URL, every charge fails with KeyError, the storefront API returns 5XX. Decoys: a deploy to
another function two hours earlier, long-standing inventory-svc warnings, a healthy orders database."""
from __future__ import annotations

import numpy as np

from .builder import Scenario
from .common import after_onset, alarm_from_data, lambda_deploy
from .data_kits import emit_api, emit_rds, rds_baseline
from .lambda_sim import LambdaFunction, LogLines, Outcome, Request, emit
from .names import rds_host
from .series import baseline

REGION = "us-east-1"
ONSET = -1500.0
CHANGE_AT = ONSET - 250


def _charge(request: Request) -> LogLines:
    rng = request.rng
    order = f"ord_{int(rng.integers(100000, 999999))}"
    return [request.line("INFO", f"Charging {order} amount={rng.uniform(9, 420):.2f} USD", 0.01),
            request.line("INFO", f"Payment authorized for {order} in {int(rng.integers(90, 380))} ms", 0.3)]


def _inventory_warning(request: Request) -> LogLines:
    if request.rng.random() >= 0.05:
        return []
    return [request.line("WARNING", f"Slow response from inventory-svc ({int(request.rng.integers(1200, 4200))} ms); "
                                    "using cached stock level", 0.05)]


def _emailer(request: Request) -> LogLines:
    return [request.line("INFO", f"Sent order confirmation for ord_{int(request.rng.integers(100000, 999999))}", 0.02)]


def build_demo(seed: int = 2026) -> Scenario:
    sc = Scenario(name="demo-checkout-outage", region=REGION, rng=np.random.default_rng(seed), onset=ONSET)
    sc.description = ("Checkout is failing: customers get \"Something went wrong\" on the payment step. "
                      "The checkout-payments Errors alarm and the storefront-api 5XX alarm fired a few minutes ago.")
    frames = [("/var/task/handler.py", 38, "lambda_handler", "return charge_order(json.loads(event['body']))"),
              ("/var/task/payments/service.py", 71, "charge_order", "client = PaymentClient.from_env()"),
              ("/var/task/payments/client.py", 24, "from_env", "base_url = os.environ['PAYMENT_API_URL']")]
    payments = LambdaFunction(
        name="checkout-payments", rate=baseline(sc.rng, 6.0, 0.05, 0.2), work=_charge, runtime="python3.12",
        memory_size=512, timeout=15, duration_ms=420, memory_used_mb=112, restarts=[CHANGE_AT + 8],
        noise=[_inventory_warning],
        properties={"environment": {"STAGE": "prod", "LOG_LEVEL": "INFO", "ORDERS_TABLE": "checkout-orders",
                                    "PAYMENT_API_TIMEOUT_MS": "3000",
                                    "DB_HOST": rds_host("checkout-db", REGION)}})
    payments.faults.append(after_onset(sc, 0.97, lambda r: Outcome("error", [r.exception(
        "KeyError", "'PAYMENT_API_URL'", frames)], duration_ms=r.rng.uniform(3, 12)), ramp_s=20))
    result, refs = emit(sc, payments)
    api = emit_api(sc, "storefront-api", "k3x9q2w7ab", result, "checkout-payments")
    sc.add_change(CHANGE_AT, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
                  "checkout-payments", "jane.doe")

    emailer_deploy = -7300.0
    emailer = LambdaFunction(name="order-emailer", rate=baseline(sc.rng, 2.0, 0.05, 0.2), work=_emailer,
                             runtime="nodejs20.x", memory_size=256, timeout=30, duration_ms=240,
                             memory_used_mb=84, restarts=[emailer_deploy + 12])
    _, emailer_refs = emit(sc, emailer)
    lambda_deploy(sc, "order-emailer", emailer_deploy, "ci-deployer")

    db_series = rds_baseline(sc, 400, 200)
    db_refs = emit_rds(sc, "checkout-db", "postgres", db_series, 400, 200, instance_class="db.r6g.large")

    alarm = alarm_from_data(sc, "checkout-payments-errors", refs["Errors"], "Sum", evaluation_periods=3,
                            description="Checkout payments Lambda errors")
    alarm_from_data(sc, "storefront-api-5xx", api["5XXError"], "Sum", evaluation_periods=3,
                    description="Storefront API 5XX responses")
    sc.add_alarm("order-emailer-errors", emailer_refs["Errors"], "Sum", 5, state="OK")
    sc.add_alarm("checkout-db-cpu-high", db_refs["CPUUtilization"], "Average", 85, period=300, evaluation_periods=2,
                 state="OK")
    sc.decoys += ["deployment to order-emailer two hours earlier", "steady inventory-svc warnings",
                  "healthy checkout-db (postgres)"]
    sc.set_expect(alarm, "config_change", ["checkout-payments"], [refs["Errors"], api["5XXError"]])
    return sc
