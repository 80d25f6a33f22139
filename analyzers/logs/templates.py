"""Log template mining: groups raw log lines into templates where variable parts are ``<*>``.

Pure and generic (no per-dataset rules). The batch path (``TemplateMiner.mine``) is a
frequency-based parser in the spirit of Brain (Yu et al. 2023): lines are masked and
tokenised, grouped by token count, each line is anchored on its largest set of words
sharing one column frequency, and columns outside the anchor are split into constants or
variables by their frequency and variety (numbered names such as ``eth0`` by their
name family, see ``columns``). The online path (``TemplateMiner.add``) matches
known templates first (a family token ``alt<*>`` matches ``alt7``) and otherwise merges
into the most similar same-length cluster.

Speed: work is done once per distinct line, distinct token row or distinct frequency
pattern, mostly inside C-implemented builtins (``map``, ``zip``, ``Counter``); nothing
scans lines against all templates, and online lookups are bounded.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import chain, compress, repeat
from typing import Iterable, Sequence

from analyzers.logs.columns import (
    FamilyCache,
    common_template,
    merged_token,
    partition,
    split_downward,
)
from analyzers.logs.masking import (
    WILDCARD,
    LineTokenizer,
    is_variable_token,
    tokenize_indexed,
)

logger = logging.getLogger(__name__)

# A column whose values (outside the anchor) take at most this many distinct values is
# kept as a constant and splits the group; more distinct values make it a variable.
DEFAULT_MAX_CONSTANT_VALUES = 4
# Online path: minimal share of equal tokens to merge a line into an existing cluster.
DEFAULT_SIMILARITY = 0.5
# Online path: bound on the clusters compared per index list (the most recent are kept).
_MAX_CANDIDATES = 256
# Bound on the token rows remembered for exact matches in ``add``.
_MAX_REMEMBERED_ROWS = 200_000


@dataclass(frozen=True)
class Cluster:
    """One template and how many lines it covers."""

    id: int
    template: str
    count: int


@dataclass
class _ClusterState:
    tokens: list[str]
    count: int


class TemplateMiner:
    """Mines log templates; cluster ids are stable for the lifetime of the miner."""

    def __init__(
        self,
        max_constant_values: int = DEFAULT_MAX_CONSTANT_VALUES,
        similarity: float = DEFAULT_SIMILARITY,
    ) -> None:
        self._max_constant_values = max_constant_values
        self._similarity = similarity
        self._clusters: list[_ClusterState] = []
        # Online candidates: cluster ids by token count, and by (token count, first word).
        self._by_length: dict[int, list[int]] = defaultdict(list)
        self._by_first_word: dict[tuple[int, str], list[int]] = defaultdict(list)
        self._by_tokens: dict[tuple[str, ...], int] = {}
        self._tokenize = LineTokenizer()
        self._by_template: dict[tuple[str, ...], int] = {}

    # ------------------------------------------------------------------ public API
    def add(self, line: str) -> int:
        """Assign one line to a cluster (creating or generalising one) and return its id."""
        tokens = self._tokenize(line)
        cluster_id = self._by_tokens.get(tokens)
        if cluster_id is None:
            cluster_id = self._match_or_merge(tokens)
            if len(self._by_tokens) >= _MAX_REMEMBERED_ROWS:
                self._by_tokens.clear()
            self._by_tokens[tokens] = cluster_id
        self._clusters[cluster_id].count += 1
        return cluster_id

    def mine(self, lines: Sequence[str]) -> list[int]:
        """Cluster a batch of lines at once (two passes); returns the cluster id per line."""
        line_counts = Counter(lines)
        distinct = list(line_counts)
        rows, row_of_line = tokenize_indexed(distinct)
        row_weights = Counter(chain.from_iterable(map(repeat, row_of_line, line_counts.values())))
        weights: dict[tuple[str, ...], int] = {}
        for index, weight in row_weights.items():
            row = rows[index]
            weights[row] = weights.get(row, 0) + weight
        by_length: dict[int, list[tuple[str, ...]]] = defaultdict(list)
        for tokens in weights:
            by_length[len(tokens)].append(tokens)
        template_of: dict[tuple[str, ...], tuple[str, ...]] = {}
        for same_length in by_length.values():
            template_of.update(self._mine_same_length(same_length, weights))
        canonical = _merge_across_lengths(set(template_of.values()))
        row_cluster: dict[tuple[str, ...], int] = {}
        for tokens, template in template_of.items():
            cluster_id = self._register_template(canonical[template])
            row_cluster[tokens] = cluster_id
            self._clusters[cluster_id].count += weights[tokens]
        self._remember_rows(row_cluster)
        cluster_of_row = [row_cluster.get(row, -1) for row in rows]
        cluster_of_distinct = list(map(cluster_of_row.__getitem__, row_of_line))
        if len(distinct) == len(lines):
            return cluster_of_distinct
        return list(map(dict(zip(distinct, cluster_of_distinct)).__getitem__, lines))

    def template(self, cluster_id: int) -> str:
        """Template text of a cluster, variables shown as ``<*>``."""
        return " ".join(self._clusters[cluster_id].tokens)

    def clusters(self) -> list[Cluster]:
        """All clusters that cover at least one line, by id."""
        return [
            Cluster(id=index, template=" ".join(state.tokens), count=state.count)
            for index, state in enumerate(self._clusters)
            if state.count > 0
        ]

    # ------------------------------------------------------------------ batch internals
    def _mine_same_length(
        self, rows: list[tuple[str, ...]], weights: dict[tuple[str, ...], int]
    ) -> dict[tuple[str, ...], tuple[str, ...]]:
        """Templates for distinct token rows that all have the same length."""
        if len(rows) == 1 or not rows[0]:
            return {row: row for row in rows}
        column_freq = _column_frequencies(rows, weights)
        result: dict[tuple[str, ...], tuple[str, ...]] = {}
        families: FamilyCache = {}
        for ((anchor_freq, chosen), _words), members in _anchor_groups(rows, column_freq).items():
            if len(members) == 1:
                result[members[0]] = members[0]
                continue
            anchor_positions = tuple(compress(range(len(chosen)), chosen))
            for subgroup in self._split_group(
                members, anchor_freq, anchor_positions, column_freq, families
            ):
                template = common_template(subgroup, families)
                for row in subgroup:
                    result[row] = template
        return result

    def _split_group(
        self,
        members: list[tuple[str, ...]],
        anchor_freq: int,
        anchor_positions: tuple[int, ...],
        column_freq: list[dict[str, int]],
        families: FamilyCache,
    ) -> list[list[tuple[str, ...]]]:
        """Split an anchored group by the columns that look constant.

        Columns whose words are all more frequent than the anchor are constants (they sit
        above the anchor in the tree). The other columns are split one at a time, fewest
        distinct values first, while a column has few distinct word-like values.
        """
        anchored = set(anchor_positions)
        columns = list(zip(*members))
        free = [position for position in range(len(columns)) if position not in anchored]
        upward = [
            position
            for position in free
            if min(map(column_freq[position].__getitem__, columns[position])) > anchor_freq
        ]
        groups = partition(members, upward) if upward else [members]
        downward = [position for position in free if position not in upward]
        if not downward:
            return groups
        result: list[list[tuple[str, ...]]] = []
        for group in groups:
            result.extend(split_downward(group, downward, self._max_constant_values, families))
        return result

    def _register_template(self, template: tuple[str, ...]) -> int:
        cluster_id = self._by_template.get(template)
        if cluster_id is None:
            cluster_id = self._new_cluster(list(template))
            self._by_template[template] = cluster_id
        return cluster_id

    # ------------------------------------------------------------------ online internals
    def _remember_rows(self, row_cluster: dict[tuple[str, ...], int]) -> None:
        """Exact-match memory for ``add``, bounded: rows beyond the limit are not kept."""
        if len(self._by_tokens) + len(row_cluster) > _MAX_REMEMBERED_ROWS:
            self._by_tokens.clear()
        if len(row_cluster) <= _MAX_REMEMBERED_ROWS:
            self._by_tokens.update(row_cluster)

    def _match_or_merge(self, tokens: tuple[str, ...]) -> int:
        """First cluster whose template matches, else merge into the most similar one.

        Candidates (in id order) are the most recent ``_MAX_CANDIDATES`` same-length clusters
        overall, starting with the line's first word, and starting with a variable; so the
        work per new token row stays bounded however many templates exist.
        """
        length = len(tokens)
        first = tokens[0] if tokens else ""
        candidates = set(self._by_length[length][-_MAX_CANDIDATES:])
        candidates.update(self._by_first_word[(length, first)][-_MAX_CANDIDATES:])
        candidates.update(self._by_first_word[(length, WILDCARD)][-_MAX_CANDIDATES:])
        best_id, best_score = -1, -1.0
        for cluster_id in sorted(candidates):
            template = self._clusters[cluster_id].tokens
            equal = 0
            matches = True
            for template_token, token in zip(template, tokens):
                if template_token == token:
                    equal += 1
                elif template_token == WILDCARD:
                    continue
                elif WILDCARD in template_token and merged_token(template_token, token):
                    equal += 1  # a name family (``alt<*>``) matches its numbered names
                else:
                    matches = False
            if matches:
                return cluster_id
            score = equal / length if length else 1.0
            if score > best_score:
                best_id, best_score = cluster_id, score
        if best_id >= 0 and best_score >= self._similarity:
            state = self._clusters[best_id]
            merged = [
                template_token
                if template_token == token
                else merged_token(template_token, token) or WILDCARD
                for template_token, token in zip(state.tokens, tokens)
            ]
            if merged and merged[0] == WILDCARD and state.tokens[0] != WILDCARD:
                self._by_first_word[(length, WILDCARD)].append(best_id)
            state.tokens = merged
            return best_id
        return self._new_cluster(list(tokens))

    def _new_cluster(self, tokens: list[str]) -> int:
        cluster_id = len(self._clusters)
        self._clusters.append(_ClusterState(tokens=tokens, count=0))
        self._by_length[len(tokens)].append(cluster_id)
        self._by_first_word[(len(tokens), tokens[0] if tokens else "")].append(cluster_id)
        return cluster_id


def _column_frequencies(
    rows: list[tuple[str, ...]], weights: dict[tuple[str, ...], int]
) -> list[dict[str, int]]:
    """Per position, how many lines hold each word there."""
    frequencies: list[dict[str, int]]
    if len(rows) > _MANY_ROWS:  # count each row once in C, then add the repeats
        frequencies = [Counter(column) for column in zip(*rows)]
        to_add = [row for row in rows if weights[row] > 1]
        counted = 1
    else:  # a plain loop beats building one Counter per short column
        frequencies = [{} for _ in rows[0]]
        to_add = rows
        counted = 0
    for row in to_add:
        weight = weights[row] - counted
        for frequency, word in zip(frequencies, row):
            frequency[word] = frequency.get(word, 0) + weight
    return frequencies


# Above this many rows of one length, columns are counted with ``Counter``.
_MANY_ROWS = 64


def _anchor_groups(
    rows: list[tuple[str, ...]], column_freq: list[dict[str, int]]
) -> dict[tuple, list[tuple[str, ...]]]:
    """Rows grouped by anchor: same anchor frequency, positions and words.

    A row's anchor is its largest set of words sharing one column frequency (ties: the
    most frequent). It depends only on the row's column frequencies, so it is chosen once
    per distinct frequency pattern.
    """
    columns = zip(column_freq, zip(*rows))
    row_frequencies = zip(*[list(map(freq.__getitem__, column)) for freq, column in columns])
    chosen_for: dict[tuple[int, ...], tuple[int, tuple[bool, ...]]] = {}
    groups: dict[tuple, list[tuple[str, ...]]] = defaultdict(list)
    for row, frequencies in zip(rows, row_frequencies):
        chosen = chosen_for.get(frequencies)
        if chosen is None:
            chosen = chosen_for[frequencies] = _choose_anchor(frequencies)
        groups[(chosen, tuple(compress(row, chosen[1])))].append(row)
    return groups


def _choose_anchor(frequencies: tuple[int, ...]) -> tuple[int, tuple[bool, ...]]:
    """(frequency, per-position flags) of the largest set of positions sharing a frequency."""
    distinct = set(frequencies)
    if len(distinct) == 1:
        freq = frequencies[0]
    else:
        distinct.discard(1)
        freq = max([(frequencies.count(value), value) for value in distinct])[1]
    return freq, tuple(map(freq.__eq__, frequencies))


def _constant_skeleton(
    template: tuple[str, ...], variable_tokens: set[str]
) -> tuple[str, ...]:
    """Constant tokens of a template, one ``<*>`` per run of variable tokens."""
    if variable_tokens.isdisjoint(template):
        return template
    skeleton: list[str] = []
    for token in template:
        if token in variable_tokens:
            if not skeleton or skeleton[-1] != WILDCARD:
                skeleton.append(WILDCARD)
        else:
            skeleton.append(token)
    return tuple(skeleton)


def _merge_across_lengths(
    templates: Iterable[tuple[str, ...]],
) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Map each template to a shared one when templates differ only in variable runs.

    A variable can span several tokens ("SurfaceView - x" vs "x"), which puts lines of one
    event in different length groups; templates with the same constant words in the same
    order, and at least one constant word, are merged into their skeleton.
    """
    templates = list(templates)
    variable_tokens = {
        token
        for token in set().union(*templates)
        if WILDCARD in token and is_variable_token(token)
    }
    by_skeleton: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
    for template in templates:
        by_skeleton[_constant_skeleton(template, variable_tokens)].append(template)
    canonical: dict[tuple[str, ...], tuple[str, ...]] = {}
    for skeleton, members in by_skeleton.items():
        if len(members) == 1 or not any(token != WILDCARD for token in skeleton):
            for template in members:
                canonical[template] = template
        else:
            for template in members:
                canonical[template] = skeleton
    return canonical
