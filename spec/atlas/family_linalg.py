"""tf.linalg: products, determinants, inverses and solves, factorizations, spectral functions, banded solvers.

Samples are well-conditioned (general matrices shifted by a multiple of I, SPD matrices B·Bᵀ/n + I,
singular values and eigenvalues at least 0.3 apart) and cover every keyword that changes the mathematics
(transpose/adjoint flags, lower, batch broadcasting, diagonal offsets k, formats of the banded solvers).

Three conventions of the forward ops shape the records:
- Factorizations with a gauge (svd: a joint sign per singular pair; eigh: a sign per eigenvector; eig: a
  complex scale per eigenvector) are checked through gauge-invariant functions only: the singular values
  and eigenvalues themselves and products such as U·diag(s²)·Vᵀ, U·diag(s)·Uᵀ, V·diag(g(e))·Vᵀ,
  V·diag(exp e)·V⁻¹, which are smooth functions of the matrix; for svd and eigh (symmetric input) they are
  matrix functions that stay smooth where singular values or eigenvalues repeat, so those are special points.
- eigh/eigvalsh/triangular_solve/cholesky_solve/banded/tridiagonal ops read only part of the input
  (documented); the forward function of the full input then ignores the rest, and so must its gradient.
- cholesky and logdet also read one triangle, but TensorFlow's gradients of Cholesky return the
  *symmetrized* gradient (linalg_grad.py, _CholeskyGrad ends with grad_a += adjoint(grad_a); grad_a * 0.5),
  the gradient of the function on symmetric matrices. The records therefore call them on 0.5·(A + Aᵀ), the
  documented precondition made explicit, so that the mathematics and TensorFlow talk about the same
  function of the free matrix A.
"""
import numpy as np
import tensorflow as tf

from spec.atlas.records import REAL, KnownBug, Sample, as_f32_exact, draw, op, point, rng_for

FAMILY = "tf.linalg: products, determinants, solves, factorizations, spectral and banded ops"

ALL_CHECKS = ("reverse", "forward", "reverse_over_reverse", "forward_over_reverse", "reverse_over_forward",
              "forward_over_forward", "special_reverse", "special_forward", "float32", "gpu")
SAMPLE_CHECKS = tuple(c for c in ALL_CHECKS if not c.startswith("special"))


# ------------------------------------------------------------------------------------------ sample data


def _mat(name: str, shape, salt: str = "") -> np.ndarray:
    return draw(name, shape, domain=REAL, salt=salt + str(shape))[0]


def _shifted(name: str, shape, salt: str = "", shift: float = 3.0) -> np.ndarray:
    """A general square (batch of) matrix with entries in [-2, 2] plus shift·I, redrawn until every matrix has
    condition number < 8 (so det, inverses and solves are far from singular)."""
    for attempt in range(200):
        a = as_f32_exact(_mat(name, shape, f"{salt}{attempt or ''}") + shift * np.eye(shape[-1]))
        if np.all(np.linalg.cond(a) < 8.0):
            return a
    raise AssertionError(f"no well-conditioned sample for {name}")


def _spd(name: str, shape, salt: str = "") -> np.ndarray:
    """A symmetric positive definite (batch of) matrix B·Bᵀ/n + I, exactly symmetric and float32-exact."""
    b = _mat(name, shape, salt)
    a = b @ np.swapaxes(b, -1, -2) / shape[-1] + np.eye(shape[-1])
    return as_f32_exact(0.5 * (a + np.swapaxes(a, -1, -2)))


def _lower_tri(name: str, shape, salt: str = "") -> np.ndarray:
    """A lower-triangular (batch of) matrix with diagonal in [1, 2] (upper entries random: they are not read)."""
    a = _mat(name, shape, salt)
    n = shape[-1]
    diag = rng_for(name + salt + "diag").uniform(1.0, 2.0, shape[:-1])
    a = a * (1 - np.eye(n)) + diag[..., None] * np.eye(n)
    return as_f32_exact(a)


def _gapped(name: str, shape, spectrum, salt: str = "", gap: float = 0.3) -> np.ndarray:
    """A random matrix whose spectrum(matrix) (numpy, float64) has adjacent values at least `gap` apart."""
    for attempt in range(200):
        a = _mat(name, shape, f"{salt}{attempt}")
        values = np.sort(spectrum(a), axis=-1)
        if np.all(np.diff(values, axis=-1) > gap) and np.all(np.abs(values) > gap):
            return a
    raise AssertionError(f"no sample with a spectral gap {gap} for {name}")


def _lower_sym(a: np.ndarray) -> np.ndarray:
    """The symmetric matrix eigh/eigvalsh actually decompose: the lower triangle of a, mirrored."""
    low = np.tril(a)
    return low + np.swapaxes(np.tril(a, -1), -1, -2)


def _svals(a):
    return np.linalg.svd(a, compute_uv=False)


def _eigs_lower(a):
    return np.linalg.eigvalsh(_lower_sym(a))


def _sym(a):
    return 0.5 * (a + tf.linalg.matrix_transpose(a))


# ------------------------------------------------------------------------------------------ callables


def cholesky_sym(a):
    """tf.linalg.cholesky on the symmetric part of A (see the module docstring)."""
    return tf.linalg.cholesky(_sym(a))


def logdet_sym(a):
    """tf.linalg.logdet on the symmetric part of A (its implementation is 2·Σ log diag(cholesky(A)))."""
    return tf.linalg.logdet(_sym(a))


def svd_invariants(a, compute_uv=True, full_matrices=False):
    """tf.linalg.svd through gauge-invariant outputs: s, and with U, V: U·diag(s²)·Vᵀ, U·diag(s)·Uᵀ, V·diag(s)·Vᵀ."""
    if not compute_uv:
        return tf.linalg.svd(a, compute_uv=False)
    s, u, v = tf.linalg.svd(a, full_matrices=full_matrices)
    k = s.shape[-1]
    u, v = u[..., :k], v[..., :k]
    return (s, tf.linalg.matmul(u * (s * s)[..., None, :], v, adjoint_b=True),
            tf.linalg.matmul(u * s[..., None, :], u, adjoint_b=True),
            tf.linalg.matmul(v * s[..., None, :], v, adjoint_b=True))


def eigh_invariants(a):
    """tf.linalg.eigh through gauge-invariant outputs: the eigenvalues e and V·diag(e²)·Vᵀ (= S², S the matrix read)."""
    e, v = tf.linalg.eigh(a)
    return e, tf.linalg.matmul(v * (e * e)[..., None, :], v, adjoint_b=True)


def _complex_parts(c):
    return tf.math.real(c), tf.math.imag(c)


def eigvals_parts(re, im):
    """tf.linalg.eigvals of re + i·im, as (real, imag) of the eigenvalues."""
    return _complex_parts(tf.linalg.eigvals(tf.complex(re, im)))


def eig_invariants(re, im):
    """tf.linalg.eig of re + i·im through gauge-invariant outputs: e and V·diag(exp e)·V⁻¹ (= expm of the matrix)."""
    e, v = tf.linalg.eig(tf.complex(re, im))
    f = tf.linalg.matmul(v * tf.exp(e)[..., None, :], tf.linalg.inv(v))
    return _complex_parts(e) + _complex_parts(f)


def logm_parts(re, im):
    """tf.linalg.logm of re + i·im (complex input only), as (real, imag)."""
    return _complex_parts(tf.linalg.logm(tf.complex(re, im)))


def lu_factor(a):
    """tf.linalg.lu: the packed factors (the permutation output is integer and not differentiable)."""
    return tf.linalg.lu(a).lu


