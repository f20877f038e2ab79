"""Special functions: the gamma family, incomplete gamma and beta, zeta, Bessel functions, error functions.

Closed forms used below (DLMF chapter numbers in brackets):
- digamma ψ = Γ'/Γ: ψ(1) = −γ, ψ(x + 1) = ψ(x) + 1/x, ψ(1/2) = −γ − 2 ln 2 [5.4, 5.5];
  polygamma ψ⁽ⁿ⁾(1) = (−1)ⁿ⁺¹ n! ζ(n + 1), ψ⁽ⁿ⁾(1/2) = (2ⁿ⁺¹ − 1) ψ⁽ⁿ⁾(1), ψ⁽ⁿ⁾(x + 1) = ψ⁽ⁿ⁾(x) + (−1)ⁿ n!/xⁿ⁺¹ [5.15];
  for large x ψ'(x) = 1/x + 1/(2x²) + 1/(6x³) − …, ψ''(x) = −1/x² − 1/x³ − 1/(2x⁴) + … [5.15.8].
- regularized incomplete gamma P(a, x) = γ(a, x)/Γ(a): ∂P/∂x = x^(a−1) e^(−x)/Γ(a); P(1, x) = 1 − e^(−x) [8.2, 8.4];
  so ∂²P/∂x² = ∂P/∂x·((a − 1)/x − 1) and ∂²P/∂a∂x = ∂P/∂x·(ln x − ψ(a)).
- regularized incomplete beta I_x(a, b): ∂I/∂x = x^(a−1) (1 − x)^(b−1)/B(a, b); I_x(a, 1) = x^a, I_x(1, b) = 1 − (1 − x)^b [8.17];
  ∂²I/∂x² = ∂I/∂x·((a − 1)/x − (b − 1)/(1 − x)), ∂²I/∂a∂x = ∂I/∂x·(ln x − ψ(a) + ψ(a + b)), and the same in b with ln(1 − x).
- Hurwitz zeta ζ(s, q) = Σ (n + q)^(−s): ∂ζ/∂q = −s ζ(s + 1, q); ζ(s, 1/2) = (2^s − 1) ζ(s) [25.11].
- Bessel: I0' = I1, I1' = I0 − I1/x, J0' = −J1, J1' = J0 − J1/x, Y0' = −Y1, Y1' = Y0 − Y1/x, K0' = −K1,
  K1' = −K0 − K1/x; near 0: I0 = 1 + x²/4 + x⁴/64, I1 = x/2 + x³/16, J0 = 1 − x²/4 + x⁴/64, J1 = x/2 − x³/16,
  Y0 ~ (2/π) ln x, Y1 ~ −2/(πx), K0 ~ −ln x, K1 ~ 1/x [10.6, 10.7, 10.8, 10.29, 10.30, 10.31]; for large x the Hankel
  expansions J_ν = √(2/(πx))(P cos ω − Q sin ω), Y_ν = √(2/(πx))(P sin ω + Q cos ω), ω = x − νπ/2 − π/4 [10.17.3] and
  e^(−x) I_ν ~ Σ (−1)^k a_k(ν) x^(−k)/√(2πx), e^x K_ν ~ √(π/(2x)) Σ a_k(ν) x^(−k) [10.40.1, 10.40.2].

Second order: every special point states H·v (`second`); at x = 0 of the Bessel functions with a removable singularity
(I0, I1, J0, J1, I1e) and at spence's removable 0/0 at x = 1 the third derivative too (`third`), from the series above.
Where a one-sided derivative is infinite (the domain edges) the second derivative is asserted as that one-sided limit
(exists=False). For igamma/igammac the tangent is v = (0, 1) and for betainc v = (0, 0, 1): the x-row of the Hessian,
which has closed forms, where the a- and b-rows would need ∂²/∂a² of the incomplete functions; zeta uses v = (0, 1) too.

Tails (relative comparison): the x-derivatives where they are last a normal float64, subnormal, or near the largest
float: ψ' and ψ'' (TensorFlow computes them through Hurwitz zeta, whose direct sum underflows), the exponentially
growing and decaying Bessel functions near e^±709, the scaled ones at large x (where I1e − I0e cancels), J and Y at
large x (Cephes rounds the phase x − π/4), dawsn and expint at large x, erf/erfc near e^(−x²) = 2.2e-308, and erfinv,
erfcinv, ndtri next to the ends of their domains. Subnormal tails are strict xfails of FLUSH_DENORMALS (family_math_basic).
No tail is given for the Fresnel integrals: their derivatives cos(πx²/2), sin(πx²/2) stay in [−1, 1], and at large x
the argument πx²/2 keeps no digits in float64 (TensorFlow returns NaN once x² overflows, where at any float x ≥ 2⁵³,
an even integer, the true values are exactly 1 and 0); nor for lbeta, betainc and the gamma-function shape parameters.

Degenerate shapes: each elementwise op has zero-size points of shape (0,) and (2, 0) (or, with two arguments, x of shape
(0,) against a scalar and (2, 0) against (2, 1)); lbeta has K = 1 and an empty last axis.
"""
import dataclasses
import math

import numpy as np
import tensorflow as tf

from spec.atlas.family_math_basic import (EMPTY_SECOND, EMPTY_WHY, FWD_SECOND_INF, empty_unary, forward_inf,
                                          ftz, representative_first)
from spec.atlas.records import (POINT_CHECKS, POINT_SECOND, POINT_THIRD, POSITIVE, PROBABILITY, REAL, REAL_NONZERO,
                                UNIT_OPEN, Domain, KnownBug, Sample, Workaround, between, hvp, op, point, rng_for, tail,
                                unary)

FAMILY = "special functions: gamma, incomplete gamma/beta, zeta, Bessel, error functions"

# ----------------------------------------------------------------------------------- constants

EULER_GAMMA = 0.57721566490153286061  # γ = −ψ(1)
ZETA3 = 1.2020569031595942854  # Apéry's constant ζ(3)
ZETA5 = 1.0369277551433699263  # ζ(5)
ZETA_PRIME_2 = -0.93754825431584375370  # ζ'(2) = −Σ ln n / n² (checked by Euler–Maclaurin summation)
ZETA_PRIME_3 = -0.19812624288563685333  # ζ'(3) = −Σ ln n / n³
LN2 = math.log(2.0)
PI2_6 = math.pi ** 2 / 6  # ζ(2) = ψ'(1)
ZETA4 = math.pi ** 4 / 90  # ζ(4)
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


def empty_pair(a0: float = 1.0) -> list:
    """Zero-size points of an op of two differentiable arguments: the second of shape (0,) against a scalar first, and
    of shape (2, 0) against a first of shape (2, 1)."""
    why = EMPTY_WHY + "; the first argument is broadcast over no entries, so its gradient is 0 (an empty sum)"
    return [point("empty x (0,) with scalar a", [a0, np.zeros(0)], [0.0, np.zeros(0)], why,
                  second=hvp([0.0, np.zeros(0)], EMPTY_SECOND)),
            point("empty x (2,0) with a (2,1)", [np.full((2, 1), a0), np.zeros((2, 0))], [np.zeros((2, 1)), np.zeros((2, 0))],
                  why, second=hvp([np.zeros((2, 1)), np.zeros((2, 0))], EMPTY_SECOND))]


def no_xla(raw_op: str) -> dict:
    """The XLA skip of an op whose kernel has no XLA lowering (measured: InvalidArgumentError at compile time)."""
    return {"xla": f"XLA cannot compile {raw_op}: it has no XLA lowering (jit_compile=True raises 'Detected "
                   f"unsupported operations ... No registered '{raw_op}' OpKernel for XLA_CPU_JIT devices')"}


def repro(code: str) -> str:
    return "import tensorflow as tf\n" + code


def grad_repro(setup: str, expr: str, comment: str, watch: str = "x") -> str:
    return repro(f"{setup}\nwith tf.GradientTape() as t:\n    t.watch({watch})\n    y = {expr}\n"
                 f"print(t.gradient(y, {watch}))  # {comment}")


def second_repro(setup: str, expr: str, comment: str) -> str:
    return repro(f"{setup}\nwith tf.GradientTape() as t2:\n    t2.watch(x)\n    with tf.GradientTape() as t1:\n"
                 f"        t1.watch(x)\n        y = {expr}\n    g = t1.gradient(y, x)\nprint(t2.gradient(g, x))  # {comment}")


# ------------------------------------------------------------------ float64 closed forms for the tails


def _a(nu: float, k: int) -> float:
    """a_k(ν) = (4ν² − 1)(4ν² − 9)…(4ν² − (2k − 1)²)/(k! 8^k), the coefficients of the large-x Bessel expansions [10.17.1]."""
    out = 1.0
    for j in range(1, k + 1):
        out *= (4 * nu * nu - (2 * j - 1) ** 2) / (j * 8.0)
    return out


def scaled_i_prime(nu: float, x: float, terms: int = 12) -> float:
    """d/dx [e^(−x) I_ν(x)] from its expansion Σ (−1)^k a_k x^(−k−1/2)/√(2π), term by term (no cancellation)."""
    return sum((-1) ** k * _a(nu, k) * (-k - 0.5) * x ** (-k - 1.5) for k in range(terms)) / math.sqrt(2 * math.pi)


def scaled_k_prime(nu: float, x: float, terms: int = 12) -> float:
    """d/dx [e^x K_ν(x)] from its expansion √(π/2) Σ a_k x^(−k−1/2), term by term."""
    return math.sqrt(math.pi / 2) * sum(_a(nu, k) * (-k - 0.5) * x ** (-k - 1.5) for k in range(terms))


def scaled_i(nu: float, x: float, terms: int = 14) -> float:
    return sum((-1) ** k * _a(nu, k) * x ** (-k) for k in range(terms)) / math.sqrt(2 * math.pi * x)


def hankel(nu: int, x: float) -> tuple[float, float]:
    """(J_ν(x), Y_ν(x)) for large x by the Hankel expansion with three terms of P and Q, and cos ω, sin ω from exact
    cos x and sin x by the angle-addition formulas (ω = x − νπ/2 − π/4 is never rounded)."""
    mu = 4.0 * nu * nu
    z = 8.0 * x
    p = 1 - (mu - 1) * (mu - 9) / (2 * z ** 2) + (mu - 1) * (mu - 9) * (mu - 25) * (mu - 49) / (24 * z ** 4)
    q = (mu - 1) / z - (mu - 1) * (mu - 9) * (mu - 25) / (6 * z ** 3)
    c = nu * math.pi / 2 + math.pi / 4
    cos_w = math.cos(x) * math.cos(c) + math.sin(x) * math.sin(c)
    sin_w = math.sin(x) * math.cos(c) - math.cos(x) * math.sin(c)
    scale = math.sqrt(2 / (math.pi * x))
    return scale * (p * cos_w - q * sin_w), scale * (p * sin_w + q * cos_w)


def erfc_inverse(t: float) -> float:
    """z with erfc(z) = t, by Newton's method on math.erfc (accurate to float64 rounding in the far tail)."""
    z = math.sqrt(-math.log(t))
    for _ in range(60):
        z += (math.erfc(z) - t) / (2 / math.sqrt(math.pi) * math.exp(-z * z))
    return z


Z_1021 = erfc_inverse(2.0 ** -1021)  # erfc(26.5…) = 2⁻¹⁰²¹: erfcinv(2⁻¹⁰²¹), and −√2·ndtri(2⁻¹⁰²²)
Z_53 = erfc_inverse(2.0 ** -53)  # erfinv(1 − 2⁻⁵³) = erfcinv(2⁻⁵³) = 5.86…


def scaled_k(nu: float, x: float, terms: int = 14) -> float:
    return math.sqrt(math.pi / (2 * x)) * sum(_a(nu, k) * x ** (-k) for k in range(terms))


def bessel_i_large(nu: int, x: float) -> float:
    """I_ν(x) = exp(x + log(e^(−x) I_ν(x))) for large x, without overflowing e^x first."""
    return math.exp(x + math.log(scaled_i(nu, x)))


def bessel_k_large(nu: int, x: float) -> float:
    """K_ν(x) = exp(−x + log(e^x K_ν(x))) for large x."""
    return math.exp(-x + math.log(scaled_k(nu, x)))


def dawson_prime_large(x: float) -> float:
    """D'(x) = −Σ (2k + 1)(2k − 1)!!/(2^(k+1) x^(2k+2)) for large x (from D(x) = Σ (2k − 1)!!/(2^(k+1) x^(2k+1)) [7.12.1])."""
    total, double_factorial = 0.0, 1.0
    for k in range(8):
        total -= (2 * k + 1) * double_factorial / (2.0 ** (k + 1) * x ** (2 * k + 2))
        double_factorial *= 2 * k + 1
    return total


# ----------------------------------------------------------------------------------- workaround code
# Series and expansions written with plain TensorFlow ops: differentiable to every order in every mode. Branch masks
# are computed from tf.stop_gradient(x) (a constant), so no comparison is differentiated.

_SERIES_AT_0 = '''import tensorflow as tf


def {name}(x):
    """{what} with its Maclaurin series {series} for |x| < 1e-3 (exact to float64 there, and every derivative at 0
    right: the series is built from products and tf.square, as x**n would have a NaN (n+1)-th derivative at 0, and
    no product reuses one of its factors inside the other, which nested forward mode mishandles, tensorflow#127753),
    and {op} elsewhere: {op}'s gradient imputes the value at x = 0 with a where() whose unselected branch divides by x,
    which breaks the higher derivatives there."""
    near = tf.abs(tf.stop_gradient(x)) < 1e-3
    s = tf.where(near, x, tf.zeros_like(x))
    far = tf.where(near, tf.ones_like(x), x)
    return tf.where(near, {poly}, {op}(far))
'''


def series_at_0(name: str, what: str, series: str, op_name: str, poly: str) -> Workaround:
    return Workaround(_SERIES_AT_0.format(name=name, what=what, series=series, op=op_name, poly=poly), name)


_EM_ZETA = '''
_B = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6]  # Bernoulli numbers B_2, B_4, ..., B_14


def _zeta_em(x, q):
    """Hurwitz zeta sum_k (q + k)^(-x) by Euler-Maclaurin summation: ten terms, the integral of the rest and seven
    Bernoulli corrections (relative error < 1e-15 for x > 1, q > 0). Powers of a are built from r = 1/a, so no
    intermediate overflows for large q (an inf there would make a gradient 0 * inf = NaN)."""
    a = q + 10.0
    r = 1 / a
    total = tf.add_n([tf.pow(q + k, -x) for k in range(10)]) + tf.pow(a, 1 - x) / (x - 1) + tf.pow(a, -x) / 2
    rising, power, factorial = x, tf.pow(a, -x - 1), 2.0  # (x)_(2j-1), a^(-x-2j+1), (2j)!
    for j, b in enumerate(_B, start=1):
        total += b / factorial * rising * power
        rising = rising * (x + 2 * j - 1) * (x + 2 * j)
        power = power * r * r
        factorial *= (2 * j + 1) * (2 * j + 2)
    return total
'''

