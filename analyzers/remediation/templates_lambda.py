"""Lambda templates: alias rollback, configuration restore, concurrency, timeout, memory, storage."""
from __future__ import annotations

import logging
import re

from analyzers.rca.rules import LOG_RULES
from analyzers.remediation.facts import RemediationFacts, make_plan
from analyzers.remediation.steps import Call, Grow, Lit, Plan, Say, Step, StopIf, Var, Waiter, params

logger = logging.getLogger(__name__)

_FN = params(FunctionName=Var("FUNCTION_NAME"))
_CONFIG_READ = Call("lambda", "GetFunctionConfiguration", _FN, label="configuration now",
                    query="{timeout:Timeout,memory:MemorySize,ephemeralStorage:EphemeralStorage.Size,"
                          "version:Version,lastUpdate:LastUpdateStatus,lastModified:LastModified}")
_WAIT = Waiter("lambda", "function_updated", _FN)
_ROLLBACK_REASONS = {
    "bad_deployment": "A new version went live shortly before the errors started; the previous version did not fail.",
    "config_change": "The configuration changed shortly before the errors started; a version published before "
                     "the change carries the old settings, so serving it through the alias restores them "
                     "together with the code.",
}


def rollback_alias(facts: RemediationFacts) -> Plan:
    """Point the serving alias back at the previously published version."""
    alias = facts.str_prop("alias") or ""  # never guessed: an alias the function lacks helps nobody
    target = facts.str_prop("previous_version") or ""
    alias_params = params(FunctionName=Var("FUNCTION_NAME"), Name=Var("ALIAS"))
    return make_plan(
        facts, script_id="lambda-rollback-alias",
        title=f"Roll back alias {alias} to the previous version" if alias else "Roll back the serving alias",
        risk="medium",
        what=f"Point alias '{alias or 'ALIAS'}' of function {facts.resource.id} at version "
             f"{target or 'TARGET_VERSION'} (the version it served before the change).",
        reason=_ROLLBACK_REASONS.get(facts.category, _ROLLBACK_REASONS["bad_deployment"]),
        changes="One alias's FunctionVersion (lambda:UpdateAlias). Code and configuration are untouched.",
        constants={"FUNCTION_NAME": facts.resource.id, "ALIAS": alias, "TARGET_VERSION": target},
        prechecks=(
            Call("lambda", "ListVersionsByFunction", _FN, query="Versions[-5:].[Version,LastModified,Description]",
                 label="latest published versions"),
            Call("lambda", "ListAliases", _FN, query="Aliases[].[Name,FunctionVersion]", label="aliases"),
            StopIf("empty", "ALIAS", None, "Pre-check failed: give ALIAS, the alias callers invoke (listed above; "
                   "without one, callers invoke $LATEST and a rollback means redeploying the previous code).", 1),
            StopIf("empty", "TARGET_VERSION", None, "Pre-check failed: set TARGET_VERSION to the last good version "
                   "(listed above) and re-review.", 1),
            Call("lambda", "GetAlias", alias_params, query="FunctionVersion", capture="CURRENT_VERSION",
                 label="version the alias serves now"),
            Call("lambda", "GetFunction", params(FunctionName=Var("FUNCTION_NAME"), Qualifier=Var("TARGET_VERSION")),
                 query="Configuration.[Version,LastModified,CodeSha256]", label="target version exists"),
            StopIf("eq", "CURRENT_VERSION", Var("TARGET_VERSION"), "Alias already serves the target version: "
                   "nothing to do."),
        ),
        apply=(Call("lambda", "UpdateAlias", alias_params + params(FunctionVersion=Var("TARGET_VERSION")),
                    write=True, label="point the alias at the target version"),),
        verify=(Call("lambda", "GetAlias", alias_params, query="[Name,FunctionVersion]", label="alias after"),),
        rollback=(Call("lambda", "UpdateAlias", alias_params + params(FunctionVersion=Var("CURRENT_VERSION")),
                       write=True),),
        prerequisites=("lambda:GetAlias, lambda:GetFunction, lambda:UpdateAlias",
                       "callers must invoke the function through the alias"))


