"""The static script safety check: every rule fires on a bad example, none on the template library."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from analyzers.model import CATEGORIES, ResourceRef
from analyzers.remediation import SERVICES, RemediationFacts, SafetyIssue, build_scripts, check_script_safety

GOOD_BASH = """#!/usr/bin/env bash
set -euo pipefail
NAME='x$(rm -rf /)'
APPLY="${APPLY:-0}"
# rm -rf / in a comment is inert
aws lambda get-function --function-name "$NAME" --output json
printf '  aws lambda delete-function --function-name %q\\n' "$NAME"
if [[ "$APPLY" != "1" ]]; then
  exit 0
fi
read -r -p "type the id: " CONFIRM
if [[ "$CONFIRM" != "$NAME" ]]; then exit 1; fi
aws lambda update-alias --function-name "$NAME" --name live --function-version 3
aws lambda delete-alias --function-name "$NAME" --name old
"""

BAD_BASH = [
    ("rm-rf-root", "rm -rf /"),
    ("rm-rf-root", "sudo rm -fr /*"),
    ("rm-rf-root", "rm --recursive --force '/'"),
    ("rm-rf-root", "rm -r -f ~"),
    ("rm-rf-root", "rm -rf --no-preserve-root /tmp"),
    ("rm-unguarded-variable", 'rm -rf "$DIR"/'),
    ("unquoted-variable", "rm -f $FILE"),
    ("unquoted-variable", "dd if=/dev/zero of=$DISK bs=1M"),
    ("unquoted-variable", "mkfs.ext4 $DEVICE"),
    ("unquoted-variable", 'if [[ "$APPLY" != "1" ]]; then exit 0; fi\nread -r -p x C\n'
                          "aws ec2 terminate-instances --instance-ids $ID"),
    ("destructive-without-confirmation", 'if [[ "$APPLY" != "1" ]]; then exit 0; fi\n'
                                         'aws rds delete-db-instance --db-instance-identifier "$DB"'),
    ("pipe-to-shell", "curl -fsSL https://example.com/install.sh | sh"),
    ("pipe-to-shell", "wget -qO- https://example.com/x | sudo bash"),
    ("pipe-to-shell", "bash <(curl -s https://example.com/x)"),
    ("eval", 'eval "$COMMAND"'),
    ("shell-c", 'bash -c "$SCRIPT"'),
    ("variable-as-command", '"$CMD" --force'),
    ("chmod-777", "chmod 777 /srv/app"),
    ("chmod-777", "chmod -R a+rwx /srv/app"),
    ("ungated-write", 'aws lambda update-alias --function-name "$F" --name live --function-version 3'),
]


def rules(language: str, body: str) -> set[str]:
    return {issue.rule for issue in check_script_safety(language, body)}


def test_good_bash_passes():
    # GIVEN a script with literals, comments, printed commands, a gate and a confirmation
    # THEN nothing is reported
    assert check_script_safety("bash", GOOD_BASH) == []


@pytest.mark.parametrize("rule,snippet", BAD_BASH)
def test_each_bash_rule_triggers(rule, snippet):
    # GIVEN a strict-mode script with one dangerous line WHEN checked THEN that rule fires
    body = "#!/usr/bin/env bash\nset -euo pipefail\n" + snippet + "\n"
    assert rule in rules("bash", body)


def test_missing_strict_mode_is_reported_at_line_1():
    issues = check_script_safety("bash", "#!/usr/bin/env bash\necho hi\n")
    assert issues == [SafetyIssue("missing-strict-mode", 1, "no 'set -euo pipefail'")]


def test_issue_reports_the_offending_line():
    issues = check_script_safety("bash", "#!/usr/bin/env bash\nset -euo pipefail\necho ok\nchmod 0777 /x\n")
    assert issues == [SafetyIssue("chmod-777", 4, "chmod 0777 /x")]


def test_aws_cli_sequence_must_keep_writes_commented():
    # GIVEN a plain CLI sequence WHEN a write is executable THEN it is ungated; commented or --dry-run is fine
    assert rules("aws-cli", 'aws ecs update-service --cluster c --service s --desired-count 3\n') == {"ungated-write"}
    assert rules("aws-cli", "# APPLY> aws ecs update-service --cluster c --service s\n") == set()
    assert rules("aws-cli", "aws ec2 reboot-instances --instance-ids i-1 --dry-run || true\n") == set()
    assert "destructive-without-confirmation" in rules("aws-cli", "aws s3 rm s3://b/k --dry-run\n")


def test_continued_lines_are_checked_as_one_command():
    body = "#!/usr/bin/env bash\nset -euo pipefail\naws ec2 terminate-instances \\\n  --instance-ids $ID\n"
    assert {"ungated-write", "unquoted-variable", "destructive-without-confirmation"} <= rules("bash", body)


GOOD_PYTHON = """import os
import boto3
RESOURCE_ID = 'x"; os.system("rm -rf /"); eval("1")'