_EM_DIGAMMA = '''
_B = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6]  # Bernoulli numbers B_2, B_4, ..., B_14


def _digamma_em(x):
    """psi(x) = psi(x + 10) - sum_k<10 1/(x + k), with psi(y) = log y - 1/(2y) - sum_j B_2j/(2j y^2j) (relative error
    < 1e-15 wherever x + 10 > 7.5); the powers are of r = 1/y, so nothing overflows for large x."""
    y = x + 10.0
    r = 1 / y
    r2 = r * r
    total, power = tf.math.log(y) - r / 2, r2
    for j, b in enumerate(_B, start=1):
        total -= b / (2 * j) * power
        power = power * r2
    return total - tf.add_n([1 / (x + k) for k in range(10)])
'''

ZETA_WORKAROUND = Workaround('import tensorflow as tf\n' + _EM_ZETA + '''

def zeta(x, q):
    """tf.math.zeta(x, q) by Euler-Maclaurin summation with plain ops: differentiable in x (which TensorFlow's gradient
    leaves out) and in q, to every order and in every mode, and accurate for large q (where TensorFlow's direct sum
    underflows)."""
    return _zeta_em(x, q)
''', "zeta")

DIGAMMA_WORKAROUND = Workaround('import tensorflow as tf\n' + _EM_DIGAMMA + '''

def digamma(x):
    """tf.math.digamma(x) by the recurrence and the asymptotic series with plain ops: its derivative psi'(x) stays
    accurate for large x, where TensorFlow's polygamma(1, x) (a Hurwitz zeta sum) underflows to 0."""
    return _digamma_em(x)
''', "digamma")

POLYGAMMA_WORKAROUND = Workaround('import tensorflow as tf\n' + _EM_ZETA + _EM_DIGAMMA + '''

def polygamma(n, x):
    """tf.math.polygamma(n, x) as psi(x) for n = 0 and (-1)^(n+1) n! zeta(n + 1, x) for n >= 1, both by
    Euler-Maclaurin summation with plain ops: the x-derivative stays accurate for large x, where TensorFlow's
    polygamma(n + 1, x) underflows to 0."""
    n = tf.convert_to_tensor(n, x.dtype)
    sign = tf.where(tf.equal(tf.math.floormod(n, 2.0), 0.0), -tf.ones_like(n), tf.ones_like(n))
    higher = sign * tf.exp(tf.math.lgamma(n + 1)) * _zeta_em(tf.maximum(n, 1.0) + 1, x)
    return tf.where(tf.equal(n, 0.0), _digamma_em(x), higher)
''', "polygamma")

_HANKEL = '''import math

import tensorflow as tf


def _hankel(nu, x):
    """(J_nu(x), Y_nu(x)) for x > 1e4 by the Hankel expansion (DLMF 10.17.3; truncation error < 1e-21 there), with
    cos and sin of omega = x - nu*pi/2 - pi/4 from cos x and sin x by the angle-addition formulas: omega is never
    rounded, as it is in Cephes's j0/j1/y0/y1 (x - pi/4 in float64 loses the digits of the phase for large x)."""
    mu, z = 4.0 * nu * nu, 8.0 * x
    p = 1 - (mu - 1) * (mu - 9) / (2 * z ** 2) + (mu - 1) * (mu - 9) * (mu - 25) * (mu - 49) / (24 * z ** 4)
    q = (mu - 1) / z - (mu - 1) * (mu - 9) * (mu - 25) / (6 * z ** 3)
    c = nu * math.pi / 2 + math.pi / 4
    cos_w = tf.cos(x) * math.cos(c) + tf.sin(x) * math.sin(c)
    sin_w = tf.sin(x) * math.cos(c) - tf.cos(x) * math.sin(c)
    scale = tf.sqrt(2 / (math.pi * x))
    return scale * (p * cos_w - q * sin_w), scale * (p * sin_w + q * cos_w)

'''


def hankel_workaround(op_name: str, nu: int, which: int, parity: str) -> Workaround:
    """J_ν or Y_ν (which 0 or 1) through the Hankel expansion above 1e4, TensorFlow's kernel below. The function is
    named <op>_large_x (each workaround of an op has a name of its own)."""
    name = op_name + "_large_x"
    reflect = {"even": "_hankel({nu}, s * big)[{which}]", "odd": "s * _hankel({nu}, s * big)[{which}]",
               "positive": "_hankel({nu}, big)[{which}]"}[parity].format(nu=nu, which=which)
    sign = "    s = tf.sign(tf.stop_gradient(x))\n" if parity != "positive" else ""
    limit = "tf.abs(tf.stop_gradient(x))" if parity != "positive" else "tf.stop_gradient(x)"
    return Workaround(_HANKEL + f'''
def {name}(x):
    """tf.math.special.{op_name}(x) with the Hankel expansion for |x| > 1e4, where the kernel's rounded phase makes the
    value and the derivative lose digits (relative error 3e-7 at x = 1e10)."""
    far = {limit} > 1e4
{sign}    big = tf.where(far, x, 2e4 * tf.ones_like(x))
    small = tf.where(far, tf.ones_like(x), x)
    return tf.where(far, {reflect}, tf.math.special.{op_name}(small))
''', name)


_SCALED = '''import math

import tensorflow as tf


def {name}(x):
    """{op}(x) with its large-x expansion {formula} (DLMF 10.40; six terms, relative error < 1e-23) for {where} > 1e4,
    TensorFlow's kernel below: the kernel's gradient {grad} subtracts two nearly equal numbers there (all digits lost
    by x = 1e16). x^(-1/2) is exp(-log(x)/2), whose reverse-mode chain keeps every intermediate a normal float."""
    far = {limit} > 1e4
{sign}    big = tf.where(far, x, 2e4 * tf.ones_like(x))
    small = tf.where(far, tf.ones_like(x), x)
    a = {a}
    r, series = 1 / a, tf.zeros_like(a)
    for c in reversed({coefficients}):  # Horner in 1/x
        series = c + r * series
    return tf.where(far, {value}, {op}(small))
'''


def scaled_workaround(name: str, op_name: str, nu: int, kind: str) -> Workaround:
    """e^(−|x|) I_ν(x) (kind "i") or e^x K_ν(x) (kind "k") through the large-x expansion above 1e4."""
    coefficients = [(-1) ** k * _a(nu, k) if kind == "i" else _a(nu, k) for k in range(6)]
    if kind == "i":
        formula, grad = f"Σ (−1)^k a_k({nu}) x^(−k)/√(2πx)", "i1e(x) − sign(x)·i0e(x)" if nu == 0 else "i0e(x) − i1e(x)(sign(x) + 1/x)"
        value = ("series * tf.exp(-0.5 * tf.math.log(a)) / math.sqrt(2 * math.pi)" if nu == 0 else
                 "s * series * tf.exp(-0.5 * tf.math.log(a)) / math.sqrt(2 * math.pi)")
        where, limit, sign, a = "|x|", "tf.abs(tf.stop_gradient(x))", "    s = tf.sign(tf.stop_gradient(x))\n", "s * big"
    else:
        formula, grad = f"√(π/(2x)) Σ a_k({nu}) x^(−k)", "k0e(x) − k1e(x)" if nu == 0 else "k1e(x)(1 − 1/x) − k0e(x)"
        value, where, limit, sign, a = ("series * tf.exp(-0.5 * tf.math.log(a)) * math.sqrt(math.pi / 2)", "x",
                                        "tf.stop_gradient(x)", "", "big")
    code = _SCALED.format(name=name, op=op_name, formula=formula, where=where, grad=grad, limit=limit, sign=sign, a=a,
                          coefficients=repr([float(c) for c in coefficients]), value=value)
    return Workaround(code, name)


_OVERFLOW = '''import math

import tensorflow as tf


def {name}(x):
    """{op}(x) with the large-x expansion e^|x|/√(2π|x|)·Σ (−1)^k a_k({nu}) |x|^(−k) (DLMF 10.40.1; twelve terms, relative
    error < 1e-25) for |x| > 700, written as exp(|x| − log(2π|x|)/2)·Σ so that nothing overflows before the function
    does ({op} computes e^|x| times a scaled function, and e^|x| overflows first), and the kernel below."""
    far = tf.abs(tf.stop_gradient(x)) > 700
    s = tf.sign(tf.stop_gradient(x))
    a = tf.where(far, s * x, 800 * tf.ones_like(x))
    small = tf.where(far, tf.zeros_like(x), x)
    r, series = 1 / a, tf.zeros_like(a)
    for c in reversed({coefficients}):  # Horner in 1/|x|: the gradient reaching each level is scaled down by 1/|x|
        series = c + r * series
    return tf.where(far, {sign}tf.exp(a - 0.5 * tf.math.log(2 * math.pi * a)) * series, {op}(small))
'''


def overflow_workaround(name: str, op_name: str, nu: int) -> Workaround:
    """I_ν (even for ν = 0, odd for ν = 1) through its large-x expansion above 700."""
    coefficients = repr([float((-1) ** k * _a(nu, k)) for k in range(12)])
    return Workaround(_OVERFLOW.format(name=name, op=op_name, nu=nu, coefficients=coefficients,
                                       sign="" if nu == 0 else "s * "), name)  # name: <op>_large_x


# ----------------------------------------------------------------------------------- known bugs

BESSEL_I1_AT_0 = KnownBug(
    "BesselI1's gradient imputes 1.0 at x = 0 (a where() around I0(x) − I1(x)/x), but I1(x) = x/2 + O(x³), so I1'(0) = 1/2",
    "https://github.com/tensorflow/tensorflow/issues/120578",
    grad_repro("x = tf.constant(0.0, tf.float64)", "tf.math.bessel_i1(x)", "1.0, expected 0.5"),
    related=("https://github.com/jax-ml/jax/pull/40640",),
    searched=("bessel_i1 gradient at x=0 returns 1.0 instead of 0.5 bessel_j1 second derivative nan",),
    kind="wrong value", kind_why="I1 is smooth at 0 with I1'(0) = 1/2; TensorFlow returns 1.0",
    workaround=series_at_0("bessel_i1_near_0", "tf.math.bessel_i1(x)", "x/2 + x³/16 + x⁵/384", "tf.math.bessel_i1",
                           "s * (1 / 2 + s * s * (1 / 16 + s * s / 384))"))

BESSEL_I1_HIGHER_AT_0 = dataclasses.replace(
    BESSEL_I1_AT_0,
    summary="BesselI1's gradient is where(x == 0, 1.0, I0(x) − I1(x)/x); differentiating it at x = 0 sends a zero "
            "cotangent into the unselected branch's I1(x)/x, where 0·(1/0) = NaN: reverse over reverse and reverse over "
            "forward give NaN for I1''(0) = 0 (I1 is odd), and reverse³ NaN for I1'''(0) = 3/8",
    reproducer=second_repro("x = tf.constant(0.0, tf.float64)", "tf.math.bessel_i1(x)", "nan, expected 0.0 (I1 is odd)"),
    checks=("special_reverse_over_reverse", "special_reverse_over_forward", "special_third"),
    issue="unreported",
    related=("https://github.com/tensorflow/tensorflow/issues/120578", "https://github.com/jax-ml/jax/pull/40640"),
    searched=("bessel_i1 gradient at x=0 returns 1.0 instead of 0.5 bessel_j1 second derivative nan", "tf.math.special.bessel_y1 bessel_k0e gradient nan at x=0; bessel_j1 second derivative nan at 0"),
    kind_why="I1 is smooth at 0 (I1'' = 0, I1''' = 3/8 there); TensorFlow returns NaN")

BESSEL_I0_HIGHER_AT_0 = KnownBug(
    "BesselI0's gradient is bessel_i1(x), whose own gradient imputes 1.0 at x = 0 (BESSEL_I1_AT_0): I0''(0) comes back "
    "1.0, but I0(x) = 1 + x²/4 + x⁴/64 + …, so I0''(0) = 1/2; I0'''(0) = 0 comes back NaN",
    "https://github.com/tensorflow/tensorflow/issues/120578",
    second_repro("x = tf.constant(0.0, tf.float64)", "tf.math.bessel_i0(x)", "1.0, expected 0.5"),
    checks=POINT_SECOND + POINT_THIRD,
    related=("https://github.com/jax-ml/jax/pull/40640", "https://github.com/jax-ml/jax/issues/40627"),
    searched=("bessel_i1 gradient at x=0 returns 1.0 instead of 0.5 bessel_j1 second derivative nan",),
    kind="wrong value", kind_why="I0 is smooth at 0 with I0''(0) = 1/2; TensorFlow returns 1.0 (and NaN for I0''')",
    workaround=series_at_0("bessel_i0_near_0", "tf.math.bessel_i0(x)", "1 + x²/4 + x⁴/64 + x⁶/2304", "tf.math.bessel_i0",
                           "1 + tf.square(s) / 4 + tf.square(tf.square(s)) / 64 + tf.square(tf.square(s)) * tf.square(s) / 2304"))

BESSEL_J1_HIGHER_AT_0 = KnownBug(
    "BesselJ1's gradient is where(x == 0, 0.5, J0(x) − J1(x)/x); differentiating it at x = 0 sends a zero cotangent "
    "into the unselected branch's J1(x)/x, where 0·(1/0) = NaN: reverse over reverse and reverse over forward give NaN "
    "for J1''(0) = 0 (J1 is odd), and reverse³ NaN for J1'''(0) = −3/8",
    "unreported",
    second_repro("x = tf.constant(0.0, tf.float64)", "tf.math.special.bessel_j1(x)", "nan, expected 0.0 (J1 is odd)"),
    checks=("special_reverse_over_reverse", "special_reverse_over_forward", "special_third"),
    related=("https://github.com/jax-ml/jax/pull/40640",),
    searched=("bessel_i1 gradient at x=0 returns 1.0 instead of 0.5 bessel_j1 second derivative nan", "tf.math.special.bessel_y1 bessel_k0e gradient nan at x=0; bessel_j1 second derivative nan at 0"),
    kind="wrong value", kind_why="J1 is smooth at 0 (J1'' = 0, J1''' = −3/8 there); TensorFlow returns NaN",
    workaround=series_at_0("bessel_j1_near_0", "tf.math.special.bessel_j1(x)", "x/2 − x³/16 + x⁵/384",
                           "tf.math.special.bessel_j1", "s * (1 / 2 - s * s * (1 / 16 - s * s / 384))"))