def lstsq_slow(matrix, rhs):
    """tf.linalg.lstsq with fast=False (the complete orthogonal decomposition instead of the normal equations)."""
    return tf.linalg.lstsq(matrix, rhs, fast=False)


def tridiagonal_solve(diagonals, rhs, diagonals_format="compact", **kwargs):
    """tf.linalg.tridiagonal_solve; the 'sequence' format gets the three rows of a compact array as a list."""
    if diagonals_format == "sequence":
        diagonals = tf.unstack(diagonals, axis=-2)
    return tf.linalg.tridiagonal_solve(diagonals, rhs, diagonals_format=diagonals_format, **kwargs)


def tridiagonal_matmul(diagonals, rhs, diagonals_format="compact"):
    if diagonals_format == "sequence":
        diagonals = tf.unstack(diagonals, axis=-2)
    return tf.linalg.tridiagonal_matmul(diagonals, rhs, diagonals_format=diagonals_format)


def _compact(name: str, shape, salt: str = "") -> np.ndarray:
    """Compact tridiagonal rows [super; main; sub] (…, 3, M), main diagonal in [3, 4]: diagonally dominant."""
    d = _mat(name, shape, salt)
    main = rng_for(name + salt + "main").uniform(3.0, 4.0, shape[:-2] + (shape[-1],))
    d[..., 1, :] = main
    return as_f32_exact(d)


def _bands(name: str, shape, lower: bool, salt: str = "") -> np.ndarray:
    """Bands (…, K, M) of a banded triangular matrix; the diagonal row (top if lower, bottom if upper) in [1.5, 2.5]."""
    b = _mat(name, shape, salt)
    row = 0 if lower else shape[-2] - 1
    b[..., row, :] = rng_for(name + salt + "diag").uniform(1.5, 2.5, shape[:-2] + (shape[-1],))
    return as_f32_exact(b)


# ------------------------------------------------------------------------------------------ closed forms

E = np.e
GAMMA_EXP = np.array([[1.0, E - 1.0], [E - 1.0, E]])  # divided differences of exp at (0, 1)
DET_SINGULAR = np.array([[1.0, 2.0, 0.0], [2.0, 4.0, 0.0], [0.0, 0.0, 1.0]])
# cofactors of DET_SINGULAR by hand: C11 = 4·1, C12 = −2·1, C21 = −2·1, C22 = 1·1, every cofactor with row or
# column 3 except C33 = det[[1, 2], [2, 4]] = 0 vanishes
DET_SINGULAR_COFACTORS = np.array([[4.0, -2.0, 0.0], [-2.0, 1.0, 0.0], [0.0, 0.0, 0.0]])


def _inv_sum_grad(a):
    """∂/∂A Σ A⁻¹ = −A⁻ᵀ·1·1ᵀ·A⁻ᵀ (from d(A⁻¹) = −A⁻¹ dA A⁻¹)."""
    ainv_t = np.linalg.inv(a).T
    ones = np.ones_like(a)
    return -ainv_t @ ones @ ainv_t


def _reproducer(body: str, expected: str, got: str) -> str:
    return f"{body}\nprint(g)  # expected {expected}, got {got}"


# ------------------------------------------------------------------------------------------ known bugs

DET_SINGULAR_BUG = KnownBug(
    "MatrixDeterminant's gradient is det(A)·A⁻ᵀ computed with matrix_inverse, which raises 'Input is not "
    "invertible' at a singular A, where the derivative (the cofactor matrix) exists",
    "https://github.com/tensorflow/tensorflow/issues/119477",
    _reproducer("a = tf.constant([[1., 2., 0.], [2., 4., 0.], [0., 0., 1.]], tf.float64)\n"
                "with tf.GradientTape() as t:\n    t.watch(a)\n    d = tf.linalg.det(a)\ng = t.gradient(d, a)",
                "the cofactor matrix [[4, -2, 0], [-2, 1, 0], [0, 0, 0]]",
                "InvalidArgumentError: Input is not invertible"))

SVD_REPEATED_BUG = KnownBug(
    "Svd's gradient replaces 1/(s_j² − s_i²) by 0 where singular values repeat (_SafeReciprocal), dropping the "
    "finite limit of gauge-invariant functions of U and V (here U·diag(s²)·Vᵀ, √(AAᵀ), √(AᵀA)) at A = I",
    "https://github.com/tensorflow/tensorflow/issues/17476",
    _reproducer("a = tf.eye(2, dtype=tf.float64)\nwith tf.GradientTape() as t:\n    t.watch(a)\n"
                "    s, u, v = tf.linalg.svd(a)\n    y = tf.reduce_sum(u @ tf.linalg.diag(s) @ tf.transpose(u))  # √(AAᵀ)\n"
                "g = t.gradient(y, a)", "[[1, 1], [1, 1]] (d√(AAᵀ) = (dA + dAᵀ)/2 at A = I)", "[[1, 0], [0, 1]]"))

PINV_IDENTITY_BUG = KnownBug(
    "pinv is computed through svd; at A = I (repeated singular values) Svd's gradient drops the coupling "
    "terms (_SafeReciprocal gives 0 for 1/(s_j² − s_i²)), so d Σ pinv(A) is −I instead of −1·1ᵀ",
    "https://github.com/tensorflow/tensorflow/issues/17476",
    _reproducer("a = tf.eye(2, dtype=tf.float64)\nwith tf.GradientTape() as t:\n    t.watch(a)\n"
                "    y = tf.reduce_sum(tf.linalg.pinv(a))\ng = t.gradient(y, a)",
                "[[-1, -1], [-1, -1]] (pinv = inv near I)", "[[-1, 0], [0, -1]]"))

EIGH_REPEATED_BUG = KnownBug(
    "SelfAdjointEigV2's gradient replaces 1/(e_j − e_i) by 0 where eigenvalues repeat (_SafeReciprocal), "
    "dropping the finite limit for gauge-invariant functions V·g(e)·Vᵀ: at A = I, d Σ V·diag(e²)·Vᵀ misses "
    "the off-diagonal terms",
    "https://github.com/tensorflow/tensorflow/issues/24930",
    _reproducer("a = tf.eye(2, dtype=tf.float64)\nwith tf.GradientTape() as t:\n    t.watch(a)\n"
                "    e, v = tf.linalg.eigh(a)\n    y = tf.reduce_sum(v @ tf.linalg.diag(e * e) @ tf.transpose(v))  # = A²\n"
                "g = t.gradient(y, a)", "[[2, 0], [4, 2]] (lower triangle read)", "[[2, 0], [0, 2]]"))

LU_NO_GRADIENT = KnownBug(
    "tf.linalg.lu (raw op Lu) has no registered gradient: the tape raises LookupError although P·A = L·U is "
    "differentiable wherever the pivoting is locally constant (the factors of a fixed permutation are smooth)",
    "unreported",
    _reproducer("a = tf.constant([[3., 1.], [1., 2.]], tf.float64)\nwith tf.GradientTape() as t:\n    t.watch(a)\n"
                "    lu = tf.linalg.lu(a).lu\ng = t.gradient(lu, a)", "the derivative of the packed factors",
                "LookupError: gradient registry has no entry for: Lu"),
    checks=SAMPLE_CHECKS)

