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

Every special point states its second derivative as a Hessian-vector product H·v along a tangent with distinct,
non-symmetric entries, derived from the Taylor expansion of Σf(x + t·u) (Neumann series of inverses and solves,
matching powers of t in L·Lᵀ or in normal equations, Daleckii–Krein divided differences for expm/sqrtm/logm/eig, the
cofactor polynomial for det) and polarized into H·v; third derivatives where the rule has a power structure (det at
singular matrices, log-determinants near singularity, inverses, Cholesky, sqrtm, logm). Zero-size shapes (0x0 matrices,
empty batches, an inner dimension of 0, a right-hand side with no columns) have empty gradients, or zero ones where
the empty output does not depend on a non-empty input.

Left out, with the reason: tf.linalg.eye (no float input), tf.linalg.matrix_rank (an integer, piecewise constant),
the tf.linalg.LinearOperator* classes (compositions of the ops here, not ops). Recorded in other families:
tf.linalg.norm (as tf.norm) and tf.linalg.global_norm in family_reductions, tf.linalg.einsum (as tf.einsum) in
family_array, tf.linalg.tensor_diag and tensor_diag_part by their own family.
"""
import dataclasses

import numpy as np
import tensorflow as tf

from spec.atlas.records import (POINT_CHECKS, POINT_SECOND, POINT_THIRD, REAL, KnownBug, Sample, Workaround, as_f32_exact,
                                 draw, hvp, op, point, rng_for)

FAMILY = "tf.linalg: products, determinants, solves, factorizations, spectral and banded ops"

ALL_CHECKS = ("reverse", "forward", "reverse_over_reverse", "forward_over_reverse", "reverse_over_forward",
              "forward_over_forward", "special_reverse", "special_forward", "float32", "gpu")
SAMPLE_CHECKS = tuple(c for c in ALL_CHECKS if not c.startswith("special"))


def _representative_first(entry):
    """The record with its representative sample (the last, the one second order, tf.function and XLA use) moved to
    the front and second_order_sample=0: the same sample is representative, and a workaround's forward-mode check in
    tf.function and XLA (which computes that sample only but pairs results with the samples in order) lines up."""
    return dataclasses.replace(entry, samples=(entry.samples[-1],) + entry.samples[:-1], second_order_sample=0)


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


# ---- second and third derivatives at the special points
# Every Hessian-vector product below comes from a Taylor expansion in t of Σf(x + t·u) (derived per op in `why`):
# q(u) = d²/dt² Σf(x + t·u) at t = 0 is the quadratic form uᵀHu, and polarization gives H·v exactly,
# (H·v)_e = (q(v + e) − q(v − e))/4 for each unit direction e; likewise c(u) = d³/dt³ Σf(x + t·u) gives
# D³(Σf)[e, v, v] = (c(v + e) − c(v − e) − 2·c(e))/6. Nothing here calls TensorFlow.


def _t(*shape, salt: int = 0) -> np.ndarray:
    """A tangent with distinct, non-symmetric entries (so that a transposed, symmetrized or dropped term shows)."""
    n = int(np.prod(shape, dtype=int))
    return ((np.arange(n) * 7 + 3 + salt) % 11 - 5).reshape(shape) / 4.0


def _units(v):
    for k, a in enumerate(v):
        for idx in np.ndindex(np.shape(a)):
            e = [np.zeros(np.shape(b)) for b in v]
            e[k][idx] = 1.0
            yield k, idx, e


def _hv(q, v) -> list:
    """H·v per argument from q(u) = d²/dt² Σf(x + t·u), u a list of one direction per differentiable argument."""
    v = [np.asarray(a, np.float64) for a in v]
    out = [np.zeros(a.shape) for a in v]
    for k, idx, e in _units(v):
        out[k][idx] = (q([a + b for a, b in zip(v, e)]) - q([a - b for a, b in zip(v, e)])) / 4.0
    return out


def _d3(c, v) -> list:
    """D³(Σf)[·, v, v] per argument from c(u) = d³/dt³ Σf(x + t·u)."""
    v = [np.asarray(a, np.float64) for a in v]
    out = [np.zeros(a.shape) for a in v]
    for k, idx, e in _units(v):
        out[k][idx] = (c([a + b for a, b in zip(v, e)]) - c([a - b for a, b in zip(v, e)]) - 2.0 * c(e)) / 6.0
    return out


def _series_solve(ms, ys, order: int = 2) -> list:
    """Taylor coefficients x_0..x_order of x(t) = M(t)⁻¹·y(t), M(t) = Σ ms[k]·t^k, y(t) = Σ ys[k]·t^k: matching powers
    of t in M(t)·x(t) = y(t) gives M_0·x_k = y_k − Σ_{j≥1} M_j·x_{k−j}."""
    def at(seq, k):
        return seq[k] if k < len(seq) else np.zeros_like(seq[0])
    xs = []
    for k in range(order + 1):
        rhs = at(ys, k) - sum((at(ms, j) @ xs[k - j] for j in range(1, k + 1)), np.zeros_like(ys[0]))
        xs.append(np.linalg.solve(ms[0], rhs))
    return xs


def _det_small(a) -> float:
    """det by Laplace expansion along the first row (exact polynomial arithmetic, no pivoting): for n ≤ 3."""
    n = a.shape[0]
    if n == 0:
        return 1.0
    return float(sum((-1) ** j * a[0, j] * _det_small(np.delete(np.delete(a, 0, 0), j, 1)) for j in range(n)))


def _cofactors(a) -> np.ndarray:
    """The cofactor matrix C_ij = (−1)^{i+j}·det(A without row i and column j), the gradient of det."""
    n = a.shape[0]
    return np.array([[(-1) ** (i + j) * _det_small(np.delete(np.delete(a, i, 0), j, 1)) for j in range(n)] for i in range(n)])


def _phi(x):
    """Φ: the lower triangle with the diagonal halved (the Cholesky derivative's projection)."""
    return np.tril(x) - 0.5 * np.diag(np.diag(x))


def _cholesky_series(s, us, order: int) -> list:
    """Taylor coefficients L_0..L_order of chol(S + t·Us): matching powers of t in L(t)·L(t)ᵀ = S + t·Us gives
    L_1 = L·Φ(L⁻¹UsL⁻ᵀ) and L_k = −L·Φ(L⁻¹(Σ_{j=1}^{k−1} L_j·L_{k−j}ᵀ)L⁻ᵀ) for k ≥ 2 (L⁻¹L_k is lower triangular)."""
    low = np.linalg.cholesky(s)
    li = np.linalg.inv(low)
    ls = [low, low @ _phi(li @ us @ li.T)]
    for k in range(2, order + 1):
        ls.append(-low @ _phi(li @ sum(ls[j] @ ls[k - j].T for j in range(1, k)) @ li.T))
    return ls


def _divided(f, fp, fpp, *xs) -> float:
    """Divided difference f[x_0, …, x_k] (k ≤ 2) with confluent points through f′ and f″."""
    xs = sorted(xs)
    if len(xs) == 1:
        return f(xs[0])
    if len(xs) == 2:
        a, b = xs
        return fp(a) if a == b else (f(a) - f(b)) / (a - b)
    a, b, c = xs
    if a == c:
        return fpp(a) / 2.0
    return (_divided(f, fp, fpp, a, b) - _divided(f, fp, fpp, b, c)) / (a - c)


def _dk2(f, fp, fpp, lam, u) -> np.ndarray:
    """Second Fréchet derivative of the matrix function f at diag(lam) along u (Daleckii–Krein):
    d²/dt² f(D + t·u)_ij = 2·Σ_k f[λ_i, λ_k, λ_j]·u_ik·u_kj."""
    n = len(lam)
    g = np.array([[[_divided(f, fp, fpp, lam[i], lam[k], lam[j]) for j in range(n)] for k in range(n)] for i in range(n)])
    return 2.0 * np.einsum("ikj,ik,kj->ij", g, u, u)


def _reproducer(body: str, expected: str, got: str) -> str:
    return f"{body}\nprint(g)  # expected {expected}, got {got}"


# ------------------------------------------------------------------------------------------ known bugs

DET_WORKAROUND = Workaround('''import itertools

import tensorflow as tf


def det(a):
    """tf.linalg.det by the Leibniz formula Σ_σ sign(σ)·Π_i a[i, σ(i)]: a polynomial in the entries built from
    products, so every derivative exists at singular matrices too (the gradient is the cofactor matrix). n! terms of
    n factors: for small matrices (n ≤ 6)."""
    n = a.shape[-1]
    if n == 0:
        return tf.ones(tf.shape(a)[:-2], a.dtype)
    total = tf.zeros_like(a[..., 0, 0])
    for perm in itertools.permutations(range(n)):
        inversions = sum(perm[i] > perm[j] for i in range(n) for j in range(i + 1, n))
        term = a[..., 0, perm[0]]
        for i in range(1, n):
            term = term * a[..., i, perm[i]]
        total = total + term if inversions % 2 == 0 else total - term
    return total
''', "det")

DET_SINGULAR_BUG = KnownBug(
    "MatrixDeterminant's gradient is det(A)·A⁻ᵀ computed with matrix_inverse, which raises 'Input is not "
    "invertible' at a singular A, where the derivative (the cofactor matrix) and every higher derivative exist",
    "https://github.com/tensorflow/tensorflow/issues/119477",
    _reproducer("a = tf.constant([[1., 2., 0.], [2., 4., 0.], [0., 0., 1.]], tf.float64)\n"
                "with tf.GradientTape() as t:\n    t.watch(a)\n    d = tf.linalg.det(a)\ng = t.gradient(d, a)",
                "the cofactor matrix [[4, -2, 0], [-2, 1, 0], [0, 0, 0]]",
                "InvalidArgumentError: Input is not invertible"),
    checks=POINT_CHECKS + POINT_SECOND + POINT_THIRD, kind="wrong value",
    kind_why="det is a polynomial, differentiable at every matrix; at a singular one the gradient raises "
             "InvalidArgumentError instead of returning the cofactor matrix",
    related=("https://github.com/tensorflow/tensorflow/pull/122823", "https://github.com/tensorflow/tensorflow/issues/64225"),
    searched=("tf.linalg.det gradient singular matrix Input is not invertible",), workaround=DET_WORKAROUND)

SVD_SEARCHED = ("svd gradient repeated degenerate singular values wrong zero _SafeReciprocal",
                "tensorflow tf.svd gradient equal singular values identity matrix")

SVD_WORKAROUND = Workaround('''import tensorflow as tf


def _sqrt_and_inverse_sqrt(m, iterations=12):
    """√M and M^(-1/2) of a symmetric positive definite M by the Denman–Beavers iteration on M/c, c = tr(M)/n held
    constant (√M = √c·√(M/c) for every c > 0): matmuls and inverses only, so every derivative of the iterates
    converges with them (also where eigenvalues repeat) and XLA compiles it. 12 steps: condition numbers up to ~10⁴."""
    c = tf.stop_gradient(tf.linalg.trace(m) / m.shape[-1])[..., None, None]
    y, z = m / c, tf.eye(m.shape[-1], batch_shape=m.shape[:-2], dtype=m.dtype)
    for _ in range(iterations):
        y, z = 0.5 * (y + tf.linalg.inv(z)), 0.5 * (z + tf.linalg.inv(y))
    return y * tf.sqrt(c), z / tf.sqrt(c)


def svd_invariants(a, compute_uv=True, full_matrices=False):
    """The gauge-invariant outputs of tf.linalg.svd without the SVD: with the smaller Gram matrix G (AᵀA for a tall A,
    AAᵀ for a wide one) and R = √G, s = eigenvalues of R (descending), and U·diag(s²)·Vᵀ = A·√(AᵀA) = √(AAᵀ)·A,
    U·diag(s)·Uᵀ = √(AAᵀ) = A·(AᵀA)^(-1/2)·Aᵀ, V·diag(s)·Vᵀ = √(AᵀA) = Aᵀ·(AAᵀ)^(-1/2)·A. Full rank A only."""
    tall = a.shape[-2] >= a.shape[-1]
    gram = tf.linalg.matmul(a, a, adjoint_a=tall, adjoint_b=not tall)
    root, inverse_root = _sqrt_and_inverse_sqrt(gram)
    s = tf.reverse(tf.linalg.eigvalsh(root), [-1])
    if not compute_uv:
        return s
    at = tf.linalg.adjoint(a)
    if tall:
        return s, a @ root, a @ inverse_root @ at, root
    return s, root @ a, root, at @ inverse_root @ a
''', "svd_invariants")

SVD_REPEATED_BUG = KnownBug(
    "Svd's gradient replaces 1/(s_j² − s_i²) by 0 where singular values repeat (_SafeReciprocal), dropping the "
    "finite limit of gauge-invariant functions of U and V (here U·diag(s²)·Vᵀ, √(AAᵀ), √(AᵀA)) at A = I, in the first "
    "and second derivative",
    "https://github.com/tensorflow/tensorflow/issues/17476",
    _reproducer("a = tf.eye(2, dtype=tf.float64)\nwith tf.GradientTape() as t:\n    t.watch(a)\n"
                "    s, u, v = tf.linalg.svd(a)\n    y = tf.reduce_sum(u @ tf.linalg.diag(s) @ tf.transpose(u))  # √(AAᵀ)\n"
                "g = t.gradient(y, a)", "[[1, 1], [1, 1]] (d√(AAᵀ) = (dA + dAᵀ)/2 at A = I)", "[[1, 0], [0, 1]]"),
    checks=POINT_CHECKS + POINT_SECOND, kind="wrong value",
    kind_why="U·f(s)·Vᵀ-type products are smooth matrix functions of A, also where singular values repeat; TensorFlow "
             "drops the coupling terms of the repeated pairs",
    searched=SVD_SEARCHED, workaround=SVD_WORKAROUND)

SVD_NUCLEAR_SECOND_BUG = KnownBug(
    "the second derivative of Σ s (tf.linalg.svd(compute_uv=False), the nuclear norm tr √(AᵀA)) at a matrix with "
    "repeated singular values goes through Svd's gradient with U and V, whose _SafeReciprocal sets 1/(s_j² − s_i²) "
    "to 0 for the repeated pairs: H·V misses the rotation terms (V_ab − V_ba)/(s_a + s_b) between them",
    "https://github.com/tensorflow/tensorflow/issues/17476",
    "a = tf.constant([[2., 0., 0.], [0., 1., 0.], [0., 0., 1.]], tf.float64)\n"
    "v = tf.constant([[0., 1., 0.], [0., 0., 2.], [0., 0., 0.]], tf.float64)\n"
    "with tf.GradientTape() as t2:\n    t2.watch(a)\n    with tf.GradientTape() as t:\n        t.watch(a)\n"
    "        y = tf.reduce_sum(tf.linalg.svd(a, compute_uv=False))\n    g = t.gradient(y, a)\n"
    "print(t2.gradient(g, a, output_gradients=v))  # expected [[0, 1/3, 0], [-1/3, 0, 1], [0, -1, 0]], "
    "got 0 in the (1, 2) and (2, 1) entries",
    checks=POINT_SECOND, kind="wrong value",
    kind_why="the nuclear norm is smooth at full rank, repeated singular values included (H·V = (V_ab − V_ba)/(s_a + s_b) "
             "at a positive diagonal A); TensorFlow drops the terms of the repeated pairs",
    searched=SVD_SEARCHED, workaround=SVD_WORKAROUND)

PINV_IDENTITY_BUG = KnownBug(
    "pinv is computed through svd; at A = I (repeated singular values) Svd's gradient drops the coupling "
    "terms (_SafeReciprocal gives 0 for 1/(s_j² − s_i²)), so d Σ pinv(A) is −I instead of −1·1ᵀ, and the second "
    "derivative is wrong too",
    "https://github.com/tensorflow/tensorflow/issues/17476",
    _reproducer("a = tf.eye(2, dtype=tf.float64)\nwith tf.GradientTape() as t:\n    t.watch(a)\n"
                "    y = tf.reduce_sum(tf.linalg.pinv(a))\ng = t.gradient(y, a)",
                "[[-1, -1], [-1, -1]] (pinv = inv near I)", "[[-1, 0], [0, -1]]"),
    checks=POINT_CHECKS + POINT_SECOND, kind="wrong value",
    kind_why="pinv equals inv on a neighbourhood of I, a rational function; the SVD route drops the repeated pairs' terms",
    searched=SVD_SEARCHED, workaround=Workaround('''import tensorflow as tf


def pinv(a):
    """tf.linalg.pinv of a full-rank A without the SVD: (AᵀA)⁻¹Aᵀ for a tall or square A, Aᵀ(AAᵀ)⁻¹ for a wide one
    (rational in A, so every derivative is right where singular values repeat). Not for rank-deficient A."""
    at = tf.linalg.adjoint(a)
    if a.shape[-2] >= a.shape[-1]:
        return tf.linalg.solve(at @ a, at)
    return tf.linalg.adjoint(tf.linalg.solve(a @ at, a))
''', "pinv"))

EIGH_REPEATED_BUG = KnownBug(
    "SelfAdjointEigV2's gradient replaces 1/(e_j − e_i) by 0 where eigenvalues repeat (_SafeReciprocal), "
    "dropping the finite limit for gauge-invariant functions V·g(e)·Vᵀ: at A = I, d Σ V·diag(e²)·Vᵀ misses "
    "the off-diagonal terms, in the first and second derivative",
    "https://github.com/tensorflow/tensorflow/issues/24930",
    _reproducer("a = tf.eye(2, dtype=tf.float64)\nwith tf.GradientTape() as t:\n    t.watch(a)\n"
                "    e, v = tf.linalg.eigh(a)\n    y = tf.reduce_sum(v @ tf.linalg.diag(e * e) @ tf.transpose(v))  # = A²\n"
                "g = t.gradient(y, a)", "[[2, 0], [4, 2]] (lower triangle read)", "[[2, 0], [0, 2]]"),
    checks=POINT_CHECKS + POINT_SECOND, kind="wrong value",
    kind_why="V·g(e)·Vᵀ = g(S) is a smooth matrix function of S, also where eigenvalues repeat; TensorFlow drops the "
             "terms of the repeated pairs",
    related=("https://github.com/tensorflow/tensorflow/issues/12853",),
    searched=("tensorflow self_adjoint_eig eigh gradient degenerate repeated eigenvalues",),
    workaround=Workaround('''import tensorflow as tf


def eigh_invariants(a):
    """tf.linalg.eigh's eigenvalues and V·diag(e²)·Vᵀ, the second computed as what it is, S² (S: the lower triangle of
    a mirrored, the matrix eigh reads), instead of through the eigenvectors: any V·g(e)·Vᵀ with a polynomial g is
    g(S). The eigenvalues themselves keep tf.linalg.eigvalsh (their sum is smooth at ties)."""
    lower = tf.linalg.band_part(a, -1, 0)
    s = lower + tf.linalg.matrix_transpose(lower) - tf.linalg.diag(tf.linalg.diag_part(a))
    return tf.linalg.eigvalsh(a), s @ s
''', "eigh_invariants"))

LU_NO_GRADIENT = KnownBug(
    "tf.linalg.lu (raw op Lu) has no registered gradient: the tape raises LookupError although P·A = L·U is "
    "differentiable wherever the pivoting is locally constant (the factors of a fixed permutation are smooth)",
    "unreported",
    _reproducer("a = tf.constant([[3., 1.], [1., 2.]], tf.float64)\nwith tf.GradientTape() as t:\n    t.watch(a)\n"
                "    lu = tf.linalg.lu(a).lu\ng = t.gradient(lu, a)", "the derivative of the packed factors",
                "LookupError: gradient registry has no entry for: Lu"),
    checks=SAMPLE_CHECKS, kind="missing gradient",
    kind_why="the packed factors are rational in A for a fixed pivot order; the tape raises LookupError",
    searched=("tf.linalg.lu gradient LookupError no gradient registered Lu op",),
    workaround=Workaround('''import tensorflow as tf


def lu_factor(a):
    """The packed factors of tf.linalg.lu, with gradients: the pivot order from tf.linalg.lu (locally constant), then
    Doolittle elimination of the permuted rows in differentiable ops (L's multipliers packed below the diagonal)."""
    perm = tf.linalg.lu(tf.stop_gradient(a)).p
    pa = tf.gather(a, perm, axis=-2, batch_dims=len(a.shape) - 2)
    n = a.shape[-1]
    eye = tf.eye(n, dtype=a.dtype)
    rows = tf.unstack(pa, axis=-2)
    for k in range(n):
        later = tf.constant([1.0 if j > k else 0.0 for j in range(n)], a.dtype)
        for i in range(k + 1, n):
            factor = rows[i][..., k:k + 1] / rows[k][..., k:k + 1]
            rows[i] = rows[i] * (1.0 - eye[k]) - factor * rows[k] * later + factor * eye[k]
    return tf.stack(rows, axis=-2)
''', "lu_factor"))

LOGM_NO_GRADIENT = KnownBug(
    "tf.linalg.logm (raw op MatrixLogarithm) has no registered gradient: the tape raises LookupError although "
    "the principal logarithm is analytic away from the negative real axis",
    "https://github.com/tensorflow/tensorflow/issues/26321",
    _reproducer("a = tf.constant([[2., 1.], [0., 3.]], tf.complex128)\nwith tf.GradientTape() as t:\n    t.watch(a)\n"
                "    y = tf.math.real(tf.reduce_sum(tf.linalg.logm(a)))\ng = t.gradient(y, a)",
                "the Fréchet derivative of log (e.g. 1·1ᵀ at A = I)", "LookupError: gradient registry has no entry for: MatrixLogarithm"),
    checks=ALL_CHECKS + POINT_SECOND + POINT_THIRD, kind="missing gradient",
    kind_why="the principal matrix logarithm is analytic on its domain; the tape raises LookupError",
    related=("https://github.com/tensorflow/tensorflow/issues/24146", "https://github.com/tensorflow/tensorflow/issues/30565"),
    searched=("tf.linalg.lu gradient LookupError no gradient registered Lu op",
              "gradient registry has no entry for: MatrixLogarithm logm"),
    workaround=Workaround('''import numpy as np
import tensorflow as tf


def _sqrtm(m, iterations=12):
    """√M by the Denman–Beavers iteration (matmuls and inverses: differentiable to every order)."""
    y, z = m, tf.eye(m.shape[-1], batch_shape=m.shape[:-2], dtype=m.dtype)
    for _ in range(iterations):
        y, z = 0.5 * (y + tf.linalg.inv(z)), 0.5 * (z + tf.linalg.inv(y))
    return y


def logm_parts(re, im, square_roots=5, nodes=8):
    """tf.linalg.logm of re + i·im by inverse scaling and squaring: log A = 2^k·log(A^(1/2^k)), and
    log(I + X) = ∫₀¹ X(I + tX)⁻¹ dt by Gauss–Legendre quadrature (the [m/m] Padé approximant, exact to
    O(X^(2m+1)), so its derivatives at X = 0 are exact to order 2m). For A near the positive reals."""
    a = tf.complex(re, im)
    for _ in range(square_roots):
        a = _sqrtm(a)
    eye = tf.eye(a.shape[-1], batch_shape=a.shape[:-2], dtype=a.dtype)
    x = a - eye
    t, w = np.polynomial.legendre.leggauss(nodes)
    log = tf.add_n([float(wi / 2) * tf.linalg.solve(eye + float((ti + 1) / 2) * x, x) for ti, wi in zip(t, w)])
    log = float(2 ** square_roots) * log
    return tf.math.real(log), tf.math.imag(log)
''', "logm_parts"))

LSTSQ_SLOW_BUG = KnownBug(
    "tf.linalg.lstsq(fast=False) (MatrixSolveLs with the complete orthogonal decomposition) raises 'Gradient not "
    "defined for fast=False' for a full-rank A, where the least-squares solution is smooth",
    "unreported",
    _reproducer("a = tf.constant([[1., 0.], [0., 1.], [0., 0.]], tf.float64)\nb = tf.constant([[1.], [2.], [3.]], tf.float64)\n"
                "with tf.GradientTape() as t:\n    t.watch(a)\n    x = tf.linalg.lstsq(a, b, fast=False)\ng = t.gradient(x, a)",
                "[[-1, -2], [-1, -2], [3, 3]]", "ValueError: Gradient not defined for fast=False"),
    checks=ALL_CHECKS + POINT_SECOND, kind="missing gradient",
    kind_why="the registered gradient of MatrixSolveLs raises ValueError for fast=False; the solution (AᵀA)⁻¹Aᵀb is "
             "smooth at full rank",
    searched=("matrix_solve_ls lstsq fast=False gradient not defined", "Gradient not defined for fast=False"),
    workaround=Workaround('''import tensorflow as tf


def lstsq_slow(matrix, rhs):
    """The least-squares solution of a full-column-rank system by QR (as stable as fast=False for such systems):
    x = R⁻¹Qᴴb with the reduced Q, R of the matrix; QR and triangular_solve have gradients."""
    q, r = tf.linalg.qr(matrix)
    return tf.linalg.triangular_solve(r, tf.linalg.matmul(q, rhs, adjoint_a=True), lower=False)
''', "lstsq_slow"))

EXPM_WORKAROUND = Workaround('''import numpy as np
import tensorflow as tf

_PADE13 = (64764752532480000.0, 32382376266240000.0, 7771770303897600.0, 1187353796428800.0, 129060195264000.0,
           10559470521600.0, 670442572800.0, 33522128640.0, 1323241920.0, 40840800.0, 960960.0, 16380.0, 182.0, 1.0)


def _expm(a, max_squarings=32):
    """The [13/13] Padé approximant with scaling and squaring (Higham 2005), squaring a fixed number of times under
    tf.where instead of in an unbounded tf.while_loop, so XLA compiles its gradient (1-norms up to 5.37·2^32)."""
    b = _PADE13
    eye = tf.eye(a.shape[-1], batch_shape=a.shape[:-2], dtype=a.dtype)
    norm = tf.reduce_max(tf.reduce_sum(tf.abs(a), axis=-2), axis=-1)
    squarings = tf.stop_gradient(tf.maximum(tf.math.ceil(tf.math.log(norm / 5.371920351148152) / np.log(2.0)), 0.0))
    x = a / (2.0 ** squarings)[..., None, None]
    x2 = x @ x
    x4 = x2 @ x2
    x6 = x4 @ x2
    u = x @ (x6 @ (b[13] * x6 + b[11] * x4 + b[9] * x2) + b[7] * x6 + b[5] * x4 + b[3] * x2 + b[1] * eye)
    v = x6 @ (b[12] * x6 + b[10] * x4 + b[8] * x2) + b[6] * x6 + b[4] * x4 + b[2] * x2 + b[0] * eye
    r = tf.linalg.solve(v - u, v + u)
    for i in range(max_squarings):
        r = tf.where((squarings > i)[..., None, None], r @ r, r)
    return r


_expm_traced = tf.function(_expm, autograph=False)


def expm(a):
    """tf.linalg.expm as a traced function without a while_loop: XLA compiles its gradient (tensorflow#77693), and
    nested ForwardAccumulators differentiate the traced function, where the reused Padé powers are accumulated
    correctly (tensorflow#127753 is specific to eager op-by-op recording)."""
    return _expm_traced(a)
''', "expm")

EXPM_XLA_BUG = KnownBug(
    "tf.linalg.expm squares in a tf.while_loop without maximum_iterations; its gradient accumulates the loop's "
    "intermediates in a TensorList, which XLA cannot compile ('XLA compilation requires a fixed tensor list size')",
    "https://github.com/tensorflow/tensorflow/issues/77693",
    _reproducer("a = tf.constant([[0.4, 1.5], [0.6, 0.1]], tf.float64)\n@tf.function(jit_compile=True)\ndef f(a):\n"
                "    with tf.GradientTape() as t:\n        t.watch(a)\n        y = tf.linalg.expm(a)\n    return t.gradient(y, a)\n"
                "g = f(a)", "the Fréchet derivative of expm applied to ones", "InvalidArgumentError: XLA compilation requires a fixed tensor list size"),
    checks=("reverse", "forward", "special_reverse", "special_forward"), modes=("xla",), kind="mode failure",
    kind_why="eager and tf.function differentiate expm; under XLA the gradient of its unbounded while_loop does not compile",
    searched=("expm gradient jit_compile XLA compilation requires a fixed tensor list size while_loop",),
    workaround=EXPM_WORKAROUND)

EXPM_FORWARD_OVER_FORWARD_BUG = KnownBug(
    "forward over forward (nested ForwardAccumulator, eager) through tf.linalg.expm is wrong by orders of magnitude: "
    "the Padé approximants reuse the powers A², A⁴, A⁶ as operands several times, and nested forward mode "
    "mis-accumulates second-order tangents of a tensor reused as an operand (e.g. s = x + 0; s·s·s gives 3 for "
    "d²x³/dx² = 6 at x = 1)",
    "https://github.com/tensorflow/tensorflow/issues/127753",
    "x = tf.constant(1.0, tf.float64)\nwith tf.autodiff.ForwardAccumulator(x, tf.constant(1.0, tf.float64)) as outer:\n"
    "    with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0, tf.float64)) as inner:\n        s = x + 0.0\n"
    "        y = s * s * s\n    d = inner.jvp(y)\nprint(outer.jvp(d))  # expected 6.0 (d²x³/dx² at 1), got 3.0",
    checks=("forward_over_forward", "special_forward_over_forward"), kind="mode failure",
    kind_why="reverse over reverse, forward over reverse and reverse over forward are right; only eager nested forward "
             "mode is wrong (inside tf.function it is right, #127753)",
    related=("https://github.com/tensorflow/tensorflow/pull/127627",),
    searched=("nested ForwardAccumulator second derivative wrong tensor reused x*x*x forward over forward",),
    workaround=EXPM_WORKAROUND)

SVD_XLA_PRECISION_BUG = KnownBug(
    "under XLA (CPU) float64 tf.linalg.svd returns singular vectors accurate to only ~1e-6 (U·diag(s)·Vᵀ differs from "
    "A by ~7e-7 for random 3x3 matrices; eager: 1e-15), so the JVP of the singular values, built from U and V, is "
    "off by ~1e-8 absolute (~1e-6 relative)",
    "unreported",
    "import numpy as np\na = tf.constant(np.random.default_rng(0).uniform(-2, 2, (3, 3)))\n"
    "s, u, v = tf.function(tf.linalg.svd, jit_compile=True)(a)\n"
    "print(np.abs((u * s[None, :]) @ tf.transpose(v) - a).max())  # expected ~1e-15 (float64), got ~5e-7",
    checks=("forward",), modes=("xla",), kind="precision",
    kind_why="tf2xla's Svd kernel (tensorflow/compiler/tf2xla/kernels/svd_op.cc) calls xla::SVD(input, max_iter, 1e-6): "
             "its Jacobi sweeps stop at a fixed tolerance of 1e-6 whatever the dtype, float32 accuracy for float64 input",
    searched=("tf.linalg.svd jit_compile XLA inaccurate float64 singular vectors precision", "SVD(ctx->Input(0), max_iter_, epsilon_"),
    workaround=SVD_WORKAROUND)

EIGH_TRIDIAGONAL_BUG = KnownBug(
    "tf.linalg.eigh_tridiagonal computes the eigenvalues by bisection on Sturm counts in a tf.while_loop; the tape "
    "differentiates the bisection's arithmetic (the Gershgorin bounds and the midpoints), not the eigenvalues, so its "
    "gradient is unrelated to the derivative (∂λ_k/∂alpha_i = v_ki², ∂λ_k/∂beta_i = 2·v_ki·v_k,i+1)",
    "unreported",
    _reproducer("alpha = tf.constant([1., 2., 3.], tf.float64)\nbeta = tf.constant([0.5, 0.25], tf.float64)\n"
                "with tf.GradientTape() as t:\n    t.watch([alpha, beta])\n    e = tf.linalg.eigh_tridiagonal(alpha, beta)\n"
                "g = t.gradient(e, [alpha, beta])", "[1, 1, 1], [0, 0] (Σ eigenvalues = Σ alpha)",
                "[1.364, 0, 1.636], [-1.364, 1.636]"),
    checks=tuple(c for c in ALL_CHECKS if c != "float32"), kind="wrong value",
    kind_why="distinct eigenvalues of a symmetric tridiagonal matrix are smooth in (alpha, beta); the tape returns the "
             "derivative of the bisection's bookkeeping instead (float32 and float64 agree on that wrong value)",
    searched=("eigh_tridiagonal gradient wrong eigenvalues bisection", "tensorflow tf.linalg.eigh_tridiagonal GradientTape gradient"),
    workaround=Workaround('''import tensorflow as tf


def eigh_tridiagonal(alpha, beta):
    """The eigenvalues of the symmetric tridiagonal matrix (diagonal alpha, off-diagonal beta) by tf.linalg.eigvalsh of
    the dense matrix, whose gradient is the eigenvalue derivative (O(n³): for moderate n)."""
    dense = tf.linalg.diag(alpha) + tf.linalg.diag(beta, k=1) + tf.linalg.diag(beta, k=-1)
    return tf.linalg.eigvalsh(dense)
''', "eigh_tridiagonal"))

# ------------------------------------------------------------------------------------------ the ops

LINEAR = "H = 0: Σf is linear in every argument here"


def _zero_hvp(*arrays, why=LINEAR):
    """H·v = 0 (of the arguments' shapes): a linear function, or an empty one."""
    return hvp([np.zeros(np.shape(a)) for a in arrays], why)


EMPTY = "a zero-size argument has no entries: its gradient and H·v are the empty arrays of its shape"

N = "tf.linalg.matmul"
MM_A, MM_B = np.eye(3), np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
MM_V = (_t(3, 3), _t(3, 2, salt=1))
MATMUL = op(N, tf.linalg.matmul, [
    Sample(tuple(draw(N, (2, 3), (3, 2), salt="a")), {}, "2x3 @ 3x2"),
    Sample(tuple(draw(N, (3, 2), (4, 3), salt="b")), dict(transpose_a=True, adjoint_b=True), "3x2ᵀ @ 4x3ᴴ (transpose_a, adjoint_b)"),
    Sample(tuple(draw(N, (2, 3), (2, 2), salt="c")), dict(adjoint_a=True, transpose_b=True), "2x3ᴴ @ 2x2ᵀ (adjoint_a, transpose_b)"),
    Sample(tuple(draw(N, (2, 1, 2, 3), (3, 3, 2), salt="d")), {}, "2x1x2x3 @ 3x3x2 (batch dims broadcast)"),
], diff=(0, 1), points=[
    point("A=I, B=[[1,2],[3,4],[5,6]]", [MM_A, MM_B], [np.array([[3.0, 7.0, 11.0]] * 3), np.ones((3, 2))],
          "∂Σ(AB)/∂A = 1·Bᵀ (row sums of B in every row), ∂/∂B = Aᵀ·1 (column sums of A)",
          second=hvp([np.ones((3, 2)) @ MM_V[1].T, MM_V[0].T @ np.ones((3, 2))],
                     "Σ(AB) is bilinear: the gradients 1·Bᵀ and Aᵀ·1 change only with the other factor, so "
                     "H·(V_A, V_B) = (1·V_Bᵀ, V_Aᵀ·1)", v=MM_V)),
    point("zero-size inner dimension 2x0 @ 0x3", [np.zeros((2, 0)), np.zeros((0, 3))], [np.zeros((2, 0)), np.zeros((0, 3))],
          "the product is the 2x3 zero matrix whatever the (empty) factors: both gradients are empty arrays",
          second=_zero_hvp(np.zeros((2, 0)), np.zeros((0, 3)), why=EMPTY)),
    point("zero-size batch 0x2x3 @ 0x3x2", [np.zeros((0, 2, 3)), np.zeros((0, 3, 2))], [np.zeros((0, 2, 3)), np.zeros((0, 3, 2))],
          "no matrices in the batch: the product is 0x2x2 and both gradients are empty",
          second=_zero_hvp(np.zeros((0, 2, 3)), np.zeros((0, 3, 2)), why=EMPTY)),
])

N = "tf.linalg.matvec"
MV_V = (_t(2, 2), np.array([1.5, -0.5]))
MATVEC = op(N, tf.linalg.matvec, [
    Sample(tuple(draw(N, (3, 2), (2,), salt="a")), {}, "3x2 · 2"),
    Sample(tuple(draw(N, (3, 2), (3,), salt="b")), dict(transpose_a=True), "3x2ᵀ · 3 (transpose_a)"),
    Sample(tuple(draw(N, (2, 2, 3), (3,), salt="c")), dict(adjoint_a=False), "2x2x3 · 3 (vector broadcast over the batch)"),
], diff=(0, 1), points=[
    point("A=[[1,2],[3,4]], b=0", [[[1.0, 2.0], [3.0, 4.0]], [0.0, 0.0]], [np.zeros((2, 2)), [4.0, 6.0]],
          "∂Σ(Ab)/∂A = 1·bᵀ = 0, ∂/∂b = Aᵀ·1 = column sums of A",
          second=hvp([np.outer(np.ones(2), MV_V[1]), MV_V[0].T @ np.ones(2)],
                     "bilinear: H·(V_A, v_b) = (1·v_bᵀ, V_Aᵀ·1)", v=MV_V)),
])

N = "tf.tensordot"
TD_V = (np.array([0.5, -2.0]), np.array([1.0, 0.25, 3.0]))
TENSORDOT = op(N, tf.tensordot, [
    Sample(tuple(draw(N, (3, 4), (4, 2), salt="a")) + (1,), {}, "3x4 · 4x2, axes=1"),
    Sample(tuple(draw(N, (2, 3), (3, 2), salt="b")) + ([[0, 1], [1, 0]],), {}, "2x3 · 3x2, axes=[[0, 1], [1, 0]] (full contraction)"),
    Sample(tuple(draw(N, (3,), (2, 2), salt="c")) + (0,), {}, "3 ⊗ 2x2, axes=0 (outer product)"),
], diff=(0, 1), points=[
    point("outer product of [1,2] and [3,4,5]", [[1.0, 2.0], [3.0, 4.0, 5.0], 0], [[12.0, 12.0], [3.0, 3.0, 3.0]],
          "Σ_ij a_i b_j = (Σa)(Σb): ∂/∂a = Σb = 12, ∂/∂b = Σa = 3",
          second=hvp([np.full(2, TD_V[1].sum()), np.full(3, TD_V[0].sum())],
                     "(Σa)(Σb) is bilinear: H·(v_a, v_b) = (Σv_b·1, Σv_a·1) = (4.25·1, −1.5·1)", v=TD_V)),
])

N = "tf.linalg.det"
DET_V3, DET_V2 = _t(3, 3), _t(2, 2)
DET = op(N, tf.linalg.det, [
    Sample((_shifted(N, (2, 2), "a", 0.0),), {}, "2x2"),
    Sample((_shifted(N, (3, 3), "b", 2.0),), {}, "3x3"),
    Sample((_shifted(N, (2, 3, 3), "c", 2.0),), {}, "batch 2x3x3"),
], domain="all square matrices (samples with |det| bounded away from 0)",
    skips={"xla": "XLA cannot compile MatrixDeterminant (no XLA kernel)"}, points=[
    point("singular A=[[1,2,0],[2,4,0],[0,0,1]] (rank 2)", [DET_SINGULAR], [DET_SINGULAR_COFACTORS],
          "det is a polynomial: its gradient is the cofactor matrix (adj(A)ᵀ), nonzero at rank n−1", bug=DET_SINGULAR_BUG,
          second=hvp([(_cofactors(DET_SINGULAR + DET_V3) - _cofactors(DET_SINGULAR - DET_V3)) / 2],
                     "H·V = d/dt cof(A + tV) at t = 0; the 3x3 cofactors are 2x2 minors, quadratic in t "
                     "(cof(A + tV) = cof A + t·C₁ + t²·cof V), so C₁ = (cof(A + V) − cof(A − V))/2 exactly, "
                     "from minors, no inverse: finite at the singular A", v=[DET_V3]),
          third=hvp([2.0 * _cofactors(DET_V3)],
                    "det(A + tV) is a cubic with t³ coefficient det V for 3x3, so D³det is constant: D³det[W, V, V] = "
                    "2·⟨cof V, W⟩ (polarize c(U) = 6·det U), i.e. 2·cof V at every A", v=[DET_V3])),
    point("zero 2x2 matrix", [np.zeros((2, 2))], [np.zeros((2, 2))],
          "cofactors of [[a, b], [c, d]] are [[d, −c], [−b, a]]: 0 at the zero matrix", bug=DET_SINGULAR_BUG,
          second=hvp([_cofactors(DET_V2)], "the 2x2 cofactor map is linear: H·V = cof V = [[v₂₂, −v₂₁], [−v₁₂, v₁₁]]",
                     v=[DET_V2]),
          third=hvp([np.zeros((2, 2))], "the 2x2 det is quadratic: every third derivative is 0", v=[DET_V2])),
])

# the special points of one op share a kernel, so a point where the gradient raises (the singular matrices above) would
# fail every other point of the record: the zero-size shapes are a record of their own
N = "tf.linalg.det(zero-size)"
DET_EMPTY = op(N, tf.linalg.det, [
    Sample((np.zeros((0, 0)),), {}, "0x0"),
    Sample((np.zeros((0, 3, 3)),), {}, "zero-size batch 0x3x3"),
], domain="tf.linalg.det on zero-size shapes: the 0x0 matrix (det 1) and an empty batch",
    skips={"xla": "XLA cannot compile MatrixDeterminant (no XLA kernel)"}, points=[
    point("0x0 matrix", [np.zeros((0, 0))], [np.zeros((0, 0))],
          "det of the 0x0 matrix is 1 (the empty product) whatever the (no) entries: the gradient is the empty 0x0 array",
          second=_zero_hvp(np.zeros((0, 0)), why=EMPTY)),
    point("zero-size batch 0x2x2", [np.zeros((0, 2, 2))], [np.zeros((0, 2, 2))], "no matrices: det is empty, so is its gradient",
          second=_zero_hvp(np.zeros((0, 2, 2)), why=EMPTY)),
])

N = "tf.linalg.logdet"
SING = 2.0 ** -10
LD_NEAR = np.array([[1.0, 1.0], [1.0, 1.0 + SING]])
LD_P = np.array([[1025.0, -1024.0], [-1024.0, 1024.0]])  # LD_NEAR⁻¹, exact: det = 2⁻¹⁰
LD_V3, LD_V2 = _t(3, 3), _t(2, 2)
LD_S3, LD_S2 = 0.5 * (LD_V3 + LD_V3.T), 0.5 * (LD_V2 + LD_V2.T)
LOGDET_SECOND = ("f(A) = log det S, S = (A + Aᵀ)/2: d/dt log det(S + t·Vs) = tr(S⁻¹Vs) and d²/dt² = −tr(S⁻¹VsS⁻¹Vs), "
                 "Vs = (V + Vᵀ)/2, so H·V = sym(−S⁻¹VsS⁻¹) = −S⁻¹VsS⁻¹ (V non-symmetric: only its symmetric part acts)")
LOGDET_THIRD = ("d³/dt³ log det(S + t·Vs) = 2·tr((S⁻¹Vs)³); its gradient in A (through S = sym A) is 2·S⁻¹VsS⁻¹VsS⁻¹, "
                "already symmetric")
LOGDET = op(N, logdet_sym, [
    Sample((_spd(N, (2, 2), "a"),), {}, "2x2 SPD"),
    Sample((_spd(N, (2, 3, 3), "c"),), {}, "batch 2x3x3 SPD"),
], domain="symmetric positive definite A (called on 0.5·(A + Aᵀ): see the module docstring)", points=[
    point("A=I", [np.eye(3)], [np.eye(3)], "∂ log det A/∂A = A⁻ᵀ = I (symmetrized: sym(A⁻¹) = I)",
          second=hvp([-LD_S3], LOGDET_SECOND + ": −Vs at S = I", v=[LD_V3]),
          third=hvp([2.0 * LD_S3 @ LD_S3], LOGDET_THIRD + ": 2·Vs² at S = I", v=[LD_V3])),
    point("near singular A=[[1,1],[1,1+2⁻¹⁰]]", [LD_NEAR],
          [LD_P], "A⁻¹ = (1/det)·[[1+2⁻¹⁰, −1], [−1, 1]] with det = 2⁻¹⁰ (exact)",
          second=hvp([-LD_P @ LD_S2 @ LD_P], LOGDET_SECOND + ", with the exact S⁻¹ (entries ~10³, H·V ~10⁶)", v=[LD_V2]),
          third=hvp([2.0 * LD_P @ LD_S2 @ LD_P @ LD_S2 @ LD_P], LOGDET_THIRD + " (~10⁹ here: the power structure of "
                    "log near a singular matrix)", v=[LD_V2])),
    point("0x0 matrix", [np.zeros((0, 0))], [np.zeros((0, 0))], "log det of the 0x0 matrix is log 1 = 0: the gradient is the "
          "empty 0x0 array", second=_zero_hvp(np.zeros((0, 0)), why=EMPTY)),
    point("zero-size batch 0x2x2", [np.zeros((0, 2, 2))], [np.zeros((0, 2, 2))], "no matrices: the gradient is empty",
          second=_zero_hvp(np.zeros((0, 2, 2)), why=EMPTY)),
])

N = "tf.linalg.slogdet"
SL_V = _t(2, 2)
SL_PERM = np.array([[0.0, 1.0], [1.0, 0.0]])
SLOGDET_SECOND = ("log|det A| has gradient A⁻ᵀ and d(A⁻ᵀ) = −A⁻ᵀ·dAᵀ·A⁻ᵀ, so H·V = −(A⁻¹VA⁻¹)ᵀ; the sign output is "
                  "locally constant (H = 0)")
SLOGDET_THIRD = "d³/dt³ log|det(A + tV)| = 2·tr((A⁻¹V)³), whose gradient in A is 2·(A⁻¹VA⁻¹VA⁻¹)ᵀ"


def _slogdet_second(a, v):
    ai = np.linalg.inv(a)
    return -(ai @ v @ ai).T


def _slogdet_third(a, v):
    ai = np.linalg.inv(a)
    return 2.0 * (ai @ v @ ai @ v @ ai).T


SLOGDET = op(N, tf.linalg.slogdet, [
    Sample((_shifted(N, (2, 2), "a", 0.0),), {}, "2x2"),
    Sample((_shifted(N, (3, 3), "b", -2.5),), {}, "3x3 (det < 0 likely: shifted by −2.5·I)"),
    Sample((_shifted(N, (2, 3, 3), "c"),), {}, "batch 2x3x3"),
], domain="nonsingular square matrices (the sign output is locally constant)",
    skips={"xla": "XLA cannot compile LogMatrixDeterminant (no XLA kernel)"}, points=[
    point("A=I", [np.eye(2)], [np.eye(2)], "∂ log|det A|/∂A = A⁻ᵀ = I; the sign output has derivative 0",
          second=hvp([_slogdet_second(np.eye(2), SL_V)], SLOGDET_SECOND + ": −Vᵀ at I", v=[SL_V]),
          third=hvp([_slogdet_third(np.eye(2), SL_V)], SLOGDET_THIRD + ": 2·(V²)ᵀ at I", v=[SL_V])),
    point("A=diag(-1,2) (det < 0)", [np.diag([-1.0, 2.0])], [np.diag([-1.0, 0.5])], "A⁻ᵀ = diag(−1, 1/2)",
          second=hvp([_slogdet_second(np.diag([-1.0, 2.0]), SL_V)], SLOGDET_SECOND + " with A⁻¹ = diag(−1, 1/2)", v=[SL_V]),
          third=hvp([_slogdet_third(np.diag([-1.0, 2.0]), SL_V)], SLOGDET_THIRD, v=[SL_V])),
    point("A=[[0,1],[1,0]] (a permutation, det = −1)", [SL_PERM], [SL_PERM],
          "A⁻ᵀ = A for this symmetric orthogonal matrix",
          second=hvp([_slogdet_second(SL_PERM, SL_V)], SLOGDET_SECOND + " with A⁻¹ = A: −(A·V·A)ᵀ", v=[SL_V])),
    point("0x0 matrix", [np.zeros((0, 0))], [np.zeros((0, 0))], "sign 1 and log|det| 0 for the 0x0 matrix: the gradient is "
          "the empty 0x0 array", second=_zero_hvp(np.zeros((0, 0)), why=EMPTY)),
])

N = "tf.linalg.inv"
INV_V = _t(2, 2)
INV_SECOND = ("Σ(A + tV)⁻¹ = Σ_k (−t)^k·1ᵀ(A⁻¹V)^k·A⁻¹·1 (Neumann series): q(V) = 2·1ᵀA⁻¹VA⁻¹VA⁻¹·1, "
              "H·V by polarization = (A⁻¹VA⁻¹·1·1ᵀA⁻¹ + A⁻¹·1·1ᵀA⁻¹VA⁻¹)ᵀ")


def _inv_q(a, order=2):
    """q (order 2) or c (order 3) of Σ(A + tU)⁻¹, from the series of (A + tU)·X(t) = I."""
    return lambda u: float(np.sum(_series_solve([a, u[0]], [np.eye(len(a))], order)[order])) * (2.0 if order == 2 else 6.0)


def _inv_second(a, v):
    ai = np.linalg.inv(a)
    ones = np.ones_like(a)
    return (ai @ v @ ai @ ones @ ai + ai @ ones @ ai @ v @ ai).T


INV = op(N, tf.linalg.inv, [
    Sample((_shifted(N, (2, 2), "a"),), {}, "2x2"),
    Sample((_shifted(N, (3, 3), "b"),), dict(adjoint=True), "3x3, adjoint=True"),
    Sample((_shifted(N, (2, 2, 2), "c"),), {}, "batch 2x2x2"),
], domain="nonsingular square matrices", points=[
    point("A=I", [np.eye(2)], [-np.ones((2, 2))], "∂Σ A⁻¹/∂A = −A⁻ᵀ·1·1ᵀ·A⁻ᵀ = −1·1ᵀ at I",
          second=hvp([_inv_second(np.eye(2), INV_V)], INV_SECOND + ": (V·1·1ᵀ + 1·1ᵀ·V)ᵀ at I", v=[INV_V])),
    point("A=I, adjoint=True", [np.eye(2)], [-np.ones((2, 2))], "Σ A⁻ᴴ = Σ A⁻¹ for real A: the same −1·1ᵀ", adjoint=True,
          second=hvp([_inv_second(np.eye(2), INV_V)], "Σ A⁻ᴴ = Σ A⁻¹: the same H·V as without adjoint", v=[INV_V])),
    point("A=diag(2,-1)", [np.diag([2.0, -1.0])], [_inv_sum_grad(np.diag([2.0, -1.0]))], "−A⁻ᵀ·1·1ᵀ·A⁻ᵀ with A⁻ᵀ = diag(1/2, −1)",
          second=hvp([_inv_second(np.diag([2.0, -1.0]), INV_V)], INV_SECOND, v=[INV_V]),
          third=hvp(_d3(_inv_q(np.diag([2.0, -1.0]), 3), [INV_V]),
                    "c(U) = d³/dt³ Σ(A + tU)⁻¹ = −6·1ᵀ(A⁻¹U)³A⁻¹·1 (the t³ term of the Neumann series); D³[·, V, V] by "
                    "polarization of c", v=[INV_V])),
    point("0x0 matrix", [np.zeros((0, 0))], [np.zeros((0, 0))], "the inverse of the 0x0 matrix is 0x0: empty gradient",
          second=_zero_hvp(np.zeros((0, 0)), why=EMPTY)),
    point("zero-size batch 0x2x2", [np.zeros((0, 2, 2))], [np.zeros((0, 2, 2))], "no matrices: empty gradient",
          second=_zero_hvp(np.zeros((0, 2, 2)), why=EMPTY)),
])

N = "tf.linalg.solve"
B0 = np.array([[1.0, 2.0], [3.0, 4.0]])
SOLVE_V = (_t(2, 2), _t(2, 2, salt=5))
SOLVE_SECOND = ("X(t) = M(t)⁻¹·Y(t) with M = A + t·U_A (adjoint: Aᵀ + t·U_Aᵀ), Y = B + t·U_B; matching powers of t in "
                "M·X = Y: X₁ = A⁻¹(U_B − U_A·X₀), X₂ = −A⁻¹U_A·X₁, q(U) = 2·ΣX₂; H·V by polarization")


def _solve_q(a, b, adjoint=False, lower=None):
    def q(u):
        m, um = (a.T, u[0].T) if adjoint else (a, u[0])
        if lower:
            m, um = np.tril(m), np.tril(um)
        return 2.0 * float(np.sum(_series_solve([m, um], [b, u[1]])[2]))
    return q


SOLVE = op(N, tf.linalg.solve, [
    Sample((_shifted(N, (3, 3), "a"), _mat(N, (3, 2), "a")), {}, "3x3 \\ 3x2"),
    Sample((_shifted(N, (3, 3), "b"), _mat(N, (3, 1), "b")), dict(adjoint=True), "3x3ᴴ \\ 3x1 (adjoint=True)"),
    Sample((_shifted(N, (2, 2, 2), "c"), _mat(N, (2, 2, 1), "c")), {}, "batch 2x2x2 \\ 2x2x1"),
], diff=(0, 1), domain="A nonsingular; rhs any", points=[
    point("A=I, B=[[1,2],[3,4]]", [np.eye(2), B0], [-np.ones((2, 2)) @ B0.T, np.ones((2, 2))],
          "X = A⁻¹B: ∂ΣX/∂B = A⁻ᵀ·1 = 1, ∂/∂A = −A⁻ᵀ·1·Xᵀ = −1·Bᵀ at A = I",
          second=hvp(_hv(_solve_q(np.eye(2), B0), SOLVE_V), SOLVE_SECOND, v=SOLVE_V)),
    point("A=I, B=[[1,2],[3,4]], adjoint=True", [np.eye(2), B0], [-(B0 @ np.ones((2, 2))), np.ones((2, 2))],
          "X = A⁻ᵀB, dX = −A⁻ᵀ·dAᵀ·X: at A = I, ∂ΣX/∂A = −(X·1)·1ᵀ (row sums of B along each row); ∂/∂B = A⁻¹·1 = 1",
          adjoint=True, second=hvp(_hv(_solve_q(np.eye(2), B0, adjoint=True), SOLVE_V), SOLVE_SECOND, v=SOLVE_V)),
    point("0x0 system, rhs 0x2", [np.zeros((0, 0)), np.zeros((0, 2))], [np.zeros((0, 0)), np.zeros((0, 2))],
          "an empty system has the empty solution: both gradients are empty",
          second=_zero_hvp(np.zeros((0, 0)), np.zeros((0, 2)), why=EMPTY)),
    point("A=I 2x2, rhs with 0 columns", [np.eye(2), np.zeros((2, 0))], [np.zeros((2, 2)), np.zeros((2, 0))],
          "X is 2x0: ΣX = 0 for every A, so ∂/∂A is the 2x2 zero matrix (not empty); ∂/∂B is empty",
          second=_zero_hvp(np.eye(2), np.zeros((2, 0)), why="ΣX = 0 identically: H = 0")),
])

N = "tf.linalg.triangular_solve"
X0 = np.array([[1.0], [2.0], [3.0]])
TRS_V = (_t(3, 3), np.array([[0.5], [-1.0], [2.0]]))
TRIANGULAR_SOLVE = op(N, tf.linalg.triangular_solve, [
    Sample((_lower_tri(N, (3, 3), "a"), _mat(N, (3, 2), "a")), dict(lower=True), "3x3 lower \\ 3x2"),
    Sample((np.swapaxes(_lower_tri(N, (3, 3), "b"), -1, -2), _mat(N, (3, 1), "b")), dict(lower=False), "3x3 upper (lower=False)"),
    Sample((_lower_tri(N, (3, 3), "c"), _mat(N, (3, 2), "c")), dict(lower=True, adjoint=True), "3x3 lower, adjoint=True"),
    Sample((_lower_tri(N, (2, 2, 2), "d"), _mat(N, (2, 2, 1), "d")), dict(lower=True), "batch 2x2x2 lower"),
], diff=(0, 1), domain="triangle read has a nonzero diagonal; the other triangle is not read (gradient 0 there)", points=[
    point("A=I lower, b=[1,2,3]", [np.eye(3), X0], [np.tril(-np.ones((3, 1)) @ X0.T), np.ones((3, 1))],
          "X = A⁻¹b reads only the lower triangle: ∂ΣX/∂A = tril(−A⁻ᵀ·1·Xᵀ) = tril(−1·bᵀ), ∂/∂b = 1", lower=True,
          second=hvp(_hv(_solve_q(np.eye(3), X0, lower=True), TRS_V),
                     SOLVE_SECOND + ", with M = tril(A + t·U_A): the upper entries of U_A and of H·V are 0", v=TRS_V)),
    point("0x0 system, rhs 0x2", [np.zeros((0, 0)), np.zeros((0, 2))], [np.zeros((0, 0)), np.zeros((0, 2))],
          "an empty system: both gradients are empty", lower=True,
          second=_zero_hvp(np.zeros((0, 0)), np.zeros((0, 2)), why=EMPTY)),
    point("A=I 2x2, rhs with 0 columns", [np.eye(2), np.zeros((2, 0))], [np.zeros((2, 2)), np.zeros((2, 0))],
          "X is 2x0: ΣX = 0 for every A, so ∂/∂A is the 2x2 zero matrix; ∂/∂B is empty", lower=True,
          second=_zero_hvp(np.eye(2), np.zeros((2, 0)), why="ΣX = 0 identically: H = 0")),
])

N = "tf.linalg.cholesky"
CH_V3, CH_V2 = _t(3, 3), _t(2, 2)
CHOL_SECOND = ("L(t) = chol(S + t·Us), Us = (V + Vᵀ)/2: matching powers of t in L(t)L(t)ᵀ = S + t·Us gives "
               "L₁ = L·Φ(L⁻¹UsL⁻ᵀ), L₂ = −L·Φ(L⁻¹L₁L₁ᵀL⁻ᵀ) (Φ: lower triangle, diagonal halved); q(V) = 2·ΣL₂, "
               "H·V by polarization")


def _chol_q(s, order=2):
    return lambda u: float(np.sum(_cholesky_series(s, 0.5 * (u[0] + u[0].T), order)[order])) * (2.0 if order == 2 else 6.0)


CHOLESKY = op(N, cholesky_sym, [
    Sample((_spd(N, (2, 2), "a"),), {}, "2x2 SPD"),
    Sample((_spd(N, (3, 3), "b"),), {}, "3x3 SPD"),
    Sample((_spd(N, (2, 3, 3), "c"),), {}, "batch 2x3x3 SPD"),
], domain="symmetric positive definite A (called on 0.5·(A + Aᵀ): TensorFlow's gradient is the symmetrized one)", points=[
    point("A=I (3x3)", [np.eye(3)], [0.5 * np.ones((3, 3))],
          "for A = D diagonal, dL = Φ(dS)/√d_j (Φ halves the diagonal) with dS = sym(dA): ∂ΣL/∂A_rc = 1/(2√d_min(r,c)) = 1/2 at I",
          second=hvp(_hv(_chol_q(np.eye(3)), [CH_V3]), CHOL_SECOND, v=[CH_V3])),
    point("A=diag(4,1)", [np.diag([4.0, 1.0])], [[[0.25, 0.25], [0.25, 0.5]]], "1/(2√d_min(r,c)) with d = (4, 1)",
          second=hvp(_hv(_chol_q(np.diag([4.0, 1.0])), [CH_V2]), CHOL_SECOND, v=[CH_V2]),
          third=hvp(_d3(_chol_q(np.diag([4.0, 1.0]), 3), [CH_V2]),
                    "the t³ term: L₃ = −L·Φ(L⁻¹(L₁L₂ᵀ + L₂L₁ᵀ)L⁻ᵀ), c(V) = 6·ΣL₃; D³[·, V, V] by polarization "
                    "(the √-like power structure of the Cholesky factor)", v=[CH_V2])),
    point("0x0 matrix", [np.zeros((0, 0))], [np.zeros((0, 0))], "the Cholesky factor of the 0x0 matrix is 0x0: empty gradient",
          second=_zero_hvp(np.zeros((0, 0)), why=EMPTY)),
    point("zero-size batch 0x2x2", [np.zeros((0, 2, 2))], [np.zeros((0, 2, 2))], "no matrices: empty gradient",
          second=_zero_hvp(np.zeros((0, 2, 2)), why=EMPTY)),
])

N = "tf.linalg.cholesky_solve"
Y0 = np.array([1.0, 2.0])
CS_V = (_t(2, 2), np.array([[0.5], [-1.5]]))


def _chol_solve_q(low, b):
    def q(u):
        low_, ul = np.tril(low), np.tril(u[0])
        ms = [low_ @ low_.T, ul @ low_.T + low_ @ ul.T, ul @ ul.T]
        return 2.0 * float(np.sum(_series_solve(ms, [b, u[1]])[2]))
    return q


CHOLESKY_SOLVE = op(N, tf.linalg.cholesky_solve, [
    Sample((_lower_tri(N, (3, 3), "a"), _mat(N, (3, 2), "a")), {}, "L 3x3, rhs 3x2"),
    Sample((_lower_tri(N, (2, 2, 2), "b"), _mat(N, (2, 2, 1), "b")), {}, "batch L 2x2x2, rhs 2x2x1"),
], diff=(0, 1), domain="chol lower triangular with nonzero diagonal (upper triangle not read); rhs any", points=[
    point("L=I, rhs=[[1],[2]]", [np.eye(2), Y0[:, None]], [np.tril(-(Y0[:, None] + Y0[None, :])), np.ones((2, 1))],
          "X = (LLᵀ)⁻¹B; at L = I, dΣX = −1ᵀ(dL + dLᵀ)B·1 = −Σ dL_ij (y_i + y_j) over the lower triangle (y = B·1); ∂/∂B = 1",
          second=hvp(_hv(_chol_solve_q(np.eye(2), Y0[:, None]), CS_V),
                     "M(t) = (L + tU_L)(L + tU_L)ᵀ with U_L = tril(U): M₁ = U_L·Lᵀ + L·U_Lᵀ, M₂ = U_L·U_Lᵀ; X(t) = M(t)⁻¹(B + tU_B), "
                     "X₂ from M₀X₂ = −M₁X₁ − M₂X₀; q(U) = 2·ΣX₂, H·V by polarization", v=CS_V)),
    point("L=I 2x2, rhs with 0 columns", [np.eye(2), np.zeros((2, 0))], [np.zeros((2, 2)), np.zeros((2, 0))],
          "X is 2x0: ΣX = 0 for every L, so ∂/∂L is the 2x2 zero matrix; ∂/∂B is empty",
          second=_zero_hvp(np.eye(2), np.zeros((2, 0)), why="ΣX = 0 identically: H = 0")),
])

N = "tf.linalg.qr"
QR = op(N, tf.linalg.qr, [
    Sample((_mat(N, (3, 2), "a"),), {}, "3x2 (tall), full_matrices=False"),
    Sample((_mat(N, (2, 3), "c"),), {}, "2x3 (wide)"),
    Sample((_mat(N, (2, 2, 2), "d"),), dict(full_matrices=True), "batch 2x2x2, full_matrices=True (square)"),
], domain="full-rank A away from the Householder sign switches (a zero leading entry of a reflected column); "
          "full_matrices=True for m > n is left out: the extra columns of Q are not a function of A")

N = "tf.linalg.svd"
SVD_V3, SVD_V2 = _t(3, 3), _t(2, 2)


def _nuclear_second(d, v):
    """H·V of Σs = tr √(AᵀA) at a positive diagonal A = diag(d): (V_ab − V_ba)/(d_a + d_b)."""
    return (v - v.T) / (d[:, None] + d[None, :])


NUCLEAR_SECOND = ("Σs = tr √(AᵀA); at A = D + tV (D positive diagonal) AᵀA = D² + tE + t²VᵀV, E = DV + VᵀD, and the "
                  "second derivative of tr √M (Daleckii–Krein, divided differences of 1/(2√λ)) gives "
                  "q(V) = Σ_ka V_ka²/d_a − Σ_ab E_ab²/(2d_a·d_b(d_a + d_b)); polarized: (H·V)_ab = (V_ab − V_ba)/(d_a + d_b), "
                  "smooth at repeated singular values (only rotations curve the nuclear norm)")


def _svd_products_q(u):
    """d²/dt² at t = 0 of Σs + Σ A√(AᵀA) + Σ √(AAᵀ) + Σ √(AᵀA) at A = I + tV (the Taylor series of √(I + X))."""
    v = u[0]
    e, one = v + v.T, np.ones(len(v))
    nuclear = 0.5 * (np.sum(v * v) - np.trace(v @ v))
    return float(nuclear + one @ (v @ e + v.T @ v - e @ e / 4) @ one + one @ (v @ v.T - e @ e / 4) @ one
                 + one @ (v.T @ v - e @ e / 4) @ one)


SVD = op(N, svd_invariants, [
    Sample((_gapped(N, (2, 3, 3), _svals, "a"),), dict(compute_uv=False), "batch 2x3x3, compute_uv=False (singular values)"),
    Sample((_gapped(N, (3, 2), _svals, "b"),), {}, "3x2 (tall): s, U·diag(s²)·Vᵀ, U·diag(s)·Uᵀ, V·diag(s)·Vᵀ"),
    Sample((_gapped(N, (2, 3), _svals, "c"),), dict(full_matrices=True), "2x3 (wide), full_matrices=True: the same products"),
], domain="A with distinct nonzero singular values (samples ≥ 0.3 apart); U and V are checked through "
          "gauge-invariant products only (each pair u_i, v_i is defined up to a joint sign)", bugs=(SVD_XLA_PRECISION_BUG,), points=[
    point("A=I (3x3, repeated singular values), compute_uv=False", [np.eye(3)], [np.eye(3)],
          "Σ s = nuclear norm, differentiable at full rank with gradient U·Vᵀ = I", compute_uv=False,
          second=hvp([_nuclear_second(np.ones(3), SVD_V3)], NUCLEAR_SECOND + ": (V − Vᵀ)/2 at I", v=[SVD_V3],
                     bug=SVD_NUCLEAR_SECOND_BUG)),
    point("A=diag(2,1,1), compute_uv=False", [np.diag([2.0, 1.0, 1.0])], [np.eye(3)],
          "the nuclear norm's gradient U·Vᵀ is I for any positive diagonal A, repeated values or not", compute_uv=False,
          second=hvp([_nuclear_second(np.array([2.0, 1.0, 1.0]), SVD_V3)], NUCLEAR_SECOND, v=[SVD_V3],
                     bug=SVD_NUCLEAR_SECOND_BUG)),
    point("A=I (2x2, repeated singular values), gauge-invariant products", [np.eye(2)], [np.eye(2) + 4 * np.ones((2, 2))],
          "at A = I: Σs → U·Vᵀ = I; U·diag(s²)·Vᵀ = A·√(AᵀA) → dA + (dA + dAᵀ)/2 → 2·1·1ᵀ; √(AAᵀ), √(AᵀA) → 1·1ᵀ each",
          bug=SVD_REPEATED_BUG,
          second=hvp(_hv(_svd_products_q, [SVD_V2]),
                     "with √(I + X) = I + X/2 − X²/8 + …, E = V + Vᵀ: the t² terms are ¼(‖V‖² − tr V²) (Σs), "
                     "1ᵀ(VE/2 + VᵀV/2 − E²/8)1 (A√(AᵀA)), 1ᵀ(VVᵀ/2 − E²/8)1 (√(AAᵀ)), 1ᵀ(VᵀV/2 − E²/8)1 (√(AᵀA)); "
                     "q = 2·their sum, H·V by polarization", v=[SVD_V2])),
])

N = "tf.linalg.eigh"
EIGH_V3, EIGH_V2 = _t(3, 3), _t(2, 2)


def _eigh_q(u):
    """d²/dt² (tr S + 1ᵀS²1) along S → S + t·lower_sym(U): 2·1ᵀ·lower_sym(U)²·1 (tr S is linear)."""
    us = _lower_sym(u[0])
    return 2.0 * float(np.sum(us @ us))


EIGH_SECOND = ("Σe + Σ V·diag(e²)·Vᵀ = tr S + 1ᵀS²1 with S = lower_sym(A) (the lower triangle mirrored), a quadratic: "
               "q(U) = 2·1ᵀUs²1, Us = lower_sym(U), the same at every A; H·V by polarization (upper entries 0)")
EIGH = op(N, eigh_invariants, [
    Sample((_gapped(N, (3, 3), _eigs_lower, "a"),), {}, "3x3 (lower triangle read): e and V·diag(e²)·Vᵀ"),
    Sample((_gapped(N, (2, 2), _eigs_lower, "b"),), {}, "2x2"),
    Sample((_gapped(N, (2, 3, 3), _eigs_lower, "c"),), {}, "batch 2x3x3"),
], domain="A whose lower triangle defines a symmetric matrix S with distinct eigenvalues (samples ≥ 0.3 apart); "
          "eigenvectors are checked through V·diag(e²)·Vᵀ = S² only (each is defined up to sign)", points=[
    point("A=diag(1,2,3)", [np.diag([1.0, 2.0, 3.0])],
          [[[3.0, 0.0, 0.0], [6.0, 5.0, 0.0], [8.0, 10.0, 7.0]]],
          "Σe = tr S and Σ S² = 1ᵀS²1 with S = D: ∂/∂S_ij = d_i + d_j; the lower-triangle reading doubles the "
          "strict lower entries: diag 1 + 2d_i, lower 2(d_i + d_j), upper 0",
          second=hvp(_hv(_eigh_q, [EIGH_V3]), EIGH_SECOND, v=[EIGH_V3])),
    point("A=I (repeated eigenvalues)", [np.eye(2)], [[[3.0, 0.0], [4.0, 3.0]]],
          "Σe + Σ S² with S = I: diag 1 + 2, strict lower 2·(1 + 1), upper 0 (not read); S² is smooth at ties",
          bug=EIGH_REPEATED_BUG, second=hvp(_hv(_eigh_q, [EIGH_V2]), EIGH_SECOND, v=[EIGH_V2])),
])

N = "tf.linalg.eigvalsh"
EIGVALSH = op(N, tf.linalg.eigvalsh, [
    Sample((_gapped(N, (3, 3), _eigs_lower, "a"),), {}, "3x3 (lower triangle read)"),
    Sample((_gapped(N, (2, 3, 3), _eigs_lower, "b"),), {}, "batch 2x3x3"),
], domain="A whose lower triangle defines a symmetric matrix with distinct eigenvalues", points=[
    point("A=I (all eigenvalues equal)", [np.eye(3)], [np.eye(3)], "Σ eigenvalues = trace: gradient I at every A",
          second=hvp([np.zeros((3, 3))], "Σ eigenvalues = tr S is linear: H = 0, also where eigenvalues repeat", v=[_t(3, 3)])),
    point("A=0 (all eigenvalues 0)", [np.zeros((2, 2))], [np.eye(2)], "Σ eigenvalues = trace: gradient I",
          second=hvp([np.zeros((2, 2))], "Σ eigenvalues = tr S is linear: H = 0", v=[_t(2, 2)])),
])

N = "tf.linalg.eigvals"
EIGVALS = op(N, eigvals_parts, [
    Sample(tuple(draw(N, (3, 3), (3, 3), salt="a")), {}, "3x3 complex (re, im)"),
    Sample(tuple(draw(N, (2, 2, 2), (2, 2, 2), salt="b")), {}, "batch 2x2x2 complex"),
], diff=(0, 1), domain="complex A = re + i·im with distinct eigenvalues (outputs: real and imaginary parts)",
    skips={"xla": "XLA cannot compile Eig: no XLA kernel for the general eigendecomposition"}, points=[
    point("A=I (repeated eigenvalues)", [np.eye(2), np.zeros((2, 2))], [np.eye(2), np.eye(2)],
          "Σ Re λ + Σ Im λ = Re tr A + Im tr A: ∂/∂re = I, ∂/∂im = I",
          second=hvp([np.zeros((2, 2)), np.zeros((2, 2))], "Σλ = tr A is linear in (re, im): H = 0",
                     v=[_t(2, 2), _t(2, 2, salt=3)])),
])

N = "tf.linalg.eig"
EIG_V = (_t(2, 2), _t(2, 2, salt=3))


def _exp_q(lam, parts):
    """d²/dt² Σ(parts) expm(diag(lam) + t·U) by Daleckii–Krein (U = re + i·im when parts is (Re, Im))."""
    def q(u):
        z = u[0] + 1j * u[1] if len(u) == 2 else u[0]
        d2 = _dk2(np.exp, np.exp, np.exp, lam, z)
        return float(sum(np.sum(part(d2)) for part in parts))
    return q


EXP_SECOND = ("Daleckii–Krein at diagonal D: d²/dt² expm(D + tU)_ij = 2·Σ_k exp[λ_i, λ_k, λ_j]·U_ik·U_kj with the second "
              "divided differences of exp at (0, 1): exp[0,0,0] = ½, exp[0,0,1] = e − 2, exp[0,1,1] = 1, exp[1,1,1] = e/2; "
              "H·V by polarization")
EIG = op(N, eig_invariants, [
    Sample(tuple(0.5 * x for x in draw(N, (3, 3), (3, 3), salt="a")), {}, "3x3 complex: e and V·diag(exp e)·V⁻¹"),
    Sample(tuple(0.5 * x for x in draw(N, (2, 2, 2), (2, 2, 2), salt="b")), {}, "batch 2x2x2 complex"),
], diff=(0, 1), domain="complex A with distinct eigenvalues; eigenvectors checked through V·diag(exp e)·V⁻¹ = expm(A) "
                       "(each is defined up to a complex scale)",
    skips={"xla": "XLA cannot compile Eig: no XLA kernel for the general eigendecomposition"}, points=[
    point("A=diag(0,1)", [np.diag([0.0, 1.0]), np.zeros((2, 2))], [np.eye(2) + GAMMA_EXP, np.eye(2) + GAMMA_EXP],
          "Σ(Re + Im) e = (Re + Im) tr A → I for re and im; expm at diagonal A: dexpm = Γ∘dA (Daleckii–Krein, "
          "Γ_ij = (e^{a_i} − e^{a_j})/(a_i − a_j)) and expm(A + i·εE) = expm(A) + i·ε·Γ∘E, so Σ(Re + Im) expm → Γ for each",
          second=hvp(_hv(_exp_q([0.0, 1.0], (np.real, np.imag)), EIG_V),
                     "the eigenvalues' sum is linear (H = 0); expm(A) with A = re + i·im along U = U_re + i·U_im: " + EXP_SECOND
                     + ", of Σ(Re + Im)", v=EIG_V)),
])

N = "tf.linalg.logm"
LOGM_V = (_t(2, 2), _t(2, 2, salt=3))


def _logm_q(order):
    """d²/dt² (order 2) or d³/dt³ (order 3) of Σ(Re + Im) log(I + t·U): −U² and 2·U³ (log(I + X) = X − X²/2 + X³/3 − …)."""
    def q(u):
        z = u[0] + 1j * u[1]
        d = -z @ z if order == 2 else 2.0 * z @ z @ z
        return float(np.sum(d.real) + np.sum(d.imag))
    return q


LOGM = op(N, logm_parts, [
    Sample((_spd(N, (2, 2), "a"), 0.25 * _mat(N, (2, 2), "a")), {}, "2x2 complex near an SPD matrix"),
], diff=(0, 1), domain="complex A with no eigenvalue on the closed negative real axis", bugs=(LOGM_NO_GRADIENT,),
    skips={"xla": "XLA cannot compile MatrixLogarithm (no XLA kernel)"}, points=[
    point("A=I", [np.eye(2), np.zeros((2, 2))], [np.ones((2, 2)), np.ones((2, 2))],
          "log(I + dA) = dA + O(dA²): Σ(Re + Im) log → ∂/∂re = 1·1ᵀ, ∂/∂im = 1·1ᵀ",
          second=hvp(_hv(_logm_q(2), LOGM_V), "log(I + tU) = tU − t²U²/2 + t³U³/3 − …: q(U) = −Σ(Re + Im)U², "
                     "U = U_re + i·U_im; H·V by polarization", v=LOGM_V),
          third=hvp(_d3(_logm_q(3), LOGM_V), "c(U) = 2·Σ(Re + Im)U³ (the t³ term), polarized", v=LOGM_V)),
])

N = "tf.linalg.trace"
TRACE = op(N, tf.linalg.trace, [
    Sample((_mat(N, (3, 3), "a"),), {}, "3x3"),
    Sample((_mat(N, (2, 4), "b"),), {}, "2x4 (non-square)"),
    Sample((_mat(N, (2, 2, 3), "c"),), {}, "batch 2x2x3"),
], points=[
    point("2x3 zeros", [np.zeros((2, 3))], [np.eye(2, 3)], "∂ tr A/∂A = I (the main diagonal of a rectangle)",
          second=hvp([np.zeros((2, 3))], LINEAR, v=[_t(2, 3)])),
    point("0x0 matrix", [np.zeros((0, 0))], [np.zeros((0, 0))], "the trace of the 0x0 matrix is 0 (an empty sum): empty gradient",
          second=_zero_hvp(np.zeros((0, 0)), why=EMPTY)),
])

N = "tf.linalg.diag"
DIAG = op(N, tf.linalg.diag, [
    Sample((_mat(N, (3,), "a"),), {}, "3 → 3x3"),
    Sample((_mat(N, (2, 3), "b"),), {}, "batch 2x3 → 2x3x3"),
    Sample((_mat(N, (3,), "c"),), dict(k=1), "3 → 4x4, k=1"),
    Sample((_mat(N, (2, 3), "d"),), dict(k=(-1, 0), num_rows=3, num_cols=3, padding_value=0.5), "band k=(-1, 0), padding_value=0.5"),
], points=[
    point("zero-size diagonal", [np.zeros((0,))], [np.zeros((0,))], "an empty diagonal gives a 0x0 matrix: the gradient is empty",
          second=_zero_hvp(np.zeros((0,)), why=EMPTY)),
    point("k=(-1,0) with padding", [np.zeros((2, 3))], [[[1.0, 1.0, 1.0], [1.0, 1.0, 0.0]]],
          "each entry of the band appears once in the output; with the default align='RIGHT_LEFT' (documented) "
          "subdiagonals are left-aligned, so the last entry of the k = −1 row is padding and not used", k=(-1, 0), num_rows=3, num_cols=3,
          second=hvp([np.zeros((2, 3))], LINEAR + " (the padding value is a constant)", v=[_t(2, 3)])),
])

N = "tf.linalg.diag_part"
DIAG_PART = op(N, tf.linalg.diag_part, [
    Sample((_mat(N, (3, 3), "a"),), {}, "3x3"),
    Sample((_mat(N, (2, 4), "b"),), dict(k=1), "2x4, k=1"),
    Sample((_mat(N, (2, 3, 3), "c"),), dict(k=(-1, 1), padding_value=0.5), "batch 2x3x3, k=(-1, 1), padding_value=0.5"),
], points=[
    point("2x3, k=(-1,1)", [np.zeros((2, 3))], [[[1.0, 1.0, 0.0], [1.0, 1.0, 1.0]]],
          "Σ over the diagonals −1, 0, 1 counts each entry on them once: (0,0),(1,1),(0,1),(1,2),(1,0)", k=(-1, 1),
          second=hvp([np.zeros((2, 3))], LINEAR, v=[_t(2, 3)])),
])

N = "tf.linalg.set_diag"
SET_DIAG = op(N, tf.linalg.set_diag, [
    Sample((_mat(N, (3, 3), "a"), _mat(N, (3,), "a")), {}, "3x3 with 3"),
    Sample((_mat(N, (2, 2, 3), "b"), _mat(N, (2, 2), "b")), {}, "batch 2x2x3 with 2x2"),
    Sample((_mat(N, (3, 3), "c"), _mat(N, (2,), "c")), dict(k=1), "3x3 with 2, k=1"),
], diff=(0, 1), points=[
    point("3x3 zeros", [np.zeros((3, 3)), np.zeros(3)], [1 - np.eye(3), np.ones(3)],
          "the diagonal of the input is overwritten: ∂/∂input = 1 off the diagonal, 0 on it; ∂/∂diagonal = 1",
          second=hvp([np.zeros((3, 3)), np.zeros(3)], LINEAR, v=[_t(3, 3), np.array([1.0, -2.0, 0.5])])),
])

N = "tf.linalg.band_part"
BAND_PART = op(N, tf.linalg.band_part, [
    Sample((_mat(N, (3, 4), "a"), 1, 0), {}, "3x4, num_lower=1, num_upper=0"),
    Sample((_mat(N, (3, 3), "b"), 0, -1), {}, "3x3, num_lower=0, num_upper=-1 (upper triangle)"),
    Sample((_mat(N, (2, 3, 3), "c"), -1, 1), {}, "batch 2x3x3, num_lower=-1, num_upper=1"),
], points=[
    point("3x3, num_lower=1, num_upper=0", [np.zeros((3, 3)), 1, 0], [np.tril(np.triu(np.ones((3, 3)), -1))],
          "the band is copied and the rest zeroed: gradient 1 on the band (diagonal and first subdiagonal), 0 elsewhere",
          second=hvp([np.zeros((3, 3))], LINEAR, v=[_t(3, 3)])),
])

N = "tf.linalg.expm"
EXPM_V = _t(2, 2)
EXPM = op(N, tf.linalg.expm, [
    Sample((0.5 * _mat(N, (2, 2, 2), "a"),), {}, "batch 2x2x2, entries in [-1, 1] (Padé approximants alone)"),
    Sample((np.array([[1.5, 5.0], [-3.0, 0.5]]),), {},
           "[[1.5, 5], [-3, 0.5]] (1-norm 5.5 > 5.37: scaling and squaring in float64)"),
], bugs=(EXPM_XLA_BUG, EXPM_FORWARD_OVER_FORWARD_BUG), points=[
    point("A=diag(0,1)", [np.diag([0.0, 1.0])], [GAMMA_EXP],
          "Daleckii–Krein: at diagonal A, ∂Σ expm/∂A_ij = (e^{a_i} − e^{a_j})/(a_i − a_j) (e^{a_i} if equal)",
          second=hvp(_hv(_exp_q([0.0, 1.0], (np.real,)), [EXPM_V]), EXP_SECOND, v=[EXPM_V])),
])

N = "tf.linalg.sqrtm"
SQRTM_V = _t(2, 2)


def _sqrtm_q(order):
    """d²/dt² (order 2) or d³/dt³ (order 3) of Σ √(I + t·U): −ΣU²/4 and 3·ΣU³/8 (√(I + X) = I + X/2 − X²/8 + X³/16 − …)."""
    return lambda u: float(np.sum(-u[0] @ u[0] / 4.0 if order == 2 else 3.0 * u[0] @ u[0] @ u[0] / 8.0))


def _sqrt_dk_q(lam):
    return lambda u: float(np.sum(_dk2(np.sqrt, lambda x: 0.5 / np.sqrt(x), lambda x: -0.25 * x ** -1.5, lam, u[0])))


SQRTM = op(N, tf.linalg.sqrtm, [
    Sample((_spd(N, (2, 2), "a"),), {}, "2x2 SPD"),
    Sample((_shifted(N, (3, 3), "b", 4.0),), {}, "3x3 non-symmetric, eigenvalues in the right half-plane"),
    Sample((_spd(N, (2, 2, 2), "c"),), {}, "batch 2x2x2 SPD"),
], domain="A with no eigenvalue on the closed negative real axis (principal square root)",
    skips={"xla": "XLA cannot compile MatrixSquareRoot (no XLA kernel)"}, points=[
    point("A=I", [np.eye(2)], [0.5 * np.ones((2, 2))], "√(I + dA) = I + dA/2 + O(dA²)",
          second=hvp(_hv(_sqrtm_q(2), [SQRTM_V]), "√(I + tU) = I + tU/2 − t²U²/8 + t³U³/16 − …: q(U) = −ΣU²/4, "
                     "H·V by polarization = −(1·1ᵀVᵀ + Vᵀ·1·1ᵀ)/4", v=[SQRTM_V]),
          third=hvp(_d3(_sqrtm_q(3), [SQRTM_V]), "c(U) = 3·ΣU³/8 (the t³ term), polarized", v=[SQRTM_V])),
    point("A=diag(4,1)", [np.diag([4.0, 1.0])], [[[0.25, 1.0 / 3.0], [1.0 / 3.0, 0.5]]],
          "Daleckii–Krein: (√a_i − √a_j)/(a_i − a_j) = 1/(√a_i + √a_j)",
          second=hvp(_hv(_sqrt_dk_q([4.0, 1.0]), [SQRTM_V]),
                     "Daleckii–Krein: d²/dt² √(D + tU)_ij = 2·Σ_k √[λ_i, λ_k, λ_j]·U_ik·U_kj, second divided differences "
                     "of √ at (4, 1) (√[a,a,a] = −1/(8a^{3/2})); H·V by polarization", v=[SQRTM_V])),
])

N = "tf.linalg.lstsq"
LS_A = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
LS_B = np.array([[1.0], [2.0], [3.0]])
LS_WHY = ("x = (AᵀA)⁻¹Aᵀb, r = b − Ax = (0, 0, 3): dx = (AᵀA)⁻¹(dAᵀr − AᵀdA·x), so ∂Σx/∂A = r·1ᵀ − A·1·xᵀ, "
          "∂Σx/∂b = A(AᵀA)⁻¹·1")
LS_V = (_t(3, 2), np.array([[0.5], [-1.0], [2.0]]))


def _lstsq_q(u):
    """d²/dt² Σx(t), x(t) = G(t)⁻¹c(t) with G = (A + tU_A)ᵀ(A + tU_A), c = (A + tU_A)ᵀ(b + tU_b)."""
    a, b, ua, ub = LS_A, LS_B, u[0], u[1]
    ms = [a.T @ a, ua.T @ a + a.T @ ua, ua.T @ ua]
    ys = [a.T @ b, ua.T @ b + a.T @ ub, ua.T @ ub]
    return 2.0 * float(np.sum(_series_solve(ms, ys)[2]))


LS_SECOND = ("the normal equations G(t)·x(t) = c(t) with G = (A + tU_A)ᵀ(A + tU_A) = G₀ + tG₁ + t²G₂ and c = (A + tU_A)ᵀ(b + tU_b); "
             "matching powers of t: G₀x₂ = c₂ − G₁x₁ − G₂x₀; q(U) = 2·Σx₂, H·V by polarization")
LSTSQ = op(N, tf.linalg.lstsq, [
    Sample((_mat(N, (4, 2), "a"), _mat(N, (4, 1), "a")), {}, "4x2 (overdetermined), rhs 4x1"),
    Sample((_mat(N, (3, 2), "b"), _mat(N, (3, 2), "b")), dict(l2_regularizer=0.5), "3x2, rhs 3x2, l2_regularizer=0.5"),
    Sample((_mat(N, (2, 3), "c"), _mat(N, (2, 1), "c")), {}, "2x3 (underdetermined: minimum-norm solution)"),
    Sample((_mat(N, (2, 3, 2), "d"), _mat(N, (2, 3, 1), "d")), {}, "batch 2x3x2"),
], diff=(0, 1), domain="full-rank A (fast=True, the default; the gradient of fast=False is a point below)", points=[
    point("A=[[1,0],[0,1],[0,0]], b=[1,2,3]", [LS_A, LS_B], [[[-1.0, -2.0], [-1.0, -2.0], [3.0, 3.0]], [[1.0], [1.0], [0.0]]], LS_WHY,
          second=hvp(_hv(_lstsq_q, LS_V), LS_SECOND, v=LS_V)),
])

N = "tf.linalg.lstsq(fast=False)"
LSTSQ_SLOW = op(N, lstsq_slow, [
    Sample((_mat(N, (4, 2), "a"), _mat(N, (4, 1), "a")), {}, "4x2, rhs 4x1, fast=False"),
], diff=(0, 1), domain="full-rank A; fast=False solves by a complete orthogonal decomposition, a separate code path "
                       "whose gradient TensorFlow does not implement", bugs=(LSTSQ_SLOW_BUG,), points=[
    point("A=[[1,0],[0,1],[0,0]], b=[1,2,3]", [LS_A, LS_B], [[[-1.0, -2.0], [-1.0, -2.0], [3.0, 3.0]], [[1.0], [1.0], [0.0]]],
          LS_WHY + " (the solution does not depend on the algorithm)",
          second=hvp(_hv(_lstsq_q, LS_V), LS_SECOND + " (the same function as fast=True)", v=LS_V)),
])

N = "tf.linalg.pinv"
PINV_V = _t(2, 2)
PINV = op(N, tf.linalg.pinv, [
    Sample((_gapped(N, (3, 2), _svals, "a"),), {}, "3x2 (tall, full column rank)"),
    Sample((_gapped(N, (2, 2, 3), _svals, "b"),), {}, "batch 2x2x3 (wide)"),
], domain="A of full rank with distinct singular values (pinv is discontinuous where the rank changes)", points=[
    point("A=diag(2,1)", [np.diag([2.0, 1.0])], [_inv_sum_grad(np.diag([2.0, 1.0]))],
          "pinv = inv at a nonsingular square A: −A⁻ᵀ·1·1ᵀ·A⁻ᵀ",
          second=hvp([_inv_second(np.diag([2.0, 1.0]), PINV_V)], "pinv = inv on a neighbourhood: " + INV_SECOND, v=[PINV_V])),
    point("A=I (repeated singular values)", [np.eye(2)], [-np.ones((2, 2))],
          "pinv = inv near I: −A⁻ᵀ·1·1ᵀ·A⁻ᵀ = −1·1ᵀ", bug=PINV_IDENTITY_BUG,
          second=hvp([_inv_second(np.eye(2), PINV_V)], "pinv = inv near I: " + INV_SECOND + ": (V·1·1ᵀ + 1·1ᵀ·V)ᵀ",
                     v=[PINV_V])),
])

N = "tf.linalg.cross"
CROSS_V = (np.array([0.5, -1.0, 2.0]), np.array([1.5, 0.25, -0.75]))
CROSS_SECOND = hvp([np.cross(CROSS_V[1], np.ones(3)), np.cross(np.ones(3), CROSS_V[0])],
                   "Σ(a × b) = a·(b × 1) is bilinear: H·(v_a, v_b) = (v_b × 1, 1 × v_a)", v=CROSS_V)
CROSS = op(N, tf.linalg.cross, [
    Sample(tuple(draw(N, (3,), (3,), salt="a")), {}, "3 × 3"),
    Sample(tuple(draw(N, (2, 3), (2, 3), salt="b")), {}, "batch 2x3 × 2x3"),
], diff=(0, 1), points=[
    point("a=e1, b=e2", [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], [[1.0, 0.0, -1.0], [0.0, 1.0, -1.0]],
          "Σ(a × b) = a·(b × 1) = b·(1 × a): ∂/∂a = b × 1, ∂/∂b = 1 × a", second=CROSS_SECOND),
    point("parallel a=b=[1,2,3] (a × b = 0)", [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]], [[-1.0, 2.0, -1.0], [1.0, -2.0, 1.0]],
          "b × 1 = (2−3, 3−1, 1−2), 1 × a = (3−2, 1−3, 2−1)", second=CROSS_SECOND),
])

