"""Where evidence hides in real telemetry: traces inside one JSON field, logger-specific error keys,
MySQL's bracketed levels, log groups whose data starts late, DNS names that stand for a resource,
and TLS failures of a dependency."""
from __future__ import annotations

import json
from datetime import timedelta

from analyzers.logs.events import parse_event
from analyzers.logs.line_formats import detect_level
from analyzers.mentions import host_label_names, mentioned_resources
from analyzers.model import LogRecord, ResourceRef
from analyzers.patterns import PatternWindow, mine_patterns, sample_text
from analyzers.rca import log_categories, rank_hypotheses
from analyzers.topology import Candidate, downstream_ids
from tests.test_rca_rules import ONSET, REGION, alarm_on, evidence, pattern

PY_TRACE = ("Traceback (most recent call last):\n  File \"/app/invoice_api/storage.py\", line 64, in put_pdf\n"
            "    self._s3.put_object(\n" + "".join(
                f"  File \"/usr/local/lib/python3.12/site-packages/botocore/client.py\", line {i}, in _api_call\n"
                f"    return self._make_api_call(operation_name, kwargs)\n" for i in range(565, 575)) +
            "botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the PutObject operation: "
            "User: arn:aws:sts::123456789012:assumed-role/invoicing/1 is not authorized to perform: kms:GenerateDataKey")


def test_a_trace_carried_in_one_json_field_is_an_exception_whose_cause_stays_in_the_sample():
    # GIVEN structlog JSON whose "exception" field holds a whole Python traceback
    line = json.dumps({"event": "invoice pdf upload failed", "exception": PY_TRACE, "level": "error"})
    event = parse_event(0.0, line)
    # THEN it is an exception event with the library's exception type and our innermost frame
    assert event.kind == "exception" and event.exception_type == "botocore.exceptions.ClientError"
    assert event.frame and event.frame.startswith("/app/invoice_api/storage.py:64")
    # AND the sample keeps the final "Type: message" line, so the AccessDenied is evidence
    sample = sample_text(event.message)
    assert len(event.message) > 500 and "is not authorized to perform" in sample
    assert "permission_denied" in log_categories(sample)


def test_logger_specific_error_keys_are_read():
    # GIVEN logstash-logback's "stack_trace" key holding a Java trace whose root cause is a full disk
    trace = ("com.example.ExportException: Failed to write report\n\tat com.example.Exporter.export(Exporter.java:97)\n"
             "Caused by: java.io.IOException: No space left on device\n\tat java.base/sun.nio.ch.IOUtil.write(IOUtil.java:1)")
    line = json.dumps({"message": "Servlet.service() threw exception", "level": "ERROR", "stack_trace": trace})
    event = parse_event(0.0, line)
    # THEN the event is that exception, and its text names the full disk
    assert event.kind == "exception" and event.exception_type == "java.io.IOException"
    assert "storage_exhaustion" in log_categories(event.message)


def test_mysql_bracketed_levels_are_levels():
    assert detect_level("2026-03-16T18:11:43Z 12 [Note] [MY-010914] [Server] Aborted connection 9") == "INFO"
    assert detect_level("2026-03-16T18:11:43Z 0 [Warning] [MY-010055] [Server] IP address could not be resolved") \
        == "WARN"
    assert detect_level("2026-03-16T18:11:43Z 0 [ERROR] [MY-012592] [InnoDB] Operating system error") == "ERROR"


def test_php_says_its_own_level_inside_the_line_php_fpm_relays():
    # GIVEN php-fpm (as under Bref) relaying PHP's messages on its own NOTICE/WARNING lines
    fatal = ("NOTICE: PHP message: PHP Fatal error:  Uncaught TypeError: number_format(): Argument #1 ($num) must be "
             "of type float, string given in /var/task/src/View/PriceFormatter.php:31")
    warning = 'NOTICE: PHP message: PHP Warning:  Undefined array key "virtual_tour_url" in /var/task/list.php on line 9'
    relayed = 'WARNING: [pool www] child 12 said into stderr: "PHP Notice:  Undefined index: tour in /a.php on line 3"'
    # THEN each line has PHP's level, not the relay's
    assert detect_level(fatal) == "ERROR" and detect_level(warning) == "WARN" and detect_level(relayed) == "INFO"
    assert detect_level("NOTICE: fpm is running, pid 8") == "INFO"


