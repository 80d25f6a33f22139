"""Column tests of the batch template miner: which free columns split a group of rows.

A column (one token position in rows of equal length) splits a group when it takes few
distinct word-like values: those values are wording, not data. Masking leaves names that
end in a number unmasked (``eth0``, ``alt0``, ``SOCKS5``), so a column of them has as many
values as there are numbered instances, and that number grows with the size of the log.
Such columns are judged by their *name families* instead (the number read as ``<*>``:
``en0``, ``en12`` -> ``en<*>``; a lone letter glued to the number belongs to it, so
``Thunderbird_A1`` -> ``Thunderbird_<*>``): a few families split the group, one per family,
and one family is a variable (``en<*>`` in the template). The outcome then no longer
depends on how many instances a log happens to hold. No rule is specific to one source.
"""

from __future__ import annotations

import re
from collections import defaultdict
from operator import itemgetter

from analyzers.logs.masking import WILDCARD, is_variable_token

_DIGIT = re.compile(r"[0-9]")
# The number of a numbered name: a digit run, with the single letter before it when that
# letter stands alone (``A1`` in ``Thunderbird_A1`` is an id, ``0`` in ``alt0`` a number).
_NUMBER_PART = re.compile(r"(?<![A-Za-z])[A-Za-z][0-9]+|[0-9]+")

Row = tuple[str, ...]

# Name family of each word already folded, per batch: a group's columns are tested again at
# every level of ``split_downward`` and once more in ``common_template``.
FamilyCache = dict[str, str]


def _families(values: set[str], cache: FamilyCache) -> FamilyCache:
    """``cache``, completed with the family of each of ``values`` (which hold no ``<*>``)."""
    missing = [value for value in values if value not in cache]
    if missing:
        cache.update(zip(missing, _NUMBER_PART.sub(WILDCARD, "\n".join(missing)).split("\n")))
    return cache


def partition(members: list[Row], columns: list[int]) -> list[list[Row]]:
    """``members`` grouped by their values at ``columns`` (first-seen order)."""
    parts: dict[object, list[Row]] = defaultdict(list)
    key = itemgetter(*columns)
    for row in members:
        parts[key(row)].append(row)
    return list(parts.values())


def split_downward(
    members: list[Row], columns: list[int], max_values: int, cache: FamilyCache | None = None
) -> list[list[Row]]:
    """Split ``members`` by the columns that look constant, fewest distinct values first.

    A column qualifies with 2..``max_values`` distinct word-like values or, when its
    values hold digits, 2..``max_values`` name families (see the module docstring). A
    column is used once; the rest are tried again inside each part.
    """
    if len(members) == 1 or not columns:
        return [members]
    if cache is None:
        cache = {}
    best_column, best_size = -1, max_values + 1
    best_family: set[str] | None = None  # values of the best column, if split by family
    for position in columns:
        values = set(map(itemgetter(position), members))
        size = len(values)
        if size == 1 or (size >= best_size and size <= max_values):
            continue
        joined = "\n".join(values)
        if WILDCARD in joined:  # data: masked variables
            continue
        if _DIGIT.search(joined) is None:
            if size < best_size:
                best_column, best_size, best_family = position, size, None
            continue
        families = len(set(map(_families(values, cache).__getitem__, values)))
        if 1 < families < best_size:
            best_column, best_size = position, families
            best_family = None if families == size else values
    if best_column < 0:
        return [members]
    rest = [position for position in columns if position != best_column]
    if best_family is None:
        parts = partition(members, [best_column])
    else:
        family_of = _families(best_family, cache)
        by_family: dict[str, list[Row]] = defaultdict(list)
        for row in members:
            by_family[family_of[row[best_column]]].append(row)
        parts = list(by_family.values())
    result: list[list[Row]] = []
    for part in parts:
        result.extend(split_downward(part, rest, max_values, cache))
    return result


def common_template(rows: list[Row], cache: FamilyCache | None = None) -> Row:
    """Tokens shared by all ``rows`` at each position, else their name family with each
    digit run as ``<*>`` (``alt<*>``) when they have one, else ``<*>``."""
    if len(rows) == 1:
        return rows[0]
    size = len(rows)
    if cache is None:
        cache = {}
    return tuple(
        column[0] if column.count(column[0]) == size else _family_token(column, cache)
        for column in zip(*rows)
    )


def family_token(token: str) -> str:
    """``token`` with the number of a numbered name as ``<*>`` (``eth12`` -> ``eth<*>``);
    ``<*>`` when nothing but a number is left, ``token`` itself when it holds no digit."""
    if _DIGIT.search(token) is None or WILDCARD in token:
        return token
    family = _NUMBER_PART.sub(WILDCARD, token)
    return WILDCARD if is_variable_token(family) else family


def merged_token(template_token: str, token: str) -> str | None:
    """Token of a template covering both tokens when the template keeps a word there:
    the word, or a shared name family; None when the template needs ``<*>`` there."""
    if template_token == token:
        return token
    if WILDCARD not in template_token or template_token == WILDCARD:
        if _DIGIT.search(template_token) is None:
            return None
        template_token = family_token(template_token)
    family = family_token(token)
    return family if family == template_token and family != WILDCARD else None


def _family_token(column: tuple[str, ...], cache: FamilyCache) -> str:
    """``family_token`` shared by all tokens of ``column``, else ``<*>``."""
    values = set(column)
    joined = "\n".join(values)
    if WILDCARD in joined or _DIGIT.search(joined) is None:
        return WILDCARD
    families = set(map(_families(values, cache).__getitem__, values))
    if len(families) != 1:
        return WILDCARD
    family = families.pop()
    return WILDCARD if is_variable_token(family) else family
