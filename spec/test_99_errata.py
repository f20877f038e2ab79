"""Chapter 99 — Errata: where published documentation and the pinned TensorFlow disagree, the spec pins
what TensorFlow does and the docstring shows the corrected code.
"""
import uuid

import pytest
import tensorflow as tf

from spec import oracle
from spec.tolerances import TOL

# ---------------------------------------------------------------------------------- seeds (foundation)


@pytest.mark.erratum
@pytest.mark.source("seed 002")
def test_watch_on_a_tape_never_entered_raises_attributeerror():
    """Seed 002 calls tape.watch on a GradientTape never entered with `with`; that raises AttributeError.

    Corrected code::

        x = tf.constant(3.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x
    """
    tape = tf.GradientTape()
    with pytest.raises(AttributeError, match="_tape"):
        tape.watch(tf.constant(3.0))


# ------------------------------------------------------------------------------------------- basics


@pytest.mark.erratum
@pytest.mark.eager_only("the one-set-of-gradients RuntimeError is raised by the eager tape object")
@pytest.mark.source("API-11")
def test_gradient_inside_a_non_persistent_tapes_context_raises_no_runtimeerror_and_gives_6(where):
    """The API page lists "RuntimeError: If called inside the context of the tape"; TF 2.21 returns d(x²)/dx = 6 and only a second call raises.

    Corrected code::

        with tf.GradientTape() as tape:
            y = x * x
            dy_dx = tape.gradient(y, x)  # allowed: no error (TF test testGradientWithinTapeBlock)
            tape.gradient(y, x)          # RuntimeError: ... one set of gradients (or jacobians)
    """
    with tf.device(where.device_name):
        x = tf.Variable(3.0)
        with tf.GradientTape() as tape:
            y = x * x
            dy_dx = tape.gradient(y, x)
            with pytest.raises(RuntimeError, match="can only be used to compute one set of gradients"):
                tape.gradient(y, x)
    oracle.assert_close(dy_dx, 2 * 3.0, TOL.EXACT)


@pytest.mark.erratum
@pytest.mark.source("API-14")
def test_a_variable_as_target_raises_no_valueerror_dv_dv_is_1_and_dv_dw_is_none(where):
    """The API page lists "ValueError: If the target is a variable"; TF 2.21 reads the Variable: gradient(v, v) is 1.0 and gradient(v, w) is None.

    Corrected code::

        v, w = tf.Variable(3.0), tf.Variable(4.0)
        with tf.GradientTape(persistent=True) as tape:
            pass
        tape.gradient(v, v)  # tf.Tensor(1.0): no ValueError
        tape.gradient(v, w)  # None (TF test testGadientTapeCalledOnConstantTarget)
    """
    v, w = tf.Variable(3.0), tf.Variable(4.0)

    def grads():
        with tf.GradientTape(persistent=True) as tape:
            pass
        return tape.gradient(v, v), tape.gradient(v, w)

    dv_dv, dv_dw = where.run(grads)
    oracle.assert_close(dv_dv, 1.0, TOL.EXACT, "dv/dv")
    assert dv_dw is None

# ------------------------------------------------------------------------------------------ advanced


@pytest.mark.erratum
@pytest.mark.eager_only("the error is raised by the eager Python tape object after its context exited")
@pytest.mark.source("API-27")
def test_stop_recording_after_the_with_block_raises_valueerror_not_runtimeerror(where):
    """The API page says stop_recording() on a tape that is not recording raises RuntimeError; after the `with` block has exited TF 2.21 raises ValueError "Tape is not recording."

    Corrected code::

        with tf.GradientTape() as tape:
            y = x * x
        try:
            with tape.stop_recording():  # the tape is no longer recording
                pass
        except ValueError:  # RuntimeError only for a tape never entered
            pass
    """
    x = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        x * x
    with pytest.raises(ValueError, match="Tape is not recording"):
        with tape.stop_recording():
            pass


@pytest.mark.erratum
@pytest.mark.source("API-39")
def test_batch_jacobian_of_an_unconnected_source_is_zeros_2_2_3_even_with_unconnected_none(where):
    """batch_jacobian's docstring says unconnected_gradients "defaults to 'none'"; for an unconnected source it returns zeros of shape (2, 2, 3) anyway, never None.

    Corrected code::

        jb = tape.batch_jacobian(y, z)  # zeros, not None, when y does not depend on z
        unconnected = not np.any(jb)    # test for zeros instead of `jb is None`
    """

    def batch_jacobian(x, z):
        with tf.GradientTape() as tape:
            tape.watch([x, z])
            y = x * x
        return tape.batch_jacobian(y, z, unconnected_gradients=tf.UnconnectedGradients.NONE)

    actual = where.run(batch_jacobian, tf.ones([2, 2]), tf.ones([2, 3]))
    assert actual is not None
    oracle.assert_close(actual, [[[0.0] * 3] * 2] * 2, TOL.EXACT)

