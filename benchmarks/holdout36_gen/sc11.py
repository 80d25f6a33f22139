"""h36-11 Fri 09:20 BRT, LatAm checkout (-prd): TaxCalculationErrors (EMF metric).

Orders to a state the ICMS rate table has no row for start arriving; tax-calc throws an
unhandled TypeError for each. Nothing was deployed to tax-calc for days.
"""
from __future__ import annotations

import json

from . import logfmt as L
from .common import Scenario, anomaly, smooth
from .fleet import Fleet
from .infra import GB, alb, ecs, rds

CL, SVC, BFF, LOY = "latam-prd", "tax-calc", "checkout-bff", "loyalty-points"
LB, DB = "app/latam-prd-int/5e7a9c1b3d5f7092", "latam-prd-pg"
T0, T_LOY = -1500, -2100

META = {
    "region": "sa-east-1", "category": "application_error", "front": "origin (tax-calc's own EMF metric)",
    "resources": [f"{CL}/{SVC}", SVC],
    "decoys": "loyalty-points deploy 10 min before the first error (not in the tax path, healthy); "
              "tax-calc's steady CEP cache-miss WARNs; checkout-bff's derived 502 errors",
    "story": (
        "The page is tax-calc's own EMF metric TaxCalculationErrors. From -25 min tax-calc logs "
        "`TypeError: Cannot read properties of undefined (reading 'interna')` at computeIcms "
        "(icms.js:88) on every quote whose destination state is AC (Acre); quotes to every other "
        "state succeed. checkout-bff, which calls it, logs the 500s and returns 502, so the "
        "internal ALB's 5xx rise too. tax-calc's tasks have been running for days (no task "
        "definition or service change), CPU and memory are flat, the database is fine, and the "
        "exception is raised in its own code, not by a dependency. The one deploy nearby is "
        "loyalty-points, which is not on the checkout path and keeps serving normally. An "
        "unhandled exception with no preceding change and no resource or dependency fault: "
        "application_error in latam-prd/tax-calc."),
}

UFS = ["SP", "SP", "SP", "RJ", "RJ", "MG", "MG", "PR", "RS", "SC", "BA", "PE", "CE", "GO", "DF", "ES"]
STACK = ("TypeError: Cannot read properties of undefined (reading 'interna')\n"
         "    at computeIcms (/app/dist/tax/icms.js:88:41)\n"
         "    at /app/dist/tax/quote.js:54:23\n"
         "    at Array.map (<anonymous>)\n"
         "    at buildQuote (/app/dist/tax/quote.js:49:30)\n"
         "    at /app/dist/routes/quote.js:31:26\n"
         "    at Layer.handle [as handle_request] (/app/node_modules/express/lib/router/layer.js:95:5)\n"
         "    at next (/app/node_modules/express/lib/router/route.js:149:13)")


