"""Tests for the log template miner (analyzers.logs.templates / masking)."""

from __future__ import annotations

import random
import string
from pathlib import Path

import pytest

from analyzers.logs import Cluster, TemplateMiner, mask_line, tokenize
from analyzers.logs.masking import LineTokenizer, tokenize_distinct

REQUEST_IDS = [
    "6f2b9d3e-1c2a-4b5e-9f00-123456789abc",
    "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
    "9a8b7c6d-5e4f-3a2b-1c0d-0e1f2a3b4c5d",
]


def _same_cluster(ids: list[int], indexes: list[int]) -> bool:
    return len({ids[index] for index in indexes}) == 1


def test_lambda_runtime_lines_group_per_template() -> None:
    """GIVEN Lambda lines from Python, Node and Java runtimes with varying ids and numbers
    WHEN mined in batch
    THEN lines of one template share a cluster and different templates do not."""
    lines = []
    for index, request_id in enumerate(REQUEST_IDS):
        lines += [
            f"START RequestId: {request_id} Version: $LATEST",
            f"END RequestId: {request_id}",
            f"REPORT RequestId: {request_id}\tDuration: {12.3 + index} ms\tBilled Duration: "
            f"{13 + index} ms\tMemory Size: 128 MB\tMax Memory Used: {70 + index} MB",
            f"[ERROR]\t2024-05-0{index + 1}T10:00:00.000Z\t{request_id}\tpayment failed for order {900 + index}",
            f"2024-05-0{index + 1}T10:00:01.000Z\t{request_id}\tINFO\tfetched {index + 3} items from cart",
            f"2024-05-0{index + 1} 10:00:02 INFO  OrderHandler - processed order {index} in {index * 7} ms",
        ]
    ids = TemplateMiner().mine(lines)
    per_template = [[row * 6 + column for row in range(3)] for column in range(6)]
    for indexes in per_template:
        assert _same_cluster(ids, indexes)
    assert len({ids[indexes[0]] for indexes in per_template}) == 6


def test_hdfs_like_lines() -> None:
    """GIVEN HDFS-style lines with block ids, sizes and IPs
    WHEN mined
    THEN each event type is one cluster with variables masked in its template."""
    miner = TemplateMiner()
    lines = [
        "Receiving block blk_-1608999687919862906 src: /10.250.19.102:54106 dest: /10.250.19.102:50010",
        "Receiving block blk_7503483334202473044 src: /10.251.215.16:55695 dest: /10.251.215.16:50010",
        "PacketResponder 1 for block blk_38865049064139660 terminating",
        "PacketResponder 0 for block blk_-6952295868487656571 terminating",
        "BLOCK* NameSystem.addStoredBlock: blockMap updated: 10.251.73.220:50010 is added to blk_7128370237687728475 size 67108864",
        "BLOCK* NameSystem.addStoredBlock: blockMap updated: 10.250.11.85:50010 is added to blk_-3544583377289625738 size 67108864",
    ]
    ids = miner.mine(lines)
    assert ids[0] == ids[1] and ids[2] == ids[3] and ids[4] == ids[5]
    assert len({ids[0], ids[2], ids[4]}) == 3
    assert miner.template(ids[2]) == "PacketResponder <*> for block <*> terminating"
    assert "blk_" not in miner.template(ids[0])


def test_postgres_cloudwatch_lines() -> None:
    """GIVEN RDS postgres log lines (CloudWatch export) with different clients and pids
    WHEN mined
    THEN authentication failures group together, apart from checkpoints."""
    lines = [
        '2024-05-01 10:00:00 UTC:10.0.1.17(51234):app@orders:[4242]:FATAL:  password authentication failed for user "app"',
        '2024-05-01 10:00:03 UTC:10.0.2.9(40112):app@orders:[4250]:FATAL:  password authentication failed for user "app"',
        "2024-05-01 10:05:00 UTC::@:[612]:LOG:  checkpoint complete: wrote 120 buffers (0.7%); 0 WAL file(s) added",
        "2024-05-01 10:10:00 UTC::@:[612]:LOG:  checkpoint complete: wrote 98 buffers (0.6%); 0 WAL file(s) added",
    ]
    ids = TemplateMiner().mine(lines)
    assert ids[0] == ids[1] and ids[2] == ids[3] and ids[0] != ids[2]


