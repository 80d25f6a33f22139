"""RDS templates: reboot, larger instance class, more max_connections, more allocated storage."""
from __future__ import annotations

import logging

from analyzers.remediation.facts import RemediationFacts, make_plan, next_size
from analyzers.remediation.steps import Call, Flag, Grow, Lit, Plan, Say, Step, StopIf, Var, Waiter, params

logger = logging.getLogger(__name__)

_DB = params(DBInstanceIdentifier=Var("DB_INSTANCE_ID"))
_STATE = Call("rds", "DescribeDBInstances", _DB, label="DB instance now",
              query="DBInstances[0].{status:DBInstanceStatus,class:DBInstanceClass,storageGb:AllocatedStorage,"
                    "multiAZ:MultiAZ,engine:Engine,parameterGroup:DBParameterGroups[0].DBParameterGroupName,"
                    "pending:PendingModifiedValues}")
_AVAILABLE = Waiter("rds", "db_instance_available", _DB)


def _must_be_available() -> tuple[Step, ...]:
    return (Call("rds", "DescribeDBInstances", _DB, query="DBInstances[0].DBInstanceStatus", capture="DB_STATUS",
                 label="status"),
            StopIf("ne", "DB_STATUS", Lit("available"), "Pre-check failed: the instance is not 'available' (being "
                   "modified, rebooted, backed up or maintained); wait until it is.", 1),
            Call("rds", "DescribeDBInstances", _DB, capture="PENDING_CHANGES", label="changes waiting for the "
                 "maintenance window", query="length(keys(DBInstances[0].PendingModifiedValues || `{}`))"),
            StopIf("ne", "PENDING_CHANGES", Lit("0"), "Pre-check failed: changes are waiting for the maintenance "
                   "window (PendingModifiedValues), and applying this one immediately would apply them too; review "
                   "them first.", 1))


def reboot(facts: RemediationFacts) -> Plan:
    return make_plan(
        facts, script_id="rds-reboot-instance", title="Reboot the RDS instance", risk="high",
        what=f"Reboot DB instance {facts.resource.id} to drop stuck connections and reset memory.",
        reason="Connections or memory are exhausted and clients cannot recover on their own.",
        changes="Every open connection is dropped; the database is unavailable for one to several minutes "
                "(Multi-AZ: a failover is faster). Nothing is configured differently.",
        constants={"DB_INSTANCE_ID": facts.resource.id}, prechecks=(_STATE,) + _must_be_available(),
        apply=(Call("rds", "RebootDBInstance", _DB, write=True, query="DBInstance.DBInstanceStatus",
                    label="reboot"), _AVAILABLE),
        verify=(_STATE,),
        rollback_note="A reboot cannot be undone; if the instance does not come back, follow the RDS console "
                      "events and restore from the latest automated snapshot only as a last resort.",
        prerequisites=("rds:DescribeDBInstances, rds:RebootDBInstance", "announce the outage window"))


def modify_instance_class(facts: RemediationFacts) -> Plan:
    current = facts.str_prop("instance_class")
    target = next_size(current) or ""
    return make_plan(
        facts, script_id="rds-modify-instance-class", title="Move the RDS instance to a larger class", risk="high",
        what=f"Change DB instance {facts.resource.id} from {current or 'its class'} to "
             f"{target or 'TARGET_CLASS'} (one size up).",
        reason="CPU or memory is at its limit for the current class; the next size doubles both."
        if facts.category != "traffic_surge" else "Load is far above normal and the instance is at its limit.",
        changes="The instance class (rds:ModifyDBInstance, applied immediately): a reboot-like interruption "
                "(shorter with Multi-AZ) and a higher hourly cost.",
        constants={"DB_INSTANCE_ID": facts.resource.id, "TARGET_CLASS": target},
        prechecks=(_STATE,
                   StopIf("empty", "TARGET_CLASS", None, "Pre-check failed: set TARGET_CLASS (e.g. db.r6g.xlarge) "
                          "and re-review.", 1),
                   Call("rds", "DescribeDBInstances", _DB, query="DBInstances[0].DBInstanceClass",
                        capture="CURRENT_CLASS", label="class now"),
                   StopIf("eq", "CURRENT_CLASS", Var("TARGET_CLASS"), "Already the target class: nothing to do."))
        + _must_be_available() + (Say("Plan: {CURRENT_CLASS} -> {TARGET_CLASS}"),),
        apply=(Call("rds", "ModifyDBInstance", _DB + params(DBInstanceClass=Var("TARGET_CLASS"),
                                                            ApplyImmediately=Flag(True)),
                    write=True, query="DBInstance.PendingModifiedValues", label="modify the class"), _AVAILABLE),
        verify=(_STATE,),
        rollback=(Call("rds", "ModifyDBInstance", _DB + params(DBInstanceClass=Var("CURRENT_CLASS"),
                                                               ApplyImmediately=Flag(True)), write=True),),
        prerequisites=("rds:DescribeDBInstances, rds:ModifyDBInstance", "announce the interruption",
                       "the target class is offered for the engine version in the region"))


