"""Float64 NumPy closed forms for the benchmark workloads: every benchmark body checks its last result here.

They never use the tape. The checks are cheap (a few float64 matmuls) so a benchmark of a wrong
computation fails without slowing the measured run. Inputs are converted with `oracle.f64`.
"""
from __future__ import annotations

import numpy as np

from spec.oracle import f64


# ------------------------------------------------------------------ sin chain: y = sin(sin(...sin(x)))
def sin_chain(x, n_ops: int) -> np.ndarray:
    y = f64(x)
    for _ in range(n_ops):
        y = np.sin(y)
    return y


def sin_chain_grad_of_sum(x, n_ops: int) -> np.ndarray:
    """d/dx sum(sin^n(x)) = prod_k cos(y_k), y_0 = x, y_{k+1} = sin(y_k) (elementwise chain rule)."""
    y, grad = f64(x), np.ones_like(f64(x))
    for _ in range(n_ops):
        grad = grad * np.cos(y)
        y = np.sin(y)
    return grad


# --------------------------------------------- two-layer ReLU MLP: y = relu(x w1 + b1) w2 + b2
def mlp_forward(x, w1, b1, w2, b2):
    x, w1, b1, w2, b2 = map(f64, (x, w1, b1, w2, b2))
    z = x @ w1 + b1
    h = np.maximum(z, 0.0)
    return z, h, h @ w2 + b2


def mlp_mean_square(x, w1, b1, w2, b2) -> float:
    return float(np.mean(mlp_forward(x, w1, b1, w2, b2)[2] ** 2))


def mlp_grads(x, w1, b1, w2, b2, target: str = "mean_square"):
    """Gradients (dw1, db1, dw2, db2) of mean(y²) (target "mean_square") or mean(y) (target "mean")."""
    z, h, y = mlp_forward(x, w1, b1, w2, b2)
    dy = 2.0 * y / y.size if target == "mean_square" else np.full_like(y, 1.0 / y.size)
    dh = dy @ f64(w2).T
    dz = dh * (z > 0)
    return f64(x).T @ dz, dz.sum(axis=0), h.T @ dy, dy.sum(axis=0)


# ------------------------------------- one tanh layer with a fixed readout: f(w) = sum(c * tanh(x w))
def tanh_layer_value(x, w, c) -> float:
    return float(np.sum(f64(c) * np.tanh(f64(x) @ f64(w))))


def tanh_layer_grad(x, w, c) -> np.ndarray:
    t = np.tanh(f64(x) @ f64(w))
    return f64(x).T @ (f64(c) * (1.0 - t * t))


def tanh_layer_hvp(x, w, c, v) -> np.ndarray:
    """H v for f(w) = sum(c * tanh(x w)): x^T (c * tanh''(xw) * (x v)), tanh'' = -2 t (1 - t²)."""
    x = f64(x)
    t = np.tanh(x @ f64(w))
    return x.T @ (f64(c) * (-2.0 * t * (1.0 - t * t)) * (x @ f64(v)))


# --------------------------------------------------- Jacobian of y = tanh(x w), x in R^n, y in R^m
def tanh_map_jacobian(x, w) -> np.ndarray:
    """dy/dx for y = tanh(x @ w) with x of shape (n,): (1 - y²)[:, None] * w^T, shape (m, n)."""
    y = np.tanh(f64(x) @ f64(w))
    return (1.0 - y * y)[:, None] * f64(w).T


def tanh_map_batch_jacobian(x, w) -> np.ndarray:
    """dy[b]/dx[b] for y = tanh(x @ w) with x of shape (B, n): shape (B, m, n)."""
    y = np.tanh(f64(x) @ f64(w))
    return (1.0 - y * y)[:, :, None] * f64(w).T[None, :, :]


# ------------------------------------------------- chain of k small matmuls h_{i+1} = h_i q
def matmul_chain_grad_of_sum(x, q, k: int) -> np.ndarray:
    """d/dx sum(x q^k) = ones @ (q^k)^T."""
    qk = np.linalg.matrix_power(f64(q), k)
    return np.ones_like(f64(x)) @ qk.T
