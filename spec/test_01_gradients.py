"""Chapter 1 — Computing gradients: a tape records operations, `tape.gradient(target, source)` plays them back.

Guide: https://www.tensorflow.org/guide/autodiff ("Computing gradients", "Gradient tapes").
"""
import numpy as np
import pytest
import tensorflow as tf

from spec import oracle
from spec.harness import observe, pictures
from spec.tolerances import TOL

XS = np.linspace(-4.0, 4.0, 17)  # includes 0 and the integers, where 2x is exact
SIGMOID_XS = np.linspace(-10.0, 10.0, 201)  # symmetric grid through 0, step 0.1


@pytest.mark.source("seed 000", "seed 001", "AD-01")
def test_gradient_of_x_squared_at_3_is_6(where):
    """The derivative of y = x² at x = 3 is 2·3 = 6.0 (seeds 000, 001; guide "Gradient tapes")."""
    x = tf.Variable(3.0)

    def dy_dx():
        with tf.GradientTape() as tape:
            y = x**2
        return tape.gradient(y, x)

    actual = where.run(dy_dx)
    assert actual.dtype == tf.float32
    oracle.assert_close(actual, 2 * 3.0, TOL.EXACT)
    oracle.assert_close(actual, oracle.gradient_fd(lambda v: v**2, 3.0), TOL.F32_FD, "finite differences")


