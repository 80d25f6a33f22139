"""README.md for scenarios_holdout76: the table comes from the built scenarios (their expect and
meta), the stories and judgement notes are written by hand."""
from __future__ import annotations

INTRO = """\
# Held-out set 76: media and news publishing

Sixteen incidents at a news publisher: WordPress, Drupal and plain PHP CMS fleets on EC2 behind
ALBs, image-rendering Lambdas, breaking-news and election-night traffic, a live-blog API,
wire-agency ingest, print-edition composition, comment moderation and partner syndication.
Deploys and edits happen at odd hours, as they do in newsrooms.

## How it was written

The set was written without reading the bot's analyzers, handlers or tests, and without running
the bot on these files. Only the scenario format, its four public examples and the shared
holdout57 helpers (series, Lambda log emulation, log-line builders, YAML dumping) were used.
`python -m benchmarks.holdout76_gen` rebuilds every file deterministically (one seeded rng per
scenario). Each story was planned first (onset time, origin, the change or fault that causes it,
decoys). Alarm states and reasons are then computed from the generated series, so they match the
data. Each label is what a senior SRE would conclude after reading all the metrics, logs and
CloudTrail events, with the category table's tie-break rules applied as written. Every
scenario has decoys: a change to some other resource close to the onset, errors or warnings
that ran at the same rate for hours before it, benign spikes elsewhere, and extra alarms. In
nine of the sixteen the paging alarm sits on a front resource (ALB, API Gateway, a calling
Lambda), with the origin behind it; in two more it sits on an ALB that is itself the origin. Logs are sparse (a few events per minute per stream); in
h76-09 the Lambda stream is an explicit sample of the invocations.
"""

