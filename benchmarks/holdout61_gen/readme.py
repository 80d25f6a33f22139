"""README for scenarios_holdout61 (table from the built scenarios, prose below)."""
from __future__ import annotations

from collections import Counter

INTRO = """# Holdout set 61: consumer apps with spiky traffic

Sixteen incidents from consumer products whose load comes in bursts: game and season launches,
live sports, push campaigns, ticket on-sales, websocket fan-out, autoscaling that lags, caches going
cold and retries that amplify load. Every scenario also contains the big daily peak that is *not*
the problem. The set was written from the scenario format, its category table and the four public
examples only, without looking at the analyser; labels are what an SRE reading all of the evidence
would conclude, applying the category table and its tie-break rules as written. The generator
(`python -m benchmarks.holdout61_gen`) is seeded and deterministic; it evaluates every alarm against
its own series, so states, reasons and `state_changed` agree with the data. Times below are seconds
relative to load time ("now").
"""

STORIES = {
    1: "Season 12 goes live at about -1500. ALB `RequestCount` rises from ~11k to ~95k per minute "
       "within five minutes. The lobby service autoscaling steps 6 -> 10 -> 14 -> 18 -> 20 tasks (its "
       "maximum); each step is an `UpdateService` by the autoscaling service role. Average "
       "`TargetResponseTime` goes above 1 s and ELB 5XX reach thousands per minute. Lobby CPU rises "
       "to 75-85 % but is never pinned, memory is flat, and no downstream errors appear. The lobby "
       "logs show per-task rps rising with queue wait and `handler deadline exceeded`. New tasks "
       "start the same version (2.41.3, commit 9c1e2aa) as the old ones. The decoys are the profile "
       "service deploy 60 s before onset (profile stays healthy), a patch-notes Lambda deploy, and "
       "the daily 17:00 JST login-bonus spike (1.55x, handled, though it briefly tripped the profile "
       "CPU alarm). `platform ticket rejected` errors run at the same rate all day.",
    2: "Derby kick-off is at -2400 and the first goal, at -2220, sends a wave of app opens. "
       "fixture-feed concurrency climbs towards 900. Every execution environment opens its own "
       "Postgres connections (no proxy), so `scores-pg` DatabaseConnections pins at 400-405 against "
       "`max_connections` 410. From that minute only, the Postgres log shows `sorry, too many "
       "clients already` and `remaining connection slots are reserved`, and the function fails with "
       "the same message (SQLSTATE 53300) after client retries, which in turn inflate invocations "
       "and duration. RDS CPU stays at 45-75 %. The afternoon match (3x traffic) peaked at ~180 "
       "connections without errors. The decoys are a goal-alerts configuration change 60 s before "
       "onset and a fixture-feed deploy 4 h earlier (before the healthy afternoon match). "
       "Stale-odds warnings and 4XX validation errors run at a steady rate.",
    3: "The summer-event push goes out at -1800 and inbox-sync demand rises ~8x. "
       "`ConcurrentExecutions` flattens at the reserved concurrency of 100, and `Throttles` reach "
       "15-24k per minute. API Gateway execution logs show `Lambda invocation failed with status: "
       "429` followed by status 500. The function's own Errors (~0.4 %) and Duration do not change, "
       "and throttled requests never reach it. The morning push (1.6x) peaked at ~95 concurrent "
       "executions with no throttles. The decoys are an avatar-resize deploy 60 s before onset and "
       "the nightly ETL on inbox-db (CPU alarm that fired and recovered during the incident "
       "window). Expired-token warnings, cursor errors and 401s run all day.",
    4: "From -2400 ws-1's CPU climbs to 99-100 % and stays there, while ws-2 stays at ~42 %. The "
       "ALB sees +6 % requests and +14 % connections, so this is not a surge. ws-1's logs show one "
       "room (`r_88412`, ~41k members) whose broadcasts take 0.7-1.2 s, event-loop lag of 1.2-2.8 s "
       "and slow presence calls. Its NetworkOut triples. Half the ALB's requests land on ws-1, so "
       "average `TargetResponseTime` is ~1.3 s. The decoys are a presence-digest deploy 60 s "
       "before onset and the daily reward-reset peak (1.7x, both nodes ~70 % and back). "
       "`jwt expired` errors appear on both nodes all day.",
    5: "The weekend cup opens at -3600 (+40 % traffic). The standings service keeps whole brackets in "
       "heap (`Loaded bracket ... entries` grows), and `MemoryUtilization` ramps from 54 % to 98 % "
       "by -1520. Then come long G1 pauses, `java.lang.OutOfMemoryError: Java heap space` and "
       "`Terminating due to java.lang.OutOfMemoryError` (ExitOnOutOfMemoryError). Replacement tasks "
       "start the same v4.12.1 and refill, so memory saw-tooths between 58 % and 99 % every ~8 min "
       "with unhealthy hosts and ELB 502/503 bursts. The decoys are a chat service deploy 40 s "
       "before the first OOM (chat memory actually drops), a standings deploy 4.5 h earlier "
       "(memory flat for hours afterwards) and a 1.8x quest-reset peak. Avatar-404 warnings run "
       "at a steady rate.",
    6: "At -1800 catalog-read logs a Redis reconnect with `dbsize=0`, and the app's own "
       "`Storefront/CatalogCacheHitRate` falls from ~96 % to ~7 % and only recovers to ~28 %. Every miss goes to "
       "`shop-mysql-01`: ReadIOPS rise ~20x, CPU pins at 98-100 % from about -1650, ReadLatency "
       "rises 25x and the slow-query log fills. Function duration goes from 48 ms to ~3.4 s, ~7 % "
       "of calls fail with MySQL error 3024 (statement time exceeded), and the API latency alarm "
       "fires. Connections are ~260 of 1000 and traffic is normal. The decoys are a receipt-mailer "
       "deploy 60 s before onset and the 2.2x flash sale at -10800, served from a warm cache with "
       "the DB at ~50 % CPU. Price-missing warnings run at a steady rate.",
    7: "notif-fanout v57 is published at -2700 (code update, version, alias). From that moment ~9 % "
       "of batches fail with a signature never seen before: `NoMethodError: undefined method "
       "'locale' for nil:NilClass` in render.rb. At normal volume that is ~30 errors per minute, "
       "below the threshold of 50. The 18:00 AEDT campaign at -2100 multiplies volume 10x, and the "
       "alarm fires at ~-1955. The error ratio changes at the deploy, not at the campaign. The 3x "
       "morning digest on v56 produced no such errors. The decoys are a digest-builder "
       "configuration change 60 s before the campaign and the campaign itself. EndpointDisabled "
       "warnings and rare InvalidParameter errors run all day.",
    8: "At -1980 a user changes odds-quote's environment (`UpdateFunctionConfiguration`). From the "
       "next minute, in-play quotes fail with `Failed to convert configuration value at "
       "'OddsFeed:InPlayMaxStaleness' to type 'System.TimeSpan'` (`'1500ms'`), which is ~60 % of "
       "requests during the matches. The decoys are the pre-kick-off traffic ramp (3.2x, complete about 12 min before the change), a "
       "bet-settlement deploy 30 s after it (closest to the alarm), and an odds-quote code deploy "
       "4 h earlier, after which the in-play-heavy early match ran clean. Late-delta warnings and "
       "409 suspended markets run all day.",
    9: "secops-automation rewrites the sender role's inline policy at -2400 (`PutRolePolicy`). From "
       "-2390 essentially every invocation fails with `AuthorizationErrorException ... is not "
       "authorized to perform: SNS:Publish ... because no identity-based policy allows the "
       "SNS:Publish action`. It starts at transactional volume, before the 15x win-back campaign "
       "begins at -2100. The decoys are a scheduler deploy 30 s after the IAM edit, the campaign "
       "itself and a sender configuration change 4 h earlier. EndpointDisabled and "
       "InvalidParameter errors run at their usual rate.",
    10: "After the final (-3000) clip uploads rise ~4.5x. clips-1 (100 GB root volume) climbs from "
        "~76 % to 100 % `disk_used_percent` at about -1500. From then on its nginx returns 500 for "
        "most uploads and ~30 % of page loads, and Laravel logs `No space left on device` (errno 28 "
        "on chunk writes, session files). clips-2 (200 GB) reaches 59 % and serves normally. The "
        "decoys are an ALB attribute change (idle timeout) 2 min before onset and the 2x afternoon "
        "peak. PHP deprecation warnings, 413s and a nightly EBS snapshot appear as usual.",
    11: "The 10:00 on-sale (-2400) brings 5x traffic, served normally for 15 minutes. At -1500 "
        "tix-primary's log shows a backend killed by signal 11 (segmentation fault) while running "
        "`seat_map_v2`, followed by reinitialisation and crash recovery. This repeats every 3-5 "
        "minutes. DatabaseConnections drops to 0 at each crash. CPU is 35-60 %, memory and storage "
        "are ample, and connections are far below 1700. Rails logs `the database system is in "
        "recovery mode`, `server closed the connection unexpectedly` and `Connection refused`, and "
        "the ALB counts target 5XX. The decoys are a waiting-room deploy 60 s before onset, the "
        "on-sale surge, a checkout scale-up and the presale peak. A scanner produces RoutingError "
        "FATALs all day.",
    12: "A Pinpoint reminder at -5400 drives registrations, and the weekend cup grows from 12k to "
        "~51k entries. standings-rebuild loads them in ~0.5 s without database errors and then "
        "computes pairwise tiebreakers. Its Duration climbs from 2.4 s to the 60 s timeout, and from "
        "about -1800 every run ends `Task timed out after 60.00 seconds`. Invocations stay at ~4 per "
        "minute. The decoys are a registration-api configuration change at -1900, 4.5x API traffic "
        "and the daily database export at -2700 (CPU 80 %, a read-latency alarm that fired and "
        "recovered). Duplicate-name warnings run at a steady rate.",
    13: "In the derby's second half (-1560) a goal push lifts the public live-score site from ~11k "
        "to ~85k requests per minute, with further spikes at each goal. The three instances "
        "behave identically: ~85 % CPU, Kestrel heartbeat / thread-pool-starvation warnings, "
        "`TargetResponseTime` of 5-14 s and ELB 5XX. The ASG launches two more instances (-1150, "
        "healthy at -800); they help but not enough. There is no deploy and no dependency error. "
        "The afternoon match (2.2x) was served in under 0.45 s. The decoys are a sitemap-builder deploy "
        "40 s before onset and the scale-out `RunInstances`. Crest-404 errors run all day.",
    14: "The banner opens at -2100. Clients arrive in sync and exceed the stage limit (2000 rps, "
        "burst 4000). The access log shows `429 Too Many Requests`, and because clients retry "
        "immediately, `Count` reaches ~220k per minute against ~95k of real demand. 4XXError is "
        "~106k per minute. The backend function is capped at ~118k invocations per minute with "
        "normal errors and duration. The decoys are an inventory-read deploy 2 min before onset "
        "(build 3.9.1, no new errors), the daily 19:00 KST peak (2x, no 429s) and the steady 1.5 % "
        "of 401s inside the same 4XX metric.",
    15: "Game 7 goes to double overtime at -2000. From then on fixture-card panics with `runtime "
        "error: index out of range [5] with length 5` in `renderPeriods`, only for that game's card "
        "(~45 % of requests). fixture-card has no change in the window. Stats-provider timeouts "
        "run at the same rate as before, and latency and duration are flat. The decoys are a "
        "standings-feed deploy 100 s before onset, game-night traffic, an afternoon game peak and "
        "a stage update 3 h earlier.",
    16: "With the DLC release (-2700), presence-api autoscales from 10 to 28 tasks (five "
        "`UpdateService` calls by the autoscaling role). Each task keeps an SQLAlchemy pool of up "
        "to 40 connections. social-mysql DatabaseConnections reaches `max_connections` (1000) "
        "around -1800 and stays pinned. Newly started tasks fail with `(1040, 'Too many "
        "connections')`, and the caller friend-suggest gets `ER_CON_COUNT_ERROR: Too many "
        "connections` on ~45 % of invocations, which is where the alarm fires. Database CPU is "
        "~65 %. The evening peak (16 tasks, ~700 connections) was fine. The decoys are the "
        "autoscaling events, a presence CPU alarm that fired during scale-out and recovered, and a "
        "friend-suggest deploy 3 h earlier. EAI_AGAIN and websocket-1006 warnings run at a steady "
        "rate.",
}

