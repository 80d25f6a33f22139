"""h44-08: payouts fail with proxy 'connection refused'; the Squid egress proxy's log volume filled up."""
from __future__ import annotations

from .common import TIMES, Rng, Scenario, diurnal, gauge, ramp, wall
from .kit import ec2_basic, py_info, py_unhandled, py_warn, sim_lambda

REGION = "us-east-1"
PROXY = "i-0c7e1a9f3b5d24680"
NAT = "nat-0a4b6c8d0e2f13579"
T0 = -2220          # squid crash-loop starts (disk hit 100 % a minute earlier)
TRACE_TAIL = [("/var/task/requests/sessions.py", 637, "post", 'return self.request("POST", url, data=data, json=json, **kwargs)'),
              ("/var/task/requests/sessions.py", 703, "send", "r = adapter.send(request, **kwargs)"),
              ("/var/task/requests/adapters.py", 694, "send", "raise ProxyError(e, request=request)")]


def _proxy_err(host, path):
    return (f"HTTPSConnectionPool(host='{host}', port=443): Max retries exceeded with url: {path} (Caused by "
            "ProxyError('Unable to connect to proxy', NewConnectionError('<urllib3.connection.HTTPSConnection object at "
            "0x7f3b2c1d9e50>: Failed to establish a new connection: [Errno 111] Connection refused')))")


