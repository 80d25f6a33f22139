"""Redaction recall benchmark: planted secrets in realistic log lines, plus clean lines for false positives.

Usage: python -m benchmarks.redaction_recall [--seed N] [--per-kind N] [--clean N] [--json]
A secret counts as recalled when its value no longer appears in the redacted line.
A clean line is a false positive when redaction changes it at all.
"""
from __future__ import annotations

import argparse
import json
import logging
import random
import string
import sys
import time
import uuid
from typing import Callable

from analyzers.redaction import Redactor

logger = logging.getLogger(__name__)

B64 = string.ascii_letters + string.digits + "+/"
ALNUM = string.ascii_letters + string.digits


def _s(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _ts(rng: random.Random) -> str:
    return f"2026-11-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:" \
           f"{rng.randint(0, 59):02d}.{rng.randint(0, 999):03d}Z"


def _req(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128)))


# kind -> generator of (secret value, log line containing it)
Planter = Callable[[random.Random], tuple[str, str]]


def _aws_access_key(rng):
    key = rng.choice(("AKIA", "ASIA")) + _s(rng, string.ascii_uppercase + string.digits, 16)
    return key, rng.choice([f"{_ts(rng)} INFO using credentials access_key_id={key} for s3",
                            f"botocore.credentials found {key} in environment",
                            f'{{"AccessKeyId": "{key}", "Expiration": "{_ts(rng)}"}}'])


def _aws_secret_key(rng):
    key = _s(rng, B64, 40)
    return key, rng.choice([f"aws_secret_access_key = {key}", f'{{"SecretAccessKey": "{key}"}}',
                            f"export AWS_SECRET_ACCESS_KEY={key}", f"secret_key: '{key}'"])


def _aws_session_token(rng):
    token = rng.choice(("IQoJb3JpZ2lu", "FwoGZXIvYXdz")) + _s(rng, B64, rng.randint(100, 300))
    return token, rng.choice([f"AWS_SESSION_TOKEN={token}", f'{{"SessionToken": "{token}"}}',
                              f"{_ts(rng)} DEBUG header x-amz-security-token: {token}"])


def _url_password(rng):
    password = _s(rng, ALNUM + "!*-_", rng.randint(8, 24))
    scheme = rng.choice(("postgres", "postgresql", "mysql", "redis", "amqp", "mongodb+srv", "https"))
    return password, f"{_ts(rng)} INFO connecting to {scheme}://app_user:{password}@db-{rng.randint(1, 9)}" \
                     f".internal.example.com:5432/orders"


def _kv_secret(rng):
    value = _s(rng, ALNUM, rng.randint(8, 32))
    key = rng.choice(("password", "passwd", "pwd", "secret", "client_secret", "token", "api_key", "apikey",
                      "DB_PASSWORD", "auth_token", "access_token", "private_key"))
    return value, rng.choice([f"{_ts(rng)} WARN login failed {key}={value} user=alice",
                              f'{_ts(rng)} request body {{"{key}": "{value}", "user": "bob"}}',
                              f"config loaded: {key}: {value}", f"Server=db;User Id=sa;{key}={value};"])


def _bearer(rng):
    token = _s(rng, ALNUM + "-_.", rng.randint(20, 60))
    return token, rng.choice([f"{_ts(rng)} DEBUG headers Authorization: Bearer {token}",
                              f"curl -H 'Authorization: Bearer {token}' https://api.example.com",
                              f'{{"headers": {{"authorization": "Bearer {token}"}}}}'])


def _slack(rng):
    token = rng.choice(("xoxb", "xoxp", "xoxa")) + f"-{rng.randint(10**11, 10**12)}-{rng.randint(10**12, 10**13)}-" \
        + _s(rng, ALNUM, 24)
    if rng.random() < 0.2:
        token = f"xapp-1-A{_s(rng, string.ascii_uppercase + string.digits, 10)}-{rng.randint(10**12, 10**13)}-" \
                + _s(rng, "0123456789abcdef", 64)
    return token, f"{_ts(rng)} ERROR slack auth failed for token {token}"


