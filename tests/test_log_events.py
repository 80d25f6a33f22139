"""Tests for log event assembly (analyzers.logs.events and helpers)."""

from __future__ import annotations

import pytest

from analyzers.logs import ParsedEvent, extract_keywords, parse_event, parse_events

REQUEST_ID = "6f2b9d3e-1c2a-4b5e-9f00-123456789abc"

PYTHON_TRACE = "\n".join(
    [
        "Traceback (most recent call last):",
        '  File "/var/runtime/bootstrap.py", line 60, in handle_event_request',
        "    response = request_handler(event, lambda_context)",
        '  File "/var/task/app/handler.py", line 12, in lambda_handler',
        "    return process(event)",
        '  File "/var/task/app/orders.py", line 40, in process',
        "    total = fetch(order)",
        '  File "/opt/python/lib/python3.11/site-packages/requests/api.py", line 73, in get',
        '    return request("get", url)',
        "requests.exceptions.ConnectionError: Max retries exceeded with url: /prices",
    ]
)
JAVA_TRACE = "\n".join(
    [
        'Exception in thread "main" java.lang.IllegalStateException: order failed',
        "\tat java.base/java.util.Objects.requireNonNull(Objects.java:233)",
        "\tat com.acme.orders.OrderService.place(OrderService.java:42)",
        "\tat com.acme.Main.main(Main.java:10)",
        "Caused by: java.sql.SQLTransientConnectionException: pool exhausted",
        "\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:181)",
        "\tat com.acme.db.ConnectionPool.get(ConnectionPool.java:27)",
        "\t... 2 more",
    ]
)
NODE_TRACE = "\n".join(
    [
        "TypeError: Cannot read properties of undefined (reading 'id')",
        "    at get (/var/task/node_modules/lodash/get.js:12:3)",
        "    at handler (/var/task/src/orders.js:27:15)",
        "    at Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1173:29)",
    ]
)
EXPECTED = {
    "python": (
        "requests.exceptions.ConnectionError",
        "/var/task/app/orders.py:40 in process",
    ),
    "java": (
        "java.sql.SQLTransientConnectionException",
        "com.acme.db.ConnectionPool.get(ConnectionPool.java:27)",
    ),
    "node": ("TypeError", "handler (/var/task/src/orders.js:27:15)"),
    "dotnet": ("System.TimeoutException",
               "Claims.Api.Data.ClaimsRepository.GetAsync (/src/Claims.Api/Data/ClaimsRepository.cs:line 42)"),
    "ruby": ("ActiveRecord::ConnectionTimeoutError", "app/models/return_request.rb:44 in lock_for_refund!"),
    "php": ("Illuminate\\Database\\QueryException",
            "/var/www/html/app/Services/InvoiceService.php:57 in Illuminate\\\\Database\\\\Query\\\\Builder->get"),
}
# .NET's console logger: category headline, message, then the exception with its inner one (" ---> ")
DOTNET_TRACE = "\n".join(
    [
        "fail: Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware[1]",
        "      An unhandled exception has occurred while executing the request.",
        "      Npgsql.NpgsqlException (0x80004005): Exception while reading from stream",
        "       ---> System.TimeoutException: Timeout during reading attempt",
        "         at Npgsql.Internal.NpgsqlReadBuffer.<Ensure>g__EnsureLong|55_0(NpgsqlReadBuffer buffer, Int32 count)",
        "         --- End of inner exception stack trace ---",
        "         at Claims.Api.Data.ClaimsRepository.GetAsync(Guid id) in "
        "/src/Claims.Api/Data/ClaimsRepository.cs:line 42",
    ]
)
# Rails: an empty tagged FATAL header, the exception line, then the backtrace (gems first)
RUBY_TRACE = "\n".join(
    [
        "F, [2026-03-17T13:59:50.174282 #18] FATAL -- : [d7ca3542-7996-e617-e986-888ffcfa314b] ",
        "ActiveRecord::ConnectionTimeoutError (could not obtain a connection from the pool within 5.000 seconds):",
        "/usr/local/bundle/gems/activerecord-7.1.3/lib/active_record/connection_pool.rb:211:in `wait_poll'",
        "app/models/return_request.rb:44:in `lock_for_refund!'",
        "app/controllers/api/refunds_controller.rb:18:in `create'",
    ]
)
# Laravel (Monolog): the error line names the exception, then "[stacktrace]", "#N" frames, "{main}", '"}'
PHP_TRACE = "\n".join(
    [
        '[2026-12-01 14:23:30] production.ERROR: Connection refused {"exception":"[object] '
        '(Illuminate\\\\Database\\\\QueryException(code: 2002): SQLSTATE[HY000] [2002] Connection refused '
        'at /var/www/html/vendor/laravel/framework/src/Illuminate/Database/Connection.php:829)',
        "[stacktrace]",
        "#0 /var/www/html/vendor/laravel/framework/src/Illuminate/Database/Connection.php(783): "
        "Illuminate\\\\Database\\\\Connection->runQueryCallback('select * from...', Array, Object(Closure))",
        "#1 /var/www/html/app/Services/InvoiceService.php(57): Illuminate\\\\Database\\\\Query\\\\Builder->get()",
        "#2 /var/www/html/public/index.php(51): Illuminate\\\\Foundation\\\\Http\\\\Kernel->handle(Object(Request))",
        "#3 {main}",
        '"} ',
    ]
)
TRACES = {"python": PYTHON_TRACE, "java": JAVA_TRACE, "node": NODE_TRACE, "dotnet": DOTNET_TRACE, "ruby": RUBY_TRACE,
          "php": PHP_TRACE}