@pytest.mark.source("seed 000", "seed 001", "AD-15")
def test_gradient_of_x_squared_over_a_range_is_2x(where, picture):
    """Over x in [-4, 4], the elementwise derivative of x² is 2x at every point (seeds 000, 001)."""

    def dy_dx(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x**2
        return tape.gradient(y, x)

    actual = where.run(dy_dx, tf.constant(XS, tf.float32))
    oracle.assert_close(actual, 2 * XS, TOL.EXACT)
    oracle.assert_close(actual, oracle.derivative_fd(np.square, XS), TOL.F32_FD, "finite differences")
    picture("x_squared", pictures.curves_and_gradient, XS, XS**2, oracle.f64(actual), 2 * XS,
            title="y = x² and its gradient: the tape gives 2x", function_label="y = x²",
            tape_label="dy/dx from tf.GradientTape (float32)", exact_label="2x, exact",
            caption="y = x² and its tape gradient (markers) on the line 2x")


@pytest.mark.source("seed 002", "seed 003")
@pytest.mark.parametrize("product", ["w*w", "tf.square(w)"])
def test_gradient_of_w_squared_at_variable_5_is_10(where, product):
    """d(w·w)/dw and d(tf.square(w))/dw at the Variable w = 5 are both 10.0 (seeds 002, 003)."""
    w = tf.Variable(5.0)
    square = {"w*w": lambda v: v * v, "tf.square(w)": tf.square}[product]

    def dy_dw():
        with tf.GradientTape() as tape:
            y = square(w)
        return tape.gradient(y, w)

    oracle.assert_close(where.run(dy_dw), 2 * 5.0, TOL.EXACT)


def _sigmoid_gradient(x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.sigmoid(x)
    return tape.gradient(y, x)


@pytest.fixture(scope="module")
def sigmoid_xs():
    return tf.constant(SIGMOID_XS, tf.float32)


@pytest.mark.source("seed 000", "seed 001", "AD-15")
def test_sigmoid_gradient_equals_sigmoid_times_one_minus_sigmoid(where, sigmoid_xs):
    """On [-10, 10] the gradient of σ(x) is σ(x)(1 − σ(x)), checked in float64 and by finite differences (seeds 000, 001)."""
    actual = where.run(_sigmoid_gradient, sigmoid_xs)
    oracle.assert_close(actual, oracle.sigmoid_prime(SIGMOID_XS), TOL.F32_FEW_OPS, "closed form")
    oracle.assert_close(actual, oracle.derivative_fd(oracle.sigmoid, SIGMOID_XS), TOL.F32_FD, "finite differences")


@pytest.mark.source("seed 000", "seed 001")
def test_sigmoid_gradient_is_symmetric_about_0(where, sigmoid_xs):
    """σ'(−x) = σ'(x): the gradient over a grid symmetric about 0 reads the same reversed (seeds 000, 001)."""
    actual = oracle.f64(where.run(_sigmoid_gradient, sigmoid_xs))
    oracle.assert_close(actual, actual[::-1], TOL.F32_FEW_OPS, "mirror image")


@pytest.mark.source("seed 000", "seed 001", "AD-15")
def test_sigmoid_gradient_peaks_at_0_25_at_x_0(where, sigmoid_xs):
    """The sigmoid's gradient is largest at x = 0, where it is exactly σ(0)(1 − σ(0)) = 0.25 (seeds 000, 001)."""
    actual = oracle.f64(where.run(_sigmoid_gradient, sigmoid_xs))
    assert SIGMOID_XS[np.argmax(actual)] == 0.0
    assert actual.max() == 0.25


@pytest.mark.source("seed 000", "seed 001")
def test_sigmoid_gradient_vanishes_below_5e_5_at_abs_x_10(where, sigmoid_xs):
    """In the tails the gradient vanishes: σ'(±10) ≈ 4.54e-5, under 5e-5 and still positive (seeds 000, 001)."""
    actual = oracle.f64(where.run(_sigmoid_gradient, sigmoid_xs))
    tails = actual[[0, -1]]
    oracle.assert_close(tails, oracle.sigmoid_prime([-10.0, 10.0]), TOL.F32_FEW_OPS, "closed form")
    assert np.all((tails > 0) & (tails < 5e-5))


@pytest.mark.source("seed 000", "seed 001")
def test_sigmoid_gradient_is_float32_accurate_to_1e_7_not_1e_8(where, sigmoid_xs):
    """The float32 gradient differs from float64 σ(1−σ) by under 1e-7 but more than 1e-8: float32 rounding, nothing worse."""
    actual = where.run(_sigmoid_gradient, sigmoid_xs)
    oracle.assert_bracketed(actual, oracle.sigmoid_prime(SIGMOID_XS), TOL.SIGMOID_F32_VS_F64)


@pytest.mark.source("seed 000", "seed 001")
def test_sigmoid_and_its_gradient_are_plotted_to_artifacts(picture, sigmoid_xs):
    """A picture of σ(x), its tape gradient and the float64 σ(1 − σ) over [-10, 10], with their difference under the 1e-7 tolerance, is written to artifacts/plots/sigmoid.png (seeds 000, 001)."""
    gradient = observe.returned(_sigmoid_gradient(sigmoid_xs))
    path = picture("sigmoid", pictures.sigmoid, SIGMOID_XS, oracle.sigmoid(SIGMOID_XS), gradient.numpy(),
                   oracle.sigmoid_prime(SIGMOID_XS), tolerance=TOL.SIGMOID_F32_VS_F64.atol,
                   floor=TOL.SIGMOID_F32_VS_F64.atol / 10,
                   caption="σ(x), its tape gradient (markers) over σ(1 − σ) in float64 (wide line); below, their difference")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.source("seed 004", "AD-02")
def test_linear_model_gradients_have_source_shapes_and_equal_closed_form(where):
    """For y = x@W + b, loss = mean(y²): dL/dW (3, 2) = xᵀ·2y/n and dL/db (2,) = Σ 2y/n, also by finite differences (seed 004)."""
    w = tf.Variable(tf.random.normal((3, 2), seed=4), name="w")
    b = tf.Variable(tf.constant([0.5, -0.25]), name="b")
    x = tf.constant([[1.0, 2.0, 3.0]])

    def grads():
        with tf.GradientTape() as tape:
            y = x @ w + b
            loss = tf.reduce_mean(y**2)
        return tape.gradient(loss, [w, b])

    dl_dw, dl_db = where.run(grads)
    assert (dl_dw.shape, dl_db.shape) == ((3, 2), (2,))
    want_w, want_b = oracle.linear_mean_square_grads(x, w, b)
    oracle.assert_close(dl_dw, want_w, TOL.F32_REDUCTION, "dL/dW")
    oracle.assert_close(dl_db, want_b, TOL.F32_REDUCTION, "dL/db")

    x64, w64, b64 = oracle.f64(x), oracle.f64(w), oracle.f64(b)
    fd_w = oracle.gradient_fd(lambda m: np.mean((x64 @ m + b64) ** 2), w64)
    fd_b = oracle.gradient_fd(lambda v: np.mean((x64 @ w64 + v) ** 2), b64)
    oracle.assert_close(dl_dw, fd_w, TOL.F32_FD, "dL/dW by finite differences")
    oracle.assert_close(dl_db, fd_b, TOL.F32_FD, "dL/db by finite differences")


# ------------------------------------------------------------------ sources: lists, dicts, nesting


@pytest.mark.source("AD-02")
def test_list_of_sources_gives_a_list_where_dl_db_equals_y_and_dl_dw_is_outer_x_y(where):
    """For loss = mean(y²) over the 2 outputs of y = x@W + b, a list [W, b] gives a list [dL/dW, dL/db] with dL/db = y and dL/dW = xᵀy (guide "Gradient tapes")."""
    w = tf.Variable(tf.random.normal((3, 2), seed=2), name="w")
    b = tf.Variable(tf.zeros(2), name="b")
    x = tf.constant([[1.0, 2.0, 3.0]])

    def grads():
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((x @ w + b) ** 2)
        return tape.gradient(loss, [w, b])

    actual = where.run(grads)
    y = oracle.f64(x) @ oracle.f64(w) + oracle.f64(b)  # shape (1, 2); mean over 2 entries: 2y/2 = y
    oracle.assert_structure_close(actual, [np.outer([1.0, 2.0, 3.0], y[0]), y[0]], TOL.F32_REDUCTION)


@pytest.mark.source("AD-03")
def test_dict_of_sources_gives_a_dict_with_the_same_keys(where):
    """tape.gradient(loss, {'w': W, 'b': b}) returns a dict keyed 'w' and 'b' holding dL/dW and dL/db (guide "Gradient tapes")."""
    w = tf.Variable(tf.random.normal((3, 2), seed=3), name="w")
    b = tf.Variable(tf.zeros(2), name="b")
    x = tf.constant([[1.0, 2.0, 3.0]])

    def grads():
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((x @ w + b) ** 2)
        return tape.gradient(loss, {"w": w, "b": b})

    actual = where.run(grads)
    want_w, want_b = oracle.linear_mean_square_grads(x, w, b)
    oracle.assert_structure_close(actual, {"w": want_w, "b": want_b}, TOL.F32_REDUCTION)
    assert actual["b"].dtype == tf.float32


def _nested_source_gradients(x1, x2, x3):
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x1, x2, x3])
        y = x1 + 2.0 * x2 + 3.0 * x3
    return tape.gradient(y, (x1, x2, [x1, x3])), tape.gradient(y, [x1, {"x2": x2, "x3": x3}])