BESSEL_J0_THIRD_AT_0 = KnownBug(
    "BesselJ0's gradient is −bessel_j1(x), whose own gradient's where() at x = 0 makes the next derivative NaN "
    "(BESSEL_J1_HIGHER_AT_0): J0'''(0) = 0 (J0 is even) comes back NaN",
    "unreported",
    repro("x = tf.constant(0.0, tf.float64)\nwith tf.GradientTape() as t3:\n    t3.watch(x)\n    with tf.GradientTape() as t2:\n"
          "        t2.watch(x)\n        with tf.GradientTape() as t1:\n            t1.watch(x)\n"
          "            y = tf.math.special.bessel_j0(x)\n        g = t1.gradient(y, x)\n    h = t2.gradient(g, x)\n"
          "print(t3.gradient(h, x))  # nan, expected 0.0 (J0 is even)"),
    checks=POINT_THIRD,
    searched=("bessel_i1 gradient at x=0 returns 1.0 instead of 0.5 bessel_j1 second derivative nan", "tf.math.special.bessel_y1 bessel_k0e gradient nan at x=0; bessel_j1 second derivative nan at 0"),
    kind="wrong value", kind_why="J0 is smooth and even at 0 (J0''' = 0); TensorFlow returns NaN",
    workaround=series_at_0("bessel_j0_near_0", "tf.math.special.bessel_j0(x)", "1 − x²/4 + x⁴/64 − x⁶/2304",
                           "tf.math.special.bessel_j0", "1 - tf.square(s) / 4 + tf.square(tf.square(s)) / 64 - tf.square(tf.square(s)) * tf.square(s) / 2304"))

BESSEL_I1E_AT_0 = KnownBug(
    "BesselI1e's gradient imputes 0.5 at x = 0 with a where() whose unselected branch multiplies by 1/x: reverse over "
    "reverse and reverse over forward give NaN for the second derivative and reverse³ NaN for the third, where "
    "I1e = x/2 − x|x|/2 + 5x³/16 + … has one-sided second derivatives ∓1 and third derivative 15/8 on both sides",
    "unreported",
    second_repro("x = tf.constant(0.0, tf.float64)", "tf.math.bessel_i1e(x)", "nan, expected a value in [-1, 1]"),
    checks=("special_reverse_over_reverse", "special_reverse_over_forward", "special_third"),
    searched=("bessel_i1 gradient at x=0 returns 1.0 instead of 0.5 bessel_j1 second derivative nan",),
    kind="convention", kind_why="I1e' has a kink at 0 (e^(−|x|)), so I1e'' does not exist there and any value between the "
                                "one-sided −1 and +1 would do; TensorFlow returns NaN (forward over reverse gives 0; no "
                                "source found states what PyTorch or JAX return there)")

BESSEL_I0E_AT_0 = KnownBug(
    "BesselI0e's gradient i1e(x) − sign(x)·i0e(x) has derivative i1e'(0) − sign'(0)·1 − sign(0)·i0e'(0) = 1/2 at x = 0 "
    "(sign's derivative taken as 0), while I0e = 1 − |x| + 3x²/4 − 5|x|³/12 + … has the second derivative 3/2 on both "
    "sides of 0; the third derivative (one-sided ∓5/2) comes back NaN",
    "unreported",
    second_repro("x = tf.constant(0.0, tf.float64)", "tf.math.bessel_i0e(x)", "0.5, expected 1.5 (both one-sided values)"),
    checks=POINT_SECOND + POINT_THIRD,
    searched=("bessel_i1 gradient at x=0 returns 1.0 instead of 0.5 bessel_j1 second derivative nan",),
    kind="convention", kind_why="I0e has a kink at 0, so no second derivative exists there; both one-sided second "
                                "derivatives are 3/2 and TensorFlow returns 1/2 (no source found states what PyTorch or "
                                "JAX return there)")

EDGE_SECOND_NAN = KnownBug(
    "At x = 0, the edge of the domain, where the first derivative is a one-sided ±inf, the gradient's own gradient "
    "evaluates inf − inf or 0·inf: bessel_y0, bessel_y1, bessel_k0e, bessel_k1e, expint and spence return NaN for a "
    "second derivative whose one-sided limit is ±inf (Y0'' → −inf, Y1'' → −inf, K0e'' → +inf, K1e'' → +inf, "
    "Ei'' → −inf, spence'' → +inf)",
    "unreported",
    second_repro("x = tf.constant(0.0, tf.float64)", "tf.math.special.bessel_y0(x)",
                 "nan, expected the one-sided limit -Y1'(0+) = -inf"),
    checks=POINT_SECOND,
    searched=("tf.math.special.bessel_y1 bessel_k0e gradient nan at x=0; bessel_j1 second derivative nan at 0", "tf.math.special spence dawsn expint gradient NaN second derivative"),
    kind="convention", kind_why="no second derivative exists at the domain edge; the one-sided limit is ±inf (what log, "
                                "sqrt and bessel_k0 return there) and TensorFlow returns NaN")

BESSEL_K0E_AT_0 = KnownBug(
    "BesselK0e's gradient y − k1e(x) is inf − inf = NaN at x = 0; K0e'(x) = K0e(x) − K1e(x) ~ −ln x − 1/x → −inf "
    "(bessel_k0 and bessel_k1e give −inf there)",
    "unreported",
    grad_repro("x = tf.constant(0.0, tf.float64)", "tf.math.special.bessel_k0e(x)", "nan, expected -inf"),
    searched=("tf.math.special.bessel_y1 bessel_k0e gradient nan at x=0; bessel_j1 second derivative nan at 0",),
    kind="convention", kind_why="x = 0 is the edge of K0e's domain and its derivative exists only as the one-sided limit "
                                "−inf; TensorFlow returns NaN")

BESSEL_Y1_AT_0 = KnownBug(
    "BesselY1's gradient Y0(x) − Y1(x)/x is −inf − (−inf) = NaN at x = 0 (a comment in math_grad.py calls NaN "
    "fine because the derivative is undefined at 0); the one-sided limit is Y1'(x) ~ 2/(πx²) → +inf, which "
    "bessel_y0 (+inf), bessel_k1 (−inf) and log give at their own boundary poles",
    "unreported",
    grad_repro("x = tf.constant(0.0, tf.float64)", "tf.math.special.bessel_y1(x)", "nan, expected +inf"),
    searched=("tf.math.special.bessel_y1 bessel_k0e gradient nan at x=0; bessel_j1 second derivative nan at 0",),
    kind="convention", kind_why="x = 0 is the edge of Y1's domain and its derivative exists only as the one-sided limit "
                                "+inf; TensorFlow returns NaN (math_grad.py: 'NaN which is fine since the derivative is "
                                "undefined at 0')")

SPENCE_AT_1 = KnownBug(
    "SpenceGrad is where(x == 1, −1, log(x)/(1 − x)); differentiating it at x = 1 sends a zero cotangent into "
    "log(x)/(1 − x), where 0/0 = NaN: the second derivative 1/2 and the third −2/3 of the smooth spence(x) = Li₂(1 − x) "
    "come back NaN (forward over reverse gives 0)",
    "unreported",
    second_repro("x = tf.constant(1.0, tf.float64)", "tf.math.special.spence(x)", "nan, expected 0.5"),
    checks=POINT_SECOND + POINT_THIRD,
    searched=("tf.math.special spence dawsn expint gradient NaN second derivative",),
    kind="wrong value", kind_why="spence is smooth at 1 (spence'' = 1/2, spence''' = −2/3); TensorFlow returns NaN (0 by "
                                 "forward over reverse)",
    workaround=Workaround('''import tensorflow as tf


def spence(x):
    """tf.math.special.spence(x) = Li2(1 - x) with the series t + t²/4 + t³/9 + t⁴/16 + t⁵/25 (t = 1 - x, by Horner's
    rule with products) for |1 - x| < 1e-3, where it is exact to float64 and its derivatives at x = 1 are right, and
    the kernel elsewhere."""
    near = tf.abs(1 - tf.stop_gradient(x)) < 1e-3
    t = 1 - tf.where(near, x, tf.ones_like(x))
    far = tf.where(near, 2 * tf.ones_like(x), x)
    return tf.where(near, t * (1 + t * (1 / 4 + t * (1 / 9 + t * (1 / 16 + t / 25)))), tf.math.special.spence(far))
''', "spence"))

IGAMMA_A1_X0 = KnownBug(
    "the x-gradient exp(−x + (a−1)·log x − lgamma a) evaluates 0·log 0 = 0·(−inf) = NaN at a = 1, x = 0; "
    "P(1, x) = 1 − e^(−x) has derivative e^0 = 1 there (igammac shares _IgammaGrad)",
    "https://github.com/tensorflow/tensorflow/issues/123578",
    grad_repro("a = tf.constant(1.0, tf.float64); x = tf.constant(0.0, tf.float64)", "tf.math.igamma(a, x)",
               "nan, expected 1.0 (igammac: nan, expected -1.0)"),
    related=("https://github.com/tensorflow/tensorflow/pull/123580",),
    searched=("tf.math.special spence dawsn expint gradient NaN second derivative",),
    kind="wrong value", kind_why="∂P/∂x = x^(a−1)e^(−x)/Γ(a) → 1 as x → 0+ for a = 1 (P(1, x) = 1 − e^(−x) is smooth); "
                                 "TensorFlow returns NaN",
    workaround=Workaround('''import tensorflow as tf


def igamma(a, x):
    """tf.math.igamma(a, x) whose x-derivative is exp(xlogy(a - 1, x) - x - lgamma(a)), with xlogy's 0·log 0 = 0 at
    a = 1, x = 0 (TensorFlow's gradient computes (a - 1)·log x = 0·(-inf) = NaN there). First derivatives only:
    the x-derivative enters as a constant slope, and TensorFlow has no second derivative in a anyway."""
    sx = tf.stop_gradient(x)
    density = tf.stop_gradient(tf.exp(tf.math.xlogy(a - 1, x) - x - tf.math.lgamma(a)))
    inside = sx > 0  # at x = 0 the kernel's own partials are NaN even times a zero tangent; there igamma(a, 0) = 0
    kernel = tf.math.igamma(a, tf.where(inside, sx, tf.ones_like(sx)))
    return tf.where(inside, kernel, 0 + tf.zeros_like(kernel)) + (x - sx) * density
''', "igamma"))

IGAMMAC_A1_X0 = dataclasses.replace(IGAMMA_A1_X0, workaround=Workaround('''import tensorflow as tf


def igammac(a, x):
    """tf.math.igammac(a, x) = 1 - igamma(a, x) whose x-derivative is -exp(xlogy(a - 1, x) - x - lgamma(a)), with
    xlogy's 0·log 0 = 0 at a = 1, x = 0 (TensorFlow's gradient is NaN there). First derivatives only."""
    sx = tf.stop_gradient(x)
    density = tf.stop_gradient(tf.exp(tf.math.xlogy(a - 1, x) - x - tf.math.lgamma(a)))
    inside = sx > 0  # at x = 0 the kernel's own partials are NaN even times a zero tangent; there igammac(a, 0) = 1
    kernel = tf.math.igammac(a, tf.where(inside, sx, tf.ones_like(sx)))
    return tf.where(inside, kernel, 1 + tf.zeros_like(kernel)) - (x - sx) * density
''', "igammac"))

IGAMMA_SECOND_ORDER = KnownBug(
    "the a-gradient is the raw op IgammaGradA, which has no gradient registered: every second derivative "
    "raises LookupError although ∂²P/∂a², ∂²P/∂a∂x exist",
    "unreported",
    repro("a = tf.constant(1.5, tf.float64); x = tf.constant(0.7, tf.float64)\n"
          "with tf.GradientTape() as t2:\n    t2.watch(a)\n    with tf.GradientTape() as t1:\n        t1.watch(a)\n"
          "        y = tf.math.igamma(a, x)\n    g = t1.gradient(y, a)\n"
          "print(t2.gradient(g, a))  # LookupError: gradient registry has no entry for: IgammaGradA; expected d²P/da²"),
    checks=("reverse_over_reverse", "forward_over_reverse", "reverse_over_forward", "forward_over_forward") + POINT_SECOND,
    related=("https://github.com/jax-ml/jax/issues/7922",),
    searched=("IgammaGradA no gradient registered second derivative igamma with respect to a",),
    kind="missing gradient", kind_why="P(a, x) is smooth in a; the second derivatives raise LookupError (IgammaGradA has "
                                      "no gradient)",
    no_workaround="∂P/∂a is its own kernel (IgammaGradA) with no derivative, and no other TensorFlow op computes "
                  "∂²P/∂a∂x or ∂²P/∂a² (a series or quadrature in plain ops would be the only way)")

BETAINC_AB = KnownBug(
    "_BetaincGrad returns None for a and b (a TODO in math_grad.py), so the tape gives no (or, with "
    "unconnected_gradients=ZERO, a zero) gradient w.r.t. the shape parameters although ∂I_x(a, b)/∂a and ∂/∂b exist",
    "unreported",
    repro("a = tf.constant(1.0, tf.float64); b = tf.constant(1.0, tf.float64); x = tf.constant(0.5, tf.float64)\n"
          "with tf.GradientTape() as t:\n    t.watch([a, b])\n    y = tf.math.betainc(a, b, x)  # I_x(1, 1) = x\n"
          "print(t.gradient(y, [a, b]))  # [None, None], expected [x log x, -(1-x) log(1-x)] = [-0.3466, 0.3466]"),
    # reverse-over-forward and forward-over-forward give vᵀHw of TF's asymmetric "Hessian" (rows a, b zero) where
    # the oracle gives wᵀHv; reverse-over-reverse and forward-over-reverse agree with differences of TF's own gradient
    checks=("reverse", "forward", "reverse_over_forward", "forward_over_forward"),
    related=("https://github.com/tensorflow/probability/pull/1580",),
    searched=("tf.math.zeta gradient with respect to x None TODO derivative; betainc gradient with respect to a b None",),
    kind="missing gradient", kind_why="I_x(a, b) is differentiable in a and b; the tape returns None",
    no_workaround="no TensorFlow op computes ∂I_x(a, b)/∂a or ∂/∂b (it needs a series or a quadrature of "
                  "t^(a−1)(1 − t)^(b−1) log t written in plain ops)")
BETAINC_AB_AT_POINT = dataclasses.replace(BETAINC_AB, checks=POINT_CHECKS + ("special_forward_over_reverse",))
# forward over reverse differentiates the gradient's a- and b-components too, which TensorFlow leaves None (so 0)
BETAINC_AB_FORWARD_OVER_REVERSE = dataclasses.replace(BETAINC_AB, checks=("special_forward_over_reverse",))