@pytest.mark.parametrize("runtime", ["python", "java", "node", "dotnet", "ruby", "php"])
def test_stack_trace_in_one_message(runtime: str) -> None:
    """GIVEN a whole stack trace delivered as one message with embedded newlines
    WHEN parsed
    THEN it is one exception event with the exception type and innermost own-code frame."""
    events = parse_events([(100.0, TRACES[runtime])])
    assert len(events) == 1
    event = events[0]
    assert (event.exception_type, event.frame) == EXPECTED[runtime]
    assert event.kind == "exception" and event.level == "ERROR"


@pytest.mark.parametrize("runtime", ["python", "java", "node", "ruby", "php"])
def test_stack_trace_split_over_consecutive_messages(runtime: str) -> None:
    """GIVEN the same trace as one message per line at nearly the same timestamp,
    surrounded by unrelated lines
    WHEN parsed
    THEN the trace is re-assembled into one event and the neighbours stay separate."""
    lines = TRACES[runtime].split("\n")
    records = [(99.0, "handling order 17")]
    records += [(100.0 + index * 0.001, line) for index, line in enumerate(lines)]
    records += [(100.5, "next request")]
    events = parse_events(records)
    assert [event.message for event in (events[0], events[-1])] == ["handling order 17", "next request"]
    assert len(events) == 3
    assert (events[1].exception_type, events[1].frame) == EXPECTED[runtime]
    assert events[1].timestamp == 100.0


def test_rails_fatal_headers_are_named_by_the_exception_that_follows() -> None:
    """GIVEN Rails FATAL entries whose tagged header is empty: a scanner's RoutingError without a backtrace
    and a NoMethodError with one (and Ruby's own "file:line:in `m': msg (Type)" form)
    WHEN parsed
    THEN each event's headline is its exception line, typed by it, with the first own frame, so different
    exceptions behind identical headers are not mined as one template."""
    header = "F, [2026-03-17T12:00:51.585696 #17] FATAL -- : [6185157d-f454-6075-3403-cd707598ad89] "
    scanner = parse_event(1.0, header + '\nActionController::RoutingError (No route matches [GET] "/.env"):')
    nil = parse_event(2.0, header + "\nNoMethodError (undefined method `iso8601' for nil:NilClass):\n\n"
                      "app/serializers/return_label_serializer.rb:31:in `dropoff_deadline'")
    plain = parse_event(3.0, "worker.rb:12:in `drain': queue closed (RuntimeError)\n\tfrom worker.rb:3:in `<main>'")
    assert (scanner.exception_type, scanner.first_line, scanner.level) == (
        "ActionController::RoutingError", 'ActionController::RoutingError (No route matches [GET] "/.env"):', "ERROR")
    assert (nil.exception_type, nil.frame) == ("NoMethodError", "app/serializers/return_label_serializer.rb:31 in "
                                               "dropoff_deadline")
    assert nil.first_line.startswith("NoMethodError (undefined method")
    assert (plain.exception_type, plain.frame, plain.kind) == ("RuntimeError", "worker.rb:12 in drain", "exception")