# --------------------------------------------------------------------------------- API and gotchas


@pytest.mark.erratum
@pytest.mark.source("API-58")
@pytest.mark.parametrize("stop", [True, False], ids=["with stop_gradient", "without stop_gradient"])
def test_random_shuffle_inside_a_custom_gradient_does_not_raise_gradient_is_upstream_1_1(stop):
    """The tf.custom_gradient page says the variant without tf.stop_gradient around tf.random.shuffle "will raise"; RandomShuffle is registered not differentiable, so both give [1, 1].

    Corrected code::

        @tf.custom_gradient
        def shuffle_with_identity_gradient(x):
            res = tf.random.shuffle(x)  # no LookupError: RandomShuffle is NotDifferentiable
            return res, lambda upstream: upstream
    """
    x = tf.constant([0.3, 0.5])

    @tf.custom_gradient
    def shuffle_with_identity_gradient(x):
        @tf.function
        def _inner_func():
            return tf.stop_gradient(tf.random.shuffle(x)) if stop else tf.random.shuffle(x)

        return _inner_func(), lambda upstream: upstream

    with tf.GradientTape() as tape:
        tape.watch(x)
        res = shuffle_with_identity_gradient(x)
    oracle.assert_close(tape.gradient(res, x), [1.0, 1.0], TOL.EXACT)


@pytest.mark.erratum
@pytest.mark.source("API-65")
def test_compute_gradient_numeric_jacobian_of_x_squared_at_1_is_exactly_2_not_2_000004():
    """The tf.test.compute_gradient page shows the numeric Jacobian of x² at 1 as 2.000004; the default step is now 1/1024, exact in binary, so it is exactly 2.0.

    Corrected code::

        theoretical, numerical = tf.test.compute_gradient(square, [1.0])  # square = tf.function(lambda x: x * x)
        # ((array([[2.]], dtype=float32),),
        #  (array([[2.]], dtype=float32),))
    """
    theoretical, numerical = tf.test.compute_gradient(tf.function(lambda x: x * x), [1.0])
    oracle.assert_close(theoretical[0], [[2 * 1.0]], TOL.EXACT, "theoretical")
    oracle.assert_close(numerical[0], [[((1 + 2**-10) ** 2 - (1 - 2**-10) ** 2) / 2**-9]], TOL.EXACT, "numeric")
    assert numerical[0][0, 0] == 2.0


@pytest.mark.erratum
@pytest.mark.source("API-70")
def test_gradient_override_map_example_squares_c_and_gets_10_then_the_override_42():
    """The Graph.gradient_override_map page writes `s_2 = tf.square(s_2)`, an undefined name; squaring c as meant, tf.gradients gives 10.0 plain and 42.0 under the override.

    Corrected code::

        with tf.Graph().as_default() as g:
            c = tf.constant(5.0)
            s_1 = tf.square(c)
            with g.gradient_override_map({"Square": "CustomSquare"}):
                s_2 = tf.square(c)
    """
    name = f"TapespecCustomSquare{uuid.uuid4().hex[:8]}"  # the gradient registry is global: a name of its own
    tf.RegisterGradient(name)(lambda op, grad: grad * 0.0 + 42.0)
    with tf.Graph().as_default() as g:
        c = tf.constant(5.0)
        s_1 = tf.square(c)
        with g.gradient_override_map({"Square": name}):
            s_2 = tf.square(c)
        with tf.compat.v1.Session(graph=g) as session:
            plain, overridden = session.run([tf.gradients(s_1, c), tf.gradients(s_2, c)])
    oracle.assert_close(plain, [2 * 5.0], TOL.EXACT, "default Square gradient")
    oracle.assert_close(overridden, [42.0], TOL.EXACT, "override")


@pytest.mark.erratum
@pytest.mark.source("ISS-21", "API-43")
@pytest.mark.keras
def test_forward_accumulator_docstring_example_with_a_keras3_kernel_raises_attributeerror():
    """The ForwardAccumulator page passes `primals=dense.kernel`; under Keras 3 that variable's dtype is the string 'float32', so it raises AttributeError (issue #79523).

    Corrected code::

        with tf.autodiff.ForwardAccumulator(
                primals=dense.kernel.value,  # the backing tf.Variable
                tangents=tf.constant([[1.], [0.]])) as acc:
            loss = tf.reduce_sum((dense(x) - targets) ** 2.)
    """
    x = tf.constant([[2.0, 3.0], [1.0, 4.0]])
    targets = tf.constant([[1.0], [-1.0]])
    dense = tf.keras.layers.Dense(1, name="errata_forward_dense")
    dense.build([None, 2])
    with pytest.raises(AttributeError, match="'str' object has no attribute 'is_floating'"):
        with tf.autodiff.ForwardAccumulator(primals=dense.kernel, tangents=tf.constant([[1.0], [0.0]])):
            tf.reduce_sum((dense(x) - targets) ** 2.0)