LOGM_NO_GRADIENT = KnownBug(
    "tf.linalg.logm (raw op MatrixLogarithm) has no registered gradient: the tape raises LookupError although "
    "the principal logarithm is analytic away from the negative real axis",
    "https://github.com/tensorflow/tensorflow/issues/26321",
    _reproducer("a = tf.constant([[2., 1.], [0., 3.]], tf.complex128)\nwith tf.GradientTape() as t:\n    t.watch(a)\n"
                "    y = tf.math.real(tf.reduce_sum(tf.linalg.logm(a)))\ng = t.gradient(y, a)",
                "the Fréchet derivative of log (e.g. 1·1ᵀ at A = I)", "LookupError: gradient registry has no entry for: MatrixLogarithm"),
    checks=ALL_CHECKS)

LSTSQ_SLOW_BUG = KnownBug(
    "tf.linalg.lstsq(fast=False) (MatrixSolveLs with the complete orthogonal decomposition) raises 'Gradient not "
    "defined for fast=False' for a full-rank A, where the least-squares solution is smooth",
    "unreported",
    _reproducer("a = tf.constant([[1., 0.], [0., 1.], [0., 0.]], tf.float64)\nb = tf.constant([[1.], [2.], [3.]], tf.float64)\n"
                "with tf.GradientTape() as t:\n    t.watch(a)\n    x = tf.linalg.lstsq(a, b, fast=False)\ng = t.gradient(x, a)",
                "[[-1, -2], [-1, -2], [3, 3]]", "ValueError: Gradient not defined for fast=False"),
    checks=ALL_CHECKS)

EXPM_XLA_BUG = KnownBug(
    "tf.linalg.expm squares in a tf.while_loop without maximum_iterations; its gradient accumulates the loop's "
    "intermediates in a TensorList, which XLA cannot compile ('XLA compilation requires a fixed tensor list size')",
    "https://github.com/tensorflow/tensorflow/issues/77693",
    _reproducer("a = tf.constant([[0.4, 1.5], [0.6, 0.1]], tf.float64)\n@tf.function(jit_compile=True)\ndef f(a):\n"
                "    with tf.GradientTape() as t:\n        t.watch(a)\n        y = tf.linalg.expm(a)\n    return t.gradient(y, a)\n"
                "g = f(a)", "the Fréchet derivative of expm applied to ones", "InvalidArgumentError: XLA compilation requires a fixed tensor list size"),
    checks=("reverse", "forward", "special_reverse", "special_forward"), modes=("xla",))

EXPM_FORWARD_OVER_FORWARD_BUG = KnownBug(
    "forward over forward (nested ForwardAccumulator, eager) through tf.linalg.expm is wrong by orders of magnitude: "
    "the Padé approximants reuse the powers A², A⁴, A⁶ as operands several times, and nested forward mode "
    "mis-accumulates second-order tangents of a tensor reused as an operand (e.g. s = x + 0; s·s·s gives 3 for "
    "d²x³/dx² = 6 at x = 1)",
    "https://github.com/tensorflow/tensorflow/issues/127753",
    "x = tf.constant(1.0, tf.float64)\nwith tf.autodiff.ForwardAccumulator(x, tf.constant(1.0, tf.float64)) as outer:\n"
    "    with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0, tf.float64)) as inner:\n        s = x + 0.0\n"
    "        y = s * s * s\n    d = inner.jvp(y)\nprint(outer.jvp(d))  # expected 6.0 (d²x³/dx² at 1), got 3.0",
    checks=("forward_over_forward",))

SVD_XLA_PRECISION_BUG = KnownBug(
    "under XLA (CPU) float64 tf.linalg.svd returns singular vectors accurate to only ~1e-6 (U·diag(s)·Vᵀ differs from "
    "A by ~7e-7 for random 3x3 matrices; eager: 1e-15), so the JVP of the singular values, built from U and V, is "
    "off by ~1e-8 absolute (~1e-6 relative)",
    "unreported",
    "import numpy as np\na = tf.constant(np.random.default_rng(0).uniform(-2, 2, (3, 3)))\n"
    "s, u, v = tf.function(tf.linalg.svd, jit_compile=True)(a)\n"
    "print(np.abs((u * s[None, :]) @ tf.transpose(v) - a).max())  # expected ~1e-15 (float64), got ~5e-7",
    checks=("forward",), modes=("xla",))

# ------------------------------------------------------------------------------------------ the ops

N = "tf.linalg.matmul"
MATMUL = op(N, tf.linalg.matmul, [
    Sample(tuple(draw(N, (2, 3), (3, 2), salt="a")), {}, "2x3 @ 3x2"),
    Sample(tuple(draw(N, (3, 2), (4, 3), salt="b")), dict(transpose_a=True, adjoint_b=True), "3x2ᵀ @ 4x3ᴴ (transpose_a, adjoint_b)"),
    Sample(tuple(draw(N, (2, 3), (2, 2), salt="c")), dict(adjoint_a=True, transpose_b=True), "2x3ᴴ @ 2x2ᵀ (adjoint_a, transpose_b)"),
    Sample(tuple(draw(N, (2, 1, 2, 3), (3, 3, 2), salt="d")), {}, "2x1x2x3 @ 3x3x2 (batch dims broadcast)"),
], diff=(0, 1), points=[
    point("A=I, B=[[1,2],[3,4],[5,6]]", [np.eye(3), [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]],
          [np.array([[3.0, 7.0, 11.0]] * 3), np.ones((3, 2))],
          "∂Σ(AB)/∂A = 1·Bᵀ (row sums of B in every row), ∂/∂B = Aᵀ·1 (column sums of A)"),
    point("zero-size inner dimension 2x0 @ 0x3", [np.zeros((2, 0)), np.zeros((0, 3))], [np.zeros((2, 0)), np.zeros((0, 3))],
          "the product is the 2x3 zero matrix whatever the (empty) factors: both gradients are empty arrays"),
])

N = "tf.linalg.matvec"
MATVEC = op(N, tf.linalg.matvec, [
    Sample(tuple(draw(N, (3, 2), (2,), salt="a")), {}, "3x2 · 2"),
    Sample(tuple(draw(N, (3, 2), (3,), salt="b")), dict(transpose_a=True), "3x2ᵀ · 3 (transpose_a)"),
    Sample(tuple(draw(N, (2, 2, 3), (3,), salt="c")), dict(adjoint_a=False), "2x2x3 · 3 (vector broadcast over the batch)"),
], diff=(0, 1), points=[
    point("A=[[1,2],[3,4]], b=0", [[[1.0, 2.0], [3.0, 4.0]], [0.0, 0.0]], [np.zeros((2, 2)), [4.0, 6.0]],
          "∂Σ(Ab)/∂A = 1·bᵀ = 0, ∂/∂b = Aᵀ·1 = column sums of A"),
])

N = "tf.tensordot"
TENSORDOT = op(N, tf.tensordot, [
    Sample(tuple(draw(N, (3, 4), (4, 2), salt="a")) + (1,), {}, "3x4 · 4x2, axes=1"),
    Sample(tuple(draw(N, (2, 3), (3, 2), salt="b")) + ([[0, 1], [1, 0]],), {}, "2x3 · 3x2, axes=[[0, 1], [1, 0]] (full contraction)"),
    Sample(tuple(draw(N, (3,), (2, 2), salt="c")) + (0,), {}, "3 ⊗ 2x2, axes=0 (outer product)"),
], diff=(0, 1), points=[
    point("outer product of [1,2] and [3,4,5]", [[1.0, 2.0], [3.0, 4.0, 5.0], 0], [[12.0, 12.0], [3.0, 3.0, 3.0]],
          "Σ_ij a_i b_j = (Σa)(Σb): ∂/∂a = Σb = 12, ∂/∂b = Σa = 3"),
])

