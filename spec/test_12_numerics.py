"""Chapter 12 — Numerical gotchas: NaN and inf in gradients, conventions at kinks and ties, sparse and complex gradients.

API: https://www.tensorflow.org/api_docs/python/tf/where (the NaN-gradient note), .../tf/norm,
.../tf/IndexedSlices; the behaviours come from GitHub issues (numbers in each docstring).

NaN and inf results are asserted explicitly with np.isnan / np.isposinf / np.isneginf
(oracle.assert_close_nonfinite); finite ones against float64 closed forms.
"""
import numpy as np
import pytest
import tensorflow as tf

from spec import oracle
from spec.bugs import KnownBug, Workaround
from spec.harness import observe, pictures
from spec.tolerances import TOL

NAN, INF = np.nan, np.inf


def _value_and_gradient(fn):
    """fn(x) → (y, d Σy / dx) with x watched, built once per fn so each where-mode traces it once."""

    def value_and_grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = fn(x)
        return y, tape.gradient(y, x)

    return value_and_grad


class _Table:
    """Every case of one parametrized table traced as ONE function per mode (one compile instead of one per
    case); each case then reads its own entry. Results are cached per mode and device: they are
    deterministic, so no case depends on which case ran first."""

    def __init__(self, fns: dict, inputs: dict):
        self._fns, self._inputs, self._results = fns, inputs, {}

    def _run_all(self, xs):
        return {key: fn(xs[key]) for key, fn in self._fns.items()}

    def result(self, where, key):
        if where not in self._results:
            xs = {k: tf.constant(value, dtype) for k, (value, dtype) in self._inputs.items()}
            with observe.quiet():  # the report shows each case its own entry, whichever case computed them
                self._results[where] = where.run(self._run_all, xs)
        return observe.returned(self._results[where][key])


# ---------------------------------------------------------------------------- tf.where and NaN gradients
_where_reciprocal = _value_and_gradient(lambda x: tf.where(x < 1.0, 0.0, 1.0 / x))
_double_where_reciprocal = _value_and_gradient(
    lambda x: tf.where(x < 1.0, 0.0, 1.0 / tf.where(tf.equal(x, 0.0), 1.0, x))
)


WHERE_NAN = KnownBug(
    "the gradient of tf.where flows through the unselected branch too: 0 · (its inf or NaN derivative) = NaN",
    "https://github.com/tensorflow/tensorflow/issues/38349",
    "x = tf.constant(0.0)\nwith tf.GradientTape() as t:\n    t.watch(x)\n    y = tf.where(x < 1.0, 0.0, 1.0 / x)\n"
    "print(t.gradient(y, x))  # nan; y is 0 for every x < 1, so the derivative is 0.0",
    kind="wrong value",
    kind_why="tf.where(x < 1, 0, 1/x) is the constant 0 on x < 1, so its derivative at x = 0 is 0; TensorFlow returns "
             "NaN, the unselected 1/x's derivative −1/0² = −inf times the 0 tf.where sends it",
    related=("https://github.com/tensorflow/tensorflow/issues/20091", "https://github.com/tensorflow/tensorflow/issues/2540",
             "https://github.com/tensorflow/tensorflow/issues/27684", "https://github.com/tensorflow/tensorflow/issues/20355",
             "https://github.com/tensorflow/tensorflow/pull/38467"),
    searched=("tf.where gradient NaN unselected branch division by zero",
              "`nan` gradient when `tf.where` is used description code reproduce"),
    workaround=Workaround('''import tensorflow as tf


def zero_below_1_else_reciprocal(x):
    """tf.where(x < 1, 0, 1/x) with the double where (tf.where's API note): 1/x only ever sees a safe input, 1 where
    x < 1, so the unselected branch's derivative is finite there and 0 times it stays 0."""
    below = x < 1.0
    return tf.where(below, tf.zeros_like(x), 1.0 / tf.where(below, tf.ones_like(x), x))
''', "zero_below_1_else_reciprocal"),
)


@pytest.mark.source("ISS-01")
@WHERE_NAN
def test_where_picks_0_at_x_0_so_the_gradient_is_0_but_the_unselected_1_over_x_makes_it_nan(where):
    """tf.where(x < 1, 0, 1/x) is the constant 0 for every x < 1, so its derivative at x = 0 is 0.0; TensorFlow gives NaN, the unselected branch's 0 · (−1/0²) = 0·(−inf) (tf.where API note; issue #38349)."""
    y, grad = where.run(_where_reciprocal, tf.constant(0.0))
    oracle.assert_close(y, 0.0, TOL.EXACT, "value")
    oracle.assert_close_nonfinite(grad, 0.0, TOL.EXACT, "gradient of the constant 0 (TensorFlow: NaN)")


@pytest.mark.workaround_of(WHERE_NAN)
@pytest.mark.source("ISS-01", "ISS-02")
def test_where_nan_workaround_double_where_gives_value_0_and_gradient_0_at_x_0(where):
    """WHERE_NAN's workaround as pasted (the double where) gives tf.where(x < 1, 0, 1/x) at x = 0 its value 0.0 and its correct gradient 0.0 in every mode (tf.where API note; issue #38349)."""
    fixed = _value_and_gradient(WHERE_NAN.workaround.load())
    y, grad = where.run(fixed, tf.constant(0.0))
    oracle.assert_close(y, 0.0, TOL.EXACT, "value")
    oracle.assert_close_nonfinite(grad, 0.0, TOL.EXACT, "gradient of the constant 0")


@pytest.mark.source("ISS-02")
def test_double_where_makes_the_unselected_branch_safe_gradient_0(where):
    """The double-where fix: feeding 1/x a safe x (1 where x = 0) makes the same gradient 0.0 (tf.where API note)."""
    y, grad = where.run(_double_where_reciprocal, tf.constant(0.0))
    oracle.assert_close(y, 0.0, TOL.EXACT, "value")
    oracle.assert_close(grad, 0.0, TOL.EXACT, "gradient")


WHERE_XS = np.linspace(-1.0, 3.0, 41)  # step 0.1 through 0 and 1


@pytest.mark.source("ISS-01", "ISS-02")
def test_double_where_gradient_over_minus_1_to_3_is_0_below_1_and_minus_1_over_x_squared_above(where, picture):
    """Over x in [−1, 3] the double where's gradient is 0 below 1 and −1/x² from 1 on, finite everywhere; the naive tf.where agrees wherever it is finite, and is NaN only at x = 0 (tf.where API note; issue #38349)."""
    values, safe = where.run(_double_where_reciprocal, tf.constant(WHERE_XS, tf.float32))
    _, naive = where.run(_where_reciprocal, tf.constant(WHERE_XS, tf.float32))
    oracle.assert_close(safe, np.where(WHERE_XS < 1.0, 0.0, -1.0 / np.maximum(WHERE_XS, 1.0) ** 2), TOL.F32_FEW_OPS, "double where")
    finite = np.isfinite(oracle.f64(naive))
    oracle.assert_close(oracle.f64(naive)[finite], oracle.f64(safe)[finite], TOL.EXACT, "naive where, where finite")
    assert set(WHERE_XS[~finite]) <= {0.0}, f"the naive gradient is not finite at {WHERE_XS[~finite]}"
    picture("where_nan", pictures.where_nan, WHERE_XS, oracle.f64(values), oracle.f64(naive), oracle.f64(safe),
            threshold=1.0, caption="tf.where(x < 1, 0, 1/x): the naive gradient's NaN at x = 0 and the double-where fix")