def raise_max_connections(facts: RemediationFacts) -> Plan | None:
    current = facts.int_prop("max_connections")
    if not current:
        return None
    target = max(current + 50, current * 3 // 2)
    postgres = "postgres" in (facts.str_prop("engine") or "").lower()
    method = "pending-reboot" if postgres else "immediate"
    return make_plan(
        facts, script_id="rds-raise-max-connections", title="Raise max_connections in the parameter group",
        risk="medium",
        what=f"Raise max_connections of {facts.resource.id} from {current} to {target} in its custom "
             f"parameter group ({method}).",
        reason="Clients fail with 'too many connections' while the connection count sits at the limit.",
        changes="One parameter in the instance's DB parameter group (rds:ModifyDBParameterGroup); every "
                "instance sharing the group is affected. More connections use more memory."
                + (" PostgreSQL applies it after a reboot." if postgres else ""),
        constants={"DB_INSTANCE_ID": facts.resource.id,
                   "NEW_PARAMETERS": [{"ParameterName": "max_connections", "ParameterValue": str(target),
                                       "ApplyMethod": method}],
                   "OLD_PARAMETERS": [{"ParameterName": "max_connections", "ParameterValue": str(current),
                                       "ApplyMethod": method}]},
        prechecks=(_STATE,
                   Call("rds", "DescribeDBInstances", _DB, capture="PARAMETER_GROUP", label="parameter group",
                        query="DBInstances[0].DBParameterGroups[0].DBParameterGroupName"),
                   StopIf("prefix", "PARAMETER_GROUP", Lit("default."), "Pre-check failed: default parameter "
                          "groups cannot be modified; create a custom group first.", 1),
                   Call("rds", "DescribeDBParameters", params(DBParameterGroupName=Var("PARAMETER_GROUP")),
                        query="Parameters[?ParameterName=='max_connections'].[ParameterValue,ApplyType,Source]",
                        label="max_connections now"),
                   Call("rds", "DescribeDBParameters", params(DBParameterGroupName=Var("PARAMETER_GROUP")),
                        query="Parameters[?ParameterName=='max_connections'].ParameterValue | [0]",
                        capture="LIVE_MAX_CONNECTIONS", label="its value"),
                   StopIf("ge", "LIVE_MAX_CONNECTIONS", Lit(target), "max_connections is already at or above the "
                          "target: nothing to do (a raise never lowers it)."),
                   StopIf("ne", "LIVE_MAX_CONNECTIONS", Lit(str(current)), f"Pre-check failed: max_connections is "
                          f"not the {current} the investigation read (changed since, or an engine formula), so the "
                          "rollback below would not restore it; re-run the investigation.", 1)),
        apply=(Call("rds", "ModifyDBParameterGroup", params(DBParameterGroupName=Var("PARAMETER_GROUP"),
                                                            Parameters=Var("NEW_PARAMETERS")),
                    write=True, label="set max_connections"),),
        verify=(Call("rds", "DescribeDBParameters", params(DBParameterGroupName=Var("PARAMETER_GROUP")),
                     query="Parameters[?ParameterName=='max_connections'].[ParameterValue,Source]",
                     label="max_connections after"), _STATE),
        rollback=(Call("rds", "ModifyDBParameterGroup", params(DBParameterGroupName=Var("PARAMETER_GROUP"),
                                                               Parameters=Var("OLD_PARAMETERS")), write=True),),
        prerequisites=("rds:DescribeDBInstances, rds:DescribeDBParameters, rds:ModifyDBParameterGroup",),
        notes=("find the client that leaks connections too; a higher limit buys time",))


def grow_storage(facts: RemediationFacts) -> Plan | None:
    """More allocated storage: for a full disk, or gp2 I/O credits (whose baseline grows with size). Not for
    Aurora (its cluster storage grows by itself), nor for I/O on other volume types (size sets no baseline)."""
    if "aurora" in (facts.str_prop("engine") or "").lower():
        return None
    storage_type = (facts.str_prop("storage_type") or "").lower()
    if facts.category == "throttling" and storage_type and storage_type != "gp2":
        return None
    current = facts.int_prop("allocated_storage_gb")
    target = max(current + 10, -(-current * 5 // 4)) if current else None
    constants: dict = {"DB_INSTANCE_ID": facts.resource.id}
    pre: list[Step] = [_STATE, Call("rds", "DescribeDBInstances", _DB, query="DBInstances[0].AllocatedStorage",
                                    capture="CURRENT_STORAGE", label="allocated storage now (GiB)")]
    if target:
        constants["NEW_STORAGE"] = target
    else:
        pre.append(Grow("NEW_STORAGE", "CURRENT_STORAGE", 25, 10, 65536))
    pre += [StopIf("ge", "CURRENT_STORAGE", Var("NEW_STORAGE"), "Storage already at or above the target: "
                   "nothing to do.")]
    pre += list(_must_be_available()) + [Say("Plan: allocated storage {CURRENT_STORAGE} GiB -> {NEW_STORAGE} GiB")]
    throttling = facts.category == "throttling"
    return make_plan(
        facts, script_id="rds-grow-storage", title="Grow the RDS allocated storage", risk="medium",
        what=f"Grow allocated storage of {facts.resource.id} from {current or 'its size'} to "
             f"{target or 'about 1.25x'} GiB.",
        reason="gp2 baseline IOPS scale with size; I/O is throttled at the current size." if throttling
        else "Free storage space is near zero; writes will fail when it reaches zero.",
        changes="Allocated storage (rds:ModifyDBInstance, applied immediately, no downtime; storage "
                "optimization runs for hours and blocks further storage changes for 6 hours). Cost rises.",
        constants=constants, prechecks=tuple(pre),
        apply=(Call("rds", "ModifyDBInstance", _DB + params(AllocatedStorage=Var("NEW_STORAGE"),
                                                            ApplyImmediately=Flag(True)),
                    write=True, query="DBInstance.PendingModifiedValues", label="grow storage"),),
        verify=(_STATE,),
        rollback_note="Allocated storage cannot be reduced; undoing requires a new instance restored from a "
                      "snapshot. Consider enabling storage autoscaling (MaxAllocatedStorage).",
        prerequisites=("rds:DescribeDBInstances, rds:ModifyDBInstance",))
