"""Log template mining: groups raw log lines into templates where variable parts are ``<*>``.

Pure and generic (no per-dataset rules). The batch path (``TemplateMiner.mine``) is a
frequency-based parser in the spirit of Brain (Yu et al. 2023): lines are masked and
tokenised, grouped by token count, each line is anchored on its largest set of words
sharing one column frequency, and columns outside the anchor are split into constants or
variables by their frequency and variety. The online path (``TemplateMiner.add``) matches
known templates first and otherwise merges into the most similar same-length cluster.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence

from analyzers.logs.masking import (
    WILDCARD,
    LineTokenizer,
    is_variable_token,
    tokenize_distinct,
)

logger = logging.getLogger(__name__)

# A column whose values (outside the anchor) take at most this many distinct values is
# kept as a constant and splits the group; more distinct values make it a variable.
DEFAULT_MAX_CONSTANT_VALUES = 4
# Online path: minimal share of equal tokens to merge a line into an existing cluster.
DEFAULT_SIMILARITY = 0.5


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
        self._by_length: dict[int, list[int]] = defaultdict(list)
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
            self._by_tokens[tokens] = cluster_id
        self._clusters[cluster_id].count += 1
        return cluster_id

    def mine(self, lines: Sequence[str]) -> list[int]:
        """Cluster a batch of lines at once (two passes); returns the cluster id per line."""
        line_counts = Counter(lines)
        tokens_of = tokenize_distinct(line_counts)
        weights = Counter(map(tokens_of.__getitem__, lines))
        by_length: dict[int, list[tuple[str, ...]]] = defaultdict(list)
        for tokens in weights:
            by_length[len(tokens)].append(tokens)
        template_of: dict[tuple[str, ...], tuple[str, ...]] = {}
        for rows in by_length.values():
            template_of.update(self._mine_same_length(rows, weights))
        canonical = _merge_across_lengths(set(template_of.values()))
        row_cluster: dict[tuple[str, ...], int] = {}
        for tokens, template in template_of.items():
            row_cluster[tokens] = self._register_template(canonical[template])
        for tokens, cluster_id in row_cluster.items():
            self._clusters[cluster_id].count += weights[tokens]
            self._by_tokens[tokens] = cluster_id
        return list(map(row_cluster.__getitem__, map(tokens_of.__getitem__, lines)))

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
        self, rows: list[tuple[str, ...]], weights: Counter
    ) -> dict[tuple[str, ...], tuple[str, ...]]:
        """Templates for distinct token rows that all have the same length."""
        if not rows or not rows[0]:
            return {row: row for row in rows}
        column_freq: Counter = Counter()
        for row in rows:
            weight = weights[row]
            for position, token in enumerate(row):
                column_freq[(position, token)] += weight
        groups: dict[tuple, list[tuple[str, ...]]] = defaultdict(list)
        for row in rows:
            groups[_anchor(row, column_freq)].append(row)
        result: dict[tuple[str, ...], tuple[str, ...]] = {}
        for (anchor_freq, anchor_positions, _words), members in groups.items():
            for subgroup in self._split_group(members, anchor_freq, anchor_positions, column_freq):
                template = _common_template(subgroup)
                for row in subgroup:
                    result[row] = template
        return result

    def _split_group(
        self,
        members: list[tuple[str, ...]],
        anchor_freq: int,
        anchor_positions: tuple[int, ...],
        column_freq: Counter,
    ) -> list[list[tuple[str, ...]]]:
        """Split an anchored group by the columns that look constant.

        Columns whose words are all more frequent than the anchor are constants (they sit
        above the anchor in the tree). The other columns are split one at a time, fewest
        distinct values first, while a column has few distinct word-like values.
        """
        anchored = set(anchor_positions)
        free = [position for position in range(len(members[0])) if position not in anchored]
        upward = [
            position
            for position in free
            if all(column_freq[(position, row[position])] > anchor_freq for row in members)
        ]
        groups = _partition(members, upward) if upward else [members]
        downward = [position for position in free if position not in set(upward)]
        result: list[list[tuple[str, ...]]] = []
        for group in groups:
            result.extend(self._split_downward(group, downward))
        return result

    def _split_downward(
        self, members: list[tuple[str, ...]], columns: list[int]
    ) -> list[list[tuple[str, ...]]]:
        if len(members) == 1 or not columns:
            return [members]
        best_column, best_size = -1, self._max_constant_values + 1
        for position in columns:
            values = {row[position] for row in members}
            if 1 < len(values) < best_size and not _looks_variable(values):
                best_column, best_size = position, len(values)
        if best_column < 0:
            return [members]
        rest = [position for position in columns if position != best_column]
        result: list[list[tuple[str, ...]]] = []
        for group in _partition(members, [best_column]):
            result.extend(self._split_downward(group, rest))
        return result

    def _register_template(self, template: tuple[str, ...]) -> int:
        cluster_id = self._by_template.get(template)
        if cluster_id is None:
            cluster_id = self._new_cluster(list(template))
            self._by_template[template] = cluster_id
        return cluster_id

    # ------------------------------------------------------------------ online internals
    def _match_or_merge(self, tokens: tuple[str, ...]) -> int:
        best_id, best_score = -1, -1.0
        for cluster_id in self._by_length.get(len(tokens), []):
            template = self._clusters[cluster_id].tokens
            equal = 0
            matches = True
            for template_token, token in zip(template, tokens):
                if template_token == token:
                    equal += 1
                elif template_token != WILDCARD:
                    matches = False
            if matches:
                return cluster_id
            score = equal / len(tokens) if tokens else 1.0
            if score > best_score:
                best_id, best_score = cluster_id, score
        if best_id >= 0 and best_score >= self._similarity:
            state = self._clusters[best_id]
            state.tokens = [
                template_token if template_token == token else WILDCARD
                for template_token, token in zip(state.tokens, tokens)
            ]
            return best_id
        return self._new_cluster(list(tokens))

    def _new_cluster(self, tokens: list[str]) -> int:
        cluster_id = len(self._clusters)
        self._clusters.append(_ClusterState(tokens=tokens, count=0))
        self._by_length[len(tokens)].append(cluster_id)
        return cluster_id


def _anchor(
    row: tuple[str, ...], column_freq: Counter
) -> tuple[int, tuple[int, ...], tuple[str, ...]]:
    """The line's largest set of words sharing one column frequency (ties: most frequent).

    Returns (frequency, positions, words): lines with the same anchor form one group.
    """
    by_freq: dict[int, list[int]] = defaultdict(list)
    for position, token in enumerate(row):
        by_freq[column_freq[(position, token)]].append(position)
    shared = {freq: positions for freq, positions in by_freq.items() if freq > 1} or by_freq
    freq, positions = max(shared.items(), key=lambda item: (len(item[1]), item[0]))
    return freq, tuple(positions), tuple(row[position] for position in positions)


def _partition(
    members: list[tuple[str, ...]], columns: list[int]
) -> list[list[tuple[str, ...]]]:
    parts: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
    for row in members:
        parts[tuple(row[position] for position in columns)].append(row)
    return list(parts.values())


def _looks_variable(values: Iterable[str]) -> bool:
    """True when column values look like data rather than wording."""
    return any(WILDCARD in value for value in values)


def _common_template(rows: list[tuple[str, ...]]) -> tuple[str, ...]:
    first = rows[0]
    if len(rows) == 1:
        return first
    return tuple(
        token if all(row[position] == token for row in rows) else WILDCARD
        for position, token in enumerate(first)
    )


def _constant_skeleton(template: tuple[str, ...]) -> tuple[str, ...]:
    """Constant tokens of a template, one ``<*>`` per run of variable tokens."""
    skeleton: list[str] = []
    for token in template:
        if is_variable_token(token):
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
    by_skeleton: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
    for template in templates:
        by_skeleton[_constant_skeleton(template)].append(template)
    canonical: dict[tuple[str, ...], tuple[str, ...]] = {}
    for skeleton, members in by_skeleton.items():
        has_constant = any(token != WILDCARD for token in skeleton)
        if len(members) == 1 or not has_constant:
            for template in members:
                canonical[template] = template
        else:
            for template in members:
                canonical[template] = skeleton
    return canonical