N = "tf.linalg.lu"
LU = op(N, lu_factor, [
    Sample((_shifted(N, (3, 3), "a"),), {}, "3x3"),
    Sample((_shifted(N, (2, 2, 2), "b"),), {}, "batch 2x2x2"),
], domain="nonsingular A away from pivot ties (partial pivoting locally constant)", bugs=(LU_NO_GRADIENT,),
   skips={"xla": "XLA cannot compile Lu (no XLA kernel)"})

N = "tf.linalg.lu_solve"
PERM3 = np.array([2, 0, 1], np.int32)
LUS_V = (_t(3, 3), np.array([[0.5], [-1.0], [2.0]]))


def _lu_parts(p, w):
    """L, U of the packed factors p and the t¹, t² coefficients of L(p + tW)·U(p + tW) (L = I + strict lower, U = upper)."""
    low, up = np.eye(len(p)) + np.tril(p, -1), np.triu(p)
    wl, wu = np.tril(w, -1), np.triu(w)
    return [low @ up, wl @ up + low @ wu, wl @ wu]


def _lu_solve_q(p, perm, b):
    return lambda u: 2.0 * float(np.sum(_series_solve(_lu_parts(p, u[0]), [b[perm], u[1][perm]])[2]))


LU_SOLVE_SECOND = ("x solves L·U·x = P·b; M(t) = L(p + tW)·U(p + tW) = M₀ + tM₁ + t²M₂ is bilinear in the packed "
                   "factors (M₁ = W_L·U + L·W_U, M₂ = W_L·W_U, W_L strict lower, W_U upper), y(t) = (b + tU_b)[perm]; "
                   "M₀x₂ = −M₁x₁ − M₂x₀, q = 2·Σx₂, H·V by polarization")