LOG_BRANCHES = {
    # id: (fn, gradient at x = [0, 1] from the float64 closed form, NaN where the unselected branch is 0·inf)
    "where(x > 0, log x, 0) is [nan, 1]": (lambda x: tf.where(x > 0, tf.math.log(x), 0.0), [NAN, 1.0 / 1.0]),
    "where(x > 0, x log x, 0) is [nan, 1]": (lambda x: tf.where(x > 0, x * tf.math.log(x), 0.0), [NAN, np.log(1.0) + 1.0]),
    "xlogy(x, x) is [-inf, 1]": (lambda x: tf.math.xlogy(x, x), [-INF, np.log(1.0) + 1.0]),
}
XLOGY_AT_0 = KnownBug(
    "XlogyGrad masks ∂/∂x with x ≠ 0: at x = 0 it returns 0 instead of log y (here log 0 = −inf)",
    "https://github.com/tensorflow/tensorflow/issues/119476",
    "x = tf.constant(0.0)\nwith tf.GradientTape() as t:\n    t.watch(x)\n    y = tf.math.xlogy(x, 2.0)\n"
    "print(t.gradient(y, x))  # 0.0, expected log(2) = 0.6931",
    kind="wrong value",
    kind_why="x·log y is linear in x, so ∂/∂x = log y at x = 0 as everywhere (log 2 in the reproducer); TensorFlow "
             "masks it to 0 where x = 0",
    related=("https://github.com/tensorflow/tensorflow/pull/119869", "https://github.com/tensorflow/tensorflow/issues/56873",
             "https://github.com/pytorch/pytorch/issues/80770"),
    searched=("xlogy gradient at x = 0 returns 0 instead of log(y) XlogyGrad",),
    workaround=Workaround('''import tensorflow as tf


@tf.custom_gradient
def xlogy(x, y):
    """tf.math.xlogy with ∂/∂x = log y at every x (TensorFlow's gradient masks it to 0 where x = 0)."""
    def grad(upstream):
        gx, gy = upstream * tf.math.log(y), upstream * tf.math.xdivy(x, y)
        sx, sy = tf.shape(x), tf.shape(y)
        rx, ry = tf.raw_ops.BroadcastGradientArgs(s0=sx, s1=sy)  # sum over the axes each input was broadcast along
        return tf.reshape(tf.reduce_sum(gx, rx), sx), tf.reshape(tf.reduce_sum(gy, ry), sy)
    return tf.math.xlogy(x, y), grad
''', "xlogy"),
)
_LOG_BRANCH_TABLE = _Table({key: _value_and_gradient(fn) for key, (fn, _) in LOG_BRANCHES.items()},
                           {key: ([0.0, 1.0], tf.float32) for key in LOG_BRANCHES})


@pytest.mark.source("ISS-02")
@pytest.mark.parametrize("case", [pytest.param(k, marks=XLOGY_AT_0.marks() if k.startswith("xlogy") else ())
                                  for k in LOG_BRANCHES], ids=list(LOG_BRANCHES))
def test_log_behind_where_is_nan_at_0_and_xlogy_x_x_is_minus_inf(where, case):
    """At x = [0, 1] a log hidden behind tf.where gives NaN at 0, where the function has no derivative (log x jumps to −inf; x log x has one-sided derivatives 0 and −inf); xlogy(x, x) = x log x has the one-sided derivative log 0 + 1 = −inf there, and TensorFlow's 0 is wrong (tf.where API note; issue #119476)."""
    _, expected = LOG_BRANCHES[case]
    _, grad = _LOG_BRANCH_TABLE.result(where, case)
    oracle.assert_close_nonfinite(grad, expected, TOL.F32_FEW_OPS)


@pytest.mark.workaround_of(XLOGY_AT_0)
@pytest.mark.source("ISS-02")
def test_xlogy_workaround_gives_xlogy_x_x_the_gradient_minus_inf_1_at_0_1(where):
    """XLOGY_AT_0's workaround as pasted (a tf.custom_gradient with ∂/∂x = log y) gives xlogy(x, x) at x = [0, 1] the gradient [log 0 + 1, log 1 + 1] = [−inf, 1] in every mode, the oracle of the xlogy case above (issue #119476)."""
    xlogy = XLOGY_AT_0.workaround.load()
    _, grad = where.run(_value_and_gradient(lambda x: xlogy(x, x)), tf.constant([0.0, 1.0]))
    oracle.assert_close_nonfinite(grad, LOG_BRANCHES["xlogy(x, x) is [-inf, 1]"][1], TOL.F32_FEW_OPS)


_divide_no_nan = _value_and_gradient(lambda x: tf.math.divide_no_nan(1.0, x))


@pytest.mark.source("ISS-02")
def test_divide_no_nan_of_1_by_0_has_value_0_and_gradient_0(where):
    """tf.math.divide_no_nan(1, x) at x = 0 is 0.0 with gradient 0.0, a built-in alternative to the double where (observed)."""
    y, grad = where.run(_divide_no_nan, tf.constant(0.0))
    oracle.assert_close(y, 0.0, TOL.EXACT, "value")
    oracle.assert_close(grad, 0.0, TOL.EXACT, "gradient")


_OVERFLOW_TABLE = _Table(
    {"unselected inf branch gives nan": _value_and_gradient(lambda a: tf.where(a < 15.0, a, tf.pow(10.0, tf.exp(a)))),
     "selected inf branch gives inf": _value_and_gradient(lambda a: tf.where(a > 15.0, a, tf.pow(10.0, tf.exp(a))))},
    {"unselected inf branch gives nan": (10.0, tf.float32), "selected inf branch gives inf": (10.0, tf.float32)},
)


WHERE_OVERFLOW = KnownBug(
    "the gradient of tf.where flows through an unselected branch whose derivative overflows: 0 · inf = NaN where the "
    "selected branch's derivative is 1",
    "https://github.com/tensorflow/tensorflow/issues/38349",
    "a = tf.constant(10.0)\nwith tf.GradientTape() as t:\n    t.watch(a)\n"
    "    y = tf.where(a < 15.0, a, tf.pow(10.0, tf.exp(a)))\n"
    "print(t.gradient(y, a))  # nan; y = a for every a < 15, so the derivative is 1.0",
    kind="wrong value",
    kind_why="y = a for every a < 15, so dy/da = 1 at a = 10; TensorFlow returns NaN, the 0 tf.where sends the "
             "unselected 10^(eᵃ) times its float32 derivative, which overflows to inf",
    related=("https://github.com/tensorflow/tensorflow/issues/2540", "https://github.com/tensorflow/tensorflow/pull/38467"),
    searched=("where gradient nan inactive branch inf overflow exp keras ops",
              "tf.where gradient NaN unselected branch division by zero"),
    workaround=Workaround('''import tensorflow as tf


def identity_below_15(a):
    """tf.where(a < 15, a, 10^(e^a)) with the double where: the overflowing branch only ever sees a safe input, 0
    where a < 15, so its derivative is finite there and 0 times it stays 0."""
    below = a < 15.0
    return tf.where(below, a, tf.pow(10.0, tf.exp(tf.where(below, tf.zeros_like(a), a))))
''', "identity_below_15"),
)


