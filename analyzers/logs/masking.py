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
from itertools import compress, count, repeat
from operator import ne, not_
from typing import Iterable, NamedTuple

WILDCARD = "<*>"

# Quoted value of key="value"; bare values are left to the miner.
_KEY_VALUE = re.compile(r"""=(?:"[^"\n]*"|'[^'\n]*')""")
# Characters that may belong to a variable "word" (identifiers, numbers, paths, hosts).
_W = r"\w.\-/@#+~"
# A whole run of word characters holding a digit, unless it is a name ending in one or two
# digits (eth0, SOCKS5, awdl0).
# Digits are ASCII ``0-9`` so that a bytes pass can tell which words may change.
_DIGIT_WORD = re.compile(
    rf"(?<![{_W}])(?![A-Za-z][A-Za-z_]*+[0-9]{{1,2}}(?![{_W}]))[{_W}]*[0-9][{_W}]*"
)
_DIGIT = re.compile(r"[0-9]")
# Variables glued by punctuation ("<*>:<*>", "<*>.<*>.<*>") are one variable.
# Day numbers, clocks and years as they follow a month: "17", "07:07:00", "2005,".
_NUMBER_LIKE = re.compile(r",*[0-9:.]*[0-9][0-9:.]*,*")
_ALPHANUMERIC = re.compile(r"[^\W_]")
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
# Bytes whose presence lets masking change a word (digits, ``=`` of key="value").
_MAY_CHANGE = b"0123456789="
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
# Below this many lines, shapes are not worth computing.
_MIN_LINES_FOR_SHAPES = 16
# Lines tokenised together (bounds the transient copies of their text).
_CHUNK_LINES = 50_000


def tokenize(line: str) -> tuple[str, ...]:
    """Masked, whitespace-separated tokens of ``line``."""
    words = line.split()
    masked = [_mask_word(word) for word in words]
    special = {word for word in words if _is_multi_word_part(word)}
    if special:
        return _fold_multi_word(words, masked, _WordFacts.of(words, special))
    return tuple(masked)


def mask_line(line: str) -> str:
    """``line`` with variable parts replaced by ``<*>`` (whitespace normalised)."""
    return " ".join(tokenize(line))


def is_variable_token(token: str) -> bool:
    """True for ``<*>`` and tokens made only of wildcards and punctuation (``(<*>)``)."""
    if WILDCARD not in token:
        return False
    return _ALPHANUMERIC.search(token.replace(WILDCARD, "")) is None


class LineTokenizer:
    """``tokenize`` with a bounded cache of masked words, for streams of lines."""

    def __init__(self, max_cached_words: int = 200_000) -> None:
        self._max_cached_words = max_cached_words
        self._masked: dict[str, str] = {}
        self._facts = _WordFacts(set(), set(), set())

    def __call__(self, line: str) -> tuple[str, ...]:
        words = line.split()
        masked = self._masked
        if len(masked) > self._max_cached_words:
            masked.clear()
            self._facts = _WordFacts(set(), set(), set())
        tokens = list(map(masked.get, words))
        if None in tokens:
            tokens = [
                self._learn(word) if token is None else token for word, token in zip(words, tokens)
            ]
        if not self._facts.special.isdisjoint(words):
            return _fold_multi_word(words, tokens, self._facts)
        return tuple(tokens)

    def _learn(self, word: str) -> str:
        if _is_multi_word_part(word):
            self._facts.special.add(word)
        if _DIGIT.search(word):
            self._facts.with_digit.add(word)
            if _is_number_like(word):
                self._facts.number_like.add(word)
        masked = _mask_word(word)
        self._masked[word] = masked
        return masked


