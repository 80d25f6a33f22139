"""h36-01 Mon 02:14 EDT, payments (kebab-case, -prd): ledger-writer-prd errors.

Code deploy at -3300 ran clean for twelve minutes; a console edit of an environment variable at
-2580 made every invocation fail on that variable.
"""
from __future__ import annotations

from . import logfmt as L
from .common import Scenario, anomaly, smooth
from .infra import GB, rds
from .lam import Lambda, Outcome

FN, DECOY, DB, Q = "ledger-writer-prd", "payouts-scheduler-prd", "payments-pg-prd", "ledger-events-prd"
T_DEPLOY, T_CFG = -3300, -2580

META = {
    "region": "us-east-1", "category": "config_change", "front": "origin",
    "resources": [FN],
    "decoys": "code deploy of the same function 12 min before the config edit (ran clean); "
              "payouts-scheduler-prd deploy at -80 min; steady duplicate-event WARNINGs; "
              "nightly autovacuum CPU bump on payments-pg-prd",
    "story": (
        "ledger-writer-prd consumes ledger-events-prd (SQS) and posts entries to payments-pg-prd. "
        "At -55 min CI deployed release 4.12.0 (UpdateFunctionCode); the new build's log lines "
        "show it processing batches successfully for twelve minutes. At -43 min an engineer edited "
        "the function configuration in the console and from the next cold start every invocation "
        "fails with `ValueError: invalid literal for int() with base 10: '2s'` raised while reading "
        "`LEDGER_DB_STATEMENT_TIMEOUT_MS`. Errors equal invocations, the queue backs up, DB "
        "connections fall. Both changes are near the onset, but the deploy was already serving "
        "healthy traffic and the failure names a setting: config_change (and the table's "
        "tie-break also puts a config change above a deployment)."),
}


