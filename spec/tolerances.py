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
    # --- chapters 15-17 (modes, devices, distribution)
    TF32_MATMUL_GRAD = Tol(
        0.0, 2.5e-3,
        "d ½‖AB‖²/dA = (AB)Bᵀ for 256x512 @ 512x128 float32 with TensorFloat-32 on, divided by its largest "
        "entry: TF32 keeps 10 mantissa bits (an input moves by up to 2^-11 = 4.9e-4), and simulating it in "
        "float64 on the test's inputs gives a largest error of 3.7e-4 (rounding to nearest) to 1.6e-3 "
        "(truncating); 2.5e-3 leaves 1.5x either way. Bracketed: it must fail at 2.5e-4, 600x the 4.2e-7 "
        "of full float32",
    )
    F32_MATMUL_GRAD = Tol(
        0.0, 1e-5,
        "the same (AB)Bᵀ in full float32, divided by its largest entry: sums of 512 and 128 products, "
        "measured largest error 4.2e-7 to 4.7e-7 on CPU; 1e-5 is 20x that and 25x below where TF32's error starts",
    )
    GRADIENT_CHECK_F32 = Tol(
        0.0, 5e-5,
        "tf.test.compute_gradient's numeric Jacobian in float32: a central difference with step 1/1024 "
        "divides the rounding of two float32 outputs (about 6e-8 each near 0.5) by 2/1024, up to ~6e-5; "
        "measured largest error 2.0e-5 for sigmoid on [-3, 3]. Bracketed: it must fail at 5e-6",
    )
    NEWTON_RESIDUAL_F32 = Tol(
        1e-5, 0.0,
        "a float32 LU solve is backward stable: ‖(H + εI)u − g‖ ≤ c·n·2^-24·(‖H‖‖u‖ + ‖g‖) with n = 40, plus "
        "the float32 Hessian's own error against the float64 closed form; 1e-5 of that scale covers both",
    )
    # --- chapter 20 (the op atlas)
    ATLAS_FD = Tol(
        1e-6, 1e-9,
        "a float64 tape derivative vs float64 Richardson differences of the op's own forward value: the "
        "differences leave about 1e-12 of the value (h = eps^(1/5)); special functions computed to ~1e-10 "
        "relative lose that over h (~1e-7 of the derivative); 1e-6 relative is 10,000x below a 1% error. The "
        "absolute part scales with 1 + |phi(x)|, the magnitude whose leading digits the differences cancel",
    )
    ADJOINT_F64 = Tol(
        1e-9, 1e-12,
        "<u, Jv> (forward mode) vs <J^T u, v> (reverse mode), both float64: two short dot products of "
        "float64 rounding, 2^-53 each; the absolute part scales with 1 + |phi(x)|",
    )
    ATLAS_SECOND_ORDER = Tol(
        1e-6, 1e-9,
        "a float64 second derivative w^T H v vs Richardson differences of the float64 tape gradient along v: "
        "the same error budget as ATLAS_FD one derivative higher",
    )
    ATLAS_POINT = Tol(
        1e-9, 1e-12,
        "float64 gradient at a special point vs its closed form or limit: a few float64 ops, each 2^-53; "
        "the absolute part scales with the largest finite |entry| of the expected gradient (at least 1), since "
        "an entry that is 0 by cancellation of terms that large keeps their rounding (layer_normalization's "
        "constant row: entries ±3162 and a 0 computed as 5e-13 on 2.21, 1.4e-12 on a nightly); NaN and inf "
        "must sit exactly where the mathematics puts them",
    )
    ATLAS_F32 = Tol(
        1e-4, 1e-5,
        "a float32 gradient vs the float64 gradient at the same float32-exact inputs: a few ops each rounding "
        "by 2^-24 (6e-8), amplified by the op's condition number (< ~100 on the sampled domains); the absolute "
        "part is relative to the largest float64 entry, for entries that cancel to near 0",
    )
    ATLAS_TAIL = Tol(
        1e-8, 1e-322,
        "a float64 derivative in the tails (where it is last a normal number, subnormal, or near the largest float) "
        "vs its closed form: relative only, since an absolute tolerance cannot tell 0 from 1e-300; 1e-8 allows the "
        "argument's own condition (|x·f''/f'| up to ~700 at x ~ 700) times a few ulp; the absolute 1e-322 (20 "
        "subnormal ulp) is the granularity of a subnormal result, which has fewer significant bits",
    )
    # --- op atlas: ops whose kernel computes only in float32, against a float64 NumPy reference of their forward
    ATLAS_F32_KERNEL = Tol(
        2e-5, 2e-5,
        "a float32-only kernel's directional derivative vs float64 central differences of its NumPy reference: "
        "each of the up to ~100 terms of ⟨∇φ, v⟩ carries a few float32 roundings of 2^-24 (6e-8), relative to the "
        "terms' own size Σ|∇φ|·|v| (+|φ|), which scales the absolute part; 2e-5 is about 300 roundings, 1000x below "
        "a 2% error",
    )
    ATLAS_F32_KERNEL_SECOND = Tol(
        1e-4, 1e-5,
        "a float32-only kernel's wᵀHv vs nested float64 central differences of its NumPy reference (exact to ~1e-9 "
        "of φ): a second derivative in float32 rounds twice as many terms as the first, amplified by the op's "
        "condition; the absolute part scales with 1 + |φ|",
    )
    ATLAS_F32_POINT = Tol(
        1e-5, 1e-6,
        "a float32-only kernel's gradient at a special point vs its closed form: a few float32 roundings (2^-24 "
        "each) per entry, relative to the largest |expected entry|, which scales the absolute part",
    )
    # --- op atlas: float32 tolerances of single families (Op.f32_tol), each with its reason
    # family_math_basic
    # family_special
    # family_reductions, family_segments
    # family_array
    # family_nn, family_image
    # family_linalg, family_signal
    # family_numpy, family_keras
    # family_sparse, family_ragged: none (ATLAS_F32 fits every record; the CSR and sparse kernels compute in the
    # values' dtype)
    # family_float32_kernels (float32-only kernels against float64 NumPy references: TOL.ATLAS_F32_KERNEL* unless below)
    # family_control_flow, family_raw_ops, family_sequence (none needed: the default float32 tolerances fit)