def test_apache_access_lines() -> None:
    """GIVEN apache access-log lines for two endpoints (six distinct remote users)
    WHEN mined
    THEN request lines of each endpoint are grouped and the endpoints stay apart."""
    lines = [
        '10.0.0.1 - - [01/May/2024:10:00:00 +0000] "GET /health HTTP/1.1" 200 2 "-" "ELB-HealthChecker/2.0"',
        '10.0.0.2 - - [01/May/2024:10:00:30 +0000] "GET /health HTTP/1.1" 200 2 "-" "ELB-HealthChecker/2.0"',
        '10.0.0.3 - - [01/May/2024:10:00:31 +0000] "GET /health HTTP/1.1" 200 2 "-" "ELB-HealthChecker/2.0"',
    ] + [
        f'192.168.1.{5 + i} - {user} [01/May/2024:10:01:0{i} +0000] "POST /api/orders HTTP/1.1" '
        f'500 {300 + i} "-" "curl/8.0"'
        for i, user in enumerate(["bob", "ann", "joe", "eve", "max", "kim"])
    ]
    miner = TemplateMiner()
    ids = miner.mine(lines)
    assert _same_cluster(ids, [0, 1, 2]) and _same_cluster(ids, [3, 4, 5, 6, 7, 8])
    assert ids[0] != ids[3]
    assert "/api/orders" in miner.template(ids[3])


def test_distinct_wording_is_separated() -> None:
    """GIVEN same-length lines that differ in a constant word (few values, many lines each)
    WHEN mined
    THEN each wording gets its own cluster."""
    lines = [f"connection to db-{i} opened" for i in range(6)] + [
        f"connection to db-{i} closed" for i in range(6)
    ]
    ids = TemplateMiner().mine(lines)
    assert _same_cluster(ids, list(range(6))) and _same_cluster(ids, list(range(6, 12)))
    assert ids[0] != ids[6]


def test_many_valued_word_column_becomes_variable() -> None:
    """GIVEN one template whose user-name word takes many values
    WHEN mined
    THEN all lines share one cluster and the template shows a wildcard."""
    users = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"]
    lines = [f"session opened for user {user} by sshd" for user in users]
    miner = TemplateMiner()
    ids = miner.mine(lines)
    assert len(set(ids)) == 1
    assert miner.template(ids[0]) == "session opened for user <*> by sshd"


def test_online_add_matches_batch_templates_and_counts() -> None:
    """GIVEN a miner that mined a batch
    WHEN new lines are added one by one
    THEN known shapes reuse the cluster, new shapes get new ids, counts add up."""
    miner = TemplateMiner()
    ids = miner.mine([f"worker {i} started in {i * 3} ms" for i in range(5)])
    assert miner.add("worker 99 started in 12 ms") == ids[0]
    new_id = miner.add("disk /dev/xvda1 is 91% full")
    assert new_id != ids[0]
    clusters = {cluster.id: cluster for cluster in miner.clusters()}
    assert clusters[ids[0]] == Cluster(id=ids[0], template=miner.template(ids[0]), count=6)
    assert clusters[new_id].count == 1


def test_online_add_generalises_similar_lines() -> None:
    """GIVEN an empty miner
    WHEN similar lines arrive online
    THEN they merge into one cluster whose template wildcards the differing word."""
    miner = TemplateMiner()
    first = miner.add("user alice logged in from web")
    second = miner.add("user bob logged in from web")
    assert first == second
    assert miner.template(first) == "user <*> logged in from web"


def test_masking_and_tokenizers_agree() -> None:
    """GIVEN lines with dates, quantities, quoted values and names ending in digits
    WHEN masked by the single-line, cached and bulk tokenisers
    THEN they agree and fold multi-word variables."""
    lines = [
        "proxy.example.com:5070 close, 403 bytes (0.4 KB) sent, 426 bytes received, lifetime <1 sec",
        "connection from 10.1.2.3 (host.example.net) at Fri Jun 17 07:07:00 2005",
        'acquire lock=1, tag="View Lock", name=x',
        "interface eth0 up via SOCKS5",
    ]
    cached = LineTokenizer()
    bulk = tokenize_distinct(lines)
    for line in lines:
        assert tokenize(line) == cached(line) == bulk[line]
    assert tokenize(lines[0])[2:4] == ("<*>", "sent,")
    assert tokenize(lines[1])[-1] == "<*>" and "Jun" not in mask_line(lines[1])
    assert tokenize(lines[2])[2] == "tag=<*>,"
    assert mask_line(lines[3]) == "interface eth0 up via SOCKS5"