def test_trace_lines_far_apart_are_not_joined() -> None:
    """GIVEN indented lines arriving long after an exception line
    WHEN parsed
    THEN they are not glued to it."""
    events = parse_events([(0.0, "ValueError: bad"), (60.0, "    at later (/var/task/x.js:1:1)")])
    assert len(events) == 2


def test_python_lambda_error_with_traceback_after_log_line() -> None:
    """GIVEN Lambda's tab-separated [ERROR] line followed by the traceback as separate messages
    WHEN parsed
    THEN the traceback joins the error line and the request id is stripped."""
    records = [(5.0, f"[ERROR]\t2024-05-01T10:00:00.000Z\t{REQUEST_ID}\torder failed")]
    records += [(5.0, line) for line in PYTHON_TRACE.split("\n")]
    events = parse_events(records)
    assert len(events) == 1
    assert events[0].first_line == "order failed"
    assert events[0].exception_type == "requests.exceptions.ConnectionError"
    assert REQUEST_ID not in events[0].message


@pytest.mark.parametrize(
    "message",
    [
        f"START RequestId: {REQUEST_ID} Version: $LATEST",
        f"END RequestId: {REQUEST_ID}",
        f"REPORT RequestId: {REQUEST_ID}\tDuration: 12.3 ms\tBilled Duration: 13 ms\t"
        "Memory Size: 128 MB\tMax Memory Used: 71 MB",
        "INIT_START Runtime Version: python:3.11.v29\tRuntime Version ARN: arn:aws:lambda:x",
    ],
)
def test_lambda_platform_lines(message: str) -> None:
    """GIVEN a Lambda runtime platform line WHEN parsed THEN kind is platform, no level."""
    event = parse_event(1.0, message)
    assert event.kind == "platform" and event.level is None


def test_lambda_timeout() -> None:
    """GIVEN Lambda's timeout line (with its time and request-id prefix)
    WHEN parsed
    THEN it is a timeout at ERROR level."""
    event = parse_event(1.0, f"2024-05-01T10:00:30.000Z {REQUEST_ID} Task timed out after 30.03 seconds")
    assert (event.kind, event.level, event.message) == (
        "timeout",
        "ERROR",
        "Task timed out after 30.03 seconds",
    )


@pytest.mark.parametrize(
    ("message", "level", "text"),
    [
        (f"[ERROR]\t2024-05-01T10:00:00.000Z\t{REQUEST_ID}\tpayment declined", "ERROR", "payment declined"),
        (f"[INFO]\t{REQUEST_ID}\tcart loaded", "INFO", "cart loaded"),
        (f"[WARNING]\t{REQUEST_ID}\tslow downstream", "WARN", "slow downstream"),
        (f"2024-05-01T10:00:00.000Z\t{REQUEST_ID}\tERROR\tdb unreachable", "ERROR", "db unreachable"),
    ],
)
def test_lambda_tab_separated_lines(message: str, level: str, text: str) -> None:
    """GIVEN Lambda's tab-separated runtime format WHEN parsed THEN level and message are read."""
    event = parse_event(1.0, message)
    assert (event.level, event.message, event.kind) == (level, text, "app")


def test_node_invoke_error_json_body() -> None:
    """GIVEN Node's 'Invoke Error' line carrying a JSON error body
    WHEN parsed
    THEN it is an exception with the JSON errorType and errorMessage."""
    message = (
        f"2024-05-01T10:00:00.000Z\t{REQUEST_ID}\tERROR\tInvoke Error \t"
        '{"errorType":"TypeError","errorMessage":"x is undefined","stack":["TypeError: x"]}'
    )
    event = parse_event(1.0, message)
    assert (event.kind, event.exception_type, event.message) == ("exception", "TypeError", "x is undefined")


