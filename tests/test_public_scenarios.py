"""RCA regression guard: every shared scenario's expected root cause (category and resource).

Reads /work/shared/scenarios/*.yaml; the module is skipped when that directory
is absent. Each scenario runs the whole path (sandbox AWS, engine, analyzers), about
5-10 s each, hence the ``slow`` marker (deselect with ``-m 'not slow'``).
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.config import Config
from bot.engine import InvestigationRequest, Investigator
from bot.sandbox import Sandbox
from bot.store import Store
from tests.conftest import SHARED_SCENARIOS

if not SHARED_SCENARIOS.is_dir():
    pytest.skip(f"{SHARED_SCENARIOS} is absent", allow_module_level=True)

SCENARIOS = sorted(SHARED_SCENARIOS.glob("*.yaml"))


def _expectation(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return data.get("expect") or {}


@pytest.mark.slow
@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_expected_root_cause(path: Path, report_schema):
    expect = _expectation(path)
    if not expect.get("alarm") or not expect.get("root_cause"):
        pytest.skip(f"{path.name} has no expect.alarm / expect.root_cause")
    wanted = expect["root_cause"]
    resources = wanted.get("resource") or []
    resources = [resources] if isinstance(resources, str) else list(resources)
    # GIVEN the scenario in the sandbox WHEN its expected alarm is investigated
    with Sandbox.start(path) as sandbox:
        investigator = Investigator(Config(), sandbox.provider(), Store(memory=True))
        report = investigator.investigate(InvestigationRequest(expect["alarm"]))
    # THEN the root cause has the expected category and names an acceptable resource
    root = report["root_cause"]
    assert root["category"] == wanted["category"], report["summary"]
    if resources:
        assert root["resource"]["id"] in resources, report["summary"]
