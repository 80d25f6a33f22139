"""Message content: healthy work lines per business domain, code frames and exception signatures,
and the steady background warnings every real service has."""
from __future__ import annotations

from typing import Callable

from . import logs
from .builder import Scenario
from .compute import sampled_times
from .lambda_sim import LogLines, Request
from .logs import Frame

WORK_TEMPLATES = [
    "Created {obj} {pfx}_{n} total={amount} USD",
    "Processed {obj} {pfx}_{n} in {ms} ms",
    "Stored {obj} {pfx}_{n} (items={k})",
    "Synced {k} {obj}s from upstream batch {n}",
    "Handled {method} /{obj}s/{pfx}_{n} -> 200",
    "Published {obj}.updated for {pfx}_{n}",
]
OBJECTS = {"billing": ("invoice", "inv"), "ledger": ("entry", "le"), "checkout": ("order", "ord"),
           "orders": ("order", "ord"), "payments": ("payment", "pay"), "invoice": ("invoice", "inv"),
           "catalog": ("product", "prd"), "inventory": ("sku", "sku"), "shipping": ("shipment", "shp"),
           "pricing": ("quote", "qt"), "loyalty": ("member", "mbr"), "refunds": ("refund", "rf"),
           "accounts": ("account", "acct"), "booking": ("booking", "bk"), "wallet": ("transfer", "tr")}


def domain_object(domain: str) -> tuple[str, str]:
    return OBJECTS.get(domain, ("record", "rec"))


def work(domain: str, lines_per_request: float = 1.0) -> Callable[[Request], LogLines]:
    """Healthy INFO lines for one request of a function in ``domain``."""
    obj, pfx = domain_object(domain)

    def make(request: Request) -> LogLines:
        rng = request.rng
        if rng.random() > lines_per_request:
            return []
        template = WORK_TEMPLATES[int(rng.integers(len(WORK_TEMPLATES)))]
        text = template.format(obj=obj, pfx=pfx, n=int(rng.integers(100000, 999999)),
                               amount=f"{rng.uniform(3, 480):.2f}", ms=int(rng.integers(20, 400)),
                               k=int(rng.integers(1, 40)), method="GET" if rng.random() < 0.6 else "PUT")
        return [request.line("INFO", text, offset=float(rng.uniform(0.005, 0.08)))]
    return make


def frames(domain: str, func: str, code: str, line: int, runtime: str = "python3.12") -> list[Frame]:
    """Handler frame plus one app frame in the domain package."""
    if runtime.startswith("nodejs"):
        return [("/var/task/index.js", 18, "Runtime.handler", "await handle(event)"),
                (f"/var/task/src/{domain}/{func}.js", line, func, code)]
    return [("/var/task/handler.py", 27 + line % 31, "lambda_handler", "return process(event, context)"),
            (f"/var/task/{domain}/service.py", line, func, code)]


# Regressions a new build introduces: (python type, message, code) / (node type, message, code).
PY_REGRESSIONS = [
    ("KeyError", "'{field}'", "value = payload['{field}']"),
    ("TypeError", "unsupported operand type(s) for +: 'decimal.Decimal' and 'float'", "total = subtotal + fee"),
    ("AttributeError", "'NoneType' object has no attribute 'get'", "region = customer.get('region')"),
    ("TypeError", "build_{obj}() missing 1 required positional argument: 'currency'", "build_{obj}(payload)"),
    ("ValueError", "not enough values to unpack (expected 3, got 2)", "kind, ref, qty = line.split(':')"),
]
NODE_REGRESSIONS = [
    ("TypeError", "Cannot read properties of undefined (reading '{field}')", "const v = body.{field}.value"),
    ("TypeError", "{obj}.items.map is not a function", "{obj}.items.map(toLine)"),
    ("ReferenceError", "formatAmount is not defined", "formatAmount(total)"),
]
FIELDS = ["shipping_address", "customer_id", "currency", "line_items", "tax_code", "account_ref", "discount"]


def regression(sc: Scenario, domain: str, runtime: str) -> tuple[str, str, list[Frame]]:
    obj, _ = domain_object(domain)
    pool = NODE_REGRESSIONS if runtime.startswith("nodejs") else PY_REGRESSIONS
    exc, message, code = sc.pick(pool)
    field = sc.pick(FIELDS)
    message, code = message.format(field=field, obj=obj), code.format(field=field, obj=obj)
    func = sc.pick([f"build_{obj}", f"apply_{obj}_rules", f"normalize_{obj}", "render_totals"])
    if runtime.startswith("nodejs"):
        func = "".join(p.capitalize() if i else p for i, p in enumerate(func.split("_")))
    return exc, message, frames(domain, func, code, sc.randint(40, 220), runtime)


# --- steady background lines (decoys) ---------------------------------------------------------
def steady_warnings(sc: Scenario, probability: float) -> Callable[[Request], LogLines]:
    """A warning/handled error that has always been there, at a steady per-request rate."""
    peer = sc.pick(["inventory-svc", "pricing-svc", "geo-lookup", "fraud-score", "tax-calc", "cdn-origin"])
    kind = sc.randint(0, 3)

    def make(request: Request) -> LogLines:
        rng = request.rng
        if rng.random() >= probability:
            return []
        if kind == 0:
            text = f"Slow response from {peer} ({int(rng.integers(1200, 4800))} ms)"
            return [request.line("WARNING" if not request.fn.runtime.startswith("nodejs") else "WARN", text, 0.04)]
        if kind == 1:
            text = f"Call to {peer} failed: ReadTimeout; retrying (attempt 1/3)"
            return [request.line("ERROR", text, 0.04)]
        if kind == 2:
            text = f"Deprecated field 'legacy_id' present in payload from {peer}; ignoring"
            return [request.line("WARNING" if not request.fn.runtime.startswith("nodejs") else "WARN", text, 0.03)]
        text = f"Cache miss for {peer} key cfg:{int(rng.integers(10, 99))}; falling back to origin"
        return [request.line("WARNING" if not request.fn.runtime.startswith("nodejs") else "WARN", text, 0.02)]
    return make


def steady_text_warnings(sc: Scenario, style: str, every: tuple[float, float]) -> list[tuple[float, str]]:
    """Long-standing warnings for container/instance logs (a decoy), from the start of the window."""
    peer = sc.pick(["inventory-svc", "pricing-svc", "geo-lookup", "fraud-score", "recommendations"])
    events = []
    for t in sampled_times(sc, every):
        text = sc.pick([f"Slow response from {peer} ({sc.randint(1200, 4800)} ms)",
                        f"Call to {peer} failed: read timeout; retrying (attempt 1/3)"])
        if style == "java":
            events.append((t, logs.java_line(t, "WARN", f"http-nio-8080-exec-{sc.randint(1, 24)}",
                                             "c.e.common.http.RetryingClient", text)))
        elif style == "json":
            events.append((t, logs.json_line(t, "warn", text, peer=peer)))
        else:
            events.append((t, f"WARN  {text}"))
    return events