LU_SOLVE = op(N, tf.linalg.lu_solve, [
    Sample((_shifted(N, (3, 3), "a"), PERM3, _mat(N, (3, 2), "a")), {}, "packed LU 3x3, perm [2, 0, 1], rhs 3x2"),
    Sample((_shifted(N, (2, 2, 2), "b"), np.array([[1, 0], [0, 1]], np.int32), _mat(N, (2, 2, 1), "b")), {}, "batch 2x2x2"),
], diff=(0, 2), domain="packed factors with a nonzero diagonal of U; perm a permutation (not differentiable)", points=[
    point("LU=I, perm identity, rhs=[1,2,3]", [np.eye(3), np.array([0, 1, 2], np.int32), X0], [-np.ones((3, 1)) @ X0.T, np.ones((3, 1))],
          "A = L·U with L = I + strict lower, U = upper: at I, dA = d(packed); x = A⁻¹b → ∂Σx/∂packed = −1·xᵀ, ∂/∂b = 1",
          second=hvp(_hv(_lu_solve_q(np.eye(3), np.array([0, 1, 2]), X0), LUS_V), LU_SOLVE_SECOND, v=LUS_V)),
    point("LU=I, perm [2,0,1], rhs=[1,2,3]", [np.eye(3), PERM3, X0], [-np.ones((3, 1)) @ X0[PERM3].T, np.ones((3, 1))],
          "x = A⁻¹·(P b) = b[perm] = (3, 1, 2) at A = I: ∂Σx/∂packed = −1·xᵀ, ∂/∂b = Pᵀ·1 = 1",
          second=hvp(_hv(_lu_solve_q(np.eye(3), PERM3, X0), LUS_V), LU_SOLVE_SECOND, v=LUS_V)),
])

