"""tf.signal: discrete Fourier transforms, cosine transforms, framing, STFT/MDCT, MFCCs, shifts and windows.

The atlas checks real functions of real arguments, so a transform with complex input takes (re, im) and
builds tf.complex(re, im), and a complex output is returned as (real, imag): the gradients through
tf.complex, tf.math.real and tf.math.imag are checked as part of the op. The half-spectrum inverses
(irfft, irfft2d, inverse_stft) treat their input as the non-negative frequencies of a Hermitian spectrum:
the imaginary parts of the DC (and, for even lengths, Nyquist) bins are ignored by the forward op, so the
correct derivative with respect to them is 0.

Every transform here is linear, so its gradient of Σ(outputs) is the same at every input: the special
points sit at 0 and carry closed forms (sums of cosines and sines of the DFT kernel) computed below.
float64 inputs run as complex128 on CPU and under XLA.

Window functions (hann, hamming, vorbis) take only an integer length and are not differentiable; the
Kaiser and Kaiser–Bessel-derived windows are differentiable in beta and are checked in beta.
"""
import numpy as np
import tensorflow as tf

from spec.atlas.records import (REAL, KnownBug, Sample, draw, op, point, since)

FAMILY = "tf.signal: FFTs, DCTs, framing, STFT/MDCT, MFCCs, shifts, Kaiser windows"

ALL_CHECKS = ("reverse", "forward", "reverse_over_reverse", "forward_over_reverse", "reverse_over_forward",
              "forward_over_forward", "special_reverse", "special_forward", "float32", "gpu")
SAMPLE_CHECKS = tuple(c for c in ALL_CHECKS if not c.startswith("special"))


def _x(name: str, *shapes, salt: str = ""):
    return tuple(draw(name, *shapes, domain=REAL, salt=salt))


# ------------------------------------------------------------------------------------------ wrappers


def _complex_in_out(transform):
    """(re, im) -> (real, imag) of transform(tf.complex(re, im), **kwargs)."""
    def fn(re, im, **kwargs):
        c = transform(tf.complex(re, im), **kwargs)
        return tf.math.real(c), tf.math.imag(c)
    fn.__name__ = transform.__name__
    return fn


def _real_in_complex_out(transform):
    """x -> (real, imag) of transform(x, **kwargs)."""
    def fn(x, **kwargs):
        c = transform(x, **kwargs)
        return tf.math.real(c), tf.math.imag(c)
    fn.__name__ = transform.__name__
    return fn


def _complex_in_real_out(transform):
    """(re, im) -> transform(tf.complex(re, im), **kwargs) (a real output)."""
    def fn(re, im, **kwargs):
        return transform(tf.complex(re, im), **kwargs)
    fn.__name__ = transform.__name__
    return fn


def stft(signals, frame_length, frame_step, **kwargs):
    c = tf.signal.stft(signals, frame_length, frame_step, **kwargs)
    return tf.math.real(c), tf.math.imag(c)


def inverse_stft(re, im, frame_length, frame_step, **kwargs):
    window_fn = tf.signal.inverse_stft_window_fn(frame_step)
    return tf.signal.inverse_stft(tf.complex(re, im), frame_length, frame_step, window_fn=window_fn, **kwargs)


def kaiser_window(beta, window_length):
    """tf.signal.kaiser_window as a function of beta (the length is an integer), in beta's dtype."""
    return tf.signal.kaiser_window(window_length, beta=beta, dtype=beta.dtype)


def kaiser_bessel_derived_window(beta, window_length):
    return tf.signal.kaiser_bessel_derived_window(window_length, beta=beta, dtype=beta.dtype)


# ------------------------------------------------------------------------------------------ closed forms


def _delta(shape, scale=1.0) -> np.ndarray:
    d = np.zeros(shape)
    d[(0,) * len(shape)] = scale
    return d


