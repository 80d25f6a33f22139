"""Generic masking and tokenisation of log lines before template mining.

A line is split on whitespace and each word is masked on its own: a run of word
characters holding a digit (numbers, ids, IPs, hex, UUIDs, versions, paths with numbers)
becomes ``<*>`` unless it is a short name such as ``eth0`` or ``SOCKS5``; quoted values of
``key="value"`` become ``<*>``. A few variables span several words and are folded into
one token: dates (``Fri Jun 17 07:07:00 2005``), quantities with a unit (``5.2 KB``,
``403 bytes (0.4 KB)``, ``12 ms``) and quoted values holding spaces. No rule is specific
to one log source. Distinct words are masked once (cached or in bulk) for speed.
"""

from __future__ import annotations

import re
from itertools import compress, repeat
from typing import Iterable

WILDCARD = "<*>"

# Quoted value of key="value"; bare values are left to the miner.
_KEY_VALUE = re.compile(r"""=(?:"[^"\n]*"|'[^'\n]*')""")
# Characters that may belong to a variable "word" (identifiers, numbers, paths, hosts).
_W = r"\w.\-/@#+~"
# A whole run of word characters holding a digit, unless it is a name ending in one or two
# digits (eth0, SOCKS5, awdl0).
_DIGIT_WORD = re.compile(rf"(?<![{_W}])(?![A-Za-z][A-Za-z_]*\d{{1,2}}(?![{_W}]))[{_W}]*\d[{_W}]*")
_DIGIT = re.compile(r"\d")
# Variables glued by punctuation ("<*>:<*>", "<*>.<*>.<*>") are one variable.
_WILDCARD_RUN = re.compile(r"<\*>(?:[:.,/\-_@|]*<\*>)+")

_MONTHS = frozenset(
    "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec January February March April June July "
    "August September October November December".split()
)
_WEEKDAYS = frozenset(
    "Mon Tue Wed Thu Fri Sat Sun Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
)
_UNITS = frozenset(
    "ms us µs ns s sec secs second seconds min mins minute minutes hour hours h "
    "bytes B KB MB GB TB KiB MiB GiB kB".split()
)
_MULTI_WORD_CORES = _MONTHS | _WEEKDAYS | _UNITS
_PUNCTUATION = "()[]{},;:.<>=~\"'"


def tokenize(line: str) -> tuple[str, ...]:
    """Masked, whitespace-separated tokens of ``line``."""
    words = line.split()
    masked = [_mask_word(word) for word in words]
    special = {word for word in words if _is_multi_word_part(word)}
    if special:
        return _fold_multi_word(words, masked, special)
    return tuple(masked)


def mask_line(line: str) -> str:
    """``line`` with variable parts replaced by ``<*>`` (whitespace normalised)."""
    return " ".join(tokenize(line))


def is_variable_token(token: str) -> bool:
    """True for ``<*>`` and tokens made only of wildcards and punctuation (``(<*>)``)."""
    if WILDCARD not in token:
        return False
    rest = token.replace(WILDCARD, "")
    return not any(character.isalnum() for character in rest)


class LineTokenizer:
    """``tokenize`` with a cache of masked words, for streams of lines."""

    def __init__(self, max_cached_words: int = 200_000) -> None:
        self._max_cached_words = max_cached_words
        self._masked: dict[str, str] = {}
        self._multi_word: set[str] = set()

    def __call__(self, line: str) -> tuple[str, ...]:
        words = line.split()
        if len(self._masked) > self._max_cached_words:
            self._masked.clear()
            self._multi_word.clear()
        masked = [self._masked.get(word) or self._learn(word) for word in words]
        if not self._multi_word.isdisjoint(words):
            return _fold_multi_word(words, masked, self._multi_word)
        return tuple(masked)

    def _learn(self, word: str) -> str:
        if _is_multi_word_part(word):
            self._multi_word.add(word)
        masked = _mask_word(word)
        self._masked[word] = masked
        return masked