BETAINC_X_AT_EDGE = KnownBug(
    "_BetaincGrad's x-gradient exp(xlog1py(b − 1, −x) + xlogy(a − 1, x) − log B(a, b)) differentiated at x = 0 with a > 1 "
    "(or at x = 1 with b > 1) multiplies exp(−inf) = 0 by the exponent's derivative (a − 1)/x = inf: ∂²I/∂x² comes back "
    "NaN where it is finite (I_x(2, 2) = 3x² − 2x³ has ∂²I/∂x² = 6 at x = 0 and −6 at x = 1)",
    "unreported",
    second_repro("a = tf.constant(2.0, tf.float64); b = tf.constant(2.0, tf.float64); x = tf.constant(0.0, tf.float64)",
                 "tf.math.betainc(a, b, x)", "nan, expected 6.0 (I_x(2, 2) = 3x**2 - 2x**3)"),
    checks=("special_reverse_over_reverse", "special_reverse_over_forward", "special_forward_over_forward"),
    searched=("tf.math.zeta gradient with respect to x None TODO derivative; betainc gradient with respect to a b None",),
    kind="wrong value", kind_why="I_x(a, b) for integer a, b ≥ 2 is a polynomial in x with finite second derivative at the "
                                 "ends of [0, 1]; TensorFlow returns NaN",
    no_workaround="forward over forward differentiates TensorFlow's own Betainc gradient, which a tf.custom_gradient cannot "
                  "replace (ForwardAccumulator ignores it), and no other TensorFlow op computes I_x(a, b); reverse over reverse "
                  "alone can be fixed by a tf.custom_gradient whose x-gradient is x^(a−1)(1 − x)^(b−1)/B(a, b) written with "
                  "integer-safe powers")

BETAINC_SECOND_AT_A1 = KnownBug(
    "_BetaincGrad's x-gradient goes through xlogy(a − 1, x) and xlog1py(b − 1, −x), whose derivative in the first "
    "argument is 0 where it is 0 (XLOGY_AT_X0): at a = b = 1 ∂²I/∂a∂x = ln x − ψ(1) + ψ(2) = 1 − ln 2 comes back 1 "
    "(the −ψ(a) + ψ(a + b) terms of log B only), and the same for b",
    "https://github.com/tensorflow/tensorflow/issues/119476",
    repro("a = tf.constant(1.0, tf.float64); b = tf.constant(1.0, tf.float64); x = tf.constant(0.5, tf.float64)\n"
          "with tf.GradientTape() as t2:\n    t2.watch([a, x])\n    with tf.GradientTape() as t1:\n        t1.watch(x)\n"
          "        y = tf.math.betainc(a, b, x)\n    gx = t1.gradient(y, x)\n"
          "print(t2.gradient(gx, a))  # 1.0, expected ln(1/2) + 1 = 0.3069"),
    checks=("special_reverse_over_reverse", "special_reverse_over_forward", "special_forward_over_forward"),
    related=("https://github.com/tensorflow/tensorflow/pull/119869", "https://github.com/tensorflow/tensorflow/issues/127240"),
    searched=("xlogy gradient with respect to x is zero at x=0 should be log(y)", "nested autodiff through tf.math.xlogy loses mixed second derivative terms at x=0"),
    kind="wrong value", kind_why="∂I/∂x = x^(a−1)(1 − x)^(b−1)/B(a, b) is smooth in a at a = 1 (its a-derivative has the "
                                 "ln x term); TensorFlow drops it",
    no_workaround="forward over forward differentiates TensorFlow's own Betainc gradient, which a tf.custom_gradient cannot "
                  "replace, and no other TensorFlow op computes I_x(a, b); the fix is XLOGY_AT_X0's (pull 119869)")

ZETA_X = KnownBug(
    "_ZetaGrad returns None for x (the TODO 'Add derivative with respect to x'), so the tape gives no (or a zero) "
    "gradient w.r.t. the exponent although ∂ζ(x, q)/∂x = −Σ ln(n + q)/(n + q)^x exists; second derivatives "
    "through ∂ζ/∂q = −x ζ(x + 1, q) lose the same term",
    "https://github.com/tensorflow/tensorflow/issues/60041",
    grad_repro("x = tf.constant(2.0, tf.float64); q = tf.constant(1.0, tf.float64)", "tf.math.zeta(x, q)",
               "None, expected zeta'(2) = -0.93754825431584"),
    checks=("reverse", "forward", "reverse_over_reverse", "forward_over_reverse", "reverse_over_forward",
            "forward_over_forward"),
    searched=("tf.math.zeta gradient with respect to x None TODO derivative; betainc gradient with respect to a b None",),
    kind="missing gradient", kind_why="ζ(x, q) is differentiable in x for x > 1; the tape returns None",
    workaround=ZETA_WORKAROUND)
ZETA_X_AT_POINT = dataclasses.replace(ZETA_X, checks=POINT_CHECKS + POINT_SECOND)

ZETA_TAIL = KnownBug(
    "the q-gradient −x·zeta(x + 1, q) is 0 for q ≳ 1e154: Eigen's zeta sums (q + k)^(−s) term by term, and each term "
    "underflows although ζ(s, q) ≈ q^(1−s)/(s − 1) is representable (∂ζ(2, q)/∂q = −2ζ(3, q) ≈ −1/q² = −2⁻¹⁰²² at q = 2⁵¹¹)",
    "unreported",
    grad_repro("x = tf.constant(2.0, tf.float64); q = tf.constant(1e120, tf.float64)", "tf.math.zeta(x, q)",
               "0.0, expected -2*zeta(3, q) = -1/q**2 = -1e-240", watch="q"),
    checks=("tail_reverse", "tail_forward"),
    searched=("tf.math.digamma polygamma zeta large x returns 0 underflow Eigen zeta float64",),
    kind="tail", kind_why="−2ζ(3, q) ≈ −1/q² is a normal float64 up to q ≈ 1.3e154; TensorFlow returns 0 from q ≈ 1e103",
    workaround=ZETA_WORKAROUND)

DIGAMMA_TAIL = KnownBug(
    "DigammaGrad's polygamma(1, x) = zeta(2, x) is 0 for x ≳ 1e154 (Eigen's zeta sums (x + k)^(−2) term by term and "
    "each term underflows), although ψ'(x) ≈ 1/x is a normal float64 up to x = 2¹⁰²² = 4.5e307",
    "unreported",
    grad_repro("x = tf.constant(1e200, tf.float64)", "tf.math.digamma(x)", "0.0, expected psi'(1e200) = 1e-200"),
    checks=("tail_reverse", "tail_forward"),
    searched=("tf.math.digamma polygamma zeta large x returns 0 underflow Eigen zeta float64",),
    kind="tail", kind_why="ψ'(x) ≈ 1/x is a normal float64 up to x = 2¹⁰²²; TensorFlow returns 0 from x ≈ 1.3e154",
    workaround=DIGAMMA_WORKAROUND)

POLYGAMMA_TAIL = KnownBug(
    "PolygammaGrad's polygamma(n + 1, x), for n ≥ 1 a Hurwitz zeta sum (x + k)^(−n−2) term by term, is 0 once the terms "
    "underflow: ∂ψ'(x)/∂x = ψ''(x) ≈ −1/x² comes back 0 for x ≳ 1e103 although it is normal up to x = 2⁵¹¹",
    "unreported",
    grad_repro("n = tf.constant(1.0, tf.float64); x = tf.constant(1e120, tf.float64)", "tf.math.polygamma(n, x)",
               "0.0, expected psi''(1e120) = -1e-240"),
    checks=("tail_reverse", "tail_forward"),
    searched=("tf.math.digamma polygamma zeta large x returns 0 underflow Eigen zeta float64",),
    kind="tail", kind_why="ψ''(x) ≈ −1/x² is a normal float64 up to x = 2⁵¹¹; TensorFlow returns 0 from x ≈ 1e103",
    workaround=POLYGAMMA_WORKAROUND)

BESSEL_I0_OVERFLOW = KnownBug(
    "BesselI0's derivative bessel_i1(x) is inf for 709.8 < x < 713.9 (Cephes computes I1 = e^x·i1e(x), and e^x "
    "overflows first), although I1(x) ≈ e^x/√(2πx) is a normal float64 there (2.5e307 at x = 712)",
    "unreported",
    grad_repro("x = tf.constant(712.0, tf.float64)", "tf.math.bessel_i0(x)", "inf, expected I1(712) = 2.4649e307"),
    checks=("tail_reverse", "tail_forward"),
    related=("https://github.com/tensorflow/tensorflow/issues/124772", "https://github.com/tensorflow/tensorflow/pull/124890"),
    searched=("tensorflow bessel_j0 bessel_y0 inaccurate for large x; bessel_i1 overflow inf; bessel_i0e gradient precision",),
    kind="tail", kind_why="I1(712) = 2.46e307 is a normal float64; TensorFlow returns inf",
    workaround=overflow_workaround("bessel_i0_large_x", "tf.math.bessel_i0", 0))

BESSEL_I1_OVERFLOW = KnownBug(
    "BesselI1's derivative bessel_i0(x) − bessel_i1(x)/x is inf − inf = NaN for 709.8 < x < 713.9 (Cephes computes both "
    "as e^x times a scaled function, and e^x overflows first), although I1'(x) ≈ e^x/√(2πx) is a normal float64 there",
    "https://github.com/tensorflow/tensorflow/issues/124772",
    grad_repro("x = tf.constant(712.0, tf.float64)", "tf.math.bessel_i1(x)", "nan, expected I0(712) - I1(712)/712 = 2.4667e307"),
    checks=("tail_reverse", "tail_forward"),
    related=("https://github.com/tensorflow/tensorflow/pull/124890",),
    searched=("tensorflow bessel_j0 bessel_y0 inaccurate for large x; bessel_i1 overflow inf; bessel_i0e gradient precision",),
    kind="tail", kind_why="I1'(712) = 2.47e307 is a normal float64; TensorFlow returns NaN",
    workaround=overflow_workaround("bessel_i1_large_x", "tf.math.bessel_i1", 1))


def scaled_cancellation(op_name: str, name: str, nu: int, kind: str, formula: str, at: float, got: str, want: float) -> KnownBug:
    return KnownBug(
        f"{op_name}'s gradient {formula} subtracts two numbers that agree to within a factor 1 + O(1/x): the relative "
        "error of the derivative grows like x·2⁻⁵³ (1e-7 at x = 1e10, 25% at 1e15) and the derivative is 0 once they "
        "round alike, although it is ≈ ∓1/(2x) times the function, a normal float64 up to x ≈ 1e204",
        "unreported",
        grad_repro(f"x = tf.constant({at!r}, tf.float64)", f"{op_name}(x)", f"{got}, expected {want:.10e}"),
        checks=("tail_reverse", "tail_forward"),
        searched=("tensorflow bessel_j0 bessel_y0 inaccurate for large x; bessel_i1 overflow inf; bessel_i0e gradient precision",),
        kind="tail", kind_why="the derivative is a normal float64 far into the tail; TensorFlow loses its digits by "
                              "cancellation and returns 0 beyond x ≈ 1e17",
        workaround=scaled_workaround(name, op_name, nu, kind))


BESSEL_I0E_TAIL = scaled_cancellation("tf.math.bessel_i0e", "bessel_i0e", 0, "i", "i1e(x) − sign(x)·i0e(x)", 1e15,
                                      "-4.963e-24", scaled_i_prime(0, 1e15))
BESSEL_I1E_TAIL = scaled_cancellation("tf.math.bessel_i1e", "bessel_i1e", 1, "i", "i0e(x) − i1e(x)·(sign(x) + 1/x)", 1e15,
                                      "a wrong value", scaled_i_prime(1, 1e15))
BESSEL_K0E_TAIL = scaled_cancellation("tf.math.special.bessel_k0e", "bessel_k0e", 0, "k", "k0e(x) − k1e(x)", 1e15,
                                      "a wrong value", scaled_k_prime(0, 1e15))
BESSEL_K1E_TAIL = scaled_cancellation("tf.math.special.bessel_k1e", "bessel_k1e", 1, "k", "k1e(x)·(1 − 1/x) − k0e(x)", 1e15,
                                      "a wrong value", scaled_k_prime(1, 1e15))


def phase_bug(name: str, nu: int, which: int, parity: str, expected: float) -> KnownBug:
    letter = "JY"[which]
    return KnownBug(
        f"tf.math.special.{name} (Cephes {name[-2:]}) evaluates its large-x expansion at the rounded phase "
        f"x − {'π/4' if nu == 0 else '3π/4'}: at x = 1e10 the phase is off by up to an ulp of x (2e-6), so the value and "
        f"the derivative have relative errors near 3e-7 (and no correct digit beyond x ≈ 1e16)",
        "unreported",
        grad_repro("x = tf.constant(1e10, tf.float64)", f"tf.math.special.{name}(x)", f"expected {expected:.15e}"),
        checks=("tail_reverse", "tail_forward"),
        searched=("tensorflow bessel_j0 bessel_y0 inaccurate for large x; bessel_i1 overflow inf; bessel_i0e gradient precision",),
        kind="wrong value", kind_why=f"{letter}{nu} is smooth at x = 1e10 and its derivative is a normal float64 known to "
                                     "full precision; TensorFlow's has 6 correct digits",
        workaround=hankel_workaround(name, nu, which, parity))


def j_prime(nu, x):
    j0, _ = hankel(0, x)
    j1, _ = hankel(1, x)
    return -j1 if nu == 0 else j0 - j1 / x


def y_prime(nu, x):
    _, y0 = hankel(0, x)
    _, y1 = hankel(1, x)
    return -y1 if nu == 0 else y0 - y1 / x


BESSEL_J0_PHASE = phase_bug("bessel_j0", 0, 0, "even", j_prime(0, 1e10))
BESSEL_J1_PHASE = phase_bug("bessel_j1", 1, 0, "odd", j_prime(1, 1e10))
BESSEL_Y0_PHASE = phase_bug("bessel_y0", 0, 1, "positive", y_prime(0, 1e10))
BESSEL_Y1_PHASE = phase_bug("bessel_y1", 1, 1, "positive", y_prime(1, 1e10))