N = "tf.linalg.det"
DET = op(N, tf.linalg.det, [
    Sample((_shifted(N, (2, 2), "a", 0.0),), {}, "2x2"),
    Sample((_shifted(N, (3, 3), "b", 2.0),), {}, "3x3"),
    Sample((_shifted(N, (2, 3, 3), "c", 2.0),), {}, "batch 2x3x3"),
], domain="all square matrices (samples with |det| bounded away from 0)",
    skips={"xla": "XLA cannot compile MatrixDeterminant (no XLA kernel)"}, points=[
    point("singular A=[[1,2,0],[2,4,0],[0,0,1]] (rank 2)", [DET_SINGULAR], [DET_SINGULAR_COFACTORS],
          "det is a polynomial: its gradient is the cofactor matrix (adj(A)ᵀ), nonzero at rank n−1", bug=DET_SINGULAR_BUG),
    point("zero 2x2 matrix", [np.zeros((2, 2))], [np.zeros((2, 2))],
          "cofactors of [[a, b], [c, d]] are [[d, −c], [−b, a]]: 0 at the zero matrix", bug=DET_SINGULAR_BUG),
])

N = "tf.linalg.logdet"
SING = 2.0 ** -10
LOGDET = op(N, logdet_sym, [
    Sample((_spd(N, (2, 2), "a"),), {}, "2x2 SPD"),
    Sample((_spd(N, (2, 3, 3), "c"),), {}, "batch 2x3x3 SPD"),
], domain="symmetric positive definite A (called on 0.5·(A + Aᵀ): see the module docstring)", points=[
    point("A=I", [np.eye(3)], [np.eye(3)], "∂ log det A/∂A = A⁻ᵀ = I (symmetrized: sym(A⁻¹) = I)"),
    point("near singular A=[[1,1],[1,1+2⁻¹⁰]]", [[[1.0, 1.0], [1.0, 1.0 + SING]]],
          [[[1025.0, -1024.0], [-1024.0, 1024.0]]], "A⁻¹ = (1/det)·[[1+2⁻¹⁰, −1], [−1, 1]] with det = 2⁻¹⁰ (exact)"),
])

N = "tf.linalg.slogdet"
SLOGDET = op(N, tf.linalg.slogdet, [
    Sample((_shifted(N, (2, 2), "a", 0.0),), {}, "2x2"),
    Sample((_shifted(N, (3, 3), "b", -2.5),), {}, "3x3 (det < 0 likely: shifted by −2.5·I)"),
    Sample((_shifted(N, (2, 3, 3), "c"),), {}, "batch 2x3x3"),
], domain="nonsingular square matrices (the sign output is locally constant)",
    skips={"xla": "XLA cannot compile LogMatrixDeterminant (no XLA kernel)"}, points=[
    point("A=I", [np.eye(2)], [np.eye(2)], "∂ log|det A|/∂A = A⁻ᵀ = I; the sign output has derivative 0"),
    point("A=diag(-1,2) (det < 0)", [np.diag([-1.0, 2.0])], [np.diag([-1.0, 0.5])], "A⁻ᵀ = diag(−1, 1/2)"),
    point("A=[[0,1],[1,0]] (a permutation, det = −1)", [[[0.0, 1.0], [1.0, 0.0]]], [[[0.0, 1.0], [1.0, 0.0]]],
          "A⁻ᵀ = A for this symmetric orthogonal matrix"),
])

N = "tf.linalg.inv"
INV = op(N, tf.linalg.inv, [
    Sample((_shifted(N, (2, 2), "a"),), {}, "2x2"),
    Sample((_shifted(N, (3, 3), "b"),), dict(adjoint=True), "3x3, adjoint=True"),
    Sample((_shifted(N, (2, 2, 2), "c"),), {}, "batch 2x2x2"),
], domain="nonsingular square matrices", points=[
    point("A=I", [np.eye(2)], [-np.ones((2, 2))], "∂Σ A⁻¹/∂A = −A⁻ᵀ·1·1ᵀ·A⁻ᵀ = −1·1ᵀ at I"),
    point("A=I, adjoint=True", [np.eye(2)], [-np.ones((2, 2))], "Σ A⁻ᴴ = Σ A⁻¹ for real A: the same −1·1ᵀ", adjoint=True),
    point("A=diag(2,-1)", [np.diag([2.0, -1.0])], [_inv_sum_grad(np.diag([2.0, -1.0]))], "−A⁻ᵀ·1·1ᵀ·A⁻ᵀ with A⁻ᵀ = diag(1/2, −1)"),
])

N = "tf.linalg.solve"
B0 = np.array([[1.0, 2.0], [3.0, 4.0]])
SOLVE = op(N, tf.linalg.solve, [
    Sample((_shifted(N, (3, 3), "a"), _mat(N, (3, 2), "a")), {}, "3x3 \\ 3x2"),
    Sample((_shifted(N, (3, 3), "b"), _mat(N, (3, 1), "b")), dict(adjoint=True), "3x3ᴴ \\ 3x1 (adjoint=True)"),
    Sample((_shifted(N, (2, 2, 2), "c"), _mat(N, (2, 2, 1), "c")), {}, "batch 2x2x2 \\ 2x2x1"),
], diff=(0, 1), domain="A nonsingular; rhs any", points=[
    point("A=I, B=[[1,2],[3,4]]", [np.eye(2), B0], [-np.ones((2, 2)) @ B0.T, np.ones((2, 2))],
          "X = A⁻¹B: ∂ΣX/∂B = A⁻ᵀ·1 = 1, ∂/∂A = −A⁻ᵀ·1·Xᵀ = −1·Bᵀ at A = I"),
    point("A=I, B=[[1,2],[3,4]], adjoint=True", [np.eye(2), B0], [-(B0 @ np.ones((2, 2))), np.ones((2, 2))],
          "X = A⁻ᵀB, dX = −A⁻ᵀ·dAᵀ·X: at A = I, ∂ΣX/∂A = −(X·1)·1ᵀ (row sums of B along each row); ∂/∂B = A⁻¹·1 = 1", adjoint=True),
])

N = "tf.linalg.triangular_solve"
X0 = np.array([[1.0], [2.0], [3.0]])
TRIANGULAR_SOLVE = op(N, tf.linalg.triangular_solve, [
    Sample((_lower_tri(N, (3, 3), "a"), _mat(N, (3, 2), "a")), dict(lower=True), "3x3 lower \\ 3x2"),
    Sample((np.swapaxes(_lower_tri(N, (3, 3), "b"), -1, -2), _mat(N, (3, 1), "b")), dict(lower=False), "3x3 upper (lower=False)"),
    Sample((_lower_tri(N, (3, 3), "c"), _mat(N, (3, 2), "c")), dict(lower=True, adjoint=True), "3x3 lower, adjoint=True"),
    Sample((_lower_tri(N, (2, 2, 2), "d"), _mat(N, (2, 2, 1), "d")), dict(lower=True), "batch 2x2x2 lower"),
], diff=(0, 1), domain="triangle read has a nonzero diagonal; the other triangle is not read (gradient 0 there)", points=[
    point("A=I lower, b=[1,2,3]", [np.eye(3), X0], [np.tril(-np.ones((3, 1)) @ X0.T), np.ones((3, 1))],
          "X = A⁻¹b reads only the lower triangle: ∂ΣX/∂A = tril(−A⁻ᵀ·1·Xᵀ) = tril(−1·bᵀ), ∂/∂b = 1", lower=True),
])