STORIES = {
    1: "The WordPress pair `wp-front-a/b` behind `pub-www` serves a normal evening peak. About 30 "
       "minutes ago the ALB's target 5XX count jumps from under 1/min to about 85/min. At the same "
       "time both hosts' PHP error logs start writing `mysqli_real_connect(): (HY000/1040): Too "
       "many connections` and the nginx logs show fast 500s. `edit-mysql-2`'s DatabaseConnections "
       "has climbed from ~130 to its `max_connections` of 400 and stays flat there. Host CPU falls "
       "because requests now fail fast. The `img-derivs` configuration update 150 s before onset "
       "sits off the request path and its function shows no errors. The PHP deprecations, the "
       "`lead_image` warnings and MySQL's 'Aborted connection' notes run at the same rate for six "
       "hours, and the newsletter traffic bump 3.5 h earlier caused no errors. Origin: the "
       "database, connection exhaustion.",
    2: "`pic-variants` (Python 3.12, 1024 MB) cuts image variants for the photo desk. From about "
       "42 minutes ago roughly a third of invocations end in `Runtime exited with error: signal: "
       "killed`, with REPORT lines `Max Memory Used: 1024 MB` and `Error Type: "
       "Runtime.OutOfMemory`. Each of those invocations logged a 16-bit TIFF of roughly 360-900 MB just "
       "before it died, and LambdaInsights memory_utilization sits at 100 %. `og-card-render` "
       "was deployed two minutes before onset and briefly ran slower from cold starts, but it "
       "never errors. `photo-desk-api`'s 4XX alarm has been in ALARM all day. The rare "
       "`UnidentifiedImageError` (HEIC) errors run at the same low rate for hours, and the last "
       "deploy of `pic-variants` is 4.7 h old, with clean runs since. Memory exhaustion in the "
       "function.",
    3: "Election night: a push alert goes out and `fp-edge`'s RequestCount rises from ~1,100/min to "
       "~9,500/min within a few minutes. Nearly all of the new traffic goes to the results live "
       "page and `/api/results/*`. TargetResponseTime goes from 0.11 s to 1.9 s, with 504s, "
       "nginx `upstream timed out` errors and php-fpm `pm.max_children` warnings. The four web "
       "hosts run at about 70 % CPU (busy, not pinned), memory is fine and the Postgres reader "
       "stays healthy. No deploy touched the web path. The `alerts-fanout` deploy three minutes "
       "earlier produced the push burst, not a fault. Traffic surge, which arrives at the ALB.",
    4: "At 01:03 `github-actions-deploy` registers `article-ssr:214` and updates "
       "`web-prod/article-ssr`. As the new tasks (release `2026.06.18-0102-7f3c1e9`) replace the "
       "old ones, a new pino error appears, `SSR render failed`, `TypeError: Cannot read "
       "properties of undefined (reading 'displayName') at Byline`, and ALB target 5XX rises to "
       "~120/min. Only tasks of the new release log it. `n.weber`'s configuration update to "
       "`push-notify` during the roll-out is closer to the alarm but touches an unrelated "
       "function with no errors. The ad-server `ECONNRESET` warnings were there all night. Bad "
       "deployment of the ECS service.",
    5: "`h.tanaka` updates `feed-syndicate`'s configuration (environment variables). Within "
       "seconds ~86 % of invocations fail with `Invoke Error` `RangeError: FEED_PAGE_SIZE must be "
       "an integer between 1 and 500 (got \"50 items\")`, code `ERR_INVALID_CONFIG`, and "
       "`partner-feeds` returns 502s. The `UpdateStage` on the alarming API 150 s earlier changed "
       "nothing that fails: no errors appear until the Lambda configuration changed. The "
       "function's own code deploy was 4.9 h earlier with clean runs since, and the 403 "
       "API-key rejections and unknown-feed warnings are chronic. Configuration change on the "
       "function.",
    6: "`terraform-cloud` rewrites the inline policy of `publishing-fn-role`. From the next "
       "invocation on, every `sitemap-publish` run fails with `Aws::S3::Errors::AccessDenied ... "
       "is not authorized to perform: s3:PutObject ... because no identity-based policy allows "
       "the s3:PutObject action`. The function's own deploy 20 minutes before the policy change "
       "was followed by 20 minutes of successful uploads. The `rss-build` deploy 30 s before the "
       "policy change only caused a cold-start duration blip. S3 `SlowDown` retry warnings are "
       "chronic and never fail a run. Permission denied.",
    7: "The archive team starts a drush migration of 412,880 print-archive items on "
       "`cms-media-01` 90 minutes ago. CWAgent `disk_used_percent` on `/` climbs "
       "from 81 % to 100 %. At that moment PHP logs `file_put_contents(...): Failed to open "
       "stream: No space left on device` (image styles, sessions, uploads), the drush migration "
       "starts failing on writes, and `cms-editorial` returns 500s on saves and image "
       "derivatives. The `ads-gw` attribute change two minutes earlier is on a different load "
       "balancer. The backup CPU spike on `cms-jobs-01` (and its alarm) cleared before onset, "
       "and the Drupal deprecations are old noise. Storage exhaustion on the instance.",
    8: "Only `rank-02` of the two trend-ranker instances logs `Starting full trending recompute "
       "for 412118 articles (window=30d, parallelism=8)`. Its CPU goes to ~100 % and stays "
       "there, HikariCP reports `Thread starvation or clock leap detected`, request times on "
       "that host go to 2-5 s, and the internal ALB's average latency rises above 1.4 s. "
       "`rank-01` stays at ~40 %, and request volume follows its normal morning curve. The "
       "`newsroom/headline-api` deploy two minutes before onset changes nothing on its own "
       "metrics. CPU saturation on `rank-02`.",
    9: "A live TV debate brings 1.55x the usual comment volume. `comment-gate` (Go, reserved "
       "concurrency 40, ~9 s per comment because of the moderation model) reaches 40 concurrent "
       "executions and stays there. Throttles go from 0 to ~50/min, and API Gateway logs "
       "`Lambda invocation failed with status: 429` / `Rate Exceeded`. Duration is unchanged "
       "and function errors stay at their usual trickle (an occasional `moderation model call "
       "failed ... context deadline exceeded`, hours old). The `PutFunctionConcurrency` on `comment-digest` two "
       "minutes before onset is another function's limit, and its metrics are flat. The 4XX "
       "from expired session tokens is chronic. Throttling at the function's concurrency limit.",
    10: "The Sunday run of the print composer brings special sections of 44-72 pages, where "
        "weekday sections have 8-16. `edition-compose` (.NET 8, timeout 120 s) starts ending in "
        "`Task timed out after 120.00 seconds`: its page-layout log lines simply stop partway. "
        "Duration averages ~110 s against a 52 s baseline. Asset fetches from S3 take their "
        "usual ~1 s, and the logs show no dependency errors at all. The `edition-pg` CPU spike "
        "(alarm fired and cleared) ended about 8 minutes before onset, the `push-alerts` "
        "configuration update 80 s before onset touches another function, and the "
        "font-fallback warnings are chronic. Function timeout.",
    11: "Kernel messages on `os-data-1` show `nvme1: I/O timeout`, an XFS metadata I/O error and "
        "a blocked `opensearch` task. Then its logs and CWAgent metrics stop, StatusCheckFailed "
        "goes to 1 and NetworkIn collapses. From that minute `related-svc` (ECS, Python) logs "
        "`ConnectionTimeout ... HTTPConnectionPool(host='10.40.3.17', port=9200): Read timed "
        "out`, and 10.40.3.17 is `os-data-1`'s private IP. It answers 503, and `recirc-int` "
        "target 5XX jumps. The `related-svc` deploy 20 minutes earlier was followed by clean "
        "traffic. The `newsletter-build` configuration change comes 60 s before onset. The "
        "OpenSearch slow-query warnings on both nodes are chronic. Dependency failure; the "
        "origin is the search node.",
    12: "An editor publishes entry 9008 to live blog 88213 with an Instagram embed. From then on, "
        "about 30 % of `lb-api` requests (those for that live blog) log `Attempt to read "
        "property \"url\" on null` in `OEmbedNormalizer.php:88`, and `live-pub` target 5XX "
        "rises to ~240/min. No deploy or configuration change touched `lb-api` (its image tag "
        "dates from 29 November). The only change near onset is a deploy of `live/push-gw`, 60 "
        "s earlier, whose metrics are flat. The `live-mysql` CPU spike ended 13 minutes earlier, "
        "and the CSRF-mismatch errors and Redis cache misses ran at the same rate for hours. "
        "Application error in the live-blog API.",
    13: "At 01:29 `deploy-bot-media` updates `img-render`'s code, publishes version 58 and moves "
        "the alias. START lines switch from `Version: 57` to `Version: 58`. About two-thirds of "
        "invocations then fail with `AttributeError: module 'PIL.Image' has no attribute "
        "'ANTIALIAS'` (the constant was removed in Pillow 10), and `img-edge-api` returns 5XX. "
        "`c.martin`'s configuration update to `og-card` five seconds before the alias move is "
        "the closest change, but `og-card` is healthy. The `NoSuchKey` 404 warnings are "
        "chronic. Bad deployment of the function.",
    14: "The results channel of the wire feed starts delivering 380-460 MB NewsML-G2 items. Each "
        "`ingest-worker` task (Java 21, -Xmx3g) logs `Parsing item results-sg2026-...`, then "
        "`GC overhead: 97%`, then `java.lang.OutOfMemoryError: Java heap space` in the DOM "
        "parser, and restarts in a new log stream every 7-10 minutes. MemoryUtilization "
        "averages ~97 %, and RunningTaskCount dips as tasks die. CPU is high because of GC "
        "(its own alarm). The `photo-sync` deploy 90 s before onset is another service. The "
        "`ingest-worker` deploy five hours earlier was followed by flat memory for four hours. "
        "Memory exhaustion.",
    15: "`content-pg-03`'s FreeStorageSpace falls in a straight line from 41 GB to ~60 MB. Its "
        "low-storage alarm fires first. Fifteen minutes later Postgres logs `could not extend "
        "file \"base/16401/91822.3\": No space left on device`, and ~93 % of `article-save` "
        "(Java 21 Lambda) invocations fail with the same `PSQLException`. CPU, connections and "
        "read latency are normal. The `ModifyDBInstance` on `analytics-pg` 90 s before onset is "
        "the wrong database. `article-save`'s deploy was 2.5 h earlier with clean saves since, "
        "and the frequent-checkpoint warnings are chronic. Storage exhaustion on the database.",
    16: "`j.choi` modifies a listener rule on `kr-www`. From that second about 31 % of requests "
        "(everything under `/api/`) are answered by the load balancer itself: HTTPCode_ELB_5XX "
        "jumps to ~1,200/min while target 5XX stays under 1/min. The three web hosts' access "
        "logs lose every `/api/v2/...` line, and their CPU drops by a quarter. Health checks "
        "keep passing. The SSM `SendCommand` deploy to the web hosts two minutes earlier and the "
        "`kr-thumb` deploy 20 s later produce no new errors anywhere. The PHP `Allowed memory "
        "size ... exhausted` fatals from the sitemap exporter and the `$adSlot` warnings ran "
        "all morning. Configuration change on the ALB.",
}