def _varied_lines(count: int, seed: int) -> list[str]:
    """Lines mixing numbers, names with digits, dates, units and quoted values."""
    rng = random.Random(seed)
    shapes = [
        "conn {n} from 10.0.{n}.{m}:{p} via eth{d} ok",
        "sshd[{p}]: Failed password for root from 10.1.{n}.{m} port {p} ssh2",
        "job {n} done in {n}.{m} ms, wrote {p} bytes ({m}.{d} KB) to /var/{n}/x{d}",
        "seen at Fri Jun {d} 07:{m}:00 2005 by node-{n} (retry {d})",
        'acquire lock={n}, tag="View Lock {d}", name=k{d}',
        'set k{d}="unclosed {n} value',
        "user{d} opened {n} files on SOCKS{d} at {m}% load",
        "{n} {m} {p}",
    ]
    lines = []
    for _ in range(count):
        values = {key: rng.randrange(1, 99_999) for key in "nmp"}
        lines.append(rng.choice(shapes).format(d=rng.randrange(10), **values))
    return lines


def test_bulk_tokenizer_agrees_with_single_line_on_varied_lines() -> None:
    """GIVEN many lines whose digits vary (shared shapes), with names keeping their digits
    WHEN tokenised in bulk, one by one, and with the cached tokenizer
    THEN every line gets the same tokens from all three."""
    lines = _varied_lines(3_000, seed=5)
    bulk = tokenize_distinct(lines)
    cached = LineTokenizer()
    for line in lines:
        assert bulk[line] == tokenize(line) == cached(line), line
    assert any("eth" in token for tokens in bulk.values() for token in tokens)


def test_batch_mining_groups_large_varied_input() -> None:
    """GIVEN tens of thousands of lines from a few templates with varying numbers
    WHEN mined in one batch
    THEN each template is one cluster and counts add up."""
    templates = [
        "worker {n} finished task {m} in {p} ms",
        "cache miss for key user:{n} shard {m}",
        "GET /api/orders/{n} returned 500 after {p} ms",
    ]
    rng = random.Random(11)
    lines, truth = [], []
    for _ in range(30_000):
        index = rng.randrange(len(templates))
        truth.append(index)
        values = {"n": rng.randrange(10**6), "m": rng.randrange(64), "p": rng.randrange(5_000)}
        lines.append(templates[index].format(**values))
    miner = TemplateMiner()
    ids = miner.mine(lines)
    assert len(set(ids)) == 3
    cluster_of_template = {truth[index]: ids[index] for index in range(len(lines))}
    assert all(ids[index] == cluster_of_template[truth[index]] for index in range(len(lines)))
    assert sum(cluster.count for cluster in miner.clusters()) == len(lines)


def test_online_add_finds_old_templates_among_many() -> None:
    """GIVEN more same-length templates than the online candidate bound
    WHEN a line of the first template arrives again
    THEN it joins that template's cluster rather than starting a new one."""
    rng = random.Random(3)
    words = ["".join(rng.choice(string.ascii_lowercase) for _ in range(7)) for _ in range(4_000)]
    miner = TemplateMiner()
    first = miner.add(f"{words[0]} {words[1]} {words[2]} {words[3]} done")
    for index in range(4, 4_000, 4):
        miner.add(f"{words[index]} {words[index + 1]} {words[index + 2]} {words[index + 3]} done")
    assert miner.add(f"{words[0]} {words[1]} {words[2]} zzzz done") == first


def test_empty_inputs() -> None:
    """GIVEN no lines or blank lines WHEN mined THEN nothing breaks."""
    miner = TemplateMiner()
    assert miner.mine([]) == []
    ids = miner.mine(["", "   "])
    assert ids[0] == ids[1]


LOGHUB = Path("/work/shared/data/loghub2k")


@pytest.mark.skipif(not (LOGHUB / "HDFS").is_dir(), reason="shared loghub data not available")
def test_loghub_hdfs_grouping_accuracy() -> None:
    """GIVEN the loghub HDFS 2k sample (when present)
    WHEN mined
    THEN grouping accuracy against its ground truth is high."""
    from benchmarks.loghub import grouping_accuracy, read_structured

    lines, truth = read_structured(LOGHUB / "HDFS" / "HDFS_2k.log_structured.csv")
    assert grouping_accuracy(TemplateMiner().mine(lines), truth) >= 0.99
