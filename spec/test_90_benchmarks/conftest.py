"""The benchmark chapter's plumbing: the device axis, the `bench` fixture and the end-of-run report.

`pytest -v` (pytest-benchmark disabled in pytest.ini) runs every benchmark body once as a smoke test:
the body computes its workload once and checks the value against a float64 closed form. With
`--benchmark-enable` each body is measured for real (see `Bench`), and at the end of the session this
file writes artifacts/benchmarks/benchmarks.json (pytest-benchmark's JSON, raw rounds included),
report.md and plots/*.png (see reporting.py).
"""
from __future__ import annotations

import dataclasses
import gc
import json
import math
import os
import statistics
import time

import pytest
import tensorflow as tf

from spec.harness import runtime
from spec.test_90_benchmarks import reporting

DEVICES = ("cpu", "gpu")
ROUND_S = 0.002  # a timed round lasts at least 2 ms: calls under 100 µs run >= 20 iterations per round
WARMUP_S = 0.05  # untimed calls after the first two, until this much time has passed (at least 2 calls)
MAX_ROUNDS = 2000
_LOADED = time.time()  # this conftest is imported when the chapter is collected


@dataclasses.dataclass(frozen=True)
class Device:
    kind: str  # "cpu" or "gpu"

    @property
    def device_name(self) -> str:
        return "/device:GPU:0" if self.kind == "gpu" else "/device:CPU:0"

    def sync(self) -> None:
        """Wait for the device: GPU kernels run asynchronously, so every timed call ends here on GPU.

        On CPU an eager op and a tf.function call return only after their kernels ran, so there is
        nothing to wait for; tf.test.experimental.sync_devices() would add ~30 µs to every call.
        """
        if self.kind == "gpu":
            tf.test.experimental.sync_devices()

    def __str__(self) -> str:
        return self.kind


@pytest.hookimpl(trylast=True)  # after the @parametrize marks, so the device comes last in the id
def pytest_generate_tests(metafunc):
    if "device" in metafunc.fixturenames:
        metafunc.parametrize("device", [Device(d) for d in DEVICES], ids=list(DEVICES), indirect=True)


def pytest_collection_modifyitems(items):
    """In each file of this chapter run the cpu cases first, then the gpu cases, keeping their order otherwise.

    The two sides of every ratio are parametrized next to each other, so they are measured one right
    after the other; without this the device axis would put a gpu case between them.
    """
    slots = [i for i, item in enumerate(items) if _ours(item)]
    files = {}
    for i in slots:
        files.setdefault(items[i].path, len(files))
    ordered = sorted((items[i] for i in slots), key=lambda item: (files[item.path], DEVICES.index(_device_of(item))))
    for i, item in zip(slots, ordered):
        items[i] = item


def _ours(item) -> bool:
    callspec = getattr(item, "callspec", None)
    return callspec is not None and isinstance(callspec.params.get("device"), Device)


def _device_of(item) -> str:
    return item.callspec.params["device"].kind


@pytest.fixture
def device(request) -> Device:
    """The device the benchmark runs on: cpu always, gpu when TensorFlow sees one (skipped otherwise)."""
    dev: Device = request.param
    if dev.kind == "gpu" and not runtime.capabilities().has_gpu:
        pytest.skip(runtime.NO_GPU_REASON)
    return dev