@pytest.mark.parametrize(
    ("message", "level", "text"),
    [
        ('{"level": "error", "message": "db down", "attempt": 3}', "ERROR", "db down"),
        ('{"severity": "WARNING", "msg": "retrying"}', "WARN", "retrying"),
        ('{"lvl": "debug", "error": "cache miss"}', "DEBUG", "cache miss"),
        ('{"log": {"level": "info"}, "message": "started"}', "INFO", "started"),
    ],
)
def test_json_log_lines(message: str, level: str, text: str) -> None:
    """GIVEN JSON log lines with common level and message keys
    WHEN parsed
    THEN the normalised level and the message field are returned."""
    event = parse_event(1.0, message)
    assert (event.level, event.message) == (level, text)


@pytest.mark.parametrize(
    ("message", "level"),
    [
        (
            "2024-05-01 10:00:00 UTC:10.0.1.17(51234):app@orders:[4242]:FATAL:  "
            'password authentication failed for user "app"',
            "ERROR",
        ),
        ("2024-05-01 10:00:00 UTC::@:[612]:LOG:  checkpoint complete", "INFO"),
        ("2024-05-01 10:00:00,123 WARN [pool-1] connection slow", "WARN"),
        ("[error] client denied by server configuration", "ERROR"),
        ("java.lang.OutOfMemoryError: Java heap space", "ERROR"),
        ("warn: Microsoft.AspNetCore.Server.Kestrel[22]\n      Heartbeat took longer than expected", "WARN"),
        ("fail: Orders.Api.Checkout[0]\n      checkout failed", "ERROR"),
        ("info: Microsoft.Hosting.Lifetime[14]\n      Now listening on: http://[::]:8080", "INFO"),
        ("the failover info: none", None),
        ("all good here", None),
    ],
)
def test_plain_text_levels(message: str, level: str | None) -> None:
    """GIVEN plain-text lines WHEN parsed THEN the level is detected (None when absent)."""
    assert parse_event(1.0, message).level == level


def test_parsed_event_is_frozen() -> None:
    """GIVEN a parsed event WHEN mutated THEN it refuses."""
    event = parse_event(1.0, "hello")
    assert isinstance(event, ParsedEvent)
    with pytest.raises(AttributeError):
        event.level = "ERROR"  # type: ignore[misc]


def test_extract_keywords() -> None:
    """GIVEN templates with exception names and error-ish words
    WHEN keywords are extracted
    THEN exception names keep their case, terms are lower-cased, order is preserved."""
    template = (
        "<*> botocore.exceptions.ClientError: An error occurred (ThrottlingException) "
        "when calling <*>: Rate exceeded"
    )
    assert extract_keywords(template) == ("ClientError", "error", "ThrottlingException", "exceeded")
    assert extract_keywords("Connection refused; Timed out after <*> ms") == ("refused", "timed out")
    assert extract_keywords("cart loaded with <*> items") == ()


def _aws_event(detail_type: str, detail: dict) -> str:
    import json

    return json.dumps({"version": "0", "id": "27fe9951-44ed-4438-838b-fefb6d8ca3e4", "detail-type": detail_type,
                       "source": "aws.ecs", "account": "209876543210", "time": "2026-03-17T15:33:10Z",
                       "region": "us-west-2", "resources": ["arn:aws:ecs:us-west-2:209876543210:task/shop/9ffe"],
                       "detail": {"clusterArn": "arn:aws:ecs:us-west-2:209876543210:cluster/shop",
                                  "taskArn": "arn:aws:ecs:us-west-2:209876543210:task/shop/9ffeca1af36646bb",
                                  "group": "service:checkout-api", **detail}})