N = "tf.linalg.cholesky"
CHOLESKY = op(N, cholesky_sym, [
    Sample((_spd(N, (2, 2), "a"),), {}, "2x2 SPD"),
    Sample((_spd(N, (3, 3), "b"),), {}, "3x3 SPD"),
    Sample((_spd(N, (2, 3, 3), "c"),), {}, "batch 2x3x3 SPD"),
], domain="symmetric positive definite A (called on 0.5·(A + Aᵀ): TensorFlow's gradient is the symmetrized one)", points=[
    point("A=I (3x3)", [np.eye(3)], [0.5 * np.ones((3, 3))],
          "for A = D diagonal, dL = Φ(dS)/√d_j (Φ halves the diagonal) with dS = sym(dA): ∂ΣL/∂A_rc = 1/(2√d_min(r,c)) = 1/2 at I"),
    point("A=diag(4,1)", [np.diag([4.0, 1.0])], [[[0.25, 0.25], [0.25, 0.5]]], "1/(2√d_min(r,c)) with d = (4, 1)"),
])

N = "tf.linalg.cholesky_solve"
Y0 = np.array([1.0, 2.0])
CHOLESKY_SOLVE = op(N, tf.linalg.cholesky_solve, [
    Sample((_lower_tri(N, (3, 3), "a"), _mat(N, (3, 2), "a")), {}, "L 3x3, rhs 3x2"),
    Sample((_lower_tri(N, (2, 2, 2), "b"), _mat(N, (2, 2, 1), "b")), {}, "batch L 2x2x2, rhs 2x2x1"),
], diff=(0, 1), domain="chol lower triangular with nonzero diagonal (upper triangle not read); rhs any", points=[
    point("L=I, rhs=[[1],[2]]", [np.eye(2), Y0[:, None]], [np.tril(-(Y0[:, None] + Y0[None, :])), np.ones((2, 1))],
          "X = (LLᵀ)⁻¹B; at L = I, dΣX = −1ᵀ(dL + dLᵀ)B·1 = −Σ dL_ij (y_i + y_j) over the lower triangle (y = B·1); ∂/∂B = 1"),
])

N = "tf.linalg.qr"
QR = op(N, tf.linalg.qr, [
    Sample((_mat(N, (3, 2), "a"),), {}, "3x2 (tall), full_matrices=False"),
    Sample((_mat(N, (2, 3), "c"),), {}, "2x3 (wide)"),
    Sample((_mat(N, (2, 2, 2), "d"),), dict(full_matrices=True), "batch 2x2x2, full_matrices=True (square)"),
], domain="full-rank A away from the Householder sign switches (a zero leading entry of a reflected column); "
          "full_matrices=True for m > n is left out: the extra columns of Q are not a function of A")

N = "tf.linalg.svd"
SVD = op(N, svd_invariants, [
    Sample((_gapped(N, (2, 3, 3), _svals, "a"),), dict(compute_uv=False), "batch 2x3x3, compute_uv=False (singular values)"),
    Sample((_gapped(N, (3, 2), _svals, "b"),), {}, "3x2 (tall): s, U·diag(s²)·Vᵀ, U·diag(s)·Uᵀ, V·diag(s)·Vᵀ"),
    Sample((_gapped(N, (2, 3), _svals, "c"),), dict(full_matrices=True), "2x3 (wide), full_matrices=True: the same products"),
], domain="A with distinct nonzero singular values (samples ≥ 0.3 apart); U and V are checked through "
          "gauge-invariant products only (each pair u_i, v_i is defined up to a joint sign)", bugs=(SVD_XLA_PRECISION_BUG,), points=[
    point("A=I (3x3, repeated singular values), compute_uv=False", [np.eye(3)], [np.eye(3)],
          "Σ s = nuclear norm, differentiable at full rank with gradient U·Vᵀ = I", compute_uv=False),
    point("A=diag(2,1,1), compute_uv=False", [np.diag([2.0, 1.0, 1.0])], [np.eye(3)],
          "the nuclear norm's gradient U·Vᵀ is I for any positive diagonal A, repeated values or not", compute_uv=False),
    point("A=I (2x2, repeated singular values), gauge-invariant products", [np.eye(2)], [np.eye(2) + 4 * np.ones((2, 2))],
          "at A = I: Σs → U·Vᵀ = I; U·diag(s²)·Vᵀ = A·√(AᵀA) → dA + (dA + dAᵀ)/2 → 2·1·1ᵀ; √(AAᵀ), √(AᵀA) → 1·1ᵀ each",
          bug=SVD_REPEATED_BUG),
])

N = "tf.linalg.eigh"
EIGH = op(N, eigh_invariants, [
    Sample((_gapped(N, (3, 3), _eigs_lower, "a"),), {}, "3x3 (lower triangle read): e and V·diag(e²)·Vᵀ"),
    Sample((_gapped(N, (2, 2), _eigs_lower, "b"),), {}, "2x2"),
    Sample((_gapped(N, (2, 3, 3), _eigs_lower, "c"),), {}, "batch 2x3x3"),
], domain="A whose lower triangle defines a symmetric matrix S with distinct eigenvalues (samples ≥ 0.3 apart); "
          "eigenvectors are checked through V·diag(e²)·Vᵀ = S² only (each is defined up to sign)", points=[
    point("A=diag(1,2,3)", [np.diag([1.0, 2.0, 3.0])],
          [[[3.0, 0.0, 0.0], [6.0, 5.0, 0.0], [8.0, 10.0, 7.0]]],
          "Σe = tr S and Σ S² = 1ᵀS²1 with S = D: ∂/∂S_ij = d_i + d_j; the lower-triangle reading doubles the "
          "strict lower entries: diag 1 + 2d_i, lower 2(d_i + d_j), upper 0"),
    point("A=I (repeated eigenvalues)", [np.eye(2)], [[[3.0, 0.0], [4.0, 3.0]]],
          "Σe + Σ S² with S = I: diag 1 + 2, strict lower 2·(1 + 1), upper 0 (not read); S² is smooth at ties",
          bug=EIGH_REPEATED_BUG),
])

N = "tf.linalg.eigvalsh"
EIGVALSH = op(N, tf.linalg.eigvalsh, [
    Sample((_gapped(N, (3, 3), _eigs_lower, "a"),), {}, "3x3 (lower triangle read)"),
    Sample((_gapped(N, (2, 3, 3), _eigs_lower, "b"),), {}, "batch 2x3x3"),
], domain="A whose lower triangle defines a symmetric matrix with distinct eigenvalues", points=[
    point("A=I (all eigenvalues equal)", [np.eye(3)], [np.eye(3)], "Σ eigenvalues = trace: gradient I at every A"),
    point("A=0 (all eigenvalues 0)", [np.zeros((2, 2))], [np.eye(2)], "Σ eigenvalues = trace: gradient I"),
])

N = "tf.linalg.eigvals"
EIGVALS = op(N, eigvals_parts, [
    Sample(tuple(draw(N, (3, 3), (3, 3), salt="a")), {}, "3x3 complex (re, im)"),
    Sample(tuple(draw(N, (2, 2, 2), (2, 2, 2), salt="b")), {}, "batch 2x2x2 complex"),
], diff=(0, 1), domain="complex A = re + i·im with distinct eigenvalues (outputs: real and imaginary parts)",
    skips={"xla": "XLA cannot compile Eig: no XLA kernel for the general eigendecomposition"}, points=[
    point("A=I (repeated eigenvalues)", [np.eye(2), np.zeros((2, 2))], [np.eye(2), np.eye(2)],
          "Σ Re λ + Σ Im λ = Re tr A + Im tr A: ∂/∂re = I, ∂/∂im = I"),
])

