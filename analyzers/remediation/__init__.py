"""Remediation scripts proposed to a human: templates filled with facts, safety-checked, never executed."""
from analyzers.remediation.facts import RemediationFacts
from analyzers.remediation.safety import SafetyIssue, check_script_safety
from analyzers.remediation.templates import REGISTRY, SERVICES, UnsafeTemplateError, build_scripts, plans_for

__all__ = ["RemediationFacts", "SafetyIssue", "check_script_safety", "build_scripts", "plans_for",
           "REGISTRY", "SERVICES", "UnsafeTemplateError"]
