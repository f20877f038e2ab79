"""Oracles that never use the tape: float64 numpy closed forms, float64 central differences and the
adjoint identity between forward and reverse mode. Every chapter checks TensorFlow against these.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from spec.tolerances import Tol

EPS64 = np.finfo(np.float64).eps


def f64(value) -> np.ndarray:
    """A TensorFlow tensor, variable, IndexedSlices-free value or Python number as float64 numpy."""
    if hasattr(value, "numpy"):
        value = value.numpy()
    return np.asarray(value, dtype=np.float64)


# ----------------------------------------------------------------------------- closed forms (float64)
def sigmoid(x):
    x = np.asarray(x, dtype=np.float64)
    return 1.0 / (1.0 + np.exp(-x))


def sigmoid_prime(x):
    s = sigmoid(x)
    return s * (1.0 - s)


def linear_mean_square_grads(x, w, b):
    """For loss = mean((x @ w + b)^2) over all n entries of y: dL/dW = x^T (2y/n), dL/db = sum_rows(2y/n)."""
    x, w, b = f64(x), f64(w), f64(b)
    y = x @ w + b
    dy = 2.0 * y / y.size
    return x.T @ dy, dy.sum(axis=0)


def dense_relu_mean_square_grads(x, kernel, bias):
    """The same loss through relu(x @ kernel + bias): the upstream 2y/n is masked where the pre-activation <= 0."""
    x, kernel, bias = f64(x), f64(kernel), f64(bias)
    z = x @ kernel + bias
    y = np.maximum(z, 0.0)
    dz = (2.0 * y / y.size) * (z > 0)
    return x.T @ dz, dz.sum(axis=0)


# ------------------------------------------------------------------------ finite differences (float64)
def _step(x: np.ndarray) -> np.ndarray:
    # h = eps^(1/3) * max(1, |x|) balances truncation (h^2) against rounding (eps/h) for central differences.
    return np.cbrt(EPS64) * np.maximum(1.0, np.abs(x))


def jacobian_fd(f: Callable[[np.ndarray], np.ndarray], x) -> np.ndarray:
    """d f / d x by float64 central differences; the result has shape f(x).shape + x.shape."""
    x = f64(x)
    fx = np.asarray(f(x.copy()), dtype=np.float64)
    jac = np.empty(fx.shape + x.shape, dtype=np.float64)
    h = _step(x)
    for idx in np.ndindex(*x.shape) if x.shape else [()]:
        xp, xm = x.copy(), x.copy()
        xp[idx] += h[idx]
        xm[idx] -= h[idx]
        step = xp[idx] - xm[idx]  # the step actually taken after rounding
        column = (np.asarray(f(xp), np.float64) - np.asarray(f(xm), np.float64)) / step
        jac[(Ellipsis,) + tuple(idx)] = column
    return jac


def gradient_fd(f: Callable[[np.ndarray], float], x) -> np.ndarray:
    """The gradient of a scalar function by float64 central differences (shape of x)."""
    return jacobian_fd(f, x).reshape(f64(x).shape)


def derivative_fd(f: Callable[[np.ndarray], np.ndarray], xs) -> np.ndarray:
    """The elementwise derivative f'(x) of an elementwise f at every point of xs, by central differences."""
    xs = f64(xs)
    h = _step(xs)
    return (np.asarray(f(xs + h), np.float64) - np.asarray(f(xs - h), np.float64)) / ((xs + h) - (xs - h))


def hessian_fd(f: Callable[[np.ndarray], float], x) -> np.ndarray:
    """The Hessian of a scalar function: central differences of its float64 FD gradient (shape x.shape*2)."""
    x = f64(x)
    return jacobian_fd(lambda y: gradient_fd(f, y), x)


# -------------------------------------------------------------------------------- adjoint identity
def adjoint_pair(jvp: Callable, vjp: Callable, u, v) -> tuple[float, float]:
    """(<u, J v>, <J^T u, v>) for a forward-mode product jvp(v) = J v and a reverse-mode vjp(u) = J^T u.

    The two are equal for the true Jacobian J; computing one with forward mode and the other with the
    tape checks each against the other without trusting either.
    """
    u, v = f64(u), f64(v)
    return float(np.vdot(u, f64(jvp(v)))), float(np.vdot(f64(vjp(u)), v))


def assert_adjoint(jvp: Callable, vjp: Callable, u, v, tol: Tol) -> None:
    lhs, rhs = adjoint_pair(jvp, vjp, u, v)
    scale = np.abs(f64(u)).sum() * np.abs(f64(v)).sum()  # a bound on the terms summed
    assert abs(lhs - rhs) <= tol.atol + tol.rtol * max(abs(lhs), abs(rhs), scale * EPS64), (
        f"adjoint identity broken: <u, Jv> = {lhs!r} but <J^T u, v> = {rhs!r} ({tol.why})"
    )