def test_steady_errors_in_a_log_that_starts_late_are_not_a_surge():
    # GIVEN a log group whose lines begin 56 min before onset (not at the 2 h baseline start), with one
    # partner-timeout error every 2 min before and after onset
    start = ONSET - timedelta(hours=2)
    group = "/api-jp/app"
    records = [LogRecord(group, "i-1", (ONSET + timedelta(minutes=m)).timestamp(), "GET /points 200")
               for m in range(-56, 30)]
    records += [LogRecord(group, "i-1", (ONSET + timedelta(minutes=m, seconds=30)).timestamp(),
                          "ERROR partner lookup failed: context deadline exceeded") for m in range(-56, 30, 2)]
    late = PatternWindow(start, ONSET, ONSET + timedelta(minutes=30), {group: ONSET - timedelta(minutes=56)})
    errors = next(p for p in mine_patterns(records, late) if "partner" in p.template)
    # THEN the rates are compared over the data actually there, and the errors are not surging
    assert abs(errors.rate_before - errors.rate_after) < 0.1
    blind = PatternWindow(start, ONSET, ONSET + timedelta(minutes=30))
    assert next(p for p in mine_patterns(records, blind) if "partner" in p.template).rate_before < 0.3


def test_a_dns_name_stands_for_the_resource_named_by_its_leading_labels():
    alb = ResourceRef("alb", "app/fx-rates-internal/1c2d3e4f5a6b7c8d", REGION)
    text = 'I/O error on GET request for "https://fx-rates.internal.example-pay.com/v2/rates/EUR/PLN": PKIX path'
    assert "fx-rates-internal" in host_label_names(text)
    assert alb.key in mentioned_resources([text], [alb])
    # a bare IP or a two-label domain names nothing
    assert host_label_names("connect to 10.0.4.17:443 and example.com") == set()


def test_the_dependency_whose_tls_endpoint_fails_is_the_origin_not_its_caller():
    # GIVEN a service whose calls to an internal load balancer fail the certificate check, and its own
    # "upstream unavailable" errors that name nothing
    svc = ResourceRef("ecs", "billing/invoice-api", REGION)
    alb = ResourceRef("alb", "app/fx-rates-internal/1c2d3e4f5a6b7c8d", REGION)
    group = "/ecs/invoice-api"
    cert = pattern("l1", "FX lookup failed: I/O error on GET request for \"https://fx-rates.internal.example.com/v2\": "
                         "java.security.cert.CertificateExpiredException: NotAfter: Tue Apr 14", 0, 160, group=group,
                   exception="java.security.cert.CertificateExpiredException")
    relayed = pattern("l2", "BAD_GATEWAY returned for POST /invoices: upstream fx-rates unavailable", 0, 160,
                      group=group, level="WARN")
    candidates = [Candidate(svc, "alarm", 1.0), Candidate(alb, "dependency", 1.0, "named in its logs")]
    ranked = rank_hypotheses(evidence(candidates, [cert, relayed], alarm=alarm_on(svc), owners={group: svc}))
    # THEN the load balancer with the expired certificate is where the fault starts
    assert (ranked[0].category, ranked[0].resource.key) == ("dependency_failure", alb.key)


def test_a_service_sharing_a_target_group_with_its_balancer_does_not_put_the_balancer_behind_it():
    tg = "arn:aws:elasticloadbalancing:eu-central-1:1:targetgroup/invoice-api-tg/73e2"
    svc = ResourceRef("ecs", "billing/invoice-api", REGION, {"target_groups": [tg]})
    alb = ResourceRef("alb", "app/int-billing/0d5e", REGION, {"target_groups": [tg]})
    assert downstream_ids(alb, [svc, alb]) == [svc.key]
    assert downstream_ids(svc, [svc, alb]) == []


def test_runtime_and_library_phrasings_name_their_category():
    cases = {
        "The security token included in the request is invalid.": "permission_denied",
        "KnexTimeoutError: Knex: Timeout acquiring a connection. The pool is probably full.": "db_connection_exhaustion",
        "OutOfMemoryError: Container killed due to memory usage (exit code 137, OOMKilled)": "memory_exhaustion",
        "ERROR 1114 (HY000): The table 'events_2026' is full": "storage_exhaustion",
        "Error: socket hang up at connResetException (node:_http_client:473)": "dependency_failure",
        "rpc error: code = DeadlineExceeded desc = context deadline exceeded": "dependency_failure",
        "getaddrinfo EAI_AGAIN ledger.internal": "dependency_failure",
        "upstream connect error or disconnect/reset before headers. reset reason: connection failure":
            "dependency_failure",
    }
    for line, category in cases.items():
        assert category in log_categories(line), line
    # ordinary lines stay ordinary
    for line in ("GET /healthz 200 3ms", "cache warmed: 1370 keys", "pool stats: active=3 idle=7 waiting=0"):
        assert log_categories(line) == [], line