def tokenize_distinct(lines: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Tokens of every distinct line, computed in bulk (same result as ``tokenize``).

    All distinct words are masked with one regex pass over their newline-joined text,
    which avoids a Python call per word.
    """
    splits = {line: line.split() for line in lines}
    words = list(set().union(*splits.values())) if splits else []
    joined = "\n".join(words)
    masked_words = _mask_words_text(joined).split("\n") if words else []
    get = dict(zip(words, masked_words)).__getitem__
    cores = map(str.strip, words, repeat(_PUNCTUATION))
    multi_word = set(compress(words, map(_MULTI_WORD_CORES.__contains__, cores)))
    if '="' in joined or "='" in joined:
        multi_word.update(word for word in words if '="' in word or "='" in word)
    if not multi_word:
        return {line: tuple(map(get, split)) for line, split in splits.items()}
    return {
        line: (
            tuple(map(get, split))
            if multi_word.isdisjoint(split)
            else _fold_multi_word(split, list(map(get, split)), multi_word)
        )
        for line, split in splits.items()
    }


def _mask_word(word: str) -> str:
    if word.isalpha():
        return word
    return _mask_words_text(word)


def _mask_words_text(text: str) -> str:
    """Mask every word of ``text`` (one word per line)."""
    if '="' in text or "='" in text:
        text = _KEY_VALUE.sub("=" + WILDCARD, text)
    if _DIGIT.search(text) is None:
        return text
    text = _DIGIT_WORD.sub(WILDCARD, text)
    return _WILDCARD_RUN.sub(WILDCARD, text)


def _is_multi_word_part(word: str) -> bool:
    """True for words that may belong to a variable spanning several words."""
    if '="' in word or "='" in word:
        return True
    return word.strip(_PUNCTUATION) in _MULTI_WORD_CORES


def _trailing_punctuation(word: str) -> str:
    return word[len(word.rstrip(_PUNCTUATION)) :]


def _is_number_like(word: str) -> bool:
    """Digits with ``:``/``.``/``,`` separators: day numbers, clocks, years."""
    core = word.strip(",")
    return bool(core) and core.replace(":", "").replace(".", "").isdigit()


def _fold_multi_word(
    words: list[str], masked: list[str], special: set[str]
) -> tuple[str, ...]:
    """Fold dates, quantities with units and quoted values with spaces into one token.

    ``special`` holds (at least) the words for which ``_is_multi_word_part`` is true.
    """
    out: list[str] = []
    index, count = 0, len(words)
    while index < count:
        word, token = words[index], masked[index]
        if word not in special:
            out.append(token)
            index += 1
            continue
        core = word.strip(_PUNCTUATION)
        following = words[index + 1] if index + 1 < count else ""
        if ('="' in word or "='" in word) and WILDCARD not in token:
            index = _fold_quoted(words, index, out)
            continue
        if core in _UNITS and out and is_variable_token(out[-1]) and _DIGIT.search(words[index - 1]):
            quantity = out[-1]
            out[-1] = quantity + _trailing_punctuation(word)
            index += 1
            if (
                index + 1 < count
                and words[index].startswith("(")
                and _DIGIT.search(words[index])
                and words[index + 1].strip(_PUNCTUATION) in _UNITS
                and ")" in words[index + 1]
            ):
                # "403 bytes (0.4 KB)": the restated quantity belongs to the same variable.
                closing = words[index + 1]
                out[-1] = quantity + closing[closing.rindex(")") + 1 :]
                index += 2
            continue
        if (core in _MONTHS and _is_number_like(following)) or (
            core in _WEEKDAYS and following.strip(_PUNCTUATION) in _MONTHS
        ):
            if not out or out[-1] != WILDCARD:
                out.append(WILDCARD)
            index += 1
            while index < count and (
                _is_number_like(words[index]) or words[index].strip(_PUNCTUATION) in _MONTHS
            ):
                index += 1
            continue
        out.append(token)
        index += 1
    return tuple(out)


def _fold_quoted(words: list[str], index: int, out: list[str]) -> int:
    """Fold ``key="several words"`` starting at ``words[index]``; returns the next index."""
    word = words[index]
    quote_at = max(word.find('="'), word.find("='")) + 1
    quote = word[quote_at]
    for end in range(index + 1, len(words)):
        if quote in words[end]:
            closing = words[end]
            out.append(word[:quote_at] + WILDCARD + closing[closing.rindex(quote) + 1 :])
            return end + 1
    out.append(word)
    return index + 1
