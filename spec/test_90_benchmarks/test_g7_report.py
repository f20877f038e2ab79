"""Chapter 90, G7 — The benchmark report itself: how report.md pairs medians into ratios and marks noise.

The measured run writes report.md at the end of the session (conftest.py, reporting.py). These checks run
its arithmetic on a hand-made pytest-benchmark JSON, so the smoke run keeps the report from rotting too.
"""
import pytest

from spec import oracle
from spec.test_90_benchmarks import reporting
from spec.tolerances import TOL


def _benchmark(variant: str, median: float, iqr: float = 0.0, rounds: int = 100) -> dict:
    return {
        "name": f"test_g1_recording_overhead_chain_of_n_ops[10-{variant}-cpu]", "group": "G1 chain (cpu)",
        "stats": {"median": median, "iqr": iqr, "min": median, "rounds": rounds, "iterations": 1},
        "extra_info": {"group": "G1", "workload": "chain", "variant": variant, "size": 10, "mode": "eager",
                       "device": "cpu", "gc_collections": 0},
    }


def _run(tape_s: float, no_tape_s: float, iqr: float = 0.0, rounds: int = 100) -> dict:
    return {"benchmarks": [_benchmark("tape", tape_s, iqr, rounds), _benchmark("no_tape", no_tape_s, iqr, rounds)]}


@pytest.mark.source("AD-11")
def test_g7_report_ratio_is_median_over_median_1_2_and_a_20_percent_move_since_the_previous_run_is_noisy():
    """tape 1.2 ms / no tape 1.0 ms gives 1.2; the previous run's 1.0 is a +20% move, so the ratio is marked noisy (issue #4)."""
    (ratio,) = reporting.ratios(_run(1.2e-3, 1.0e-3))
    reporting.mark_noise([ratio], reporting.ratios(_run(1.0e-3, 1.0e-3)))
    oracle.assert_close(ratio.value, 1.2, TOL.F64, "tape / no tape")
    oracle.assert_close(ratio.change, 0.2, TOL.F64, "change since the previous run")
    assert ratio.noisy.startswith("moved +20% since the previous run"), ratio.noisy


@pytest.mark.source("AD-11")
def test_g7_report_ratio_within_5_percent_of_the_previous_run_with_a_tight_spread_is_stable():
    """A ratio that moved 5% and whose medians are certain to ±1% is stable: nothing to explain (issue #4)."""
    (ratio,) = reporting.ratios(_run(1.05e-3, 1.0e-3, iqr=1e-5))
    reporting.mark_noise([ratio], reporting.ratios(_run(1.0e-3, 1.0e-3)))
    assert ratio.noisy == ""
    assert ratio.uncertainty < reporting.NOISE


@pytest.mark.source("AD-11")
def test_g7_report_wide_spread_within_one_run_is_noisy_and_says_why():
    """Medians whose IQR is 80% over 5 rounds give a ratio uncertain by more than ±10%: noisy, with the IQRs named (issue #4)."""
    (ratio,) = reporting.ratios(_run(1.2e-3, 1.0e-3, iqr=0.8e-3, rounds=5))
    reporting.mark_noise([ratio], None)
    assert "within this run" in ratio.noisy and "IQR/median" in ratio.noisy, ratio.noisy
    table = reporting.render(_run(1.2e-3, 1.0e-3), [ratio], None, [], None)
    assert "| G1 | tape / no tape, chain of 10 ops on 100 elements | cpu | **1.2** (separate) |" in table


@pytest.mark.source("AD-11")
def test_g7_report_value_is_the_median_of_round_by_round_ratios_1_1_when_the_partner_was_timed_alternately():
    """With the no-tape partner timed after every tape round, the value is the per-round median 1.1, not 1.2 from the separate medians (issue #4)."""
    run = _run(1.2e-3, 1.0e-3)
    run["benchmarks"][0]["extra_info"]["paired"] = {
        "no_tape@eager": {"ratio_median": 1.1, "ratio_q1": 1.09, "ratio_q3": 1.11, "rounds": 400,
                          "partner_median_s": 1.0e-3},
    }
    (ratio,) = reporting.ratios(run)
    oracle.assert_close(ratio.value, 1.1, TOL.F64, "paired tape / no tape")
    oracle.assert_close(ratio.separate, 1.2, TOL.F64, "ratio of the separate medians")
    assert ratio.paired_rounds == 400