def tokenize_distinct(lines: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Tokens of every distinct line, computed in bulk (same result as ``tokenize``)."""
    distinct = list(dict.fromkeys(lines))
    return dict(zip(distinct, tokenize_rows(distinct)))


def tokenize_rows(lines: list[str]) -> list[tuple[str, ...]]:
    """Tokens of each line of ``lines`` (best with distinct lines), in order."""
    rows, row_of_line = tokenize_indexed(lines)
    return list(map(rows.__getitem__, row_of_line))


def tokenize_indexed(lines: list[str]) -> tuple[list[tuple[str, ...]], list[int]]:
    """Token rows and, for each line of ``lines``, the index of its row (mostly distinct rows).

    Lines are handled in chunks so that the working copies of their text stay bounded.
    """
    if len(lines) <= _CHUNK_LINES:
        return _tokenize_chunk(lines)
    rows: list[tuple[str, ...]] = []
    row_of_line: list[int] = []
    for start in range(0, len(lines), _CHUNK_LINES):
        chunk_rows, chunk_row_of_line = _tokenize_chunk(lines[start : start + _CHUNK_LINES])
        row_of_line += map(len(rows).__add__, chunk_row_of_line)
        rows += chunk_rows
    return rows, row_of_line


def _tokenize_chunk(lines: list[str]) -> tuple[list[tuple[str, ...]], list[int]]:
    """``tokenize_indexed`` for one chunk of lines.

    Masking treats every ASCII digit alike, so a line and its *shape* (each digit written
    as ``0``) give the same tokens whenever those tokens hold no digit (numbers are masked;
    only names such as ``eth0`` keep theirs). Lines are therefore tokenised once per shape,
    and exactly only where the shape's tokens still hold a digit.
    """
    line_count = len(lines)
    joined = "\n".join(lines)
    if line_count < _MIN_LINES_FOR_SHAPES or joined.count("\n") != line_count - 1:
        return _tokenize_words(lines), list(range(line_count))
    shapes = (
        joined.encode("utf-8", "surrogatepass")
        .translate(_DIGITS_AS_ZERO)
        .decode("utf-8", "surrogatepass")
        .split("\n")
    )
    distinct_shapes = dict.fromkeys(shapes)
    if len(distinct_shapes) * 10 > line_count * 9:
        return _tokenize_words(lines), list(range(line_count))
    rows = _tokenize_words(list(distinct_shapes))
    row_of_line = list(map(dict(zip(distinct_shapes, count())).__getitem__, shapes))
    keeps_digit = {index for index, row in enumerate(rows) if "0" in " ".join(row)}
    if keeps_digit:
        _restore_digits(lines, rows, row_of_line, keeps_digit)
    return rows, row_of_line


def _restore_digits(
    lines: list[str],
    rows: list[tuple[str, ...]],
    row_of_line: list[int],
    keeps_digit: set[int],
) -> None:
    """Give exact rows (appended to ``rows``) to the lines whose shape row holds a digit.

    When every token of the shape row comes from the word at the same position (nothing
    was folded), only the digit-holding tokens are masked again from the line's own words;
    otherwise the whole line is tokenised again.
    """
    digit_positions: dict[int, tuple[int, ...] | None] = {}
    exact: list[tuple[int, list[str], tuple[int, ...]]] = []
    again: list[int] = []
    for index in compress(range(len(lines)), map(keeps_digit.__contains__, row_of_line)):
        words = lines[index].split()
        shape_index = row_of_line[index]
        if shape_index not in digit_positions:
            digit_positions[shape_index] = _digit_positions(words, rows[shape_index])
        positions = digit_positions[shape_index]
        if positions is None:
            again.append(index)
        else:
            exact.append((index, words, positions))
    to_mask = list({words[at] for _index, words, positions in exact for at in positions})
    masked = dict(zip(to_mask, _mask_words_text("\n".join(to_mask)).split("\n")))
    for index, words, positions in exact:
        row = list(rows[row_of_line[index]])
        for position in positions:
            row[position] = masked[words[position]]
        row_of_line[index] = len(rows)
        rows.append(tuple(row))
    for index, row in zip(again, _tokenize_words([lines[index] for index in again])):
        row_of_line[index] = len(rows)
        rows.append(row)


def _digit_positions(words: list[str], row: tuple[str, ...]) -> tuple[int, ...] | None:
    """Positions of digit-holding tokens when each token comes from its own word, else None."""
    positions = tuple(position for position, token in enumerate(row) if "0" in token)
    if len(words) != len(row) or any(
        '="' in words[position] or "='" in words[position] for position in positions
    ):
        return None
    return positions


def _tokenize_words(lines: list[str]) -> list[tuple[str, ...]]:
    """Tokens of each line, masking every distinct word once.

    Only the distinct words holding a digit or ``=`` can change when masked; they are found
    with one bytes pass and masked with one regex pass over their newline-joined text, so
    no Python call runs per word. Folding of multi-word variables visits only the lines,
    and inside them only the words, that may start one.
    """
    splits = list(map(str.split, lines))
    words = list(set().union(*splits)) if splits else []
    if not words:
        return [()] * len(lines)
    joined = "\n".join(words)
    encoded = joined.encode("utf-8", "surrogatepass")
    kept = encoded.translate(None, _MAY_CHANGE).split(b"\n")
    changing = list(compress(words, map(ne, map(len, encoded.split(b"\n")), map(len, kept))))
    # Every word maps to one shared string object, so equal token rows compare by identity.
    masked_of = dict(zip(words, words))
    if changing:
        masked = _mask_words_text("\n".join(changing)).split("\n")
        shared: dict[str, str] = {}
        masked_of.update(zip(changing, map(shared.setdefault, masked, masked)))
    get = masked_of.__getitem__
    cores = map(str.strip, words, repeat(_PUNCTUATION))
    multi_word = set(compress(words, map(_MULTI_WORD_CORES.__contains__, cores)))
    if '="' in joined or "='" in joined:
        multi_word.update(word for word in changing if '="' in word or "='" in word)
    rows = [tuple(map(get, split)) for split in splits]
    if not multi_word:
        return rows
    to_fold = list(compress(range(len(splits)), map(not_, map(multi_word.isdisjoint, splits))))
    fold_words = set().union(*[splits[index] for index in to_fold])
    with_digit = set(compress(fold_words, map(_DIGIT.search, fold_words)))
    facts = _WordFacts(multi_word, with_digit, set(filter(_NUMBER_LIKE.fullmatch, with_digit)))
    for index in to_fold:
        rows[index] = _fold_multi_word(splits[index], list(rows[index]), facts)
    return rows


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
    """ASCII digits with ``:``/``.`` separators (and commas around): days, clocks, years."""
    return _NUMBER_LIKE.fullmatch(word) is not None


class _WordFacts(NamedTuple):
    """What folding needs to know about the words of the lines being folded."""

    special: set[str]  # words for which ``_is_multi_word_part`` is true
    with_digit: set[str]  # words holding an ASCII digit
    number_like: set[str]  # words for which ``_is_number_like`` is true

    @classmethod
    def of(cls, words: Iterable[str], special: set[str]) -> "_WordFacts":
        with_digit = {word for word in words if _DIGIT.search(word)}
        return cls(special, with_digit, set(filter(_is_number_like, with_digit)))


def _fold_multi_word(words: list[str], masked: list[str], facts: _WordFacts) -> tuple[str, ...]:
    """Fold dates, quantities with units and quoted values with spaces into one token.

    Only the positions of special words are visited; the tokens between them are copied as
    slices. ``facts`` must cover every word of ``words``.
    """
    out: list[str] = []
    index = 0
    for position in compress(range(len(words)), map(facts.special.__contains__, words)):
        if position < index:
            continue
        out += masked[index:position]
        index = _fold_at(words, masked, position, out, facts)
    out += masked[index:]
    return tuple(out)


def _fold_at(
    words: list[str], masked: list[str], index: int, out: list[str], facts: _WordFacts
) -> int:
    """Handle the special word at ``index`` (appending to ``out``); returns the next index."""
    word = words[index]
    if "=" in word and ('="' in word or "='" in word) and WILDCARD not in masked[index]:
        return _fold_quoted(words, index, out)
    core = word.strip(_PUNCTUATION)
    if core in _UNITS:
        if out and words[index - 1] in facts.with_digit and _is_quantity(out[-1]):
            quantity = out[-1]
            index += 1
            if word[-1] in _PUNCTUATION:
                out[-1] = quantity + _trailing_punctuation(word)
            if (
                index + 1 < len(words)
                and words[index][0] == "("
                and ")" in words[index + 1]
                and words[index] in facts.with_digit
                and words[index + 1].strip(_PUNCTUATION) in _UNITS
            ):
                # "403 bytes (0.4 KB)": the restated quantity belongs to the same variable.
                closing = words[index + 1]
                out[-1] = quantity + closing[closing.rindex(")") + 1 :]
                index += 2
            return index
    elif core in _MONTHS or core in _WEEKDAYS:
        following = words[index + 1] if index + 1 < len(words) else ""
        if (core in _MONTHS and following in facts.number_like) or (
            core in _WEEKDAYS and following.strip(_PUNCTUATION) in _MONTHS
        ):
            if not out or out[-1] != WILDCARD:
                out.append(WILDCARD)
            index += 1
            count = len(words)
            while index < count and (
                words[index] in facts.number_like or words[index].strip(_PUNCTUATION) in _MONTHS
            ):
                index += 1
            return index
    out.append(masked[index])
    return index + 1


def _is_quantity(token: str) -> bool:
    """True when ``token`` (masked from a word holding a digit) may be followed by a unit."""
    return token == WILDCARD or is_variable_token(token)


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