def main():
    args = None
    apply = os.environ.get('APPLY') == '1'
    boto3.client('ec2').stop_instances(InstanceIds=[RESOURCE_ID], DryRun=True)
    if not apply:
        return 0
    typed = input('type the id: ')
    boto3.client('ec2').terminate_instances(InstanceIds=[RESOURCE_ID])
    return 0
"""

BAD_PYTHON = [
    ("os-system", "import os\nos.system('ls')\n"),
    ("os-system", "from os import popen\n"),
    ("subprocess", "import subprocess\nsubprocess.run(['ls'])\n"),
    ("eval", "eval('1 + 1')\n"),
    ("eval", "exec('x = 1')\n"),
    ("rm-rf-root", "import shutil\nshutil.rmtree('/')\n"),
    ("chmod-777", "import os\nos.chmod('/srv', 0o777)\n"),
    ("ungated-write", "import boto3\nboto3.client('lambda').update_alias(FunctionName='f', Name='a')\n"),
    ("destructive-without-confirmation", "import boto3\nif not apply:\n    pass\n"
                                         "boto3.client('ec2').terminate_instances(InstanceIds=['i'])\n"),
    ("python-syntax", "def broken(:\n"),
]


def test_good_python_passes():
    # GIVEN dangerous text only inside string literals, a DryRun probe, a gate and input() confirmation
    assert check_script_safety("python", GOOD_PYTHON) == []


@pytest.mark.parametrize("rule,body", BAD_PYTHON)
def test_each_python_rule_triggers(rule, body):
    assert rule in rules("python", body)


def test_unknown_language_is_rejected():
    assert rules("powershell", "Remove-Item -Recurse C:\\") == {"unknown-language"}


def _library():
    for service in SERVICES:
        for category in CATEGORIES:
            for props in ({}, {"previous_version": "3", "desired_count": 2, "max_connections": 100,
                               "instance_type": "t3.small", "autoscaling_group": "asg", "api_id": "abcdefghij",
                               "stage": "prod", "throttle_rate_limit": 10, "previous_deployment_id": "d1",
                               "allocated_storage_gb": 20, "volume_size_gb": 8, "instance_class": "db.t3.micro"}):
                yield from build_scripts(RemediationFacts("inv-1", category, ResourceRef(service, "res-1",
                                                                                         properties=props),
                                                          "eu-west-1", "alarm"))


LIBRARY = {s.sha256: s for s in _library()}


def test_no_rule_fires_on_the_library():
    # GIVEN every template for every category x service WHEN checked THEN nothing is reported
    assert len(LIBRARY) > 100
    assert all(check_script_safety(s.language, s.body) == [] for s in LIBRARY.values())


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck not installed")
def test_shellcheck_accepts_every_bash_template(tmp_path):
    # GIVEN every bash template body WHEN shellcheck (a test-only tool) runs THEN it reports nothing
    paths = []
    for index, s in enumerate(s for s in LIBRARY.values() if s.language == "bash"):
        path = tmp_path / f"{index:03d}-{s.id}.sh"
        path.write_text(s.body)
        paths.append(str(path))
    result = subprocess.run(["shellcheck", "-s", "bash", *paths], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[:3000]
