"""Special functions: the gamma family, incomplete gamma and beta, zeta, Bessel functions, error functions.

Closed forms used below (DLMF chapter numbers in brackets):
- digamma ψ = Γ'/Γ: ψ(1) = −γ, ψ(x + 1) = ψ(x) + 1/x, ψ(1/2) = −γ − 2 ln 2 [5.4, 5.5];
  polygamma ψ⁽ⁿ⁾(1) = (−1)ⁿ⁺¹ n! ζ(n + 1), ψ⁽ⁿ⁾(1/2) = (2ⁿ⁺¹ − 1) ψ⁽ⁿ⁾(1), ψ⁽ⁿ⁾(x + 1) = ψ⁽ⁿ⁾(x) + (−1)ⁿ n!/xⁿ⁺¹ [5.15].
- regularized incomplete gamma P(a, x) = γ(a, x)/Γ(a): ∂P/∂x = x^(a−1) e^(−x)/Γ(a); P(1, x) = 1 − e^(−x) [8.2, 8.4].
- regularized incomplete beta I_x(a, b): ∂I/∂x = x^(a−1) (1 − x)^(b−1)/B(a, b); I_x(a, 1) = x^a, I_x(1, b) = 1 − (1 − x)^b [8.17].
- Hurwitz zeta ζ(s, q) = Σ (n + q)^(−s): ∂ζ/∂q = −s ζ(s + 1, q); ζ(s, 1/2) = (2^s − 1) ζ(s) [25.11].
- Bessel: I0' = I1, I1' = I0 − I1/x, J0' = −J1, J1' = J0 − J1/x, Y0' = −Y1, Y1' = Y0 − Y1/x, K0' = −K1,
  K1' = −K0 − K1/x; near 0: I1 ~ J1 ~ x/2, Y0 ~ (2/π) ln x, Y1 ~ −2/(πx), K0 ~ −ln x, K1 ~ 1/x [10.6, 10.7, 10.29, 10.30].
"""
import dataclasses
import math

import numpy as np
import tensorflow as tf

from spec.atlas.records import (POINT_CHECKS, POSITIVE, PROBABILITY, REAL, REAL_NONZERO, UNIT_OPEN, Domain, KnownBug,
                                Sample, between, op, point, rng_for, unary)

FAMILY = "special functions: gamma, incomplete gamma/beta, zeta, Bessel, error functions"

# ----------------------------------------------------------------------------------- constants

EULER_GAMMA = 0.57721566490153286061  # γ = −ψ(1)
ZETA3 = 1.2020569031595942854  # Apéry's constant ζ(3)
ZETA_PRIME_2 = -0.93754825431584375370  # ζ'(2) = −Σ ln n / n² (checked by Euler–Maclaurin summation)
LN2 = math.log(2.0)
PI2_6 = math.pi ** 2 / 6  # ζ(2) = ψ'(1)
E1_AT_1 = -EULER_GAMMA + sum((-1) ** (k + 1) / (k * math.factorial(k)) for k in range(1, 40))  # E₁(1) by its series
INF = np.inf
# A point where one partial is infinite asserts only that one: forward mode's one-hot tangents give the other
# arguments' columns inf·0 = NaN (explicit zero tangents), so their values are checked at the finite points.
INF_PARTIAL_WHY = "{} (the other partials are asserted at the neighbouring finite points: here forward mode's zero tangent times this infinite partial is NaN)"

# ----------------------------------------------------------------------------------- domains

GAMMA_POLES = Domain(-2.5, 3.0, "x ∉ {0, −1, −2, …} (the poles of Γ)", avoid=(0.0, -1.0, -2.0), margin=0.2)
SHAPE = Domain(0.5, 3.0, "a > 0")
ERFC_RANGE = Domain(0.05, 1.95, "0 < x < 2")
ZETA_S = Domain(1.5, 4.0, "x > 1")
ZETA_Q = Domain(0.3, 3.0, "q > 0")

BINARY_SHAPES = (((), ()), ((4,), (4,)), ((3, 1), (4,)))