N = "tf.linalg.eig"
EIG = op(N, eig_invariants, [
    Sample(tuple(0.5 * x for x in draw(N, (3, 3), (3, 3), salt="a")), {}, "3x3 complex: e and V·diag(exp e)·V⁻¹"),
    Sample(tuple(0.5 * x for x in draw(N, (2, 2, 2), (2, 2, 2), salt="b")), {}, "batch 2x2x2 complex"),
], diff=(0, 1), domain="complex A with distinct eigenvalues; eigenvectors checked through V·diag(exp e)·V⁻¹ = expm(A) "
                       "(each is defined up to a complex scale)",
    skips={"xla": "XLA cannot compile Eig: no XLA kernel for the general eigendecomposition"}, points=[
    point("A=diag(0,1)", [np.diag([0.0, 1.0]), np.zeros((2, 2))], [np.eye(2) + GAMMA_EXP, np.eye(2) + GAMMA_EXP],
          "Σ(Re + Im) e = (Re + Im) tr A → I for re and im; expm at diagonal A: dexpm = Γ∘dA (Daleckii–Krein, "
          "Γ_ij = (e^{a_i} − e^{a_j})/(a_i − a_j)) and expm(A + i·εE) = expm(A) + i·ε·Γ∘E, so Σ(Re + Im) expm → Γ for each"),
])

N = "tf.linalg.logm"
LOGM = op(N, logm_parts, [
    Sample((_spd(N, (2, 2), "a"), 0.25 * _mat(N, (2, 2), "a")), {}, "2x2 complex near an SPD matrix"),
], diff=(0, 1), domain="complex A with no eigenvalue on the closed negative real axis", bugs=(LOGM_NO_GRADIENT,),
    skips={"xla": "XLA cannot compile MatrixLogarithm (no XLA kernel)"}, points=[
    point("A=I", [np.eye(2), np.zeros((2, 2))], [np.ones((2, 2)), np.ones((2, 2))],
          "log(I + dA) = dA + O(dA²): Σ(Re + Im) log → ∂/∂re = 1·1ᵀ, ∂/∂im = 1·1ᵀ"),
])

N = "tf.linalg.trace"
TRACE = op(N, tf.linalg.trace, [
    Sample((_mat(N, (3, 3), "a"),), {}, "3x3"),
    Sample((_mat(N, (2, 4), "b"),), {}, "2x4 (non-square)"),
    Sample((_mat(N, (2, 2, 3), "c"),), {}, "batch 2x2x3"),
], points=[
    point("2x3 zeros", [np.zeros((2, 3))], [np.eye(2, 3)], "∂ tr A/∂A = I (the main diagonal of a rectangle)"),
])

N = "tf.linalg.diag"
DIAG = op(N, tf.linalg.diag, [
    Sample((_mat(N, (3,), "a"),), {}, "3 → 3x3"),
    Sample((_mat(N, (2, 3), "b"),), {}, "batch 2x3 → 2x3x3"),
    Sample((_mat(N, (3,), "c"),), dict(k=1), "3 → 4x4, k=1"),
    Sample((_mat(N, (2, 3), "d"),), dict(k=(-1, 0), num_rows=3, num_cols=3, padding_value=0.5), "band k=(-1, 0), padding_value=0.5"),
], points=[
    point("zero-size diagonal", [np.zeros((0,))], [np.zeros((0,))], "an empty diagonal gives a 0x0 matrix: the gradient is empty"),
    point("k=(-1,0) with padding", [np.zeros((2, 3))], [[[1.0, 1.0, 1.0], [1.0, 1.0, 0.0]]],
          "each entry of the band appears once in the output; with the default align='RIGHT_LEFT' (documented) "
          "subdiagonals are left-aligned, so the last entry of the k = −1 row is padding and not used", k=(-1, 0), num_rows=3, num_cols=3),
])

N = "tf.linalg.diag_part"
DIAG_PART = op(N, tf.linalg.diag_part, [
    Sample((_mat(N, (3, 3), "a"),), {}, "3x3"),
    Sample((_mat(N, (2, 4), "b"),), dict(k=1), "2x4, k=1"),
    Sample((_mat(N, (2, 3, 3), "c"),), dict(k=(-1, 1), padding_value=0.5), "batch 2x3x3, k=(-1, 1), padding_value=0.5"),
], points=[
    point("2x3, k=(-1,1)", [np.zeros((2, 3))], [[[1.0, 1.0, 0.0], [1.0, 1.0, 1.0]]],
          "Σ over the diagonals −1, 0, 1 counts each entry on them once: (0,0),(1,1),(0,1),(1,2),(1,0)", k=(-1, 1)),
])

N = "tf.linalg.set_diag"
SET_DIAG = op(N, tf.linalg.set_diag, [
    Sample((_mat(N, (3, 3), "a"), _mat(N, (3,), "a")), {}, "3x3 with 3"),
    Sample((_mat(N, (2, 2, 3), "b"), _mat(N, (2, 2), "b")), {}, "batch 2x2x3 with 2x2"),
    Sample((_mat(N, (3, 3), "c"), _mat(N, (2,), "c")), dict(k=1), "3x3 with 2, k=1"),
], diff=(0, 1), points=[
    point("3x3 zeros", [np.zeros((3, 3)), np.zeros(3)], [1 - np.eye(3), np.ones(3)],
          "the diagonal of the input is overwritten: ∂/∂input = 1 off the diagonal, 0 on it; ∂/∂diagonal = 1"),
])

N = "tf.linalg.band_part"
BAND_PART = op(N, tf.linalg.band_part, [
    Sample((_mat(N, (3, 4), "a"), 1, 0), {}, "3x4, num_lower=1, num_upper=0"),
    Sample((_mat(N, (3, 3), "b"), 0, -1), {}, "3x3, num_lower=0, num_upper=-1 (upper triangle)"),
    Sample((_mat(N, (2, 3, 3), "c"), -1, 1), {}, "batch 2x3x3, num_lower=-1, num_upper=1"),
], points=[
    point("3x3, num_lower=1, num_upper=0", [np.zeros((3, 3)), 1, 0], [np.tril(np.triu(np.ones((3, 3)), -1))],
          "the band is copied and the rest zeroed: gradient 1 on the band (diagonal and first subdiagonal), 0 elsewhere"),
])

N = "tf.linalg.expm"
EXPM = op(N, tf.linalg.expm, [
    Sample((0.5 * _mat(N, (2, 2, 2), "a"),), {}, "batch 2x2x2, entries in [-1, 1] (Padé approximants alone)"),
    Sample((np.array([[1.5, 5.0], [-3.0, 0.5]]),), {},
           "[[1.5, 5], [-3, 0.5]] (1-norm 5.5 > 5.37: scaling and squaring in float64)"),
], bugs=(EXPM_XLA_BUG, EXPM_FORWARD_OVER_FORWARD_BUG), points=[
    point("A=diag(0,1)", [np.diag([0.0, 1.0])], [GAMMA_EXP],
          "Daleckii–Krein: at diagonal A, ∂Σ expm/∂A_ij = (e^{a_i} − e^{a_j})/(a_i − a_j) (e^{a_i} if equal)"),
])

