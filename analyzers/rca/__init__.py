"""Root-cause analysis: evidence rules and hypothesis ranking (pure)."""
from .involvement import involved_resources
from .evidence import EvidenceSet
from .ranking import rank_hypotheses
from .rules import LOG_RULES, log_categories

__all__ = ["EvidenceSet", "involved_resources", "rank_hypotheses", "LOG_RULES", "log_categories"]