def label(shape) -> str:
    return "scalar" if shape == () else "x".join(map(str, shape))


def two_args(name, fn, first: Domain, second: Domain, domain: str, points=(), shapes=BINARY_SHAPES, **extra):
    """A broadcasting op of two differentiable arguments drawn from two domains (like records.binary, own wording)."""
    rng = rng_for(name)
    samples = [Sample((first.draw(rng, s1), second.draw(rng, s2)), label=f"{label(s1)} with {label(s2)}")
               for s1, s2 in shapes]
    return op(name, fn, samples, diff=(0, 1), domain=domain, points=points, **extra)


def no_xla(raw_op: str) -> dict:
    """The XLA skip of an op whose kernel has no XLA lowering (measured: InvalidArgumentError at compile time)."""
    return {"xla": f"XLA cannot compile {raw_op}: it has no XLA lowering (jit_compile=True raises 'Detected "
                   f"unsupported operations ... No registered '{raw_op}' OpKernel for XLA_CPU_JIT devices')"}


def repro(code: str) -> str:
    return "import tensorflow as tf\n" + code


def grad_repro(setup: str, expr: str, comment: str, watch: str = "x") -> str:
    return repro(f"{setup}\nwith tf.GradientTape() as t:\n    t.watch({watch})\n    y = {expr}\n"
                 f"print(t.gradient(y, {watch}))  # {comment}")


# ----------------------------------------------------------------------------------- known bugs

BESSEL_I1_AT_0 = KnownBug(
    "BesselI1's gradient imputes 1.0 at x = 0 (a where() around I0(x) − I1(x)/x), but I1(x) = x/2 + O(x³), so I1'(0) = 1/2",
    "https://github.com/tensorflow/tensorflow/issues/120578",
    grad_repro("x = tf.constant(0.0, tf.float64)", "tf.math.bessel_i1(x)", "1.0, expected 0.5"))

IGAMMA_A1_X0 = KnownBug(
    "the x-gradient exp(−x + (a−1)·log x − lgamma a) evaluates 0·log 0 = 0·(−inf) = NaN at a = 1, x = 0; "
    "P(1, x) = 1 − e^(−x) has derivative e^0 = 1 there (igammac shares _IgammaGrad)",
    "https://github.com/tensorflow/tensorflow/issues/123578",
    grad_repro("a = tf.constant(1.0, tf.float64); x = tf.constant(0.0, tf.float64)", "tf.math.igamma(a, x)",
               "nan, expected 1.0 (igammac: nan, expected -1.0)"))

IGAMMA_SECOND_ORDER = KnownBug(
    "the a-gradient is the raw op IgammaGradA, which has no gradient registered: every second derivative "
    "raises LookupError although ∂²P/∂a², ∂²P/∂a∂x exist",
    "unreported",
    repro("a = tf.constant(1.5, tf.float64); x = tf.constant(0.7, tf.float64)\n"
          "with tf.GradientTape() as t2:\n    t2.watch(a)\n    with tf.GradientTape() as t1:\n        t1.watch(a)\n"
          "        y = tf.math.igamma(a, x)\n    g = t1.gradient(y, a)\n"
          "print(t2.gradient(g, a))  # LookupError: gradient registry has no entry for: IgammaGradA; expected d²P/da²"),
    checks=("reverse_over_reverse", "forward_over_reverse", "reverse_over_forward", "forward_over_forward"))

BETAINC_AB = KnownBug(
    "_BetaincGrad returns None for a and b (a TODO in math_grad.py), so the tape gives no (or, with "
    "unconnected_gradients=ZERO, a zero) gradient w.r.t. the shape parameters although ∂I_x(a, b)/∂a and ∂/∂b exist",
    "unreported",
    repro("a = tf.constant(1.0, tf.float64); b = tf.constant(1.0, tf.float64); x = tf.constant(0.5, tf.float64)\n"
          "with tf.GradientTape() as t:\n    t.watch([a, b])\n    y = tf.math.betainc(a, b, x)  # I_x(1, 1) = x\n"
          "print(t.gradient(y, [a, b]))  # [None, None], expected [x log x, -(1-x) log(1-x)] = [-0.3466, 0.3466]"),
    # reverse-over-forward and forward-over-forward give vᵀHw of TF's asymmetric "Hessian" (rows a, b zero) where
    # the oracle gives wᵀHv; reverse-over-reverse and forward-over-reverse agree with differences of TF's own gradient
    checks=("reverse", "forward", "reverse_over_forward", "forward_over_forward"))
