"""tf.signal: discrete Fourier transforms, cosine transforms, framing, STFT/MDCT, MFCCs, shifts and windows.

The atlas checks real functions of real arguments, so a transform with complex input takes (re, im) and
builds tf.complex(re, im), and a complex output is returned as (real, imag): the gradients through
tf.complex, tf.math.real and tf.math.imag are checked as part of the op. The half-spectrum inverses
(irfft, irfft2d, inverse_stft) treat their input as the non-negative frequencies of a Hermitian spectrum:
the imaginary parts of the DC (and, for even lengths, Nyquist) bins are ignored by the forward op, so the
correct derivative with respect to them is 0.

Every transform here is linear, so its gradient of Σ(outputs) is the same at every input: the special
points sit at 0 and carry closed forms (sums of cosines and sines of the DFT kernel) computed below, and their
Hessian is 0 (checked along a tangent with distinct entries). Length-1 transforms (the identity, or 2x for the
DCT-II) and zero-size batches (empty gradients) are points too; a zero-size batch whose signal must be padded to the
transform length is a record of its own (the forward op raises there, which would fail the other points of a record).
float64 inputs run as complex128 on CPU and under XLA.

The Kaiser and Kaiser–Bessel-derived windows are differentiable in beta and are checked in beta, with their second
derivatives at β = 0 from the series of I0.

Left out, with the reason: tf.signal.fftnd, ifftnd, rfftnd and irfftnd have only GPU kernels in this release
(NotFoundError on CPU: no value to differentiate here); hann_window, hamming_window and vorbis_window take only an
integer length (no float input); linear_to_mel_weight_matrix takes its rates and edge frequencies as Python numbers
and validates them with Python comparisons (no tensor input, so no gradient path).
"""
import numpy as np
import tensorflow as tf

from spec.atlas.records import (POINT_CHECKS, POINT_SECOND, REAL, KnownBug, Sample, Workaround, draw, hvp, op, point,
                                 since)

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


# ------------------------------------------------------------------------------------------ second derivatives

LINEAR = ("every transform here is linear in its inputs (real and imaginary parts alike), so its Hessian is 0 at every "
          "point: H·v = 0 for a tangent v with distinct entries")


def _tangent(shape) -> np.ndarray:
    """A tangent with distinct entries (a dropped or transposed term cannot hide behind a constant tangent)."""
    n = int(np.prod(shape, dtype=int))
    return ((np.arange(n) * 7 + 3) % 11 - 5).reshape(shape) / 4.0


def lpoint(label, args, grads, why, **kwargs):
    """A special point of a linear transform: its gradient, and H·v = 0 along a non-constant tangent (the first
    len(grads) arguments are the differentiable ones in this family)."""
    shapes = [np.shape(a) for a in args[:len(grads)]]
    second = hvp([np.zeros(s) for s in shapes], LINEAR, v=[_tangent(s) for s in shapes])
    return point(label, args, grads, why, second=second, **kwargs)


# ------------------------------------------------------------------------------------------ known bugs


RFFT3D_WORKAROUND = Workaround('''import tensorflow as tf


def rfft3d(x, fft_length=None):
    """tf.signal.rfft3d as rfft2d over the two inner axes, then fft over the third: the same separable transform,
    built from ops that have gradients (fft_length not supported here)."""
    assert fft_length is None, "crop or pad x to the wanted length first"
    y = tf.signal.rfft2d(x)
    perm = list(range(len(y.shape)))
    perm[-3], perm[-1] = perm[-1], perm[-3]
    y = tf.transpose(tf.signal.fft(tf.transpose(y, perm)), perm)
    return tf.math.real(y), tf.math.imag(y)
''', "rfft3d")

IRFFT3D_WORKAROUND = Workaround('''import tensorflow as tf


def irfft3d(re, im, fft_length=None):
    """tf.signal.irfft3d as ifft over the outermost of the three axes, then irfft2d over the two inner ones (which
    ignores the imaginary parts the Hermitian extension ignores): the same transform, with gradients."""
    assert fft_length is None, "crop or pad the spectrum first"
    y = tf.complex(re, im)
    perm = list(range(len(y.shape)))
    perm[-3], perm[-1] = perm[-1], perm[-3]
    y = tf.transpose(tf.signal.ifft(tf.transpose(y, perm)), perm)
    return tf.signal.irfft2d(y)
''', "irfft3d")

RFFT3D_NO_GRADIENT = KnownBug(
    "tf.signal.rfft3d (raw op RFFT3D) has no registered gradient: the tape raises LookupError, while the 1-D and 2-D "
    "versions have one and the transform is linear",
    "https://github.com/tensorflow/tensorflow/issues/60163",
    "x = tf.random.normal([2, 2, 4], dtype=tf.float64)\nwith tf.GradientTape() as t:\n    t.watch(x)\n"
    "    y = tf.math.real(tf.signal.rfft3d(x))\nprint(t.gradient(y, x))  # expected the adjoint transform of ones, "
    "got LookupError: gradient registry has no entry for: RFFT3D",
    checks=SAMPLE_CHECKS, kind="missing gradient",
    kind_why="a linear transform with no registered gradient: the tape raises LookupError",
    related=("https://github.com/tensorflow/tensorflow/issues/386",),
    searched=("rfft3d irfft3d gradient LookupError RFFT3D no gradient",), workaround=RFFT3D_WORKAROUND)

