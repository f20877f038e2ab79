"""Chapter 15 — Execution modes: the same tape code eagerly, inside `tf.function` and compiled by XLA.

Almost every value in this suite is the same in the three modes; that is what the `where` fixture checks
case by case. This chapter names the places where the modes disagree, each as its own behaviour, and pins
the few agreements people doubt (a tape inside `tf.function`, an eager tape around a compiled call).
Guide: https://www.tensorflow.org/guide/function; catalogue entries ISS-15, ISS-16, ISS-24.
"""
import pytest
import tensorflow as tf
from tensorflow.python.autograph.impl.api import StagingError  # not in the public API; the type is the claim

from spec import oracle
from spec.bugs import KnownBug, Workaround
from spec.harness import examples, modes
from spec.tolerances import TOL


# ------------------------------------------------------------------- where the modes agree (ISS-15)
@pytest.mark.source("ISS-15")
def test_tape_inside_tf_function_gives_12_for_v_v_x_and_6_for_watched_x_squared(where):
    """A tape works inside `tf.function`: d(v·v·x)/dv = 2vx = 12 at v = 3, x = 2, and d(x²)/dx = 6 for a watched x = 3 (guide "Introduction to gradients and automatic differentiation"; catalogue ISS-15)."""
    v = tf.Variable(3.0)

    def grads(x, x3):
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x3)
            y = v * v * x
            z = x3 * x3
        return tape.gradient(y, v), tape.gradient(z, x3)

    d_v, d_x3 = where.run(grads, tf.constant(2.0), tf.constant(3.0))
    oracle.assert_close(d_v, 2 * 3.0 * 2.0, TOL.EXACT, "d(v·v·x)/dv")
    oracle.assert_close(d_x3, 2 * 3.0, TOL.EXACT, "d(x²)/dx")


def _x_x_v(x, v):
    return x * x * v