@pytest.mark.source("ISS-03")
@pytest.mark.parametrize(
    "case, expected", [pytest.param("unselected inf branch gives nan", 1.0, marks=WHERE_OVERFLOW.marks()),
                       ("selected inf branch gives inf", INF)],
    ids=["unselected", "selected"],
)
def test_where_with_an_overflowing_branch_gradient_is_1_unselected_inf_selected(where, case, expected):
    """At a = 10, 10^(eᵃ) overflows: selected by tf.where the gradient is inf (the float32 overflow of a finite but huge derivative); left unselected the function is a, derivative 1.0, but TensorFlow gives NaN, 0·inf (issue #38349, the comment of 2020-04-18)."""
    _, grad = _OVERFLOW_TABLE.result(where, case)
    oracle.assert_close_nonfinite(grad, expected, TOL.EXACT)


@pytest.mark.workaround_of(WHERE_OVERFLOW)
@pytest.mark.source("ISS-03")
def test_where_overflow_workaround_double_where_gives_gradient_1_at_a_10(where):
    """WHERE_OVERFLOW's workaround as pasted (the double where, 0 fed to the unselected 10^(eᵃ)) gives tf.where(a < 15, a, 10^(eᵃ)) at a = 10 the value 10.0 and the correct gradient 1.0 in every mode (issue #38349)."""
    y, grad = where.run(_value_and_gradient(WHERE_OVERFLOW.workaround.load()), tf.constant(10.0))
    oracle.assert_close(y, 10.0, TOL.EXACT, "value")
    oracle.assert_close_nonfinite(grad, 1.0, TOL.EXACT, "gradient of a")


_where_sqrt = _value_and_gradient(lambda x: tf.where(x > 0, tf.sqrt(x), 0.0))


XLA_WHERE_DEAD_BRANCH = KnownBug(
    "under XLA the gradient of tf.where evaluates the unselected sqrt's derivative: 0 · inf = NaN",
    "https://github.com/tensorflow/tensorflow/issues/118674",
    "f = tf.function(jit_compile=True)(lambda x: tf.gradients(tf.where(x > 0, tf.sqrt(x), 0.0), x)[0])\n"
    "print(f(tf.constant([-1.0, 0.0, 4.0])))  # [nan, nan, 0.25], expected [0, 0, 0.25]",
    modes=("xla",),
    kind="mode failure",
    kind_why="eagerly and in tf.function the gradient is the right [0, 0, 0.25] (SqrtGrad returns 0 for a zero "
             "upstream); only XLA's lowering dy·0.5/√x turns the unselected branch into NaN",
    related=("https://github.com/tensorflow/tensorflow/pull/38467", "https://github.com/tensorflow/tensorflow/issues/38349"),
    searched=("XLA jit_compile tf.where sqrt gradient NaN unselected branch SqrtGrad",),
    workaround=Workaround('''import tensorflow as tf


def sqrt_where_positive(x):
    """tf.where(x > 0, sqrt(x), 0) with the double where: sqrt only ever sees a safe input, 1 where x <= 0, so its
    derivative is finite there in every mode, XLA included."""
    positive = x > 0
    return tf.where(positive, tf.sqrt(tf.where(positive, x, tf.ones_like(x))), tf.zeros_like(x))
''', "sqrt_where_positive"),
)


@pytest.mark.source("ISS-04")
def test_where_around_sqrt_gradient_is_0_0_one_quarter_in_every_mode(where, request):
    """tf.where(x > 0, sqrt(x), 0) at x = [−1, 0, 4] has gradient [0, 0, 1/(2√4)]: 0 where the function is the constant 0 (at 0 the left derivative; the right one is inf). TensorFlow's SqrtGrad returns 0 for a zero upstream; XLA's is plain dy·0.5/√x and gives [NaN, NaN, 0.25] (PR #38467; issue #118674)."""
    if where.mode == "xla":
        for mark in XLA_WHERE_DEAD_BRANCH.marks():
            request.applymarker(mark)
    _, grad = where.run(_where_sqrt, tf.constant([-1.0, 0.0, 4.0]))
    oracle.assert_close_nonfinite(grad, [0.0, 0.0, 0.5 / np.sqrt(4.0)], TOL.EXACT, "gradient")


@pytest.mark.workaround_of(XLA_WHERE_DEAD_BRANCH)
@pytest.mark.source("ISS-04")
def test_where_around_sqrt_workaround_double_where_gives_0_0_one_quarter_under_xla_too(where):
    """XLA_WHERE_DEAD_BRANCH's workaround as pasted (the double where, 1 fed to sqrt where x ≤ 0) gives tf.where(x > 0, sqrt(x), 0) at x = [−1, 0, 4] the gradient [0, 0, 0.25] in every mode, XLA included (issue #118674)."""
    _, grad = where.run(_value_and_gradient(XLA_WHERE_DEAD_BRANCH.workaround.load()), tf.constant([-1.0, 0.0, 4.0]))
    oracle.assert_close_nonfinite(grad, [0.0, 0.0, 0.5 / np.sqrt(4.0)], TOL.EXACT, "gradient")


