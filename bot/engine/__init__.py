"""The investigation engine shared by the CLI, the Slack app and the scheduler."""
from .alarm_ref import InvestigationError
from .investigation import STEP_LABELS, InvestigationRequest, Investigator, StepResult

__all__ = ["InvestigationError", "InvestigationRequest", "Investigator", "StepResult", "STEP_LABELS"]