def test_a_runtime_error_line_followed_by_its_json_body_is_that_exception():
    # GIVEN the Ruby Lambda runtime's error: a headline, then the JSON body on the next line
    body = json.dumps({"errorMessage": "Failed to open TCP connection to search-es-1.internal.example.com:9200 "
                                       "(execution expired)", "errorType": "Function<Faraday::ConnectionFailed>",
                       "stackTrace": ["/var/task/app/search_client.rb:27:in `query'"]})
    event = parse_event(0.0, "Error raised from handler method\n" + body)
    # THEN it is an exception of that type, and its message reads as a dependency failure
    assert event.kind == "exception" and event.exception_type == "Function<Faraday::ConnectionFailed>"
    assert "dependency_failure" in log_categories(sample_text(event.message))


def test_dotnet_json_console_keys_give_level_and_message():
    line = json.dumps({"Timestamp": "2026-03-20T09:12:01Z", "EventId": 0, "LogLevel": "Warning",
                       "Category": "Billing.InvoicesController", "Message": "Returning 502 for POST /invoices"})
    event = parse_event(0.0, line)
    assert event.level == "WARN" and event.message == "Returning 502 for POST /invoices"


def test_a_database_whose_log_names_a_service_as_client_is_its_dependency():
    from analyzers.topology import clients_named_by_stores

    svc = ResourceRef("ecs", "catalog/search-api", REGION)
    db = ResourceRef("rds", "inventory-pg", REGION)
    group = "/aws/rds/instance/inventory-pg/postgresql"
    # GIVEN postgres log lines whose user is the service's name in snake_case
    line = pattern("l1", "UTC:10.0.3.7(41822):search_api@inventory:[2207]:LOG: duration: 2810.4 ms execute",
                   6, 364, group=group, level="INFO")
    # THEN the database is linked to the service as what it talks to
    assert clients_named_by_stores([line], {group: db}, [svc, db], [svc.key]) == {
        db.key: "its log names catalog/search-api as a client"}


def test_bare_timeouts_of_a_service_go_to_its_linked_dependency_at_its_limit():
    from analyzers.model import Anomaly, MetricKey

    svc = ResourceRef("ecs", "catalog/search-api", REGION)
    db = ResourceRef("rds", "inventory-pg", REGION)
    group = "/ecs/search-api"
    # GIVEN a service whose errors only say "timeout: context deadline exceeded", and its database pinned at 100 % CPU
    timeouts = pattern("l1", "search failed: query search_products: timeout: context deadline exceeded", 0, 2095,
                       group=group)
    cpu = Anomaly("a1", "m1", MetricKey.of("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db.id}, "Average",
                                           REGION), db, ONSET, 0.97, 27.0, 99.9, "up")
    candidates = [Candidate(svc, "alarm", 1.0), Candidate(db, "involved", 0.9, "its log names it as a client")]
    ranked = rank_hypotheses(evidence(candidates, [timeouts], anomalies=[cpu], alarm=alarm_on(svc),
                                      owners={group: svc}))
    # THEN the database's CPU is the cause, not a dependency failure of the service
    assert (ranked[0].category, ranked[0].resource.key) == ("cpu_saturation", db.key)


def test_a_caller_whose_errors_name_the_faulty_dependency_is_its_victim():
    api = ResourceRef("ecs", "billing/invoice-api", REGION)
    renderer = ResourceRef("lambda", "invoice-renderer", REGION)
    api_group, fn_group = "/ecs/invoice-api", "/aws/lambda/invoice-renderer"
    # GIVEN the renderer denied by S3, the caller logging that rendering failed with AccessDenied, and its own 502s
    denied = pattern("l1", "ClientError: An error occurred (AccessDenied) when calling the PutObject operation",
                     0, 343, group=fn_group)
    named = pattern("l2", "Invoice rendering failed: invoice-renderer returned AccessDenied", 0, 343, group=api_group)
    relayed = pattern("l3", "Returning 502 for POST /invoices", 0, 343, group=api_group, level="WARN")
    candidates = [Candidate(api, "alarm", 1.0), Candidate(renderer, "dependency", 1.0, "named in its logs")]
    ranked = rank_hypotheses(evidence(candidates, [denied, named, relayed], alarm=alarm_on(api),
                                      owners={api_group: api, fn_group: renderer}))
    # THEN the dependency's permission fault is the cause
    assert (ranked[0].category, ranked[0].resource.key) == ("permission_denied", renderer.key)