BETAINC_AB_AT_POINT = dataclasses.replace(BETAINC_AB, checks=POINT_CHECKS)

ZETA_X = KnownBug(
    "_ZetaGrad returns None for x (the TODO 'Add derivative with respect to x'), so the tape gives no (or a zero) "
    "gradient w.r.t. the exponent although ∂ζ(x, q)/∂x = −Σ ln(n + q)/(n + q)^x exists; second derivatives "
    "through ∂ζ/∂q = −x ζ(x + 1, q) lose the same term",
    "https://github.com/tensorflow/tensorflow/issues/60041",
    grad_repro("x = tf.constant(2.0, tf.float64); q = tf.constant(1.0, tf.float64)", "tf.math.zeta(x, q)",
               "None, expected zeta'(2) = -0.93754825431584"),
    checks=("reverse", "forward", "reverse_over_reverse", "forward_over_reverse", "reverse_over_forward",
            "forward_over_forward"))
ZETA_X_AT_POINT = dataclasses.replace(ZETA_X, checks=POINT_CHECKS)

BESSEL_K0E_AT_0 = KnownBug(
    "BesselK0e's gradient y − k1e(x) is inf − inf = NaN at x = 0; K0e'(x) = K0e(x) − K1e(x) ~ −ln x − 1/x → −inf "
    "(bessel_k0 and bessel_k1e give −inf there)",
    "unreported",
    grad_repro("x = tf.constant(0.0, tf.float64)", "tf.math.special.bessel_k0e(x)", "nan, expected -inf"))

BESSEL_Y1_AT_0 = KnownBug(
    "BesselY1's gradient Y0(x) − Y1(x)/x is −inf − (−inf) = NaN at x = 0 (a comment in math_grad.py calls NaN "
    "fine because the derivative is undefined at 0); the one-sided limit is Y1'(x) ~ 2/(πx²) → +inf, which "
    "bessel_y0 (+inf), bessel_k1 (−inf) and log give at their own boundary poles",
    "unreported",
    grad_repro("x = tf.constant(0.0, tf.float64)", "tf.math.special.bessel_y1(x)", "nan, expected +inf"))

FORWARD_MUL_BY_CONSTANT_AT_INF = KnownBug(
    "forward mode through Mul with an infinite primal factor: erfcinv(x) = −ndtri(x/2)·√(1/2), and Mul's JVP "
    "(transposed from its gradient) adds inf·(the constant's zero tangent) = NaN, so ForwardAccumulator gives NaN "
    "where the tape gives the limit −inf (ndtri(x)·2.0 at x = 0 shows the same: NaN forward, +inf reverse)",
    "unreported",
    repro("x = tf.constant(0.0, tf.float64)\nwith tf.autodiff.ForwardAccumulator(x, tf.constant(1.0, tf.float64)) as acc:\n"
          "    y = tf.math.erfcinv(x)\nprint(acc.jvp(y))  # nan, expected -inf (GradientTape gives -inf)"),
    checks=("special_forward",))


# ----------------------------------------------------------------------------------- entries