# ------------------------------------------------------------------------------------ norms and roots at 0
NORMS = {
    # id: (fn, x, value, gradient); gradient is x/|x| (closed form) away from 0; SUBGRADIENT: any g with |g| <= 1
    "norm([3, 4]) is x/|x| = [0.6, 0.8]": (tf.norm, [3.0, 4.0], 5.0, np.array([3.0, 4.0]) / 5.0),
    "norm([0, 0]) is a subgradient, |g| <= 1 (TensorFlow: nan)": (tf.norm, [0.0, 0.0], 0.0, "SUBGRADIENT"),
    "sqrt(sum(x^2)) at [0, 0] is [nan, nan]": (lambda x: tf.sqrt(tf.reduce_sum(tf.square(x))), [0.0, 0.0], 0.0, [NAN, NAN]),
    "norm([1e-19, 0]) is [1, 0] (TensorFlow: [inf, nan])": (tf.norm, [1e-19, 0.0], 1e-19, [1.0, 0.0]),
    "norm(ord=1) at [0, 0] is [0, 0]": (lambda x: tf.norm(x, ord=1), [0.0, 0.0], 0.0, [0.0, 0.0]),
}
# One workaround for both norm records: it scales by max|x| (no underflow) and double-wheres the origin (subgradient 0).
_SAFE_NORM = Workaround('''import tensorflow as tf


def safe_norm(x):
    """tf.norm(x), the 2-norm over all entries, with a finite gradient everywhere: computed as m·|x/m| with
    m = max|x| held constant (the norm is homogeneous, so m's own derivative contributes nothing), Σ(x/m)² cannot
    underflow; at x = 0 the double where gives the subgradient 0."""
    m = tf.stop_gradient(tf.reduce_max(tf.abs(x)))
    nonzero = m > 0
    m = tf.where(nonzero, m, tf.ones_like(m))
    s = tf.reduce_sum(tf.square(x / m))
    return m * tf.where(nonzero, tf.sqrt(tf.where(nonzero, s, tf.ones_like(s))), tf.zeros_like(s))
''', "safe_norm")
NORM_AT_ZERO = KnownBug(
    "tf.norm's (and tf.math.reduce_euclidean_norm's) gradient is NaN at the origin (0·inf, 0/0), where any g with "
    "|g| <= 1 is a subgradient",
    "https://github.com/tensorflow/tensorflow/issues/12071",
    "x = tf.zeros([2])\nwith tf.GradientTape() as t:\n    t.watch(x)\n    y = tf.norm(x)\n"
    "print(t.gradient(y, x))  # [nan, nan]; a subgradient such as [0, 0] is expected",
    kind="convention",
    kind_why="|x| has no derivative at the origin (every g with |g| <= 1 is a subgradient); PyTorch's norm_backward "
             "returns 0 there (grad * (self / norm).masked_fill_(norm == 0, 0), torch/csrc/autograd/FunctionsManual.cpp); "
             "JAX's jnp.linalg.norm is sqrt(sum(x·conj x)) with the sqrt JVP g·0.5/ans, so NaN as in TensorFlow "
             "(jax/_src/numpy/linalg.py, jax/_src/lax/lax.py)",
    related=("https://github.com/tensorflow/tensorflow/pull/108761", "https://github.com/tensorflow/tensorflow/pull/109329"),
    searched=("tf.norm gradient NaN at zero vector",),
    workaround=_SAFE_NORM,
)
NORM_UNDERFLOW = KnownBug(
    "tf.norm's float32 gradient at [1e-19, 0] is [inf, nan]: Σx² underflows to 0 although x/|x| = [1, 0] is well defined",
    "https://github.com/tensorflow/tensorflow/issues/12071",
    "x = tf.constant([1e-19, 0.0])\nwith tf.GradientTape() as t:\n    t.watch(x)\n    y = tf.norm(x)\n"
    "print(t.gradient(y, x))  # [inf, nan], expected [1, 0]",
    kind="tail",
    kind_why="at |x| = 1e-19 float32's Σx² = 1e-38 flushes to 0, so TensorFlow returns [inf, nan] where the true "
             "gradient x/|x| = [1, 0] is representable (in float64 the same point is right); issue #12071's own "
             "reproducer has this input",
    related=("https://github.com/tensorflow/tensorflow/pull/108761", "https://github.com/tensorflow/tensorflow/pull/109329"),
    searched=("tf.norm gradient NaN at zero vector",),
    workaround=_SAFE_NORM,
)
_NORM_TABLE = _Table({key: _value_and_gradient(case[0]) for key, case in NORMS.items()},
                     {key: (case[1], tf.float32) for key, case in NORMS.items()})


def _norm_case(key):
    bug = NORM_AT_ZERO if "subgradient" in key else NORM_UNDERFLOW if "1e-19" in key else None
    return pytest.param(key, marks=bug.marks() if bug else ())


def _is_subgradient_at_0(grad) -> tuple[bool, str]:
    """Whether `grad` is a subgradient of |x| at 0 (finite, |g| <= 1), and the failure message if not."""
    g = oracle.f64(grad)
    return (bool(np.all(np.isfinite(g)) and np.linalg.norm(g) <= 1 + 1e-6),
            f"expected a subgradient of |x| at 0 (finite, |g| <= 1), actual {g}")


def _assert_norm_value_and_gradient(y, grad, value, expected):
    oracle.assert_close(y, value, TOL.F32_FEW_OPS, "value")
    if isinstance(expected, str):  # SUBGRADIENT
        ok, why = _is_subgradient_at_0(grad)
        assert ok, why
    else:
        oracle.assert_close_nonfinite(grad, expected, TOL.F32_FEW_OPS, "gradient")


@pytest.mark.source("ISS-05")
@pytest.mark.parametrize("case", [_norm_case(k) for k in NORMS], ids=list(NORMS))
def test_euclidean_norm_gradient_is_x_over_norm_and_a_subgradient_at_0(where, case):
    """The 2-norm's gradient is x/|x| away from 0 — also at [1e-19, 0], where TensorFlow's float32 Σx² underflows and gives [inf, nan] — and at the origin any subgradient |g| ≤ 1, where TensorFlow gives 0/0 = NaN; written as sqrt(Σx²) the chain rule's inf·0 gives NaN, a composition with no derivative there; the 1-norm gives [0, 0] (issue #12071)."""
    _, _, value, expected = NORMS[case]
    y, grad = _NORM_TABLE.result(where, case)
    _assert_norm_value_and_gradient(y, grad, value, expected)


_reduce_euclidean_norm = _value_and_gradient(tf.math.reduce_euclidean_norm)


@pytest.mark.source("ISS-05")
@NORM_AT_ZERO
def test_reduce_euclidean_norm_at_0_0_is_a_subgradient_like_tf_norm_tensorflow_nan(where):
    """And with tf.math.reduce_euclidean_norm instead of tf.norm? Its own gradient x/|x| is 0/0 = NaN at the origin too, where any g with |g| ≤ 1 is a subgradient (issue #12071; PR #109329)."""
    if where.mode == "xla":
        pytest.skip("XLA has no EuclideanNorm kernel: the op itself does not compile")
    y, grad = where.run(_reduce_euclidean_norm, tf.zeros([2]))
    oracle.assert_close(y, 0.0, TOL.F32_FEW_OPS, "value")
    ok, why = _is_subgradient_at_0(grad)
    assert ok, why


SAFE_NORM_CASES = ["norm([0, 0]) is a subgradient, |g| <= 1 (TensorFlow: nan)", "norm([1e-19, 0]) is [1, 0] (TensorFlow: [inf, nan])"]


@pytest.mark.source("ISS-05")
@pytest.mark.workaround_of(NORM_AT_ZERO, NORM_UNDERFLOW)
@pytest.mark.parametrize("case", SAFE_NORM_CASES, ids=["origin", "1e-19"])
def test_safe_norm_workaround_gives_a_subgradient_at_0_and_1_0_at_1e_minus_19(where, case):
    """The norm records' workaround as pasted (m·|x/m| with m = max|x|, and a double where at the origin) gives the subgradient [0, 0] at the origin and x/|x| = [1, 0] at [1e-19, 0] in float32, in every mode, checked as the tf.norm cases above (issue #12071)."""
    _, x, value, expected = NORMS[case]
    y, grad = where.run(_value_and_gradient(_SAFE_NORM.load()), tf.constant(x, tf.float32))
    _assert_norm_value_and_gradient(y, grad, value, expected)


