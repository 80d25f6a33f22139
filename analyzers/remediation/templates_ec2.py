"""EC2 templates: inspect processes via SSM, resize, reboot, grow the EBS volume, unlimited CPU credits."""
from __future__ import annotations

import logging
import re
import shlex

from analyzers.remediation.facts import RemediationFacts, make_plan, next_size
from analyzers.remediation.steps import Call, Grow, Lit, Plan, Say, Step, StopIf, Var, VarList, Waiter, params

logger = logging.getLogger(__name__)

_IDS = params(InstanceIds=VarList("INSTANCE_ID"))
_BURSTABLE = re.compile(r"^t[2-4][a-z]*\.")
_STATE = Call("ec2", "DescribeInstances", _IDS, label="instance now",
              query="Reservations[0].Instances[0].{type:InstanceType,state:State.Name,"
                    "rootVolume:BlockDeviceMappings[0].Ebs.VolumeId,publicIp:PublicIpAddress}")
_STATE_CAPTURE = (Call("ec2", "DescribeInstances", _IDS, query="Reservations[0].Instances[0].State.Name",
                 capture="INSTANCE_STATE", label="instance state"),)

_SSM_COMMANDS = {
    "cpu_saturation": ["uptime", "top -b -n 1 | head -n 30", "ps -eo pid,ppid,user,%cpu,%mem,etime,comm "
                       "--sort=-%cpu | head -n 20"],
    "memory_exhaustion": ["free -m", "ps -eo pid,user,%mem,rss,etime,comm --sort=-rss | head -n 20",
                          "dmesg -T | grep -i -E 'out of memory|oom' | tail -n 20"],
    "storage_exhaustion": ["df -h", "df -i", "du -xh / --max-depth=2 2>/dev/null | sort -rh | head -n 25"],
}


def _instance(facts: RemediationFacts) -> dict:
    return {"INSTANCE_ID": facts.resource.id}


def investigate_processes(facts: RemediationFacts) -> Plan:
    """Run read-only inspection commands on the instance through SSM Run Command."""
    commands = _SSM_COMMANDS.get(facts.category, _SSM_COMMANDS["cpu_saturation"])
    mount = facts.alarmed_mount
    if facts.category == "storage_exhaustion" and mount:  # the full disk is the alarm's, not the root one
        where = shlex.quote(mount[0])
        commands = [f"df -h {where}", f"df -i {where}", "lsblk -o NAME,SERIAL,SIZE,MOUNTPOINT",
                    f"du -xh {where} --max-depth=2 2>/dev/null | sort -rh | head -n 25"]
    return make_plan(
        facts, script_id="ec2-investigate-processes-ssm", title="Inspect the top processes via SSM", risk="low",
        what=f"Run read-only commands ({'; '.join(c.split()[0] for c in commands)}) on {facts.resource.id} "
             "through SSM Run Command and print their output.",
        reason="Find which process consumes the resource before resizing or restarting anything.",
        changes="No configuration change: one SSM command invocation (ssm:SendCommand) running read-only "
                "commands as root on the instance; it is recorded in SSM command history.",
        constants={**_instance(facts), "SSM_PARAMETERS": {"commands": commands},
                   "SSM_FILTER": [{"key": "InstanceIds", "valueSet": [facts.resource.id]}]},
        prechecks=(_STATE,
                   Call("ssm", "DescribeInstanceInformation", params(InstanceInformationFilterList=Var("SSM_FILTER")),
                        query="InstanceInformationList[0].PingStatus", capture="SSM_PING", label="SSM agent"),
                   StopIf("empty", "SSM_PING", None, "Pre-check failed: the instance is not managed by SSM.", 1)),
        apply=(Call("ssm", "SendCommand", _IDS + params(DocumentName=Lit("AWS-RunShellScript"),
                                                        Parameters=Var("SSM_PARAMETERS"),
                                                        Comment=Lit("aiops-bot read-only inspection")),
                    write=True, query="Command.CommandId", capture="COMMAND_ID", label="send the commands"),
               Waiter("ssm", "command_executed", params(CommandId=Var("COMMAND_ID"), InstanceId=Var("INSTANCE_ID"))),
               Call("ssm", "GetCommandInvocation", params(CommandId=Var("COMMAND_ID"), InstanceId=Var("INSTANCE_ID")),
                    query="{status:Status,output:StandardOutputContent,errors:StandardErrorContent}",
                    label="command output")),
        rollback_note="Nothing to roll back: the commands only read.",
        prerequisites=("ssm:SendCommand, ssm:GetCommandInvocation, ssm:DescribeInstanceInformation",
                       "the SSM agent is running on the instance"))