N = "tf.linalg.lu_reconstruct"
LUR_P, LUR_V = np.array([[2.0, 1.0], [3.0, 4.0]]), _t(2, 2)
LU_RECONSTRUCT = op(N, tf.linalg.lu_reconstruct, [
    Sample((_shifted(N, (3, 3), "a"), PERM3), {}, "packed LU 3x3, perm [2, 0, 1]"),
    Sample((_shifted(N, (2, 2, 2), "b"), np.array([[1, 0], [0, 1]], np.int32)), {}, "batch 2x2x2"),
], points=[
    point("packed [[2,1],[3,4]], perm identity", [LUR_P, np.array([0, 1], np.int32)], [[[4.0, 4.0], [3.0, 1.0]]],
          "L = [[1,0],[3,1]], U = [[2,1],[0,4]], Σ PᵀLU = 1ᵀL·U·1: ∂/∂L_ij = (U·1)_j, ∂/∂U_ij = (1ᵀL)_i",
          second=hvp(_hv(lambda u: 2.0 * float(np.sum(_lu_parts(LUR_P, u[0])[2])), [LUR_V]),
                     "Σ L(p)·U(p) is bilinear in the packed factors: its t² term along W is Σ W_L·W_U (W_L strict lower, "
                     "W_U upper), so q(W) = 2·Σ W_L·W_U, the same at every p; H·V by polarization", v=[LUR_V])),
])