@pytest.mark.source("ISS-05")
def test_norm_in_float64_at_1e_minus_19_has_the_right_gradient_1_0(where):
    """And in float64? There Σx² = 1e-38 is a normal number, so tf.norm at [1e-19, 0] has its correct gradient x/|x| = [1, 0] in every mode; the float32 underflow of NORM_UNDERFLOW moves to |x| below about 1e-154 (issue #12071)."""
    y, grad = where.run(_value_and_gradient(tf.norm), tf.constant([1e-19, 0.0], tf.float64))
    assert grad.dtype == tf.float64
    oracle.assert_close(oracle.f64(y) / 1e-19, 1.0, TOL.F64, "value / 1e-19")
    oracle.assert_close_nonfinite(grad, [1.0, 0.0], TOL.F64, "gradient x/|x|")


_clip_by_norm_zero = _value_and_gradient(lambda x: tf.clip_by_norm(x, 1.0))
_l2_normalize_zero = _value_and_gradient(lambda x: tf.math.l2_normalize(x))


@pytest.mark.source("ISS-06")
def test_clip_by_norm_at_zero_has_gradient_1_1_1_not_nan(where):
    """tf.clip_by_norm(zeros([3]), 1) passes zeros through with gradient [1, 1, 1] (issue #22048: NaN in TF 1.10, fixed)."""
    y, grad = where.run(_clip_by_norm_zero, tf.zeros([3]))
    oracle.assert_close(y, np.zeros(3), TOL.EXACT, "value")
    oracle.assert_close_nonfinite(grad, np.ones(3), TOL.EXACT, "gradient")


@pytest.mark.source("ISS-06")
def test_l2_normalize_at_zero_has_gradient_1e6_from_its_epsilon_1e_12(where):
    """tf.math.l2_normalize(zeros([3])) is zeros with gradient 1/√ε = 1e6 per entry, ε = 1e-12 being its floor on Σx² (observed)."""
    y, grad = where.run(_l2_normalize_zero, tf.zeros([3]))
    oracle.assert_close(y, np.zeros(3), TOL.EXACT, "value")
    oracle.assert_close_nonfinite(grad, np.full(3, 1.0 / np.sqrt(1e-12)), TOL.F32_FEW_OPS, "gradient")


ROOTS_AND_POLES = {
    # id: (fn, x, value, gradient)
    "sqrt at 0 is inf": (tf.sqrt, 0.0, 0.0, INF),
    "x**0.5 at 0 is inf": (lambda x: x**0.5, 0.0, 0.0, INF),
    "square(sqrt(x)) at 0 is 0 (nan under XLA)": (lambda x: tf.square(tf.sqrt(x)), 0.0, 0.0, 0.0),
    "sqrt at -1 is nan": (tf.sqrt, -1.0, NAN, NAN),
    "pow(x, 0) at 0 is 0 (TensorFlow: nan)": (lambda x: tf.pow(x, 0.0), 0.0, 1.0, 0.0),
    "log at 0 is inf": (tf.math.log, 0.0, -INF, INF),
    "1/x at 0 is -inf": (lambda x: 1.0 / x, 0.0, INF, -INF),
}
_ROOT_TABLE = _Table({key: _value_and_gradient(case[0]) for key, case in ROOTS_AND_POLES.items()},
                     {key: (case[1], tf.float32) for key, case in ROOTS_AND_POLES.items()})


POW_ZERO_EXPONENT = KnownBug(
    "Pow's gradient y·x^(y−1) is 0·0^(−1) = 0·inf = NaN at x = 0, y = 0, although x⁰ = 1 is constant",
    "https://github.com/tensorflow/tensorflow/issues/35011",
    "x = tf.constant(0.0)\nwith tf.GradientTape() as t:\n    t.watch(x)\n    y = tf.pow(x, 0.0)\n"
    "print(t.gradient(y, x))  # nan, expected 0.0",
    kind="wrong value",
    kind_why="x⁰ = 1 for every x, so d/dx = 0 at x = 0 too; TensorFlow's PowGrad returns y·x^(y−1) = 0·inf = NaN "
             "(PyTorch's pow_backward returns 0 for a zero exponent); issue #35011 meets it as the NaN 5th derivative "
             "of x⁴ at 0, whose 4th derivative is 24·x⁰",
    searched=("tf.pow gradient NaN at x = 0 exponent 0 pow(0, 0) gradient",
              "tensorflow x**0 gradient nan at zero, 0 * inf PowGrad y * x^(y-1)"),
    workaround=Workaround('''import tensorflow as tf


def safe_pow(x, y):
    """tf.pow(x, y) with the gradient 0 where x = y = 0 (x⁰ = 1 is constant; TensorFlow's y·x^(y−1) is 0·inf = NaN
    there): the base is replaced by 1 at those entries, which changes no value (1⁰ = 0⁰ = 1) and no other gradient."""
    x = tf.convert_to_tensor(x)
    y = tf.convert_to_tensor(y, dtype=x.dtype)
    both_zero = tf.logical_and(tf.equal(x, 0.0), tf.equal(y, 0.0))
    return tf.pow(tf.where(both_zero, tf.ones_like(x), x), y)
''', "safe_pow"),
)
# TensorFlow 2.16's tf.function constant-folds pow(x, 0) to 1 and gives gradient 0 (test_15_modes states it)
POW_FOLDED_BEFORE_2_17 = pytest.mark.since("2.17", modes=["function"], reason="2.16 folds pow(x, 0) to 1 inside tf.function")


@pytest.mark.source("ISS-07")
@pytest.mark.parametrize("case", [pytest.param(k, marks=[*POW_ZERO_EXPONENT.marks(), POW_FOLDED_BEFORE_2_17] if k.startswith("pow") else ())
                                  for k in ROOTS_AND_POLES], ids=list(ROOTS_AND_POLES))
def test_roots_logs_and_poles_at_their_singular_point_give_inf_or_nan_gradients(where, case):
    """At 0, sqrt and x^0.5 have gradient inf (one-sided), log inf, 1/x −inf; sqrt(−1) is NaN (outside the domain); pow(x, 0) = 1 has derivative 0, where TensorFlow gives NaN; square(sqrt(x)) is the chain rule's 0·inf, 0 from SqrtGrad's zero-upstream guard but NaN under XLA (issues #4914, #5562)."""
    _, _, value, expected = ROOTS_AND_POLES[case]
    if case.startswith("square(sqrt(x))") and where.mode == "xla":
        expected = NAN  # tf2xla lowers SqrtGrad to dy * 0.5 / y with no zero-upstream guard: 0 * 0.5 / 0
    y, grad = _ROOT_TABLE.result(where, case)
    oracle.assert_close_nonfinite(y, value, TOL.EXACT, "value")
    oracle.assert_close_nonfinite(grad, expected, TOL.EXACT, "gradient")