def restore_environment(facts: RemediationFacts) -> Plan:
    """Put back the environment variables the function had before the configuration change."""
    previous = facts.prop("previous_environment")
    names = sorted(str(k) for k in previous) if isinstance(previous, dict) else []
    env: dict = {}  # never the values: they are often secrets, and a script is shown in chat and in reports
    return make_plan(
        facts, script_id="lambda-restore-environment", title="Restore the previous environment variables",
        risk="medium",
        what=f"Replace the environment of {facts.resource.id} with the variables it had before the change"
             + (f" ({', '.join(names[:12])}{', …' if len(names) > 12 else ''})." if names else "."),
        reason="An UpdateFunctionConfiguration shortly before onset changed settings the code depends on.",
        changes="The function's environment variables (lambda:UpdateFunctionConfiguration); a new cold start.",
        constants={"FUNCTION_NAME": facts.resource.id, "PREVIOUS_ENVIRONMENT": env},
        prechecks=(
            Call("lambda", "GetFunctionConfiguration", _FN, label="environment variable names now (values hidden)",
                 query="{names:keys(Environment.Variables || `{}`),lastModified:LastModified}"),
            StopIf("eq", "PREVIOUS_ENVIRONMENT", Lit("{}"), "Pre-check failed: PREVIOUS_ENVIRONMENT is empty, "
                   "and applying it would remove every variable. Fill it from the previous version (aws lambda "
                   "get-function-configuration --function-name FUNCTION --qualifier VERSION --query Environment) "
                   "and re-review; values are not put in this script: they may be secrets.", 1),
            Call("lambda", "GetFunctionConfiguration", _FN, query="LastUpdateStatus", capture="UPDATE_STATUS"),
            StopIf("eq", "UPDATE_STATUS", Lit("InProgress"), "Pre-check failed: an update is in progress.", 1),
        ),
        apply=(Call("lambda", "UpdateFunctionConfiguration", _FN + params(Environment=Var("PREVIOUS_ENVIRONMENT")),
                    write=True, label="restore the environment"), _WAIT),
        verify=(Call("lambda", "GetFunctionConfiguration", _FN, query="keys(Environment.Variables || `{}`)",
                     label="variable names after"),),
        rollback_note="Before applying, save the current values: aws lambda get-function-configuration "
                      "--query Environment (they may be secrets: keep them out of chat). Re-apply them to undo.",
        prerequisites=("lambda:GetFunctionConfiguration, lambda:UpdateFunctionConfiguration",))


