"""Tests for benchmarks.nab_scoring against hand-computed NAB cases."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from benchmarks.nab_scoring import (
    PUBLISHED_PROFILES,
    CostProfile,
    best_threshold,
    load_profiles,
    probation_length,
    scaled_sigmoid,
    score_corpus,
    sweep_corpus,
    sweep_file,
    window_rows,
)

STANDARD = PUBLISHED_PROFILES[0]
N = 1000  # probation = 150 rows
WINDOWS = [(300, 399), (700, 749)]


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def test_scaled_sigmoid_matches_published_values():
    # GIVEN/WHEN/THEN the anchor values quoted by NAB
    assert scaled_sigmoid(-1.0) == pytest.approx(0.98661, abs=1e-5)
    assert scaled_sigmoid(-0.5) == pytest.approx(0.84828, abs=1e-5)
    assert scaled_sigmoid(0.0) == pytest.approx(0.0)
    assert scaled_sigmoid(3.0) == -1.0
    assert probation_length(1000) == 150 and probation_length(100_000) == 750


def test_perfect_detector_scores_100_and_null_scores_0():
    # GIVEN a detector firing exactly at each window start, and one never firing
    perfect = np.zeros(N)
    perfect[[300, 700]] = 1.0
    null = np.zeros(N)
    # WHEN scored over a two-file corpus for every profile
    good = score_corpus([(perfect, WINDOWS), (perfect, WINDOWS)])
    bad = score_corpus([(null, WINDOWS), (null, WINDOWS)])
    # THEN perfect = 100 and null = 0
    for profile in PUBLISHED_PROFILES:
        assert good[profile.name]["score"] == pytest.approx(100.0)
        assert bad[profile.name]["score"] == pytest.approx(0.0)


def test_one_false_positive_costs_what_the_formula_says():
    # GIVEN a perfect detector plus one extra detection 25 rows after the first window
    scores = np.zeros(N)
    scores[[300, 700, 424]] = 1.0
    # WHEN scored
    result = score_corpus([(scores, WINDOWS)], [STANDARD])["standard"]
    # THEN raw = 2 + fpWeight * S(|399 - 424| / (100 - 1)), which beats not detecting
    fp_cost = 0.11 * (2 * _sigmoid(-5 * 25 / 99) - 1)
    assert result["raw"] == pytest.approx(2 + fp_cost)
    assert result["score"] == pytest.approx(100 * (2 + fp_cost + 2) / 4)


def test_fp_before_any_window_costs_full_weight_and_probation_is_ignored():
    # GIVEN detections in probation (row 10), before the first window (row 200) and at window start
    scores = np.zeros(N)
    scores[[10, 200, 300, 700]] = 1.0
    # WHEN swept
    sweep = sweep_file(scores, WINDOWS, STANDARD)
    best = best_threshold([sweep], STANDARD)
    # THEN the probation row is gone and the early FP costs exactly fpWeight
    assert sweep.scores.size == N - 150
    assert best.raw_score == pytest.approx(2 - 0.11)
    assert best.fp == 1


def test_only_the_earliest_detection_in_a_window_counts():
    # GIVEN detections at the middle and the end of window 1, none in window 2
    scores = np.zeros(N)
    scores[350] = 0.9
    scores[399] = 0.8
    # WHEN scored (threshold swept)
    best = best_threshold([sweep_file(scores, WINDOWS, STANDARD)], STANDARD)
    # THEN window 1 earns the mid-window sigmoid, window 2 costs fnWeight
    position = -(399 - 350 + 1) / 100
    expected = (2 * _sigmoid(-5 * position) - 1) / (2 * _sigmoid(5) - 1) - 1.0
    assert best.raw_score == pytest.approx(expected)
    at_08 = [r for r in sweep_corpus([sweep_file(scores, WINDOWS, STANDARD)], STANDARD) if r.threshold == 0.8]
    assert at_08[0].raw_score == pytest.approx(expected) and at_08[0].tp == 2


def test_window_rows_and_profiles_loading(tmp_path: Path):
    # GIVEN timestamps every 60 s and a window between two samples
    ts = np.arange(10) * 60.0
    # WHEN mapped / profiles read from a file
    rows = window_rows(ts, [(90.0, 300.0)])
    path = tmp_path / "profiles.json"
    path.write_text(json.dumps({"x": {"CostMatrix": {"tpWeight": 1, "fpWeight": 0.5, "fnWeight": 3, "tnWeight": 1}}}))
    # THEN rows are the samples inside, weights come from the file, defaults without it
    assert rows == [(2, 5)]
    assert load_profiles(path) == (CostProfile("x", 1.0, 0.5, 3.0),)
    assert load_profiles(tmp_path / "missing.json") == PUBLISHED_PROFILES


def test_synthetic_corpus_windows_are_sane_and_scoreable():
    # GIVEN the synthetic NAB-like corpus (artificial and realistic families, one seed)
    from benchmarks import nab_synth

    files = [f for fam in nab_synth.FAMILIES.values() for f in fam(0)]
    # THEN every series is finite with sorted, in-range windows after the probation period
    for name, values, windows in files:
        assert values.size == nab_synth.N and np.all(np.isfinite(values)), name
        assert windows == sorted(windows)
        assert all(probation_length(values.size) <= a <= b < values.size for a, b in windows), name
    # WHEN a perfect detector (1 at each window start) is scored THEN it gets 100
    perfect = []
    for _, values, windows in files:
        scores = np.zeros(values.size)
        scores[[a for a, _ in windows]] = 1.0
        perfect.append((scores, windows))
    assert score_corpus(perfect)["standard"]["score"] == pytest.approx(100.0)


def test_cross_validation_scores_held_out_files_at_the_tuned_threshold():
    # GIVEN four files: a detector that is sharp on two files and noisy on the other two
    from benchmarks.nab_cv import random_split_cv, raw_at_threshold, split_score

    rng = np.random.default_rng(0)
    standard = PUBLISHED_PROFILES[0]
    sweeps = []
    for k in range(4):
        scores = rng.uniform(0.0, 0.5 if k < 2 else 0.8, 1000)
        scores[600] = 0.9
        sweeps.append(sweep_file(scores, [(550, 650)], standard))
    # WHEN scoring at the corpus-best threshold, and cross-validating
    best = best_threshold(sweeps, standard)
    cv = random_split_cv(sweeps, standard, splits=10, seed=1)
    # THEN the fixed-threshold scorer reproduces the sweep, and held-out scores are in NAB range
    assert raw_at_threshold(sweeps, best.threshold, standard) == pytest.approx(best.raw_score)
    assert split_score(sweeps, [0, 1], [0, 1], standard) == pytest.approx(
        100.0 * (best_threshold(sweeps[:2], standard).raw_score + 2.0) / 4.0
    )
    assert cv.shape == (10,) and np.all(cv <= 100.0)


def test_category_report_scores_each_category_at_corpus_own_and_others_thresholds():
    from benchmarks.nab_categories import category_scores, raw_at_threshold

    # GIVEN two categories: "calm" finds its windows at score 0.9, "busy" at 0.5 and also has a
    # false positive at 0.6 before its first window
    calm = np.zeros(N)
    calm[[300, 700]] = 0.9
    busy = np.zeros(N)
    busy[[300, 700]] = 0.5
    busy[200] = 0.6
    keyed = [("calm/a.csv", calm, WINDOWS), ("busy/b.csv", busy, WINDOWS)]
    # WHEN reported by category
    rows = {row["category"]: row for row in category_scores(keyed, STANDARD)}
    # THEN a threshold of 0.5 catches everything (raw 4 - 0.11); the calm category is perfect at every
    # threshold, the busy one is perfect at its own and pays the FP at the corpus threshold, and misses
    # both windows at the threshold tuned on the calm category alone (0.9)
    sweeps = [sweep_file(s, w, STANDARD) for _, s, w in keyed]
    assert raw_at_threshold(sweeps, STANDARD, 0.5) == pytest.approx(4 - 0.11)
    assert raw_at_threshold(sweeps, STANDARD, 0.95) == pytest.approx(-4.0)
    assert rows["calm"]["corpus"] == rows["calm"]["own"] == rows["calm"]["others"] == pytest.approx(100.0)
    assert rows["busy"]["own"] == pytest.approx(100 * (2 - 0.11 + 2) / 4)
    assert rows["busy"]["corpus"] == pytest.approx(rows["busy"]["own"])
    assert rows["busy"]["others"] == pytest.approx(0.0)
    assert rows["busy"]["fp_at_corpus"] == 1 and rows["calm"]["fp_at_corpus"] == 0


def test_nab_cli_writes_one_scored_row_per_input_row_and_reports_categories(tmp_path: Path, capsys):
    from benchmarks.nab import main

    # GIVEN a NAB-layout corpus of two categories (5-minute rows, one labelled window each)
    data, labels = tmp_path / "data", {}
    for category in ("realA", "realB"):
        (data / category).mkdir(parents=True)
        rows = ["timestamp,value"] + [
            f"2014-04-01 {h:02d}:{m:02d}:00,{50.0 + (30.0 if 12 * h + m // 5 == 200 else 0.0)}"
            for h in range(24) for m in range(0, 60, 5)]
        (data / category / "f.csv").write_text("\n".join(rows) + "\n")
        labels[f"{category}/f.csv"] = [["2014-04-01 16:00:00.000000", "2014-04-01 17:25:00.000000"]]
    (tmp_path / "windows.json").write_text(json.dumps(labels))
    # WHEN the perfect detector is benchmarked with the category report and JSON
    assert main([str(data), str(tmp_path / "windows.json"), "--out", str(tmp_path / "out"), "--json",
                 "--detector", "perfect", "--by-category"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    # THEN each output file has one scored row per input row, both categories score 100, and the last
    # line is the JSON of the three profiles
    written = (tmp_path / "out" / "realA" / "f.csv").read_text().splitlines()
    assert written[0] == "timestamp,value,anomaly_score" and len(written) == 1 + 288
    assert sum(1 for line in out if "corpus=100.00 own=100.00 others=100.00" in line) == 2
    assert json.loads(out[-1]) == {"standard": 100.0, "reward_low_FP_rate": 100.0, "reward_low_FN_rate": 100.0}
