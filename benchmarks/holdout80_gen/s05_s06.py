"""h80-05 (consent function loses a setting in a console edit) and h80-06 (FHIR facade on ECS
times out against an impaired terminology host on EC2)."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import LambdaLogs, logfmt_writer

from .kit import (GRID, LOG_START, alb_id, alb_metrics, apigw_metrics, bump, derive, dotnet_json, ec2_metrics,
                  ecs_metrics, emit, expect, iid, lam_metrics, meta, new, pick, ramp)

logfmt = logfmt_writer("time")


def build_05():
    sc = new(5, "consent-gate-errors", "Consent checks erroring for the patient-app data-sharing flow; "
             "Lambda Errors alarm.", "eu-central-1", "2026-02-03T10:05:00+00:00")
    t0 = -2640
    fn, api, other = "consent-gate", "patient-share-api", "consent-export"
    sc.resource("lambda", fn, runtime="python3.11", timeout=10, memory_size=256,
                environment_keys=["REGISTRY_BASE_URL", "POLICY_SET_ID", "LOG_LEVEL", "AUDIT_TOPIC_ARN"])
    sc.resource("lambda", other, runtime="python3.11", timeout=300, memory_size=1024)
    sc.resource("apigateway", api, stage="live", integration=f"lambda:{fn}")
    lam = lam_metrics(sc, fn, lambda t: 9.0, err_frac=lambda t: 0.93 if t >= t0 else 0.0,
                      dur=lambda t: 210.0 if t < t0 else 14.0)
    apigw_metrics(sc, api, lam["inv"], derive(sc, lam["inv"], lambda t: 0.02), lam["err"],
                  lambda t: 236.0 if t < t0 else 35.0)
    lam_metrics(sc, other, lambda t: 0.2, dur=lambda t: 41000.0)
    ll = LambdaLogs(sc, fn, "python3.11", 256, 10, mem_used=(88, 4), retire=[-8100, t0 - 50])

    def body(ll, t, r, is_err, cold):
        pid = f"pat-{sc.hexid(10)}"
        init = []
        if cold:
            init = [(0.0, f"[INFO]\t{sc.iso(t)}\tFound credentials in environment variables."),
                    (0.05, f"[INFO]\t{sc.iso(t)}\tconsent-gate 4.7.2 starting, policy set from POLICY_SET_ID")]
        if is_err:
            return {"init_lines": init, "dur": sc.rng.gauss(14, 3), "lines": [(0.01, (
                "[ERROR] ConfigError: REGISTRY_BASE_URL is not set; cannot resolve consent "
                "registry endpoint\nTraceback (most recent call last):\n  File \"/var/task/gate/handler.py\", "
                "line 22, in handler\n    client = registry.client()\n  File \"/var/task/gate/registry.py\", "
                "line 14, in client\n    raise ConfigError(\"REGISTRY_BASE_URL is not set; cannot resolve "
                "consent registry endpoint\")"))]}
        x = sc.rng.random()
        if x < 0.12:
            line = (0.15, ll.fmt(t, r, "ERROR", f"registry returned 404 for {pid}: no consent directive on "
                                 "file -> decision=DENY"))
        elif x < 0.2:
            line = (0.12, ll.fmt(t, r, "WARNING", f"legacy paper consent for {pid} has no signature hash; "
                                 "signature check skipped"))
        else:
            line = (0.18, ll.fmt(t, r, "INFO", f"decision=PERMIT patient={pid} purpose=PATRQT "
                                 f"recipient=app-{sc.rng.randint(10, 99)}"))
        return {"init_lines": init, "dur": sc.rng.gauss(210, 40), "lines": [line]}

    ll.run({m: n for m, n in zip(GRID, lam["inv"]) if m >= LOG_START},
           {m: n for m, n in zip(GRID, lam["err"]) if m >= LOG_START}, body)
    sc.change(-8100, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "gitlab-consent-ci")
    sc.change(-8080, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn,
              "gitlab-consent-ci")
    sc.change(t0 - 50, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              fn, "AWSReservedSSO_ConsentOps_4f1a/d.weber")
    sc.change(t0 - 20, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other,
              "gitlab-consent-ci")
    sc.alarm("consent-gate-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 10,
             "GreaterThanThreshold", "Consent gate failures")
    sc.alarm("patient-share-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 1, 10,
             "GreaterThanThreshold")
    expect(sc, "consent-gate-errors", "config_change", [fn],
           [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}])
    meta(sc, "origin (Lambda Errors; API 5XX second alarm)",
         "code deploy to another function 20 s after the config edit (closer to onset); same function's code "
         "deploy 1.5 h earlier; 'no consent on file' ERRORs and signature WARNs at a steady rate",
         "The consent gate fails ~93 % of invocations from 44 minutes ago. 50 seconds before, an SSO user "
         "updated the function's configuration (UpdateFunctionConfiguration); every environment started "
         "after it fails fast (~14 ms) with `ConfigError: REGISTRY_BASE_URL is not set`, a setting named in "
         "the error. The code deploy to this function 1.5 hours earlier was followed by 90 healthy minutes, "
         "and the consent-export deploy 20 seconds after the edit is a different function that is invoked "
         "rarely and shows no errors. The `registry returned 404 ... DENY` ERROR lines are handled denials "
         "present at ~12 % all morning.",
         judgement="05: a code deploy to another function lands between the configuration edit and the first "
                   "failure, but it is not in this request path and the failing function's errors name the "
                   "missing environment variable; config change beats deployment in any case.",
         services="Lambda python3.11 (plain), API Gateway")
    return sc


def build_06():
    sc = new(6, "valueset-expand-504s", "FHIR facade slow and failing on ValueSet/$expand and coding "
             "validation; ALB 5XX alarm.", "us-east-2", "2026-01-14T15:50:00+00:00")
    t0 = -1860
    cluster, svc = "integration", "fhir-facade"
    lb = alb_id(sc, "int-fhir")
    tx, tx2 = iid(sc), iid(sc)
    lam = "edi-837-splitter"
    sc.resource("ecs", f"{cluster}/{svc}", cluster=cluster, service=svc, launch_type="FARGATE",
                task_definition=f"{svc}:212", desired_count=3, runtime=".NET 8 (ASP.NET Core)",
                log_group=f"/ecs/{cluster}/{svc}", upstreams=["http://tx.int.healthnet.local:8080 (EC2 "
                                                               f"{tx})", "fhir-store (Aurora)"])
    sc.resource("alb", lb, name="int-fhir", target_group=f"tg-{svc}")
    sc.resource("ec2", tx, name="tx-node-1", instance_type="r6i.large", app="terminology server (Go)",
                dns="tx.int.healthnet.local", log_groups=["/ec2/tx-node/app", "/ec2/tx-node/messages"])
    sc.resource("ec2", tx2, name="mirth-batch-1", instance_type="m6i.large", app="HL7 batch engine")
    sc.resource("lambda", lam, runtime="dotnet8", timeout=120, memory_size=1024)
    req = sc.series(lambda t: 300 + 80 * ramp(t, -21600, -9000), integer=True)
    alb_metrics(sc, lb, req, t5_frac=lambda t: 0.002 + 0.36 * ramp(t, t0, t0 + 120),
                rt=lambda t: 0.09 + 3.9 * ramp(t, t0, t0 + 120), healthy=lambda t: 3)
    ecs_metrics(sc, cluster, svc, running=lambda t: 3, cpu=lambda t: 27 - 6 * ramp(t, t0, t0 + 120),
                mem=lambda t: 44 + 7 * ramp(t, t0, t0 + 600))

    def tx_cpu(t):
        return None if t >= t0 + 240 else 22 + 3 * bump(t, -12000, -11000, 1.0)

    ec2_metrics(sc, tx, cpu=tx_cpu, mem=lambda t: 58.0 if t < t0 else None,
                disk=lambda t: 38.0 if t < t0 else None, status=lambda t: 1 if t >= t0 + 60 else 0,
                net=lambda t: 1.9e6 if t < t0 else 2.0e4)
    ec2_metrics(sc, tx2, cpu=lambda t: 18 + 61 * bump(t, -7200, -6300, 1.0), mem=lambda t: 47.0)
    lam_metrics(sc, lam, lambda t: 1.5 + 6 * bump(t, -10800, -9600, 1.0), dur=lambda t: 8200.0)
    grp = f"/ecs/{cluster}/{svc}"
    tasks = [f"{svc}/facade/{sc.hexid(32)}" for _ in range(3)]
    ops = [("GET", "/fhir/ValueSet/$expand?url=http://loinc.org/vs/LL2380-0", "ValueSet/$expand"),
           ("POST", "/fhir/Observation/$validate", "CodeSystem/$validate-code"),
           ("GET", "/fhir/CodeSystem/$lookup?system=http://snomed.info/sct&code=38341003", "CodeSystem/$lookup")]

    def req_log(t):
        st = pick(sc, tasks)
        method, path, txop = pick(sc, ops + [("GET", "/fhir/Patient/{id}", None)] * 3)
        path = path.replace("{id}", str(sc.rng.randint(10**5, 10**7)))
        if txop and t >= t0 and sc.rng.random() < 0.9:
            ex = pick(sc, [
                "System.Threading.Tasks.TaskCanceledException: The request was canceled due to the configured "
                "HttpClient.Timeout of 10 seconds elapsing.\n ---> System.TimeoutException: A task was canceled.",
                "System.Net.Http.HttpRequestException: Connection timed out (tx.int.healthnet.local:8080)\n ---> "
                "System.Net.Sockets.SocketException (110): Connection timed out"])
            sc.log(grp, st, t, dotnet_json(sc, t, "Error", "Healthnet.Facade.Terminology.TxClient",
                   f"Terminology call {txop} failed after {sc.rng.uniform(10.0, 10.2):.1f}s; returning 504 "
                   f"OperationOutcome. {ex}", 5003, Operation=txop, Upstream="tx.int.healthnet.local:8080"))
            return
        sc.log(grp, st, t, dotnet_json(sc, t, "Information", "Microsoft.AspNetCore.Hosting.Diagnostics",
               f"Request finished HTTP/1.1 {method} http://int-fhir{path} - 200 - application/fhir+json "
               f"{sc.rng.uniform(8, 140):.4f}ms", 2))

    emit(sc, lambda t: 4.0, req_log)
    emit(sc, lambda t: 0.5, lambda t: sc.log(grp, pick(sc, tasks), t, dotnet_json(
        sc, t, "Warning", "Healthnet.Facade.Webhooks.EhrCallback", "Polly retry 1 of 3 for EHR webhook "
        f"callback to https://ehr-partner.example.org/hooks/fhir (HTTP 503) after {sc.rng.randint(180, 900)}ms",
        3102)))
    g_app, g_sys = "/ec2/tx-node/app", "/ec2/tx-node/messages"

    def tx_log(t):
        op = pick(sc, ["$expand", "$validate-code", "$lookup", "$translate"])
        sc.log(g_app, tx, t, logfmt(sc, t, "info", "request served", op=op, status=200,
               dur_ms=sc.rng.randint(3, 60), cache=pick(sc, ["hit", "hit", "miss"])))

    emit(sc, lambda t: 3.0, tx_log, end=t0 - 40)
    emit(sc, lambda t: 0.08, lambda t: sc.log(g_app, tx, t, logfmt(
        sc, t, "info", "cache stats", entries=sc.rng.randint(180000, 190000), hit_ratio=f"0.9{sc.rng.randint(1, 8)}")),
        end=t0 - 40)
    kt = t0 - 150
    for i, line in enumerate([
            "kernel: nvme nvme0: I/O 412 QID 3 timeout, aborting",
            "kernel: nvme nvme0: Abort status: 0x0",
            "kernel: INFO: task jbd2/nvme0n1p1-8:341 blocked for more than 120 seconds.",
            "kernel: INFO: task txserver:2207 blocked for more than 120 seconds.",
            "kernel: \"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message."]):
        t = kt + i * 25
        sc.log(g_sys, tx, t, f"{sc.at(t).strftime('%b %d %H:%M:%S')} ip-10-2-14-77 {line}")
    emit(sc, lambda t: 0.05, lambda t: sc.log(g_sys, tx, t, f"{sc.at(t).strftime('%b %d %H:%M:%S')} ip-10-2-14-77 "
         f"chronyd[611]: Selected source 169.254.169.123"), end=kt)
    sc.change(t0 - 140, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              lam, "claims-platform-tf")
    sc.change(-13200, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{svc}",
              "codepipeline-integration")
    sc.alarm("int-fhir-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60,
             3, 20, "GreaterThanThreshold", "Integration FHIR facade 5xx")
    sc.alarm("int-fhir-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average",
             60, 5, 1.5, "GreaterThanThreshold")
    sc.alarm("mirth-batch-1-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": tx2}, "Average", 300, 1, 75,
             "GreaterThanThreshold")
    expect(sc, "int-fhir-5xx", "dependency_failure", [tx, "tx-node-1"],
           [{"namespace": "AWS/EC2", "name": "StatusCheckFailed", "dimensions": {"InstanceId": tx}}])
    meta(sc, "front (ALB → ECS facade → EC2 terminology host)",
         "Lambda config update 2.3 min before onset; EHR-webhook Polly retry WARNs all day; batch-host CPU spike "
         "and alarm 1.5 h earlier; facade deploy 3.2 h earlier",
         "The integration ALB's 5XX and latency alarms fire as the .NET FHIR facade starts answering terminology "
         "operations ($expand, $validate-code, $lookup) with 504 OperationOutcomes after 10 s HttpClient "
         "timeouts / `Connection timed out (tx.int.healthnet.local:8080)`; plain Patient reads keep succeeding. "
         "The upstream is the Go terminology server on EC2 tx-node-1: its syslog shows NVMe I/O timeouts and "
         "hung-task warnings 2.5 minutes before onset, then it goes silent, its StatusCheckFailed goes to 1, "
         "NetworkIn collapses and its CPU and agent metrics stop. The facade itself is not saturated (CPU falls "
         "while waiting). The Lambda configuration update 2.3 minutes before onset is on an 837 batch function "
         "unrelated to terminology; the Polly retry WARNs for the EHR webhook are constant all day.",
         judgement="06: the terminology host failed at the EC2 level (impaired instance, status check), which "
                   "a reader could file as an instance fault rather than a dependency failure; from the "
                   "alarmed service's side it is a downstream that stopped answering and is not exhausted "
                   "(no CPU/memory/disk limit), so dependency_failure with the host as origin.",
         services="ECS Fargate .NET 8 (JSON console), ALB, EC2 Go terminology server (logfmt + syslog), "
                  "Lambda dotnet8")
    return sc


BUILDERS = [build_05, build_06]