class Bench:
    """Measures one workload with pytest-benchmark's `benchmark` fixture under a fixed discipline.

    bench(fn, group=..., workload=..., variant=..., size=..., mode=...) returns fn's last result,
    which the test then checks against a closed form. When benchmarking is enabled:
    1. the first call (tracing, XLA compilation, kernel set-up) and the second call are timed apart
       and stored as extra_info first_call_s / second_call_s; trace_s = first call - median;
    2. untimed warm-up calls follow (at least 2, about 50 ms);
    3. iterations per round are chosen so a round lasts >= 2 ms, and rounds so the benchmark lasts
       about --benchmark-max-time (default 1 s), at least --benchmark-min-rounds (default 5);
    4. every call ends with device.sync() (GPU), inside the timed region;
    5. garbage collections during the timed rounds are counted (extra_info gc_collections).
    When benchmarking is disabled the body runs exactly once.
    """

    def __init__(self, benchmark, device: Device, config):
        self.benchmark = benchmark
        self.device = device
        self.config = config

    @property
    def enabled(self) -> bool:
        return not self.benchmark.disabled

    def smoke_runs_only_the_first_point(self, value, points, what: str) -> None:
        """In the smoke run (benchmarks disabled) skip every point of a size sweep but the first.

        The body is the same at every point; the larger points cost seconds and add nothing to a check
        that the body still runs and computes the right value. They all run when measuring.
        """
        if not self.enabled and value != points[0]:
            pytest.skip(f"larger point of the {what} sweep: measured with --benchmark-enable; the smoke run "
                        f"checks this body at {what} {points[0]}")

    def extra(self, **info) -> None:
        self.benchmark.extra_info.update(info)

    def __call__(self, fn, *, group: str, workload: str, variant: str, size=None, mode: str = "eager",
                 partners: dict | None = None):
        """Measure fn; `partners` ({"variant@mode": callable}, or "variant@mode#size" where the size differs)
        are the denominators of this case's ratios.

        With partners, every timed round of fn is followed by one round of each partner (timed by this
        fixture, outside pytest-benchmark's statistics), so the two sides of a ratio are measured
        alternately, round by round, under the same conditions; extra_info["paired"] keeps the median
        and quartiles of the per-round ratios. The partners are their own test cases too.
        """
        b, dev = self.benchmark, self.device
        b.group = f"{group} {workload} ({dev})"
        b.extra_info.update(
            group=group, workload=workload, variant=variant, size=size, mode=mode, device=dev.kind,
            sync="tf.test.experimental.sync_devices()" if dev.kind == "gpu" else "none (CPU is synchronous)",
            intra_op_threads=tf.config.threading.get_intra_op_parallelism_threads(),
            inter_op_threads=tf.config.threading.get_inter_op_parallelism_threads(),
            load_avg_1m=os.getloadavg()[0], cpu_count=os.cpu_count(), started_at=time.time(),
        )

        def synced(f):
            def call():
                out = f()
                dev.sync()
                return out
            return call

        call = synced(fn)
        with tf.device(dev.device_name):
            if not self.enabled:
                return b.pedantic(call)
            first, second, est, n = _warm_up(call)
            iterations = _iterations(est)
            paired = {}
            for label, partner in (partners or {}).items():
                pcall = synced(partner)
                _, _, pest, _ = _warm_up(pcall)  # the partner's tracing and warm-up, untimed here
                paired[label] = (pcall, _iterations(pest), pest, [])
            per_round = iterations * est + sum(k * t for _, k, t, _ in paired.values())
            max_time = float(self.config.getoption("benchmark_max_time"))
            min_rounds = int(self.config.getoption("benchmark_min_rounds"))
            rounds = min(MAX_ROUNDS, max(min_rounds, math.ceil(max_time / per_round)))

            def partner_rounds():  # pytest-benchmark runs this after every round, outside its timing
                for pcall, k, _, samples in paired.values():
                    start = time.perf_counter()
                    for _ in range(k):
                        pcall()
                    samples.append((time.perf_counter() - start) / k)

            collections = [0]

            def count(phase, info):
                if phase == "start":
                    collections[0] += 1

            gc.callbacks.append(count)
            try:
                result = b.pedantic(call, rounds=rounds, iterations=iterations, warmup_rounds=0,
                                    teardown=partner_rounds if paired else None)
            finally:
                gc.callbacks.remove(count)
        stats = b.stats.stats
        b.extra_info.update(
            first_call_s=first, second_call_s=second, trace_s=max(0.0, first - stats.median),
            warmup_calls=n + 1, gc_enabled=gc.isenabled(), gc_collections=collections[0],
        )
        if paired:
            b.extra_info["paired"] = {
                label: _paired_stats(stats.data, samples) for label, (_, _, _, samples) in paired.items()
            }
        return result


def _warm_up(call):
    """(first call s, second call s, fastest warm-up call s, warm-up calls) — all outside the timed rounds."""
    first = _timed(call)
    second = _timed(call)
    est, start, n = second, time.perf_counter(), 0
    while n < 2 or time.perf_counter() - start < WARMUP_S:
        est = min(est, _timed(call))
        n += 1
    return first, second, est, n


def _iterations(est: float) -> int:
    return max(1, math.ceil(ROUND_S / max(est, 1e-7)))


def _paired_stats(own: list, partner: list) -> dict:
    """Median and quartiles of own[i] / partner[i], round by round (the partner ran right after round i)."""
    n = min(len(own), len(partner))
    ratios = sorted(own[i] / partner[i] for i in range(n))
    q = lambda f: ratios[min(n - 1, int(round(f * (n - 1))))]  # noqa: E731
    return {"ratio_median": statistics.median(ratios), "ratio_q1": q(0.25), "ratio_q3": q(0.75), "rounds": n,
            "partner_median_s": statistics.median(partner[:n])}


def _timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


@pytest.fixture
def bench(benchmark, device, pytestconfig) -> Bench:
    """The benchmark fixture with this chapter's timing discipline (see Bench)."""
    return Bench(benchmark, device, pytestconfig)


def pytest_sessionfinish(session):
    """After a measured run: write benchmarks.json, report.md and plots under <artifacts>/benchmarks/."""
    config = session.config
    bs = getattr(config, "_benchmarksession", None)
    if bs is None or bs.disabled or not bs.benchmarks:
        return
    ours = [b for b in bs.benchmarks if b.extra_info.get("group")]
    if not ours:
        return
    output = config.hook.pytest_benchmark_generate_json(
        config=config, benchmarks=ours, include_data=True,
        machine_info=bs.get_machine_info(),
        commit_info=config.hook.pytest_benchmark_generate_commit_info(config=config),
    )
    output["tapespec"] = {
        "tensorflow": tf.__version__,
        "gpus": list(runtime.capabilities().gpus),
        "command": " ".join(config.invocation_params.args),
        "round_s": ROUND_S, "warmup_s": WARMUP_S,
        "max_time_s": float(config.getoption("benchmark_max_time")),
        "min_rounds": int(config.getoption("benchmark_min_rounds")),
        "wall_s_since_chapter_collected": time.time() - _LOADED,
    }
    out = config.artifacts_dir / "benchmarks"
    out.mkdir(parents=True, exist_ok=True)
    latest, previous = out / "benchmarks.json", out / "benchmarks.previous.json"
    if latest.exists():
        latest.replace(previous)
    latest.write_text(json.dumps(output, indent=2, default=str))
    written = reporting.write_report(output, out, previous=previous if previous.exists() else None)
    tr = config.pluginmanager.get_plugin("terminalreporter")
    if tr is not None:
        tr.write_line(f"tapespec benchmarks: wrote {latest}, " + ", ".join(str(p) for p in written))