OPS = [
    # --- gamma family
    unary("tf.math.lgamma", tf.math.lgamma, GAMMA_POLES, [
        point("x=1,2", [[1.0, 2.0]], [[-EULER_GAMMA, 1.0 - EULER_GAMMA]],
              "lgamma' = ψ; ψ(1) = −γ and ψ(2) = ψ(1) + 1 = 1 − γ"),
        point("x=1/2", [0.5], [-EULER_GAMMA - 2 * LN2], "ψ(1/2) = −γ − 2 ln 2 (Gauss's digamma theorem)"),
        point("x=-1/2,-3/2", [[-0.5, -1.5]], [[2.0 - EULER_GAMMA - 2 * LN2, 2.0 + 2.0 / 3.0 - EULER_GAMMA - 2 * LN2]],
              "lgamma = log|Γ| has derivative ψ also where Γ < 0; ψ(x) = ψ(x + 1) − 1/x gives ψ(−1/2) = ψ(1/2) + 2 "
              "and ψ(−3/2) = ψ(−1/2) + 2/3"),
    ]),
    unary("tf.math.digamma", tf.math.digamma, GAMMA_POLES, [
        point("x=1,2", [[1.0, 2.0]], [[PI2_6, PI2_6 - 1.0]], "ψ'(1) = ζ(2) = π²/6; ψ'(x + 1) = ψ'(x) − 1/x² gives ψ'(2) = π²/6 − 1"),
        point("x=1/2,-1/2", [[0.5, -0.5]], [[math.pi ** 2 / 2, math.pi ** 2 / 2 + 4.0]],
              "ψ'(1/2) = (2² − 1) ζ(2) = π²/2; ψ'(−1/2) = ψ'(1/2) + 1/(1/2)² = π²/2 + 4"),
    ]),
    op("tf.math.polygamma", tf.math.polygamma, [
        Sample((np.asarray(0.0), POSITIVE.draw(rng_for("polygamma n=0"), ())), label="n=0 scalar"),
        Sample((np.full(5, 1.0), POSITIVE.draw(rng_for("polygamma n=1"), (5,))), label="n=1 5"),
        Sample((np.full((2, 3), 2.0), POSITIVE.draw(rng_for("polygamma n=2"), (2, 3))), label="n=2 2x3"),
        Sample((np.array([0.0, 1.0, 2.0]), POSITIVE.draw(rng_for("polygamma n=0,1,2"), (2, 3))),
               label="n=[0,1,2] broadcast against 2x3"),
    ], diff=(1,), domain="n ∈ {0, 1, 2, …} (order, not differentiable); x > 0", points=[
        point("n=0,1,1,2 at x=1,1,1/2,1", [np.array([0.0, 1.0, 1.0, 2.0]), [1.0, 1.0, 0.5, 1.0]],
              [[PI2_6, -2 * ZETA3, -14 * ZETA3, math.pi ** 4 / 15]],
              "∂ψ⁽ⁿ⁾/∂x = ψ⁽ⁿ⁺¹⁾: ψ'(1) = π²/6, ψ''(1) = −2ζ(3), ψ''(1/2) = −2·7ζ(3), ψ'''(1) = 3!·ζ(4) = π⁴/15"),
        point("n=1 at x=2", [np.asarray(1.0), 2.0], [2.0 - 2 * ZETA3], "ψ''(2) = ψ''(1) + 2/1³ = 2 − 2ζ(3)"),
    ]),
    two_args("tf.math.igamma", tf.math.igamma, SHAPE, POSITIVE, "a > 0; x ≥ 0", bugs=(IGAMMA_SECOND_ORDER,), points=[
        point("a=1,x=0", [1.0, 0.0], [0.0, 1.0],
              "P(a, 0) = 0 for every a so ∂/∂a = 0; P(1, x) = 1 − e^(−x) so ∂/∂x = e^0 = 1 (one-sided at x = 0)",
              bug=IGAMMA_A1_X0),
        point("a=2,x=0", [2.0, 0.0], [0.0, 0.0], "P(a, 0) = 0 so ∂/∂a = 0; ∂P/∂x = x^(a−1) e^(−x)/Γ(a) → 0 for a = 2 as x → 0+"),
        point("a=1/2,x=0", [0.5, 0.0], [None, INF], INF_PARTIAL_WHY.format("∂P/∂x = x^(a−1) e^(−x)/Γ(a) → +inf for a = 1/2 as x → 0+")),
        point("a=1,x=1", [1.0, 1.0], [-EULER_GAMMA / math.e - E1_AT_1, 1.0 / math.e],
              "∂P/∂a at a = 1 is ∫₀ˣ ln t e^(−t) dt − ψ(1)(1 − e^(−x)) = −γe^(−x) − e^(−x) ln x − E₁(x), at x = 1 "
              "−γ/e − E₁(1) (E₁ by its series); ∂P/∂x = e^(−1)"),
    ]),
    two_args("tf.math.igammac", tf.math.igammac, SHAPE, POSITIVE, "a > 0; x ≥ 0", bugs=(IGAMMA_SECOND_ORDER,), points=[
        point("a=1,x=0", [1.0, 0.0], [0.0, -1.0], "Q = 1 − P: Q(a, 0) = 1 for every a; Q(1, x) = e^(−x) has derivative −1 at 0",
              bug=IGAMMA_A1_X0),
        point("a=2,x=0", [2.0, 0.0], [0.0, 0.0], "Q(a, 0) = 1 so ∂/∂a = 0; ∂Q/∂x = −x^(a−1) e^(−x)/Γ(a) → 0 for a = 2 as x → 0+"),
        point("a=1/2,x=0", [0.5, 0.0], [None, -INF], INF_PARTIAL_WHY.format("∂Q/∂x = −x^(a−1) e^(−x)/Γ(a) → −inf for a = 1/2 as x → 0+")),
        point("a=1,x=1", [1.0, 1.0], [EULER_GAMMA / math.e + E1_AT_1, -1.0 / math.e], "the negatives of P's: ∂Q = −∂P"),
    ]),
    op("tf.math.betainc", tf.math.betainc, [
        Sample((SHAPE.draw(rng_for("betainc a"), ()), SHAPE.draw(rng_for("betainc b"), ()),
                PROBABILITY.draw(rng_for("betainc x"), ())), label="scalars"),
        Sample((SHAPE.draw(rng_for("betainc a4"), (4,)), SHAPE.draw(rng_for("betainc b4"), (4,)),
                PROBABILITY.draw(rng_for("betainc x4"), (4,))), label="4 each"),
        Sample((SHAPE.draw(rng_for("betainc a23"), (2, 3)), SHAPE.draw(rng_for("betainc b23"), (2, 3)),
                PROBABILITY.draw(rng_for("betainc x23"), ())), label="a, b 2x3 with scalar x"),
    ], diff=(0, 1, 2), domain="a > 0, b > 0, 0 ≤ x ≤ 1", bugs=(BETAINC_AB,), points=[
        point("x=0 with a=1,2", [[1.0, 2.0], [2.0, 2.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 0.0], [2.0, 0.0]],
              "I_0(a, b) = 0 for all a, b so ∂/∂a = ∂/∂b = 0; ∂I/∂x = x^(a−1)(1 − x)^(b−1)/B(a, b) → 1/B(1, 2) = 2 "
              "(a = 1) and 0 (a > 1) as x → 0+"),
        point("x=0,a=1/2", [0.5, 2.0, 0.0], [None, None, INF], INF_PARTIAL_WHY.format("∂I/∂x ~ x^(−1/2)/B(1/2, 2) → +inf as x → 0+")),
        point("x=1 with b=1,2", [[2.0, 2.0], [1.0, 2.0], [1.0, 1.0]], [[0.0, 0.0], [0.0, 0.0], [2.0, 0.0]],
              "I_1(a, b) = 1 for all a, b so ∂/∂a = ∂/∂b = 0; ∂I/∂x → 1/B(2, 1) = 2 (b = 1) and 0 (b > 1) as x → 1−"),
        point("x=1,b=1/2", [2.0, 0.5, 1.0], [None, None, INF], INF_PARTIAL_WHY.format("∂I/∂x ~ (1 − x)^(−1/2)/B(2, 1/2) → +inf as x → 1−")),
        point("a=b=1,x=1/2", [1.0, 1.0, 0.5], [0.5 * math.log(0.5), -0.5 * math.log(0.5), 1.0],
              "I_x(a, 1) = x^a gives ∂/∂a = x^a ln x; I_x(1, b) = 1 − (1 − x)^b gives ∂/∂b = −(1 − x)^b ln(1 − x); "
              "I_x(1, 1) = x gives ∂/∂x = 1", bug=BETAINC_AB_AT_POINT),
    ]),
    op("tf.math.lbeta", tf.math.lbeta, [
        Sample((POSITIVE.draw(rng_for("lbeta 2"), (2,)),), label="K=2 (the bivariate beta)"),
        Sample((POSITIVE.draw(rng_for("lbeta 4"), (4,)),), label="K=4"),
        Sample((POSITIVE.draw(rng_for("lbeta 2x3"), (2, 3)),), label="batch 2 of K=3"),
    ], domain="x > 0 along the last axis (reduced)", points=[
        point("x=[[1,1],[1,3]]", [[[1.0, 1.0], [1.0, 3.0]]], [[[-1.0, -1.0], [-11.0 / 6.0, -1.0 / 3.0]]],
              "∂/∂x_i = ψ(x_i) − ψ(Σx): ψ(1) − ψ(2) = −1; ψ(1) − ψ(4) = −(1 + 1/2 + 1/3), ψ(3) − ψ(4) = −1/3"),
        point("x=[1/2,1/2]", [[0.5, 0.5]], [[-2 * LN2, -2 * LN2]], "ψ(1/2) − ψ(1) = −2 ln 2 (B(1/2, 1/2) = π)"),
        point("K=1", [[[2.5], [0.7]]], [[[0.0], [0.0]]], "a size-1 last axis: lbeta = lgamma(x) − lgamma(x) = 0 for every x"),
        point("K=0 (empty last axis)", [np.zeros((2, 0))], [np.zeros((2, 0))],
              "an empty last axis: lbeta = 0 − lgamma(0) = −inf (documented convention) does not depend on any "
              "input; the gradient is the empty array"),
    ]),
    two_args("tf.math.zeta", tf.math.zeta, ZETA_S, ZETA_Q, "x > 1; q > 0", bugs=(ZETA_X,), points=[
        point("x=2,q=1", [2.0, 1.0], [ZETA_PRIME_2, -2 * ZETA3],
              "∂ζ(x, 1)/∂x = ζ'(2) = −Σ ln n/n² = −0.937548…; ∂ζ/∂q = −x ζ(x + 1, q) = −2ζ(3)", bug=ZETA_X_AT_POINT),
        point("x=2,q=1/2", [2.0, 0.5], [4 * LN2 * PI2_6 + 3 * ZETA_PRIME_2, -14 * ZETA3],
              "ζ(x, 1/2) = (2^x − 1)ζ(x): ∂/∂x = 2^x ln 2 ζ(x) + (2^x − 1)ζ'(x) = 4 ln 2 π²/6 + 3ζ'(2); "
              "∂/∂q = −2ζ(3, 1/2) = −2·7ζ(3)", bug=ZETA_X_AT_POINT),
        point("x=3,q=1 (q only)", [3.0, 1.0], [None, -math.pi ** 4 / 30], "∂ζ/∂q = −3 ζ(4, 1) = −3π⁴/90"),
    ]),
    # --- Bessel functions (tf.math.bessel_i0/i0e/i1/i1e are also exported as tf.math.special.*: listed once)
    unary("tf.math.bessel_i0", tf.math.bessel_i0, REAL, [
        point("x=0", [0.0], [0.0], "I0' = I1 and I1(0) = 0 (I0 is even)"),
    ], skips=no_xla("BesselI0")),
    unary("tf.math.bessel_i0e", tf.math.bessel_i0e, REAL_NONZERO, [
        point("x=0", [0.0], [between(-1.0, 1.0)],
              "I0e(x) = e^(−|x|) I0(x) has a kink at 0: one-sided derivatives I1(0) ± I0(0) = ±1"),
    ]),
    unary("tf.math.bessel_i1", tf.math.bessel_i1, REAL, [
        point("x=0", [0.0], [0.5], "I1(x) = x/2 + x³/16 + …, so I1'(0) = 1/2 (removable 0/0 in I0 − I1/x)",
              bug=BESSEL_I1_AT_0),
    ], skips=no_xla("BesselI1")),
    unary("tf.math.bessel_i1e", tf.math.bessel_i1e, REAL, [
        point("x=0", [0.0], [0.5], "I1e(x) = e^(−|x|)(x/2 + O(x³)) = x/2 − x|x|/2 + …, differentiable at 0 with derivative 1/2"),
    ]),
    unary("tf.math.special.bessel_j0", tf.math.special.bessel_j0, REAL, [
        point("x=0", [0.0], [0.0], "J0' = −J1 and J1(0) = 0 (J0 is even)"),
    ], skips=no_xla("BesselJ0")),
    unary("tf.math.special.bessel_j1", tf.math.special.bessel_j1, REAL, [
        point("x=0", [0.0], [0.5], "J1(x) = x/2 − x³/16 + …, so J1'(0) = 1/2 (removable 0/0 in J0 − J1/x)"),
    ], skips=no_xla("BesselJ1")),
    unary("tf.math.special.bessel_y0", tf.math.special.bessel_y0, POSITIVE, [
        point("x=0", [0.0], [INF], "Y0(x) ~ (2/π) ln x, Y0' = −Y1 ~ 2/(πx) → +inf as x → 0+ (one-sided, domain edge)"),
    ], skips=no_xla("BesselY0")),
    unary("tf.math.special.bessel_y1", tf.math.special.bessel_y1, POSITIVE, [
        point("x=0", [0.0], [INF], "Y1(x) ~ −2/(πx), Y1' ~ 2/(πx²) → +inf as x → 0+ (one-sided, domain edge)",
              bug=BESSEL_Y1_AT_0),
    ], skips=no_xla("BesselY1")),
    unary("tf.math.special.bessel_k0", tf.math.special.bessel_k0, POSITIVE, [
        point("x=0", [0.0], [-INF], "K0(x) ~ −ln x, K0' = −K1 ~ −1/x → −inf as x → 0+ (one-sided, domain edge)"),
    ], skips=no_xla("BesselK0")),
    unary("tf.math.special.bessel_k0e", tf.math.special.bessel_k0e, POSITIVE, [
        point("x=0", [0.0], [-INF], "K0e = e^x K0, K0e' = K0e − K1e ~ −ln x − 1/x → −inf as x → 0+ (one-sided)",
              bug=BESSEL_K0E_AT_0),
    ], skips=no_xla("BesselK0e")),
    unary("tf.math.special.bessel_k1", tf.math.special.bessel_k1, POSITIVE, [
        point("x=0", [0.0], [-INF], "K1(x) ~ 1/x, K1' = −K0 − K1/x ~ −1/x² → −inf as x → 0+ (one-sided)"),
    ], skips=no_xla("BesselK1")),
    unary("tf.math.special.bessel_k1e", tf.math.special.bessel_k1e, POSITIVE, [
        point("x=0", [0.0], [-INF], "K1e = e^x K1 ~ 1/x + …, K1e' ~ −1/x² → −inf as x → 0+ (one-sided)"),
    ], skips=no_xla("BesselK1e")),
    # --- other Cephes integrals
    unary("tf.math.special.dawsn", tf.math.special.dawsn, REAL, [
        point("x=0", [0.0], [1.0], "D(x) = e^(−x²)∫₀ˣ e^(t²)dt satisfies D' = 1 − 2xD, so D'(0) = 1"),
    ], skips=no_xla("Dawsn")),
    unary("tf.math.special.expint", tf.math.special.expint, POSITIVE, [
        point("x=1", [1.0], [math.e], "Ei'(x) = e^x/x: e at x = 1"),
        point("x=2^-10", [2.0 ** -10], [math.exp(2.0 ** -10) * 2.0 ** 10],
              "Ei(x) = γ + ln x + x + … near 0: Ei' = e^x/x = 1024·e^(1/1024) at x = 2⁻¹⁰"),
        point("x=0", [0.0], [INF], "Ei' = e^x/x → +inf as x → 0+ (documented domain x > 0, one-sided)"),
    ], skips=no_xla("Expint")),
    unary("tf.math.special.fresnel_cos", tf.math.special.fresnel_cos, REAL, [
        point("x=0,1,-1", [[0.0, 1.0, -1.0]], [[1.0, 0.0, 0.0]],
              "C(x) = ∫₀ˣ cos(πt²/2)dt (scipy's normalisation, which TF's values follow: C(1) = 0.7799 in its "
              "docstring, whose formula cos(t²) omits π/2), so C' = cos(πx²/2): 1 at 0, cos(π/2) = 0 at ±1"),
    ], skips=no_xla("FresnelCos")),
    unary("tf.math.special.fresnel_sin", tf.math.special.fresnel_sin, REAL, [
        point("x=0,1,2", [[0.0, 1.0, 2.0]], [[0.0, 1.0, 0.0]],
              "S(x) = ∫₀ˣ sin(πt²/2)dt (scipy's normalisation), S' = sin(πx²/2): 0 at 0, sin(π/2) = 1 at 1, sin 2π = 0 at 2"),
    ], skips=no_xla("FresnelSin")),
    unary("tf.math.special.spence", tf.math.special.spence, POSITIVE, [
        point("x=1", [1.0], [-1.0], "spence' = ln x/(1 − x), a removable 0/0 at x = 1: ln x/(1 − x) → −1"),
        point("x=2", [2.0], [-LN2], "ln 2/(1 − 2) = −ln 2"),
        point("x=0", [0.0], [-INF], "ln x/(1 − x) → −inf as x → 0+ (domain x ≥ 0, spence(0) = π²/6 finite)"),
    ], skips=no_xla("Spence")),
    # --- error functions
    unary("tf.math.erf", tf.math.erf, REAL, [
        point("x=0", [0.0], [2 / math.sqrt(math.pi)], "erf' = (2/√π) e^(−x²): 2/√π at 0"),
    ]),
    unary("tf.math.erfc", tf.math.erfc, REAL, [
        point("x=0", [0.0], [-2 / math.sqrt(math.pi)], "erfc' = −(2/√π) e^(−x²): −2/√π at 0"),
    ]),
    unary("tf.math.erfinv", tf.math.erfinv, UNIT_OPEN, [
        point("x=0", [0.0], [math.sqrt(math.pi) / 2], "erfinv' = (√π/2) e^(erfinv(x)²): √π/2 at 0"),
        point("x=-1", [-1.0], [INF], "erfinv → −inf at −1, so (√π/2) e^(erfinv²) → +inf (one-sided, domain edge)"),
        point("x=1", [1.0], [INF], "erfinv → +inf at 1, so (√π/2) e^(erfinv²) → +inf (one-sided, domain edge)"),
    ]),
    unary("tf.math.erfcinv", tf.math.erfcinv, ERFC_RANGE, [
        point("x=1", [1.0], [-math.sqrt(math.pi) / 2], "erfcinv(x) = erfinv(1 − x): derivative −(√π/2) e^(erfcinv²) = −√π/2 at 1"),
        point("x=0", [0.0], [-INF], "erfcinv → +inf at 0, so −(√π/2) e^(erfcinv²) → −inf (one-sided)",
              bug=FORWARD_MUL_BY_CONSTANT_AT_INF),
        point("x=2", [2.0], [-INF], "erfcinv → −inf at 2, so −(√π/2) e^(erfcinv²) → −inf (one-sided)",
              bug=FORWARD_MUL_BY_CONSTANT_AT_INF),
    ]),
    unary("tf.math.ndtri", tf.math.ndtri, PROBABILITY, [
        point("x=1/2", [0.5], [math.sqrt(2 * math.pi)], "ndtri' = 1/φ(ndtri x) = √(2π) e^(ndtri(x)²/2): √(2π) at 1/2"),
        point("x=0", [0.0], [INF], "ndtri → −inf at 0, so √(2π) e^(ndtri²/2) → +inf (one-sided)"),
        point("x=1", [1.0], [INF], "ndtri → +inf at 1, so √(2π) e^(ndtri²/2) → +inf (one-sided)"),
    ]),
]
