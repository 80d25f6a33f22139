"""Template mining as logs grow: numbered names (``eth0``, ``alt0``, ``SOCKS5``) take more
values in larger logs, which must not merge or split events (analyzers.logs.columns)."""

from __future__ import annotations

import random

from analyzers.logs import TemplateMiner
from analyzers.logs.columns import common_template, family_token, merged_token, split_downward

NIFF = (
    "NIFF: node node-{node} has detected an available network connection on network {net} "
    "via interface {iface}"
)


def _niff_lines(interfaces: dict[str, int], rng: random.Random) -> tuple[list[str], list[str]]:
    """Lines of one NIFF event per interface name; each line numbers its interface at random."""
    lines, truth = [], []
    for name, count in interfaces.items():
        for _ in range(count):
            net = ".".join(str(rng.randrange(256)) for _ in range(4))
            iface = f"{name}{rng.randrange(10)}"
            lines.append(NIFF.format(node=rng.randrange(1000), net=net, iface=iface))
            truth.append(name)
    return lines, truth


def _clusters_by_truth(ids: list[int], truth: list[str]) -> dict[str, set[int]]:
    groups: dict[str, set[int]] = {}
    for cluster_id, label in zip(ids, truth):
        groups.setdefault(label, set()).add(cluster_id)
    return groups


def test_numbered_interface_names_beyond_the_value_limit_split_by_name() -> None:
    """GIVEN one message naming interfaces alt*, ee* and scip*, each with many numbers
    (far more distinct words than the constant-value limit, as in a large log)
    WHEN mined in batch
    THEN each interface name is one cluster, its number a variable of the template."""
    lines, truth = _niff_lines({"alt": 60, "ee": 60, "scip": 20}, random.Random(1))
    miner = TemplateMiner()
    ids = miner.mine(lines)
    groups = _clusters_by_truth(ids, truth)
    assert all(len(clusters) == 1 for clusters in groups.values())
    assert len({next(iter(clusters)) for clusters in groups.values()}) == 3
    assert miner.template(ids[0]).endswith("via interface alt<*>")


def test_rare_numbered_values_do_not_merge_into_a_frequent_constant() -> None:
    """GIVEN a proxy event that ends in HTTPS thousands of times and in SOCKS<n> a few
    times, with n re-drawn per line (SOCKS0 .. SOCKS9)
    WHEN mined in batch
    THEN the HTTPS lines and the SOCKS lines are two clusters."""
    rng = random.Random(2)
    lines, truth = [], []
    for index in range(2000):
        socks = index % 100 == 0
        protocol = f"SOCKS{rng.randrange(10)}" if socks else "HTTPS"
        lines.append(
            f"10.{rng.randrange(256)}.{rng.randrange(256)}.1:{rng.randrange(65536)} open through "
            f"proxy proxy{rng.randrange(100, 999)}.example.org:{rng.randrange(65536)} {protocol}"
        )
        truth.append("socks" if socks else "https")
    ids = TemplateMiner().mine(lines)
    groups = _clusters_by_truth(ids, truth)
    assert len(groups["https"]) == 1 and len(groups["socks"]) == 1
    assert groups["https"] != groups["socks"]


def test_a_few_numbers_of_one_name_do_not_split_an_event() -> None:
    """GIVEN one message about interface en0, en3 and en7 (few values, one numbered name)
    WHEN mined in batch
    THEN all lines share one cluster whatever the number of distinct interfaces."""
    lines = [f"Captive: CNPluginHandler en{n}: Authenticated" for n in (0, 0, 0, 3, 3, 7)]
    lines += [f"Captive: CNPluginHandler en{n}: Evaluating" for n in (0, 0, 0, 8, 2)]
    ids = TemplateMiner().mine(lines)
    assert len(set(ids[:6])) == 1
    assert len(set(ids[6:])) == 1
    assert ids[0] != ids[6]


def test_ids_with_a_letter_before_the_number_stay_one_variable() -> None:
    """GIVEN a message whose data source is Thunderbird_A1 .. Thunderbird_D8 (a single
    letter glued to the number is part of the id)
    WHEN mined in batch
    THEN all lines share one cluster."""
    lines = [
        f"data_thread() got not answer from any [Thunderbird_{letter}{number}] datasource"
        for letter in "ABCD"
        for number in range(1, 9)
    ]
    ids = TemplateMiner().mine(lines)
    assert len(set(ids)) == 1


def test_family_helpers() -> None:
    """GIVEN numbered names, ids and plain words
    WHEN their name family and the token covering two tokens are asked for
    THEN the number becomes <*> in a name, ids and plain words are left alone."""
    assert family_token("eth12") == "eth<*>"
    assert family_token("Thunderbird_A1") == "Thunderbird_<*>"
    assert family_token("C1") == "<*>"
    assert family_token("HTTPS") == "HTTPS"
    assert merged_token("eth0", "eth1") == "eth<*>"
    assert merged_token("alt<*>", "alt5") == "alt<*>"
    assert merged_token("alt<*>", "ee3") is None
    assert merged_token("foo", "bar") is None
    assert common_template([("up", "eth0"), ("up", "eth3")]) == ("up", "eth<*>")
    assert common_template([("up", "eth0"), ("up", "en3")]) == ("up", "<*>")


def test_split_downward_uses_families_once_values_exceed_the_limit() -> None:
    """GIVEN rows whose last column holds 12 numbered names of 2 families
    WHEN split by constant-looking columns with a limit of 4 values
    THEN the rows split into the 2 families."""
    rows = [("up", f"alt{n}") for n in range(6)] + [("up", f"ee{n}") for n in range(6)]
    parts = split_downward(rows, [1], 4)
    assert sorted(len(part) for part in parts) == [6, 6]
    assert {row[1][:2] for row in parts[0]} in ({"al"}, {"ee"})


def test_online_add_matches_a_mined_family_template() -> None:
    """GIVEN a miner that mined interface lines alt0..alt9 into a template 'alt<*>'
    WHEN a new line with an unseen number (alt42 would be masked; alt7 with a new node)
    arrives through the online path
    THEN it joins the same cluster and the template keeps its name family."""
    lines, _truth = _niff_lines({"alt": 40, "ee": 40}, random.Random(3))
    miner = TemplateMiner()
    ids = miner.mine(lines)
    alt_cluster = ids[0]
    template = miner.template(alt_cluster)
    assert template.endswith("alt<*>")
    new = NIFF.format(node=4242, net="10.1.2.3", iface="alt7")
    assert miner.add(new) == alt_cluster
    assert miner.template(alt_cluster) == template


def test_online_add_keeps_a_shared_name_family_when_merging() -> None:
    """GIVEN an online miner fed 'link up on eth0' and then 'link up on eth1'
    WHEN the second line merges into the first cluster
    THEN the template keeps the name: 'link up on eth<*>', and en0 still merges (as <*>)."""
    miner = TemplateMiner()
    first = miner.add("kernel: link up on eth0 speed fast")
    assert miner.add("kernel: link up on eth1 speed fast") == first
    assert miner.template(first) == "kernel: link up on eth<*> speed fast"
    assert miner.add("kernel: link up on eth5 speed fast") == first
    assert miner.add("kernel: link up on en0 speed fast") == first
    assert miner.template(first) == "kernel: link up on <*> speed fast"
