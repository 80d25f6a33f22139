"""analyzers.patterns: new vs pre-existing patterns, Lambda REPORT lines that show a problem, samples
that keep a Java trace's cause."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from analyzers.model import LogRecord
from analyzers.patterns import PatternWindow, mine_patterns, sample_text
from analyzers.rca import log_categories

ONSET = datetime(2026, 3, 14, 14, 0, tzinfo=timezone.utc)
WINDOW = PatternWindow(ONSET - timedelta(minutes=60), ONSET, ONSET + timedelta(minutes=20))
GROUP = "/aws/lambda/pdf-render"


def report(minute: float, used: int, status: str = "") -> LogRecord:
    line = (f"REPORT RequestId: 8c1d-{int(minute * 10)}\tDuration: 812.33 ms\tBilled Duration: 813 ms\t"
            f"Memory Size: 1024 MB\tMax Memory Used: {used} MB{status}")
    return LogRecord(GROUP, "2026/03/14/[$LATEST]ab", (ONSET + timedelta(minutes=minute)).timestamp(), line)


def test_report_lines_at_the_memory_limit_or_timing_out_become_new_error_patterns():
    # GIVEN healthy REPORT lines before onset, then REPORT lines at the memory limit and timeouts after it
    records = [report(m, 400) for m in range(-60, 0, 2)]
    records += [report(m + 0.5, 1024) for m in range(0, 20, 2)]
    records += [report(m + 0.7, 700, "\tStatus: timeout") for m in range(0, 20, 4)]
    patterns = mine_patterns(records, WINDOW)
    # THEN the healthy REPORT lines are dropped as platform noise and the two problems are new error patterns
    by_text = {p.samples[0]: p for p in patterns}
    assert len(patterns) == 2
    memory = next(p for text, p in by_text.items() if "Max Memory Used reached" in text)
    timeout = next(p for text, p in by_text.items() if "timed out" in text)
    assert memory.new and memory.is_error and memory.count_after == 10
    assert timeout.new and timeout.count_after == 5
    assert log_categories(memory.samples[0]) == ["memory_exhaustion"]
    assert "function_timeout" in log_categories(timeout.samples[0])


def test_long_java_traces_keep_their_caused_by_chain_in_samples():
    frames = "\n".join(f"\tat com.example.loyalty.Step{i}.run(Step{i}.java:{i + 10})" for i in range(40))
    trace = ("java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available\n" + frames +
             "\nCaused by: java.sql.SQLNonTransientConnectionException: Too many connections\n\t... 41 more")
    sample = sample_text(trace)
    assert sample.startswith("java.sql.SQLTransientConnectionException") and len(sample) < 800
    assert sample.rstrip().endswith("Caused by: java.sql.SQLNonTransientConnectionException: Too many connections")
    assert sample_text("short line") == "short line"


def test_samples_show_each_message_a_template_merges():
    # GIVEN one exception type with 128 "Lost connection" traces and 32 "Can't connect to <host>" traces
    lost = ("[ERROR] pymysql.err.OperationalError: (2013, 'Lost connection to MySQL server during query "
            "(timed out)')\n"
            "Traceback (most recent call last):\n  File \"/var/task/app.py\", line 37, in handler\n"
            "    row = repo.get_member(mid)")
    cant = ("[ERROR] pymysql.err.OperationalError: (2003, \"Can't connect to MySQL server on "
            "'members-db.cq1.rds.amazonaws.com' (timed out)\")\nTraceback (most recent call last):\n"
            "  File \"/var/task/app.py\", line 31, in handler\n    conn = db.connect()")
    records = [LogRecord(GROUP, "s", (ONSET + timedelta(seconds=6 * i)).timestamp(), cant if i % 5 == 2 else lost)
               for i in range(160)]
    for shift in (0, 3):  # whichever lines the window starts with
        # WHEN mined
        merged = [p for p in mine_patterns(records[shift:], WINDOW) if "OperationalError" in p.template]
        # THEN the one pattern's samples show both messages, the most frequent first
        assert len(merged) == 1
        assert merged[0].samples[0].startswith(lost.split("\n")[0])
        assert any("members-db" in sample for sample in merged[0].samples)


def test_samples_show_the_message_that_grew_across_the_onset_not_only_the_loudest():
    # GIVEN access-log lines of one template: 200s all along, 429s only after onset (fewer than the 200s)
    def line(status: int, i: int) -> str:
        return (f'{{"requestId":"{i + 1000:08x}-ada8-43ba-bbf3-8313df34a49e","httpMethod":"GET",'
                f'"resourcePath":"/v1/orders/{{id}}","status":"{status}","responseLength":"{180 + i % 40}"}}')
    records = [LogRecord(GROUP, "s", (ONSET + timedelta(seconds=10 * i)).timestamp(), line(200, i))
               for i in range(-360, 120)]
    records += [LogRecord(GROUP, "s", (ONSET + timedelta(seconds=10 * i + 5)).timestamp(), line(429, i))
                for i in range(0, 120, 2)]
    # WHEN mined
    [access] = mine_patterns(records, WINDOW)
    # THEN the first sample is a 429 line, and a 200 line is kept beside it
    assert '"status":"429"' in access.samples[0]
    assert any('"status":"200"' in sample for sample in access.samples)


def test_a_new_server_error_status_is_a_new_pattern_beside_an_old_one_of_the_same_template():
    # GIVEN API Gateway execution logs with 502s all along and 500s only after onset, one template
    def line(status: int, i: int) -> str:
        return f"({i + 1000:08x}-4fbd-bc8c-9c13f53c83c3) Method completed with status: {status}"
    records = [LogRecord(GROUP, "s", (ONSET + timedelta(seconds=60 * i)).timestamp(), line(502, i))
               for i in range(-60, 20)]
    records += [LogRecord(GROUP, "s", (ONSET + timedelta(seconds=10 * i + 5)).timestamp(), line(500, i))
                for i in range(0, 120)]
    records += [LogRecord(GROUP, "s", (ONSET + timedelta(seconds=30 * i + 7)).timestamp(), line(200, i))
                for i in range(-120, 40)]
    # WHEN mined
    patterns = mine_patterns(records, WINDOW)
    # THEN the 500s are a new pattern of their own, the 502s an old one, and the 200s stay apart from both
    by_status = {p.samples[0].rsplit(" ", 1)[1]: p for p in patterns}
    assert set(by_status) == {"500", "502", "200"}
    assert by_status["500"].new and by_status["500"].count_after == 120 and by_status["500"].count_before == 0
    assert not by_status["502"].new and by_status["502"].count_before == 60
    assert by_status["200"].count == 160


def test_a_line_within_one_sample_before_the_onset_is_still_new_but_not_one_a_minute_earlier():
    # GIVEN a nightly job whose first denied upload is logged 14 s before the onset read from one-minute
    # samples, and a warning that first appeared two minutes before it
    denied = "upload failed: api error AccessDenied: not authorized to perform: s3:PutObject"
    records = [LogRecord(GROUP, "s", (ONSET + timedelta(seconds=s)).timestamp(), f"ERROR {denied}")
               for s in (-14, 170, 350)]
    records += [LogRecord(GROUP, "t", (ONSET + timedelta(seconds=s)).timestamp(), "WARN cache warm-up slow")
                for s in (-120, 60)]
    by_text = {p.template: p for p in mine_patterns(records, WINDOW)}
    # THEN the denied uploads are new (one of them counted before onset), the warning is not
    upload = next(p for t, p in by_text.items() if "AccessDenied" in t)
    warning = next(p for t, p in by_text.items() if "warm-up" in t)
    assert upload.new and upload.count_before == 1
    assert not warning.new


def test_a_runtime_switch_shows_as_a_new_runtime_pattern_per_version():
    # GIVEN cold starts on nodejs 16 before onset and on nodejs 20 after it
    arn = "\tRuntime Version ARN: arn:aws:lambda:us-east-2::runtime:6157ede1d8d3f549"
    records = [LogRecord(GROUP, "s", (ONSET + timedelta(minutes=m)).timestamp(),
                         f"INIT_START Runtime Version: nodejs:{v}{arn}") for m, v in
               ((-50, "16.v50"), (-20, "16.v50"), (2, "20.v37"), (9, "20.v37"), (15, "20.v38"))]
    by_template = {p.template: p for p in mine_patterns(records, WINDOW)}
    # THEN each runtime is one pattern (its patch releases together), only the new one is new, and neither
    # is an error
    assert set(by_template) == {"Lambda INIT_START runtime nodejs:16", "Lambda INIT_START runtime nodejs:20"}
    assert by_template["Lambda INIT_START runtime nodejs:20"].new and by_template["Lambda INIT_START runtime nodejs:20"].count == 3
    assert not by_template["Lambda INIT_START runtime nodejs:16"].new
    assert not any(p.is_error for p in by_template.values())