@pytest.mark.source("ISS-15")
@pytest.mark.eager_only("the outer tape is eager by construction; the parameter says how the inner call is compiled")
@pytest.mark.parametrize("inner", ["function", "xla"], ids=["around-function", "around-xla"])
def test_eager_tape_records_a_call_to_a_compiled_function_gradients_12_and_4(where, inner):
    """An eager tape around a call to a `tf.function` (or an XLA-compiled one) records it: d(x·x·v)/d[x, v] = [2xv, x²] = [12, 4] at x = 2, v = 3 (guide "Introduction to gradients and automatic differentiation"; catalogue ISS-15)."""
    compiled = modes.compile_in(inner, _x_x_v)
    with tf.device(where.device_name):
        x, v = tf.constant(2.0), tf.Variable(3.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = compiled(x, v)
        d_x, d_v = tape.gradient(y, [x, v])
    oracle.assert_close(d_x, 2 * 2.0 * 3.0, TOL.EXACT, "d/dx")
    oracle.assert_close(d_v, 2.0**2, TOL.EXACT, "d/dv")


_traces = []  # one entry each time the Python body below runs


def _grad_of_square_of(v):
    _traces.append(v.name)  # a Python side effect: runs on every eager call, only while tracing otherwise
    with tf.GradientTape() as tape:
        y = v * v
    return tape.gradient(y, v)


@pytest.mark.source("ISS-15")
def test_one_trace_serves_two_variables_gradients_2_and_4(where):
    """A compiled function traced for one Variable serves another without retracing and still returns each one's own gradient 2v = 2.0 and 4.0, because its y = v·v is computed from the Variable passed in; eagerly the Python body simply runs again. This is not the scenario of issue #57365 (a loss reading global Variables, differentiated with respect to the Variable passed in), which does go wrong: see the next behaviour (observed on TF 2.21)."""
    v1, v2 = tf.Variable(1.0, name="v1"), tf.Variable(2.0, name="v2")
    oracle.assert_close(where.run(_grad_of_square_of, v1), 2 * 1.0, TOL.EXACT, "gradient for v1")
    runs_before = len(_traces)  # the first call may or may not trace: another case may have traced it already
    oracle.assert_close(where.run(_grad_of_square_of, v2), 2 * 2.0, TOL.EXACT, "gradient for v2")
    new_runs = len(_traces) - runs_before
    assert new_runs == (1 if where.eager else 0), f"the Python body ran {new_runs} time(s) for v2"


ISSUE_57365 = KnownBug(
    "a tf.function whose tape differentiates a loss of global Variables with respect to the Variable passed in is traced "
    "for the first Variable and not retraced for the next: it returns the first one's gradient formula at the second",
    "https://github.com/tensorflow/tensorflow/issues/57365",
    """var1 = tf.Variable(1.0)
var2 = tf.Variable(2.0)


def loss():
    return var1 ** 2 + var2 ** 3


@tf.function
def grad(x):
    with tf.GradientTape() as tape:
        y = loss()
    return tape.gradient(y, x)


print(grad(var1))  # 2.0 = 2·var1, right
print(grad(var2))  # 4.0 = 2·var2 (var1's formula), expected 3·var2² = 12.0""",
    kind="mode failure",
    kind_why="run eagerly the same function returns each Variable's own gradient (2.0, then 12.0); as a tf.function it "
             "reuses the trace made for var1 and returns 4.0 for var2, and with jit_compile=True the second call raises "
             "UnimplementedError \"Duplicate variable passed to XLA cluster\"",
    searched=("57365 GradientTape tf.function gradient wrong variable global variables",
              "tf.function does not retrace for different tf.Variable argument, tape.gradient returns gradient of the "
              "first variable",
              "\"Duplicate variable passed to XLA cluster\" UnimplementedError jit_compile"),
    workaround=Workaround('''import tensorflow as tf

var1 = tf.Variable(1.0)
var2 = tf.Variable(2.0)


def loss(v1, v2):
    return v1 ** 2 + v2 ** 3


@tf.function
def grad(x, v1, v2):
    """d loss / d x, with every Variable the loss reads passed in too: which argument is the same Variable as which is
    part of what tf.function traces for, so grad(var2, var1, var2) gets a trace of its own instead of reusing the one
    of grad(var1, var1, var2). Call it as grad(var1, var1, var2) and grad(var2, var1, var2)."""
    with tf.GradientTape() as tape:
        y = loss(v1, v2)
    return tape.gradient(y, x)
''', "grad"),
)


def _issue_57365_grads(where, jit_compile):
    """The issue's code, its tf.function compiled with or without XLA: grad(var1), then grad(var2)."""
    var1 = tf.Variable(1.0)
    var2 = tf.Variable(2.0)

    def loss():
        return var1 ** 2 + var2 ** 3

    @tf.function(jit_compile=jit_compile)
    def grad(x):
        with tf.GradientTape() as tape:
            y = loss()
        return tape.gradient(y, x)

    d_var1 = where.run(grad, var1)
    try:
        d_var2 = where.run(grad, var2)
    except tf.errors.UnimplementedError as err:  # XLA: the second call fails instead of returning a value
        message = err.message.split(" [Op:")[0]  # without the traced function's numbered name
        raise AssertionError(f"d loss / d var2: expected 12.0 (oracle: 3·var2²), actual: raised UnimplementedError: "
                             f"{message}") from None
    return d_var1, d_var2


@pytest.mark.source("ISS-15")
@pytest.mark.eager_only("the issue's code makes its own tf.function; the case's mode would only wrap it once more")
@ISSUE_57365
def test_issue_57365_reproducer_tf_function_gives_var1_2_then_var2_12_tensorflow_4(where):
    """https://github.com/tensorflow/tensorflow/issues/57365 reproduces on TF 2.21: a tf.function returning tape.gradient(loss(), x), where the loss reads the global Variables var1 = 1 and var2 = 2, must give d(var1² + var2³)/d var1 = 2.0 and then d/d var2 = 3·2² = 12.0, but called with var2 it reuses var1's trace and returns 4.0 = 2·var2. The retrievable text of the issue is its description (the scenario, TF 2.7, 2.9 and nightly), not its code: the loss and the values are this spec's."""
    d_var1, d_var2 = _issue_57365_grads(where, jit_compile=False)
    oracle.assert_close(d_var1, 2 * 1.0, TOL.EXACT, "d loss / d var1 = 2·var1")
    oracle.assert_close(d_var2, 3 * 2.0**2, TOL.EXACT, "d loss / d var2 = 3·var2²")


@pytest.mark.source("ISS-15")
@pytest.mark.eager_only("the issue's code makes its own tf.function, here with jit_compile=True")
@ISSUE_57365
def test_issue_57365_code_under_xla_gives_var1_2_then_var2_12_tensorflow_raises_unimplementederror(where):
    """And under XLA? The same code with @tf.function(jit_compile=True) must give 2.0 and then 12.0; its second call, with var2 both the argument and a Variable the loss reads, raises UnimplementedError "Duplicate variable passed to XLA cluster" (issue #57365)."""
    d_var1, d_var2 = _issue_57365_grads(where, jit_compile=True)
    oracle.assert_close(d_var1, 2 * 1.0, TOL.EXACT, "d loss / d var1 = 2·var1")
    oracle.assert_close(d_var2, 3 * 2.0**2, TOL.EXACT, "d loss / d var2 = 3·var2²")


@pytest.mark.source("ISS-15")
@pytest.mark.workaround_of(ISSUE_57365)
def test_issue_57365_workaround_passing_the_variables_the_loss_reads_gives_2_then_12(where):
    """ISSUE_57365's workaround as pasted (the loss's Variables passed to the tf.function next to x) gives d loss/d var1 = 2.0 and then d loss/d var2 = 12.0 in every mode, the second call tracing anew (issue #57365)."""
    grad = ISSUE_57365.workaround.load()
    var1, var2 = tf.Variable(1.0), tf.Variable(2.0)
    oracle.assert_close(where.run(grad, var1, var1, var2), 2 * 1.0, TOL.EXACT, "d loss / d var1 = 2·var1")
    oracle.assert_close(where.run(grad, var2, var1, var2), 3 * 2.0**2, TOL.EXACT, "d loss / d var2 = 3·var2²")


# ------------------------------------------------------ the untaken branch: None or 0.0 (ISS-16)
def _branch_gradients(x, v0, v1, branch):
    with tf.GradientTape() as tape:
        if branch == "tf.cond":
            result = tf.cond(x > 0.0, lambda: v0 * 1.0, lambda: v1**2)
        elif x > 0.0:  # a Python `if` on a tensor: AutoGraph turns it into tf.cond inside tf.function
            result = v0 * 1.0
        else:
            result = v1**2
    return tape.gradient(result, [v0, v1])


_COND = {branch: (lambda x, v0, v1, b=branch: _branch_gradients(x, v0, v1, b)) for branch in ("tf.cond", "if")}


@pytest.mark.source("ISS-16", "AD-16")
@pytest.mark.parametrize("branch", ["tf.cond", "if"], ids=["tf.cond", "python-if"])
def test_untaken_branch_gradient_is_none_eagerly_but_0_when_traced(where, branch):
    """The branch not taken has gradient None eagerly but 0.0 inside `tf.function` and XLA (both branches are in the graph); the taken branch gives d(v0·1)/dv0 = 1.0 everywhere (observed on TF 2.21)."""
    v0, v1 = tf.Variable(2.0), tf.Variable(2.0)
    d_v0, d_v1 = where.run(_COND[branch], tf.constant(1.0), v0, v1)
    oracle.assert_close(d_v0, 1.0, TOL.EXACT, "taken branch")
    if where.eager:
        assert d_v1 is None, f"eager: the untaken branch was never recorded, expected None, got {d_v1!r}"
    else:
        assert d_v1 is not None, "traced: the untaken branch is in the graph, expected 0.0, got None"
        oracle.assert_close(d_v1, 0.0, TOL.EXACT, "untaken branch")


def _while_cube(x, maximum_iterations):
    with tf.GradientTape() as tape:
        tape.watch(x)
        _, y = tf.while_loop(
            lambda i, y: i < 3, lambda i, y: (i + 1, y * x), (tf.constant(0), tf.constant(1.0)),
            maximum_iterations=maximum_iterations,
        )
    return y, tape.gradient(y, x)


_WHILE = {n: (lambda x, n=n: _while_cube(x, n)) for n in (None, 3)}


@pytest.mark.source("ISS-16")
def test_while_loop_x_cubed_at_2_is_8_with_gradient_12(where):
    """A tf.while_loop multiplying by x three times (maximum_iterations=3) gives x³ = 8.0 at x = 2 and the gradient 3x² = 12.0 in every mode (observed on TF 2.21)."""
    y, d_y = where.run(_WHILE[3], tf.constant(2.0))
    oracle.assert_close(y, 2.0**3, TOL.EXACT, "x³")
    oracle.assert_close(d_y, 3 * 2.0**2, TOL.EXACT, "3x²")
    oracle.assert_close(d_y, oracle.derivative_fd(lambda x: x**3, 2.0), TOL.F32_FD, "finite differences")


@pytest.mark.source("ISS-16")
def test_while_loop_gradient_without_maximum_iterations_is_12_but_xla_cannot_compile_it(where):
    """Without maximum_iterations the same loop's gradient is 12.0 eagerly and in `tf.function`, but XLA refuses it: the tape's accumulators need a fixed size (observed on TF 2.21)."""
    if where.mode == "xla":
        with pytest.raises(tf.errors.InvalidArgumentError, match="XLA compilation requires a fixed tensor list size"):
            where.run(_WHILE[None], tf.constant(2.0))
        return
    _, d_y = where.run(_WHILE[None], tf.constant(2.0))
    oracle.assert_close(d_y, 3 * 2.0**2, TOL.EXACT, "3x²")


# -------------------------------------------------- a missing gradient: LookupError or StagingError (ISS-24)
def _missing_gradient(images):
    with tf.GradientTape() as tape:
        tape.watch(images)
        out = examples.op_without_gradient()(images)  # an op without a gradient, from the live registry
    return tape.gradient(out, images)


@pytest.mark.source("ISS-24")
def test_missing_gradient_raises_lookuperror_eagerly_but_stagingerror_when_traced(where):
    """An op without a registered gradient (e.g. AdjustContrastv2): eagerly tape.gradient raises LookupError; while tracing it comes out as AutoGraph's StagingError, which is not a LookupError (observed on TF 2.21)."""
    expected = LookupError if where.eager else StagingError
    op_type = examples.op_without_gradient().op_type
    with pytest.raises(expected, match=f"gradient registry has no entry for: {op_type}") as caught:
        where.run(_missing_gradient, tf.ones([2, 2, 3]))
    assert type(caught.value) is expected
    assert isinstance(caught.value, LookupError) == where.eager, "StagingError does not subclass LookupError"


# -------------------------------------------- a release difference: pow(x, 0) folded inside tf.function (2.16)
def _pow_zero_gradient(x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.pow(x, 0.0)
    return tape.gradient(y, x)


@pytest.mark.until("2.17", reason="2.16's tf.function folds pow(x, 0) to the constant 1; from 2.17 the traced gradient is NaN as eagerly (chapter 12's known bug)")
@pytest.mark.source("ISS-07")
def test_pow_x_0_gradient_at_0_is_0_inside_tf_function_but_nan_eagerly_before_tf_2_17():
    """Before TensorFlow 2.17, pow(x, 0)'s gradient at x = 0 is 0.0 inside tf.function (the traced graph folds x⁰ to the constant 1) but NaN eagerly, Pow's y·x^(y−1) = 0·inf (observed on TF 2.16)."""
    eager = _pow_zero_gradient(tf.constant(0.0))
    traced = tf.function(_pow_zero_gradient)(tf.constant(0.0))
    oracle.assert_close_nonfinite(eager, float("nan"), TOL.EXACT, "eager gradient (Pow's 0·inf)")
    oracle.assert_close_nonfinite(traced, 0.0, TOL.EXACT, "gradient inside tf.function (x⁰ folded to 1)")