@pytest.mark.workaround_of(POW_ZERO_EXPONENT)
@pytest.mark.source("ISS-07")
def test_pow_zero_exponent_workaround_gives_x_to_the_0_value_1_and_gradient_0_at_0(where):
    """POW_ZERO_EXPONENT's workaround as pasted (the base replaced by 1 where x = y = 0) gives pow(x, 0) at x = 0 the value 1.0 and the correct gradient 0.0 in every mode, the oracle of the pow case above (issue #35011)."""
    safe_pow = POW_ZERO_EXPONENT.workaround.load()
    y, grad = where.run(_value_and_gradient(lambda x: safe_pow(x, 0.0)), tf.constant(0.0))
    _, _, value, expected = ROOTS_AND_POLES["pow(x, 0) at 0 is 0 (TensorFlow: nan)"]
    oracle.assert_close_nonfinite(y, value, TOL.EXACT, "value")
    oracle.assert_close_nonfinite(grad, expected, TOL.EXACT, "gradient")


# ------------------------------------------------------------------------------- kinks: which subgradient
def _leaky_relu_02(x):
    return tf.nn.leaky_relu(x, alpha=0.2)


def _np_leaky_relu_02(x):
    return np.where(x > 0, x, 0.2 * x)


def _np_elu(x):
    return np.where(x > 0, x, np.expm1(x))


def _np_relu6(x):
    return np.clip(x, 0.0, 6.0)


def _np_clip_01(x):
    return np.clip(x, 0.0, 1.0)


def _np_relu(x):
    return np.maximum(x, 0.0)


def _np_min0(x):
    return np.minimum(x, 0.0)


KINKS = {
    # id: (TensorFlow op, the same function in numpy, the kink, TensorFlow's gradient there)
    "abs at 0 is 0": (tf.abs, np.abs, 0.0, 0.0),
    "relu at 0 is 0": (tf.nn.relu, _np_relu, 0.0, 0.0),
    "relu6 at 0 is 0": (tf.nn.relu6, _np_relu6, 0.0, 0.0),
    "relu6 at 6 is 0": (tf.nn.relu6, _np_relu6, 6.0, 0.0),
    "leaky_relu(0.2) at 0 is 0.2": (_leaky_relu_02, _np_leaky_relu_02, 0.0, 0.2),
    "elu at 0 is 1": (tf.nn.elu, _np_elu, 0.0, 1.0),
    "maximum(x, 0) at 0 is 1": (lambda x: tf.maximum(x, 0.0), _np_relu, 0.0, 1.0),
    "minimum(x, 0) at 0 is 1": (lambda x: tf.minimum(x, 0.0), _np_min0, 0.0, 1.0),
    "clip_by_value(x, 0, 1) at 0 is 1": (lambda x: tf.clip_by_value(x, 0.0, 1.0), _np_clip_01, 0.0, 1.0),
    "clip_by_value(x, 0, 1) at 1 is 1": (lambda x: tf.clip_by_value(x, 0.0, 1.0), _np_clip_01, 1.0, 1.0),
}
_KINK_TABLE = _Table({key: _value_and_gradient(case[0]) for key, case in KINKS.items()},
                     {key: (case[2], tf.float32) for key, case in KINKS.items()})


@pytest.mark.source("ISS-08")
@pytest.mark.parametrize("case", KINKS, ids=list(KINKS))
def test_gradient_at_a_kink_is_a_fixed_subgradient_relu_0_but_maximum_1(where, case):
    """At a kink TensorFlow returns one fixed value between the one-sided derivatives: relu, abs, relu6 give 0, leaky_relu α, elu 1, and maximum(x, 0), minimum, clip_by_value give 1 (observed)."""
    _, np_fn, x, expected = KINKS[case]
    _, grad = _KINK_TABLE.result(where, case)
    oracle.assert_close(grad, expected, TOL.F32_FEW_OPS)  # 0.2 is not exact in float32
    left, right = oracle.one_sided_derivatives(np_fn, x)
    assert min(left, right) - 1e-6 <= expected <= max(left, right) + 1e-6, (
        f"{expected} is not between the one-sided derivatives {left}, {right}"
    )


KINK_XS = np.linspace(-2.0, 2.0, 41)  # step 0.1 through the kink at 0
_relu_value_and_gradient = _value_and_gradient(tf.nn.relu)
_abs_value_and_gradient = _value_and_gradient(tf.abs)


@pytest.mark.source("ISS-08")
def test_relu_and_abs_gradients_over_minus_2_to_2_are_steps_and_0_at_the_kink(where, picture):
    """Over x in [−2, 2] the gradient of relu steps from 0 to 1 and that of |x| from −1 to 1; at the kink x = 0 TensorFlow returns 0 for both, a subgradient (observed)."""
    xs = tf.constant(KINK_XS, tf.float32)
    relu, relu_grad = where.run(_relu_value_and_gradient, xs)
    absolute, abs_grad = where.run(_abs_value_and_gradient, xs)
    oracle.assert_close(relu_grad, np.where(KINK_XS > 0, 1.0, 0.0), TOL.EXACT, "relu'")
    oracle.assert_close(abs_grad, np.sign(KINK_XS), TOL.EXACT, "|x|'")
    picture("kink", pictures.kinks, KINK_XS, {"relu(x)": oracle.f64(relu), "|x|": oracle.f64(absolute)},
            {"relu(x)": oracle.f64(relu_grad), "|x|": oracle.f64(abs_grad)}, at=0.0, picked={"relu(x)": 0.0, "|x|": 0.0},
            caption="relu and |x| with their tape gradients; the star marks the value TensorFlow picks at the kink x = 0")


_sign_at_zero = _value_and_gradient(tf.sign)


@pytest.mark.source("ISS-08")
def test_sign_at_its_jump_has_gradient_0(where):
    """tf.sign jumps at 0 and has no subgradient there; its registered gradient is 0.0, as everywhere else (observed)."""
    _, grad = where.run(_sign_at_zero, tf.constant(0.0))
    oracle.assert_close(grad, 0.0, TOL.EXACT)
    assert oracle.one_sided_derivatives(np.sign, 0.0)[1] > 1e4, "the numpy oracle must see the jump"


# -------------------------------------------------------------------------------------------------- ties
TIES = np.array([[[0.6], [0.6], [0.3]]])  # shape (1, 3, 1): batch, steps, channels; steps 0 and 1 tie


def _tie_gradients(x):
    pool = tf.keras.layers.MaxPooling1D(pool_size=3, name="tie_pool")
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        by_reduce_max = tf.reduce_max(x)
        by_max_pool = tf.reduce_sum(pool(x))
    return tape.gradient(by_reduce_max, x), tape.gradient(by_max_pool, x)


@pytest.mark.source("ISS-09")
@pytest.mark.keras
def test_reduce_max_splits_a_tie_half_half_max_pooling_gives_it_all_to_the_first(where):
    """With x = [0.6, 0.6, 0.3], reduce_max's gradient shares the tie, [0.5, 0.5, 0], while MaxPooling1D gives [1, 0, 0] (issues #51681, #4886)."""
    by_reduce_max, by_max_pool = where.run(_tie_gradients, tf.constant(TIES, tf.float32))
    oracle.assert_close(by_reduce_max, np.array([0.5, 0.5, 0.0]).reshape(TIES.shape), TOL.EXACT, "reduce_max")
    oracle.assert_close(by_max_pool, np.array([1.0, 0.0, 0.0]).reshape(TIES.shape), TOL.EXACT, "MaxPooling1D")