N = "tf.linalg.lu_matrix_inverse"
LUI_V = _t(2, 2)
LU_MATRIX_INVERSE = op(N, tf.linalg.lu_matrix_inverse, [
    Sample((_shifted(N, (3, 3), "a"), PERM3), {}, "packed LU 3x3, perm [2, 0, 1]"),
    Sample((_shifted(N, (2, 2, 2), "b"), np.array([[1, 0], [0, 1]], np.int32)), {}, "batch 2x2x2"),
], domain="packed factors with a nonzero diagonal of U", points=[
    point("packed I, perm identity", [np.eye(2), np.array([0, 1], np.int32)], [-np.ones((2, 2))],
          "A = L·U with dA = d(packed) at I: ∂Σ A⁻¹ = −A⁻ᵀ·1·1ᵀ·A⁻ᵀ = −1·1ᵀ",
          second=hvp(_hv(lambda u: 2.0 * float(np.sum(_series_solve(_lu_parts(np.eye(2), u[0]), [np.ones((2, 1))])[2])), [LUI_V]),
                     "Σ A⁻¹ = 1ᵀ(LU)⁻¹·P·1 = 1ᵀ(LU)⁻¹·1 with M(t) = L·U along W bilinear (M₁ = W_L + W_U, M₂ = W_L·W_U at I): "
                     "x(t) = M(t)⁻¹·1, M₀x₂ = −M₁x₁ − M₂x₀, q = 2·Σx₂, H·V by polarization", v=[LUI_V])),
])