@pytest.mark.source("AD-03", "API-20")
def test_nested_sources_give_gradients_nested_the_same_way(where):
    """For y = x1 + 2·x2 + 3·x3, sources (x1, x2, [x1, x3]) give (1, 2, [1, 3]) and [x1, {x2, x3}] give [1, {2, 3}] (API tf.GradientTape.gradient; TF test testGradientTapeStructure)."""
    as_tuple, as_list = where.run(_nested_source_gradients, tf.constant(1.0), tf.constant(1.0), tf.constant(1.0))
    oracle.assert_structure_close(as_tuple, (1.0, 2.0, [1.0, 3.0]), TOL.EXACT, "tuple of sources")
    oracle.assert_structure_close(as_list, [1.0, {"x2": 2.0, "x3": 3.0}], TOL.EXACT, "list with a dict")


# --------------------------------------------------------------------- intermediate tensors as sources


def _z_equals_y_squared_gradients(x):
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = y * y
    return tape.gradient(z, y), tape.gradient(z, [x, y])


@pytest.mark.source("AD-09", "T-04")
def test_gradient_wrt_intermediate_y_is_2y_18_and_next_to_x_gives_108_and_18(where):
    """With y = x² and z = y² at x = 3, dz/dy = 2y = 18 and gradient(z, [x, y]) = [4x³, 2y] = [108, 18] (guide "Intermediate results"; TF test)."""
    dz_dy, both = where.run(_z_equals_y_squared_gradients, tf.constant(3.0))
    oracle.assert_close(dz_dy, 2 * 9.0, TOL.EXACT, "dz/dy")
    oracle.assert_structure_close(both, [4 * 3.0**3, 2 * 9.0], TOL.EXACT, "[dz/dx, dz/dy]")
    oracle.assert_close(both[0], oracle.gradient_fd(lambda v: v**4, 3.0), TOL.F32_FD, "dz/dx by finite differences")