def resize_instance(facts: RemediationFacts) -> Plan:
    """Stop, change the instance type one size up, start."""
    current = facts.str_prop("instance_type")
    target = next_size(current) or ""
    modify = params(InstanceId=Var("INSTANCE_ID"), Attribute=Lit("instanceType"))
    return make_plan(
        facts, script_id="ec2-resize-instance", title="Resize the EC2 instance one size up", risk="high",
        what=f"Stop {facts.resource.id}, change its type from {current or 'the current type'} to "
             f"{target or 'NEW_TYPE'}, start it again.",
        reason="CPU or memory stays at its limit for the current size." if facts.category != "traffic_surge"
        else "Load is far above normal and the instance is at its limit.",
        changes="Downtime while stopped; instance-store data is lost; the public IP changes unless it is an "
                "Elastic IP; hourly cost rises (ec2:StopInstances, ModifyInstanceAttribute, StartInstances).",
        constants={**_instance(facts), "NEW_TYPE": target},
        prechecks=(_STATE,
                   StopIf("empty", "NEW_TYPE", None, "Pre-check failed: set NEW_TYPE (e.g. m5.xlarge) and "
                          "re-review.", 1),
                   Call("ec2", "DescribeInstances", _IDS, query="Reservations[0].Instances[0].InstanceType",
                        capture="CURRENT_TYPE", label="type now"),
                   StopIf("eq", "CURRENT_TYPE", Var("NEW_TYPE"), "Already the target type: nothing to do."),
                   Call("ec2", "DescribeInstances", _IDS, capture="ASG_NAME", label="Auto Scaling group",
                        query="Reservations[0].Instances[0].Tags[?Key=='aws:autoscaling:groupName'].Value | [0]"),
                   StopIf("ne", "ASG_NAME", Lit("None"), "Pre-check failed: the instance belongs to an Auto Scaling "
                          "group, which would replace it when it stops (and undo the resize). Change the launch "
                          "template's instance type and start an instance refresh instead.", 1),
                   Call("ec2", "DescribeInstances", _IDS, query="Reservations[0].Instances[0].RootDeviceType",
                        capture="ROOT_DEVICE_TYPE", label="root device type"),
                   StopIf("eq", "ROOT_DEVICE_TYPE", Lit("instance-store"), "Pre-check failed: instance-store "
                          "backed instances cannot be stopped.", 1),
                   Say("Plan: {CURRENT_TYPE} -> {NEW_TYPE} (stop, modify, start)")),
        apply=(Call("ec2", "StopInstances", _IDS, write=True, dry_run_probe=True, label="stop",
                    query="StoppingInstances[0].CurrentState.Name"),
               Waiter("ec2", "instance_stopped", _IDS),
               Call("ec2", "ModifyInstanceAttribute", modify + params(Value=Var("NEW_TYPE")), write=True,
                    label="change the type"),
               Call("ec2", "StartInstances", _IDS, write=True, label="start",
                    query="StartingInstances[0].CurrentState.Name"),
               Waiter("ec2", "instance_running", _IDS)),
        verify=(_STATE,),
        rollback=(Call("ec2", "StopInstances", _IDS, write=True),
                  Call("ec2", "ModifyInstanceAttribute", modify + params(Value=Var("CURRENT_TYPE")), write=True),
                  Call("ec2", "StartInstances", _IDS, write=True)),
        rollback_note="Wait for 'stopped' (aws ec2 wait instance-stopped) between the stop and the modify.",
        prerequisites=("ec2:DescribeInstances, StopInstances, ModifyInstanceAttribute, StartInstances",
                       "a maintenance window: the instance is down for minutes"))


def reboot_instance(facts: RemediationFacts) -> Plan:
    return make_plan(
        facts, script_id="ec2-reboot-instance", title="Reboot the EC2 instance", risk="medium",
        what=f"Reboot {facts.resource.id} to clear leaked memory or hung processes.",
        reason="Memory is exhausted and the system cannot reclaim it; a reboot restores service quickly.",
        changes="A short outage while the OS restarts (ec2:RebootInstances); in-memory state is lost; "
                "the instance keeps its IPs, type and volumes.",
        constants=_instance(facts),
        prechecks=(_STATE,) + _STATE_CAPTURE + (StopIf("eq", "INSTANCE_STATE", Lit("stopped"), "The instance is "
                                                 "stopped: start it instead of rebooting.", 1),),
        apply=(Call("ec2", "RebootInstances", _IDS, write=True, dry_run_probe=True, label="reboot"),
               Waiter("ec2", "instance_status_ok", _IDS)),
        verify=(_STATE,),
        rollback_note="A reboot cannot be undone; if the instance fails its status checks, use the EC2 serial "
                      "console or recover it from its latest AMI or snapshots.",
        prerequisites=("ec2:DescribeInstances, ec2:RebootInstances",))