_reduce_min_ties = _value_and_gradient(lambda x: tf.reduce_min(-x))


@pytest.mark.source("ISS-09")
def test_reduce_min_splits_ties_too(where):
    """reduce_min(−x) at x = [1, 3, 3, 2] has two minima −3; the gradient −1 is split: [0, −0.5, −0.5, 0] (issue #51682)."""
    _, grad = where.run(_reduce_min_ties, tf.constant([1.0, 3.0, 3.0, 2.0]))
    oracle.assert_close(grad, [0.0, -0.5, -0.5, 0.0], TOL.EXACT)


def _maximum_tie(a, b):
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        y = tf.maximum(a, b)
    return tape.gradient(y, [a, b])


@pytest.mark.source("ISS-09")
def test_maximum_of_two_equal_values_gives_the_whole_gradient_to_the_first_1_0(where):
    """tf.maximum(a, b) with a = b = 2 does not split: d/da = 1.0 and d/db = 0.0 (observed)."""
    d_a, d_b = where.run(_maximum_tie, tf.constant(2.0), tf.constant(2.0))
    oracle.assert_close([d_a, d_b], [1.0, 0.0], TOL.EXACT)


# ----------------------------------------------------------------------------- sparse gradients: gathers
PARAMS = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
INDICES = np.array([0, 2, 0])  # row 0 twice


def _gathered_rows_gradient(indices, n_rows=3, width=2):
    """The float64 oracle for d Σ gather(params, indices) / d params: one count per gathered row."""
    dense = np.zeros((n_rows, width))
    np.add.at(dense, indices, 1.0)
    return dense


def assert_indexed_slices(grad, indices, width=2):
    assert isinstance(grad, tf.IndexedSlices), f"expected tf.IndexedSlices, got {type(grad).__name__}"
    np.testing.assert_array_equal(grad.indices.numpy(), indices)
    oracle.assert_close(grad.values, np.ones((len(indices), width)), TOL.EXACT, "values: one row of ones per index")
    np.testing.assert_array_equal(grad.dense_shape.numpy(), [3, width])
    assert not hasattr(grad, "numpy"), "IndexedSlices has no .numpy(); densify with tf.convert_to_tensor"
    oracle.assert_close(tf.convert_to_tensor(grad), _gathered_rows_gradient(indices, width=width), TOL.EXACT,
                        "densified: duplicate indices summed")


LOOKUPS = {"tf.gather": tf.gather, "tf.nn.embedding_lookup": tf.nn.embedding_lookup}


@pytest.mark.source("ISS-10", "API-19")
@pytest.mark.parametrize("lookup", LOOKUPS, ids=list(LOOKUPS))
def test_gather_from_a_variable_has_an_indexedslices_gradient_rows_0_2_0(where, lookup):
    """Gathering rows [0, 2, 0] of a Variable gives tf.IndexedSlices: indices [0, 2, 0], values of ones, dense shape [3, 2]; densified, row 0 counts twice (issue #38168; GradientTape.gradient API page)."""
    params = tf.Variable(PARAMS, dtype=tf.float32)
    gather = LOOKUPS[lookup]

    def grad():
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(gather(params, INDICES))
        return tape.gradient(y, params)

    assert_indexed_slices(where.run(grad), INDICES)


def _gather_watched(params):
    with tf.GradientTape() as tape:
        tape.watch(params)
        y = tf.reduce_sum(tf.gather(params, INDICES))
    return tape.gradient(y, params)


def _gather_derived(params):
    with tf.GradientTape() as tape:
        tape.watch(params)
        y = tf.reduce_sum(tf.gather(params * 1.0, INDICES))
    return tape.gradient(y, params)


@pytest.mark.source("ISS-10")
def test_gather_from_a_watched_constant_also_gives_indexedslices(where):
    """A watched constant gathered directly gets the same IndexedSlices gradient as a Variable (issue #38168)."""
    assert_indexed_slices(where.run(_gather_watched, tf.constant(PARAMS, tf.float32)), INDICES)


@pytest.mark.source("ISS-10")
def test_gather_from_a_derived_tensor_gives_a_dense_gradient(where):
    """Gathering from params·1.0 instead: the multiply's gradient densifies, so d/d params is a dense Tensor [[2, 2], [0, 0], [1, 1]] (observed)."""
    grad = where.run(_gather_derived, tf.constant(PARAMS, tf.float32))
    assert isinstance(grad, tf.Tensor) and not isinstance(grad, tf.IndexedSlices)
    oracle.assert_close(grad, _gathered_rows_gradient(INDICES), TOL.EXACT)


# The warning was only ever issued while building a graph, for a dense_shape not known at trace time: these two
# specs trace their own tf.function with an unknown number of rows instead of taking `where`.
@pytest.mark.source("ISS-10")
def test_issue_38168_scenario_gather_from_another_ops_output_of_unknown_shape_warns_nothing_gradient_2x_per_row(recwarn):
    """https://github.com/tensorflow/tensorflow/issues/38168 no longer reproduces: tf.gather on another op's output (here x², x of shape [None, 2] in a tf.function) no longer warns "Converting sparse IndexedSlices to a dense Tensor of unknown shape", and d Σ gather(x², [0, 2, 0])/dx is 2x times each row's count. The issue's code is not in the text that could be retrieved (only its description); this is the scenario its description states."""

    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
    def grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(tf.gather(tf.square(x), INDICES))
        return tape.gradient(y, x)

    actual = grad(tf.constant(PARAMS, tf.float32))
    oracle.assert_close(actual, 2.0 * PARAMS * _gathered_rows_gradient(INDICES), TOL.EXACT, "2x per gathered row")
    assert observe.returned([str(w.message) for w in recwarn if "IndexedSlices" in str(w.message)]) == []


@pytest.mark.source("ISS-10")
def test_issue_23558_scenario_embedding_lookup_sparse_warns_nothing_gradient_one_row_of_ones_per_id(recwarn):
    """https://github.com/tensorflow/tensorflow/issues/23558 no longer reproduces: tf.nn.embedding_lookup_sparse (whose gather of the looked-up rows the issue suspected) no longer warns "Converting sparse IndexedSlices to a dense Tensor of unknown shape"; with ids [[0, 2], [1]] of unknown shape in a tf.function and combiner "sum", d Σ/d params is one row of ones for ids 0, 1 and 2. The issue gives no code of its own (only the lines of embedding_lookup_sparse it quotes); this is the scenario its description states."""
    params = tf.Variable(tf.ones([4, 2]), name="sparse_lookup_params")

    @tf.function(input_signature=[tf.SparseTensorSpec([None, None], tf.int64)])
    def grad(sp_ids):
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(tf.nn.embedding_lookup_sparse(params, sp_ids, None, combiner="sum"))
        return tape.gradient(y, params)

    sp_ids = tf.sparse.SparseTensor(indices=[[0, 0], [0, 1], [1, 0]], values=tf.constant([0, 2, 1], tf.int64),
                                    dense_shape=[2, 2])
    actual = observe.returned(grad(sp_ids))
    assert isinstance(actual, tf.IndexedSlices)
    oracle.assert_close(tf.convert_to_tensor(actual), [[1.0, 1.0], [1.0, 1.0], [1.0, 1.0], [0.0, 0.0]], TOL.EXACT,
                        "densified: ids 0, 1, 2 once each, id 3 never")
    assert observe.returned([str(w.message) for w in recwarn if "IndexedSlices" in str(w.message)]) == []


