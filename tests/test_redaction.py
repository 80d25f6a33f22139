"""Redaction of secrets and PII, no-mangle cases, receipts."""
from __future__ import annotations

import json

import pytest

from analyzers.redaction import RedactionConfig, Redactor, clip

SECRETS = [
    ("aws_access_key", "AKIAIOSFODNN7EXAMPLE", "using key AKIAIOSFODNN7EXAMPLE for s3"),
    ("aws_access_key", "ASIAY34FZKBOKMUTVV7A", "temporary creds ASIAY34FZKBOKMUTVV7A"),
    ("aws_secret_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
     "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ("aws_secret_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
     '{"SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}'),
    ("aws_session_token", "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD6",
     "AWS_SESSION_TOKEN=IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD6"),
    ("password", "s3cr3tP4ss", "connect postgres://app:s3cr3tP4ss@db.internal:5432/orders"),
    ("password", "hunter 2", 'body {"user": "bob", "password": "hunter 2"}'),
    ("password", "Tr0ub4dor", "Server=db;User Id=sa;Pwd=Tr0ub4dor;"),
    ("secret", "tok_9f8e7d6c", "refresh token=tok_9f8e7d6c ok"),
    ("secret", "ak_live_123456", "client api_key: ak_live_123456"),
    ("secret", "abcSecretValue", "DB_SECRET='abcSecretValue'"),
    ("bearer_token", "abcdef1234567890ghijk", "Authorization: Bearer abcdef1234567890ghijk"),
    ("slack_token", "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
     "slack token xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"),
    ("slack_token", "xapp-1-A0123456789-1234567890123-abcdef0123456789",
     "socket mode xapp-1-A0123456789-1234567890123-abcdef0123456789"),
    ("api_key", "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
     "ANTHROPIC sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789 rejected"),
    ("api_key", "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123", "openai key sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123"),
    ("github_token", "ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", "clone with ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"),
    ("jwt", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
     "cookie=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U;"),
    ("private_key", "MIIEowIBAAKCAQEAx",
     "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx\nabc==\n-----END RSA PRIVATE KEY-----"),
    ("url_credential", "abcd1234secret", "GET /v1/items?page=2&api_key=abcd1234secret HTTP/1.1"),
    ("url_credential", "fe1c2d3b4a5968778695a4b3c2d1e0f",
     "https://b.s3.amazonaws.com/k?X-Amz-Date=20240101T000000Z&X-Amz-Signature=fe1c2d3b4a5968778695a4b3c2d1e0f"),
    ("email", "jane.doe+ops@example.co.uk", "notify jane.doe+ops@example.co.uk now"),
    ("ip_address", "10.0.12.34", "client 10.0.12.34 connected"),
    ("ip_address", "10.0.3.98", "2026-11-20 00:00:00 UTC:10.0.3.98(57412):app@orders:[29590]:FATAL"),
    ("ip_address", "2001:db8:85a3::8a2e:370:7334", "from [2001:db8:85a3::8a2e:370:7334]:443"),
    ("ip_address", "fe80::1ff:fe23:4567:890a", "link-local fe80::1ff:fe23:4567:890a up"),
    ("private_key", "lQOYBGSomePgpKeyBody", "gpg: -----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBGSomePgpKeyBody\n"
                                             "-----END PGP PRIVATE KEY BLOCK-----"),
    ("encoded_secret", "MIIEowIBAAKCAQEA7bXk2Zq9PdQm3v1uYt8sRnLw0aGhJfCe5oBzN4yKiWx6VlTrU",
     "MIIEowIBAAKCAQEA7bXk2Zq9PdQm3v1uYt8sRnLw0aGhJfCe5oBzN4yKiWx6VlTrU"),  # one line of a key, one event each
    ("encoded_secret", "Zq9wJalrXUtnFEMIK7MDENGbPxRfiCYeXAmPLEK0", "signing with Zq9wJalrXUtnFEMIK7MDENGbPxRfiCYeXAmPLEK0"),
    ("encoded_secret", "Bjcx4Kh9+h6oDdBcJztv8dw=", "Bjcx4Kh9+h6oDdBcJztv8dw="),  # the short last line of a key
    ("api_key", "sk_live_51HqTestKeyAbCdEf0123456789", "stripe error for sk_live_51HqTestKeyAbCdEf0123456789"),
    ("api_key", "AIzaSyA1bC2dE3fG4hI5jK6lM7nO8pQ9rS0tUvW", "maps?key=AIzaSyA1bC2dE3fG4hI5jK6lM7nO8pQ9rS0tUvW"),
    ("secret", "Xy9Zq8Wv7Ut6Sr5Qp4On3Ml2Kj1Ih0Gf==",
     "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=Xy9Zq8Wv7Ut6Sr5Qp4On3Ml2Kj1Ih0Gf==;"),
    ("password", "FreeHunter77", "login failed for user admin with password FreeHunter77"),
]


@pytest.mark.parametrize("kind,secret,line", SECRETS)
def test_every_kind_is_redacted(kind, secret, line):
    # GIVEN a log line with one planted secret
    redactor = Redactor()
    # WHEN redacted
    out = redactor.redact(line)
    # THEN the secret is gone, replaced by a marker of its kind, and counted
    assert secret not in out
    assert f"[REDACTED:{kind}]" in out
    assert redactor.receipt()[kind] >= 1