IRFFT3D_NO_GRADIENT = KnownBug(
    "tf.signal.irfft3d (raw op IRFFT3D) has no registered gradient: the tape raises LookupError, while the 1-D "
    "and 2-D versions have one and the transform is linear (a 2022 comment on #386 reports it; #60163 is the same "
    "for RFFT3D)", "https://github.com/tensorflow/tensorflow/issues/386",
    "x = tf.complex(tf.random.normal([2, 2, 3], dtype=tf.float64), tf.zeros([2, 2, 3], tf.float64))\n"
    "with tf.GradientTape() as t:\n    t.watch(x)\n    y = tf.signal.irfft3d(x)\n"
    "print(t.gradient(y, x))  # expected the adjoint transform, got LookupError: gradient registry has no entry for: IRFFT3D",
    checks=SAMPLE_CHECKS, kind="missing gradient",
    kind_why="a linear transform with no registered gradient: the tape raises LookupError",
    related=("https://github.com/tensorflow/tensorflow/issues/60163",),
    searched=("rfft3d irfft3d gradient LookupError RFFT3D no gradient",), workaround=IRFFT3D_WORKAROUND)


def _crop_bug(public: str, shape: str, kwargs: str, shapes: str, workaround: Workaround,
              complex_input: bool = False) -> KnownBug:
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
        checks=ALL_CHECKS + POINT_SECOND, kind="wrong value",
        kind_why="crop-then-transform is linear and differentiable everywhere; the gradient raises InvalidArgumentError "
                 "instead of returning the zero-padded adjoint",
        related=("https://github.com/tensorflow/tensorflow/issues/17221",),
        searched=("rfft gradient fft_length smaller than input Incompatible shapes cropped",), workaround=workaround)


RFFT_CROP_WORKAROUND = Workaround('''import tensorflow as tf


def rfft(x, fft_length=None):
    """tf.signal.rfft with the documented crop to fft_length done explicitly, so the gradient has the input's shape."""
    if fft_length is not None:
        x = x[..., :fft_length[0]]
    y = tf.signal.rfft(x, fft_length=fft_length)
    return tf.math.real(y), tf.math.imag(y)
''', "rfft")

IRFFT_CROP_WORKAROUND = Workaround('''import tensorflow as tf


def irfft(re, im, fft_length=None):
    """tf.signal.irfft with the documented crop to fft_length // 2 + 1 bins done explicitly."""
    if fft_length is not None:
        bins = fft_length[0] // 2 + 1
        re, im = re[..., :bins], im[..., :bins]
    return tf.signal.irfft(tf.complex(re, im), fft_length=fft_length)
''', "irfft")

RFFT2D_CROP_WORKAROUND = Workaround('''import tensorflow as tf


def rfft2d(x, fft_length=None):
    """tf.signal.rfft2d with the documented crop to fft_length done explicitly."""
    if fft_length is not None:
        x = x[..., :fft_length[0], :fft_length[1]]
    y = tf.signal.rfft2d(x, fft_length=fft_length)
    return tf.math.real(y), tf.math.imag(y)
''', "rfft2d")

EMPTY_PAD_SEARCHED = ("rfft zero-size batch fft_length padding empty tensor InvalidArgumentError",)


def _empty_pad_bug(public: str, call: str, raw: str, need: str, workaround: Workaround) -> KnownBug:
    return KnownBug(
        f"{public} of a zero-size batch with a transform length above the signal length raises InvalidArgumentError "
        f"in the forward op: fft_ops._maybe_pad_for_rfft skips padding for tensors with a 0 dimension ('Edge case: "
        f"skip padding empty tensors'), so the raw {raw} kernel, which does not pad, gets the unpadded signal; the "
        "result and its gradient are empty arrays",
        "unreported",
        f"x = tf.zeros([0, 4], tf.float64)\nwith tf.GradientTape() as t:\n    t.watch(x)\n    y = {call}\n"
        f"print(t.gradient(y, x))  # expected an empty (0, 4) gradient, got InvalidArgumentError: Input dimension 1 "
        f"must have length of at least {need} but got: 4",
        checks=("special_reverse",) + tuple(c for c in POINT_SECOND if c != "special_forward_over_forward"),
        kind="wrong value",
        kind_why="the function of a zero-size batch is the empty array with an empty gradient; the forward op raises "
                 "InvalidArgumentError (forward mode passes: with no entries there is no tangent to push)",
        related=("https://github.com/tensorflow/tensorflow/issues/126898", "https://github.com/tensorflow/tensorflow/issues/103640"),
        searched=EMPTY_PAD_SEARCHED,
        workaround=workaround)