N = "tf.linalg.tridiagonal_solve"
TRI_ID = np.array([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0], [0.0, 0.0, 0.0]])
TRI_V = (_t(3, 3), np.array([[0.5], [-1.0], [2.0]]))


def _tridiagonal(d):
    """The matrix of compact diagonals [super; main; sub]: A[i, i+1] = d[0, i], A[i, i] = d[1, i], A[i, i−1] = d[2, i]."""
    n = d.shape[-1]
    return np.diag(d[1]) + np.diag(d[0, :n - 1], 1) + np.diag(d[2, 1:], -1)


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
          "A[i,i−1]: −y_{i−1}, padding 0",
          second=hvp(_hv(lambda u: 2.0 * float(np.sum(_series_solve([_tridiagonal(TRI_ID), _tridiagonal(u[0])], [X0, u[1]])[2])), TRI_V),
                     "A(t) = T(d + tW) is linear in the diagonals (T: the compact rows placed on the band, padding "
                     "dropped): x₁ = A⁻¹(U_b − T(W)x₀), x₂ = −A⁻¹T(W)x₁, q = 2·Σx₂, H·V by polarization (0 on the padding)",
                     v=TRI_V)),
])

N = "tf.linalg.tridiagonal_matmul"
TRI_M = np.array([[1.0, 2.0, 9.0], [3.0, 4.0, 5.0], [9.0, 6.0, 7.0]])
TRIDIAGONAL_MATMUL = op(N, tridiagonal_matmul, [
    Sample((_compact(N, (3, 4), "a"), _mat(N, (4, 2), "a")), {}, "compact 3x4, rhs 4x2"),
    Sample((_compact(N, (2, 3, 3), "b"), _mat(N, (2, 3, 1), "b")), dict(diagonals_format="sequence"),
           "batch 2x3x3, diagonals_format='sequence' (the three rows as a list)"),
    Sample((_mat(N, (3, 3), "c"), _mat(N, (3, 2), "c")), dict(diagonals_format="matrix"), "diagonals_format='matrix' 3x3"),
], diff=(0, 1), domain="all reals (entries outside the band and the compact padding are not read)", points=[
    point("compact [[1,2,9],[3,4,5],[9,6,7]] (9 = padding), rhs=1", [TRI_M, np.ones((3, 1))],
          [[[1.0, 1.0, 0.0], [1.0, 1.0, 1.0], [0.0, 1.0, 1.0]], [[9.0], [12.0], [7.0]]],
          "A = [[3,1,0],[6,4,2],[0,7,5]]: ∂Σ(Ax)/∂A_ij = x_j = 1 on the band, 0 on the padding; ∂/∂x = column sums of A",
          second=hvp(_hv(lambda u: 2.0 * float(np.sum(_tridiagonal(u[0]) @ u[1])), TRI_V),
                     "Σ T(d)·x is bilinear: q(W, U_x) = 2·Σ T(W)·U_x, H·V by polarization (0 on the padding)", v=TRI_V)),
])