# ------------------------------------------------------------------ repeated and coinciding sources


def _repeated_source_gradients(x, y):
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, y])
        square = x * x
        z = x * x + x * y
    return tape.gradient(square, [x, x]), tape.gradient(z, [x, x]), tape.gradient(z, [y, x])


@pytest.mark.source("API-21")
def test_repeated_source_gets_its_full_gradient_in_every_slot(where):
    """A source listed twice gets the whole gradient each time: x² at 3 gives [6, 6]; z = x² + xy at (3, 5) gives [11, 11] and [dz/dy, dz/dx] = [3, 11] (TF test)."""
    square, twice, mixed = where.run(_repeated_source_gradients, tf.constant(3.0), tf.constant(5.0))
    oracle.assert_structure_close(square, [6.0, 6.0], TOL.EXACT, "d(x²)/[x, x]")
    oracle.assert_structure_close(twice, [2 * 3.0 + 5.0] * 2, TOL.EXACT, "dz/[x, x]")
    oracle.assert_structure_close(mixed, [3.0, 2 * 3.0 + 5.0], TOL.EXACT, "dz/[y, x]")


@pytest.mark.source("T-09")
def test_two_watched_constants_with_equal_values_are_distinct_sources_gradient_1_not_2(where):
    """x1 = x2 = 2 are two sources: for y = x1 + x2, gradient(y, [x1]) is [1.0], not 2 (TF test testDifferentiatingScalarCache)."""

    def grads(x1, x2):
        with tf.GradientTape() as tape:
            tape.watch(x1)
            tape.watch(x2)
            y = x1 + x2
        return tape.gradient(y, [x1])

    oracle.assert_structure_close(where.run(grads, tf.constant(2.0), tf.constant(2.0)), [1.0], TOL.EXACT)


# ------------------------------------------------------------------------ the target as its own source


def _target_is_source_gradients(x):
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        identity = x
    return tape.gradient(y, y), tape.gradient(identity, x), tape.gradient([identity, identity], x)


@pytest.mark.source("API-23")
def test_gradient_of_a_target_wrt_itself_is_1(where):
    """dy/dy = 1 for y = x²; for the identity y = x, dy/dx = 1, and the targets [y, y] give 2 (API; TF tests testTapeNoOpGradient*)."""
    self_grad, identity, identity_twice = where.run(_target_is_source_gradients, tf.constant(3.0))
    oracle.assert_close(self_grad, 1.0, TOL.EXACT, "dy/dy")
    oracle.assert_close(identity, 1.0, TOL.EXACT, "d(x)/dx")
    oracle.assert_close(identity_twice, 2.0, TOL.EXACT, "d[x, x]/dx")


def _source_among_targets_gradients(x, y):
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, y])
        x_squared = x * x
        z = y * y
    return tape.gradient([x, x_squared], x), tape.gradient([x, y, z], [x, y])


@pytest.mark.source("API-22")
def test_a_source_among_the_targets_contributes_1_x_plus_x_squared_at_2_gives_5(where):
    """Targets [x, x²] at x = 2 give 1 + 2x = 5; targets [x, y, y²] at (3, 5) give [1, 1 + 2y] = [1, 11] (TF test)."""
    first, second = where.run(_source_among_targets_gradients, tf.constant(2.0), tf.constant(5.0))
    oracle.assert_close(first, 1 + 2 * 2.0, TOL.EXACT, "d[x, x²]/dx")
    oracle.assert_structure_close(second, [1.0, 1 + 2 * 5.0], TOL.EXACT, "d[x, y, y²]/[x, y]")