def _llm_key(rng):
    key = rng.choice(("sk-ant-api03-", "sk-proj-", "sk-")) + _s(rng, ALNUM + "-_", rng.randint(32, 90))
    return key, rng.choice([f"{_ts(rng)} anthropic client created with {key}", f"OPENAI_API_KEY={key}"])


def _github(rng):
    token = rng.choice(("ghp_", "gho_", "ghs_")) + _s(rng, ALNUM, 36)
    return token, f"git clone https://{token}@github.com/acme/app.git"


def _jwt(rng):
    token = "eyJ" + _s(rng, ALNUM + "-_", 30) + ".eyJ" + _s(rng, ALNUM + "-_", 60) + "." + _s(rng, ALNUM + "-_", 43)
    return token, rng.choice([f"{_ts(rng)} INFO session cookie id_token={token}", f"jwt verify failed: {token}"])


def _pem(rng):
    body = "\n".join(_s(rng, B64, 64) for _ in range(rng.randint(3, 8)))
    kind = rng.choice(("RSA ", "EC ", "", "OPENSSH "))
    secret = body.split("\n")[1]
    return secret, f"loaded key:\n-----BEGIN {kind}PRIVATE KEY-----\n{body}\n-----END {kind}PRIVATE KEY-----\ndone"


def _query(rng):
    value = _s(rng, ALNUM, rng.randint(16, 64))
    param = rng.choice(("api_key", "token", "access_token", "X-Amz-Signature", "sig", "apikey"))
    return value, f'{_ts(rng)} 10.0.0.1 "GET /v1/orders?page=2&{param}={value}&limit=50 HTTP/1.1" 200'


def _email(rng):
    email = f"{_s(rng, string.ascii_lowercase, rng.randint(3, 10))}.{_s(rng, string.ascii_lowercase, 5)}" \
            f"@{rng.choice(('example.com', 'corp.example.org', 'mail.co.uk'))}"
    return email, f"{_ts(rng)} INFO password reset requested for {email}"


def _ipv4(rng):
    ip = ".".join(str(rng.randint(1, 254)) for _ in range(4))
    return ip, rng.choice([f"{_ts(rng)} client {ip} connected", f"{ip} - - [20/Nov/2026] \"GET / HTTP/1.1\" 200",
                           f"denied from {ip}:54321"])


def _ipv6(rng):
    groups = [f"{rng.randint(0, 0xffff):x}" for _ in range(8)]
    ip = ":".join(groups) if rng.random() < 0.5 else ":".join(groups[:3]) + "::" + ":".join(groups[5:])
    return ip, f"{_ts(rng)} accepted connection from [{ip}]:443"


PLANTERS: dict[str, Planter] = {
    "aws_access_key": _aws_access_key, "aws_secret_key": _aws_secret_key, "aws_session_token": _aws_session_token,
    "url_password": _url_password, "key_value_secret": _kv_secret, "bearer_token": _bearer, "slack_token": _slack,
    "llm_api_key": _llm_key, "github_token": _github, "jwt": _jwt, "private_key": _pem, "query_secret": _query,
    "email": _email, "ipv4": _ipv4, "ipv6": _ipv6,
}