N = "tf.linalg.sqrtm"
SQRTM = op(N, tf.linalg.sqrtm, [
    Sample((_spd(N, (2, 2), "a"),), {}, "2x2 SPD"),
    Sample((_shifted(N, (3, 3), "b", 4.0),), {}, "3x3 non-symmetric, eigenvalues in the right half-plane"),
    Sample((_spd(N, (2, 2, 2), "c"),), {}, "batch 2x2x2 SPD"),
], domain="A with no eigenvalue on the closed negative real axis (principal square root)",
    skips={"xla": "XLA cannot compile MatrixSquareRoot (no XLA kernel)"}, points=[
    point("A=I", [np.eye(2)], [0.5 * np.ones((2, 2))], "√(I + dA) = I + dA/2 + O(dA²)"),
    point("A=diag(4,1)", [np.diag([4.0, 1.0])], [[[0.25, 1.0 / 3.0], [1.0 / 3.0, 0.5]]],
          "Daleckii–Krein: (√a_i − √a_j)/(a_i − a_j) = 1/(√a_i + √a_j)"),
])

N = "tf.linalg.lstsq"
LS_A = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
LS_B = np.array([[1.0], [2.0], [3.0]])
LS_WHY = ("x = (AᵀA)⁻¹Aᵀb, r = b − Ax = (0, 0, 3): dx = (AᵀA)⁻¹(dAᵀr − AᵀdA·x), so ∂Σx/∂A = r·1ᵀ − A·1·xᵀ, "
          "∂Σx/∂b = A(AᵀA)⁻¹·1")
LSTSQ = op(N, tf.linalg.lstsq, [
    Sample((_mat(N, (4, 2), "a"), _mat(N, (4, 1), "a")), {}, "4x2 (overdetermined), rhs 4x1"),
    Sample((_mat(N, (3, 2), "b"), _mat(N, (3, 2), "b")), dict(l2_regularizer=0.5), "3x2, rhs 3x2, l2_regularizer=0.5"),
    Sample((_mat(N, (2, 3), "c"), _mat(N, (2, 1), "c")), {}, "2x3 (underdetermined: minimum-norm solution)"),
    Sample((_mat(N, (2, 3, 2), "d"), _mat(N, (2, 3, 1), "d")), {}, "batch 2x3x2"),
], diff=(0, 1), domain="full-rank A (fast=True, the default; the gradient of fast=False is a point below)", points=[
    point("A=[[1,0],[0,1],[0,0]], b=[1,2,3]", [LS_A, LS_B], [[[-1.0, -2.0], [-1.0, -2.0], [3.0, 3.0]], [[1.0], [1.0], [0.0]]], LS_WHY),
])

N = "tf.linalg.lstsq(fast=False)"
LSTSQ_SLOW = op(N, lstsq_slow, [
    Sample((_mat(N, (4, 2), "a"), _mat(N, (4, 1), "a")), {}, "4x2, rhs 4x1, fast=False"),
], diff=(0, 1), domain="full-rank A; fast=False solves by a complete orthogonal decomposition, a separate code path "
                       "whose gradient TensorFlow does not implement", bugs=(LSTSQ_SLOW_BUG,), points=[
    point("A=[[1,0],[0,1],[0,0]], b=[1,2,3]", [LS_A, LS_B], [[[-1.0, -2.0], [-1.0, -2.0], [3.0, 3.0]], [[1.0], [1.0], [0.0]]],
          LS_WHY + " (the solution does not depend on the algorithm)"),
])

N = "tf.linalg.pinv"
PINV = op(N, tf.linalg.pinv, [
    Sample((_gapped(N, (3, 2), _svals, "a"),), {}, "3x2 (tall, full column rank)"),
    Sample((_gapped(N, (2, 2, 3), _svals, "b"),), {}, "batch 2x2x3 (wide)"),
], domain="A of full rank with distinct singular values (pinv is discontinuous where the rank changes)", points=[
    point("A=diag(2,1)", [np.diag([2.0, 1.0])], [_inv_sum_grad(np.diag([2.0, 1.0]))],
          "pinv = inv at a nonsingular square A: −A⁻ᵀ·1·1ᵀ·A⁻ᵀ"),
    point("A=I (repeated singular values)", [np.eye(2)], [-np.ones((2, 2))],
          "pinv = inv near I: −A⁻ᵀ·1·1ᵀ·A⁻ᵀ = −1·1ᵀ", bug=PINV_IDENTITY_BUG),
])

N = "tf.linalg.cross"
CROSS = op(N, tf.linalg.cross, [
    Sample(tuple(draw(N, (3,), (3,), salt="a")), {}, "3 × 3"),
    Sample(tuple(draw(N, (2, 3), (2, 3), salt="b")), {}, "batch 2x3 × 2x3"),
], diff=(0, 1), points=[
    point("a=e1, b=e2", [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], [[1.0, 0.0, -1.0], [0.0, 1.0, -1.0]],
          "Σ(a × b) = a·(b × 1) = b·(1 × a): ∂/∂a = b × 1, ∂/∂b = 1 × a"),
    point("parallel a=b=[1,2,3] (a × b = 0)", [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]], [[-1.0, 2.0, -1.0], [1.0, -2.0, 1.0]],
          "b × 1 = (2−3, 3−1, 1−2), 1 × a = (3−2, 1−3, 2−1)"),
])

N = "tf.linalg.lu"
LU = op(N, lu_factor, [
    Sample((_shifted(N, (3, 3), "a"),), {}, "3x3"),
    Sample((_shifted(N, (2, 2, 2), "b"),), {}, "batch 2x2x2"),
], domain="nonsingular A away from pivot ties (partial pivoting locally constant)", bugs=(LU_NO_GRADIENT,),
   skips={"xla": "XLA cannot compile Lu (no XLA kernel)"})

N = "tf.linalg.lu_solve"
PERM3 = np.array([2, 0, 1], np.int32)
LU_SOLVE = op(N, tf.linalg.lu_solve, [
    Sample((_shifted(N, (3, 3), "a"), PERM3, _mat(N, (3, 2), "a")), {}, "packed LU 3x3, perm [2, 0, 1], rhs 3x2"),
    Sample((_shifted(N, (2, 2, 2), "b"), np.array([[1, 0], [0, 1]], np.int32), _mat(N, (2, 2, 1), "b")), {}, "batch 2x2x2"),
], diff=(0, 2), domain="packed factors with a nonzero diagonal of U; perm a permutation (not differentiable)", points=[
    point("LU=I, perm identity, rhs=[1,2,3]", [np.eye(3), np.array([0, 1, 2], np.int32), X0], [-np.ones((3, 1)) @ X0.T, np.ones((3, 1))],
          "A = L·U with L = I + strict lower, U = upper: at I, dA = d(packed); x = A⁻¹b → ∂Σx/∂packed = −1·xᵀ, ∂/∂b = 1"),
    point("LU=I, perm [2,0,1], rhs=[1,2,3]", [np.eye(3), PERM3, X0], [-np.ones((3, 1)) @ X0[PERM3].T, np.ones((3, 1))],
          "x = A⁻¹·(P b) = b[perm] = (3, 1, 2) at A = I: ∂Σx/∂packed = −1·xᵀ, ∂/∂b = Pᵀ·1 = 1"),
])

N = "tf.linalg.lu_reconstruct"
LU_RECONSTRUCT = op(N, tf.linalg.lu_reconstruct, [
    Sample((_shifted(N, (3, 3), "a"), PERM3), {}, "packed LU 3x3, perm [2, 0, 1]"),
    Sample((_shifted(N, (2, 2, 2), "b"), np.array([[1, 0], [0, 1]], np.int32)), {}, "batch 2x2x2"),
], points=[
    point("packed [[2,1],[3,4]], perm identity", [[[2.0, 1.0], [3.0, 4.0]], np.array([0, 1], np.int32)], [[[4.0, 4.0], [3.0, 1.0]]],
          "L = [[1,0],[3,1]], U = [[2,1],[0,4]], Σ PᵀLU = 1ᵀL·U·1: ∂/∂L_ij = (U·1)_j, ∂/∂U_ij = (1ᵀL)_i"),
])