RFFT_EMPTY_WORKAROUND = Workaround('''import tensorflow as tf


def rfft(x, fft_length=None):
    """tf.signal.rfft with the zero-padding to fft_length done explicitly (the wrapper skips it for empty tensors)."""
    if fft_length is not None:
        pad = max(fft_length[0] - x.shape[-1], 0)
        x = tf.pad(x, [[0, 0]] * (len(x.shape) - 1) + [[0, pad]])
    y = tf.signal.rfft(x, fft_length=fft_length)
    return tf.math.real(y), tf.math.imag(y)
''', "rfft")

DCT_EMPTY_WORKAROUND = Workaround('''import numpy as np
import tensorflow as tf


def dct(x, type=2, n=None, axis=-1, norm=None):
    """tf.signal.dct (type 2, no norm) as a product with its cosine matrix y_k = 2·Σ_j x_j·cos(πk(2j + 1)/(2N)): exact,
    no FFT padding, and fine for short signals (O(N²))."""
    assert type == 2 and n is None and axis == -1 and norm is None, "this workaround covers the default DCT-II"
    size = x.shape[-1]
    k, j = np.meshgrid(np.arange(size), np.arange(size), indexing="ij")
    c = tf.constant(2.0 * np.cos(np.pi * k * (2 * j + 1) / (2 * size)), x.dtype)
    return tf.einsum("...j,kj->...k", x, c)
''', "dct")

KAISER_SEARCHED = ("kaiser_window gradient beta bessel_i0e", "tf.signal.kaiser_window derivative at beta=0 nonzero abs(beta) fix",
                   "kaiser_window negative beta wrong values tensorflow issue 112200")
KAISER_RELATED = ("https://github.com/tensorflow/tensorflow/pull/112635", "https://github.com/tensorflow/tensorflow/pull/112294",
                  "https://github.com/tensorflow/tensorflow/issues/127245", "https://github.com/tensorflow/tensorflow/pull/127549")
KAISER_WHY = ("the Kaiser window I0(β·r)/I0(β) is even and analytic in β, differentiable at 0 with derivative 0; TensorFlow's "
              "formula exp(β·r − β)·i0e(β·r)/i0e(β) equals it only for β ≥ 0 (#112200: another function for β < 0), so the "
              "function it computes kinks at 0 and the tape returns the mean of the two one-sided slopes")

KAISER_WORKAROUND = Workaround('''import numpy as np
import tensorflow as tf


def kaiser_window(beta, window_length):
    """tf.signal.kaiser_window, even in beta: exp(|β|·(r − 1))·i0e(β·r)/i0e(β) = I0(β·r)/I0(β) for every β (i0e is
    even; the exponential scale uses |β| so large β does not overflow). At β = 0 the kinks of |β| and of i0e cancel:
    the tape's first and second derivatives there are the window's, 0 and Σ(r² − 1)/2."""
    half = (window_length - 1) / 2.0
    r = np.sqrt(np.maximum(0.0, 1.0 - ((np.arange(window_length) - half) / half) ** 2))
    r = tf.constant(r, beta.dtype)
    return (tf.exp(tf.abs(beta) * (r - 1.0)) * tf.math.special.bessel_i0e(beta * r)
            / tf.math.special.bessel_i0e(beta))
''', "kaiser_window")

KBD_WORKAROUND = Workaround('''import numpy as np
import tensorflow as tf


def kaiser_bessel_derived_window(beta, window_length):
    """tf.signal.kaiser_bessel_derived_window built on a Kaiser window that is even in beta (see kaiser_window)."""
    n = window_length // 2 + 1
    half = (n - 1) / 2.0
    r = tf.constant(np.sqrt(np.maximum(0.0, 1.0 - ((np.arange(n) - half) / half) ** 2)), beta.dtype)
    kaiser = (tf.exp(tf.abs(beta) * (r - 1.0)) * tf.math.special.bessel_i0e(beta * r)
              / tf.math.special.bessel_i0e(beta))
    csum = tf.cumsum(kaiser)
    halfw = tf.sqrt(csum[:-1] / csum[-1])
    return tf.concat([halfw, halfw[::-1]], axis=0)
''', "kaiser_bessel_derived_window")

KAISER_BETA_ZERO = KnownBug(
    "kaiser_window computes exp(β·r − β)·i0e(β·r)/i0e(β), which is the window I0(β·r)/I0(β) only for β ≥ 0 (for β < 0 "
    "it is exp(2β(r − 1))·I0(β·r)/I0(β), #112200): at β = 0 the tape returns r − 1 per entry, the mean of the two "
    "one-sided slopes 0 and 2(r − 1), instead of the derivative 0 of the even window, and the second derivative "
    "Σ(r² − 1)/2 is also wrong",
    "https://github.com/tensorflow/tensorflow/issues/112200",
    "beta = tf.constant(0.0, tf.float64)\nwith tf.GradientTape() as t:\n    t.watch(beta)\n"
    "    w = tf.signal.kaiser_window(5, beta=beta, dtype=tf.float64)\n"
    "print(t.gradient(w, beta))  # expected 0, got -2.268 (= Σ (r - 1), r = [0, .866, 1, .866, 0])",
    checks=POINT_CHECKS + POINT_SECOND, kind="wrong value", kind_why=KAISER_WHY, related=KAISER_RELATED,
    searched=KAISER_SEARCHED, workaround=KAISER_WORKAROUND)