def _rfft_sum_grad(shape) -> np.ndarray:
    """∂/∂x Σ_k (Re + Im) rfftNd(x)_k over the last len(shape) axes: Σ_k cos θ − sin θ with θ = 2π Σ_d j_d·k_d/n_d,
    k running over all frequencies of the leading axes and 0..n/2 of the last (Im F = −Σ x sin θ)."""
    grids = np.meshgrid(*[np.arange(n) for n in shape], indexing="ij")
    ks = np.meshgrid(*[np.arange(n) for n in shape[:-1]] + [np.arange(shape[-1] // 2 + 1)], indexing="ij")
    grad = np.zeros(shape)
    for k in zip(*[a.ravel() for a in ks]):
        theta = 2 * np.pi * sum(g * kd / n for g, kd, n in zip(grids, k, shape))
        grad += np.cos(theta) - np.sin(theta)
    return grad


def _dct2_sum_grad(n: int) -> np.ndarray:
    """∂/∂x_j Σ_k DCT-II(x)_k for the unnormalized DCT-II y_k = 2 Σ_j x_j cos(πk(2j+1)/(2n)) (TensorFlow's and
    scipy's definition, documented on tf.signal.dct)."""
    j = np.arange(n)[:, None]
    k = np.arange(n)[None, :]
    return 2 * np.cos(np.pi * k * (2 * j + 1) / (2 * n)).sum(axis=1)


def _dct1_sum_grad(n: int) -> np.ndarray:
    """DCT-I y_k = x_0 + (−1)^k x_{n−1} + 2 Σ_{j=1}^{n−2} x_j cos(πjk/(n−1)): ∂Σy/∂x_j summed over k."""
    k = np.arange(n)
    g = np.array([2 * np.cos(np.pi * j * k / (n - 1)).sum() for j in range(n)])
    g[0] = n
    g[-1] = ((-1.0) ** k).sum()
    return g


def _frame_counts(length: int, frame_length: int, frame_step: int, pad_end: bool = False) -> np.ndarray:
    """How many frames contain each sample: ∂Σ frames/∂x."""
    counts = np.zeros(length)
    n_frames = (-(-length // frame_step) if pad_end else 1 + (length - frame_length) // frame_step)
    for f in range(n_frames):
        start = f * frame_step
        counts[start:min(start + frame_length, length)] += 1
    return counts


def _stft_sum_grad(length: int, frame_length: int, frame_step: int) -> np.ndarray:
    """∂/∂x Σ (Re + Im) stft(x) with the periodic Hann window w_m = ½ − ½cos(2πm/N) and fft_length = frame_length:
    each frame contributes w_m·c_m, c the rfft closed form above, at its offset."""
    wc = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(frame_length) / frame_length)) * _rfft_sum_grad((frame_length,))
    grad = np.zeros(length)
    for start in range(0, length - frame_length + 1, frame_step):
        grad[start:start + frame_length] += wc
    return grad


# ------------------------------------------------------------------------------------------ known bugs


def _no_gradient(raw: str, public: str, shape: str) -> KnownBug:
    return KnownBug(
        f"{public} (raw op {raw}) has no registered gradient: the tape raises LookupError, while the 1-D and 2-D "
        "versions have one and the transform is linear",
        "https://github.com/tensorflow/tensorflow/issues/60163",
        f"x = tf.random.normal({shape}, dtype=tf.float64)\nwith tf.GradientTape() as t:\n    t.watch(x)\n"
        f"    y = tf.math.real({public}(x))\nprint(t.gradient(y, x))  # expected the adjoint transform of ones, "
        f"got LookupError: gradient registry has no entry for: {raw}",
        checks=SAMPLE_CHECKS)


def _crop_bug(public: str, shape: str, kwargs: str, shapes: str, complex_input: bool = False) -> KnownBug:
    x = (f"tf.complex(tf.ones({shape}, tf.float64), tf.zeros({shape}, tf.float64))" if complex_input
         else f"tf.ones({shape}, tf.float64)")
    y = f"{public}(x, {kwargs})" if complex_input else f"tf.math.real({public}(x, {kwargs}))"
    return KnownBug(
        f"{public} with fft_length shorter than the input (documented: the input is cropped) has a gradient that "
        "adds the cropped-length cotangent to the full-length input: InvalidArgumentError 'Incompatible shapes' "
        "instead of the adjoint transform padded with zeros for the unread entries",
        "https://github.com/tensorflow/tensorflow/pull/108479",
        f"x = {x}\nwith tf.GradientTape() as t:\n    t.watch(x)\n    y = {y}\n"
        f"print(t.gradient(y, x))  # expected the adjoint transform (0 on unread entries), got InvalidArgumentError: "
        f"Incompatible shapes: {shapes}",
        checks=ALL_CHECKS)


KAISER_BETA_ZERO = KnownBug(
    "kaiser_window computes exp(β·r − β)·i0e(β·r)/i0e(β); i0e(x) = e^{−|x|}I0(x) has a kink at 0, where the "
    "gradient of bessel_i0e takes sign(0) = 0: at β = 0 the tape returns r − 1 per entry instead of the "
    "derivative 0 of the window I0(β·r)/I0(β), which is even in β",
    "unreported",
    "beta = tf.constant(0.0, tf.float64)\nwith tf.GradientTape() as t:\n    t.watch(beta)\n"
    "    w = tf.signal.kaiser_window(5, beta=beta, dtype=tf.float64)\n"
    "print(t.gradient(w, beta))  # expected 0, got -2.268 (= Σ (r - 1), r = [0, .866, 1, .866, 0])")

XLA_FLOAT64_RFFT = since(
    "2.17", "TensorFlow 2.16's XLA has no float64 RFFT/IRFFT kernel (InvalidArgumentError: No registered 'RFFT' "
    "OpKernel for XLA_CPU_JIT devices ... Treal=DT_DOUBLE), so ops built on the real FFT do not compile with "
    "jit_compile in float64; 2.17 added it", modes=("xla",))

# ------------------------------------------------------------------------------------------ the ops

FFT = "the DFT is linear: Σ_k F_k = n·x_0, so ∂Σ(Re F + Im F)/∂re = ∂/∂im = n at index 0 and 0 elsewhere"
IFFT = "the inverse DFT is linear: Σ_j f_j = X_0, so ∂Σ(Re f + Im f)/∂re = ∂/∂im = 1 at index 0 and 0 elsewhere"

N = "tf.signal.fft"
FFT_OP = op(N, _complex_in_out(tf.signal.fft), [
    Sample(_x(N, (4,), (4,), salt="a"), {}, "length 4"),
    Sample(_x(N, (2, 3), (2, 3), salt="b"), {}, "batch 2x3 (innermost axis)"),
], diff=(0, 1), domain="all complex x = re + i·im (outputs: real and imaginary parts)", points=[
    point("x=0, length 4", [np.zeros(4), np.zeros(4)], [_delta((4,), 4.0), _delta((4,), 4.0)], FFT),
])

N = "tf.signal.ifft"
IFFT_OP = op(N, _complex_in_out(tf.signal.ifft), [
    Sample(_x(N, (5,), (5,), salt="a"), {}, "length 5"),
    Sample(_x(N, (2, 4), (2, 4), salt="b"), {}, "batch 2x4"),
], diff=(0, 1), domain="all complex x", points=[
    point("x=0, length 4", [np.zeros(4), np.zeros(4)], [_delta((4,)), _delta((4,))], IFFT),
])

N = "tf.signal.fft2d"
FFT2D_OP = op(N, _complex_in_out(tf.signal.fft2d), [
    Sample(_x(N, (2, 3), (2, 3), salt="a"), {}, "2x3"),
    Sample(_x(N, (2, 2, 3), (2, 2, 3), salt="b"), {}, "batch 2x2x3 (inner two axes)"),
], diff=(0, 1), domain="all complex x", points=[
    point("x=0, 2x2", [np.zeros((2, 2)), np.zeros((2, 2))], [_delta((2, 2), 4.0), _delta((2, 2), 4.0)],
          "Σ_k F_k = n1·n2·x[0, 0]: gradient n1·n2 = 4 at [0, 0] for re and im"),
])

N = "tf.signal.ifft2d"
IFFT2D_OP = op(N, _complex_in_out(tf.signal.ifft2d), [
    Sample(_x(N, (3, 2), (3, 2), salt="a"), {}, "3x2"),
    Sample(_x(N, (2, 2, 3), (2, 2, 3), salt="b"), {}, "batch 2x2x3"),
], diff=(0, 1), domain="all complex x", points=[
    point("x=0, 2x2", [np.zeros((2, 2)), np.zeros((2, 2))], [_delta((2, 2)), _delta((2, 2))],
          "Σ_j f_j = X[0, 0]: gradient 1 at [0, 0]"),
])

N = "tf.signal.fft3d"
FFT3D_OP = op(N, _complex_in_out(tf.signal.fft3d), [
    Sample(_x(N, (2, 2, 3), (2, 2, 3), salt="a"), {}, "2x2x3"),
    Sample(_x(N, (2, 2, 2, 2), (2, 2, 2, 2), salt="b"), {}, "batch 2x2x2x2 (inner three axes)"),
], diff=(0, 1), domain="all complex x", points=[
    point("x=0, 2x2x2", [np.zeros((2, 2, 2)), np.zeros((2, 2, 2))], [_delta((2, 2, 2), 8.0), _delta((2, 2, 2), 8.0)],
          "Σ_k F_k = n1·n2·n3·x[0, 0, 0]: gradient 8 at the origin"),
])

N = "tf.signal.ifft3d"
IFFT3D_OP = op(N, _complex_in_out(tf.signal.ifft3d), [
    Sample(_x(N, (2, 3, 2), (2, 3, 2), salt="a"), {}, "2x3x2"),
    Sample(_x(N, (2, 2, 2, 2), (2, 2, 2, 2), salt="b"), {}, "batch 2x2x2x2"),
], diff=(0, 1), domain="all complex x", points=[
    point("x=0, 2x2x2", [np.zeros((2, 2, 2)), np.zeros((2, 2, 2))], [_delta((2, 2, 2)), _delta((2, 2, 2))],
          "Σ_j f_j = X[0, 0, 0]: gradient 1 at the origin"),
])

N = "tf.signal.rfft"
RFFT_OP = op(N, _real_in_complex_out(tf.signal.rfft), [
    Sample(_x(N, (6,), salt="a"), {}, "length 6 (even)"),
    Sample(_x(N, (5,), salt="b"), {}, "length 5 (odd)"),
    Sample(_x(N, (2, 4), salt="c"), dict(fft_length=[6]), "batch 2x4, fft_length=6 (zero-padded)"),
], domain="all reals (fft_length ≥ the length; shorter fft_length is the entry below)", points=[
    point("x=0, length 4", [np.zeros(4)], [_rfft_sum_grad((4,))],
          "Σ_{k=0}^{n/2} (Re + Im) F_k = Σ_j x_j Σ_k (cos − sin)(2πjk/n) = [3, −1, 1, 1]·x"),
    point("x=0, length 3, fft_length=4 (padded)", [np.zeros(3)], [_rfft_sum_grad((4,))[:3]],
          "x is zero-padded to 4: the closed form for n = 4 restricted to the 3 real samples", fft_length=[4]),
], gates=(XLA_FLOAT64_RFFT,))

N = "tf.signal.rfft(fft_length < length)"
RFFT_CROP_OP = op(N, _real_in_complex_out(tf.signal.rfft), [
    Sample(_x(N, (6,), salt="a"), dict(fft_length=[4]), "length 6, fft_length=4 (cropped)"),
], domain="all reals; rfft transforms only the first fft_length samples (documented), the rest has derivative 0",
    bugs=(_crop_bug("tf.signal.rfft", "[6]", "fft_length=[4]", "[4] vs. [6]"),), points=[
    point("x=0, length 4, fft_length=2 (cropped)", [np.zeros(4)], [np.concatenate([_rfft_sum_grad((2,)), [0.0, 0.0]])],
          "only the first fft_length samples are transformed: the closed form for n = 2, then 0", fft_length=[2]),
])

N = "tf.signal.irfft"
IRFFT_OP = op(N, _complex_in_real_out(tf.signal.irfft), [
    Sample(_x(N, (3,), (3,), salt="a"), {}, "3 bins → length 4"),
    Sample(_x(N, (4,), (4,), salt="b"), dict(fft_length=[7]), "4 bins, fft_length=7 (odd)"),
    Sample(_x(N, (2, 4), (2, 4), salt="c"), {}, "batch 2x4 bins → 2x6"),
], diff=(0, 1), domain="half-spectra X = re + i·im; Im of the DC (and even-length Nyquist) bin is ignored "
                       "(Hermitian symmetry): the derivative there is 0", points=[
    point("X=0, 3 bins", [np.zeros(3), np.zeros(3)], [_delta((3,)), np.zeros(3)],
          "Σ_j x_j = Re X_0 (the Hermitian extension's DC term): ∂/∂re = [1, 0, 0], ∂/∂im = 0"),
], gates=(XLA_FLOAT64_RFFT,))

N = "tf.signal.irfft(fft_length//2 + 1 < bins)"
IRFFT_CROP_OP = op(N, _complex_in_real_out(tf.signal.irfft), [
    Sample(_x(N, (4,), (4,), salt="a"), dict(fft_length=[4]), "4 bins, fft_length=4 (the last bin unused)"),
], diff=(0, 1), domain="half-spectra; bins beyond fft_length//2 + 1 are not read (derivative 0)",
    bugs=(_crop_bug("tf.signal.irfft", "[4]", "fft_length=[4]", "[3] vs. [4]", complex_input=True),), points=[
    point("X=0, 4 bins, fft_length=4", [np.zeros(4), np.zeros(4)], [_delta((4,)), np.zeros(4)],
          "Σ_j x_j = Re X_0; the unused last bin has derivative 0", fft_length=[4]),
])

N = "tf.signal.rfft2d"
RFFT2D_OP = op(N, _real_in_complex_out(tf.signal.rfft2d), [
    Sample(_x(N, (3, 4), salt="a"), {}, "3x4"),
    Sample(_x(N, (2, 2, 3), salt="b"), {}, "batch 2x2x3 (odd last axis)"),
    Sample(_x(N, (2, 3), salt="c"), dict(fft_length=[3, 4]), "2x3, fft_length=[3, 4] (zero-padded)"),
], domain="all reals (fft_length ≥ the shape; shorter is the entry below)", points=[
    point("x=0, 2x4", [np.zeros((2, 4))], [_rfft_sum_grad((2, 4))],
          "Σ over the half-spectrum of (Re + Im) F = Σ_j x_j Σ_k (cos − sin)(2π(j1k1/n1 + j2k2/n2)), k2 ≤ n2/2"),
], gates=(XLA_FLOAT64_RFFT,))

N = "tf.signal.rfft2d(fft_length < shape)"
RFFT2D_CROP_OP = op(N, _real_in_complex_out(tf.signal.rfft2d), [
    Sample(_x(N, (2, 4), salt="a"), dict(fft_length=[2, 3]), "2x4, fft_length=[2, 3] (last axis cropped)"),
], domain="all reals; entries beyond fft_length are not read (derivative 0)",
    bugs=(_crop_bug("tf.signal.rfft2d", "[2, 4]", "fft_length=[2, 3]", "[2,3] vs. [2,4]"),))

N = "tf.signal.irfft2d"
IRFFT2D_OP = op(N, _complex_in_real_out(tf.signal.irfft2d), [
    Sample(_x(N, (3, 3), (3, 3), salt="a"), {}, "3x3 bins → 3x4"),
    Sample(_x(N, (2, 2, 3), (2, 2, 3), salt="b"), dict(fft_length=[2, 5]), "batch 2x2x3, fft_length=[2, 5] (odd)"),
], diff=(0, 1), domain="half-spectra; imaginary parts the Hermitian extension ignores have derivative 0", points=[
    point("X=0, 2x3 bins", [np.zeros((2, 3)), np.zeros((2, 3))], [_delta((2, 3)), np.zeros((2, 3))],
          "Σ_j x_j = Re X[0, 0]: ∂/∂re = 1 at [0, 0], ∂/∂im = 0"),
], gates=(XLA_FLOAT64_RFFT,))

N = "tf.signal.rfft3d"
RFFT3D_OP = op(N, _real_in_complex_out(tf.signal.rfft3d), [
    Sample(_x(N, (2, 2, 4), salt="a"), {}, "2x2x4"),
], domain="all reals", bugs=(_no_gradient("RFFT3D", "tf.signal.rfft3d", "[2, 2, 4]"),), gates=(XLA_FLOAT64_RFFT,))

N = "tf.signal.irfft3d"
IRFFT3D_OP = op(N, _complex_in_real_out(tf.signal.irfft3d), [
    Sample(_x(N, (2, 2, 3), (2, 2, 3), salt="a"), {}, "2x2x3 bins → 2x2x4"),
], diff=(0, 1), domain="half-spectra", bugs=(KnownBug(
    "tf.signal.irfft3d (raw op IRFFT3D) has no registered gradient: the tape raises LookupError, while the 1-D "
    "and 2-D versions have one and the transform is linear (#60163 reports the same for RFFT3D; #386, once cited "
    "here, is the 2015 request for FFT ops)", "unreported",
    "x = tf.complex(tf.random.normal([2, 2, 3], dtype=tf.float64), tf.zeros([2, 2, 3], tf.float64))\n"
    "with tf.GradientTape() as t:\n    t.watch(x)\n    y = tf.signal.irfft3d(x)\n"
    "print(t.gradient(y, x))  # expected the adjoint transform, got LookupError: gradient registry has no entry for: IRFFT3D",
    checks=SAMPLE_CHECKS),), gates=(XLA_FLOAT64_RFFT,))

N = "tf.signal.dct"
DCT_OP = op(N, tf.signal.dct, [
    Sample(_x(N, (5,), salt="a"), {}, "type=2 (default), length 5"),
    Sample(_x(N, (2, 4), salt="b"), dict(type=1), "type=1, batch 2x4"),
    Sample(_x(N, (5,), salt="d"), dict(type=4, norm="ortho", n=6), "type=4, norm='ortho', n=6 (zero-padded)"),
], domain="all reals", points=[
    point("x=0, type 2, length 4", [np.zeros(4)], [_dct2_sum_grad(4)],
          "DCT-II y_k = 2 Σ_j x_j cos(πk(2j+1)/(2n)) (documented): ∂Σy/∂x_j = 2 Σ_k cos(πk(2j+1)/(2n))"),
    point("x=0, type 1, length 4", [np.zeros(4)], [_dct1_sum_grad(4)],
          "DCT-I y_k = x_0 + (−1)^k x_{n−1} + 2 Σ x_j cos(πjk/(n−1)) (documented): summed over k", type=1),
    point("x=0, type 2, n=2 (truncated)", [np.zeros(4)], [np.concatenate([_dct2_sum_grad(2), [0.0, 0.0]])],
          "n = 2 keeps the first two samples: the closed form for length 2, then 0", n=2),
], gates=(XLA_FLOAT64_RFFT,))

N = "tf.signal.idct"
IDCT_OP = op(N, tf.signal.idct, [
    Sample(_x(N, (5,), salt="a"), {}, "type=2 (inverse: a scaled DCT-III), length 5"),
    Sample(_x(N, (2, 4), salt="b"), dict(type=3, norm="ortho"), "type=3, norm='ortho', batch 2x4"),
], domain="all reals", points=[
    point("x=0, type 2, norm='ortho', length 4", [np.zeros(4)], [[2.0, 0.0, 0.0, 0.0]],
          "with norm='ortho' the inverse is y = Cᵀx, C the orthonormal DCT-II: Σy = (C·1)ᵀx and C·1 = √n·e_0 (row 0 "
          "is the constant 1/√n, the other rows are orthogonal to it): gradient [2, 0, 0, 0] for n = 4",
          norm="ortho"),
], gates=(XLA_FLOAT64_RFFT,))

N = "tf.signal.frame"
FRAME_OP = op(N, tf.signal.frame, [
    Sample(_x(N, (7,), salt="a") + (3, 2), {}, "length 7, frame_length=3, frame_step=2"),
    Sample(_x(N, (7,), salt="b") + (3, 2), dict(pad_end=True, pad_value=0.5), "pad_end=True, pad_value=0.5"),
    Sample(_x(N, (6, 2), salt="c") + (2, 1), dict(axis=0), "6x2, frame_length=2, frame_step=1, axis=0"),
    Sample(_x(N, (2, 6), salt="d") + (4, 2), {}, "batch 2x6, frame_length=4, frame_step=2"),
], domain="all reals", points=[
    point("length 7, frame_length=3, frame_step=2", [np.zeros(7), 3, 2], [_frame_counts(7, 3, 2)],
          "each sample appears in as many frames as cover it: frames start at 0, 2, 4"),
    point("length 7, frame 3, step 2, pad_end=True", [np.zeros(7), 3, 2], [_frame_counts(7, 3, 2, pad_end=True)],
          "pad_end adds a frame at 6 ([x6, pad, pad]): x6 is covered twice; the pad value is a constant", pad_end=True),
])

N = "tf.signal.overlap_and_add"
OVERLAP_AND_ADD_OP = op(N, tf.signal.overlap_and_add, [
    Sample(_x(N, (3, 4), salt="a") + (2,), {}, "3 frames x 4, frame_step=2"),
    Sample(_x(N, (2, 3, 2), salt="b") + (1,), {}, "batch 2x3x2, frame_step=1"),
    Sample(_x(N, (2, 3), salt="c") + (3,), {}, "2 frames x 3, frame_step=3 (no overlap)"),
], domain="all reals", points=[
    point("3 frames x 4, frame_step=2", [np.zeros((3, 4)), 2], [np.ones((3, 4))],
          "every frame sample is added exactly once into the output: gradient 1"),
])

N = "tf.signal.stft"
STFT_OP = op(N, stft, [
    Sample(_x(N, (12,), salt="a") + (4, 2), {}, "length 12, frame_length=4, frame_step=2 (periodic Hann)"),
    Sample(_x(N, (2, 8), salt="b") + (4, 2), dict(fft_length=8), "batch 2x8, fft_length=8 (zero-padded frames)"),
    Sample(_x(N, (10,), salt="c") + (4, 3), dict(pad_end=True, window_fn=None), "pad_end=True, window_fn=None (rectangular)"),
], domain="all reals (outputs: real and imaginary parts)", points=[
    point("x=0, length 8, frame_length=4, frame_step=2", [np.zeros(8), 4, 2], [_stft_sum_grad(8, 4, 2)],
          "each frame contributes w_m·Σ_k (cos − sin)(2πmk/4) with the periodic Hann w = [0, ½, 1, ½] (documented "
          "default), summed over the frames covering each sample"),
], gates=(XLA_FLOAT64_RFFT,))

N = "tf.signal.inverse_stft"
INVERSE_STFT_OP = op(N, inverse_stft, [
    Sample(_x(N, (3, 3), (3, 3), salt="a") + (4, 2), {}, "3 frames x 3 bins, frame_length=4, frame_step=2"),
    Sample(_x(N, (2, 3, 5), (2, 3, 5), salt="b") + (4, 2), dict(fft_length=8), "batch 2x3x5, fft_length=8"),
], diff=(0, 1), domain="complex STFTs (re, im); imaginary parts of DC/Nyquist bins are ignored by irfft (derivative 0); "
                       "window inverse_stft_window_fn(frame_step)", gates=(XLA_FLOAT64_RFFT,))

N = "tf.signal.mdct"
MDCT_OP = op(N, tf.signal.mdct, [
    Sample(_x(N, (12,), salt="a") + (4,), {}, "length 12, frame_length=4 (vorbis window)"),
    Sample(_x(N, (2, 8), salt="b") + (4,), dict(norm="ortho"), "batch 2x8, norm='ortho'"),
    Sample(_x(N, (10,), salt="c") + (4,), dict(pad_end=True), "length 10, pad_end=True"),
], domain="all reals", gates=(XLA_FLOAT64_RFFT,))

N = "tf.signal.inverse_mdct"
INVERSE_MDCT_OP = op(N, tf.signal.inverse_mdct, [
    Sample(_x(N, (3, 2), salt="a"), {}, "3 frames x 2 coefficients (vorbis window)"),
    Sample(_x(N, (2, 3, 4), salt="b"), dict(norm="ortho"), "batch 2x3x4, norm='ortho'"),
], domain="all reals", gates=(XLA_FLOAT64_RFFT,))

N = "tf.signal.mfccs_from_log_mel_spectrograms"
MFCC_OP = op(N, tf.signal.mfccs_from_log_mel_spectrograms, [
    Sample(_x(N, (6,), salt="a"), {}, "6 mel bins"),
    Sample(_x(N, (2, 5), salt="b"), {}, "batch 2x5"),
], domain="all reals (log-mel values)", points=[
    point("x=0, 4 mel bins", [np.zeros(4)], [_dct2_sum_grad(4) / np.sqrt(8.0)],
          "documented as the DCT-II scaled by 1/√(2N) (HTK's √(2/N) Σ x_j cos(πk(j+½)/N)): the DCT-II closed form / √8"),
], gates=(XLA_FLOAT64_RFFT,))

N = "tf.signal.fftshift"
FFTSHIFT_OP = op(N, tf.signal.fftshift, [
    Sample(_x(N, (5,), salt="a"), {}, "length 5"),
    Sample(_x(N, (2, 3), salt="b"), dict(axes=1), "2x3, axes=1"),
    Sample(_x(N, (2, 4), salt="c"), dict(axes=None), "2x4, axes=None (all axes)"),
], domain="all reals", points=[
    point("x=0, 2x3", [np.zeros((2, 3))], [np.ones((2, 3))], "a permutation: every entry appears once, gradient 1"),
])

N = "tf.signal.ifftshift"
IFFTSHIFT_OP = op(N, tf.signal.ifftshift, [
    Sample(_x(N, (5,), salt="a"), {}, "length 5"),
    Sample(_x(N, (3, 2), salt="b"), dict(axes=0), "3x2, axes=0"),
], domain="all reals")

N = "tf.signal.kaiser_window"
R5 = np.sqrt(1 - np.array([-1.0, -0.5, 0.0, 0.5, 1.0]) ** 2)
KAISER_OP = op(N, kaiser_window, [
    Sample((np.float64(2.5), 5), {}, "beta=2.5, window_length=5"),
    Sample((np.float64(8.0), 6), {}, "beta=8, window_length=6"),
], domain="beta > 0 (the window I0(β·r)/I0(β) is even in β); the integer length is not differentiable", points=[
    point("beta=0, window_length=5", [0.0, 5], [0.0],
          "w_n(β) = I0(β·r_n)/I0(β) is even in β and smooth, so ∂Σw/∂β = 0 at β = 0", bug=KAISER_BETA_ZERO),
])

N = "tf.signal.kaiser_bessel_derived_window"
KBD_OP = op(N, kaiser_bessel_derived_window, [
    Sample((np.float64(2.5), 6), {}, "beta=2.5, window_length=6"),
    Sample((np.float64(6.0), 8), {}, "beta=6, window_length=8"),
], domain="beta > 0; the integer length is not differentiable", points=[
    point("beta=0, window_length=6", [0.0, 6], [0.0],
          "the KBD window √(cumsum(kaiser)/Σ kaiser) inherits the evenness in β of the Kaiser window: derivative 0 "
          "at β = 0", bug=KnownBug(
              "kaiser_bessel_derived_window is built on kaiser_window, whose gradient at β = 0 is r − 1 instead of 0 "
              "(bessel_i0e's sign(0) = 0 at its kink): the KBD window's derivative at β = 0 is nonzero instead of 0",
              "unreported",
              "beta = tf.constant(0.0, tf.float64)\nwith tf.GradientTape() as t:\n    t.watch(beta)\n"
              "    w = tf.signal.kaiser_bessel_derived_window(6, beta=beta, dtype=tf.float64)\n"
              "print(t.gradient(w, beta))  # expected 0, got -0.0996")),
])

OPS = [
    FFT_OP, IFFT_OP, FFT2D_OP, IFFT2D_OP, FFT3D_OP, IFFT3D_OP, RFFT_OP, RFFT_CROP_OP, IRFFT_OP, IRFFT_CROP_OP, RFFT2D_OP,
    RFFT2D_CROP_OP, IRFFT2D_OP, RFFT3D_OP,
    IRFFT3D_OP, DCT_OP, IDCT_OP, FRAME_OP, OVERLAP_AND_ADD_OP, STFT_OP, INVERSE_STFT_OP, MDCT_OP, INVERSE_MDCT_OP,
    MFCC_OP, FFTSHIFT_OP, IFFTSHIFT_OP, KAISER_OP, KBD_OP,
]
