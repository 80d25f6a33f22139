"""Anthropic client construction, model facts (prices, forced tool choice) and error wording.

The only module that builds SDK clients. ``ANTHROPIC_BASE_URL`` is honoured by the
SDK itself; an explicit ``base_url`` wins. Retries of 429/5xx/529 and timeouts are
the SDK's (``max_retries`` with backoff, ``timeout`` per read); ``call_with_deadline`` bounds a whole call.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any, Callable

import anthropic

from bot.config import Config

log = logging.getLogger(__name__)

# USD per million tokens (input, output), first matching fragment of the model id wins.
# Assumption: list prices without batch/caching discounts; newer generations from the model pages,
# older families at the brief's figures (Sonnet $3/$15, Haiku $1/$5, Opus $15/$75). Unknown -> Sonnet.
PRICES: tuple[tuple[str, float, float], ...] = (
    ("sonnet-5", 2.0, 10.0),
    ("opus-5-5", 4.0, 20.0),
    ("opus-5", 5.0, 25.0),
    ("fable", 10.0, 50.0),
    ("haiku", 1.0, 5.0),
    ("sonnet", 3.0, 15.0),
    ("opus", 15.0, 75.0),
)
DEFAULT_PRICE = (3.0, 15.0)

# Models documented to answer a forced tool_choice with HTTP 400: they get "auto" and the prompt steers.
NO_FORCED_TOOL_CHOICE = ("sonnet-5-5", "opus-5-5", "fable-5")


@dataclass(frozen=True)
class Price:
    input_per_mtok: float
    output_per_mtok: float

    def cost(self, input_tokens: int, output_tokens: int) -> float:
        return (input_tokens * self.input_per_mtok + output_tokens * self.output_per_mtok) / 1_000_000


def price_for(model: str) -> Price:
    name = model.lower()
    for fragment, inp, out in PRICES:
        if fragment in name:
            return Price(inp, out)
    return Price(*DEFAULT_PRICE)


def supports_forced_tool_choice(model: str) -> bool:
    name = model.lower()
    return not any(fragment in name for fragment in NO_FORCED_TOOL_CHOICE)


def tool_choice_for(model: str, tool: str) -> dict[str, Any]:
    return {"type": "tool", "name": tool} if supports_forced_tool_choice(model) else {"type": "auto"}


def build_client(config: Config, api_key: str | None, base_url: str | None = None) -> Any:
    """An ``Anthropic`` (or ``AnthropicBedrock``) client with the configured retries and timeout."""
    llm = config.llm
    if llm.provider == "bedrock":
        return anthropic.AnthropicBedrock(aws_region=config.aws.regions[0], base_url=base_url,
                                          max_retries=llm.max_retries, timeout=llm.timeout)
    return anthropic.Anthropic(api_key=api_key, base_url=base_url, max_retries=llm.max_retries,
                               timeout=llm.timeout)


class DeadlineExceeded(Exception):
    """A call (all its attempts) did not complete within its wall-clock deadline."""

    def __init__(self, seconds: float):
        super().__init__(f"no complete answer within {seconds:g}s")
        self.seconds = seconds


def call_with_deadline(call: Callable[[], Any], seconds: float) -> Any:
    """`call()`, or DeadlineExceeded once `seconds` have passed. The SDK's timeout bounds each read, not a server
    that trickles a byte at a time, so the call runs on a daemon thread that is left to end on its own."""
    box: dict[str, Any] = {}
    done = threading.Event()

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # handed to the caller
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=run, name="llm-call", daemon=True).start()
    if not done.wait(seconds):
        raise DeadlineExceeded(seconds)
    if "error" in box:
        raise box["error"]
    return box["value"]


def call_deadline(timeout: float, max_retries: int) -> float:
    """Wall-clock bound of one call: every attempt's timeout plus room for the SDK's backoff between them."""
    return (timeout + 1.0) * (max_retries + 1) + 10.0 * max_retries


def describe_error(exc: Exception, timeout: float) -> str:
    """User-facing reason, without request contents or secrets."""
    if isinstance(exc, DeadlineExceeded):
        return (f"Claude unavailable: no complete answer within {exc.seconds:g}s (llm.timeout per attempt, "
                "llm.max_retries)")
    if isinstance(exc, anthropic.APITimeoutError):
        return f"Claude unavailable: no answer within {timeout:g}s (llm.timeout, per attempt; llm.max_retries)"
    if isinstance(exc, anthropic.APIConnectionError):
        return "Claude unavailable: connection failed"
    if isinstance(exc, anthropic.APIStatusError):
        kind = _error_type(exc)
        if exc.status_code == 429 or exc.status_code >= 500:
            return f"Claude unavailable: HTTP {exc.status_code} {kind}".rstrip()
        return f"Claude rejected the request: HTTP {exc.status_code} {kind}".rstrip()
    if isinstance(exc, (ValueError, anthropic.APIResponseValidationError)):  # e.g. a body that is not JSON
        return "Claude unavailable: the answer was not a valid Messages API response"
    return f"Claude unavailable: {exc.__class__.__name__}"


def is_tool_choice_rejection(exc: Exception) -> bool:
    return (isinstance(exc, anthropic.BadRequestError)
            and "tool_choice" in str(getattr(exc, "message", "") or exc))


def _error_type(exc: anthropic.APIStatusError) -> str:
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error") if isinstance(body.get("error"), dict) else body
    return str(error.get("type", "")) if isinstance(error, dict) else ""