KBD_BETA_ZERO = KnownBug(
    "kaiser_bessel_derived_window is built on kaiser_window, whose gradient at β = 0 is r − 1 instead of 0 (its "
    "formula is another function for β < 0, #112200): the KBD window's first and second derivatives at β = 0 are wrong",
    "https://github.com/tensorflow/tensorflow/issues/112200",
    "beta = tf.constant(0.0, tf.float64)\nwith tf.GradientTape() as t:\n    t.watch(beta)\n"
    "    w = tf.signal.kaiser_bessel_derived_window(6, beta=beta, dtype=tf.float64)\n"
    "print(t.gradient(w, beta))  # expected 0, got -0.0996",
    checks=POINT_CHECKS + POINT_SECOND, kind="wrong value",
    kind_why="the KBD window √(cumsum(kaiser)/Σ kaiser) is even and smooth in β; it inherits kaiser_window's kink at 0",
    related=KAISER_RELATED, searched=KAISER_SEARCHED, workaround=KBD_WORKAROUND)

XLA_FLOAT64_RFFT = since(
    "2.17", "TensorFlow 2.16's XLA has no float64 RFFT/IRFFT kernel (InvalidArgumentError: No registered 'RFFT' "
    "OpKernel for XLA_CPU_JIT devices ... Treal=DT_DOUBLE), so ops built on the real FFT do not compile with "
    "jit_compile in float64; 2.17 added it", modes=("xla",))

# ------------------------------------------------------------------------------------------ the ops

EMPTY = "a zero-size batch has no entries: the gradient (and H·v) is the empty array of its shape"
FFT = "the DFT is linear: Σ_k F_k = n·x_0, so ∂Σ(Re F + Im F)/∂re = ∂/∂im = n at index 0 and 0 elsewhere"
IFFT = "the inverse DFT is linear: Σ_j f_j = X_0, so ∂Σ(Re f + Im f)/∂re = ∂/∂im = 1 at index 0 and 0 elsewhere"

N = "tf.signal.fft"
FFT_OP = op(N, _complex_in_out(tf.signal.fft), [
    Sample(_x(N, (4,), (4,), salt="a"), {}, "length 4"),
    Sample(_x(N, (2, 3), (2, 3), salt="b"), {}, "batch 2x3 (innermost axis)"),
], diff=(0, 1), domain="all complex x = re + i·im (outputs: real and imaginary parts)", points=[
    lpoint("x=0, length 4", [np.zeros(4), np.zeros(4)], [_delta((4,), 4.0), _delta((4,), 4.0)], FFT),
    lpoint("length 1", [np.array([2.0]), np.array([-3.0])], [np.ones(1), np.ones(1)],
           "a length-1 DFT is the identity (F_0 = x_0): gradient 1 for re and im"),
    lpoint("zero-size batch 0x4", [np.zeros((0, 4)), np.zeros((0, 4))], [np.zeros((0, 4)), np.zeros((0, 4))], EMPTY),
])

N = "tf.signal.ifft"
IFFT_OP = op(N, _complex_in_out(tf.signal.ifft), [
    Sample(_x(N, (5,), (5,), salt="a"), {}, "length 5"),
    Sample(_x(N, (2, 4), (2, 4), salt="b"), {}, "batch 2x4"),
], diff=(0, 1), domain="all complex x", points=[
    lpoint("x=0, length 4", [np.zeros(4), np.zeros(4)], [_delta((4,)), _delta((4,))], IFFT),
    lpoint("length 1", [np.array([2.0]), np.array([-3.0])], [np.ones(1), np.ones(1)],
           "a length-1 inverse DFT is the identity: gradient 1"),
    lpoint("zero-size batch 0x4", [np.zeros((0, 4)), np.zeros((0, 4))], [np.zeros((0, 4)), np.zeros((0, 4))], EMPTY),
])

N = "tf.signal.fft2d"
FFT2D_OP = op(N, _complex_in_out(tf.signal.fft2d), [
    Sample(_x(N, (2, 3), (2, 3), salt="a"), {}, "2x3"),
    Sample(_x(N, (2, 2, 3), (2, 2, 3), salt="b"), {}, "batch 2x2x3 (inner two axes)"),
], diff=(0, 1), domain="all complex x", points=[
    lpoint("x=0, 2x2", [np.zeros((2, 2)), np.zeros((2, 2))], [_delta((2, 2), 4.0), _delta((2, 2), 4.0)],
          "Σ_k F_k = n1·n2·x[0, 0]: gradient n1·n2 = 4 at [0, 0] for re and im"),
    lpoint("1x1", [np.array([[2.0]]), np.array([[-3.0]])], [np.ones((1, 1)), np.ones((1, 1))],
           "a 1x1 DFT is the identity: gradient 1"),
    lpoint("zero-size batch 0x2x2", [np.zeros((0, 2, 2)), np.zeros((0, 2, 2))], [np.zeros((0, 2, 2)), np.zeros((0, 2, 2))], EMPTY),
])