NOTES = """## Judgement notes
- **01 and 13, `traffic_surge`.** Latency and 5XX come from volume alone: there are no errors downstream, no change to the serving code, and CPU is high but never pinned. In 01 the surge lands on one ECS service behind the ALB, so both the service and the ALB are accepted. In 13 all targets are identical, so only the ALB (the entry point) is accepted. Autoscaling `UpdateService`/`RunInstances` events are capacity responses, not deployments.
- **02 and 16, `db_connection_exhaustion` rather than `traffic_surge`.** A surge (02) or a scale-out (16) is the trigger, but the fault is an explicit one: connections sit at `max_connections` and the errors say `too many clients` / `Too many connections`. `traffic_surge` requires that no other fault be present. The origin is the database; the alarm is on a caller.
- **03 and 14, `throttling`.** Throttles/429s are explicit and more specific than a surge. In 14 real demand stays below the stage limit; synchronised starts and immediate retries push requests over it. The origin is the throttling resource: the function with reserved concurrency (03) or the API stage (14).
- **04, `cpu_saturation`, not `traffic_surge`.** Total volume is normal (+6 %); one instance is
  pinned by one very large room while its twin is idle, so the origin is that instance.
- **06, `cpu_saturation` on the database, not `dependency_failure`.** The cache is empty, not failing, and it is not a resource in the account. The database is itself exhausted (CPU pinned), so the dependency rule (which requires a dependency that is *not* exhausted) does not apply.
- **07, `bad_deployment` even though the alarm fires with the campaign.** The error ratio and the new signature begin at the release, 10 min before the campaign.
- **09, resource.** The IAM role is not one of the resource types, so the answer is the function whose permissions were cut.
- **10, `storage_exhaustion`, not `config_change`.** The ALB attribute change 2 min before onset
  does not explain 500s that come from one target only, each logging `No space left on device`
  while its disk metric reads 100 %.
- **11, `dependency_failure`.** The database is crash-looping (segfault and recovery), not exhausted: CPU, memory, storage and connections are all far from their limits. There is no change to it in CloudTrail.
- **12, `function_timeout`.** Invocation volume is flat and there are no dependency errors; each run does more work until it hits the configured 60 s.
- **15, `application_error`.** The exception is triggered by data (a fifth period). No change precedes it on this function, and no resource or dependency is at fault.
- `unknown` is not used; each scenario has a decidable answer.
"""