def build() -> Scenario:
    s = Scenario(11, "latam-tax-calc-typeerror", 3611, "sa-east-1",
                 "Paged 09:20 BRT by latam-tax-calc-errors; some customers cannot complete checkout.",
                 "2026-03-13T12:20:00", -3)
    r = s.rng
    s.resource("alb", LB, name="latam-prd-int", scheme="internal")
    for svc, n, td in ((SVC, 3, "tax-calc:77"), (BFF, 4, "checkout-bff:203"), (LOY, 2, "loyalty-points:58")):
        s.resource("ecs", f"{CL}/{svc}", launch_type="FARGATE", desired_count=n, cpu=512, memory=1024,
                   task_definition=td, log_group=f"/ecs/{CL}/{svc}")
    s.resource("rds", DB, engine="postgres", engine_version="15.6", instance_class="db.m6g.large",
               max_connections=800, allocated_storage_gb=300)

    quotes = lambda t: 290 * s.diurnal(t, 0.15, 13, 4.5)
    ac = lambda t: 0.05 * smooth(t, T0, T0 + 300)
    errs = {}

    def err_at(t):
        if t not in errs:
            errs[t] = s.poisson(quotes(t) * ac(t))
        return errs[t]
    err_pts = s.add("Latam/Checkout", "TaxCalculationErrors", {"Service": SVC, "Environment": "prd"}, "Count",
                    err_at, integer=True)
    s.add("Latam/Checkout", "TaxQuotes", {"Service": SVC, "Environment": "prd"}, "Count",
          lambda t: s.noise(quotes(t), 0.05), integer=True)
    alb(s, LB, {
        "RequestCount": lambda t: s.noise(quotes(t) * 2.6, 0.05),
        "HTTPCode_Target_5XX_Count": lambda t: 2 * errs.get(t, 0) + (1 if r.random() < 0.05 else 0),
        "HTTPCode_Target_4XX_Count": lambda t: s.noise(quotes(t) * 0.02, 0.2),
        "TargetResponseTime": lambda t: s.noise(0.041, 0.08),
        "HTTPCode_ELB_5XX_Count": lambda t: 0,
        "HealthyHostCount": lambda t: 9 + (2 if T_LOY <= t < T_LOY + 180 else 0),
        "UnHealthyHostCount": lambda t: 0,
    })
    for svc, cpu, mem, n in ((SVC, 21, 44, 3), (BFF, 27, 52, 4), (LOY, 9, 38, 2)):
        ecs(s, CL, svc, {"CPUUtilization": lambda t, c=cpu: s.noise(c * s.diurnal(t, 0.3, 13, 4.5) + 4, 0.08),
                         "MemoryUtilization": lambda t, m=mem: s.noise(m, 0.03),
                         "RunningTaskCount": lambda t, n=n, v=svc: n + (n if v == LOY and T_LOY <= t < T_LOY + 180 else 0)})
    rds(s, DB, {"CPUUtilization": lambda t: s.noise(19 * s.diurnal(t, 0.3, 13, 4.5) + 5, 0.08),
                "DatabaseConnections": lambda t: s.noise(64, 0.05), "FreeableMemory": lambda t: s.noise(3.4 * GB, 0.01),
                "ReadLatency": lambda t: s.noise(0.0009, 0.1), "WriteLatency": lambda t: s.noise(0.0013, 0.1)})

    # ---------------------------------------------------------------- logs
    tax = Fleet(s, f"/ecs/{CL}/{SVC}")
    bff = Fleet(s, f"/ecs/{CL}/{BFF}")
    loy = Fleet(s, f"/ecs/{CL}/{LOY}")
    for _ in range(3):
        tax.task(SVC)
    for _ in range(4):
        bff.task(BFF)
    names: dict = {}
    hn = lambda m: names.setdefault(m.mid, f"ip-10-50-{r.randint(1, 3)}-{r.randint(10, 250)}.sa-east-1.compute.internal")

    def ok(t, m):
        rid = f"req-{s.hexid(6)}"
        tax.emit(m, t, L.pino(s, t, 30, "request completed", hn(m), reqId=rid, req={"method": "POST", "url": "/v1/tax/quote"},
                              res={"statusCode": 200}, responseTime=round(r.uniform(4, 30), 1), originUf="SP", destUf=r.choice(UFS)))
    tax.spread(-7200, 0, lambda t: quotes(t) / 10, ok, warm=0, drain=0)
    tax.spread(-7200, 0, lambda t: 2.5, lambda t, m: tax.emit(m, t, L.pino(
        s, t, 40, "CEP lookup cache miss; falling back to ViaCEP", hn(m), cep=f"{r.randint(10000, 99999)}-{r.randint(100, 999)}",
        fallbackMs=r.randint(40, 220))), warm=0, drain=0)

    def fail(t):
        m = r.choice(tax.members)
        rid = f"req-{s.hexid(6)}"
        od = f"od_{s.hexid(10)}"
        tax.emit(m, t, L.pino(s, t, 50, "unhandled error computing tax quote", hn(m), reqId=rid,
                              err={"type": "TypeError", "message": "Cannot read properties of undefined (reading 'interna')",
                                   "stack": STACK}, originUf="SP", destUf="AC", ncm=r.choice(["8471.30.12", "8517.13.00", "9403.60.00"]),
                              orderDraft=od))
        emf = {"_aws": {"Timestamp": int(s.epoch(t) * 1000), "CloudWatchMetrics": [{"Namespace": "Latam/Checkout",
               "Dimensions": [["Service", "Environment"]], "Metrics": [{"Name": "TaxCalculationErrors", "Unit": "Count"}]}]},
               "Service": SVC, "Environment": "prd", "TaxCalculationErrors": 1}
        tax.emit(m, t + 0.001, json.dumps(emf, separators=(",", ":")))
        tax.emit(m, t + 0.002, L.pino(s, t, 30, "request completed", hn(m), reqId=rid, req={"method": "POST", "url": "/v1/tax/quote"},
                                      res={"statusCode": 500}, responseTime=round(r.uniform(3, 12), 1)))
        b = r.choice(bff.members)
        bff.emit(b, t + 0.02, L.pino(s, t + 0.02, 50, "tax-calc quote failed", hn(b), status=500, orderDraft=od, destUf="AC",
                                     upstream="http://internal-latam-prd-int-1844.sa-east-1.elb.amazonaws.com/v1/tax/quote"))
        bff.emit(b, t + 0.021, L.pino(s, t + 0.021, 30, "request completed", hn(b), req={"method": "POST", "url": "/v1/checkout/summary"},
                                      res={"statusCode": 502}, responseTime=round(r.uniform(20, 60), 1)))
    for t0, v in err_pts:
        for _ in range(int(v)):
            fail(t0 + r.random() * 60)
    bff.spread(-7200, 0, lambda t: quotes(t) / 12, lambda t, m: bff.emit(m, t, L.pino(
        s, t, 30, "request completed", hn(m), req={"method": r.choice(["GET", "POST"]), "url": r.choice(["/v1/checkout/summary", "/v1/cart", "/v1/shipping/options"])},
        res={"statusCode": 200}, responseTime=round(r.uniform(25, 140), 1))), warm=0, drain=0)

    for i in range(2):
        loy.task(LOY, end=T_LOY + 150 + i * 20)
        m = loy.task(LOY, start=T_LOY + 40 + i * 15)
        loy.emit(m, m.start + 2, L.pino(s, m.start + 2, 30, "loyalty-points listening on :8080", hn(m), version="2.9.0"))
    loy.spread(-7200, 0, lambda t: 12 * s.diurnal(t, 0.15, 13, 4.5), lambda t, m: loy.emit(m, t, L.pino(
        s, t, 30, "points accrued", hn(m), member=f"mb_{s.hexid(8)}", points=r.randint(5, 400))))

    s.change(T_LOY - 20, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "loyalty-points:58",
             "gitlab-ci-latam")
    s.change(T_LOY, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CL}/{LOY}", "gitlab-ci-latam")
    s.change(-16800, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", DB, "aws-backup-latam")

    dims = {"Service": SVC, "Environment": "prd"}
    s.alarm("latam-tax-calc-errors", "Latam/Checkout", "TaxCalculationErrors", dims, err_pts, "Sum", 300, 1, 15,
            "GreaterThanThreshold", "tax-calc quote failures (EMF)")
    s.quiet_alarm("latam-prd-int-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": LB},
                  "Sum", 300, 1, 100, "GreaterThanThreshold", state="OK", changed=-600000)
    s.expect("latam-tax-calc-errors", "application_error", META["resources"],
             [anomaly("Latam/Checkout", "TaxCalculationErrors", dims)])
    s.meta = META
    return s
