"""Render benchmarks/scenarios_holdout69/README.md from the built scenarios' metadata."""
from __future__ import annotations

from collections import Counter

TITLE = "# Holdout set 69 - B2B multi-tenant SaaS: partner integrations, webhooks and tenants"

INTRO = """\
Sixteen incidents in a fictional B2B SaaS that lives on its integrations: inbound and outbound
webhooks, OAuth token refresh, payment / CRM / e-mail partners, per-tenant quotas, noisy-neighbour
tenants, retries, circuit breakers and secrets rotation. The set was written independently of the
bot: its author read only the scenario format, the four public examples and the generic helper
modules (metric series, runtime log formats, YAML dumping), never the analyzers, handlers, tests or
other hold-out sets, and did not run the bot on these files. Each label is what a senior SRE would
conclude after reading all the evidence, applying the format's category table and tie-break rules
as written. The files are produced by `python -m benchmarks.holdout69_gen` (seeded, deterministic);
alarm states, reasons and `state_changed` are computed from the series in the file. Six hours of
one-minute metrics; logs cover the last four hours so that every pre-existing error pattern has a
long visible baseline. Regions: ca-central-1, us-east-1, ap-northeast-1, sa-east-1."""

JUDGEMENT = """\
- **h69-01, h69-03 (external partner):** the partner (payment API, CRM API) is not a resource of the
  account, so the origin is the in-account caller that talks to it (`charge-intent`,
  `contact-mirror`), as the format prescribes. h69-03 is `throttling`, not `dependency_failure`:
  the partner answers, but with 429 rate-limit responses, which the table lists under throttling.
- **h69-04 (secret rotation):** the fault is a setting (`HOOK_SIGNING_KEY_ID`) pointing at a key that
  is not in the keyring; the Secrets Manager write and the function configuration update are
  both configuration changes, and the errors name the setting. The origin is the function whose
  configuration was changed (`hook-verifier`); the secret itself is not one of the six resource
  types. The hook-router code deploy sits *after* the config change and on the downstream side.
- **h69-05:** the IAM role and policy are not resource types of the format; the denied principal
  is the task role of `integrations/token-broker`, so that ECS service is the origin.
- **h69-10 (traffic surge origin):** the surge enters through the ALB and lands on the ECS service;
  both name the same place, so both are accepted. The autoscaling `UpdateService` on the receiver
  comes three minutes *after* onset (a reaction), so it is not a config-change trigger.
- **h69-11:** a new error signature with no change to the function: the trigger is data from a
  newly onboarded tenant, which is `application_error`. The only change near onset is the deploy of
  a different, downstream function.
- **h69-13:** the impaired EC2 instance is not exhausted (its CPU was 17 % before its metrics stopped
  and its system status check failed), so callers see a `dependency_failure`, and since it is a
  resource in the account it is the origin. The steady per-tenant 429 quota warnings are bait for
  `throttling`.
- **h69-14:** the throttled resource is `partner-push` (reserved concurrency 20, ConcurrentExecutions
  pinned at 20, Throttles ~150 a minute). Demand rose because one tenant started a full resync,
  which could be read as `traffic_surge`; but the table's throttling row ("concurrency limits")
  is the more specific trigger and the surge itself is moderate (orchestrator invocations ~2.4x).
  The orchestrator is the caller, not the origin.
- **h69-15:** errors look like a dependency outage (DNS `no such host` for the SMTP relay), but the
  host name in the error is the value just written to an SSM parameter that the service loads, the
  config change is minutes before onset and the old tasks loaded the correct `.com`. The table
  gives `config_change` for "errors naming a missing/invalid setting", and a config change beats
  the forced redeploy that followed it.
- **h69-16:** a `ModifyDBInstance` on the reporting read replica falls between the deploy and
  the first errors. The console does not read from the replica, the primary database is flat, and
  the new error is a missing PHP class in the freshly deployed build, so `bad_deployment` wins.
- **h69-02, h69-08:** alarms fire on the callers (ALB, Lambda); the origins are the databases,
  whose own metrics (connections at the limit, free storage at zero) and logs show the fault."""


def _row(sc) -> str:
    e = sc.expect
    res = ", ".join(f"`{r}`" for r in e["root_cause"]["resource"])
    return (f"| `{sc.name}.yaml` | {sc.region} | `{e['alarm']}` | {e['root_cause']['category']} | {res} | "
            f"{sc.meta.get('alarm_on', '')} | {sc.meta.get('decoys', '')} |")


def render(built: list) -> str:
    out = [TITLE, "", INTRO, "", "## Scenarios", "",
           "| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |",
           "|---|---|---|---|---|---|---|"]
    out += [_row(sc) for sc in built]
    cats = Counter(sc.expect["root_cause"]["category"] for sc in built)
    rtypes = Counter(r["type"] for sc in built for r in sc.resources)
    regions = Counter(sc.region for sc in built)
    fronts = sum(1 for sc in built if sc.meta.get("alarm_on", "").startswith("front"))
    out += ["", "## Coverage", "",
            "**Categories** (12 of 13; `unknown` is not used): " +
            ", ".join(f"{c} x{n}" for c, n in sorted(cats.items())) + ".", "",
            "**Resource types present:** " + ", ".join(f"{t} ({n})" for t, n in sorted(rtypes.items())) +
            ". **Regions:** " + ", ".join(f"{r} x{n}" for r, n in sorted(regions.items())) + ".", "",
            f"**Alarm on a front resource** (origin behind it): {fronts} of {len(built)} scenarios.", "",
            "**Services and runtimes:** " + "; ".join(f"h69-{sc.num:02d}: {sc.meta.get('services', '')}"
                                                    for sc in built) + ".", "",
            "**Log styles:** Lambda runtime lines for Python, Node.js, Ruby, Java, .NET and Go "
            "(provided.al2023, logfmt); Spring Boot, Serilog compact JSON (CLEF), pino JSON, zap JSON, "
            "Go slog text, Rails, Laravel, PHP-FPM, nginx access logs, PostgreSQL and MySQL error logs, "
            "Python `logging`.", "",
            "## Judgement notes", "", JUDGEMENT, "", "## The incidents", ""]
    for sc in built:
        out += [f"**{sc.name}** - {sc.meta.get('story', '')}", ""]
    return "\n".join(out).rstrip() + "\n"