N = "tf.signal.ifft2d"
IFFT2D_OP = op(N, _complex_in_out(tf.signal.ifft2d), [
    Sample(_x(N, (3, 2), (3, 2), salt="a"), {}, "3x2"),
    Sample(_x(N, (2, 2, 3), (2, 2, 3), salt="b"), {}, "batch 2x2x3"),
], diff=(0, 1), domain="all complex x", points=[
    lpoint("x=0, 2x2", [np.zeros((2, 2)), np.zeros((2, 2))], [_delta((2, 2)), _delta((2, 2))],
          "Σ_j f_j = X[0, 0]: gradient 1 at [0, 0]"),
])

N = "tf.signal.fft3d"
FFT3D_OP = op(N, _complex_in_out(tf.signal.fft3d), [
    Sample(_x(N, (2, 2, 3), (2, 2, 3), salt="a"), {}, "2x2x3"),
    Sample(_x(N, (2, 2, 2, 2), (2, 2, 2, 2), salt="b"), {}, "batch 2x2x2x2 (inner three axes)"),
], diff=(0, 1), domain="all complex x", points=[
    lpoint("x=0, 2x2x2", [np.zeros((2, 2, 2)), np.zeros((2, 2, 2))], [_delta((2, 2, 2), 8.0), _delta((2, 2, 2), 8.0)],
          "Σ_k F_k = n1·n2·n3·x[0, 0, 0]: gradient 8 at the origin"),
])

N = "tf.signal.ifft3d"
IFFT3D_OP = op(N, _complex_in_out(tf.signal.ifft3d), [
    Sample(_x(N, (2, 3, 2), (2, 3, 2), salt="a"), {}, "2x3x2"),
    Sample(_x(N, (2, 2, 2, 2), (2, 2, 2, 2), salt="b"), {}, "batch 2x2x2x2"),
], diff=(0, 1), domain="all complex x", points=[
    lpoint("x=0, 2x2x2", [np.zeros((2, 2, 2)), np.zeros((2, 2, 2))], [_delta((2, 2, 2)), _delta((2, 2, 2))],
          "Σ_j f_j = X[0, 0, 0]: gradient 1 at the origin"),
])

N = "tf.signal.rfft"
RFFT_OP = op(N, _real_in_complex_out(tf.signal.rfft), [
    Sample(_x(N, (6,), salt="a"), {}, "length 6 (even)"),
    Sample(_x(N, (5,), salt="b"), {}, "length 5 (odd)"),
    Sample(_x(N, (2, 4), salt="c"), dict(fft_length=[6]), "batch 2x4, fft_length=6 (zero-padded)"),
], domain="all reals (fft_length ≥ the length; shorter fft_length is the entry below)", points=[
    lpoint("x=0, length 4", [np.zeros(4)], [_rfft_sum_grad((4,))],
          "Σ_{k=0}^{n/2} (Re + Im) F_k = Σ_j x_j Σ_k (cos − sin)(2πjk/n) = [3, −1, 1, 1]·x"),
    lpoint("x=0, length 3, fft_length=4 (padded)", [np.zeros(3)], [_rfft_sum_grad((4,))[:3]],
          "x is zero-padded to 4: the closed form for n = 4 restricted to the 3 real samples", fft_length=[4]),
    lpoint("length 1", [np.array([2.0])], [np.ones(1)], "rfft of one sample is F_0 = x_0 (real): gradient 1"),
    lpoint("zero-size batch 0x4", [np.zeros((0, 4))], [np.zeros((0, 4))], EMPTY),
], gates=(XLA_FLOAT64_RFFT,))

N = "tf.signal.rfft(fft_length < length)"
RFFT_CROP_OP = op(N, _real_in_complex_out(tf.signal.rfft), [
    Sample(_x(N, (6,), salt="a"), dict(fft_length=[4]), "length 6, fft_length=4 (cropped)"),
], domain="all reals; rfft transforms only the first fft_length samples (documented), the rest has derivative 0",
    bugs=(_crop_bug("tf.signal.rfft", "[6]", "fft_length=[4]", "[4] vs. [6]", RFFT_CROP_WORKAROUND),), points=[
    lpoint("x=0, length 4, fft_length=2 (cropped)", [np.zeros(4)], [np.concatenate([_rfft_sum_grad((2,)), [0.0, 0.0]])],
          "only the first fft_length samples are transformed: the closed form for n = 2, then 0", fft_length=[2]),
])

N = "tf.signal.irfft"
IRFFT_OP = op(N, _complex_in_real_out(tf.signal.irfft), [
    Sample(_x(N, (3,), (3,), salt="a"), {}, "3 bins → length 4"),
    Sample(_x(N, (4,), (4,), salt="b"), dict(fft_length=[7]), "4 bins, fft_length=7 (odd)"),
    Sample(_x(N, (2, 4), (2, 4), salt="c"), {}, "batch 2x4 bins → 2x6"),
], diff=(0, 1), domain="half-spectra X = re + i·im; Im of the DC (and even-length Nyquist) bin is ignored "
                       "(Hermitian symmetry): the derivative there is 0", points=[
    lpoint("X=0, 3 bins", [np.zeros(3), np.zeros(3)], [_delta((3,)), np.zeros(3)],
          "Σ_j x_j = Re X_0 (the Hermitian extension's DC term): ∂/∂re = [1, 0, 0], ∂/∂im = 0"),
    lpoint("1 bin, fft_length=1", [np.array([2.0]), np.array([-3.0])], [np.ones(1), np.zeros(1)],
           "a length-1 output is x_0 = Re X_0 (the imaginary part of the DC bin is ignored): gradients 1 and 0",
           fft_length=[1]),
    lpoint("zero-size batch 0x3", [np.zeros((0, 3)), np.zeros((0, 3))], [np.zeros((0, 3)), np.zeros((0, 3))], EMPTY),
], gates=(XLA_FLOAT64_RFFT,))

