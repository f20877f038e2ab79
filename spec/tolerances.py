"""Every tolerance the suite uses, each with the reason for its number.

A test names its tolerance (`TOL.F32_FEW_OPS`), never a bare number. Where the size of an error is
itself the claim, the test brackets it with `oracle.assert_bracketed`: it passes at the tolerance
and must fail at a tenth of it.
"""
from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Tol:
    rtol: float
    atol: float
    why: str


class TOL:
    EXACT = Tol(0.0, 0.0, "small integers and powers of two are represented and computed exactly in float32")
    F32_FEW_OPS = Tol(
        1e-6, 1e-7,
        "a float32 result of a few elementwise ops: each rounds by at most 2^-24 (6e-8) relative, so a "
        "handful of them stay within 1e-6; atol 1e-7 covers results near zero",
    )
    F32_REDUCTION = Tol(
        1e-5, 1e-6,
        "float32 matmuls, reductions, exp/log/softmax chains: error grows with the number of summands "
        "(about sqrt(n)*2^-24 for the small n used here) and with transcendental kernels' 1-2 ulp",
    )
    F32_FD = Tol(
        1e-4, 1e-5,
        "float32 tape result vs float64 central differences of the same function: the oracle is exact to "
        "~1e-10, the tape result to float32 rounding amplified by condition numbers up to ~100",
    )
    F64 = Tol(1e-12, 1e-14, "float64 computations of a few ops: 2^-53 (1.1e-16) per op, generous margin")
    FD_SELF = Tol(
        1e-7, 1e-9,
        "float64 central differences vs a closed form: truncation h^2*f'''/6 with h=eps^(1/3)*max(1,|x|) "
        "plus rounding eps/h, about 1e-10 relative; 1e-7 leaves room for third derivatives near 1e3",
    )
    ADJOINT_F32 = Tol(
        1e-5, 1e-5,
        "<u, Jv> vs <J^T u, v> from float32 forward and reverse mode: two dot products of length <= 100, "
        "each rounding about sqrt(n)*2^-24 relative to the sum of |terms|",
    )
    JACOBIAN_OFF_BY_1PCT = Tol(
        1e-3, 1e-6,
        "strictly tighter than a 1% error, loose enough for float32 Jacobians of a few ops: a Jacobian off "
        "by 1% must fail",
    )
    SIGMOID_F32_VS_F64 = Tol(
        0.0, 1e-7,
        "float32 sigmoid' on [-10, 10] vs the float64 closed form: measured largest absolute error 4.7e-8 "
        "(at x = 1.2, a few ulp of 0.18, ulp 1.5e-8). Bracketed: it must fail at 1e-8, which shows the "
        "tape computes in float32 and the oracle is not the tape's own arithmetic",
    )