def build() -> Scenario:
    s = Scenario(1, "ledger-writer-env-var", 3601, "us-east-1",
                 "Paged 02:14 EDT by ledger-writer-prd-errors; finance ops dashboard shows ledger "
                 "postings stalled.", "2026-03-09T06:14:00", -4)
    r = s.rng
    s.resource("lambda", FN, runtime="python3.12", timeout=15, memory_size=512,
               handler="ledger_writer.handler.handler", event_source=f"sqs:{Q}", batch_size=10)
    s.resource("lambda", DECOY, runtime="python3.12", timeout=120, memory_size=256,
               handler="payouts.scheduler.run", schedule="rate(5 minutes)")
    s.resource("rds", DB, engine="postgres", engine_version="15.6", instance_class="db.r6g.large",
               max_connections=1700, allocated_storage_gb=400, multi_az=True)

    def rate(t):
        base = 30 * s.diurnal(t, floor=0.5)
        return base * (1 + 0.3 * smooth(t, T_CFG + 300, T_CFG + 900))   # SQS redeliveries

    def outcome(t):
        n = r.randint(1, 10)
        if t >= T_CFG + 8:
            tb = ("[ERROR] ValueError: invalid literal for int() with base 10: '2s'\n"
                  "Traceback (most recent call last):\n"
                  '  File "/var/task/ledger_writer/handler.py", line 38, in handler\n'
                  "    settings = load_settings()\n"
                  '  File "/var/task/ledger_writer/config.py", line 61, in load_settings\n'
                  '    statement_timeout_ms=int(os.environ.get("LEDGER_DB_STATEMENT_TIMEOUT_MS", "5000")),\n'
                  "                         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n")
            return Outcome("error", r.uniform(2.5, 9.0), r.randint(88, 96),
                           [(0.001, "INFO", f"Processing batch of {n} records from {Q}"),
                            (0.002, None, tb.rstrip("\n"))])
        dur = r.lognormvariate(5.1, 0.35)
        lines = [(0.001, "INFO", f"Processing batch of {n} records from {Q}")]
        if r.random() < 0.05:
            lines.append((0.02, "WARNING", f"Duplicate event evt_{s.hexid(12)} already posted "
                                           f"(idempotency key hit); skipping"))
        if t >= T_DEPLOY + 10:
            lines.append((dur / 1000 * 0.9, "INFO",
                          f"ledger-writer 4.12.0 batch={s.hexid(8)} records={n} entries={2 * n} "
                          f"db_ms={int(dur * 0.55)}"))
        else:
            lines.append((dur / 1000 * 0.9, "INFO",
                          f"Posted {2 * n} ledger entries (batch_id={s.hexid(8)}) in {int(dur * 0.8)} ms"))
        return Outcome("ok", dur, r.randint(131, 149), lines)

    fn = Lambda(s, FN, "python3.12", 512, 15, log_start=-7200,
                versions=[(-10 ** 9, "a", "$LATEST"), (T_DEPLOY + 5, "b", "$LATEST"),
                          (T_CFG + 5, "c", "$LATEST")])
    pts = fn.run(rate, outcome)

    # decoy scheduler: every 5 minutes, deployed at -4800, healthy throughout
    def sched(t):
        return 1.0 if (t // 60) % 5 == 0 else 0.0

    def sched_out(t):
        due = r.randint(0, 14)
        return Outcome("ok", r.uniform(900, 2400), r.randint(101, 118),
                       [(0.01, "INFO", "Scanning payout_instructions due before "
                                       f"{s.iso(t + 300, 0)}"),
                        (0.8, "INFO", f"Queued {due} payouts for settlement window "
                                      f"{s.wall(t).strftime('%H:%M')}")])
    Lambda(s, DECOY, "python3.12", 256, 120, log_start=-7200,
           versions=[(-10 ** 9, "a", "$LATEST"), (-4800, "b", "$LATEST")]).run(sched, sched_out, exact=True)

    # SQS queue behind the function
    s.add("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": Q}, "Count",
          lambda t: r.randint(0, 6) if t < T_CFG else 40 + (t - T_CFG) / 60 * 95 * r.uniform(0.9, 1.1),
          integer=True)
    s.add("AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": Q}, "Seconds",
          lambda t: r.uniform(1, 4) if t < T_CFG else (t - T_CFG) * r.uniform(0.95, 1.0),
          integer=True)

    # payments DB: healthy, nightly vacuum bump at -9000, fewer connections once the writer fails
    vac = lambda t: 1.0 if -9000 <= t <= -8340 else 0.0
    rds(s, DB, {
        "CPUUtilization": lambda t: s.noise(14 + 6 * s.diurnal(t) + 34 * vac(t), 0.1),
        "DatabaseConnections": lambda t: s.noise(46 - 18 * smooth(t, T_CFG, T_CFG + 240), 0.05),
        "FreeStorageSpace": lambda t: 231 * GB - (t + 21600) * 9000 + r.uniform(-2e7, 2e7),
        "FreeableMemory": lambda t: s.noise(5.1 * GB, 0.01),
        "ReadLatency": lambda t: s.noise(0.0011, 0.15),
        "WriteLatency": lambda t: s.noise(0.0016 + 0.002 * vac(t), 0.15),
        "ReadIOPS": lambda t: s.noise(310 + 900 * vac(t), 0.1),
        "WriteIOPS": lambda t: s.noise(420 * (1 - 0.6 * smooth(t, T_CFG, T_CFG + 120)), 0.1),
    })
    g = f"/aws/rds/instance/{DB}/postgresql"
    for t in range(-10800, 0, 300):
        s.emit(g, f"{DB}.0", t + r.uniform(0, 3), L.pg(s, t, "checkpoint starting: time", pid=412))
        s.emit(g, f"{DB}.0", t + 150 + r.uniform(0, 30),
               L.pg_checkpoint(s, t + 150, r.randint(900, 3200), r.uniform(140, 149), r.uniform(0.002, 0.02)))
    for i, tbl in enumerate(("ledger_entries", "ledger_postings", "idempotency_keys")):
        t = -8990 + i * 210
        s.emit(g, f"{DB}.0", t, L.pg(s, t, f'automatic vacuum of table "payments.public.{tbl}": index '
               f"scans: 1\n\tpages: 0 removed, {r.randint(200000, 900000)} remain, "
               f"{r.randint(20000, 90000)} scanned (9.81% of total)\n\ttuples: {r.randint(90000, 400000)} "
               f"removed, {r.randint(9000000, 40000000)} remain, 0 are dead but not yet removable\n\t"
               f"system usage: CPU: user: {r.uniform(20, 60):.2f} s, system: {r.uniform(2, 9):.2f} s, "
               f"elapsed: {r.uniform(150, 200):.2f} s", pid=r.randint(20000, 30000)))

    s.change(-4800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             DECOY, "github-actions-payments")
    s.change(T_DEPLOY, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             FN, "github-actions-payments")
    s.change(T_CFG, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
             "AWS::Lambda::Function", FN, "priya.raman@acmepay.io")
    s.change(-19400, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", DB,
             "aws-backup-payments")

    dims = {"FunctionName": FN}
    s.alarm(f"{FN}-errors", "AWS/Lambda", "Errors", dims, pts["Errors"], "Sum", 60, 3, 5,
            "GreaterThanThreshold", "ledger-writer-prd Lambda errors (payments P1)")
    s.quiet_alarm(f"{DECOY}-errors", "AWS/Lambda", "Errors", {"FunctionName": DECOY}, "Sum", 300, 1,
                  1, "GreaterThanOrEqualToThreshold")
    s.expect(f"{FN}-errors", "config_change", META["resources"],
             [anomaly("AWS/Lambda", "Errors", dims)])
    s.meta = META
    return s