def render(built) -> str:
    rows = ["| file | region | alarm | intended category | accepted resources | alarm on origin or "
            "front | decoys |", "|---|---|---|---|---|---|---|"]
    cats, svcs = Counter(), Counter()
    for sc in built:
        rc = sc.expect["root_cause"]
        cats[rc["category"]] += 1
        for r in sc.resources:
            svcs[r["type"]] += 1
        res = ", ".join(f"`{r}`" for r in rc["resource"])
        rows.append(f"| {sc.name}.yaml | {sc.region} | `{sc.expect['alarm']}` | `{rc['category']}` | "
                    f"{res} | {sc.meta['front']} | {sc.meta['decoys']} |")
    cov = ["## Coverage",
           "- Categories (12 of 13): " + ", ".join(f"`{c}` x{n}" for c, n in sorted(cats.items())),
           "- Resource types (count of resources declared): "
           + ", ".join(f"{t} x{n}" for t, n in sorted(svcs.items())),
           "- Regions: " + ", ".join(sorted({sc.region for sc in built})),
           "- Stacks and log styles: " + "; ".join(f"{sc.num:02d} {sc.meta['services']}"
                                                    for sc in built),
           "- Alarm placement: " + ", ".join(f"{sc.num:02d} {sc.meta['front'].split(' ')[0]}"
                                             for sc in built)]
    parts = [INTRO, "\n".join(rows), "", "\n".join(cov), "", NOTES,
             "## Scenarios"]
    for sc in built:
        parts.append(f"**{sc.name}** ({sc.description}) {STORIES[sc.num]}\n")
    return "\n".join(parts)