N = "tf.linalg.lu_matrix_inverse"
LU_MATRIX_INVERSE = op(N, tf.linalg.lu_matrix_inverse, [
    Sample((_shifted(N, (3, 3), "a"), PERM3), {}, "packed LU 3x3, perm [2, 0, 1]"),
    Sample((_shifted(N, (2, 2, 2), "b"), np.array([[1, 0], [0, 1]], np.int32)), {}, "batch 2x2x2"),
], domain="packed factors with a nonzero diagonal of U", points=[
    point("packed I, perm identity", [np.eye(2), np.array([0, 1], np.int32)], [-np.ones((2, 2))],
          "A = L·U with dA = d(packed) at I: ∂Σ A⁻¹ = −A⁻ᵀ·1·1ᵀ·A⁻ᵀ = −1·1ᵀ"),
])

N = "tf.linalg.tridiagonal_solve"
TRI_ID = np.array([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0], [0.0, 0.0, 0.0]])
TRIDIAGONAL_SOLVE = op(N, tridiagonal_solve, [
    Sample((_compact(N, (3, 4), "a"), _mat(N, (4, 2), "a")), {}, "compact 3x4, rhs 4x2"),
    Sample((_compact(N, (2, 3, 3), "b"), _mat(N, (2, 3, 1), "b")), dict(partial_pivoting=False), "batch compact 2x3x3, partial_pivoting=False"),
    Sample((_compact(N, (3, 4), "c"), _mat(N, (2, 4), "c")), dict(transpose_rhs=True), "compact 3x4, rhs 2x4, transpose_rhs=True"),
    Sample((_shifted(N, (3, 3), "d", 4.0), _mat(N, (3, 1), "d")), dict(diagonals_format="matrix"), "diagonals_format='matrix' 3x3"),
], diff=(0, 1), domain="diagonally dominant tridiagonal systems; entries outside the band (and the compact "
                       "format's padding: last superdiagonal, first subdiagonal entry) are not read",
    skips={"xla": "XLA cannot compile TridiagonalSolve with partial_pivoting=True (the default; also what its gradient "
                  "calls): 'Current implementation does not yet support pivoting'"}, points=[
    point("identity (compact), rhs=[1,2,3]", [TRI_ID, X0],
          [[[-2.0, -3.0, 0.0], [-1.0, -2.0, -3.0], [0.0, -1.0, -2.0]], np.ones((3, 1))],
          "x = A⁻¹b, dΣx = −Σ dA_ij y_j (y = x = b at A = I): main −y_i, super_i → A[i,i+1]: −y_{i+1}, sub_i → "
          "A[i,i−1]: −y_{i−1}, padding 0"),
])

N = "tf.linalg.tridiagonal_matmul"
TRIDIAGONAL_MATMUL = op(N, tridiagonal_matmul, [
    Sample((_compact(N, (3, 4), "a"), _mat(N, (4, 2), "a")), {}, "compact 3x4, rhs 4x2"),
    Sample((_compact(N, (2, 3, 3), "b"), _mat(N, (2, 3, 1), "b")), dict(diagonals_format="sequence"),
           "batch 2x3x3, diagonals_format='sequence' (the three rows as a list)"),
    Sample((_mat(N, (3, 3), "c"), _mat(N, (3, 2), "c")), dict(diagonals_format="matrix"), "diagonals_format='matrix' 3x3"),
], diff=(0, 1), domain="all reals (entries outside the band and the compact padding are not read)", points=[
    point("compact [[1,2,9],[3,4,5],[9,6,7]] (9 = padding), rhs=1", [[[1.0, 2.0, 9.0], [3.0, 4.0, 5.0], [9.0, 6.0, 7.0]], np.ones((3, 1))],
          [[[1.0, 1.0, 0.0], [1.0, 1.0, 1.0], [0.0, 1.0, 1.0]], [[9.0], [12.0], [7.0]]],
          "A = [[3,1,0],[6,4,2],[0,7,5]]: ∂Σ(Ax)/∂A_ij = x_j = 1 on the band, 0 on the padding; ∂/∂x = column sums of A"),
])

N = "tf.linalg.banded_triangular_solve"
BANDED = op(N, tf.linalg.banded_triangular_solve, [
    Sample((_bands(N, (2, 4), True, "a"), _mat(N, (4, 2), "a")), dict(lower=True), "2 bands x 4, lower, rhs 4x2"),
    Sample((_bands(N, (2, 4), False, "b"), _mat(N, (4, 1), "b")), dict(lower=False), "2 bands x 4, lower=False"),
    Sample((_bands(N, (3, 4), True, "c"), _mat(N, (4, 1), "c")), dict(lower=True, adjoint=True), "3 bands x 4, lower, adjoint=True"),
    Sample((_bands(N, (2, 2, 3), True, "d"), _mat(N, (2, 3, 1), "d")), dict(lower=True), "batch 2x2x3 bands"),
], diff=(0, 1), domain="bands with a nonzero diagonal; padding entries (left of subdiagonals, right of superdiagonals) not read",
    skips={"xla": "XLA cannot compile BandedTriangularSolve (no XLA kernel)"}, points=[
    point("lower, identity with padding 9, rhs=[1,2,3]", [[[1.0, 1.0, 1.0], [9.0, 0.0, 0.0]], X0],
          [[[-1.0, -2.0, -3.0], [0.0, -1.0, -2.0]], np.ones((3, 1))],
          "A = I: x = b, dΣx = −Σ dA_ij x_j; bands[0, i] = A[i, i] → −x_i, bands[1, i] = A[i, i−1] → −x_{i−1} (i ≥ 1), "
          "bands[1, 0] is padding → 0", lower=True),
])

N = "tf.linalg.normalize"
NORMALIZE = op(N, tf.linalg.normalize, [
    Sample((_mat(N, (4,), "a"),), {}, "4, ord='euclidean'"),
    Sample((draw(N, (2, 3), domain=REAL, salt="b")[0] + 3.0,), dict(ord=1, axis=1), "2x3 (entries in [1, 5]), ord=1, axis=1"),
], domain="x ≠ 0 (ord=1: no zero entries); outputs are x/‖x‖ and ‖x‖", points=[
    point("x=[3,4]", [[3.0, 4.0]], [[0.632, 0.776]],
          "∂Σ(x/‖x‖)/∂x = (1 − x̂·(x̂·1))/‖x‖ = ([1, 1] − 1.4·[0.6, 0.8])/5 = [0.032, −0.024], plus ∂‖x‖ = x̂ = [0.6, 0.8]"),
])

OPS = [
    MATMUL, MATVEC, TENSORDOT, DET, LOGDET, SLOGDET, INV, SOLVE, TRIANGULAR_SOLVE, CHOLESKY, CHOLESKY_SOLVE, QR, SVD,
    EIGH, EIGVALSH, EIGVALS, EIG, LOGM, TRACE, DIAG, DIAG_PART, SET_DIAG, BAND_PART, EXPM, SQRTM, LSTSQ, LSTSQ_SLOW, PINV,
    CROSS, LU, LU_SOLVE, LU_RECONSTRUCT, LU_MATRIX_INVERSE, TRIDIAGONAL_SOLVE, TRIDIAGONAL_MATMUL, BANDED, NORMALIZE,
]