NOTES = """\
- **h76-03 (traffic_surge, ALB).** The web hosts run hot (~70 % CPU) and php-fpm hits
  `pm.max_children`, but neither is a fault of its own: both follow a ninefold rise in
  requests that has nothing else behind it. The label names the load balancer where the surge
  arrives. The hosts are not accepted, because none of them is saturated or broken.
- **h76-04, h76-13 (bad_deployment despite a nearer config change).** "A config change beats a
  deployment" applies when both explain the same fault. Here the nearer configuration update
  is on a different, healthy function, and the new error signature appears only on the
  deployed release/version.
- **h76-06 (permission_denied, not config_change).** The trigger is an IAM policy rewrite, but
  the errors are AccessDenied and the category table has a row for exactly that. The function
  is the origin among the account's resources, and the role name is accepted too.
- **h76-09 (throttling, not traffic_surge).** Demand rises only 1.55x, which is not "far above
  its usual level". The binding fault is the reserved-concurrency ceiling: ConcurrentExecutions
  stays flat at 40, there are throttles, and nothing else fails.
- **h76-10 (function_timeout).** The sections got bigger (content, not code), and there is no
  deploy, dependency error or resource limit other than the configured timeout.
- **h76-11 (dependency_failure, origin the EC2 node).** The search node failed; it is not
  "exhausted". A reader might call the node's own failure "unknown", but the paging service
  sees timeouts from a downstream dependency that is a resource in the account, so the
  category table and the origin rule point at the node.
- **h76-12 (application_error).** Publishing a live-blog entry is editorial content, not an
  AWS deployment or configuration change. No CloudTrail event touches `lb-api`.
- **h76-14 (memory_exhaustion over cpu_saturation).** CPU rises because of GC thrash, while
  the OOM errors and memory near 100 % come first and decide.
- **h76-16 (config_change on the ALB).** CloudTrail names the listener-rule ARN, which
  contains the load balancer's id. The accepted resources are the ALB id and its name.
"""