CLEAN_TEMPLATES = [
    "START RequestId: {req} Version: $LATEST",
    "END RequestId: {req}",
    "REPORT RequestId: {req}\tDuration: {ms} ms\tBilled Duration: {ms2} ms\tMemory Size: 512 MB\tMax Memory Used: 87 MB",
    "{ts} ERROR Task timed out after {sec}.00 seconds",
    "{ts} INFO order {n} processed in {ms} ms by worker-{w}",
    "arn:aws:lambda:us-east-1:123456789012:function:checkout-api:{n}",
    "arn:aws:iam::123456789012:role/service-role/checkout-api-role-{w}",
    "{ts} WARN retrying call to payments-api attempt {w}/5",
    "{ts} INFO app version {w}.{n2}.{w}.{n2} starting (build {n})",
    "ERROR <*> failed for user <*> after <*> ms",
    "{ts} DEBUG cache hit ratio 0.{n2} keys={n} evictions={w}",
    "{ts} INFO listening on 0.0.0.0:8080",
    "{ts} INFO NextToken=abc{n} page={w} max_tokens={n}",
    "Traceback (most recent call last): File \"/var/task/app.py\", line {n2}, in handler",
    "{ts} ERROR botocore.errorfactory.ThrottlingException: Rate exceeded (request {req})",
    "{ts} INFO s3://my-bucket/exports/{n}/part-{w}.parquet written ({n} bytes)",
    "{ts} WARN password policy check skipped for tenant {w}",
    "kernel: Out of memory: Killed process {n} (java) total-vm:{n}kB",
    "{ts} INFO HTTP GET /v1/orders/{n}?page={w}&limit=50 200 {ms}ms",
    "{ts} INFO task arn:aws:ecs:us-east-1:123456789012:task/prod/{hex} stopped: Essential container exited",
]


def _clean_line(rng: random.Random) -> str:
    return rng.choice(CLEAN_TEMPLATES).format(
        req=_req(rng), ms=f"{rng.uniform(1, 3000):.2f}", ms2=rng.randint(1, 3000), sec=rng.randint(3, 900),
        ts=_ts(rng), n=rng.randint(1, 99999), n2=rng.randint(0, 99), w=rng.randint(1, 9),
        hex=_s(rng, "0123456789abcdef", 32))


def run(seed: int = 7, per_kind: int = 100, clean: int = 2000) -> dict:
    rng = random.Random(seed)
    redactor = Redactor()
    per_kind_result: dict[str, dict[str, float]] = {}
    found_total = planted_total = 0
    started = time.perf_counter()
    for kind, planter in PLANTERS.items():
        found = 0
        for _ in range(per_kind):
            secret, line = planter(rng)
            if secret not in redactor.redact(line):
                found += 1
        per_kind_result[kind] = {"planted": per_kind, "recalled": found, "recall": round(found / per_kind, 4)}
        found_total += found
        planted_total += per_kind
    false_positives = []
    for _ in range(clean):
        line = _clean_line(rng)
        if redactor.redact(line) != line:
            false_positives.append(line)
    elapsed = time.perf_counter() - started
    lines = planted_total + clean
    return {"seed": seed, "planted": planted_total, "recall": round(found_total / planted_total, 4),
            "per_kind": per_kind_result, "clean_lines": clean, "false_positive_lines": len(false_positives),
            "false_positive_rate": round(len(false_positives) / clean, 4),
            "false_positive_examples": false_positives[:5],
            "lines_per_second": round(lines / elapsed) if elapsed else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--per-kind", type=int, default=100, help="planted secrets per kind (15 kinds)")
    parser.add_argument("--clean", type=int, default=2000, help="clean lines for the false-positive rate")
    parser.add_argument("--json", action="store_true", help="print a JSON summary as the last line")
    args = parser.parse_args(argv)
    result = run(args.seed, args.per_kind, args.clean)
    print(f"{'kind':<20} {'planted':>8} {'recall':>8}")
    for kind, row in result["per_kind"].items():
        print(f"{kind:<20} {row['planted']:>8} {row['recall']:>8.2%}")
    print(f"{'overall':<20} {result['planted']:>8} {result['recall']:>8.2%}")
    print(f"false positives: {result['false_positive_lines']}/{result['clean_lines']} clean lines "
          f"({result['false_positive_rate']:.2%}); {result['lines_per_second']} lines/s")
    for example in result["false_positive_examples"]:
        print(f"  FP: {example}")
    if args.json:
        print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