# ----------------------------------------------------------------------------------- comparisons
def _show(a: np.ndarray) -> str:
    """A value on one line, short enough for a failure message's first line."""
    text = " ".join(np.array2string(a, precision=8, threshold=12, edgeitems=3, max_line_width=10_000).split())
    return text if len(text) <= 300 else f"{text[:300]}… (shape {a.shape})"


def _mismatch(what: str, actual: np.ndarray, expected: np.ndarray, tol: Tol, detail: str) -> AssertionError:
    """A failure whose first line names the expected value, the actual value, the oracle and the tolerance
    (the first line is what pytest's summary and SPEC.md show); NumPy's own report follows."""
    return AssertionError(
        f"{what}: expected {_show(expected)} (oracle), actual {_show(actual)} (TensorFlow); "
        f"tolerance rtol={tol.rtol:g}, atol={tol.atol:g} ({tol.why})\n{detail.strip()}"
    )


def assert_close(actual, expected, tol: Tol, what: str = "value") -> None:
    """actual (TensorFlow) == expected (oracle) within `tol`; shapes must match exactly."""
    actual, expected = f64(actual), f64(expected)
    assert actual.shape == expected.shape, (
        f"{what}: expected shape {expected.shape} (oracle), actual shape {actual.shape} (TensorFlow)")
    try:
        np.testing.assert_allclose(
            actual, expected, rtol=tol.rtol, atol=tol.atol, err_msg=f"{what} vs oracle ({tol.why})"
        )
    except AssertionError as err:
        raise _mismatch(what, actual, expected, tol, str(err)) from None


def is_close(actual, expected, rtol: float, atol: float) -> bool:
    return bool(np.allclose(f64(actual), f64(expected), rtol=rtol, atol=atol))


def assert_bracketed(actual, expected, tol: Tol, what: str = "value") -> None:
    """Passes at `tol` and fails at `tol`/10: the tolerance is as tight as the claim, not just loose enough."""
    assert_close(actual, expected, tol, what)
    assert not is_close(actual, expected, tol.rtol / 10, tol.atol / 10), (
        f"{what} agrees with the oracle even at a tenth of the tolerance: the tolerance no longer "
        f"describes the error ({tol.why})"
    )


# --- chapters 01-06 (gradients, watching, persistent tapes, targets, control flow, None gradients)
def assert_structure_close(actual, expected, tol: Tol, what: str = "gradient") -> None:
    """`actual` has exactly the nesting of `expected` (list vs tuple, dict keys, None where expected
    is None) and every leaf equals the float64 oracle leaf within `tol`."""
    if expected is None:
        assert actual is None, f"{what}: expected None, got {actual!r}"
    elif isinstance(expected, dict):
        assert type(actual) is dict, f"{what}: expected a dict, got {type(actual).__name__}"
        assert set(actual) == set(expected), f"{what}: keys {sorted(actual)} != {sorted(expected)}"
        for key in expected:
            assert_structure_close(actual[key], expected[key], tol, f"{what}[{key!r}]")
    elif isinstance(expected, (list, tuple)):
        assert type(actual) is type(expected), (
            f"{what}: expected a {type(expected).__name__}, got {type(actual).__name__}"
        )
        assert len(actual) == len(expected), f"{what}: {len(actual)} items != {len(expected)}"
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_structure_close(a, e, tol, f"{what}[{i}]")
    else:
        assert actual is not None, f"{what}: expected {expected!r}, got None"
        assert_close(actual, expected, tol, what)


# --- chapters 08, 12-14 (custom gradients, numerics, Keras, gradient checking)
def assert_close_nonfinite(actual, expected, tol: Tol, what: str = "value") -> None:
    """Like assert_close, but NaN, +inf and -inf in `expected` must appear at exactly the same places in
    `actual` (checked with np.isnan / np.isposinf / np.isneginf); the finite entries must agree within `tol`."""
    actual, expected = f64(actual), f64(expected)
    assert actual.shape == expected.shape, (
        f"{what}: expected shape {expected.shape} (oracle), actual shape {actual.shape} (TensorFlow)")
    try:
        for kind, test in (("NaN", np.isnan), ("+inf", np.isposinf), ("-inf", np.isneginf)):
            np.testing.assert_array_equal(test(actual), test(expected), err_msg=f"{what}: where the {kind}s are")
        finite = np.isfinite(expected)
        np.testing.assert_allclose(actual[finite], expected[finite], rtol=tol.rtol, atol=tol.atol,
                                   err_msg=f"{what} vs oracle ({tol.why})")
    except AssertionError as err:
        raise _mismatch(what, actual, expected, tol, str(err)) from None