# ------------------------------------------------------------------------------------------ dtypes


def _square_gradient(x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    return tape.gradient(y, x)


@pytest.mark.source("API-06")
@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float64"])
def test_gradient_has_the_source_dtype_and_x_squared_at_3_gives_6(where, dtype):
    """float16, bfloat16 and float64 sources are differentiable: d(x²)/dx at 3 is 6.0 in the source's own dtype (API tf.GradientTape)."""
    actual = where.run(_square_gradient, tf.constant(3.0, dtype))
    assert actual.dtype == tf.as_dtype(dtype)
    oracle.assert_close(oracle.f64(tf.cast(actual, tf.float64)), 6.0, TOL.EXACT)


# --------------------------------------------------------------------- what a gradient can look like


@pytest.mark.source("API-18")
def test_gradient_wrt_a_ragged_source_is_ragged_2x(where):
    """A watched RaggedTensor [[1, 2], [3]] gives for x² the RaggedTensor [[2, 4], [6]] with the same row splits (API tf.GradientTape.gradient)."""
    x = tf.ragged.constant([[1.0, 2.0], [3.0]])
    actual = where.run(_square_gradient, x)  # watching it also logs the row_splits dtype warning (API-09)
    assert isinstance(actual, tf.RaggedTensor)
    assert actual.row_splits.numpy().tolist() == [0, 2, 3]
    oracle.assert_close(actual.flat_values, 2 * np.array([1.0, 2.0, 3.0]), TOL.EXACT)


@pytest.mark.source("API-19")
def test_gradient_of_gather_is_indexedslices_and_densifies_to_summed_rows(where):
    """sum(gather(params, [0, 2, 0])) has an IndexedSlices gradient: indices [0, 2, 0], rows of ones, dense [[2, 2], [0, 0], [1, 1]] (API; duplicates summed)."""
    params = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])

    def grad():
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(tf.gather(params, [0, 2, 0]))
        return tape.gradient(y, params)

    actual = where.run(grad)
    assert isinstance(actual, tf.IndexedSlices)
    assert actual.indices.numpy().tolist() == [0, 2, 0]
    assert actual.dense_shape.numpy().tolist() == [3, 2]
    oracle.assert_close(actual.values, np.ones((3, 2)), TOL.EXACT, "values")
    dense = np.zeros((3, 2))
    np.add.at(dense, [0, 2, 0], 1.0)  # d sum / d params counts how often each row was gathered
    oracle.assert_close(tf.convert_to_tensor(actual), dense, TOL.EXACT, "densified")


@pytest.mark.eager_only("the AttributeError comes from the eager tape object looking up the source's id")
@pytest.mark.source("API-24")
def test_a_python_float_as_source_raises_attributeerror_not_a_friendly_message(where):
    """Sources are not validated: tape.gradient(y, 1.0) raises AttributeError "'float' object has no attribute '_id'" (observed)."""
    with tf.device(where.device_name):
        x = tf.Variable(3.0)
        with tf.GradientTape() as tape:
            y = x * x
        with pytest.raises(AttributeError, match="'float' object has no attribute '_id'"):
            tape.gradient(y, 1.0)


@pytest.mark.eager_only("the AttributeError comes from the eager tape object looking up the source's id")
@pytest.mark.source("API-24")
def test_a_numpy_array_as_source_raises_attributeerror_no_attribute_id(where):
    """And with a numpy array as the source? It is not converted either: for y = tf.constant(s)² with s = np.array(3.0), tape.gradient(y, s) raises AttributeError "'numpy.ndarray' object has no attribute '_id'"; only a tensor or Variable the tape saw can be a source (observed)."""
    with tf.device(where.device_name):
        s = np.array(3.0, np.float32)
        with tf.GradientTape() as tape:
            y = tf.constant(s) ** 2
        with pytest.raises(AttributeError, match="'numpy.ndarray' object has no attribute '_id'"):
            tape.gradient(y, s)