N = "tf.signal.irfft(fft_length//2 + 1 < bins)"
IRFFT_CROP_OP = op(N, _complex_in_real_out(tf.signal.irfft), [
    Sample(_x(N, (4,), (4,), salt="a"), dict(fft_length=[4]), "4 bins, fft_length=4 (the last bin unused)"),
], diff=(0, 1), domain="half-spectra; bins beyond fft_length//2 + 1 are not read (derivative 0)",
    bugs=(_crop_bug("tf.signal.irfft", "[4]", "fft_length=[4]", "[3] vs. [4]", IRFFT_CROP_WORKAROUND, complex_input=True),), points=[
    lpoint("X=0, 4 bins, fft_length=4", [np.zeros(4), np.zeros(4)], [_delta((4,)), np.zeros(4)],
          "Σ_j x_j = Re X_0; the unused last bin has derivative 0", fft_length=[4]),
])

N = "tf.signal.rfft2d"
RFFT2D_OP = op(N, _real_in_complex_out(tf.signal.rfft2d), [
    Sample(_x(N, (3, 4), salt="a"), {}, "3x4"),
    Sample(_x(N, (2, 2, 3), salt="b"), {}, "batch 2x2x3 (odd last axis)"),
    Sample(_x(N, (2, 3), salt="c"), dict(fft_length=[3, 4]), "2x3, fft_length=[3, 4] (zero-padded)"),
], domain="all reals (fft_length ≥ the shape; shorter is the entry below)", points=[
    lpoint("x=0, 2x4", [np.zeros((2, 4))], [_rfft_sum_grad((2, 4))],
          "Σ over the half-spectrum of (Re + Im) F = Σ_j x_j Σ_k (cos − sin)(2π(j1k1/n1 + j2k2/n2)), k2 ≤ n2/2"),
    lpoint("1x1", [np.array([[2.0]])], [np.ones((1, 1))], "a 1x1 real DFT is the identity: gradient 1"),
    lpoint("zero-size batch 0x2x4", [np.zeros((0, 2, 4))], [np.zeros((0, 2, 4))], EMPTY),
], gates=(XLA_FLOAT64_RFFT,))

N = "tf.signal.rfft2d(fft_length < shape)"
RFFT2D_CROP_OP = op(N, _real_in_complex_out(tf.signal.rfft2d), [
    Sample(_x(N, (2, 4), salt="a"), dict(fft_length=[2, 3]), "2x4, fft_length=[2, 3] (last axis cropped)"),
], domain="all reals; entries beyond fft_length are not read (derivative 0)",
    bugs=(_crop_bug("tf.signal.rfft2d", "[2, 4]", "fft_length=[2, 3]", "[2,3] vs. [2,4]", RFFT2D_CROP_WORKAROUND),))

N = "tf.signal.irfft2d"
IRFFT2D_OP = op(N, _complex_in_real_out(tf.signal.irfft2d), [
    Sample(_x(N, (3, 3), (3, 3), salt="a"), {}, "3x3 bins → 3x4"),
    Sample(_x(N, (2, 2, 3), (2, 2, 3), salt="b"), dict(fft_length=[2, 5]), "batch 2x2x3, fft_length=[2, 5] (odd)"),
], diff=(0, 1), domain="half-spectra; imaginary parts the Hermitian extension ignores have derivative 0", points=[
    lpoint("X=0, 2x3 bins", [np.zeros((2, 3)), np.zeros((2, 3))], [_delta((2, 3)), np.zeros((2, 3))],
          "Σ_j x_j = Re X[0, 0]: ∂/∂re = 1 at [0, 0], ∂/∂im = 0"),
], gates=(XLA_FLOAT64_RFFT,))

N = "tf.signal.rfft3d"
RFFT3D_OP = op(N, _real_in_complex_out(tf.signal.rfft3d), [
    Sample(_x(N, (2, 2, 4), salt="a"), {}, "2x2x4"),
], domain="all reals", bugs=(RFFT3D_NO_GRADIENT,), gates=(XLA_FLOAT64_RFFT,))

N = "tf.signal.irfft3d"
IRFFT3D_OP = op(N, _complex_in_real_out(tf.signal.irfft3d), [
    Sample(_x(N, (2, 2, 3), (2, 2, 3), salt="a"), {}, "2x2x3 bins → 2x2x4"),
], diff=(0, 1), domain="half-spectra", bugs=(IRFFT3D_NO_GRADIENT,), gates=(XLA_FLOAT64_RFFT,))