def test_url_password_keeps_user_and_host():
    out = Redactor().redact("postgres://app:pa55@db.internal:5432/orders")
    assert out == "postgres://app:[REDACTED:password]@db.internal:5432/orders"


def test_json_stays_valid_json():
    out = Redactor().redact('{"user": "bob", "password": "p\\"w", "token": "abc123"}')
    assert json.loads(out) == {"user": "bob", "password": "[REDACTED:password]", "token": "[REDACTED:secret]"}


NO_MANGLE = [
    "START RequestId: 3f2b1c4e-9a8d-4c2b-8e1f-0a1b2c3d4e5f Version: $LATEST",
    "arn:aws:lambda:us-east-1:123456789012:function:checkout-api:41",
    "arn:aws:iam::123456789012:role/checkout-api-role arn:aws:s3:::my-bucket/key",
    "2026-11-20T12:30:45.123Z 12:30:45 duration=1234.56 ms",
    "running version 1.2.3.4 (v2.10.3.1), build 10.0.0.1",
    "ERROR <*> failed for user <*> after <*> ms password=<*>",
    "Module::add std::vector MAC 00:1a:2b:3c:4d:5e",
    "NextToken=eyJuZXh0 max_tokens=500 tokens=12 listening on 0.0.0.0:8080 and ::1",
    "Task timed out after 3.00 seconds; memory 128 MB; 5 retries",
    "The password is wrong for this user (no value given)",
    "AWS DescribeAlarms failed: NoCredentials: no AWS credentials found (set AWS_PROFILE)",
    "InvalidClientTokenId: The security token included in the request is invalid",
    "the password is incorrect; connect with password authentication failed",
    "GET /api/v1/Users/12345/OrdersHistoryExportDownloadV2 s3://bucket/Uploads2026/Users/AbCdEf/QuarterlyFinal2026v3",
    "commit 3f2b1c4e9a8d4c2b8e1f0a1b2c3d4e5f6a7b8c9d deployed",
    "AccessDenied on arn:aws:dynamodb:us-east-1:123456789012:table/BillingInvoicesProductionTable2026",
    "NullPointerException in InvoiceLineItemAggregationDiscountCalculatorV2Impl",
    "key exports/2026/12/InvoiceExportBatch2026December07Final999",
    "git fetch git@github.com:example/billing-service.git",
    "HealthCheck2Passed",
]


@pytest.mark.parametrize("line", NO_MANGLE)
def test_ordinary_text_is_not_mangled(line):
    redactor = Redactor()
    assert redactor.redact(line) == line
    assert redactor.receipt_text() == "nothing redacted"


def test_receipt_text_is_cumulative_and_pluralised():
    # GIVEN several calls WHEN the receipt is read THEN counts add up, ordered, singular/plural right
    redactor = Redactor()
    redactor.redact("AKIAIOSFODNN7EXAMPLE and AKIAI44QH8DHBEXAMPLE")
    redactor.redact("mail a@example.com, b@example.com")
    redactor.redact("AKIAJ5ABCDEFGHIJKLMN to c@example.org from 10.1.2.3")
    assert redactor.receipt() == {"aws_access_key": 3, "email": 3, "ip_address": 1}
    assert redactor.receipt_text() == "redacted: 3 AWS access keys, 3 emails, 1 IP address"


def test_redact_obj_walks_containers_and_secret_named_keys():
    redactor = Redactor()
    out = redactor.redact_obj({"password": "plain", "items": [("ops@example.com", 3)],
                               "meta": {"NextToken": "n1", "note": "token=abc123"}, "n": 7})
    assert out == {"password": "[REDACTED:password]", "items": [("[REDACTED:email]", 3)],
                   "meta": {"NextToken": "n1", "note": "token=[REDACTED:secret]"}, "n": 7}


def test_config_can_keep_emails_and_ips_and_add_patterns():
    redactor = Redactor(RedactionConfig(emails=False, ip_addresses=False, extra_patterns=(r"\bCUST-\d{6}\b",)))
    out = redactor.redact("bob@example.com 10.0.0.5 CUST-123456 AKIAIOSFODNN7EXAMPLE")
    assert out == "bob@example.com 10.0.0.5 [REDACTED:custom] [REDACTED:aws_access_key]"


def test_redaction_is_idempotent():
    redactor = Redactor()
    once = redactor.redact("token=abc123 Authorization: Bearer abcdef1234567890 x@y.io")
    assert Redactor().redact(once) == once


def test_recall_benchmark_smoke():
    # GIVEN a small seeded corpus WHEN the benchmark runs THEN recall is high and clean lines survive
    from benchmarks.redaction_recall import run
    result = run(seed=1, per_kind=20, clean=200)
    assert result["planted"] == 300 and result["recall"] >= 0.95
    assert result["false_positive_rate"] <= 0.01


def test_clip_never_leaves_a_fragment_of_a_token():
    # GIVEN a log line whose URL password would be cut by a display limit
    line = "ERROR connect failed for postgres://billing:Sup3rSecretPw@db.internal:5432/app after 3 tries"
    # WHEN it is clipped inside the URL
    out = clip(line, 50)
    # THEN the cut-off token is dropped whole (a fragment would no longer match the password rule)
    assert out == "ERROR connect failed for…"
    assert clip(line, len(line)) == line
    assert clip("x" * 80, 20) == "…"