@pytest.mark.parametrize(
    ("detail_type", "detail", "level", "says"),
    [
        ("ECS Task State Change",
         {"lastStatus": "STOPPED", "stopCode": "TaskFailedToStart",
          "stoppedReason": "ResourceInitializationError: unable to pull secrets or registry auth: failed to fetch "
                           "secret arn:aws:secretsmanager:us-west-2:209876543210:secret:prod/checkout/stripe-Xk2P9d"},
         "ERROR", "TaskFailedToStart ResourceInitializationError"),
        ("ECS Task State Change",
         {"lastStatus": "STOPPED", "stopCode": "EssentialContainerExited",
          "stoppedReason": "Essential container in task exited",
          "containers": [{"name": "api", "exitCode": 137, "reason": "OutOfMemoryError: Container killed due to "
                                                                   "memory usage"}]},
         "ERROR", "container api exit code 137: OutOfMemoryError"),
        ("ECS Task State Change",
         {"lastStatus": "STOPPED", "stopCode": "ServiceSchedulerInitiated",
          "stoppedReason": "Scaling activity initiated by (deployment ecs-svc/4631)",
          "containers": [{"name": "api", "exitCode": 0}]},
         "INFO", "ServiceSchedulerInitiated Scaling activity"),
        ("RDS DB Instance Event", {"EventID": "RDS-EVENT-0049", "Message": "Multi-AZ instance failover completed"},
         "INFO", "RDS-EVENT-0049 Multi-AZ instance failover completed"),
    ],
)
def test_aws_service_events_read_as_what_they_report(detail_type: str, detail: dict, level: str, says: str) -> None:
    """GIVEN an AWS service event forwarded by EventBridge (its envelope of ids and ARNs longer than a sample)
    WHEN parsed
    THEN its message is the detail type and what it reports (status, stop code, reason, a container's exit),
    at ERROR when it reports a failure; the envelope's ids are gone."""
    event = parse_event(1.0, _aws_event(detail_type, detail))
    assert event.message.startswith(f"{detail_type}: ") and says in event.message
    assert event.level == level and "27fe9951" not in event.message


def test_pino_levels_and_the_host_a_json_line_names() -> None:
    """GIVEN pino lines (numeric levels) that carry the machine's host name
    WHEN parsed
    THEN 40 is WARN and 50 ERROR, and the host is kept on a line of its own: in samples, not in templates."""
    slow = parse_event(1.0, '{"level":40,"time":1773629774338,"pid":1,"hostname":"ip-10-20-2-41.ap-southeast-2.'
                            'compute.internal","responseTime":8299,"msg":"slow request"}')
    failed = parse_event(1.0, '{"level":50,"msg":"payment failed","hostname":"web-7"}')
    assert (slow.level, slow.first_line) == ("WARN", "slow request")
    assert "ip-10-20-2-41.ap-southeast-2.compute.internal" in slow.message
    assert (failed.level, failed.first_line) == ("ERROR", "payment failed")


def test_monolog_json_levels_and_the_exception_class_its_context_holds() -> None:
    """GIVEN Laravel/Monolog JSON lines: numeric levels beside level_name, the exception in context
    WHEN parsed
    THEN 400 is ERROR with the exception's class, 300 is WARN, 200 INFO."""
    failed = parse_event(1.0, '{"message":"Call to undefined method App\\\\Models\\\\Product::priceWithTax()","context":'
                              '{"exception":{"class":"BadMethodCallException","message":"Call to undefined method '
                              'App\\\\Models\\\\Product::priceWithTax()","code":0,"file":"/var/www/html/app/Http/'
                              'ProductResource.php:41"}},"level":400,"level_name":"ERROR","channel":"production",'
                              '"datetime":"2026-10-08T05:42:26.143312+00:00","extra":{}}')
    slow = parse_event(1.0, '{"message":"slow query","context":{},"level":300,"channel":"production","extra":{}}')
    fine = parse_event(1.0, '{"message":"cache warmed","context":{},"level":200,"channel":"production","extra":{}}')
    assert (failed.level, failed.exception_type) == ("ERROR", "BadMethodCallException")
    assert failed.first_line.startswith("Call to undefined method")
    assert (slow.level, fine.level) == ("WARN", "INFO")