N = "tf.signal.dct"
DCT_OP = op(N, tf.signal.dct, [
    Sample(_x(N, (5,), salt="a"), {}, "type=2 (default), length 5"),
    Sample(_x(N, (2, 4), salt="b"), dict(type=1), "type=1, batch 2x4"),
    Sample(_x(N, (5,), salt="d"), dict(type=4, norm="ortho", n=6), "type=4, norm='ortho', n=6 (zero-padded)"),
], domain="all reals", points=[
    lpoint("x=0, type 2, length 4", [np.zeros(4)], [_dct2_sum_grad(4)],
          "DCT-II y_k = 2 Σ_j x_j cos(πk(2j+1)/(2n)) (documented): ∂Σy/∂x_j = 2 Σ_k cos(πk(2j+1)/(2n))"),
    lpoint("x=0, type 1, length 4", [np.zeros(4)], [_dct1_sum_grad(4)],
          "DCT-I y_k = x_0 + (−1)^k x_{n−1} + 2 Σ x_j cos(πjk/(n−1)) (documented): summed over k", type=1),
    lpoint("x=0, type 2, n=2 (truncated)", [np.zeros(4)], [np.concatenate([_dct2_sum_grad(2), [0.0, 0.0]])],
          "n = 2 keeps the first two samples: the closed form for length 2, then 0", n=2),
    lpoint("length 1, type 2", [np.array([2.0])], [[2.0]], "DCT-II of one sample is y_0 = 2·x_0: gradient 2"),
], gates=(XLA_FLOAT64_RFFT,))

