"""The LLM adapter (the only package importing ``anthropic``): Claude explains an investigation."""
from .analyst import LlmAnalyst

__all__ = ["LlmAnalyst"]
