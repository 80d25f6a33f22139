"""h63-07: a walk-in vaccine clinic opens booking; demand rises ~1.5x and the booking function,
capped by reserved concurrency long ago, throttles. The private API returns 500s."""
from __future__ import annotations

from .common import GRID, Scenario, diurnal, ramp
from .kit import LOG_START, apigw, apigw_exec, emit, lambda_set, night_window, part, sample, scanner
from .runtimes import LambdaLogs

API, STAGE, API_ID = "appointments-private", "v1", "k3v9wz1p0q"
FN, RC = "slot-booker", 15


def build() -> Scenario:
    sc = Scenario(7, "clinic-booking", "Veterans clinic appointment booking returning 500s to the "
                  "scheduling kiosk and call-centre app; API 5XX alarm.", "us-gov-east-1", 6307,
                  "2026-09-14T17:40:00+00:00")
    rng = sc.rng
    rise = -2700
    sc.resource("apigateway", API, endpoint_type="PRIVATE", stage=STAGE, api_id=API_ID,
                integration=f"lambda-proxy:{FN}")
    sc.resource("lambda", FN, runtime="ruby3.3", timeout=20, memory_size=512, reserved_concurrency=RC)
    sc.resource("lambda", "waitlist-notifier", runtime="ruby3.3", timeout=60, memory_size=256,
                reserved_concurrency=5)

    # ---------------------------------------------------------------- metrics
    demand = sc.series(lambda t: 140 * diurnal(sc, t, 18.5, 0.12) * (1 + 0.68 * ramp(t, rise, rise + 600)),
                       integer=True)
    dur_ms = 3900.0
    cap_per_min = RC * 60000 / dur_ms  # ~230 invocations a minute at the limit
    inv, thr = [], []
    for t, d in zip(GRID, demand):
        burst = rng.uniform(0.8, 0.9)
        served = min(d, int(cap_per_min * burst))
        inv.append(float(served))
        thr.append(float(d - served))
    err = part(sc, inv, lambda t: 0.003)
    conc = [float(RC) if x > 0 else float(min(RC, round(i * dur_ms / 60000 * rng.uniform(1.05, 1.3))))
            for i, x in zip(inv, thr)]
    dur = sc.series(lambda t: dur_ms * (1 + 0.04 * ramp(t, rise, rise + 600)), noise=0.06)
    lambda_set(sc, FN, inv, err, dur, thr=thr, conc=conc)
    e5 = [float(a + b) for a, b in zip(thr, err)]
    e4 = part(sc, demand, lambda t: 0.02)
    lat = [round(dd * (1 - (x / max(1.0, n))) + 35 * (x / max(1.0, n)) + 18, 1)
           for dd, x, n in zip(dur, thr, demand)]
    apigw(sc, API, STAGE, demand, e5, e4, lat)
    winv = sc.series(lambda t: 6, integer=True)
    d2 = {"FunctionName": "waitlist-notifier"}
    sc.metric("AWS/Lambda", "Invocations", d2, "Count", winv)
    sc.metric("AWS/Lambda", "Errors", d2, "Count", [0.0] * len(GRID))
    sc.metric("AWS/Lambda", "Throttles", d2, "Count", sc.series(lambda t: 0.0, noise=0))

    # ---------------------------------------------------------------- logs
    ll = LambdaLogs(sc, FN, "ruby3.3", 512, 20, mem_used=(121, 6), max_envs=RC)
    clinics = ["VAMC-RICHMOND", "CBOC-FREDERICKSBURG", "VAMC-HAMPTON", "CBOC-NORFOLK-WALKIN"]

    def body(_l, s, rid, is_err, cold):
        clinic = rng.choice(clinics) if s < rise or rng.random() < 0.5 else "CBOC-NORFOLK-WALKIN"
        svc = "FLU-COVID-VAX" if clinic.endswith("WALKIN") else rng.choice(["PCP-FOLLOWUP", "MH-INTAKE", "AUDIOLOGY"])
        lines = [(0.01, _l.fmt(s, rid, "INFO", f"POST /slots/hold clinic={clinic} service={svc}"))]
        d = max(1200, rng.gauss(dur_ms, 600))
        lines.append((d / 1000 - 0.3, _l.fmt(s + d / 1000 - 0.3, rid, "INFO",
                                           f"VistA scheduling RPC SDES CREATE APPOINTMENT ok in {d - 420:.0f} ms")))
        if rng.random() < 0.04:
            lines.append((0.02, _l.fmt(s, rid, "WARN", "patient has 2 open consults; hold placed anyway")))
        if is_err:
            lines.append((d / 1000, _l.fmt(s + d / 1000, rid, "ERROR", "Slot already taken "
                                           "(SlotConflict) - returning 409 to client")))
        return {"lines": lines, "dur": d}

    inv_s, err_s = sample(sc, inv, err, cap=2)
    ll.run(inv_s, err_s, body)
    thr_at = dict(zip(GRID, thr))

    def gw(t):
        apigw_exec(sc, API_ID, STAGE, t, [
            (0.0, "Extended Request Id: " + sc.hexid(16).upper() + "="),
            (0.004, f"Sending request to https://lambda.us-gov-east-1.amazonaws.com/2015-03-31/functions/"
                    f"arn:aws-us-gov:lambda:us-gov-east-1:{sc.account}:function:{FN}/invocations"),
            (0.021, f"Lambda invocation failed with status: 429. Lambda request id: {sc.uuid()}"),
            (0.022, "Execution failed due to configuration error: Rate Exceeded."),
            (0.023, "Method completed with status: 500")])

    emit(sc, "-", "-", max(LOG_START, rise - 600), 0,
         lambda t: min(3.0, (thr_at.get(int(t // 60 * 60)) or 0) / 6.0), gw)
    scanner(sc, "fisma-conmon-scan", "conmon-readonly", ["va-sched-audit-usge1", "va-sched-artifacts"],
            ["prod/sched/vista-proxy", "prod/sched/kiosk-hmac"], every=900)

    # ---------------------------------------------------------------- changes
    night_window(sc, -21000, -15000, [
        ("lambda.amazonaws.com", "PutFunctionConcurrency20171031", "AWS::Lambda::Function", "waitlist-notifier",
         "svc-terraform-gov"),
        ("apigateway.amazonaws.com", "TagResource", "AWS::ApiGateway::RestApi", API_ID, "svc-terraform-gov"),
        ("iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "conmon-readonly", "svc-terraform-gov"),
    ])
    sc.change(-2950, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "waitlist-notifier", "ops-dlee")
    sc.change(-1200, "kms.amazonaws.com", "CreateGrant", "AWS::KMS::Key",
              f"arn:aws-us-gov:kms:us-gov-east-1:{sc.account}:key/{sc.uuid()}", "lambda.amazonaws.com")

    # ---------------------------------------------------------------- alarms
    d = {"ApiName": API, "Stage": STAGE}
    sc.alarm("appointments-private-5xx", "AWS/ApiGateway", "5XXError", d, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "Appointment booking API server errors")
    sc.alarm("waitlist-notifier-throttles", "AWS/Lambda", "Throttles", d2, "Sum", 300, 1, 0,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "appointments-private-5xx",
                 "root_cause": {"category": "throttling", "resource": [FN]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": {"FunctionName": FN}}]}
    return sc
