"""Investigation reports: the JSON document and its Markdown rendering."""
from .build import ReportInput, build_report, summarize
from .markdown import render_markdown

__all__ = ["ReportInput", "build_report", "summarize", "render_markdown"]