def one_sided_derivatives(f: Callable[[np.ndarray], np.ndarray], x: float) -> tuple[float, float]:
    """(left, right) one-sided float64 difference quotients of a scalar f at x: at a kink every
    subgradient lies between them."""
    h = np.cbrt(EPS64) * max(1.0, abs(x))
    fx = float(f(np.float64(x)))
    return (fx - float(f(np.float64(x - h)))) / h, (float(f(np.float64(x + h))) - fx) / h


# --- chapters 15-17 (modes, devices, distribution)
def linear_mean_squared_error_grads(x, t, w, b):
    """For loss = mean over the n rows of sum_j (x @ w + b - t)_ij^2 (per-example squared error, averaged over
    the batch): dL/dW = x^T (2r/n) and dL/db = sum_rows(2r/n), with the residual r = x @ w + b - t."""
    x, t, w, b = f64(x), f64(t), f64(w), f64(b)
    r = x @ w + b - t
    dr = 2.0 * r / len(x)
    return x.T @ dr, dr.sum(axis=0)


def matmul_half_square_grad(a, b):
    """For loss = ½‖a @ b‖² (Frobenius): dL/da = (a @ b) @ bᵀ."""
    a, b = f64(a), f64(b)
    return (a @ b) @ b.T


# --- chapters 07, 09-11
def relu_mlp_mean_square_grad_and_hessian_wrt_w1(x, w1, b1, w2, b2):
    """loss = mean(relu(relu(x@w1 + b1) @ w2 + b2)²): gradient (shape w1) and Hessian (w1.shape * 2) in w1.

    With the ReLU masks m1, m2 fixed (true away from kinks), y is linear in w1 with
    dy[i,k]/dw1[a,j] = m2[i,k]·m1[i,j]·x[i,a]·w2[j,k], so dL = (2/n) Σ y·dy and H = (2/n) Σ dy ⊗ dy.
    """
    x, w1, b1, w2, b2 = f64(x), f64(w1), f64(b1), f64(w2), f64(b2)
    z1 = x @ w1 + b1
    z2 = np.maximum(z1, 0.0) @ w2 + b2
    y = np.maximum(z2, 0.0)
    dy = np.einsum("ik,ij,ia,jk->ikaj", z2 > 0, z1 > 0, x, w2)  # (batch, out, *w1.shape)
    grad = 2.0 / y.size * np.einsum("ik,ikaj->aj", y, dy)
    hess = 2.0 / y.size * np.einsum("ikaj,ikbl->ajbl", dy, dy)
    return grad, hess


# --- op atlas (spec/test_20_op_atlas.py): directional derivatives of any float64 function of several arrays
def directional_derivative_fd(f: Callable[[list], list], xs, vs) -> list[np.ndarray]:
    """d/dt f(xs + t·vs) at t = 0, for f taking a list of float64 arrays and returning a list of them.

    Richardson-extrapolated central differences, (4·D(h) − D(2h)) / 3 with D(h) = (f(x+hv) − f(x−hv)) / 2h:
    the error is O(h⁴) truncation plus eps/h rounding, balanced at h = eps^(1/5)·max(1, |x|∞) ≈ 7e-4, which
    leaves about 1e-12 of the value; the points x ± 2h·v stay well inside any sample domain's 0.1 margin.
    """
    xs, vs = [f64(x) for x in xs], [f64(v) for v in vs]
    scale = max([1.0] + [float(np.abs(x).max()) for x in xs if x.size])
    vmax = max([1.0] + [float(np.abs(v).max()) for v in vs if v.size])
    h = EPS64 ** 0.2 * scale / vmax

    def central(step):
        plus = f([x + step * v for x, v in zip(xs, vs)])
        minus = f([x - step * v for x, v in zip(xs, vs)])
        return [(f64(p) - f64(m)) / (2 * step) for p, m in zip(plus, minus)]

    return [(4 * d1 - d2) / 3 for d1, d2 in zip(central(h), central(2 * h))]


def scalar_agreement(actual: float, expected: float, tol: Tol, scale: float = 0.0) -> tuple[bool, float]:
    """(|actual − expected| ≤ tol.atol·(1 + scale) + tol.rtol·max(|actual|, |expected|), that bound).

    `scale` is an oracle-side magnitude (|φ(x)| for a directional derivative of φ) that sizes the absolute
    part of the bound: differences cancel the leading digits of φ, not of the derivative.
    """
    bound = tol.atol * (1.0 + abs(scale)) + tol.rtol * max(abs(actual), abs(expected))
    # an infinite scale or oracle (outputs near the largest float summed to inf) would accept any value: it fails
    return bool(np.isfinite(actual) and np.isfinite(bound) and abs(actual - expected) <= bound), bound