def grow_volume(facts: RemediationFacts) -> Plan:
    volume = facts.str_prop("volume_id")
    mount = facts.alarmed_mount
    current = facts.int_prop("volume_size_gb") if volume or not mount else None  # the inventory's is the root's
    target = max(current + 10, -(-current * 5 // 4)) if current else None
    constants: dict = _instance(facts)
    pre: list[Step] = [_STATE]
    if volume:
        constants["VOLUME_ID"] = volume
    elif mount:  # a data disk: which EBS volume backs it is only known on the instance
        constants["VOLUME_ID"] = ""
        pre += [Call("ec2", "DescribeInstances", _IDS, label="EBS volumes attached (pick the one of the full disk)",
                     query="Reservations[0].Instances[0].BlockDeviceMappings[].{device:DeviceName,"
                           "volume:Ebs.VolumeId}"),
                StopIf("empty", "VOLUME_ID", None, f"Pre-check failed: the alarm watches {mount[0]}"
                       + (f" (device {mount[1]})" if mount[1] else "") + ", not the root disk. Set VOLUME_ID to its "
                       "EBS volume (on the instance, lsblk -o NAME,SERIAL shows vol... as the serial of an NVMe "
                       "disk) and re-review.", 1)]
    else:
        pre.append(Call("ec2", "DescribeInstances", _IDS, capture="VOLUME_ID", label="root volume",
                        query="Reservations[0].Instances[0].BlockDeviceMappings[0].Ebs.VolumeId"))
    pre.append(Call("ec2", "DescribeVolumes", params(VolumeIds=VarList("VOLUME_ID")), query="Volumes[0].Size",
                    capture="CURRENT_SIZE", label="volume size now (GiB)"))
    if target:
        constants["NEW_SIZE"] = target
    else:
        pre.append(Grow("NEW_SIZE", "CURRENT_SIZE", 25, 10, 16384))
    pre += [StopIf("ge", "CURRENT_SIZE", Var("NEW_SIZE"), "Volume already at or above the target: nothing to do."),
            Say("Plan: volume {VOLUME_ID} {CURRENT_SIZE} GiB -> {NEW_SIZE} GiB")]
    return make_plan(
        facts, script_id="ec2-grow-ebs-volume", title="Grow the EBS volume", risk="medium",
        what=f"Grow the EBS volume{' behind ' + mount[0] if mount and not volume else ''} of {facts.resource.id} "
             f"from {current or 'its size'} to "
             f"{target or 'about 1.25x'} GiB (online).",
        reason="The disk is nearly full ('No space left on device'); writes fail at zero.",
        changes="The volume size (ec2:ModifyVolume, online, no downtime). The partition and filesystem must "
                "then be extended on the instance (growpart + resize2fs or xfs_growfs). Cost rises.",
        constants=constants, prechecks=tuple(pre),
        apply=(Call("ec2", "ModifyVolume", params(VolumeId=Var("VOLUME_ID"), Size=Var("NEW_SIZE")), write=True,
                    dry_run_probe=True, query="VolumeModification.ModificationState", label="grow the volume"),),
        verify=(Call("ec2", "DescribeVolumesModifications", params(VolumeIds=VarList("VOLUME_ID")),
                     query="VolumesModifications[0].{state:ModificationState,progress:Progress,"
                           "target:TargetSize}", label="modification progress"),),
        rollback_note="EBS volumes cannot shrink; undoing needs a new smaller volume and a data copy. "
                      "A volume can be modified again only after 6 hours.",
        prerequisites=("ec2:DescribeVolumes, ec2:ModifyVolume",
                       "afterwards, on the instance: sudo growpart <disk> <partition>; then resize2fs or xfs_growfs"))


def unlimited_credits(facts: RemediationFacts) -> Plan | None:
    """Burstable (t*) instances throttled by CPU credits: switch to unlimited."""
    instance_type = facts.str_prop("instance_type") or ""
    if not _BURSTABLE.match(instance_type):  # t2, t3, t3a, t4g (not trn1, a Trainium type)
        return None

    def spec(mode: str) -> list[dict]:
        return [{"InstanceId": facts.resource.id, "CpuCredits": mode}]

    return make_plan(
        facts, script_id="ec2-unlimited-cpu-credits", title="Switch the burstable instance to unlimited credits",
        risk="low", what=f"Set CPU credits of {facts.resource.id} ({instance_type}) to 'unlimited'.",
        reason="The CPU credit balance is exhausted and the instance is throttled to its baseline.",
        changes="CPU credit mode (ec2:ModifyInstanceCreditSpecification); surplus credits are billed.",
        constants={**_instance(facts), "UNLIMITED_SPEC": spec("unlimited"), "STANDARD_SPEC": spec("standard")},
        prechecks=(_STATE,
                   Call("ec2", "DescribeInstanceCreditSpecifications", _IDS, capture="CURRENT_CREDITS",
                        query="InstanceCreditSpecifications[0].CpuCredits", label="credit mode now"),
                   StopIf("eq", "CURRENT_CREDITS", Lit("unlimited"), "Already unlimited: nothing to do.")),
        apply=(Call("ec2", "ModifyInstanceCreditSpecification",
                    params(InstanceCreditSpecifications=Var("UNLIMITED_SPEC")), write=True, dry_run_probe=True,
                    label="switch to unlimited"),),
        verify=(Call("ec2", "DescribeInstanceCreditSpecifications", _IDS, label="credit mode after"),),
        rollback=(Call("ec2", "ModifyInstanceCreditSpecification",
                       params(InstanceCreditSpecifications=Var("STANDARD_SPEC")), write=True),),
        prerequisites=("ec2:DescribeInstanceCreditSpecifications, ec2:ModifyInstanceCreditSpecification",))