N = "tf.signal.idct"
IDCT_OP = op(N, tf.signal.idct, [
    Sample(_x(N, (5,), salt="a"), {}, "type=2 (inverse: a scaled DCT-III), length 5"),
    Sample(_x(N, (2, 4), salt="b"), dict(type=3, norm="ortho"), "type=3, norm='ortho', batch 2x4"),
], domain="all reals", points=[
    lpoint("x=0, type 2, norm='ortho', length 4", [np.zeros(4)], [[2.0, 0.0, 0.0, 0.0]],
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
    lpoint("length 7, frame_length=3, frame_step=2", [np.zeros(7), 3, 2], [_frame_counts(7, 3, 2)],
          "each sample appears in as many frames as cover it: frames start at 0, 2, 4"),
    lpoint("length 7, frame 3, step 2, pad_end=True", [np.zeros(7), 3, 2], [_frame_counts(7, 3, 2, pad_end=True)],
          "pad_end adds a frame at 6 ([x6, pad, pad]): x6 is covered twice; the pad value is a constant", pad_end=True),
])

N = "tf.signal.overlap_and_add"
OVERLAP_AND_ADD_OP = op(N, tf.signal.overlap_and_add, [
    Sample(_x(N, (3, 4), salt="a") + (2,), {}, "3 frames x 4, frame_step=2"),
    Sample(_x(N, (2, 3, 2), salt="b") + (1,), {}, "batch 2x3x2, frame_step=1"),
    Sample(_x(N, (2, 3), salt="c") + (3,), {}, "2 frames x 3, frame_step=3 (no overlap)"),
], domain="all reals", points=[
    lpoint("3 frames x 4, frame_step=2", [np.zeros((3, 4)), 2], [np.ones((3, 4))],
          "every frame sample is added exactly once into the output: gradient 1"),
])

N = "tf.signal.stft"
STFT_OP = op(N, stft, [
    Sample(_x(N, (12,), salt="a") + (4, 2), {}, "length 12, frame_length=4, frame_step=2 (periodic Hann)"),
    Sample(_x(N, (2, 8), salt="b") + (4, 2), dict(fft_length=8), "batch 2x8, fft_length=8 (zero-padded frames)"),
    Sample(_x(N, (10,), salt="c") + (4, 3), dict(pad_end=True, window_fn=None), "pad_end=True, window_fn=None (rectangular)"),
], domain="all reals (outputs: real and imaginary parts)", points=[
    lpoint("x=0, length 8, frame_length=4, frame_step=2", [np.zeros(8), 4, 2], [_stft_sum_grad(8, 4, 2)],
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
    lpoint("x=0, 4 mel bins", [np.zeros(4)], [_dct2_sum_grad(4) / np.sqrt(8.0)],
          "documented as the DCT-II scaled by 1/√(2N) (HTK's √(2/N) Σ x_j cos(πk(j+½)/N)): the DCT-II closed form / √8"),
], gates=(XLA_FLOAT64_RFFT,))

N = "tf.signal.fftshift"
FFTSHIFT_OP = op(N, tf.signal.fftshift, [
    Sample(_x(N, (5,), salt="a"), {}, "length 5"),
    Sample(_x(N, (2, 3), salt="b"), dict(axes=1), "2x3, axes=1"),
    Sample(_x(N, (2, 4), salt="c"), dict(axes=None), "2x4, axes=None (all axes)"),
], domain="all reals", points=[
    lpoint("x=0, 2x3", [np.zeros((2, 3))], [np.ones((2, 3))], "a permutation: every entry appears once, gradient 1"),
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
          "w_n(β) = I0(β·r_n)/I0(β) is even in β and smooth, so ∂Σw/∂β = 0 at β = 0", bug=KAISER_BETA_ZERO,
          second=hvp([float(np.sum(R5 ** 2 - 1) / 2)],
                     "I0(x) = 1 + x²/4 + O(x⁴), so w_n(β) = 1 + β²(r_n² − 1)/4 + O(β⁴) and d²Σw/dβ² = Σ(r_n² − 1)/2 = "
                     "−1.25 at β = 0 (r = [0, √.75, 1, √.75, 0])")),
])

N = "tf.signal.kaiser_bessel_derived_window"


def _kbd_second(window_length: int) -> float:
    """d²/dβ² Σ KBD at β = 0: with the half-length M, kaiser_j = 1 + β²a_j + O(β⁴), a_j = (r_j² − 1)/4 (length M + 1),
    c_n/S = ((n + 1)/(M + 1))·(1 + β²(A_n/(n + 1) − A_M/(M + 1))) with A = cumsum(a), so each half entry √(c_n/S) has
    second derivative √((n + 1)/(M + 1))·(A_n/(n + 1) − A_M/(M + 1)); the window is the half and its mirror."""
    m = window_length // 2
    half = m / 2.0
    r = np.sqrt(np.maximum(0.0, 1.0 - ((np.arange(m + 1) - half) / half) ** 2))
    big_a = np.cumsum((r ** 2 - 1) / 4)
    idx = np.arange(m)
    return float(2 * np.sum(np.sqrt((idx + 1) / (m + 1)) * (big_a[:m] / (idx + 1) - big_a[m] / (m + 1))))


KBD_OP = op(N, kaiser_bessel_derived_window, [
    Sample((np.float64(2.5), 6), {}, "beta=2.5, window_length=6"),
    Sample((np.float64(6.0), 8), {}, "beta=6, window_length=8"),
], domain="beta > 0; the integer length is not differentiable", points=[
    point("beta=0, window_length=6", [0.0, 6], [0.0],
          "the KBD window √(cumsum(kaiser)/Σ kaiser) inherits the evenness in β of the Kaiser window: derivative 0 "
          "at β = 0", bug=KBD_BETA_ZERO,
          second=hvp([_kbd_second(6)], "the β² terms of the even window: with the half-length M, kaiser_j = 1 + β²a_j, "
                     "a_j = (r_j² − 1)/4, and A = cumsum(a), each half entry √(c_n/S) has second derivative "
                     "√((n + 1)/(M + 1))·(A_n/(n + 1) − A_M/(M + 1)); mirrored and summed: −0.04696 for length 6")),
])

# the special points of one op share a kernel, so a point where the forward op raises would fail every other point of
# its record: the zero-size batches that need padding are records of their own
N = "tf.signal.rfft(zero-size batch, fft_length > length)"
RFFT_EMPTY_OP = op(N, _real_in_complex_out(tf.signal.rfft), [
    Sample(_x(N, (2, 4), salt="a"), dict(fft_length=[8]), "batch 2x4, fft_length=8 (zero-padded)"),
], domain="all reals; a zero-size batch with fft_length above the signal length is the point",
    gates=(XLA_FLOAT64_RFFT,), points=[
    lpoint("zero-size batch 0x4, fft_length=8", [np.zeros((0, 4))], [np.zeros((0, 4))], EMPTY, fft_length=[8],
           bug=_empty_pad_bug("tf.signal.rfft", "tf.math.real(tf.signal.rfft(x, fft_length=[8]))", "RFFT", "8",
                              RFFT_EMPTY_WORKAROUND)),
])

N = "tf.signal.dct(zero-size batch)"
DCT_EMPTY_OP = op(N, tf.signal.dct, [
    Sample(_x(N, (2, 4), salt="a"), {}, "type=2, batch 2x4"),
], domain="all reals; a zero-size batch is the point (DCT-II pads the signal to 2N for its RFFT)",
    gates=(XLA_FLOAT64_RFFT,), points=[
    lpoint("zero-size batch 0x4, type 2", [np.zeros((0, 4))], [np.zeros((0, 4))], EMPTY,
           bug=_empty_pad_bug("tf.signal.dct (and idct, types 2-4)", "tf.signal.dct(x)", "RFFT", "8", DCT_EMPTY_WORKAROUND)),
])

OPS = [
    FFT_OP, IFFT_OP, FFT2D_OP, IFFT2D_OP, FFT3D_OP, IFFT3D_OP, RFFT_OP, RFFT_CROP_OP, IRFFT_OP, IRFFT_CROP_OP, RFFT2D_OP,
    RFFT2D_CROP_OP, IRFFT2D_OP, RFFT3D_OP,
    IRFFT3D_OP, DCT_OP, IDCT_OP, FRAME_OP, OVERLAP_AND_ADD_OP, STFT_OP, INVERSE_STFT_OP, MDCT_OP, INVERSE_MDCT_OP,
    MFCC_OP, FFTSHIFT_OP, IFFTSHIFT_OP, KAISER_OP, KBD_OP, RFFT_EMPTY_OP, DCT_EMPTY_OP,
]