N = "tf.linalg.banded_triangular_solve"
BANDED_B = np.array([[1.0, 1.0, 1.0], [9.0, 0.0, 0.0]])
BANDED_V = (_t(2, 3), np.array([[0.5], [-1.0], [2.0]]))


def _lower_banded(bands):
    """The lower-triangular matrix of bands (K, n): A[i, i−k] = bands[k, i] for i ≥ k (bands[k, :k] is padding)."""
    n = bands.shape[-1]
    a = np.zeros((n, n))
    for k in range(bands.shape[0]):
        for i in range(k, n):
            a[i, i - k] = bands[k, i]
    return a


BANDED = op(N, tf.linalg.banded_triangular_solve, [
    Sample((_bands(N, (2, 4), True, "a"), _mat(N, (4, 2), "a")), dict(lower=True), "2 bands x 4, lower, rhs 4x2"),
    Sample((_bands(N, (2, 4), False, "b"), _mat(N, (4, 1), "b")), dict(lower=False), "2 bands x 4, lower=False"),
    Sample((_bands(N, (3, 4), True, "c"), _mat(N, (4, 1), "c")), dict(lower=True, adjoint=True), "3 bands x 4, lower, adjoint=True"),
    Sample((_bands(N, (2, 2, 3), True, "d"), _mat(N, (2, 3, 1), "d")), dict(lower=True), "batch 2x2x3 bands"),
], diff=(0, 1), domain="bands with a nonzero diagonal; padding entries (left of subdiagonals, right of superdiagonals) not read",
    skips={"xla": "XLA cannot compile BandedTriangularSolve (no XLA kernel)"}, points=[
    point("lower, identity with padding 9, rhs=[1,2,3]", [BANDED_B, X0],
          [[[-1.0, -2.0, -3.0], [0.0, -1.0, -2.0]], np.ones((3, 1))],
          "A = I: x = b, dΣx = −Σ dA_ij x_j; bands[0, i] = A[i, i] → −x_i, bands[1, i] = A[i, i−1] → −x_{i−1} (i ≥ 1), "
          "bands[1, 0] is padding → 0", lower=True,
          second=hvp(_hv(lambda u: 2.0 * float(np.sum(_series_solve([_lower_banded(BANDED_B), _lower_banded(u[0])], [X0, u[1]])[2])),
                         BANDED_V),
                     "A(t) = B(bands + tW) is linear in the bands: x₁ = A⁻¹(U_b − B(W)x₀), x₂ = −A⁻¹B(W)x₁, q = 2·Σx₂, H·V "
                     "by polarization (0 on the padding)", v=BANDED_V)),
])

