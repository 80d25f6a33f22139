"""README.md for scenarios_holdout84, rendered from the built scenarios' expect and meta."""
from __future__ import annotations

from collections import Counter

TITLE = "# Held-out set 84: insurance claims processing"

INTRO = (
    "Sixteen incidents from an insurer's claims platform: document OCR and rendering Lambdas, legacy "
    "SOAP adapters on EC2 in front of the policy-admin mainframe, the claims workflow and rules "
    "engines on ECS, nightly settlement batches and the databases behind them, all run under strict "
    "change windows. The set was written independently of the bot's analyzers: only the scenario "
    "format, its four public examples and the shared generator helpers (`holdout57_gen.common`, "
    "`holdout57_gen.runtimes`, `holdout_writer`) were read. Each label is what a senior SRE would "
    "conclude from all the evidence in the file, applying the format's category table and tie-break "
    "rules as written; the bot was never run on these files. Everything is produced by "
    "`python -m benchmarks.holdout84_gen` from fixed seeds (six hours of one-minute metrics, "
    "invocation-level Lambda logs for the last two to three hours, sparse server logs for up to six).")

JUDGEMENT = [
    ("h84-01", "The larger inputs are a change in the mix of documents, not in request volume (invocations are "
     "flat), and nothing was deployed or reconfigured on the function: the fault is the memory limit, so "
     "`memory_exhaustion` on the function."),
    ("h84-02", "The CPU is consumed by a cron job on the same host, not by the bridge's own traffic; the "
     "origin is still the saturated instance (the table's wording: 'the saturated instance'), and request "
     "volume is flat, so it is not a surge."),
    ("h84-03", "The tie-break 'a config change beats a deployment' applies to two candidate triggers for the same "
     "fault. The configuration update here is on another function whose behaviour does not change, and the "
     "new exception is in the orchestrator's own code from the new image, so the deployment is the trigger."),
    ("h84-04", "The bad value lives in an SSM parameter, not a resource of the scenario; the fault "
     "originates in the function that reads it, so `adjudication-rules` is the origin. The error names "
     "the parameter, which also satisfies 'errors naming a missing/invalid setting'."),
    ("h84-05", "The caller's Errors alarm fired, the database is the origin. A second alarm (replica lag) "
     "is caused by a class change on the replica and is a decoy; the primary's storage is what ran out."),
    ("h84-07", "The nightly batch that leaks connections is on EC2, but following the format's own "
     "example the resource for `db_connection_exhaustion` is the database whose connection limit is "
     "reached. The batch instance is deliberately not accepted."),
    ("h84-08", "Upload volume rises with the weekday morning, about threefold from the pre-dawn level in two "
     "steps as offices open (ordinary for that hour, no spike); the decisive fault is the function "
     "pinned at its reserved concurrency of 6, with Throttles and API Gateway 429-from-Lambda errors. "
     "`throttling` beats `traffic_surge`, which requires 'no other fault'."),
    ("h84-09", "Renders of very large litigation packets run into the 120 s timeout; the logs show "
     "steady page progress and fast metadata queries (no dependency errors), so `function_timeout`, not "
     "`dependency_failure` or `traffic_surge` (volume is unchanged)."),
    ("h84-10", "RDS crash recovery after a host failure is not a change, nor exhaustion (connections "
     "drop to zero, CPU and storage are normal): the callers' errors are from a failing dependency that "
     "is a resource in the account, so the database is the origin."),
    ("h84-11", "Autoscaling's UpdateService calls come after the surge began (responses, not causes). "
     "The RDS CPU alarm rises with the traffic but CPU stays well below saturation. The surge enters "
     "at the ALB and lands on the portal service; both names are accepted."),
    ("h84-13", "The caller was deployed 5 minutes after the database CPU began to climb (a minute after it pinned) and its only new errors "
     "are SQL timeouts that the other, undeployed caller shows too, so the deploy is a decoy."),
    ("h84-15", "The release is an SSM Run Command (SendCommand on the instance) rather than a CodeDeploy or Lambda "
     "deploy event; the instance's deploy log and the bridge's start-up line show a new application version, "
     "so it is a code deployment and the instance is the origin."),
    ("h84-16", "The alarm is on the API and the API is the origin: the stage update removed the stage "
     "variable the integration URI uses. The backend deploy a minute later changes nothing visible; "
     "backend traffic dropped before it."),
]


def _cell(x) -> str:
    return str(x).replace("|", "\\|")


def render(scenarios: list) -> str:
    out = [TITLE, "", INTRO, "",
           "| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |",
           "|---|---|---|---|---|---|---|"]
    for sc in scenarios:
        rc = sc.expect["root_cause"]
        out.append(f"| {sc.name}.yaml | {sc.region} | {sc.expect['alarm']} | {rc['category']} | "
                   f"{', '.join('`' + _cell(r) + '`' for r in rc['resource'])} | {sc.meta['alarm_on']} | "
                   f"{_cell(sc.meta['decoys'])} |")
    cats = Counter(sc.expect["root_cause"]["category"] for sc in scenarios)
    types = Counter(r["type"] for sc in scenarios for r in sc.resources)
    out += ["", "## Coverage", "",
            "Categories (" + str(len(cats)) + " of 13): " + ", ".join(f"`{c}` x{n}" for c, n in sorted(cats.items()))
            + ". `unknown` is not used: every incident here has decisive evidence.", "",
            "Resource types across the set: " + ", ".join(f"{t} ({n})" for t, n in sorted(types.items())) + ".", "",
            "Regions: " + ", ".join(sorted({sc.region for sc in scenarios})) + ".", "",
            "Log styles: Lambda runtime formats (Python, Node.js, Java, .NET, Ruby), .NET JSON console, Spring Boot, "
            "log4j, log4net, Django/gunicorn, Laravel and php-fpm, Go zap JSON, nginx and Tomcat access logs, IIS W3C, "
            "PostgreSQL, MySQL and SQL Server error logs, API Gateway execution logs, syslog/cron, SSM Run Command output.", "",
            "Services and runtimes per scenario:", ""]
    out += [f"- {sc.name}: {sc.meta['services']}" for sc in scenarios]
    fronts = [sc.name for sc in scenarios if sc.meta["alarm_on"].startswith("front")]
    out += ["", f"The alarm fires on a front resource (ALB, API Gateway or a calling function) while the "
            f"origin sits behind it in {len(fronts)} scenarios: {', '.join(fronts)}.", "",
            "## Judgement notes", ""]
    out += [f"- **{k}**: {v}" for k, v in JUDGEMENT]
    out += ["", "## Scenarios", ""]
    for sc in scenarios:
        rc = sc.expect["root_cause"]
        out += [f"### {sc.name} ({rc['category']})", "", sc.meta["story"], ""]
    return "\n".join(out)
