"""The investigation engine shared by the CLI, the Slack app and the scheduler."""
from .alarm_ref import InvestigationError
from .investigation import (STEP_LABELS, InvestigationInterrupted, InvestigationRequest, Investigator, StepResult,
                            owner_is_gone)

__all__ = ["InvestigationError", "InvestigationInterrupted", "InvestigationRequest", "Investigator", "StepResult",
           "STEP_LABELS", "owner_is_gone"]