DAWSN_TAIL = KnownBug(
    "DawsnGrad computes D'(x) = 1 − 2x·D(x), which cancels for large x (2xD(x) = 1 + 1/(2x²) + …): the relative error "
    "grows like x²·2⁻⁵³ (4e-8 at x = 1e4) and D' comes back 0 from x ≈ 1e8, although D'(x) ≈ −1/(2x²) is a normal "
    "float64 up to x ≈ 2⁵¹⁰",
    "unreported",
    grad_repro("x = tf.constant(1e8, tf.float64)", "tf.math.special.dawsn(x)", "0.0, expected -1/(2x**2) = -5e-17"),
    checks=("tail_reverse", "tail_forward"),
    searched=("tf.math.special spence dawsn expint gradient NaN second derivative",),
    kind="tail", kind_why="D'(x) ≈ −1/(2x²) is a normal float64; TensorFlow returns 0 from x ≈ 1e8",
    workaround=Workaround('''import tensorflow as tf


def dawsn(x):
    """tf.math.special.dawsn(x) with its asymptotic series 1/(2x) + 1/(4x³) + 3/(8x⁵) + 15/(16x⁷) + 105/(32x⁹)
    for |x| > 1e3 (relative error < 1e-30), whose derivative has no cancellation, and the kernel below."""
    far = tf.abs(tf.stop_gradient(x)) > 1e3
    big = tf.where(far, x, 2e3 * tf.ones_like(x))
    small = tf.where(far, tf.zeros_like(x), x)
    r = 1 / big
    series = r / 2 + r ** 3 / 4 + 3 * r ** 5 / 8 + 15 * r ** 7 / 16 + 105 * r ** 9 / 32
    return tf.where(far, series, tf.math.special.dawsn(small))
''', "dawsn"))

EXPINT_TAIL = KnownBug(
    "ExpintGrad computes Ei'(x) = exp(x)/x, and exp(x) overflows for x > 709.78 although e^x/x is a normal float64 up "
    "to x ≈ 716.3: the derivative comes back inf (4.64e307 at x = 715)",
    "unreported",
    grad_repro("x = tf.constant(715.0, tf.float64)", "tf.math.special.expint(x)", "inf, expected exp(715)/715 = 4.6371e307"),
    checks=("tail_reverse", "tail_forward"),
    searched=("tf.math.special spence dawsn expint gradient NaN second derivative",),
    kind="tail", kind_why="e^x/x = 4.64e307 at x = 715 is a normal float64; TensorFlow returns inf",
    workaround=Workaround('''import tensorflow as tf


def expint(x):
    """tf.math.special.expint(x) with the asymptotic series Ei(x) = e^x/x · Σₖ k!/xᵏ (twelve terms) for x > 700,
    written as exp(x − log x)·Σ so that nothing overflows before Ei does, and the kernel below."""
    far = tf.stop_gradient(x) > 700
    big = tf.where(far, x, 800 * tf.ones_like(x))
    small = tf.where(far, tf.ones_like(x), x)
    terms, term = [], tf.ones_like(big)
    for k in range(12):
        terms.append(term)
        term = term * (k + 1) / big
    return tf.where(far, tf.exp(big - tf.math.log(big)) * tf.add_n(terms), tf.math.special.expint(small))
''', "expint"))

XLA_QUANTILE_TAIL = KnownBug(
    "Under XLA erfcinv(x) and ndtri(x) for tiny x go through erfinv of 1 − x (and 2x − 1), which round to ±1: "
    "erfcinv(2⁻¹⁰²¹) and ndtri(2⁻¹⁰²²) come back infinite and so do their derivatives, although −(√π/2)e^(erfcinv(x)²) = "
    "−4.2e305 and √(2π)e^(ndtri(x)²/2) = 1.2e306 are normal float64s (eager and tf.function return them)",
    "unreported",
    repro("x = tf.constant(2.0 ** -1022, tf.float64)\n@tf.function(jit_compile=True)\ndef grad(x):\n"
          "    with tf.GradientTape() as t:\n        t.watch(x)\n        y = tf.math.ndtri(x)\n    return t.gradient(y, x)\n"
          "print(grad(x))  # inf, expected 1.197e306 (eager gives it)"),
    checks=("tail_reverse",), modes=("xla",),
    searched=("tf.math.erfinv returns inf for input close to 1 (1 - 2**-53) precision loss; erfinv gradient inf",),
    kind="tail", kind_why="the derivatives are normal float64s; XLA returns inf",
    no_workaround="no op that XLA compiles evaluates the normal quantile next to 0 (XLA lowers ndtri, erfcinv and "
                  "erfinv alike); the eager and tf.function kernels do, so the op can run outside jit_compile")

ERFINV_TAIL = KnownBug(
    "tf.math.erfinv(x) near 1 goes through (1 + x)/2, which rounds to 1 at x = 1 − 2⁻⁵³, so erfinv(1 − 2⁻⁵³) is inf "
    "(true 5.86) and its derivative (√π/2)e^(erfinv(x)²) inf (true 7.6e14); the same point near −1 is accurate (XLA's erfinv is accurate there)",
    "https://github.com/tensorflow/tensorflow/issues/121502",
    grad_repro("x = tf.constant(1.0 - 2.0 ** -53, tf.float64)", "tf.math.erfinv(x)",
               "inf, expected 7.5735e14 (erfinv(-(1 - 2**-53)) has it)"),
    checks=("tail_reverse", "tail_forward"), modes=("eager", "function"),
    related=("https://github.com/tensorflow/tensorflow/pull/121670", "https://github.com/tensorflow/tensorflow/issues/121629", "https://github.com/tensorflow/tensorflow/pull/121644"),
    searched=("tf.math.erfinv returns inf for input close to 1 (1 - 2**-53) precision loss; erfinv gradient inf",),
    kind="tail", kind_why="the derivative at the largest double below 1 is 7.6e14, a normal float64; TensorFlow returns inf",
    workaround=Workaround('''import tensorflow as tf


def erfinv(x):
    """tf.math.erfinv(x) as −erfinv(−x) for x >= 0 (erfinv is odd), where the kernel's (1 + x)/2 is exact, and the
    kernel itself below 0."""
    right = tf.stop_gradient(x) >= 0
    return tf.where(right, -tf.math.erfinv(-tf.where(right, x, tf.zeros_like(x))),
                    tf.math.erfinv(tf.where(right, tf.zeros_like(x), x)))
''', "erfinv"))


# ----------------------------------------------------------------------------------- entries

SQRT_PI = math.sqrt(math.pi)

# C'(x) = cos(πx²/2) at a float64 x: |x| ≥ 1 is M·2^e with a 53-bit M, so x² is an integer (cos = 0 at an odd one, ±1
# at an even one) or a dyadic rational at least 2⁻¹⁰⁴ from every odd integer; |x| < 1 keeps x² at least 2⁻⁵³ below 1.
FRESNEL_COS_NO_TAILS = (
    "the derivative cos(πx²/2) has magnitude at most 1, and at a float64 x it is either exactly 0 (x an odd integer) or "
    "at least (π/2)·2⁻¹⁰⁴ ≈ 7.7e-32 in magnitude (x² is a dyadic rational with at most 106 significant bits, so it is "
    "an odd integer or at least 2⁻¹⁰⁴ from one): it never underflows or overflows, so there is no float64 tail")