def _row(sc) -> str:
    rc = sc.expect["root_cause"]
    res = ", ".join(f"`{r}`" for r in rc["resource"])
    return (f"| {sc.name}.yaml | {sc.region} | `{sc.expect['alarm']}` | {rc['category']} | {res} "
            f"| {sc.meta['front']} | {sc.meta['decoys']} |")


def render(scs: list) -> str:
    out = [INTRO, "## Scenarios", "",
           "| file | region | alarm | intended category | accepted resources | "
           "alarm on origin or front | decoys |", "|---|---|---|---|---|---|---|"]
    out += [_row(sc) for sc in scs]
    cats: dict = {}
    for sc in scs:
        cats.setdefault(sc.expect["root_cause"]["category"], []).append(f"{sc.num:02d}")
    types: dict = {}
    for sc in scs:
        for r in sc.resources:
            types.setdefault(r["type"], set()).add(f"{sc.num:02d}")
    out += ["", "## Coverage", "",
            "Categories (12 of 13; `unknown` is not used): " + "; ".join(
                f"{c} ({', '.join(v)})" for c, v in sorted(cats.items())) + ".", "",
            "Resource types present: " + "; ".join(
                f"{t} ({len(v)} scenarios)" for t, v in sorted(types.items())) + ".", "",
            "Regions: " + ", ".join(sorted({sc.region for sc in scs})) + ".", "",
            "Runtimes and log styles:", ""]
    out += [f"- {sc.name}: {sc.meta['runtime']}; {sc.meta['logs']}; services "
            f"{sc.meta['services']}" for sc in scs]
    out += ["", "## Judgement notes", "", NOTES, "## Stories", ""]
    for sc in scs:
        out += [f"**{sc.name}.** {STORIES[sc.num]}", ""]
    return "\n".join(out)