def test_a_caller_whose_callee_behind_an_internal_balancer_throws_is_its_victim():
    # GIVEN order-api calling fulfillment-svc through an internal balancer named by its DNS name in the env
    alb = ResourceRef("alb", "app/fulfil-alb/7c3e", REGION,
                      {"dns_name": "internal-fulfil-alb-77120.eu-central-1.elb.amazonaws.com",
                       "target_groups": ["fulfillment-svc-tg"]})
    caller = ResourceRef("ecs", "orders/order-api", REGION, {"env_refs": ["internal-fulfil-alb-77120"]})
    callee = ResourceRef("ecs", "orders/fulfillment-svc", REGION)
    assert alb.key in [r for r in downstream_ids(caller, [caller, alb, callee])] + \
        [k for k in mentioned_resources(["internal-fulfil-alb-77120.eu-central-1.elb.amazonaws.com"], [alb])]
    # AND both log new errors: the callee an unhandled exception, the caller a plain "allocation failed"
    thrown = pattern("l1", "An unhandled exception has occurred: System.InvalidOperationException: Sequence contains "
                           "no matching element", 4, 483, group="/ecs/fulfillment-svc",
                     exception="System.InvalidOperationException")
    failed = pattern("l2", "fulfillment allocation failed", 4, 483, group="/ecs/order-api")
    candidates = [Candidate(caller, "alarm", 1.0), Candidate(alb, "dependency", 1.0, "referenced"),
                  Candidate(callee, "involved", 0.9, "errors in its own logs")]
    ranked = rank_hypotheses(evidence(candidates, [thrown, failed], alarm=alarm_on(caller),
                                      owners={"/ecs/fulfillment-svc": callee, "/ecs/order-api": caller}))
    # THEN the callee's own exception is the cause
    assert (ranked[0].category, ranked[0].resource.key) == ("application_error", callee.key)


def test_an_exception_logged_as_a_string_field_names_its_type():
    line = json.dumps({"LogLevel": "Error", "Message": "An unhandled exception has occurred while executing the request.",
                       "Exception": "System.InvalidOperationException: Sequence contains no matching element\n"
                                    "   at Fulfillment.RateTable.RateFor(String destination) in /src/RateTable.cs:line 41"})
    event = parse_event(0.0, line)
    assert event.kind == "exception" and event.exception_type == "System.InvalidOperationException"


def test_a_services_aws_or_external_call_failures_are_not_its_databases():
    db = ResourceRef("rds", "shop-db", REGION)
    svc = ResourceRef("ecs", "shop/checkout-api", REGION, {"env_refs": ["shop-db"]})
    group = "/ecs/checkout-api"
    candidates = [Candidate(svc, "alarm", 1.0), Candidate(db, "dependency", 1.0, "referenced in its configuration")]
    # GIVEN a service configured with its database, whose new errors are an S3 AccessDenied...
    denied = pattern("l1", "An error occurred (AccessDenied) when calling the PutObject operation", 0, 300, group=group)
    ranked = rank_hypotheses(evidence(candidates, [denied], alarm=alarm_on(svc), owners={group: svc}))
    # THEN the permission fault is the service's own
    assert (ranked[0].category, ranked[0].resource.key) == ("permission_denied", svc.key)
    # AND timeouts calling a provider outside the account are not blamed on the database either
    external = pattern("l1", "Charge request failed: I/O error on POST https://api.paystream.io/v1/charges: "
                             "java.net.SocketTimeoutException: Read timed out", 0, 300, group=group)
    ranked = rank_hypotheses(evidence(candidates, [external], alarm=alarm_on(svc), owners={group: svc}))
    assert (ranked[0].category, ranked[0].resource.key) == ("dependency_failure", svc.key)
    # WHILE an unnamed "connection refused" still points at what it is configured with
    refused = pattern("l1", "could not connect to server: Connection refused", 0, 300, group=group)
    ranked = rank_hypotheses(evidence(candidates, [refused], alarm=alarm_on(svc), owners={group: svc}))
    assert (ranked[0].category, ranked[0].resource.key) == ("dependency_failure", db.key)