N = "tf.linalg.normalize"
NORM_X, NORM_V = np.array([3.0, 4.0]), np.array([1.0, -2.0])


def _normalize_hessian(x):
    """∇²(Σx/r + r), r = ‖x‖, s = Σx: −(1xᵀ + x1ᵀ)/r³ − s·I/r³ + 3s·xxᵀ/r⁵ + I/r − xxᵀ/r³."""
    r, s, one = np.linalg.norm(x), x.sum(), np.ones_like(x)
    eye, xx = np.eye(len(x)), np.outer(x, x)
    return -(np.outer(one, x) + np.outer(x, one)) / r**3 - s * eye / r**3 + 3 * s * xx / r**5 + eye / r - xx / r**3


NORMALIZE = op(N, tf.linalg.normalize, [
    Sample((_mat(N, (4,), "a"),), {}, "4, ord='euclidean'"),
    Sample((draw(N, (2, 3), domain=REAL, salt="b")[0] + 3.0,), dict(ord=1, axis=1), "2x3 (entries in [1, 5]), ord=1, axis=1"),
], domain="x ≠ 0 (ord=1: no zero entries); outputs are x/‖x‖ and ‖x‖", points=[
    point("x=[3,4]", [NORM_X], [[0.632, 0.776]],
          "∂Σ(x/‖x‖)/∂x = (1 − x̂·(x̂·1))/‖x‖ = ([1, 1] − 1.4·[0.6, 0.8])/5 = [0.032, −0.024], plus ∂‖x‖ = x̂ = [0.6, 0.8]",
          second=hvp([_normalize_hessian(NORM_X) @ NORM_V],
                     "∇(s/r) = 1/r − s·x/r³ and ∇r = x/r (r = ‖x‖, s = Σx) differentiate to −(1xᵀ + x1ᵀ)/r³ − s·I/r³ + "
                     "3s·xxᵀ/r⁵ and I/r − xxᵀ/r³", v=[NORM_V])),
])

N = "tf.linalg.adjoint"
ADJOINT = op(N, tf.linalg.adjoint, [
    Sample((_mat(N, (2, 3), "a"),), {}, "2x3"),
    Sample((_mat(N, (2, 2, 3), "b"),), {}, "batch 2x2x3"),
], domain="real matrices (the conjugate transpose is the transpose)", points=[
    point("2x3", [_mat(N, (2, 3), "p")], [np.ones((2, 3))], "a permutation of the entries: gradient 1",
          second=hvp([np.zeros((2, 3))], LINEAR, v=[_t(2, 3)])),
    point("zero-size 0x3", [np.zeros((0, 3))], [np.zeros((0, 3))], "the adjoint of a 0x3 matrix is 3x0: empty gradient",
          second=_zero_hvp(np.zeros((0, 3)), why=EMPTY)),
])

N = "tf.linalg.matrix_transpose"
MATRIX_TRANSPOSE = op(N, tf.linalg.matrix_transpose, [
    Sample((_mat(N, (2, 3), "a"),), {}, "2x3"),
    Sample((_mat(N, (2, 2, 3), "b"),), {}, "batch 2x2x3"),
], points=[
    point("2x3", [_mat(N, (2, 3), "p")], [np.ones((2, 3))], "a permutation of the entries: gradient 1",
          second=hvp([np.zeros((2, 3))], LINEAR, v=[_t(2, 3)])),
    point("zero-size batch 0x2x3", [np.zeros((0, 2, 3))], [np.zeros((0, 2, 3))], EMPTY,
          second=_zero_hvp(np.zeros((0, 2, 3)), why=EMPTY)),
])

N = "tf.linalg.l2_normalize"
L2_EPS = 1e-12  # the documented default epsilon: x / sqrt(max(Σx², epsilon))
L2N_V = np.array([1.0, -2.0, 0.5])
L2_NORMALIZE = op(N, tf.linalg.l2_normalize, [
    Sample((_mat(N, (4,), "a"),), {}, "4, axis=None"),
    Sample((_mat(N, (2, 3), "b"),), dict(axis=1), "2x3, axis=1"),
], domain="x with Σx² ≠ epsilon (1e-12; where Σx² < epsilon the output is x/√epsilon, linear)", points=[
    point("x=0 (Σx² < epsilon)", [np.zeros(3)], [np.full(3, 1.0 / np.sqrt(L2_EPS))],
          "x/√max(Σx², ε) = x/√ε on the whole ball Σx² < ε = 1e-12: gradient 1/√ε = 10⁶ per entry",
          second=hvp([np.zeros(3)], "linear (x/√ε) on a neighbourhood of 0: H = 0", v=[L2N_V])),
    point("x=[3,4]", [NORM_X], [[0.032, -0.024]],
          "∂Σ(x/‖x‖)/∂x = (1 − x̂·(x̂·1))/‖x‖ = ([1, 1] − 1.4·[0.6, 0.8])/5",
          second=hvp([(_normalize_hessian(NORM_X) - (np.eye(2) / 5.0 - np.outer(NORM_X, NORM_X) / 125.0)) @ NORM_V],
                     "∇(s/r) = 1/r − s·x/r³ (r = ‖x‖, s = Σx) differentiates to −(1xᵀ + x1ᵀ)/r³ − s·I/r³ + 3s·xxᵀ/r⁵",
                     v=[NORM_V])),
])

N = "tf.linalg.eigh_tridiagonal"
ET_ALPHA, ET_BETA = np.array([1.0, 2.0, 3.0]), np.array([0.5, 0.25])
EIGH_TRIDIAGONAL = op(N, lambda alpha, beta: tf.linalg.eigh_tridiagonal(alpha, beta), [
    Sample((_mat(N, (4,), "a"), _mat(N, (3,), "a")), {}, "alpha 4, beta 3"),
    Sample((_mat(N, (3,), "b"), _mat(N, (2,), "b") + 1.0), {}, "alpha 3, beta 2 in [-1, 3]"),
], diff=(0, 1), domain="symmetric tridiagonal matrices (diagonal alpha, off-diagonal beta ≠ 0: distinct eigenvalues); "
                       "eigenvalues only (eigvals_only=True, the default)", bugs=(EIGH_TRIDIAGONAL_BUG,), points=[
    point("alpha=[1,2,3], beta=[0.5,0.25]", [ET_ALPHA, ET_BETA], [np.ones(3), np.zeros(2)],
          "Σ eigenvalues = trace = Σalpha: ∂/∂alpha = 1, ∂/∂beta = 0", bug=EIGH_TRIDIAGONAL_BUG,
          second=hvp([np.zeros(3), np.zeros(2)], "Σ eigenvalues = Σalpha is linear: H = 0",
                     v=[np.array([1.0, -0.5, 2.0]), np.array([0.25, -1.0])])),
])

# workarounds check forward mode in tf.function and XLA on the first sample (see _representative_first)
EIGH_TRIDIAGONAL, EXPM, SVD, LU = (_representative_first(e) for e in (EIGH_TRIDIAGONAL, EXPM, SVD, LU))

OPS = [
    MATMUL, MATVEC, TENSORDOT, DET, DET_EMPTY, LOGDET, SLOGDET, INV, SOLVE, TRIANGULAR_SOLVE, CHOLESKY, CHOLESKY_SOLVE, QR,
    SVD, EIGH, EIGVALSH, EIGVALS, EIG, LOGM, TRACE, DIAG, DIAG_PART, SET_DIAG, BAND_PART, EXPM, SQRTM, LSTSQ, LSTSQ_SLOW,
    PINV, CROSS, LU, LU_SOLVE, LU_RECONSTRUCT, LU_MATRIX_INVERSE, TRIDIAGONAL_SOLVE, TRIDIAGONAL_MATMUL, BANDED, NORMALIZE,
    ADJOINT, MATRIX_TRANSPOSE, L2_NORMALIZE, EIGH_TRIDIAGONAL,
]