def _raise_setting(facts: RemediationFacts, *, script_id: str, title: str, setting: str, query: str,
                   current: int | None, percent: int, step: int, cap: int, unit: str, reason: str,
                   risk: str = "medium") -> Plan:
    """Shared shape: read the setting, compute the new value, update, wait, verify, print the undo."""
    target = min(cap, max(current * (100 + percent) // 100, current + step)) if current else None
    var = "NEW_" + setting.upper()
    constants: dict = {"FUNCTION_NAME": facts.resource.id}
    pre: list[Step] = [_CONFIG_READ, Call("lambda", "GetFunctionConfiguration", _FN, query=query,
                                          capture="CURRENT_VALUE", label=f"current {setting}")]
    if target:
        constants[var] = target
        pre.append(StopIf("ge", "CURRENT_VALUE", Var(var), f"{setting} is already at or above the target: nothing "
                          "to do."))
    else:
        pre.append(Grow(var, "CURRENT_VALUE", percent, step, cap))
        pre.append(StopIf("ge", "CURRENT_VALUE", Var(var), f"{setting} is already at the maximum: nothing to do."))
    api_name = {"timeout": "Timeout", "memory": "MemorySize"}.get(setting)
    new_value = Var(var)
    apply_params = params(**{api_name: new_value}) if api_name else params(EphemeralStorage=Var("NEW_STORAGE_SPEC"))
    rollback_params = params(**{api_name: Var("CURRENT_VALUE")}) if api_name else ()
    if not api_name:
        constants["NEW_STORAGE_SPEC"] = {"Size": target or cap}
    return make_plan(
        facts, script_id=script_id, title=title, risk=risk,
        what=f"Raise {setting} of {facts.resource.id} from {current or 'its current value'} to "
             f"{target or 'a computed value'} {unit}.",
        reason=reason,
        changes=f"The function's {setting} (lambda:UpdateFunctionConfiguration); cost per invocation may rise.",
        constants=constants, prechecks=tuple(pre) + (Say("Plan: " + setting + " {CURRENT_VALUE} -> {" + var + "}"),),
        apply=(Call("lambda", "UpdateFunctionConfiguration", _FN + apply_params, write=True,
                    label=f"raise {setting}"), _WAIT),
        verify=(_CONFIG_READ,),
        rollback=(Call("lambda", "UpdateFunctionConfiguration", _FN + rollback_params, write=True),)
        if api_name else (),
        rollback_note="" if api_name else "Set EphemeralStorage Size back to the CURRENT_VALUE printed above.",
        prerequisites=("lambda:GetFunctionConfiguration, lambda:UpdateFunctionConfiguration",))


def raise_timeout(facts: RemediationFacts) -> Plan:
    return _raise_setting(
        facts, script_id="lambda-raise-timeout", title="Raise the function timeout", setting="timeout",
        query="Timeout", current=facts.int_prop("timeout"), percent=100, step=30, cap=900, unit="seconds",
        reason="Invocations end at the configured timeout with no dependency errors; the work needs more time.")


def raise_memory(facts: RemediationFacts) -> Plan:
    cpu = facts.category == "cpu_saturation"
    return _raise_setting(
        facts, script_id="lambda-raise-memory", title="Raise the function memory", setting="memory",
        query="MemorySize", current=facts.int_prop("memory_size"), percent=100, step=128, cap=10240, unit="MB",
        reason="Lambda allocates CPU in proportion to memory; more memory relieves CPU saturation." if cpu
        else "Invocations run out of memory; a larger allocation stops the out-of-memory failures.")


def undo_config_change(facts: RemediationFacts) -> Plan:
    """Answer a configuration change by what its failures show: out-of-memory errors after it point at a lowered
    memory size, timeouts at a lowered timeout; otherwise its environment variables are restored."""
    evidence = " ".join(facts.evidence)
    if LOG_RULES["memory_exhaustion"].search(evidence):
        return raise_memory(facts)
    if LOG_RULES["function_timeout"].search(evidence):
        return raise_timeout(facts)
    return restore_environment(facts)


# a database server's full disk, relayed by its driver: the function's own /tmp is not what is full
_SERVER_DISK_FULL = re.compile(r"DiskFull|could not extend file|psycopg|PG::DiskFull|SQLSTATE\[?53100|"
                               r"The table '[^']+' is full|ER_RECORD_FILE_FULL|errno 28 .{0,40}mysql", re.I)


def raise_ephemeral_storage(facts: RemediationFacts) -> Plan | None:
    """More /tmp, unless the evidence is a database's full disk seen through its driver (no /tmp in sight)."""
    evidence = " ".join(facts.evidence)
    if _SERVER_DISK_FULL.search(evidence) and "/tmp" not in evidence:
        return None
    return _raise_setting(
        facts, script_id="lambda-raise-ephemeral-storage", title="Raise the function's /tmp storage",
        setting="storage", query="EphemeralStorage.Size", current=facts.int_prop("ephemeral_storage_mb") or 512,
        percent=100, step=512, cap=10240, unit="MB",
        reason="Invocations fail with 'No space left on device' in /tmp.")


ACCOUNT_CONCURRENCY_QUOTA = "L-B99A9384"  # Service Quotas code of Lambda's concurrent executions per region


def raise_account_concurrency(facts: RemediationFacts) -> Plan:
    """A function without a reservation draws on the account's unreserved pool, so its throttles mean the pool
    is spent: a reservation would only cap it. Ask for a higher regional limit instead."""
    pre = (_CONFIG_READ,
           Call("lambda", "GetFunctionConcurrency", _FN, query="ReservedConcurrentExecutions",
                capture="CURRENT_CONCURRENCY", label="reserved concurrency now"),
           StopIf("ne", "CURRENT_CONCURRENCY", Lit("None"), "The function has a reservation now: raise it (or lower "
                  "other functions' reservations) instead of the account limit.", exit_code=1),
           Call("lambda", "GetAccountSettings", query="AccountLimit.ConcurrentExecutions", capture="CURRENT_LIMIT",
                label="account concurrency limit now"),
           Grow("NEW_LIMIT", "CURRENT_LIMIT", 50, 500, 100000),
           Say("Plan: request the regional concurrency limit {CURRENT_LIMIT} -> {NEW_LIMIT}"))
    return make_plan(
        facts, script_id="lambda-raise-account-concurrency", title="Request a higher account concurrency limit",
        risk="low",
        what=f"Request a higher Lambda concurrency limit for the account in {facts.region} (about 1.5x), so that "
             f"{facts.resource.id} (no reservation) has room once AWS approves it.",
        reason="Invocations are throttled while the function has no reserved concurrency: the account's unreserved "
               "pool is spent. A reservation would cap the function below what it runs at now.",
        changes="A Service Quotas request (service-quotas:RequestServiceQuotaIncrease, quota "
                f"{ACCOUNT_CONCURRENCY_QUOTA}); AWS reviews it, nothing changes until it is approved. Meanwhile, "
                "lowering other functions' reservations frees pool capacity at once.",
        constants={"FUNCTION_NAME": facts.resource.id},
        prechecks=pre,
        apply=(Call("service-quotas", "RequestServiceQuotaIncrease",
                    params(ServiceCode=Lit("lambda"), QuotaCode=Lit(ACCOUNT_CONCURRENCY_QUOTA),
                           DesiredValue=Var("NEW_LIMIT")), write=True, capture="REQUEST_ID",
                    query="RequestedQuota.Id", label="request the increase"),),
        verify=(Call("service-quotas", "GetRequestedServiceQuotaChange", params(RequestId=Var("REQUEST_ID")),
                     query="RequestedQuota.{status:Status,desired:DesiredValue,created:Created}",
                     label="the request's status"),),
        rollback_note="A request cannot be withdrawn here; it stays open until AWS decides, and an approved higher "
                      "limit costs nothing unused. Meanwhile, lowering other functions' reservations frees pool "
                      "capacity at once.",
        prerequisites=("lambda:GetAccountSettings, lambda:GetFunctionConcurrency, lambda:GetFunctionConfiguration, "
                       "servicequotas:RequestServiceQuotaIncrease, servicequotas:GetRequestedServiceQuotaChange",))


def set_concurrency(facts: RemediationFacts, *, lower: bool = False) -> Plan:
    """Raise reserved concurrency (throttling, surge) or cap it (protect an exhausted database). Raising a
    function that has no reservation asks for a higher account limit instead (`raise_account_concurrency`)."""
    current = facts.int_prop("reserved_concurrency")
    if not lower and not current:
        return raise_account_concurrency(facts)
    if lower:
        target = max(1, (current or 20) // 2)
    else:
        target = max(current * 2, current + 50) if current else 100
    pre = (_CONFIG_READ,
           Call("lambda", "GetAccountSettings", query="AccountLimit.{total:ConcurrentExecutions,"
                "unreserved:UnreservedConcurrentExecutions}", label="account concurrency"),
           Call("lambda", "GetFunctionConcurrency", _FN, query="ReservedConcurrentExecutions",
                capture="CURRENT_CONCURRENCY", label="reserved concurrency now"),
           *((StopIf("empty", "CURRENT_CONCURRENCY", None, "The function has no reservation now: a reservation "
                     "would cap it. Raise the account limit instead.", exit_code=1),
              StopIf("ge", "CURRENT_CONCURRENCY", Var("NEW_CONCURRENCY"),
                     "Already at or above the target: nothing to do (a raise never lowers it).")) if not lower else
             (StopIf("le", "CURRENT_CONCURRENCY", Var("NEW_CONCURRENCY"),
                     "Already at or below the cap: nothing to do (a cap never raises it)."),)),
           Say("Plan: reserved concurrency {CURRENT_CONCURRENCY} -> {NEW_CONCURRENCY}"))
    if lower:
        what = (f"Cap reserved concurrency of {facts.resource.id} at {target} so it cannot open more database "
                "connections than the database accepts.")
        reason = "Concurrent invocations each hold a connection; capping them keeps the database below its limit."
    else:
        what = f"Raise reserved concurrency of {facts.resource.id} from {current or 'unreserved'} to {target}."
        reason = ("Invocations are throttled at the concurrency limit." if facts.category == "throttling"
                  else "Request volume is far above normal; more concurrency absorbs the surge.")
    return make_plan(
        facts, script_id="lambda-cap-concurrency" if lower else "lambda-raise-concurrency",
        title="Cap reserved concurrency" if lower else "Raise reserved concurrency", risk="medium",
        what=what, reason=reason,
        changes="The function's reserved concurrency (lambda:PutFunctionConcurrency); it takes from the "
                "account's unreserved pool." + (" Excess invocations will be throttled." if lower else ""),
        constants={"FUNCTION_NAME": facts.resource.id, "NEW_CONCURRENCY": target}, prechecks=pre,
        apply=(Call("lambda", "PutFunctionConcurrency", _FN + params(ReservedConcurrentExecutions=Var(
            "NEW_CONCURRENCY")), write=True, label="set reserved concurrency"),),
        verify=(Call("lambda", "GetFunctionConcurrency", _FN, label="reserved concurrency after"),),
        rollback=(Call("lambda", "PutFunctionConcurrency", _FN + params(ReservedConcurrentExecutions=Var(
            "CURRENT_CONCURRENCY")), write=True),),
        rollback_note="If CURRENT_CONCURRENCY was None (unreserved), remove the reservation with "
                      "aws lambda delete-function-concurrency instead.",
        prerequisites=("lambda:GetFunctionConcurrency, lambda:PutFunctionConcurrency, lambda:GetAccountSettings",
                       "enough unreserved account concurrency (shown in the pre-checks)"))


# Lambda itself refused invocations (its Throttles metric, or the invoke errors), not a downstream service
_LAMBDA_THROTTLED = re.compile(r"\bThrottles\b|ThrottleRate|TooManyRequestsException|"
                               r"ReservedFunctionConcurrentInvocationLimitExceeded|concurrency limit|"
                               r"Rate Exceeded", re.I)


def raise_concurrency(facts: RemediationFacts) -> Plan | None:
    """More concurrency, only where Lambda itself throttles: a DynamoDB or Kinesis throttle seen in the function's
    logs gets more load from more concurrency, and a surge on an unreserved function is not helped by a quota
    request AWS takes days to grant."""
    if not _LAMBDA_THROTTLED.search(" ".join(facts.evidence)):
        return None
    if facts.category != "throttling" and not facts.int_prop("reserved_concurrency"):
        return None
    return set_concurrency(facts)


def cap_concurrency(facts: RemediationFacts) -> Plan:
    return set_concurrency(facts, lower=True)