OPS = [
    # --- gamma family
    unary("tf.math.lgamma", tf.math.lgamma, GAMMA_POLES, [
        point("x=1,2", [[1.0, 2.0]], [[-EULER_GAMMA, 1.0 - EULER_GAMMA]],
              "lgamma' = ψ; ψ(1) = −γ and ψ(2) = ψ(1) + 1 = 1 − γ",
              second=hvp([[PI2_6, PI2_6 - 1.0]], "lgamma'' = ψ': ψ'(1) = ζ(2) = π²/6, ψ'(2) = ψ'(1) − 1")),
        point("x=1/2", [0.5], [-EULER_GAMMA - 2 * LN2], "ψ(1/2) = −γ − 2 ln 2 (Gauss's digamma theorem)",
              second=hvp([math.pi ** 2 / 2], "ψ'(1/2) = (2² − 1) ζ(2) = π²/2")),
        point("x=-1/2,-3/2", [[-0.5, -1.5]], [[2.0 - EULER_GAMMA - 2 * LN2, 2.0 + 2.0 / 3.0 - EULER_GAMMA - 2 * LN2]],
              "lgamma = log|Γ| has derivative ψ also where Γ < 0; ψ(x) = ψ(x + 1) − 1/x gives ψ(−1/2) = ψ(1/2) + 2 "
              "and ψ(−3/2) = ψ(−1/2) + 2/3",
              second=hvp([[math.pi ** 2 / 2 + 4.0, math.pi ** 2 / 2 + 4.0 + 4.0 / 9.0]],
                         "ψ'(x) = ψ'(x + 1) + 1/x²: ψ'(−1/2) = π²/2 + 4, ψ'(−3/2) = ψ'(−1/2) + 4/9")),
        *empty_unary(),
    ], tails=[
        tail("x=1e306 (lgamma overflows)", [1e306], [math.log(1e306) - 0.5e-306],
             "ψ(x) = ln x − 1/(2x) − … = 704.59 while lgamma(1e306) ≈ 7e308 overflows"),
        tail("x=1e-300 (ψ ≈ −1/x)", [1e-300], [-1e300 - EULER_GAMMA], "ψ(x) = −1/x − γ + O(x) = −1e300"),
    ]),
    unary("tf.math.digamma", tf.math.digamma, GAMMA_POLES, [
        point("x=1,2", [[1.0, 2.0]], [[PI2_6, PI2_6 - 1.0]], "ψ'(1) = ζ(2) = π²/6; ψ'(x + 1) = ψ'(x) − 1/x² gives ψ'(2) = π²/6 − 1",
              second=hvp([[-2 * ZETA3, 2.0 - 2 * ZETA3]], "ψ''(1) = −2ζ(3); ψ''(x + 1) = ψ''(x) + 2/x³ gives ψ''(2) = 2 − 2ζ(3)")),
        point("x=1/2,-1/2", [[0.5, -0.5]], [[math.pi ** 2 / 2, math.pi ** 2 / 2 + 4.0]],
              "ψ'(1/2) = (2² − 1) ζ(2) = π²/2; ψ'(−1/2) = ψ'(1/2) + 1/(1/2)² = π²/2 + 4",
              second=hvp([[-14 * ZETA3, 16.0 - 14 * ZETA3]], "ψ''(1/2) = (2³ − 1)ψ''(1) = −14ζ(3); ψ''(−1/2) = ψ''(1/2) − "
                                                             "2/(−1/2)³ = −14ζ(3) + 16")),
        *empty_unary(),
    ], tails=[
        tail("x=1e100", [1e100], [1e-100 + 0.5e-200], "ψ'(x) = 1/x + 1/(2x²) + … = 1e-100"),
        tail("x=1e200 (ψ' = 1e-200)", [1e200], [1e-200], "ψ'(x) = 1/x + 1/(2x²) + … = 1e-200", bug=DIGAMMA_TAIL),
        tail("x=2^1022 (last normal f')", [2.0 ** 1022], [2.0 ** -1022], "ψ'(x) = 1/x to float64 precision: 2⁻¹⁰²²", bug=DIGAMMA_TAIL),
        ftz("x=1.7e308 (subnormal f')", [1.7e308], [1.0 / 1.7e308], "ψ'(x) = 1/x = 5.9e-309, subnormal"),
        tail("x=2^-511 (f' near the largest float)", [2.0 ** -511], [2.0 ** 1022], "ψ'(x) = 1/x² + π²/6 + O(x) = 2¹⁰²² to float64 precision"),
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
              "∂ψ⁽ⁿ⁾/∂x = ψ⁽ⁿ⁺¹⁾: ψ'(1) = π²/6, ψ''(1) = −2ζ(3), ψ''(1/2) = −2·7ζ(3), ψ'''(1) = 3!·ζ(4) = π⁴/15",
              second=hvp([[-2 * ZETA3, math.pi ** 4 / 15, math.pi ** 4, -24 * ZETA5]],
                         "∂²ψ⁽ⁿ⁾/∂x² = ψ⁽ⁿ⁺²⁾: ψ''(1) = −2ζ(3), ψ'''(1) = 6ζ(4) = π⁴/15, ψ'''(1/2) = (2⁴ − 1)π⁴/15 = π⁴, "
                         "ψ⁗(1) = −24ζ(5)")),
        point("n=1 at x=2", [np.asarray(1.0), 2.0], [2.0 - 2 * ZETA3], "ψ''(2) = ψ''(1) + 2/1³ = 2 − 2ζ(3)",
              second=hvp([math.pi ** 4 / 15 - 6.0], "ψ'''(2) = ψ'''(1) − 3!/1⁴ = π⁴/15 − 6")),
        point("empty x (0,)", [np.asarray(1.0), np.zeros(0)], [np.zeros(0)], EMPTY_WHY, second=hvp([np.zeros(0)], EMPTY_SECOND)),
        point("empty x (2,0)", [np.asarray(1.0), np.zeros((2, 0))], [np.zeros((2, 0))], EMPTY_WHY,
              second=hvp([np.zeros((2, 0))], EMPTY_SECOND)),
    ], tails=[
        tail("n=1,x=1e100", [np.asarray(1.0), 1e100], [-1e-200], "ψ''(x) = −1/x² − 1/x³ − … = −1e-200"),
        tail("n=1,x=1e120", [np.asarray(1.0), 1e120], [-1e-240], "ψ''(x) = −1/x² − … = −1e-240", bug=POLYGAMMA_TAIL),
        tail("n=1,x=2^511 (last normal f')", [np.asarray(1.0), 2.0 ** 511], [-(2.0 ** -1022)], "ψ''(x) = −1/x² = −2⁻¹⁰²²",
             bug=POLYGAMMA_TAIL),
        ftz("n=1,x=2^520 (subnormal f')", [np.asarray(1.0), 2.0 ** 520], [-(2.0 ** -1040)], "ψ''(x) = −1/x² = −2⁻¹⁰⁴⁰, subnormal"),
        tail("n=1,x=2^-340 (f' near the largest float)", [np.asarray(1.0), 2.0 ** -340], [-(2.0 ** 1021)],
             "ψ''(x) = −2/x³ − 2ζ(3) + … = −2¹⁰²¹ to float64 precision"),
    ]),
    two_args("tf.math.igamma", tf.math.igamma, SHAPE, POSITIVE, "a > 0; x ≥ 0", bugs=(IGAMMA_SECOND_ORDER,), points=[
        point("a=1,x=0", [1.0, 0.0], [0.0, 1.0],
              "P(a, 0) = 0 for every a so ∂/∂a = 0; P(1, x) = 1 − e^(−x) so ∂/∂x = e^0 = 1 (one-sided at x = 0)",
              bug=IGAMMA_A1_X0,
              second=hvp([None, -1.0], "∂²P/∂x² = −e^(−x) = −1 for a = 1 (v = (0, 1)); ∂²P/∂a∂x = ∂P/∂x·(ln x − ψ(a)) → "
                                       "−inf as x → 0+ (not asserted)", v=(0.0, 1.0), exists=False)),
        point("a=2,x=0", [2.0, 0.0], [0.0, 0.0], "P(a, 0) = 0 so ∂/∂a = 0; ∂P/∂x = x^(a−1) e^(−x)/Γ(a) → 0 for a = 2 as x → 0+",
              second=hvp([0.0, 1.0], "∂P/∂x = x e^(−x) for a = 2: ∂²P/∂x² = (1 − x)e^(−x) = 1, ∂²P/∂a∂x = x e^(−x)(ln x − "
                                     "ψ(2)) → 0 (v = (0, 1))", v=(0.0, 1.0))),
        point("a=1/2,x=0", [0.5, 0.0], [None, INF], INF_PARTIAL_WHY.format("∂P/∂x = x^(a−1) e^(−x)/Γ(a) → +inf for a = 1/2 as x → 0+"),
              second=hvp([None, -INF], "∂²P/∂x² = ∂P/∂x·((a − 1)/x − 1) → −inf as x → 0+ (v = (0, 1); the a-part, also "
                                       "infinite, is not asserted)", v=(0.0, 1.0), exists=False)),
        point("a=1,x=1", [1.0, 1.0], [-EULER_GAMMA / math.e - E1_AT_1, 1.0 / math.e],
              "∂P/∂a at a = 1 is ∫₀ˣ ln t e^(−t) dt − ψ(1)(1 − e^(−x)) = −γe^(−x) − e^(−x) ln x − E₁(x), at x = 1 "
              "−γ/e − E₁(1) (E₁ by its series); ∂P/∂x = e^(−1)",
              second=hvp([EULER_GAMMA / math.e, -1.0 / math.e], "∂²P/∂a∂x = e^(−x)(ln x − ψ(1)) = γ/e, ∂²P/∂x² = −e^(−x) = "
                                                                "−1/e at (1, 1) (v = (0, 1))", v=(0.0, 1.0))),
        *empty_pair(),
    ], tails=[
        tail("a=1,x=708 (last normal ∂/∂x)", [1.0, 708.0], [None, math.exp(-708.0)], "∂P/∂x = e^(−x) = 3.3e-308 for a = 1"),
        ftz("a=1,x=740 (subnormal ∂/∂x)", [1.0, 740.0], [None, math.exp(-740.0)], "∂P/∂x = e^(−740) = 4.2e-322, subnormal"),
    ]),
    two_args("tf.math.igammac", tf.math.igammac, SHAPE, POSITIVE, "a > 0; x ≥ 0", bugs=(IGAMMA_SECOND_ORDER,), points=[
        point("a=1,x=0", [1.0, 0.0], [0.0, -1.0], "Q = 1 − P: Q(a, 0) = 1 for every a; Q(1, x) = e^(−x) has derivative −1 at 0",
              bug=IGAMMAC_A1_X0,
              second=hvp([None, 1.0], "Q = 1 − P: ∂²Q/∂x² = e^(−x) = 1 for a = 1 (v = (0, 1)); the a-part → +inf (not asserted)",
                         v=(0.0, 1.0), exists=False)),
        point("a=2,x=0", [2.0, 0.0], [0.0, 0.0], "Q(a, 0) = 1 so ∂/∂a = 0; ∂Q/∂x = −x^(a−1) e^(−x)/Γ(a) → 0 for a = 2 as x → 0+",
              second=hvp([0.0, -1.0], "the negatives of P's: ∂²Q/∂x² = −1, ∂²Q/∂a∂x → 0 (v = (0, 1))", v=(0.0, 1.0))),
        point("a=1/2,x=0", [0.5, 0.0], [None, -INF], INF_PARTIAL_WHY.format("∂Q/∂x = −x^(a−1) e^(−x)/Γ(a) → −inf for a = 1/2 as x → 0+"),
              second=hvp([None, INF], "∂²Q/∂x² = −∂²P/∂x² → +inf as x → 0+ (v = (0, 1))", v=(0.0, 1.0), exists=False)),
        point("a=1,x=1", [1.0, 1.0], [EULER_GAMMA / math.e + E1_AT_1, -1.0 / math.e], "the negatives of P's: ∂Q = −∂P",
              second=hvp([-EULER_GAMMA / math.e, 1.0 / math.e], "the negatives of P's: (−γ/e, 1/e) (v = (0, 1))", v=(0.0, 1.0))),
        *empty_pair(),
    ], tails=[
        tail("a=1,x=708 (last normal ∂/∂x)", [1.0, 708.0], [None, -math.exp(-708.0)], "∂Q/∂x = −e^(−x) = −3.3e-308 for a = 1"),
        ftz("a=1,x=740 (subnormal ∂/∂x)", [1.0, 740.0], [None, -math.exp(-740.0)], "∂Q/∂x = −e^(−740), subnormal"),
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
              "(a = 1) and 0 (a > 1) as x → 0+",
              second=hvp([None, [1.0, 0.0], [-2.0, 6.0]],
                         "v = (0, 0, 1): ∂I/∂x = 2(1 − x) (a = 1, b = 2) and 6x(1 − x) (a = b = 2), so ∂²I/∂x² = −2 and 6; "
                         "∂²I/∂b∂x = ∂I/∂x·(ln(1 − x) − ψ(b) + ψ(a + b)) = 2(ψ(3) − ψ(2)) = 1 and 0; ∂²I/∂a∂x "
                         "→ −inf (a = 1) as x → 0+ (not asserted)", v=(0.0, 0.0, 1.0), bug=BETAINC_X_AT_EDGE),
              bug=BETAINC_AB_FORWARD_OVER_REVERSE),
        point("x=0,a=1/2", [0.5, 2.0, 0.0], [None, None, INF], INF_PARTIAL_WHY.format("∂I/∂x ~ x^(−1/2)/B(1/2, 2) → +inf as x → 0+"),
              second=hvp([None, None, -INF], "∂²I/∂x² = ∂I/∂x·((a − 1)/x − (b − 1)/(1 − x)) → −inf as x → 0+ (v = (0, 0, 1))",
                         v=(0.0, 0.0, 1.0), exists=False, bug=FWD_SECOND_INF)),
        point("x=1 with b=1,2", [[2.0, 2.0], [1.0, 2.0], [1.0, 1.0]], [[0.0, 0.0], [0.0, 0.0], [2.0, 0.0]],
              "I_1(a, b) = 1 for all a, b so ∂/∂a = ∂/∂b = 0; ∂I/∂x → 1/B(2, 1) = 2 (b = 1) and 0 (b > 1) as x → 1−",
              second=hvp([[1.0, 0.0], None, [2.0, -6.0]],
                         "v = (0, 0, 1): ∂I/∂x = 2x (a = 2, b = 1) and 6x(1 − x) (a = b = 2), so ∂²I/∂x² = 2 and −6; "
                         "∂²I/∂a∂x = ∂I/∂x·(ln x − ψ(a) + ψ(a + b)) = 2(ψ(3) − ψ(2)) = 1 and 0; ∂²I/∂b∂x → −inf (b = 1) "
                         "as x → 1− (not asserted)", v=(0.0, 0.0, 1.0), bug=BETAINC_X_AT_EDGE),
              bug=BETAINC_AB_FORWARD_OVER_REVERSE),
        point("x=1,b=1/2", [2.0, 0.5, 1.0], [None, None, INF], INF_PARTIAL_WHY.format("∂I/∂x ~ (1 − x)^(−1/2)/B(2, 1/2) → +inf as x → 1−"),
              second=hvp([None, None, INF], "∂²I/∂x² = ∂I/∂x·((a − 1)/x − (b − 1)/(1 − x)) → +inf as x → 1− (v = (0, 0, 1))",
                         v=(0.0, 0.0, 1.0), exists=False, bug=FWD_SECOND_INF)),
        point("a=b=1,x=1/2", [1.0, 1.0, 0.5], [0.5 * math.log(0.5), -0.5 * math.log(0.5), 1.0],
              "I_x(a, 1) = x^a gives ∂/∂a = x^a ln x; I_x(1, b) = 1 − (1 − x)^b gives ∂/∂b = −(1 − x)^b ln(1 − x); "
              "I_x(1, 1) = x gives ∂/∂x = 1", bug=BETAINC_AB_AT_POINT,
              second=hvp([1.0 - LN2, 1.0 - LN2, 0.0], "v = (0, 0, 1): ∂I/∂x = 1 at a = b = 1, so ∂²I/∂x² = 0 and "
                                                      "∂²I/∂a∂x = ln x − ψ(1) + ψ(2) = 1 − ln 2 = ∂²I/∂b∂x (ln(1 − x) = ln x)",
                         v=(0.0, 0.0, 1.0), bug=BETAINC_SECOND_AT_A1)),
        point("empty x (0,) with scalar a, b", [1.5, 2.0, np.zeros(0)], [0.0, 0.0, np.zeros(0)],
              EMPTY_WHY + "; a and b are broadcast over no entries, so their gradients are 0", second=hvp([0.0, 0.0, np.zeros(0)], EMPTY_SECOND)),
    ]),
    op("tf.math.lbeta", tf.math.lbeta, [
        Sample((POSITIVE.draw(rng_for("lbeta 2"), (2,)),), label="K=2 (the bivariate beta)"),
        Sample((POSITIVE.draw(rng_for("lbeta 4"), (4,)),), label="K=4"),
        Sample((POSITIVE.draw(rng_for("lbeta 2x3"), (2, 3)),), label="batch 2 of K=3"),
    ], domain="x > 0 along the last axis (reduced)", points=[
        point("x=[[1,1],[1,3]]", [[[1.0, 1.0], [1.0, 3.0]]], [[[-1.0, -1.0], [-11.0 / 6.0, -1.0 / 3.0]]],
              "∂/∂x_i = ψ(x_i) − ψ(Σx): ψ(1) − ψ(2) = −1; ψ(1) − ψ(4) = −(1 + 1/2 + 1/3), ψ(3) − ψ(4) = −1/3",
              second=hvp([[[3.0 - math.pi ** 2 / 3, 3.0 - PI2_6], [49.0 / 12.0 - math.pi ** 2 / 3, 19.0 / 12.0 - PI2_6]]],
                         "H_ij = ψ'(x_i)δ_ij − ψ'(Σx) per row; with v = (1, 2) in each row (H·v)_i = ψ'(x_i)v_i − 3ψ'(Σx): "
                         "ψ'(2) = π²/6 − 1, ψ'(3) = π²/6 − 5/4, ψ'(4) = π²/6 − 49/36",
                         v=(np.array([[1.0, 2.0], [1.0, 2.0]]),))),
        point("x=[1/2,1/2]", [[0.5, 0.5]], [[-2 * LN2, -2 * LN2]], "ψ(1/2) − ψ(1) = −2 ln 2 (B(1/2, 1/2) = π)",
              second=hvp([[PI2_6, PI2_6]], "(H·1)_i = ψ'(1/2) − 2ψ'(1) = π²/2 − π²/3 = π²/6")),
        point("K=1", [[[2.5], [0.7]]], [[[0.0], [0.0]]], "a size-1 last axis: lbeta = lgamma(x) − lgamma(x) = 0 for every x",
              second=hvp([[[0.0], [0.0]]], "lbeta ≡ 0: H = 0")),
        point("K=0 (empty last axis)", [np.zeros((2, 0))], [np.zeros((2, 0))],
              "an empty last axis: lbeta = 0 − lgamma(0) = −inf (documented convention) does not depend on any "
              "input; the gradient is the empty array", second=hvp([np.zeros((2, 0))], EMPTY_SECOND)),
    ]),
    representative_first(two_args("tf.math.zeta", tf.math.zeta, ZETA_S, ZETA_Q, "x > 1; q > 0", bugs=(ZETA_X,), points=[
        point("x=2,q=1", [2.0, 1.0], [ZETA_PRIME_2, -2 * ZETA3],
              "∂ζ(x, 1)/∂x = ζ'(2) = −Σ ln n/n² = −0.937548…; ∂ζ/∂q = −x ζ(x + 1, q) = −2ζ(3)", bug=ZETA_X_AT_POINT,
              second=hvp([-ZETA3 - 2 * ZETA_PRIME_3, math.pi ** 4 / 15],
                         "v = (0, 1): ∂²ζ/∂x∂q = ∂/∂x(−x ζ(x + 1, q)) = −ζ(3) − 2ζ'(3); ∂²ζ/∂q² = x(x + 1)ζ(x + 2, q) = 6ζ(4) = π⁴/15",
                         v=(0.0, 1.0))),
        point("x=2,q=1/2", [2.0, 0.5], [4 * LN2 * PI2_6 + 3 * ZETA_PRIME_2, -14 * ZETA3],
              "ζ(x, 1/2) = (2^x − 1)ζ(x): ∂/∂x = 2^x ln 2 ζ(x) + (2^x − 1)ζ'(x) = 4 ln 2 π²/6 + 3ζ'(2); "
              "∂/∂q = −2ζ(3, 1/2) = −2·7ζ(3)", bug=ZETA_X_AT_POINT,
              second=hvp([-7 * ZETA3 - 2 * (8 * LN2 * ZETA3 + 7 * ZETA_PRIME_3), math.pi ** 4],
                         "v = (0, 1): ∂²ζ/∂x∂q = −ζ(3, 1/2) − 2∂ₛζ(3, 1/2) with ζ(s, 1/2) = (2^s − 1)ζ(s): −7ζ(3) − 2(8 ln 2 ζ(3) "
                         "+ 7ζ'(3)); ∂²ζ/∂q² = 6ζ(4, 1/2) = 6·15ζ(4) = π⁴", v=(0.0, 1.0))),
        point("x=3,q=1 (q only)", [3.0, 1.0], [None, -math.pi ** 4 / 30], "∂ζ/∂q = −3 ζ(4, 1) = −3π⁴/90",
              second=hvp([None, 12 * ZETA5], "v = (0, 1): ∂²ζ/∂q² = x(x + 1)ζ(x + 2, q) = 12ζ(5); the x-part needs ∂/∂x "
                                             "(asserted at the points above)", v=(0.0, 1.0))),
        *empty_pair(2.0),
    ], tails=[
        tail("x=2,q=1e100", [2.0, 1e100], [None, -1e-200], "∂ζ(2, q)/∂q = −2ζ(3, q) = −1/q² − 1/q³ − … = −1e-200"),
        tail("x=2,q=1e120", [2.0, 1e120], [None, -1e-240], "−2ζ(3, q) ≈ −1/q² = −1e-240", bug=ZETA_TAIL),
        tail("x=2,q=2^511 (last normal ∂/∂q)", [2.0, 2.0 ** 511], [None, -(2.0 ** -1022)], "−2ζ(3, q) ≈ −1/q² = −2⁻¹⁰²²", bug=ZETA_TAIL),
        ftz("x=2,q=2^520 (subnormal ∂/∂q)", [2.0, 2.0 ** 520], [None, -(2.0 ** -1040)], "−1/q² = −2⁻¹⁰⁴⁰, subnormal"),
    ])),
    # --- Bessel functions (tf.math.bessel_i0/i0e/i1/i1e are also exported as tf.math.special.*: listed once)
    unary("tf.math.bessel_i0", tf.math.bessel_i0, REAL, [
        point("x=0", [0.0], [0.0], "I0' = I1 and I1(0) = 0 (I0 is even)",
              second=hvp([0.5], "I0 = 1 + x²/4 + x⁴/64 + …: I0''(0) = 1/2", bug=BESSEL_I0_HIGHER_AT_0),
              third=hvp([0.0], "I0''' (0) = 0 (I0 is even)", bug=BESSEL_I0_HIGHER_AT_0)),
        *empty_unary(),
    ], skips=no_xla("BesselI0"), tails=[
        tail("x=2^-1021 (last normal f')", [2.0 ** -1021], [2.0 ** -1022], "I1(x) = x/2 + O(x³) = 2⁻¹⁰²²"),
        ftz("x=1e-310 (subnormal x)", [1e-310], [5e-311], "I1(x) = x/2 = 5e-311, subnormal"),
        tail("x=700", [700.0], [bessel_i_large(1, 700.0)], "I1(700) = e^700·(e^(−x)I1)(700) = 1.53e302"),
        tail("x=712 (f' near the largest float)", [712.0], [bessel_i_large(1, 712.0)],
             "I1(712) = exp(712 + log((e^(−x)I1)(712))) = 2.46e307 (e^712 alone overflows)", bug=BESSEL_I0_OVERFLOW),
    ]),
    unary("tf.math.bessel_i0e", tf.math.bessel_i0e, REAL_NONZERO, [
        point("x=0", [0.0], [between(-1.0, 1.0)],
              "I0e(x) = e^(−|x|) I0(x) has a kink at 0: one-sided derivatives I1(0) ± I0(0) = ±1",
              second=hvp([1.5], "I0e = 1 − |x| + 3x²/4 − 5|x|³/12 + …: both one-sided second derivatives are 3/2 (the first "
                                "derivative jumps, so none exists at 0)", exists=False, bug=BESSEL_I0E_AT_0),
              third=hvp([between(-2.5, 2.5)], "the one-sided third derivatives are ∓5/2: any value between", bug=BESSEL_I0E_AT_0)),
        *empty_unary(),
    ], tails=[
        tail("x=1e6", [1e6], [scaled_i_prime(0, 1e6)], "d/dx e^(−x)I0 = Σ (−1)^k a_k(0)(−k − 1/2)x^(−k−3/2)/√(2π) = −2.0e-10"),
        tail("x=1e15", [1e15], [scaled_i_prime(0, 1e15)], "the same expansion: −6.3e-24", bug=BESSEL_I0E_TAIL),
        tail("x=4.3e204 (last normal f')", [4.3e204], [scaled_i_prime(0, 4.3e204)], "−x^(−3/2)/(2√(2π)) = 2.3e-308",
             bug=BESSEL_I0E_TAIL),
        ftz("x=1e206 (subnormal f')", [1e206], [scaled_i_prime(0, 1e206)], "−x^(−3/2)/(2√(2π)) = 2e-310, subnormal"),
    ]),
    unary("tf.math.bessel_i1", tf.math.bessel_i1, REAL, [
        point("x=0", [0.0], [0.5], "I1(x) = x/2 + x³/16 + …, so I1'(0) = 1/2 (removable 0/0 in I0 − I1/x)",
              bug=BESSEL_I1_AT_0,
              second=hvp([0.0], "I1''(0) = 0 (I1 is odd)", bug=BESSEL_I1_HIGHER_AT_0),
              third=hvp([0.375], "I1'''(0) = 6/16 = 3/8", bug=BESSEL_I1_HIGHER_AT_0)),
        *empty_unary(),
    ], skips=no_xla("BesselI1"), tails=[
        tail("x=700", [700.0], [bessel_i_large(0, 700.0) - bessel_i_large(1, 700.0) / 700.0], "I0 − I1/x at 700 = 1.53e302"),
        tail("x=712 (f' near the largest float)", [712.0], [bessel_i_large(0, 712.0) - bessel_i_large(1, 712.0) / 712.0],
             "I0(712) − I1(712)/712 = 2.47e307, each from exp(712 + log(e^(−x)I_ν))", bug=BESSEL_I1_OVERFLOW),
    ]),
    unary("tf.math.bessel_i1e", tf.math.bessel_i1e, REAL, [
        point("x=0", [0.0], [0.5], "I1e(x) = e^(−|x|)(x/2 + O(x³)) = x/2 − x|x|/2 + …, differentiable at 0 with derivative 1/2",
              second=hvp([between(-1.0, 1.0)], "I1e = x/2 − x|x|/2 + 5x³/16 + …: one-sided second derivatives ∓1, so none "
                                               "exists at 0: any value between", exists=False, bug=BESSEL_I1E_AT_0),
              third=hvp([15.0 / 8.0], "both one-sided third derivatives are 30/16 = 15/8", bug=BESSEL_I1E_AT_0)),
        *empty_unary(),
    ], tails=[
        tail("x=1e6", [1e6], [scaled_i_prime(1, 1e6)], "d/dx e^(−x)I1 by its expansion: −2.0e-10"),
        tail("x=1e15", [1e15], [scaled_i_prime(1, 1e15)], "the same expansion: −6.3e-24", bug=BESSEL_I1E_TAIL),
        tail("x=4.3e204 (last normal f')", [4.3e204], [scaled_i_prime(1, 4.3e204)], "≈ −x^(−3/2)/(2√(2π)) = 2.3e-308",
             bug=BESSEL_I1E_TAIL),
    ]),
    unary("tf.math.special.bessel_j0", tf.math.special.bessel_j0, REAL, [
        point("x=0", [0.0], [0.0], "J0' = −J1 and J1(0) = 0 (J0 is even)",
              second=hvp([-0.5], "J0 = 1 − x²/4 + …: J0''(0) = −1/2"),
              third=hvp([0.0], "J0'''(0) = 0 (J0 is even)", bug=BESSEL_J0_THIRD_AT_0)),
        *empty_unary(),
    ], skips=no_xla("BesselJ0"), tails=[
        tail("x=1e3", [1e3], [j_prime(0, 1e3)], "−J1(1000) by the Hankel expansion (truncation error 1e-17)"),
        tail("x=1e10", [1e10], [j_prime(0, 1e10)], "−J1(1e10) by the Hankel expansion with an unrounded phase", bug=BESSEL_J0_PHASE),
    ]),
    unary("tf.math.special.bessel_j1", tf.math.special.bessel_j1, REAL, [
        point("x=0", [0.0], [0.5], "J1(x) = x/2 − x³/16 + …, so J1'(0) = 1/2 (removable 0/0 in J0 − J1/x)",
              second=hvp([0.0], "J1''(0) = 0 (J1 is odd)", bug=BESSEL_J1_HIGHER_AT_0),
              third=hvp([-0.375], "J1'''(0) = −6/16 = −3/8", bug=BESSEL_J1_HIGHER_AT_0)),
        *empty_unary(),
    ], skips=no_xla("BesselJ1"), tails=[
        tail("x=1e10", [1e10], [j_prime(1, 1e10)], "J0 − J1/x at 1e10 by the Hankel expansion", bug=BESSEL_J1_PHASE),
    ]),
    unary("tf.math.special.bessel_y0", tf.math.special.bessel_y0, POSITIVE, [
        point("x=0", [0.0], [INF], "Y0(x) ~ (2/π) ln x, Y0' = −Y1 ~ 2/(πx) → +inf as x → 0+ (one-sided, domain edge)",
              second=hvp([-INF], "Y0'' = −Y1' ~ −2/(πx²) → −inf as x → 0+ (one-sided limit)", exists=False, bug=EDGE_SECOND_NAN)),
        *empty_unary(),
    ], skips=no_xla("BesselY0"), tails=[
        tail("x=2^-1022 (f' near the largest float)", [2.0 ** -1022], [2 / math.pi * 2.0 ** 1022],
             "−Y1(x) = 2/(πx) + O(x ln x) = 2.9e307"),
        tail("x=1e10", [1e10], [y_prime(0, 1e10)], "−Y1(1e10) by the Hankel expansion with an unrounded phase", bug=BESSEL_Y0_PHASE),
    ]),
    unary("tf.math.special.bessel_y1", tf.math.special.bessel_y1, POSITIVE, [
        point("x=0", [0.0], [INF], "Y1(x) ~ −2/(πx), Y1' ~ 2/(πx²) → +inf as x → 0+ (one-sided, domain edge)",
              bug=BESSEL_Y1_AT_0,
              second=hvp([-INF], "Y1'' ~ −4/(πx³) → −inf as x → 0+ (one-sided limit)", exists=False, bug=EDGE_SECOND_NAN)),
        *empty_unary(),
    ], skips=no_xla("BesselY1"), tails=[
        tail("x=2^-511 (f' near the largest float)", [2.0 ** -511], [2 / math.pi * 2.0 ** 1022],
             "Y1' = Y0 − Y1/x = 2/(πx²) + O(ln x) = 2.9e307"),
        tail("x=1e10", [1e10], [y_prime(1, 1e10)], "Y0 − Y1/x at 1e10 by the Hankel expansion", bug=BESSEL_Y1_PHASE),
    ]),
    unary("tf.math.special.bessel_k0", tf.math.special.bessel_k0, POSITIVE, [
        point("x=0", [0.0], [-INF], "K0(x) ~ −ln x, K0' = −K1 ~ −1/x → −inf as x → 0+ (one-sided, domain edge)",
              second=hvp([INF], "K0'' = −K1' = K0 + K1/x ~ 1/x² → +inf as x → 0+ (one-sided limit)", exists=False,
                         bug=FWD_SECOND_INF)),
        *empty_unary(),
    ], skips=no_xla("BesselK0"), tails=[
        tail("x=2^-1020 (f' near the largest float)", [2.0 ** -1020], [-(2.0 ** 1020)], "−K1(x) = −1/x + O(x ln x) = −2¹⁰²⁰"),
        tail("x=700", [700.0], [-bessel_k_large(1, 700.0)], "−K1(700) = −exp(−700 + log(e^x K1)) = −4.7e-306"),
        tail("x=705 (last normal f')", [705.0], [-bessel_k_large(1, 705.0)], "−K1(705) = −3.1e-308"),
        tail("x=740 (subnormal f')", [740.0], [-bessel_k_large(1, 740.0)],
             "−K1(740) = −6.9e-323, subnormal (Cephes k1 returns it: TensorFlow's kernel does not flush here)"),
    ]),
    unary("tf.math.special.bessel_k0e", tf.math.special.bessel_k0e, POSITIVE, [
        point("x=0", [0.0], [-INF], "K0e = e^x K0, K0e' = K0e − K1e ~ −ln x − 1/x → −inf as x → 0+ (one-sided)",
              bug=BESSEL_K0E_AT_0,
              second=hvp([INF], "K0e'' ~ 1/x² → +inf as x → 0+ (one-sided limit)", exists=False, bug=EDGE_SECOND_NAN)),
        *empty_unary(),
    ], skips=no_xla("BesselK0e"), tails=[
        tail("x=2^-1020 (f' near the largest float)", [2.0 ** -1020], [-(2.0 ** 1020)], "K0e' = K0e − K1e = −1/x + O(ln x) = −2¹⁰²⁰"),
        tail("x=1e6", [1e6], [scaled_k_prime(0, 1e6)], "d/dx e^x K0 = √(π/2) Σ a_k(0)(−k − 1/2)x^(−k−3/2) = −6.3e-10"),
        tail("x=1e15", [1e15], [scaled_k_prime(0, 1e15)], "the same expansion: −2e-23", bug=BESSEL_K0E_TAIL),
        ftz("x=1e206 (subnormal f')", [1e206], [scaled_k_prime(0, 1e206)], "−√(π/2)x^(−3/2)/2, subnormal"),
    ]),
    unary("tf.math.special.bessel_k1", tf.math.special.bessel_k1, POSITIVE, [
        point("x=0", [0.0], [-INF], "K1(x) ~ 1/x, K1' = −K0 − K1/x ~ −1/x² → −inf as x → 0+ (one-sided)",
              second=hvp([INF], "K1'' ~ 2/x³ → +inf as x → 0+ (one-sided limit)", exists=False, bug=FWD_SECOND_INF)),
        *empty_unary(),
    ], skips=no_xla("BesselK1"), tails=[
        tail("x=2^-511 (f' near the largest float)", [2.0 ** -511], [-(2.0 ** 1022)], "K1' = −K0 − K1/x = −1/x² + O(ln x) = −2¹⁰²²"),
        tail("x=690", [690.0], [-bessel_k_large(0, 690.0) - bessel_k_large(1, 690.0) / 690.0], "−K0 − K1/x at 690 = −2.0e-301"),
        ftz("x=700 (a subnormal term)", [700.0], [-bessel_k_large(0, 700.0) - bessel_k_large(1, 700.0) / 700.0],
            "−K0 − K1/x = −4.68e-306 (normal), whose term K1(700)/700 = 6.7e-309 is subnormal and flushed"),
    ]),
    unary("tf.math.special.bessel_k1e", tf.math.special.bessel_k1e, POSITIVE, [
        point("x=0", [0.0], [-INF], "K1e = e^x K1 ~ 1/x + …, K1e' ~ −1/x² → −inf as x → 0+ (one-sided)",
              second=hvp([INF], "K1e'' ~ 2/x³ → +inf as x → 0+ (one-sided limit)", exists=False, bug=EDGE_SECOND_NAN)),
        *empty_unary(),
    ], skips=no_xla("BesselK1e"), tails=[
        tail("x=2^-511 (f' near the largest float)", [2.0 ** -511], [-(2.0 ** 1022)], "K1e' = −1/x² + O(ln x) = −2¹⁰²²"),
        tail("x=1e6", [1e6], [scaled_k_prime(1, 1e6)], "d/dx e^x K1 by its expansion: −6.3e-10"),
        tail("x=1e15", [1e15], [scaled_k_prime(1, 1e15)], "the same expansion", bug=BESSEL_K1E_TAIL),
    ]),
    # --- other Cephes integrals
    unary("tf.math.special.dawsn", tf.math.special.dawsn, REAL, [
        point("x=0", [0.0], [1.0], "D(x) = e^(−x²)∫₀ˣ e^(t²)dt satisfies D' = 1 − 2xD, so D'(0) = 1",
              second=hvp([0.0], "D'' = −2D − 2xD' = 0 at 0"), third=hvp([-4.0], "D''' = −4D' − 2xD'' = −4 at 0")),
        *empty_unary(),
    ], skips=no_xla("Dawsn"), tails=[
        tail("x=1e4", [1e4], [dawson_prime_large(1e4)], "D'(x) = −1/(2x²) − 3/(4x⁴) − … = −5.0000000375e-9", bug=DAWSN_TAIL),
        tail("x=1e8", [1e8], [dawson_prime_large(1e8)], "D'(x) = −1/(2x²) − … = −5e-17", bug=DAWSN_TAIL),
        tail("x=2^510 (last normal f')", [2.0 ** 510], [-(2.0 ** -1021)], "D'(x) = −1/(2x²) = −2⁻¹⁰²¹", bug=DAWSN_TAIL),
        ftz("x=2^520 (subnormal f')", [2.0 ** 520], [-(2.0 ** -1041)], "−1/(2x²) = −2⁻¹⁰⁴¹, subnormal"),
    ]),
    unary("tf.math.special.expint", tf.math.special.expint, POSITIVE, [
        point("x=1", [1.0], [math.e], "Ei'(x) = e^x/x: e at x = 1", second=hvp([0.0], "Ei'' = e^x(x − 1)/x² = 0 at x = 1")),
        point("x=2^-10", [2.0 ** -10], [math.exp(2.0 ** -10) * 2.0 ** 10],
              "Ei(x) = γ + ln x + x + … near 0: Ei' = e^x/x = 1024·e^(1/1024) at x = 2⁻¹⁰",
              second=hvp([math.exp(2.0 ** -10) * (2.0 ** -10 - 1) * 2.0 ** 20], "Ei'' = e^x(x − 1)/x²")),
        point("x=0", [0.0], [INF], "Ei' = e^x/x → +inf as x → 0+ (documented domain x > 0, one-sided)",
              second=hvp([-INF], "Ei'' = e^x(x − 1)/x² → −inf as x → 0+ (one-sided limit)", exists=False, bug=EDGE_SECOND_NAN)),
        *empty_unary(),
    ], skips=no_xla("Expint"), tails=[
        tail("x=2^-1022 (f' near the largest float)", [2.0 ** -1022], [2.0 ** 1022], "e^x/x = 2¹⁰²² (e^x = 1 to float64 precision)"),
        tail("x=700", [700.0], [math.exp(700.0 - math.log(700.0))], "e^x/x = 1.45e301"),
        tail("x=715 (e^x overflows, e^x/x does not)", [715.0], [math.exp(715.0 - math.log(715.0))], "exp(x − log x) = 4.64e307",
             bug=EXPINT_TAIL),
    ]),
    unary("tf.math.special.fresnel_cos", tf.math.special.fresnel_cos, REAL, [
        point("x=0,1,-1", [[0.0, 1.0, -1.0]], [[1.0, 0.0, 0.0]],
              "C(x) = ∫₀ˣ cos(πt²/2)dt (scipy's normalisation, which TF's values follow: C(1) = 0.7799 in its "
              "docstring, whose formula cos(t²) omits π/2), so C' = cos(πx²/2): 1 at 0, cos(π/2) = 0 at ±1",
              second=hvp([[0.0, -math.pi, math.pi]], "C'' = −πx sin(πx²/2): 0, −π and π"),
              third=hvp([[-math.pi * math.sin(math.pi * t * t / 2) - math.pi ** 2 * t * t * math.cos(math.pi * t * t / 2)
                          for t in (0.0, 1.0, -1.0)]], "C''' = −π sin(πx²/2) − π²x² cos(πx²/2)")),
        *empty_unary(),
    ], skips=no_xla("FresnelCos"), no_tails=FRESNEL_COS_NO_TAILS),
    unary("tf.math.special.fresnel_sin", tf.math.special.fresnel_sin, REAL, [
        point("x=0,1,2", [[0.0, 1.0, 2.0]], [[0.0, 1.0, 0.0]],
              "S(x) = ∫₀ˣ sin(πt²/2)dt (scipy's normalisation), S' = sin(πx²/2): 0 at 0, sin(π/2) = 1 at 1, sin 2π = 0 at 2",
              second=hvp([[math.pi * t * math.cos(math.pi * t * t / 2) for t in (0.0, 1.0, 2.0)]], "S'' = πx cos(πx²/2): 0, 0, 2π"),
              third=hvp([[math.pi * math.cos(math.pi * t * t / 2) - math.pi ** 2 * t * t * math.sin(math.pi * t * t / 2)
                          for t in (0.0, 1.0, 2.0)]], "S''' = π cos(πx²/2) − π²x² sin(πx²/2): π, −π², π")),
        *empty_unary(),
    ], skips=no_xla("FresnelSin"), tails=[
        # S'(x) = sin(πx²/2) = πx²/2·(1 − O(x⁴)): below |x| ≈ 1.2e-154 it is subnormal although x is not
        tail("x=2^-511 (last normal f')", [2.0 ** -511], [math.pi / 2 * 2.0 ** -1022],
             "sin(πx²/2) = (π/2)·2⁻¹⁰²² = 3.5e-308 (the cubic term of sin is 1e-924 of it), a normal float64"),
        tail("x=-1e-100", [-1e-100], [math.pi / 2 * 1e-200], "S' is even: sin(πx²/2) = (π/2)·1e-200"),
        ftz("x=2^-520 (subnormal f')", [2.0 ** -520], [math.pi / 2 * 2.0 ** -1040],
            "sin(πx²/2) = (π/2)·2⁻¹⁰⁴⁰ = 1.4e-313, subnormal (x itself is normal)"),
    ]),
    unary("tf.math.special.spence", tf.math.special.spence, POSITIVE, [
        point("x=1", [1.0], [-1.0], "spence' = ln x/(1 − x), a removable 0/0 at x = 1: ln x/(1 − x) → −1",
              second=hvp([0.5], "ln x/(1 − x) = −1 + t/2 − t²/3 + … with t = x − 1: spence''(1) = 1/2", bug=SPENCE_AT_1),
              third=hvp([-2.0 / 3.0], "spence'''(1) = 2·(−1/3) = −2/3", bug=SPENCE_AT_1)),
        point("x=2", [2.0], [-LN2], "ln 2/(1 − 2) = −ln 2",
              second=hvp([LN2 - 0.5], "spence'' = (1/x − 1 + ln x)/(1 − x)² = ln 2 − 1/2 at 2")),
        point("x=0", [0.0], [-INF], "ln x/(1 − x) → −inf as x → 0+ (domain x ≥ 0, spence(0) = π²/6 finite)",
              second=hvp([INF], "(1/x − 1 + ln x)/(1 − x)² → +inf as x → 0+ (one-sided limit)", exists=False, bug=EDGE_SECOND_NAN)),
        *empty_unary(),
    ], skips=no_xla("Spence"), tails=[
        tail("x=1.7e308", [1.7e308], [math.log(1.7e308) / (1 - 1.7e308)], "ln x/(1 − x) = −4.2e-306"),
    ]),
    # --- error functions
    unary("tf.math.erf", tf.math.erf, REAL, [
        point("x=0", [0.0], [2 / SQRT_PI], "erf' = (2/√π) e^(−x²): 2/√π at 0",
              second=hvp([0.0], "erf'' = −2x·erf' = 0 at 0"), third=hvp([-4 / SQRT_PI], "erf''' = (4x² − 2)·erf' = −4/√π at 0")),
        *empty_unary(),
    ], tails=[
        tail("x=26.6 (last normal f')", [26.6], [2 / SQRT_PI * math.exp(-26.6 ** 2)], "(2/√π)e^(−x²) = 5.8e-308"),
        ftz("x=27.2 (subnormal f')", [27.2], [2 / SQRT_PI * math.exp(-27.2 ** 2)], "(2/√π)e^(−x²), subnormal"),
    ]),
    unary("tf.math.erfc", tf.math.erfc, REAL, [
        point("x=0", [0.0], [-2 / SQRT_PI], "erfc' = −(2/√π) e^(−x²): −2/√π at 0",
              second=hvp([0.0], "erfc'' = 2x·(2/√π)e^(−x²) = 0 at 0"), third=hvp([4 / SQRT_PI], "erfc''' = 4/√π at 0")),
        *empty_unary(),
    ], tails=[
        tail("x=26.6 (last normal f')", [26.6], [-2 / SQRT_PI * math.exp(-26.6 ** 2)], "−(2/√π)e^(−x²) = −5.8e-308"),
        ftz("x=27.2 (subnormal f')", [27.2], [-2 / SQRT_PI * math.exp(-27.2 ** 2)], "−(2/√π)e^(−x²), subnormal"),
    ]),
    unary("tf.math.erfinv", tf.math.erfinv, UNIT_OPEN, [
        point("x=0", [0.0], [SQRT_PI / 2], "erfinv' = (√π/2) e^(erfinv(x)²): √π/2 at 0",
              second=hvp([0.0], "erfinv'' = 2y·erfinv'² (y = erfinv x) = 0 at 0"),
              third=hvp([math.pi ** 1.5 / 4], "erfinv''' = 2erfinv'³ + 4y·erfinv'·erfinv'' = 2(√π/2)³ = π^(3/2)/4 at 0")),
        point("x=-1", [-1.0], [INF], "erfinv → −inf at −1, so (√π/2) e^(erfinv²) → +inf (one-sided, domain edge)",
              second=hvp([-INF], "2y·erfinv'² → −inf as x → −1+ (one-sided limit)", exists=False, bug=FWD_SECOND_INF)),
        point("x=1", [1.0], [INF], "erfinv → +inf at 1, so (√π/2) e^(erfinv²) → +inf (one-sided, domain edge)",
              second=hvp([INF], "2y·erfinv'² → +inf as x → 1− (one-sided limit)", exists=False, bug=FWD_SECOND_INF)),
        *empty_unary(),
    ], tails=[
        tail("x=-1+2^-53 (largest f')", [-1.0 + 2.0 ** -53], [SQRT_PI / 2 * math.exp(Z_53 ** 2)],
             "(√π/2)e^(z²) with z = erfcinv(2⁻⁵³) = 5.86 (Newton on math.erfc): 7.6e14"),
        tail("x=1-2^-53 (largest f')", [1.0 - 2.0 ** -53], [SQRT_PI / 2 * math.exp(Z_53 ** 2)], "the same by symmetry: 7.6e14",
             bug=ERFINV_TAIL),
    ]),
    unary("tf.math.erfcinv", tf.math.erfcinv, ERFC_RANGE, [
        point("x=1", [1.0], [-SQRT_PI / 2], "erfcinv(x) = erfinv(1 − x): derivative −(√π/2) e^(erfcinv²) = −√π/2 at 1",
              second=hvp([0.0], "erfcinv'' = 2y·erfcinv'² (y = erfcinv x) = 0 at 1"),
              third=hvp([-math.pi ** 1.5 / 4], "erfcinv''' = 2erfcinv'³ = 2(−√π/2)³ = −π^(3/2)/4 at 1")),
        point("x=0", [0.0], [-INF], "erfcinv → +inf at 0, so −(√π/2) e^(erfcinv²) → −inf (one-sided)",
              bug=forward_inf("special_forward"),
              second=hvp([INF], "2y·erfcinv'² → +inf as x → 0+ (one-sided limit)", exists=False,
                         bug=forward_inf("special_forward_over_reverse", "special_reverse_over_forward", "special_forward_over_forward"))),
        point("x=2", [2.0], [-INF], "erfcinv → −inf at 2, so −(√π/2) e^(erfcinv²) → −inf (one-sided)",
              bug=forward_inf("special_forward"),
              second=hvp([-INF], "2y·erfcinv'² → −inf as x → 2− (one-sided limit)", exists=False,
                         bug=forward_inf("special_forward_over_reverse", "special_reverse_over_forward", "special_forward_over_forward"))),
        *empty_unary(),
    ], tails=[
        tail("x=2^-1021 (f' near the largest float)", [2.0 ** -1021], [-SQRT_PI / 2 * math.exp(Z_1021 ** 2)],
             "−(√π/2)e^(z²) with z = erfcinv(2⁻¹⁰²¹) = 26.5 (Newton on math.erfc): −4.2e305", bug=XLA_QUANTILE_TAIL),
        ftz("x=2^-1022 (a subnormal intermediate)", [2.0 ** -1022], [-SQRT_PI / 2 * math.exp(erfc_inverse(2.0 ** -1022) ** 2)],
            "−(√π/2)e^(z²) = −8.5e305; erfcinv computes −ndtri(x/2)/√2, and x/2 = 2⁻¹⁰²³ is subnormal (flushed to 0: −inf)"),
    ]),
    unary("tf.math.ndtri", tf.math.ndtri, PROBABILITY, [
        point("x=1/2", [0.5], [math.sqrt(2 * math.pi)], "ndtri' = 1/φ(ndtri x) = √(2π) e^(ndtri(x)²/2): √(2π) at 1/2",
              second=hvp([0.0], "ndtri'' = y·ndtri'² (y = ndtri x) = 0 at 1/2"),
              third=hvp([(2 * math.pi) ** 1.5], "ndtri''' = ndtri'³ + … = (2π)^(3/2) at 1/2")),
        point("x=0", [0.0], [INF], "ndtri → −inf at 0, so √(2π) e^(ndtri²/2) → +inf (one-sided)",
              second=hvp([-INF], "y·ndtri'² → −inf as x → 0+ (one-sided limit)", exists=False, bug=FWD_SECOND_INF)),
        point("x=1", [1.0], [INF], "ndtri → +inf at 1, so √(2π) e^(ndtri²/2) → +inf (one-sided)",
              second=hvp([INF], "y·ndtri'² → +inf as x → 1− (one-sided limit)", exists=False, bug=FWD_SECOND_INF)),
        *empty_unary(),
    ], tails=[
        tail("x=2^-1022 (f' near the largest float)", [2.0 ** -1022], [math.sqrt(2 * math.pi) * math.exp(Z_1021 ** 2)],
             "√(2π)e^(y²/2) with y = ndtri(2⁻¹⁰²²) = −√2·erfcinv(2⁻¹⁰²¹): 1.2e306", bug=XLA_QUANTILE_TAIL),
        tail("x=1-2^-53", [1.0 - 2.0 ** -53], [math.sqrt(2 * math.pi) * math.exp(erfc_inverse(2.0 ** -52) ** 2)],
             "√(2π)e^(y²/2) with y = −ndtri(2⁻⁵³) = √2·erfcinv(2⁻⁵²): 1.08e15"),
    ]),
]
