"""h68-10: guild-war payouts time out in a .NET Lambda; the database it writes to is healthy."""
from __future__ import annotations

from .common import Scenario, diurnal
from .kit import ResettingLambdaLogs, emit, event_load, lam_config, lambda_family, lambda_logs, ramp, rds_family
from .runtimes import LambdaLogs, pg

ROUND, WAR_END, DECOY = -12000, -2100, -2160


def build() -> Scenario:
    sc = Scenario(10, "guild-payout-errors", "Guild war rewards missing for large guilds; payout Lambda "
                  "Errors alarm.", "ca-central-1", 6810, "2026-11-30T02:30:00")
    rng = sc.rng
    fn, db, dec = "guild-payout", "guild-ledger-pg", "guild-roster"
    sc.resource("lambda", fn, runtime="dotnet8", memory_size=1024, timeout=30, trigger="SQS guild-payouts (batch 1)")
    sc.resource("lambda", dec, runtime="dotnet8", memory_size=512, timeout=10)
    sc.resource("rds", db, engine="postgres", engine_version="16.3", instance_class="db.r6g.large",
                max_connections=900, allocated_storage_gb=300)
    load = lambda t: diurnal(sc, t, 1, 0.2) * event_load(t, ROUND, 2.2, 1.3, 2400)
    end = lambda t: ramp(t, WAR_END, WAR_END + 120)
    inv = lambda t: 6 + 14 * end(t)
    big = 0.36
    m = lambda_family(sc, fn, inv, lambda t: 0.0 + big * end(t),
                      lambda t: 3400 + (big * 30000 + (1 - big) * 9800 - 3400) * end(t), dur_cap=30000,
                      conc=lambda t: 1 + 9 * end(t))
    lambda_family(sc, dec, lambda t: 240 * load(t), lambda t: 0.0003,
                  lambda t: 85 + 25 * ramp(t, DECOY, DECOY + 60))
    rds_family(sc, db, lambda t: 28 * load(t) + 27 * end(t), lambda t: 95 + 10 * load(t) + 10 * end(t),
               lambda t: 231.7 - 0.05 * (t + 21600) / 3600, rlat=lambda t: 0.0011, wlat=lambda t: 0.0024 + 0.0003 * end(t),
               mem_gb=lambda t: 11.2)

    # ---------------------------------------------------------------- guild-payout (.NET Lambda)
    ll = ResettingLambdaLogs(sc, fn, "dotnet8", 1024, 30, mem_used=(210, 15))

    def body(ll, t, rid, is_err, cold):
        f = lambda dt, lvl, msg: (dt, ll.fmt(t + dt, rid, lvl, msg))
        guild = f"g_{sc.hexid(8)}"
        lines = []
        if rng.random() < 0.05:
            lines.append(f(0.4, "WARN", f"Npgsql.Command: command took {rng.randint(510, 900)} ms (threshold 500 ms): "
                                        "INSERT INTO payout_ledger ..."))
        if is_err:
            n = rng.randint(2600, 4200)
            per = rng.uniform(0.0105, 0.0125)
            lines.append(f(0.01, "INFO", f"Guild.Payout.PayoutProcessor: payout start guild={guild} war=gw-2026-47 "
                                         f"members={n} tier=diamond"))
            for k in range(1, 4):
                done = int(k * 8.5 / per)
                if done < n:
                    lines.append(f(k * 8.5, "INFO", f"Guild.Payout.PayoutProcessor: guild={guild} paid={done}/{n} "
                                                    f"elapsed={k * 8.5:.1f}s db_avg_ms={rng.uniform(2.1, 3.0):.1f}"))
            return {"status": "timeout", "dur": 30000, "lines": lines}
        n = rng.randint(12, 600) if t < WAR_END else rng.randint(200, 2300)
        d = n * 0.0115 + rng.uniform(0.2, 0.6)
        lines.append(f(0.01, "INFO", f"Guild.Payout.PayoutProcessor: payout start guild={guild} war=gw-2026-47 "
                                     f"members={n} tier={rng.choice(['bronze', 'silver', 'gold', 'platinum'])}"))
        lines.append(f(d, "INFO", f"Guild.Payout.PayoutProcessor: guild={guild} paid={n}/{n} in {d:.1f}s"))
        return {"dur": d * 1000 + 20, "lines": lines}

    lambda_logs(ll, m, body, per_min=2.5, err_min=1)

    rl = LambdaLogs(sc, dec, "dotnet8", 512, 10, retire=[DECOY])

    def roster(ll, t, rid, is_err, cold):
        init = [(0.01, f"{sc.iso(t)}\t{rid}\tinfo\tGuild.Roster.Startup: ROSTER_PAGE_SIZE="
                       f"{200 if t >= DECOY else 100}")] if cold else []
        return {"dur": rng.gauss(90, 12), "init_lines": init, "lines": [
            (0.05, ll.fmt(t + 0.05, rid, "INFO", f"Guild.Roster.Handler: roster page guild=g_{sc.hexid(8)} "
                                                  f"members={rng.randint(5, 3000)}"))]}
    rl.run({t: 1 for t in range(-21600, 0, 60) if rng.random() < 0.6}, {}, roster)

    pgg, pgs = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    for t in range(-21560, 0, 300):
        sc.log(pgg, pgs, t, pg(sc, t, "LOG", f"checkpoint complete: wrote {rng.randint(800, 5200)} buffers "
                                            f"({rng.uniform(0.5, 3.5):.1f}%); 0 WAL file(s) added, 0 removed, "
                                            f"{rng.randint(1, 5)} recycled", pid=388))
    emit(sc, pgg, pgs, lambda t: 0.2, lambda t: pg(sc, t, "LOG", f"duration: {rng.uniform(500, 950):.3f} ms  execute "
                                                  "<unnamed>: INSERT INTO payout_ledger (guild_id, player_id, ...)",
                                                  client=f"10.70.{rng.randint(1, 9)}.{rng.randint(2, 250)}",
                                                  user="payout", db="guilds"))

    sc.alarm("guild-payout-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 3,
             "GreaterThanThreshold", "Guild payout failures")
    sc.alarm(f"{db}-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 1, 50,
             "GreaterThanThreshold", "Guild ledger DB CPU")
    sc.change(-16900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", dec,
              "azure-devops-guilds")
    sc.change(-12300, "sqs.amazonaws.com", "SetQueueAttributes", "AWS::SQS::Queue", "guild-payouts", "ops-lgagnon")
    lam_config(sc, DECOY, dec, "ops-lgagnon")
    sc.expect = {"alarm": "guild-payout-errors",
                 "root_cause": {"category": "function_timeout", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": fn}}]}
    sc.meta = {
        "front": "origin",
        "services": ["lambda", "rds"], "runtime": ".NET 8 Lambda (plain), Postgres log",
        "decoys": "config change on guild-roster 1 min before onset; DB CPU alarm on the dependency (~70 %, "
                  "healthy latency); steady slow-INSERT warnings at baseline rate",
        "story": (
            "The weekly guild war closed at -35 min and the payout queue started delivering one message "
            "per guild. Small guilds finish in a few seconds as before, but the diamond-tier guilds have "
            "2,600-4,200 members paid one by one at ~11 ms each: their invocations log progress "
            "(`paid=2217/3388 elapsed=25.5s db_avg_ms=2.4`) and end with `Task timed out after 30.00 "
            "seconds`, REPORT `Status: timeout`. The database they write to shows more work but stays "
            "healthy (CPU ~70 %, as high as during the round-3 rush at -200 min; read/write latency ~1-3 ms, connections far from 900, no errors in its "
            "log), which is what its CPU alarm reacts to. guild-roster's configuration change a minute "
            "before only changed its page size and it keeps running cleanly; the slow-INSERT warnings "
            "are at their usual rate."),
        "judgement": "The DB-CPU alarm makes dependency_failure tempting, but no call to the database fails "
                     "or slows; invocations hit the 30 s limit doing per-member work, so function_timeout.",
    }
    return sc