def build() -> dict:
    rng = Rng(4408)
    sc = Scenario("h44-08-payouts-egress-proxy-disk-full", REGION,
                  "Merchant payouts and KYC checks failing since ~35 min ago; payout-dispatcher Errors alarm.")
    sc.res("ec2", PROXY, name="egress-proxy-1", instance_type="t3.medium", private_ip="10.20.5.14",
           dns_name="egress-proxy.prod.internal", software="squid 6.6 (forward proxy, port 3128, run with -s)",
           volumes=[{"device": "/dev/nvme0n1p1", "mount": "/", "size_gib": 20},
                    {"device": "/dev/nvme1n1", "mount": "/var/log/squid", "size_gib": 30}],
           subnet="subnet-0b2c4d6e8f0a13579 (egress-private-a, default route -> " + NAT + ")",
           security_groups=["sg-0a2c4e6f8b0d13579 (egress-proxy-sg: tcp 3128 from 10.20.32.0/19)"],
           log_groups=["/egress-proxy/messages"])
    proxy_env = {"HTTPS_PROXY": "http://egress-proxy.prod.internal:3128", "NO_PROXY": ".amazonaws.com,.internal"}
    vpc = {"subnet_ids": ["subnet-0c1d2e3f4a5b60718", "subnet-0c1d2e3f4a5b60729"],
           "security_group_ids": ["sg-0f1e2d3c4b5a69788 (payments-egress-clients)"]}
    sc.res("lambda", "payout-dispatcher", runtime="python3.12", timeout=30, memory_size=512, vpc_config=vpc,
           environment=dict(proxy_env, PAYOUT_PROVIDER_URL="https://api.wise.com/v3", PROFILE_ID="48102"))
    sc.res("lambda", "kyc-verifier", runtime="python3.12", timeout=30, memory_size=512, vpc_config=vpc,
           environment=dict(proxy_env, KYC_PROVIDER_URL="https://api.onfido.com/v3.6"))
    sc.res("lambda", "ledger-writer", runtime="python3.12", timeout=15, memory_size=256, vpc_config=vpc,
           environment={"LEDGER_TABLE": "ledger-entries", "NO_PROXY": "*"})

    f = lambda t: ramp(t, T0, 30)
    disk = lambda t: min(100.0, 84.2 + 15.8 * (t + 21600) / (T0 - 60 + 21600))
    ec2_basic(sc, rng, PROXY, cpu=lambda t: 11 * diurnal(t, 0.2) * (1 - 0.85 * f(t)) + 0.8,
              net_in=lambda t: 4.2e6 * diurnal(t, 0.2) * (1 - 0.93 * f(t)), mem=lambda t: 37 - 14 * f(t),
              disk=lambda t: 38.4)
    sc.metric("CWAgent", "disk_used_percent", {"InstanceId": PROXY, "path": "/var/log/squid", "fstype": "xfs"}, "Percent",
              [[t, round(min(100.0, disk(t) + rng.gauss(0, 0.02)), 3) if disk(t) < 100 else 100.0] for t in TIMES])
    nat = {"NatGatewayId": NAT}
    sc.metric("AWS/NATGateway", "ActiveConnectionCount", nat, "Count",
              gauge(rng, lambda t: 310 * diurnal(t, 0.2) * (1 - 0.8 * f(t)) + 12, rel=0.06, nd=0))
    sc.metric("AWS/NATGateway", "ConnectionEstablishedCount", nat, "Count",
              gauge(rng, lambda t: 95 * diurnal(t, 0.2) * (1 - 0.8 * f(t)) + 4, rel=0.1, nd=0))
    sc.metric("AWS/NATGateway", "BytesOutToDestination", nat, "Bytes",
              gauge(rng, lambda t: 2.6e6 * diurnal(t, 0.2) * (1 - 0.85 * f(t)) + 8e4, rel=0.1, nd=0))
    sc.metric("AWS/NATGateway", "ErrorPortAllocation", nat, "Count", [[t, 0.0] for t in TIMES])
    sc.metric("AWS/NATGateway", "PacketsDropCount", nat, "Count", [[t, 0.0] for t in TIMES])

    def payout_body(t, rid, is_err, d):
        po = f"po_{rng.hexs(12)}"
        lines = [(0.005, py_info(t, rid, f"dispatching payout {po} amount={rng.randint(50, 9000)}.00 {rng.choice(['USD', 'EUR', 'GBP'])}"))]
        if is_err:
            lines.append((d / 1000 - 0.01, py_unhandled("ProxyError", _proxy_err("api.wise.com", "/v3/profiles/48102/transfers"),
                          [("/var/task/handler.py", 33, "lambda_handler", "transfer = wise.create_transfer(payout)"),
                           ("/var/task/payouts/wise_client.py", 74, "create_transfer",
                            "resp = self.session.post(url, json=body, timeout=(3.05, 20))")] + TRACE_TAIL)))
        elif rng.random() < 0.06:
            lines.append((d / 1000 - 0.01, py_warn(t, rid, f"provider rejected payout {po}: 422 recipient bank account invalid; "
                                                   "marking payout for manual review")))
        else:
            lines.append((d / 1000 - 0.01, py_info(t, rid, f"payout {po} accepted transfer_id={rng.randint(10**8, 10**9)} "
                                                   f"status=incoming_payment_waiting")))
        return lines, None
    sim_lambda(sc, rng, "payout-dispatcher", rate=lambda t: 8 * diurnal(t, 0.2), err=lambda t: 0.98 * f(t),
               dur=lambda t, e: rng.gauss(22, 4) if e else rng.gauss(780, 160), body=payout_body, mem_used=(101, 117),
               log_from=-10800)

    def kyc_body(t, rid, is_err, d):
        ap = f"app_{rng.hexs(10)}"
        lines = [(0.005, py_info(t, rid, f"kyc check applicant={ap} checks=document,facial_similarity_photo"))]
        if is_err:
            lines.append((d / 1000 - 0.01, py_unhandled("ProxyError", _proxy_err("api.onfido.com", "/v3.6/workflow_runs"),
                          [("/var/task/app.py", 52, "handler", "run = onfido.start_workflow(applicant)"),
                           ("/var/task/kyc/onfido.py", 40, "start_workflow", "r = self.http.post(self.base + '/workflow_runs', json=payload)")] + TRACE_TAIL)))
        else:
            lines.append((d / 1000 - 0.01, py_info(t, rid, f"workflow run started for {ap} status=awaiting_input")))
        return lines, None
    sim_lambda(sc, rng, "kyc-verifier", rate=lambda t: 3.0, err=lambda t: 0.98 * f(t),
               dur=lambda t, e: rng.gauss(20, 4) if e else rng.gauss(650, 120), body=kyc_body, mem_used=(96, 108),
               log_from=-10800, streams=1)

    def lw_body(t, rid, is_err, d):
        return [(0.004, py_info(t, rid, f"wrote {rng.randint(1, 25)} ledger entries batch=b_{rng.hexs(8)}"))], None
    sim_lambda(sc, rng, "ledger-writer", rate=lambda t: 10.0, dur=lambda t, e: rng.gauss(45, 9), body=lw_body,
               memory=256, mem_used=(70, 79), log_from=-5400, streams=1)

    # /var/log/messages (root volume, still writable) with squid (-s => syslog) and systemd
    host = "ip-10-20-5-14"
    msgs = []
    st = lambda t: wall(t).strftime("%b %d %H:%M:%S")
    for m in range(-10800, 0, 60):
        if m % 600 == 0:
            msgs.append((m + 1, f"{st(m + 1)} {host} amazon-cloudwatch-agent[1187]: I! [outputs.cloudwatchlogs] published 1 batch"))
        if m < T0 and rng.random() < 0.3:
            tt = m + rng.uniform(0, 59)
            msgs.append((tt, f"{st(tt)} {host} squid[2891]: ERROR: DNS failure while resolving "
                             "telemetry.legacy-kyc.example: No DNS records"))
    t = T0 - 55
    msgs.append((t, f"{st(t)} {host} squid[2891]: ERROR: logfileHandleWrite: daemon:/var/log/squid/access.log: error writing ((28) No space left on device)"))
    pid = 2891
    for k in range(5):
        t = T0 + k * 9
        msgs += [(t, f"{st(t)} {host} squid[{pid}]: FATAL: Write failure -- check your disk space and cache.log"),
                 (t + 0.2, f"{st(t)} {host} squid[{pid}]: Squid Cache (Version 6.6): Terminated abnormally."),
                 (t + 0.5, f"{st(t)} {host} systemd[1]: squid.service: Main process exited, code=exited, status=1/FAILURE"),
                 (t + 0.6, f"{st(t)} {host} systemd[1]: squid.service: Failed with result 'exit-code'."),
                 (t + 5.6, f"{st(t + 5)} {host} systemd[1]: squid.service: Scheduled restart job, restart counter is at {k + 1}."),
                 (t + 5.8, f"{st(t + 5)} {host} systemd[1]: Starting squid.service - Squid Web Proxy Server...")]
        pid = rng.randint(31000, 33000)
    t = T0 + 46
    msgs += [(t, f"{st(t)} {host} systemd[1]: squid.service: Start request repeated too quickly."),
             (t + 0.1, f"{st(t)} {host} systemd[1]: squid.service: Failed with result 'exit-code'."),
             (t + 0.2, f"{st(t)} {host} systemd[1]: Failed to start squid.service - Squid Web Proxy Server.")]
    sc.log("/egress-proxy/messages", PROXY, msgs)

    sc.change(-2900, "ec2.amazonaws.com", "ReplaceRoute", "AWS::EC2::RouteTable", "rtb-0f1e2d3c4b5a69788", "netops-terraform")
    sc.change(-1800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "ledger-writer", "ci-payments")
    sc.alarm("payout-dispatcher-errors", "AWS/Lambda", "Errors", {"FunctionName": "payout-dispatcher"}, "Sum", 300, 1, 5,
             "GreaterThanThreshold", "ALARM", T0 + 240, description="Payout dispatch failures (payments on-call)")
    sc.alarm("egress-proxy-1-status-check", "AWS/EC2", "StatusCheckFailed", {"InstanceId": PROXY}, "Maximum", 60, 2, 0,
             "GreaterThanThreshold", "OK", -400000)
    sc.expect("payout-dispatcher-errors", "storage_exhaustion", [PROXY, "egress-proxy-1"],
              [{"namespace": "CWAgent", "name": "disk_used_percent",
                "dimensions": {"InstanceId": PROXY, "path": "/var/log/squid", "fstype": "xfs"}},
               {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "payout-dispatcher"}}])
    return sc.done()