@pytest.mark.source("ISS-10")
@pytest.mark.keras
def test_keras_embedding_gradient_is_indexedslices(where):
    """A Keras Embedding layer's embeddings get an IndexedSlices gradient too: one row of ones per looked-up id (observed)."""
    with tf.device(where.device_name):
        embedding = tf.keras.layers.Embedding(3, 2, name="sparse_embedding")
        embedding.build((None,))

    def grad(ids):
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(embedding(ids))
        return tape.gradient(y, embedding.embeddings)

    assert_indexed_slices(where.run(grad, tf.constant(INDICES)), INDICES)


# -------------------------------------------------------------------------------------- complex gradients
def _complex_grad(fn):
    def grad(z):
        with tf.GradientTape() as tape:
            tape.watch(z)
            y = fn(z)
        return tape.gradient(y, z)

    return grad


COMPLEX = {
    # id: (fn, z, expected gradient from the closed form: conj(f'(z)) for holomorphic f, ∂L/∂x + i∂L/∂y for real L)
    "z^2 at 0.1j is conj(2z) = -0.2j": (lambda z: z * z, 0.1j, np.conj(2 * 0.1j)),
    "exp at 0.1j is conj(exp z)": (tf.exp, 0.1j, np.conj(np.exp(0.1j))),
    "re^2 + im^2 at 3+4j is 2x + 2iy = 6+8j": (lambda z: tf.math.real(z) ** 2 + tf.math.imag(z) ** 2, 3 + 4j, 2 * 3 + 2j * 4),
    "abs at 3+4j is z/|z| = 0.6+0.8j": (tf.abs, 3 + 4j, (3 + 4j) / 5.0),
    "real at 1+1j is 1": (tf.math.real, 1 + 1j, 1 + 0j),
    "imag at 1+1j is 1j": (tf.math.imag, 1 + 1j, 1j),
}
_COMPLEX_TABLE = _Table({key: _complex_grad(case[0]) for key, case in COMPLEX.items()},
                        {key: (case[1], tf.complex64) for key, case in COMPLEX.items()})


@pytest.mark.source("ISS-11")
@pytest.mark.parametrize("case", COMPLEX, ids=list(COMPLEX))
def test_complex_gradient_is_the_conjugate_so_descent_works_on_real_losses(where, case):
    """For complex z the tape returns conj(f'(z)) for holomorphic f and ∂L/∂x + i∂L/∂y for real L: z² at 0.1j gives −0.2j, not 0.2j (issue #3348)."""
    _, _, expected = COMPLEX[case]
    grad = _COMPLEX_TABLE.result(where, case)
    assert grad.dtype == tf.complex64
    got = grad.numpy()
    oracle.assert_close(got.real, np.real(expected), TOL.F32_FEW_OPS, "real part")
    oracle.assert_close(got.imag, np.imag(expected), TOL.F32_FEW_OPS, "imaginary part")


@pytest.mark.source("ISS-11")
def test_issue_3348_reproducer_x_times_x_and_exp_at_0_1j_give_minus_0_2j_and_conj_exp_0_1j(where):
    """The reproducer of https://github.com/tensorflow/tensorflow/issues/3348 (adapted: tf.Session/feed_dict → the same complex128 Variable assigned 0.1j, tf.gradients → a GradientTape): d(x·x) = conj(2x) = −0.2j and d exp(x) = conj(exp(0.1j)) = 0.995 − 0.0998j, the conjugate convention the maintainers documented in the issue, not the 0.2j the reporter expected."""
    x = tf.Variable(0. + 0.j)
    x.assign(0.1j)

    def reproducer():
        with tf.GradientTape(persistent=True) as tape:
            square, exp = x * x, tf.exp(x)
        return tape.gradient(square, x), tape.gradient(exp, x)

    d_square, d_exp = where.run(reproducer)
    assert (d_square.dtype, d_exp.dtype) == (tf.complex128, tf.complex128)
    for got, expected, what in ((d_square, np.conj(2 * 0.1j), "d(x·x)"), (d_exp, np.conj(np.exp(0.1j)), "d exp(x)")):
        oracle.assert_close(got.numpy().real, expected.real, TOL.F64, f"{what}, real part")
        oracle.assert_close(got.numpy().imag, expected.imag, TOL.F64, f"{what}, imaginary part")


# ------------------------------------------------------------------------------ dropout, numpy_function
@pytest.mark.source("ISS-25")
@pytest.mark.keras
def test_dropout_gradient_on_ones_equals_its_output_the_mask_times_2(where):
    """Dropout(0.5) in training scales kept entries by 1/(1 − 0.5) = 2: on x = ones its gradient equals its output, a mask of 0s and 2s (observed)."""
    with tf.device(where.device_name):
        dropout = tf.keras.layers.Dropout(0.5, seed=1, name="mask_dropout")

    def value_and_grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = dropout(x, training=True)
        return y, tape.gradient(y, x)

    y, grad = where.run(value_and_grad, tf.ones([1, 16]))
    mask = oracle.f64(y) / 2.0
    assert set(np.unique(mask)) == {0.0, 1.0}, f"expected a mixed 0/1 mask, got {np.unique(mask)}"
    oracle.assert_close(grad, 2.0 * mask, TOL.EXACT, "gradient = mask × 1/(1 − rate)")


def _numpy_function_grad(x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.numpy_function(lambda a: a * a, [x], tf.float32)
    return tape.gradient(y, x)


def _py_function_grad(x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.py_function(lambda a: a * a, [x], tf.float32)
    return tape.gradient(y, x)


@pytest.mark.source("ISS-27")
def test_numpy_function_is_not_differentiable_gradient_none(where):
    """tf.numpy_function runs numpy, which the tape cannot see: the gradient of x² through it is None, silently (tf.numpy_function API page)."""
    if where.mode == "xla":
        pytest.skip("XLA cannot compile PyFunc: it calls back into Python")
    assert where.run(_numpy_function_grad, tf.constant(3.0)) is None


@pytest.mark.source("ISS-27")
def test_py_function_is_differentiable_gradient_of_x_squared_at_3_is_6(where):
    """tf.py_function runs eager TensorFlow ops and records them: the gradient of x² through it at 3 is 6.0 (tf.py_function API page)."""
    if where.mode == "xla":
        pytest.skip("XLA cannot compile EagerPyFunc: it calls back into Python")
    oracle.assert_close(where.run(_py_function_grad, tf.constant(3.0)), 2 * 3.0, TOL.EXACT)
