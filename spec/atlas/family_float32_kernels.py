"""Ops whose kernels compute only in float32 (or return float32 whatever the input): image resizing and crops, 3-D
pooling, local response normalisation, fused batch norm, image metrics.

Every record here has `reference=`: the op's forward in float64 NumPy, written from the documented mathematics (and,
where the documentation stops, from the kernel's source, named in each reference's docstring). Every check then runs in
float32 against float64 differences of the reference, at the tolerances derived from float32 rounding
(`TOL.ATLAS_F32_KERNEL*`); the float32-vs-float64 check does not apply.

Resizing (tf.image.resize with every method but 'nearest', which keeps float64 and is in family_image) is linear in
the pixels: output = M_y · image · M_xᵀ per channel, one interpolation matrix per axis, so H = 0 and the reference is
that separable product. The matrices follow tensorflow/core/kernels/image: half-pixel centres (TF2), an output pixel o
samples the input at c = (o + ½)·in/out − ½ (in pixel-centre units), weights k(i − c) over the input pixels i in the
kernel's support, pixels outside the image dropped and the rest renormalised to sum 1 (the documented "only input pixels
inside the image will be included in the filter sum, and the output value will be appropriately normalized"); with
antialias=True and downsampling the kernel is stretched by in/out (k((i − c)·out/in)). Kernels (sampling_kernels.h):
triangle (bilinear), Keys cubic a = −½ (bicubic), Lanczos radius 3 and 5, Gaussian σ = ½ truncated at radius 1.5 (the
docstring says "radius 3, sigma = 1.5 / 3.0"; the kernel's code has radius 1.5, σ = 0.5, and that is what runs),
Mitchell–Netravali B = C = ⅓. 'area' averages the input over each output pixel's footprint [o·in/out, (o+1)·in/out).
ResizeBicubic looks its Keys weights up in a 1024-entry table (offset lrintf(frac·1024)): the samples use sizes whose
sampling offsets are multiples of 1/1024, where the table is exact.

Not covered here: tf.raw_ops.BatchNormWithGlobalNormalization (raises UnimplementedError "not available in GraphDef
version" in TF2; tf.nn.batch_norm_with_global_normalization is a float64-capable composition, recorded below as an
ordinary record); ScaleAndTranslate's scale and translation arguments (its gradient returns None for them; only the
image is checked); tf.image.extract_glimpse, whose op is registered NotDifferentiable and whose default noise is random.
"""
from __future__ import annotations

import dataclasses
import inspect
import math

import numpy as np
import tensorflow as tf

from spec.atlas.records import (FIRST_ORDER, POINT_CHECKS, POINT_SECOND, POINT_THIRD, SECOND_ORDER, Domain, KnownBug,
                                Sample, Workaround, as_f32_exact, between, distinct, draw, hvp, op, point)

FAMILY = "float32-only kernels: image resizing and crops, 3-D pooling, LRN, fused batch norm, image metrics"

FORWARD_ONLY = ("forward", "special_forward")
FORWARD_AND_SECOND = FORWARD_ONLY + SECOND_ORDER + POINT_SECOND
EVERY_CHECK = FIRST_ORDER + SECOND_ORDER + POINT_CHECKS + POINT_SECOND
PIXELS = "all reals (linear in the pixels)"
XLA_SKIP = {"ScaleAndTranslate": {"xla": "XLA cannot compile ScaleAndTranslate (no XLA_CPU_JIT kernel)"},
            "ResizeBicubic": {"xla": "XLA cannot compile ResizeBicubic (no XLA_CPU_JIT kernel)"},
            "CropAndResize": {"xla": "XLA cannot compile CropAndResize (no XLA_CPU_JIT kernel)"}}


def _d(name, *shapes, lo=-2.0, hi=2.0, salt=""):
    out = draw(name, *shapes, domain=Domain(lo, hi, ""), salt=salt)
    return out[0] if len(out) == 1 else out


def _code(*parts) -> str:
    return "\n".join(("import tensorflow as tf",) + parts)


# =============================================================================== resampling matrices (NumPy)
# These functions are the references' core and are pasted verbatim (inspect.getsource) into the workarounds, so the
# workaround a user copies builds exactly the matrices the oracle uses.


def sampling_kernel(name):
    """The kernel k(x) and its radius, as tensorflow/core/kernels/image/sampling_kernels.h defines them."""
    if name == "triangle":
        return (lambda x: np.maximum(1.0 - np.abs(x), 0.0)), 1.0
    if name == "keyscubic":  # Keys (1981) with a = -1/2, Catmull-Rom
        def keys(x):
            x = np.abs(x)
            return np.where(x >= 2.0, 0.0, np.where(x >= 1.0, ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0,
                                                     (1.5 * x - 2.5) * x * x + 1.0))
        return keys, 2.0
    if name == "mitchellcubic":  # Mitchell and Netravali (1988), B = C = 1/3
        def mitchell(x):
            x = np.abs(x)
            return np.where(x >= 2.0, 0.0, np.where(
                x >= 1.0, (((-7.0 / 18.0) * x + 2.0) * x - 10.0 / 3.0) * x + 16.0 / 9.0,
                ((7.0 / 6.0) * x - 2.0) * x * x + 8.0 / 9.0))
        return mitchell, 2.0
    if name in ("lanczos1", "lanczos3", "lanczos5"):
        radius = float(name[-1])
        return (lambda x: np.where(np.abs(x) > radius, 0.0, np.sinc(x) * np.sinc(x / radius))), radius
    if name == "gaussian":  # radius 1.5, sigma = radius / 3, cut off at the radius
        return (lambda x: np.where(np.abs(x) >= 1.5, 0.0, np.exp(-np.square(x) / (2 * 0.5 ** 2)))), 1.5
    if name == "box":
        return (lambda x: np.where(np.abs(x) < 0.5, 1.0, np.where(np.abs(x) == 0.5, 0.5, 0.0))), 1.0
    raise ValueError(name)


def resampling_matrix(in_size, out_size, kernel, scale=None, translation=0.0, antialias=False):
    """(out_size, in_size) weights of ScaleAndTranslate along one axis: output pixel o samples the input at
    s = (o + 1/2 - translation) / scale (pixel-edge units; scale = out/in for resizing), with weights
    k((i + 1/2 - s) / ks) over the input pixels i within the kernel's radius, ks = max(1/scale, 1) with antialias
    (the kernel stretched when downsampling), else 1; weights renormalised to sum 1; a zero row where s lies outside
    [0, in_size] (scale_and_translate_op.cc, ComputeSpansCore)."""
    k, radius = sampling_kernel(kernel)
    scale = out_size / in_size if scale is None else scale
    stretch = max(1.0 / scale, 1.0) if antialias else 1.0
    matrix = np.zeros((out_size, in_size))
    for o in range(out_size):
        s = (o + 0.5 - translation) / scale
        if s < 0 or s > in_size:
            continue
        position = (np.arange(in_size) + 0.5 - s) / stretch
        weights = np.where(np.abs(position) <= radius, k(position), 0.0)
        if abs(weights.sum()) >= 1000 * np.finfo(np.float32).tiny:
            matrix[o] = weights / weights.sum()
    return matrix


def area_matrix(in_size, out_size):
    """(out_size, in_size) weights of ResizeArea: output pixel o averages the input over [o·r, (o+1)·r), r = in/out,
    each input pixel [i, i+1) weighted by its overlap with that interval (resize_area_op.cc)."""
    r = in_size / out_size
    i = np.arange(in_size)
    lo, hi = np.arange(out_size)[:, None] * r, (np.arange(out_size)[:, None] + 1) * r
    return np.clip(np.minimum(hi, i + 1) - np.maximum(lo, i), 0.0, None) / r


def resize_matrices(height, width, size, method, antialias):
    """The two per-axis matrices of tf.image.resize(method, antialias) from height x width to size."""
    if method == "area":
        return area_matrix(height, size[0]), area_matrix(width, size[1])
    kernel = {"bilinear": "triangle", "bicubic": "keyscubic"}.get(method, method)
    return (resampling_matrix(height, size[0], kernel, antialias=antialias),
            resampling_matrix(width, size[1], kernel, antialias=antialias))


def _resize_np(x, size, method, antialias=False):
    my, mx = resize_matrices(x.shape[-3], x.shape[-2], [int(s) for s in size], method, antialias)
    return np.einsum("...hwc,oh,pw->...opc", x, my, mx)


def _resize_workaround(method: str) -> Workaround:
    code = "\n".join([
        "import tensorflow as tf",
        "import numpy as np",
        "", "",
        inspect.getsource(sampling_kernel), "",
        inspect.getsource(resampling_matrix), "",
        inspect.getsource(area_matrix), "",
        inspect.getsource(resize_matrices), "",
        "def resize(x, size, antialias=False):",
        f'    """tf.image.resize(x, size, method={method!r}, antialias=antialias) as two matrix products with the',
        '    interpolation matrices of TensorFlow\'s kernel: linear, so every mode and order of differentiation works."""',
        "    my, mx = resize_matrices(x.shape[-3], x.shape[-2], [int(s) for s in size], "
        f"{method!r}, antialias)",
        "    return tf.einsum('...hwc,oh,pw->...opc', x, tf.constant(my, x.dtype), tf.constant(mx, x.dtype))",
        ""])
    return Workaround(code, "resize")


# ===================================================================================================== resizing

RESIZE_ISSUE = "https://github.com/tensorflow/tensorflow/issues/38643"
RESIZE_RELATED = ("https://github.com/tensorflow/tensorflow/issues/22208",)
RESIZE_SEARCHED = ("ResizeBilinearGrad no gradient forward mode ForwardAccumulator resize bilinear jvp None",
                   "gradient registry has no entry for: ScaleAndTranslateGrad",
                   "ResizeBicubicGrad second derivative LookupError no gradient defined",
                   "tf.image.resize antialias=True second order gradient penalty LookupError ScaleAndTranslate",
                   "Resize layers LookupError gradient penalty WGAN-GP ResizeBicubicGrad no gradient defined")


def _resize_repro(method, antialias, raised):
    aa = ", antialias=True" if antialias else ""
    return _code("x = tf.ones([1, 2, 2, 1])",
                 "with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as acc:",
                 f"    y = tf.image.resize(x, [3, 3], method={method!r}{aa})",
                 "print(acc.jvp(y))  # expected ones of shape (1, 3, 3, 1) (resizing is linear and its weights sum to 1), "
                 f"got LookupError: gradient registry has no entry for: {raised}")


def _grad_of_grad_bug(method, antialias, raised, workaround):
    return KnownBug(
        f"{raised} (the backward op of tf.image.resize(method={method!r}{', antialias=True' if antialias else ''})) has no "
        "registered gradient, so forward mode (which transposes the backward function) and every second derivative "
        "raise LookupError, although resizing is linear in the pixels (the second derivative is 0)",
        RESIZE_ISSUE, _resize_repro(method, antialias, raised), checks=FORWARD_AND_SECOND,
        kind="missing gradient", kind_why="resizing is linear, so J·v and H = 0 exist everywhere; the tape raises LookupError",
        related=RESIZE_RELATED, searched=RESIZE_SEARCHED, workaround=workaround)


BILINEAR_FORWARD = KnownBug(
    "ResizeBilinearGrad is registered NotDifferentiable (image_grad.py), so ForwardAccumulator, which transposes the "
    "backward function, returns None (0 with unconnected_gradients=ZERO) for the JVP of a bilinear resize: a silent zero "
    "forward-mode derivative of a linear op (its second derivatives are 0 and happen to come out right)",
    "https://github.com/tensorflow/tensorflow/issues/22208",
    _code("x = tf.ones([1, 2, 2, 1])",
          "with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as acc:",
          "    y = tf.image.resize(x, [3, 3], method='bilinear')",
          "print(acc.jvp(y))  # expected ones of shape (1, 3, 3, 1), got None"),
    checks=FORWARD_ONLY, kind="missing gradient",
    kind_why="bilinear resizing is linear, so J·v exists everywhere; ForwardAccumulator returns None",
    related=(RESIZE_ISSUE,), searched=RESIZE_SEARCHED, workaround=_resize_workaround("bilinear"))

AREA_SEARCHED = ("gradient registry has no entry for: ResizeArea tf.image.resize area gradient",)
AREA_BUG = KnownBug(
    "ResizeArea (tf.image.resize(method='area')) has no registered gradient: every derivative raises LookupError "
    "although area resizing is a fixed weighted average of the pixels (linear)",
    "https://github.com/tensorflow/tensorflow/issues/22208",
    _code("x = tf.ones([1, 4, 4, 1])",
          "with tf.GradientTape() as t:",
          "    t.watch(x)",
          "    y = tf.image.resize(x, [2, 2], method='area')",
          "print(t.gradient(y, x))  # expected 0.25 everywhere (each output averages a 2x2 block), "
          "got LookupError: gradient registry has no entry for: ResizeArea"),
    checks=EVERY_CHECK, kind="missing gradient", symptom="ResizeArea",
    kind_why="area resizing is linear in the pixels, so every derivative exists; the tape raises LookupError",
    related=(RESIZE_ISSUE,), searched=AREA_SEARCHED, workaround=_resize_workaround("area"))


def _resize_fn(method):
    def fn(x, size, antialias=False):
        return tf.image.resize(x, size, method=method, antialias=antialias)
    return fn


def _resize_reference(method):
    def reference(x, size, antialias=False):
        return _resize_np(x, size, method, antialias)
    return reference


def _column_sums(method, h, w, size, antialias=False):
    """∂Σout/∂x = (1ᵀM_y)ᵀ(1ᵀM_x): the column sums of the two interpolation matrices, as an (h, w) array."""
    my, mx = resize_matrices(h, w, size, method, antialias)
    return np.outer(my.sum(axis=0), mx.sum(axis=0))


ZERO_HESSIAN = "resizing is linear in the pixels: H = 0"


def _resize_points(method, antialias_too=False, interpolating=True):
    """1x1 upsampled (every weight row renormalises onto the one pixel) and same size (identity for an interpolating
    kernel, the kernel's column sums otherwise). No zero-size batch: its derivatives have no entries, so it cannot
    show the forward-mode and second-order bugs these records carry (it would XPASS)."""
    same = np.ones((1, 3, 3, 1)) if interpolating else _column_sums(method, 3, 3, [3, 3]).reshape(1, 3, 3, 1)
    same_why = ("same size: output pixel o samples exactly input pixel o, where the kernel is 1 and 0 at every other "
                "integer offset, so resizing is the identity" if interpolating else
                "same size: the kernel is not interpolating (k(0) < 1), so the gradient of Σout is the column sums of the "
                "renormalised matrix built from the documented kernel (edge pixels lose the weight of the taps outside)")
    points = [
        point("1x1 -> 2x3", [np.full((1, 1, 1, 1), 0.5), [2, 3]], [np.full((1, 1, 1, 1), 6.0)],
              "a 1x1 image: every output's weights are renormalised onto its only pixel, so each of the 6 outputs copies it",
              second=hvp([np.zeros((1, 1, 1, 1))], ZERO_HESSIAN)),
        point("3x3 same size", [np.full((1, 3, 3, 1), 0.5), [3, 3]], [same], same_why,
              second=hvp([np.zeros((1, 3, 3, 1))], ZERO_HESSIAN)),
    ]
    if antialias_too:
        points.append(point("4x4 -> 2x2 antialias", [np.full((1, 4, 4, 1), 0.5), [2, 2]],
                            [_column_sums(method, 4, 4, [2, 2], True).reshape(1, 4, 4, 1)],
                            "halving with antialias=True stretches the kernel by 2: the gradient of Σout is the column sums "
                            "of the stretched, renormalised matrices", second=hvp([np.zeros((1, 4, 4, 1))], ZERO_HESSIAN),
                            antialias=True))
    return points


def _resize_samples(name, antialias_too):
    samples = [
        Sample((_d(name, (1, 3, 2, 2)), [4, 4]), label="1x3x2x2 -> 4x4 up"),
        Sample((_d(name, (1, 6, 5, 1), salt="down"), [4, 2]), label="1x6x5x1 -> 4x2 down"),
        Sample((_d(name, (5, 3, 2), salt="3d"), [2, 4]), label="5x3x2 -> 2x4 (no batch) down rows, up columns"),
        Sample((_d(name, (2, 3, 3, 1), salt="same"), [3, 3]), label="2x3x3x1 -> 3x3 same size"),
    ]
    if antialias_too:
        samples += [
            Sample((_d(name, (1, 6, 5, 1), salt="aa"), [4, 2]), {"antialias": True}, label="1x6x5x1 -> 4x2 down antialias"),
            Sample((_d(name, (1, 3, 2, 2), salt="aaup"), [4, 4]), {"antialias": True},
                   label="1x3x2x2 -> 4x4 up antialias (no effect upsampling)"),
        ]
    return samples


def _resize_record(method, bugs, antialias_too, interpolating=True, label=None, domain=PIXELS):
    name = f"tf.image.resize({label or method})"
    raw = {"bilinear": None, "area": None, "bicubic": "ResizeBicubic"}.get(method, "ScaleAndTranslate")
    return op(name, _resize_fn(method), _resize_samples(name, antialias_too), domain=domain,
              points=_resize_points(method, antialias_too, interpolating), bugs=bugs,
              reference=_resize_reference(method), skips=XLA_SKIP.get(raw, {}))


def _aa_fn(method):
    def fn(x, size):
        return tf.image.resize(x, size, method=method, antialias=True)
    return fn


def _aa_record(method, kernel, raised):
    """bilinear and bicubic with antialias=True: ScaleAndTranslate with the triangle / Keys kernel, not ResizeBilinear /
    ResizeBicubic."""
    name = f"tf.image.resize({method}, antialias=True)"
    workaround = _resize_workaround(method)
    code = workaround.code.replace("def resize(x, size, antialias=False):", "def resize(x, size, antialias=True):")
    return op(name, _aa_fn(method), [
        Sample((_d(name, (1, 6, 5, 1)), [4, 2]), label="1x6x5x1 -> 4x2 down"),
        Sample((_d(name, (1, 8, 3, 2), salt="b"), [2, 2]), label="1x8x3x2 -> 2x2 down by 4 rows, 1.5 columns"),
        Sample((_d(name, (4, 2, 1), salt="up"), [4, 4]), label="4x2x1 -> 4x4 (no batch) same rows, up columns"),
    ], domain=PIXELS + f" (ScaleAndTranslate with the {kernel} kernel, stretched by in/out when downsampling)",
        points=[
        point("4x4 -> 2x2", [np.full((1, 4, 4, 1), 0.5), [2, 2]],
              [_column_sums(method, 4, 4, [2, 2], True).reshape(1, 4, 4, 1)],
              f"halving stretches the {kernel} kernel by 2: the gradient of Σout is the column sums of the stretched, "
              "renormalised matrices", second=hvp([np.zeros((1, 4, 4, 1))], ZERO_HESSIAN)),
        point("1x1 -> 2x3", [np.full((1, 1, 1, 1), 0.5), [2, 3]], [np.full((1, 1, 1, 1), 6.0)],
              "a 1x1 image: every output's weights are renormalised onto its only pixel", second=hvp([np.zeros((1, 1, 1, 1))], ZERO_HESSIAN)),
    ], bugs=(_grad_of_grad_bug(method, True, raised, Workaround(code, "resize")),),
        reference=lambda x, size: _resize_np(x, size, method, True), skips=XLA_SKIP["ScaleAndTranslate"])


def pad_geometry(height, width, target_height, target_width):
    """resize_with_pad's geometry, in float32 as _resize_image_with_pad_common computes it: ratio = max(w/tw, h/th),
    the image resized to ⌊h/ratio⌋ x ⌊w/ratio⌋ and placed at (⌊(th − h/ratio)/2⌋, ⌊(tw − w/ratio)/2⌋)."""
    f = np.float32
    ratio = max(f(width) / f(target_width), f(height) / f(target_height))
    rh, rw = f(height) / ratio, f(width) / ratio
    return (int(np.floor(rh)), int(np.floor(rw)), max(0, int(np.floor((f(target_height) - rh) / f(2)))),
            max(0, int(np.floor((f(target_width) - rw) / f(2)))))


def _resize_with_pad_np(x, target_height, target_width):
    rh, rw, ph, pw = pad_geometry(x.shape[-3], x.shape[-2], target_height, target_width)
    resized = _resize_np(x, [rh, rw], "bilinear")
    pads = [(0, 0)] * (x.ndim - 3) + [(ph, target_height - rh - ph), (pw, target_width - rw - pw), (0, 0)]
    return np.pad(resized, pads)


RESIZE_WITH_PAD_WORKAROUND = Workaround("\n".join([
    "import tensorflow as tf", "import numpy as np", "", "",
    inspect.getsource(sampling_kernel), "", inspect.getsource(resampling_matrix), "", inspect.getsource(area_matrix), "",
    inspect.getsource(resize_matrices), "", inspect.getsource(pad_geometry), "",
    "def resize_with_pad(x, target_height, target_width):",
    '    """tf.image.resize_with_pad(x, target_height, target_width) (bilinear) as two matrix products and a pad."""',
    "    rh, rw, ph, pw = pad_geometry(x.shape[-3], x.shape[-2], target_height, target_width)",
    "    my, mx = resize_matrices(x.shape[-3], x.shape[-2], [rh, rw], 'bilinear', False)",
    "    resized = tf.einsum('...hwc,oh,pw->...opc', x, tf.constant(my, x.dtype), tf.constant(mx, x.dtype))",
    "    pads = [[0, 0]] * (len(x.shape) - 3) + [[ph, target_height - rh - ph], [pw, target_width - rw - pw], [0, 0]]",
    "    return tf.pad(resized, pads)", ""]), "resize_with_pad")


def _scale_and_translate_np(images, size, scale, translation, kernel_type="lanczos3", antialias=False):
    my = resampling_matrix(images.shape[1], int(size[0]), kernel_type, float(scale[0]), float(translation[0]), antialias)
    mx = resampling_matrix(images.shape[2], int(size[1]), kernel_type, float(scale[1]), float(translation[1]), antialias)
    return np.einsum("bhwc,oh,pw->bopc", images, my, mx)


SCALE_AND_TRANSLATE_WORKAROUND = Workaround("\n".join([
    "import tensorflow as tf", "import numpy as np", "", "",
    inspect.getsource(sampling_kernel), "", inspect.getsource(resampling_matrix), "",
    "def scale_and_translate(images, size, scale, translation, kernel_type='lanczos3', antialias=False):",
    '    """tf.raw_ops.ScaleAndTranslate as two matrix products (scale and translation are Python numbers here)."""',
    "    scale, translation = [float(a) for a in tf.nest.flatten(list(scale))], [float(a) for a in tf.nest.flatten(list(translation))]",
    "    my = resampling_matrix(images.shape[1], int(size[0]), kernel_type, scale[0], translation[0], antialias)",
    "    mx = resampling_matrix(images.shape[2], int(size[1]), kernel_type, scale[1], translation[1], antialias)",
    "    return tf.einsum('bhwc,oh,pw->bopc', images, tf.constant(my, images.dtype), tf.constant(mx, images.dtype))", ""]),
    "scale_and_translate")

SAT_NAME = "tf.raw_ops.ScaleAndTranslate"


RESIZING = [
    _resize_record("bilinear", (BILINEAR_FORWARD,), False),
    _aa_record("bilinear", "triangle", "ScaleAndTranslateGrad"),
    _resize_record("bicubic", (_grad_of_grad_bug("bicubic", False, "ResizeBicubicGrad", _resize_workaround("bicubic")),), False,
                   domain=PIXELS + " (Keys weights from a 1024-entry table: sampling offsets are multiples of 1/1024 here)"),
    _aa_record("bicubic", "Keys cubic", "ScaleAndTranslateGrad"),
    _resize_record("area", (AREA_BUG,), False),
    _resize_record("lanczos3", (_grad_of_grad_bug("lanczos3", False, "ScaleAndTranslateGrad", _resize_workaround("lanczos3")),), True),
    _resize_record("lanczos5", (_grad_of_grad_bug("lanczos5", False, "ScaleAndTranslateGrad", _resize_workaround("lanczos5")),), True),
    _resize_record("gaussian", (_grad_of_grad_bug("gaussian", False, "ScaleAndTranslateGrad", _resize_workaround("gaussian")),), True,
                   interpolating=False),
    _resize_record("mitchellcubic", (_grad_of_grad_bug("mitchellcubic", False, "ScaleAndTranslateGrad",
                                                       _resize_workaround("mitchellcubic")),), True, interpolating=False),
    op("tf.image.resize_with_pad(bilinear)", lambda x, h, w: tf.image.resize_with_pad(x, h, w), [
        Sample((_d("tf.image.resize_with_pad(bilinear)", (1, 3, 2, 2)), 6, 8), label="1x3x2x2 -> 6x8 (up 2x to 6x4, pads columns)"),
        Sample((_d("tf.image.resize_with_pad(bilinear)", (1, 8, 4, 1), salt="d"), 4, 4), label="1x8x4x1 -> 4x4 (down 2x to 4x2, pads columns)"),
        Sample((_d("tf.image.resize_with_pad(bilinear)", (2, 4, 1), salt="r"), 4, 2), label="2x4x1 -> 4x2 (no batch: down 2x to 1x2, pads rows)"),
    ], domain=PIXELS, points=[
        point("1x2 -> 2x6", [np.ones((1, 1, 2, 1)), 2, 6], [np.full((1, 1, 2, 1), 4.0)],
              "ratio ½: bilinear 1x2 -> 2x4 (each output row copies the input row; columns sample at −¼, ¼, ¾, 5/4, "
              "weights (1), (¾, ¼), (¼, ¾), (1): column sums 2 and 2), then a zero column each side: 2·2 = 4",
              second=hvp([np.zeros((1, 1, 2, 1))], ZERO_HESSIAN)),
    ], bugs=(dataclasses.replace(BILINEAR_FORWARD, workaround=RESIZE_WITH_PAD_WORKAROUND),), reference=_resize_with_pad_np),
    op(SAT_NAME, lambda images, size, scale, translation, kernel_type="lanczos3", antialias=False: tf.raw_ops.ScaleAndTranslate(
        images=images, size=size, scale=scale, translation=translation, kernel_type=kernel_type, antialias=antialias), [
        Sample((_d(SAT_NAME, (1, 4, 5, 1)), [3, 6], [0.8, 1.25], [0.3, -0.45]), {"kernel_type": "lanczos1"},
               label="1x4x5x1 -> 3x6 lanczos1 scale (0.8, 1.25) translation (0.3, -0.45)"),
        Sample((_d(SAT_NAME, (2, 5, 3, 2), salt="k"), [4, 4], [0.6, 1.5], [0.2, 0.1]), {"kernel_type": "keyscubic", "antialias": True},
               label="2x5x3x2 -> 4x4 keyscubic antialias scale (0.6, 1.5) translation (0.2, 0.1)"),
        Sample((_d(SAT_NAME, (1, 3, 4, 1), salt="o"), [4, 3], [1.5, 0.5], [-1.3, 0.2]), {"kernel_type": "triangle"},
               label="1x3x4x1 -> 4x3 triangle, translation pushes rows outside (zero output rows)"),
    ], domain=PIXELS + " (scale and translation are not differentiated: the gradient returns None for them)", points=[
        point("1x1 -> 2x2 box", [np.full((1, 1, 1, 1), 0.5), [2, 2], [2.0, 2.0], [0.0, 0.0]], [np.full((1, 1, 1, 1), 4.0)],
              "scale 2: both outputs per axis sample inside the single pixel and renormalise onto it: 4 copies",
              second=hvp([np.zeros((1, 1, 1, 1))], ZERO_HESSIAN), kernel_type="box"),
    ], bugs=(dataclasses.replace(_grad_of_grad_bug("lanczos3", False, "ScaleAndTranslateGrad", SCALE_AND_TRANSLATE_WORKAROUND),
                                 summary="ScaleAndTranslateGrad (the backward op of tf.raw_ops.ScaleAndTranslate, which "
                                         "tf.image.resize uses for lanczos3/5, gaussian, mitchellcubic and antialias=True) has "
                                         "no registered gradient, so forward mode and every second derivative raise LookupError, "
                                         "although the op is linear in the image"),),
        reference=_scale_and_translate_np, skips=XLA_SKIP["ScaleAndTranslate"]),
]


# ============================================================================================== crop_and_resize


def _crop_axis(a1, a2, size, crop):
    """Sampling coordinates of one axis (crop_and_resize_op.cc): a1·(size−1) + k·(a2−a1)·(size−1)/(crop−1) for
    k = 0..crop−1, or the box centre ½(a1 + a2)·(size−1) when crop = 1."""
    if crop > 1:
        return a1 * (size - 1) + np.arange(crop) * (a2 - a1) * (size - 1) / (crop - 1)
    return np.array([0.5 * (a1 + a2) * (size - 1)])


def _crop_reference(image, boxes, box_indices, crop_size, method="bilinear", extrapolation_value=0.0):
    """tf.image.crop_and_resize: per box, sample the image at the coordinates of _crop_axis; a sample whose row or
    column coordinate lies outside [0, size−1] is extrapolation_value; inside, bilinear interpolation between the
    pixels floor(c) and ceil(c) (nearest: the pixel round-half-away-from-zero(c))."""
    _, h, w, depth = image.shape
    out = np.empty((len(boxes), crop_size[0], crop_size[1], depth))
    for n, (box, b) in enumerate(zip(boxes, box_indices)):
        ys, xs = _crop_axis(box[0], box[2], h, crop_size[0]), _crop_axis(box[1], box[3], w, crop_size[1])
        for i, y in enumerate(ys):
            for j, x in enumerate(xs):
                if not (0 <= y <= h - 1 and 0 <= x <= w - 1):
                    out[n, i, j] = extrapolation_value
                elif method == "nearest":
                    out[n, i, j] = image[b, int(np.floor(y + 0.5)), int(np.floor(x + 0.5))]
                else:
                    y0, x0 = int(np.floor(y)), int(np.floor(x))
                    y1, x1 = int(np.ceil(y)), int(np.ceil(x))
                    fy, fx = y - y0, x - x0
                    top = image[b, y0, x0] + (image[b, y0, x1] - image[b, y0, x0]) * fx
                    bottom = image[b, y1, x0] + (image[b, y1, x1] - image[b, y1, x0]) * fx
                    out[n, i, j] = top + (bottom - top) * fy
    return out


def _crop_fn(method):
    def fn(image, boxes, box_indices, crop_size, extrapolation_value=0.0):
        return tf.image.crop_and_resize(image, boxes, box_indices, crop_size, method=method,
                                        extrapolation_value=extrapolation_value)
    return fn


def _crop_ref(method):
    def reference(image, boxes, box_indices, crop_size, extrapolation_value=0.0):
        return _crop_reference(image, boxes, box_indices, crop_size, method, extrapolation_value)
    return reference


CROP_WORKAROUND = Workaround('''import tensorflow as tf


def crop_and_resize(image, boxes, box_indices, crop_size, extrapolation_value=0.0):
    """tf.image.crop_and_resize(method='bilinear') as per-box interpolation matrices (einsum): differentiable in the
    image and the boxes by every mode and order (taps floor(c) and floor(c) + 1, so at an integer coordinate the box
    derivative is the one-sided one from above, which is the derivative wherever the image is linear across that
    pixel). Two TensorFlow pitfalls of nested forward mode are avoided on purpose: the tap indices and the inside test
    are computed from tf.stop_gradient(c), so no op without a gradient (Floor, Cast, comparisons) sees a watched
    tensor (inside tf.function two nested ForwardAccumulators raise IndexError at such an op); and the weights are
    built with einsum, not a broadcasting multiply (two nested ForwardAccumulators over (0, k, 1) * (0, k, m), i.e.
    no boxes, kill the process with SIGFPE)."""
    h, w = image.shape[1], image.shape[2]
    y1, x1, y2, x2 = tf.unstack(boxes, axis=1)

    def coords(a1, a2, size, n):
        if n > 1:
            steps = tf.range(n, dtype=boxes.dtype)[None, :]
            return a1[:, None] * (size - 1) + steps * ((a2 - a1) * (size - 1) / (n - 1))[:, None]
        return (0.5 * (a1 + a2) * (size - 1))[:, None]

    def weights(c, size):  # (boxes, crop, size) interpolation weights: 1 − f at floor(c), f at floor(c) + 1
        fixed = tf.stop_gradient(c)
        low = tf.floor(fixed)
        low_i = tf.clip_by_value(tf.cast(low, tf.int32), 0, size - 1)
        f = c - low
        m = (tf.einsum("ni,nip->nip", 1 - f, tf.one_hot(low_i, size, dtype=c.dtype))
             + tf.einsum("ni,nip->nip", f, tf.one_hot(tf.minimum(low_i + 1, size - 1), size, dtype=c.dtype)))
        return m, (fixed >= 0) & (fixed <= size - 1)

    wy, vy = weights(coords(y1, y2, h, crop_size[0]), h)
    wx, vx = weights(coords(x1, x2, w, crop_size[1]), w)
    out = tf.einsum("nih,njw,nhwc->nijc", wy, wx, tf.gather(image, box_indices))
    inside = vy[:, :, None, None] & vx[:, None, :, None]
    return tf.where(inside, out, tf.cast(extrapolation_value, out.dtype))
''', "crop_and_resize")

CROP_SEARCHED = ("crop_and_resize gradient CropAndResizeGradBoxes CropAndResizeGradImage no gradient second order",)
CROP_FORWARD = KnownBug(
    "CropAndResizeGradImage and CropAndResizeGradBoxes (the backward ops of crop_and_resize) have no registered gradient, "
    "so forward mode (which transposes the backward function) and every second derivative raise LookupError, although "
    "bilinear crop_and_resize is linear in the image and piecewise polynomial in the boxes",
    "https://github.com/tensorflow/tensorflow/issues/25050",
    _code("image = tf.reshape(tf.range(9.0), [1, 3, 3, 1])",
          "boxes = tf.constant([[0.1, 0.2, 0.6, 0.5]])",
          "with tf.autodiff.ForwardAccumulator(boxes, tf.ones_like(boxes)) as acc:",
          "    y = tf.image.crop_and_resize(image, boxes, [0], [1, 1])",
          "print(acc.jvp(y))  # expected [[[[8.0]]]] (d/dt of the sample at (0.7 + 2t, 0.7 + 2t) on the ramp 3·row + col), "
          "got LookupError: gradient registry has no entry for: CropAndResizeGradBoxes"),
    checks=FORWARD_AND_SECOND, kind="missing gradient", symptom="gradient registry has no entry for: CropAndResizeGrad",
    kind_why="away from integer sampling coordinates crop_and_resize is smooth in image and boxes; the tape raises LookupError",
    related=("https://github.com/tensorflow/tensorflow/pull/25467",), searched=CROP_SEARCHED, workaround=CROP_WORKAROUND)

CROP_INTEGER = KnownBug(
    "at a sampling coordinate that is an integer (a box edge on a pixel centre: in_y = floor = ceil), "
    "CropAndResizeGradBoxes uses the difference of the two taps, which coincide, and returns 0 for that sample's box "
    "derivative, even where the image is linear across the pixel and the crop is differentiable in the box",
    "unreported",
    _code("image = tf.reshape(tf.range(9.0), [1, 3, 3, 1])  # 3·row + col: bilinear sampling of it is linear",
          "boxes = tf.constant([[0.25, 0.25, 0.75, 0.75]])  # centre (1, 1), a pixel centre",
          "with tf.GradientTape() as t:",
          "    t.watch(boxes)",
          "    y = tf.image.crop_and_resize(image, boxes, [0], [1, 1])",
          "print(t.gradient(y, boxes))  # expected [[3, 1, 3, 1]] (y = 3·(y1 + y2) + (x1 + x2)), got [[0, 0, 0, 0]]"),
    checks=("special_reverse",), kind="wrong value",
    kind_why="on a linear image the crop is linear in the box coordinates, so the derivative exists; TF returns 0",
    searched=CROP_SEARCHED + ("crop_and_resize box gradient zero integer coordinate pixel centre",),
    workaround=CROP_WORKAROUND)

CROP_NEAREST_BOXES = KnownBug(
    "with method='nearest' the output is piecewise constant in the box coordinates (a box moved slightly samples the "
    "same pixels), so ∂/∂boxes = 0 away from the rounding jumps; the registered gradient returns the bilinear box gradient "
    "instead (image_grad.py: 'we still approximate grad1 using the gradient derived from bilinear sampling')",
    "unreported",
    _code("image = tf.reshape(tf.range(9.0), [1, 3, 3, 1])",
          "boxes = tf.constant([[0.1, 0.2, 0.6, 0.5]])",
          "with tf.GradientTape() as t:",
          "    t.watch(boxes)",
          "    y = tf.image.crop_and_resize(image, boxes, [0], [1, 1], method='nearest')",
          "print(t.gradient(y, boxes))  # expected [[0, 0, 0, 0]] (moving the box a little samples the same pixel), "
          "got [[3, 1, 3, 1]]"),
    checks=("reverse", "special_reverse"), kind="wrong value",
    kind_why="nearest sampling is locally constant in the boxes (derivative 0); TF returns the bilinear derivative, a "
             "deliberate surrogate stated only in a source comment",
    searched=CROP_SEARCHED + ("crop_and_resize nearest gradient boxes bilinear approximation",),
    workaround=Workaround('''import tensorflow as tf


def crop_and_resize_boxes(boxes, image, box_indices, crop_size):
    """tf.image.crop_and_resize(image, boxes, ..., method='nearest') as a function of the boxes, with the derivative it
    has: 0 (nearest sampling is locally constant in the box coordinates)."""
    return tf.image.crop_and_resize(image, tf.stop_gradient(boxes), box_indices, crop_size, method="nearest")
''', "crop_and_resize_boxes"))

CROP_NEAREST_BOXES_FORWARD = KnownBug(
    "CropAndResizeGradBoxes has no registered gradient, so forward mode and every second derivative of "
    "crop_and_resize(method='nearest') in the boxes raise LookupError, although the output is locally constant in them "
    "(J·v = 0, H = 0)", "https://github.com/tensorflow/tensorflow/issues/25050",
    _code("image = tf.reshape(tf.range(9.0), [1, 3, 3, 1])",
          "boxes = tf.constant([[0.1, 0.2, 0.6, 0.5]])",
          "with tf.autodiff.ForwardAccumulator(boxes, tf.ones_like(boxes)) as acc:",
          "    y = tf.image.crop_and_resize(image, boxes, [0], [1, 1], method='nearest')",
          "print(acc.jvp(y))  # expected [[[[0.0]]]], got LookupError: gradient registry has no entry for: CropAndResizeGradBoxes"),
    checks=FORWARD_AND_SECOND, kind="missing gradient", symptom="gradient registry has no entry for: CropAndResizeGrad",
    kind_why="the output is locally constant in the boxes (J·v = 0, H = 0); the tape raises LookupError",
    searched=CROP_SEARCHED, workaround=CROP_NEAREST_BOXES.workaround)

CROP_NEAREST_FORWARD = KnownBug(
    "CropAndResizeGradImage and CropAndResizeGradBoxes have no registered gradient, so forward mode and every second "
    "derivative that uses forward mode of crop_and_resize(method='nearest') raise LookupError, although it is linear in "
    "the image", "https://github.com/tensorflow/tensorflow/issues/25050",
    _code("image = tf.reshape(tf.range(9.0), [1, 3, 3, 1])",
          "with tf.autodiff.ForwardAccumulator(image, tf.ones_like(image)) as acc:",
          "    y = tf.image.crop_and_resize(image, [[0.1, 0.2, 0.6, 0.5]], [0], [1, 1], method='nearest')",
          "print(acc.jvp(y))  # expected [[[[1.0]]]] (the sample copies one pixel), "
          "got LookupError: gradient registry has no entry for: CropAndResizeGradImage"),
    checks=tuple(c for c in FORWARD_AND_SECOND if not c.endswith("reverse_over_reverse")), kind="missing gradient",
    symptom="gradient registry has no entry for: CropAndResizeGrad",
    kind_why="nearest crop_and_resize is linear in the image, so J·v and H = 0 exist; every composition with forward mode "
             "raises LookupError (reverse over reverse works: with the boxes constant it never differentiates the grad ops)",
    related=("https://github.com/tensorflow/tensorflow/pull/25467",), searched=CROP_SEARCHED,
    workaround=Workaround('''import tensorflow as tf


def crop_and_resize(image, boxes, box_indices, crop_size, extrapolation_value=0.0):
    """tf.image.crop_and_resize(method='nearest') as one-hot selection matrices of the nearest pixels (einsum):
    linear in the image, differentiable by every mode and order."""
    h, w = image.shape[1], image.shape[2]
    boxes = tf.cast(boxes, image.dtype)
    y1, x1, y2, x2 = tf.unstack(boxes, axis=1)

    def coords(a1, a2, size, n):
        if n > 1:
            steps = tf.range(n, dtype=boxes.dtype)[None, :]
            return a1[:, None] * (size - 1) + steps * ((a2 - a1) * (size - 1) / (n - 1))[:, None]
        return (0.5 * (a1 + a2) * (size - 1))[:, None]

    ys, xs = coords(y1, y2, h, crop_size[0]), coords(x1, x2, w, crop_size[1])
    yi = tf.clip_by_value(tf.cast(tf.floor(ys + 0.5), tf.int32), 0, h - 1)  # roundf: half away from zero, c >= 0
    xi = tf.clip_by_value(tf.cast(tf.floor(xs + 0.5), tf.int32), 0, w - 1)
    out = tf.einsum("nih,njw,nhwc->nijc", tf.one_hot(yi, h, dtype=image.dtype), tf.one_hot(xi, w, dtype=image.dtype),
                    tf.gather(image, box_indices))
    inside = ((ys >= 0) & (ys <= h - 1))[:, :, None, None] & ((xs >= 0) & (xs <= w - 1))[:, None, :, None]
    return tf.where(inside, out, tf.cast(extrapolation_value, out.dtype))
''', "crop_and_resize"))

RAMP = np.arange(9.0).reshape(1, 3, 3, 1)  # 3·row + col: bilinear sampling of it is linear in the coordinates
# the sample at (0.7, 0.7): weights (1−f)(1−f), (1−f)f, f(1−f), f·f of pixels (0,0), (0,1), (1,0), (1,1), f = 0.7
BILINEAR_07 = np.zeros((1, 3, 3, 1))
BILINEAR_07[0, :2, :2, 0] = [[0.09, 0.21], [0.21, 0.49]]
# H·v for v = (0 on the image, 1 on every box coordinate): the image part is Σ_k ∂W/∂b_k, with in_y = y1 + y2 and
# in_x = x1 + x2 here (½·(H − 1) = 1 per coordinate), so 2·(∂W/∂fy + ∂W/∂fx) = 2·((−0.3, −0.7, 0.3, 0.7) + (−0.3, 0.3, −0.7, 0.7))
CROP_HV_IMAGE = np.zeros((1, 3, 3, 1))
CROP_HV_IMAGE[0, :2, :2, 0] = [[-1.2, -0.8], [-0.8, 2.8]]
# H·v (image part) at the box centred on pixel (1, 1), v = (0, 1): one-sided, see the point's why
CENTRE_HV_ABOVE = np.zeros((1, 3, 3, 1))
CENTRE_HV_ABOVE[0, 1:, 1:, 0] = [[-4.0, 2.0], [2.0, 0.0]]
CENTRE_HV_BELOW = np.zeros((1, 3, 3, 1))
CENTRE_HV_BELOW[0, :2, :2, 0] = [[0.0, -2.0], [-2.0, 4.0]]


def _boxes_in(name, n, salt, lo, hi, h, w, crop, margin=0.06):
    """n boxes (y1, x1, y2, x2) in [lo, hi] whose sampling coordinates stay ≥ margin pixels from every integer (the kinks of
    bilinear sampling and the rounding jumps of nearest) and from the image's edges 0 and size − 1."""
    rng = np.random.default_rng(len(name) * 7919 + sum(map(ord, salt)) * 104729 + n)
    boxes = []
    while len(boxes) < n:
        box = as_f32_exact(rng.uniform(lo, hi, 4))
        coords = [np.concatenate([_crop_axis(box[0], box[2], h, crop[0]) * 1.0]),
                  np.concatenate([_crop_axis(box[1], box[3], w, crop[1]) * 1.0])]
        ok = True
        for c, size in zip(coords, (h, w)):
            frac = np.abs(c - np.round(c))
            if np.any(frac < margin) or np.any(np.abs(c) < margin) or np.any(np.abs(c - (size - 1)) < margin):
                ok = False
            if crop[0] == 1 and c.size == 1 and abs(c[0] - np.round(c[0])) < 0.25:
                ok = False  # the nearest record: stay away from the rounding jump at .5 too
        if ok:
            boxes.append(box)
    return np.array(boxes)


def _near_half_ok(boxes, h, w, crop, margin=0.06):
    coords = [_crop_axis(b[0], b[2], h, crop[0]) for b in boxes] + [_crop_axis(b[1], b[3], w, crop[1]) for b in boxes]
    return all(np.all(np.abs(np.abs(c - np.floor(c)) - 0.5) >= margin) for c in coords)


def _crop_samples(name, nearest):
    b1 = _boxes_in(name, 2, "in", 0.0, 1.0, 4, 5, (3, 4))
    b2 = _boxes_in(name, 2, "out", -0.4, 1.4, 5, 4, (4, 3))
    b3 = _boxes_in(name, 3, "one", 0.0, 1.0, 4, 4, (1, 1))
    if nearest:  # keep the nearest samples away from the rounding jumps at .5 as well
        b1 = np.array([b for b in _boxes_in(name, 12, "in", 0.0, 1.0, 4, 5, (3, 4)) if _near_half_ok([b], 4, 5, (3, 4))][:2])
        b2 = np.array([b for b in _boxes_in(name, 12, "out", -0.4, 1.4, 5, 4, (4, 3)) if _near_half_ok([b], 5, 4, (4, 3))][:2])
        b3 = np.array([b for b in _boxes_in(name, 12, "one", 0.0, 1.0, 4, 4, (1, 1)) if _near_half_ok([b], 4, 4, (1, 1))][:3])
    return [
        Sample((_d(name, (1, 4, 5, 2)), b1, np.array([0, 0], np.int32), [3, 4]), label="1x4x5x2 image, 2 boxes inside, 3x4 crops"),
        Sample((_d(name, (2, 5, 4, 1), salt="o"), b2, np.array([1, 0], np.int32), [4, 3]), {"extrapolation_value": 0.5},
               label="2x5x4x1 images, 2 boxes partly outside (extrapolation_value 0.5), 4x3 crops"),
        Sample((_d(name, (2, 4, 4, 1), salt="c"), b3, np.array([0, 1, 1], np.int32), [1, 1]),
               label="2x4x4x1 images, 3 boxes, 1x1 crops (the box centre)"),
    ]


CROPS = [
    op("tf.image.crop_and_resize(bilinear)", _crop_fn("bilinear"), _crop_samples("tf.image.crop_and_resize(bilinear)", False),
       diff=(0, 1), domain="image: all reals (linear); boxes: sampling coordinates away from integers (bilinear kinks) and "
                           "from the image's edges (the jump to extrapolation_value)", points=[
        point("1x1 crop at (0.7, 0.7) of a ramp", [RAMP, np.array([[0.1, 0.2, 0.6, 0.5]]), np.array([0], np.int32), [1, 1]],
              [BILINEAR_07, [[3.0, 1.0, 3.0, 1.0]]],
              "one sample at (½(y1+y2)·2, ½(x1+x2)·2) = (0.7, 0.7): image weights 0.09, 0.21, 0.21, 0.49; on the ramp 3·row + col "
              "the sample is 3·(y1 + y2) + (x1 + x2), so ∂/∂(y1, x1, y2, x2) = (3, 1, 3, 1)",
              second=hvp([CROP_HV_IMAGE, np.zeros((1, 4))],
                         "v = (0 on the image, 1 on the box): image part Σ_k ∂W/∂b_k = 2·(∂W/∂fy + ∂W/∂fx) with "
                         "∂W/∂fy = (−0.3, −0.7, 0.3, 0.7), ∂W/∂fx = (−0.3, 0.3, −0.7, 0.7); box part ∂²/∂b² = "
                         "(x00 − x01 − x10 + x11)·… = 0 on the ramp", v=(np.zeros((1, 3, 3, 1)), np.ones((1, 4))))),
        point("box centre on a pixel centre", [RAMP, np.array([[0.25, 0.25, 0.75, 0.75]]), np.array([0], np.int32), [1, 1]],
              [np.pad(np.ones((1, 1, 1, 1)), ((0, 0), (1, 1), (1, 1), (0, 0))), [[3.0, 1.0, 3.0, 1.0]]],
              "the sample sits on pixel (1, 1) (weight 1); on the ramp bilinear sampling is linear across that pixel, so the "
              "crop is 3·(y1 + y2) + (x1 + x2) near this box: ∂/∂box = (3, 1, 3, 1) from both sides",
              bug=CROP_INTEGER, second=hvp([between(np.minimum(CENTRE_HV_ABOVE, CENTRE_HV_BELOW),
                                                    np.maximum(CENTRE_HV_ABOVE, CENTRE_HV_BELOW)), np.zeros((1, 4))],
                                           "v = (0, 1) moves the sample along (2, 2) (c = y1 + y2 here): the box part is 0 (on "
                                           "the ramp the crop is 3·(y1 + y2) + (x1 + x2) near this box, linear), but the image "
                                           "part, the derivative of the image weights W = w_y ⊗ w_x along v, jumps at the pixel "
                                           "centre: from above ∂w/∂c = (0, −1, 1), from below (−1, 1, 0), so 2·(∂w_y ⊗ w_x + "
                                           "w_y ⊗ ∂w_x) is (−4 at (1, 1), 2 at (1, 2) and (2, 1)) from above and (4 at (1, 1), "
                                           "−2 at (0, 1) and (1, 0)) from below: asserted between the two one-sided values",
                                           v=(np.zeros((1, 3, 3, 1)), np.ones((1, 4))), exists=False)),
        point("box outside", [RAMP[:, :2, :2], np.array([[1.5, 1.5, 2.0, 2.0]]), np.array([0], np.int32), [2, 2]],
              [np.zeros((1, 2, 2, 1)), np.zeros((1, 4))], "2x2 image: every sample (coordinates 1.5 to 2 > size − 1 = 1) lies "
              "outside the image: the output is the constant extrapolation_value, with derivative 0 in image and boxes",
              second=hvp([np.zeros((1, 2, 2, 1)), np.zeros((1, 4))], "constant output: H = 0")),
        point("zero boxes", [np.full((1, 1, 1, 1), 0.5), np.zeros((0, 4)), np.zeros((0,), np.int32), [2, 2]],
              [np.zeros((1, 1, 1, 1)), np.zeros((0, 4))], "no boxes: an empty output, Σ = 0",
              second=hvp([np.zeros((1, 1, 1, 1)), np.zeros((0, 4))], "Σ = 0: H = 0")),
    ], bugs=(CROP_FORWARD,), reference=_crop_ref("bilinear"), skips=XLA_SKIP["CropAndResize"]),
    op("tf.image.crop_and_resize(nearest)", _crop_fn("nearest"), _crop_samples("tf.image.crop_and_resize(nearest)", True),
       domain="image: all reals (linear); the boxes are fixed (their derivative is the next record)", points=[
        point("1x1 crop at (0.7, 0.7)", [RAMP, np.array([[0.1, 0.2, 0.6, 0.5]]), np.array([0], np.int32), [1, 1]],
              [np.pad(np.ones((1, 1, 1, 1)), ((0, 0), (1, 1), (1, 1), (0, 0)))],
              "the sample at (0.7, 0.7) copies the nearest pixel, (1, 1)", second=hvp([np.zeros((1, 3, 3, 1))], "linear: H = 0")),
    ], bugs=(CROP_NEAREST_FORWARD,), reference=_crop_ref("nearest"), skips=XLA_SKIP["CropAndResize"]),
    op("tf.image.crop_and_resize(nearest, d/dboxes)", lambda boxes, image, box_indices, crop_size:
       tf.image.crop_and_resize(image, boxes, box_indices, crop_size, method="nearest"), [
        Sample((s.args[1], s.args[0], s.args[2], s.args[3]), label=s.label) for s in
        _crop_samples("tf.image.crop_and_resize(nearest, d/dboxes)", True)[::2]
    ], domain="boxes whose sampling coordinates stay away from the rounding jumps (half-integers) and the edges",
        points=[
        point("1x1 crop at (0.7, 0.7)", [np.array([[0.1, 0.2, 0.6, 0.5]]), RAMP, np.array([0], np.int32), [1, 1]],
              [np.zeros((1, 4))], "moving the box a little keeps (0.7, 0.7) nearest to pixel (1, 1): the output is locally "
              "constant in the box, derivative 0", second=hvp([np.zeros((1, 4))], "locally constant: H = 0")),
    ], bugs=(CROP_NEAREST_BOXES, CROP_NEAREST_BOXES_FORWARD),
        reference=lambda boxes, image, box_indices, crop_size: _crop_reference(image, boxes, box_indices, crop_size, "nearest"),
        skips=XLA_SKIP["CropAndResize"]),
]


# ==================================================================================================== 3-D pooling


def _spatial(v, n):
    """ksize or strides as n spatial numbers, from an int, n numbers, or n + 2 numbers (batch and channels)."""
    v = [int(a) for a in np.ravel(v)]
    if len(v) == 1:
        return v * n
    return v[1:-1] if len(v) == n + 2 else v


def _windows(size, k, s, padding):
    """(start, stop) of each window along one axis, clipped to [0, size): TensorFlow's VALID and SAME (pad_before =
    ⌊pad_total/2⌋, pad_total = max((out − 1)·s + k − size, 0), out = ⌈size/s⌉)."""
    if padding == "VALID":
        out, before = max(-(-(size - k + 1) // s), 0), 0
    else:
        out = -(-size // s)
        before = max((out - 1) * s + k - size, 0) // 2
    return [(max(o * s - before, 0), min(o * s - before + k, size)) for o in range(out)]


def _pool_np(x, ksize, strides, padding, kind):
    """Max or average pooling of x (batch, *spatial, channels): max over the window's elements, or their mean over the
    elements inside the input (SAME's padding is not counted)."""
    n = x.ndim - 2
    per_axis = [_windows(size, k, s, padding) for size, k, s in zip(x.shape[1:-1], _spatial(ksize, n), _spatial(strides, n))]
    out = np.empty((x.shape[0], *[len(w) for w in per_axis], x.shape[-1]))
    for index in np.ndindex(*out.shape[1:-1]):
        window = x[(slice(None),) + tuple(slice(*per_axis[a][i]) for a, i in enumerate(index))]
        axes = tuple(range(1, n + 1))
        out[(slice(None),) + index] = window.max(axis=axes) if kind == "max" else window.mean(axis=axes)
    return out


MAXPOOL3D_TIE = KnownBug(
    "at a window whose maximum is tied, MaxPool3DGrad on the CPU routes the whole upstream gradient to every tied element "
    "(a 2x2x2 window of equal values gets 1 at each of its 8 elements, a total of 8 for one output), which is no "
    "subgradient: any convention (the first maximum as 2-D MaxPoolGrad and XLA do, or an equal split as reduce_max does) "
    "routes a total of 1. ReLU before pooling makes all-zero windows common",
    "unreported",
    _code("x = tf.ones([1, 2, 2, 2, 1])",
          "with tf.GradientTape() as t:",
          "    t.watch(x)",
          "    y = tf.nn.max_pool3d(x, 2, 2, 'VALID')",
          "print(tf.reshape(t.gradient(y, x), [-1]))  # expected [1, 0, 0, 0, 0, 0, 0, 0] (the first maximum, as "
          "tf.nn.max_pool2d and XLA route it), got [1, 1, 1, 1, 1, 1, 1, 1]"),
    checks=("special_reverse",), modes=("eager", "function"), kind="wrong value",
    kind_why="at a tie the max has no gradient, but every subgradient routes a total of 1 per window; 1 to each tied "
             "element (8 in all) is none of them (the directional derivative along all-ones is 1, not 8)",
    related=("https://github.com/tensorflow/tensorflow/issues/4886", "https://github.com/tensorflow/tensorflow/issues/51682"),
    searched=("max_pool3d gradient ties duplicated MaxPool3DGrad all equal values gradient to every maximum",
              "MaxPool3D gradient wrong when several equal maxima in window 3D max pooling backprop"),
    workaround=Workaround('''import tensorflow as tf


def max_pool3d(input, ksize, strides, padding):
    """tf.nn.max_pool3d as a 2-D max pool over each depth slice, then a max pool over depth: tf.nn.max_pool2d routes a
    tied window's gradient to its first maximum, so the composition routes it to the first maximum in (d, h, w) order."""
    def spatial(v):
        v = [int(a) for a in tf.nest.flatten(v if hasattr(v, "__len__") else [v])]
        v = v * 3 if len(v) == 1 else v
        return v[1:4] if len(v) == 5 else v

    (kd, kh, kw), (sd, sh, sw) = spatial(ksize), spatial(strides)
    n, d, h, w, c = input.shape
    planes = tf.nn.max_pool2d(tf.reshape(input, [n * d, h, w, c]), [kh, kw], [sh, sw], padding)
    oh, ow = planes.shape[1], planes.shape[2]
    pooled = tf.nn.max_pool2d(tf.reshape(planes, [n, d, oh * ow, c]), [kd, 1], [sd, 1], padding)
    return tf.reshape(pooled, [n, pooled.shape[1], oh, ow, c])
''', "max_pool3d"))

SECOND_BUT_FOF = tuple(c for c in POINT_SECOND if c != "special_forward_over_forward")

MAXPOOL3D_EMPTY = KnownBug(
    "MaxPool3DGradGrad (the gradient of MaxPool3DGrad) rejects an empty input ('received empty tensor tensor_in', a "
    "validation added by #49060), so every second derivative of max_pool3d on a zero-size batch that goes through it raises, "
    "although max_pool3d and its gradient accept the empty batch (the Hessian has no entries)",
    "unreported",
    _code("x = tf.zeros([0, 2, 2, 2, 1])",
          "with tf.GradientTape() as outer:",
          "    outer.watch(x)",
          "    with tf.GradientTape() as inner:",
          "        inner.watch(x)",
          "        y = tf.nn.max_pool3d(x, 2, 2, 'VALID')",
          "    g = inner.gradient(y, x)",
          "print(outer.gradient(g, x, output_gradients=tf.ones_like(x)))  # expected an empty (0, 2, 2, 2, 1) tensor, "
          "got InvalidArgumentError: received empty tensor tensor_in"),
    checks=SECOND_BUT_FOF, kind="mode failure",
    kind_why="first order accepts the empty batch; the second-order compositions through MaxPool3DGradGrad raise",
    related=("https://github.com/tensorflow/tensorflow/pull/49060", "https://github.com/tensorflow/tensorflow/issues/21338"),
    searched=("MaxPool3DGradGrad received empty tensor tensor_in",),
    workaround=Workaround('''import tensorflow as tf


def max_pool3d(input, ksize, strides, padding):
    """tf.nn.max_pool3d that skips the kernel on an empty batch (whose result and derivatives have no entries), so no
    second derivative reaches MaxPool3DGradGrad with an empty tensor."""
    pooled = tf.nn.max_pool3d(tf.stop_gradient(input), ksize, strides, padding)
    if input.shape[0] == 0:
        return pooled + 0 * tf.reduce_sum(input)
    return tf.nn.max_pool3d(input, ksize, strides, padding)
''', "max_pool3d"))

FIRST_OF_EIGHT = np.zeros((1, 2, 2, 2, 1))
FIRST_OF_EIGHT[0, 0, 0, 0, 0] = 1.0
SHUFFLED = np.array([3.0, 7.0, 1.0, 0.0, 5.0, 2.0, 6.0, 4.0]).reshape(1, 2, 2, 2, 1)
PIECEWISE_LINEAR = "piecewise linear in x: H = 0 on every side"

POOLING = [
    op("tf.nn.avg_pool3d", lambda x, ksize, strides, padding: tf.nn.avg_pool3d(x, ksize, strides, padding), [
        Sample((_d("tf.nn.avg_pool3d", (1, 4, 4, 4, 1)), 2, 2, "VALID"), label="1x4x4x4x1 k=2 s=2 VALID"),
        Sample((_d("tf.nn.avg_pool3d", (1, 3, 4, 3, 2), salt="s"), [2, 3, 2], 1, "SAME"), label="1x3x4x3x2 k=(2,3,2) s=1 SAME"),
        Sample((_d("tf.nn.avg_pool3d", (2, 3, 3, 3, 1), salt="b"), 3, [1, 2, 2, 2, 1], "SAME"), label="2x3x3x3x1 k=3 s=2 SAME"),
    ], domain="all reals (linear)", points=[
        point("SAME edge", [np.ones((1, 3, 1, 1, 1)), [2, 1, 1], 1, "SAME"], [np.array([0.5, 1.0, 1.5]).reshape(1, 3, 1, 1, 1)],
              "SAME windows (x0, x1), (x1, x2), (x2): the mean of the in-bounds elements, so x2 gets 1/2 + 1",
              second=hvp([np.zeros((1, 3, 1, 1, 1))], "linear: H = 0")),
        point("VALID 2x2x2", [np.ones((1, 2, 2, 2, 1)), 2, 2, "VALID"], [np.full((1, 2, 2, 2, 1), 0.125)],
              "one window mean of eight: 1/8 each", second=hvp([np.zeros((1, 2, 2, 2, 1))], "linear: H = 0")),
        point("zero-size batch", [np.zeros((0, 2, 2, 2, 1)), 2, 2, "VALID"], [np.zeros((0, 2, 2, 2, 1))],
              "no volumes: an empty gradient", second=hvp([np.zeros((0, 2, 2, 2, 1))], "linear: H = 0")),
    ], reference=lambda x, ksize, strides, padding: _pool_np(x, ksize, strides, padding, "mean")),
    op("tf.nn.max_pool3d", lambda x, ksize, strides, padding: tf.nn.max_pool3d(x, ksize, strides, padding), [
        Sample((distinct("tf.nn.max_pool3d", (1, 4, 4, 4, 1), gap=0.05), 2, 2, "VALID"), label="1x4x4x4x1 k=2 s=2 VALID"),
        Sample((distinct("tf.nn.max_pool3d", (1, 3, 4, 3, 2), gap=0.05, salt="s"), [2, 3, 2], 1, "SAME"),
               label="1x3x4x3x2 k=(2,3,2) s=1 SAME"),
        Sample((distinct("tf.nn.max_pool3d", (2, 3, 3, 3, 1), gap=0.05, salt="b"), 3, [1, 2, 2, 2, 1], "SAME"),
               label="2x3x3x3x1 k=3 s=2 SAME"),
    ], domain="no ties within a window", points=[
        point("distinct 2x2x2", [SHUFFLED, 2, 2, "VALID"], [(SHUFFLED == 7.0).astype(float)],
              "the unique maximum of the window (7) gets the whole gradient", second=hvp([np.zeros((1, 2, 2, 2, 1))], PIECEWISE_LINEAR)),
        point("tie 2x2x2", [np.ones((1, 2, 2, 2, 1)), 2, 2, "VALID"], [FIRST_OF_EIGHT],
              "all eight tied: max has no gradient; the conventional subgradient (tf.nn.max_pool2d's MaxPoolGrad, XLA's "
              "select-and-scatter, PyTorch's max_pool3d: the first maximum in window order) routes 1 to the first element",
              bug=MAXPOOL3D_TIE, second=hvp([np.zeros((1, 2, 2, 2, 1))], PIECEWISE_LINEAR + " (a kink here: 0 from every side)",
                                            exists=False)),
        point("zero-size batch", [np.zeros((0, 2, 2, 2, 1)), 2, 2, "VALID"], [np.zeros((0, 2, 2, 2, 1))],
              "no volumes: an empty gradient", second=hvp([np.zeros((0, 2, 2, 2, 1))], PIECEWISE_LINEAR, bug=MAXPOOL3D_EMPTY)),
    ], reference=lambda x, ksize, strides, padding: _pool_np(x, ksize, strides, padding, "max")),
    op("tf.nn.max_pool2d(float32)", lambda x, ksize, strides, padding: tf.nn.max_pool2d(x, ksize, strides, padding), [
        Sample((distinct("tf.nn.max_pool2d(float32)", (1, 4, 4, 1), gap=0.1), 2, 2, "VALID"), label="1x4x4x1 k=2 s=2 VALID"),
        Sample((distinct("tf.nn.max_pool2d(float32)", (2, 3, 4, 2), gap=0.05, salt="s"), [2, 3], 1, "SAME"),
               label="2x3x4x2 k=(2,3) s=1 SAME"),
    ], domain="no ties within a window (the float32 kernels of MaxPool, MaxPoolGrad and MaxPoolGradGrad, which second order "
              "runs; family_nn checks the float64 ones)", points=[
        point("tie", [np.ones((1, 2, 2, 1)), 2, 2, "VALID"], [np.array([1.0, 0.0, 0.0, 0.0]).reshape(1, 2, 2, 1)],
              "tied window: MaxPoolGrad's convention, the first maximum in window order, gets the whole gradient",
              second=hvp([np.zeros((1, 2, 2, 1))], PIECEWISE_LINEAR + " (a kink here: 0 from every side)", exists=False)),
    ], reference=lambda x, ksize, strides, padding: _pool_np(x, ksize, strides, padding, "max"),
        skips={"xla": "XLA cannot compile MaxPoolGradGrad (no XLA_CPU_JIT kernel), which forward mode over a max pool needs"}),
]


# ================================================================================================= normalisation


def _lrn_np(x, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5):
    """x / (bias + alpha·Σ_{|k−d| ≤ depth_radius} x_k²)^beta along the last axis (the documented formula; no division of
    alpha by the window size)."""
    sq = np.square(x)
    depth = x.shape[-1]
    total = np.stack([sq[..., max(d - depth_radius, 0):d + depth_radius + 1].sum(axis=-1) for d in range(depth)], axis=-1)
    return x / (bias + alpha * total) ** beta


LRN_BUG = KnownBug(
    "LRNGrad (the backward op of local_response_normalization) has no registered gradient, so forward mode (which "
    "transposes the backward function) and every second derivative raise LookupError, although LRN is smooth",
    "https://github.com/tensorflow/tensorflow/issues/22825",
    _code("x = tf.constant([[[[1.0]]]])",
          "with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as acc:",
          "    y = tf.nn.local_response_normalization(x, depth_radius=0, bias=1.0, alpha=1.0, beta=0.5)",
          "print(acc.jvp(y))  # expected 2**-1.5 = 0.35355 (d/dx x/sqrt(1 + x²)), "
          "got LookupError: gradient registry has no entry for: LRNGrad"),
    checks=FORWARD_AND_SECOND + POINT_THIRD, kind="missing gradient",
    kind_why="LRN is smooth (bias > 0), so J·v and H exist; the tape raises LookupError",
    searched=("LRNGrad no gradient local_response_normalization second derivative LookupError",),
    workaround=Workaround('''import tensorflow as tf


def local_response_normalization(x, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5):
    """tf.nn.local_response_normalization as its documented formula: differentiable by every mode and order."""
    depth = x.shape[-1]
    padded = tf.pad(tf.square(x), [[0, 0]] * (len(x.shape) - 1) + [[depth_radius, depth_radius]])
    total = tf.add_n([padded[..., k:k + depth] for k in range(2 * depth_radius + 1)])
    return x * tf.pow(bias + alpha * total, -beta)
''', "local_response_normalization"))

LRN = op("tf.nn.local_response_normalization", lambda x, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5:
         tf.nn.local_response_normalization(x, depth_radius, bias, alpha, beta), [
    Sample((_d("tf.nn.local_response_normalization", (1, 2, 2, 4)),), {"depth_radius": 1}, label="1x2x2x4 radius 1 (bias 1, alpha 1, beta 0.5)"),
    Sample((_d("tf.nn.local_response_normalization", (2, 1, 2, 6), salt="b"),),
           {"depth_radius": 2, "bias": 2.0, "alpha": 0.5, "beta": 0.75}, label="2x1x2x6 radius 2 bias 2 alpha 0.5 beta 0.75"),
    Sample((_d("tf.nn.local_response_normalization", (1, 1, 1, 3), salt="d"),), label="1x1x1x3 defaults (radius 5 > depth)"),
    Sample((_d("tf.nn.local_response_normalization", (1, 2, 1, 5), salt="e"),),
           {"depth_radius": 0, "bias": 0.5, "alpha": 2.0, "beta": 1.5}, label="1x2x1x5 radius 0 bias 0.5 alpha 2 beta 1.5"),
], domain="all reals (bias > 0)", points=[
    point("x=0", [np.zeros((1, 1, 2, 3))], [np.ones((1, 1, 2, 3))],
          "∂/∂x_d [x_d·(b + α Σ x_k²)^(−β)] = b^(−β) = 1 at x = 0 (the other terms carry a factor x)",
          second=hvp([np.zeros((1, 1, 2, 3))], "every second partial derivative keeps a factor x: H = 0 at x = 0")),
    point("one channel x=1", [np.ones((1, 1, 1, 1))], [np.full((1, 1, 1, 1), 2 ** -1.5)],
          "f = x/√(1 + x²): f' = (1 + x²)^(−3/2) = 2^(−3/2)", depth_radius=0,
          second=hvp([np.full((1, 1, 1, 1), -3 * 2 ** -2.5)], "f'' = −3x(1 + x²)^(−5/2) = −3·2^(−5/2)"),
          third=hvp([np.full((1, 1, 1, 1), -3 * 2 ** -2.5 + 15 * 2 ** -3.5)],
                    "f''' = −3(1 + x²)^(−5/2) + 15x²(1 + x²)^(−7/2) = −3·2^(−5/2) + 15·2^(−7/2)")),
], bugs=(LRN_BUG,), reference=_lrn_np)


def _channel_axis(x, data_format):
    return 1 if data_format in ("NCHW", "NCDHW") else x.ndim - 1


def _bcast(v, x, axis):
    shape = [1] * x.ndim
    shape[axis] = -1
    return np.reshape(v, shape)


def _fbn_train_np(x, scale, offset, mean=None, variance=None, epsilon=0.001, data_format="NHWC", exponential_avg_factor=1.0):
    """Training-mode batch norm: y = scale·(x − μ)/√(σ² + ε) + offset with the batch mean μ and the biased batch variance
    σ² over every axis but the channels'."""
    axis = _channel_axis(x, data_format)
    axes = tuple(a for a in range(x.ndim) if a != axis)
    mu, var = x.mean(axis=axes), x.var(axis=axes)
    return _bcast(scale, x, axis) * (x - _bcast(mu, x, axis)) / np.sqrt(_bcast(var, x, axis) + epsilon) + _bcast(offset, x, axis)


def _fbn_infer_np(x, scale, offset, mean, variance, epsilon=0.001, data_format="NHWC"):
    axis = _channel_axis(x, data_format)
    return (_bcast(scale, x, axis) * (x - _bcast(mean, x, axis)) / np.sqrt(_bcast(variance, x, axis) + epsilon)
            + _bcast(offset, x, axis))


def _fbn_moments_np(x, mean, variance, exponential_avg_factor=1.0):
    """The running mean and variance outputs in training mode: (1 − f)·mean + f·μ_batch and (1 − f)·variance +
    f·σ²_batch·n/(n − 1) (the variance output carries Bessel's correction), per channel (last axis)."""
    axes = tuple(range(x.ndim - 1))
    n = x.size // x.shape[-1]
    f = exponential_avg_factor
    return (1 - f) * mean + f * x.mean(axis=axes), (1 - f) * variance + f * x.var(axis=axes) * n / (n - 1)


FBN_ISSUE = "https://github.com/tensorflow/tensorflow/issues/20407"
FBN_SEARCHED = ("fused_batch_norm gradient with respect to mean and variance is None is_training=False",
                "FusedBatchNorm gradient of batch_mean batch_variance outputs ignored")

FBN_EMPTY = KnownBug(
    "on a zero-size batch the second derivative of fused_batch_norm (training) with respect to scale is NaN: the gradient of "
    "FusedBatchNormGradV3 divides by the batch variance of no elements (NaN) although every sum over the batch is empty, so "
    "Σy = 0 for every scale and offset and H = 0",
    "unreported",
    _code("x, scale, offset = tf.zeros([0, 2, 2, 2]), tf.ones([2]), tf.zeros([2])",
          "with tf.GradientTape() as outer:",
          "    outer.watch(scale)",
          "    with tf.GradientTape() as inner:",
          "        inner.watch([x, scale])",
          "        y = tf.compat.v1.nn.fused_batch_norm(x, scale, offset)[0]",
          "    g = inner.gradient(y, [x, scale])",
          "print(outer.gradient(g, scale))  # expected [0, 0], got [nan nan]"),
    checks=SECOND_BUT_FOF, kind="wrong value",
    kind_why="Σy = 0 identically on an empty batch, so every derivative is 0; the second derivative is NaN",
    related=("https://github.com/tensorflow/tensorflow/issues/14657",),
    searched=("fused_batch_norm empty batch zero size NaN gradient FusedBatchNormGradV3 second order",),
    workaround=Workaround('''import tensorflow as tf


def fused_batch_norm(x, scale, offset, mean=None, variance=None, epsilon=0.001, data_format="NHWC",
                     exponential_avg_factor=1.0):
    """tf.compat.v1.nn.fused_batch_norm(..., is_training=True)[0] as its formula, with the batch mean and variance
    taken over max(n, 1) elements: on an empty batch every sum over it is an empty sum, so no 0/0 reaches a derivative.
    (Not tf.nn.moments: its variance is mean((x − stop_gradient(mean))²), whose second derivative is wrong.)"""
    channel = 1 if data_format.startswith("NC") else len(x.shape) - 1
    axes = [a for a in range(len(x.shape)) if a != channel]
    shape = [-1 if a == channel else 1 for a in range(len(x.shape))]
    n = tf.cast(tf.maximum(tf.size(x) // tf.shape(x)[channel], 1), x.dtype)
    batch_mean = tf.reduce_sum(x, axes, keepdims=True) / n
    centred = x - batch_mean
    batch_var = tf.reduce_sum(tf.square(centred), axes, keepdims=True) / n
    return tf.reshape(scale, shape) * centred * tf.math.rsqrt(batch_var + epsilon) + tf.reshape(offset, shape)
''', "fused_batch_norm"))

FBN_EMPTY_XLA = KnownBug(
    "under XLA the gradient of fused_batch_norm (training) with respect to scale on a zero-size batch is NaN (eager: 0): "
    "the compiled gradient multiplies the empty batch's NaN variance into a result that should be an empty sum",
    "unreported",
    _code("@tf.function(jit_compile=True)",
          "def grad(x, scale, offset):",
          "    with tf.GradientTape() as t:",
          "        t.watch(scale)",
          "        y = tf.compat.v1.nn.fused_batch_norm(x, scale, offset)[0]",
          "    return t.gradient(y, scale)",
          "print(grad(tf.zeros([0, 2, 2, 2]), tf.ones([2]), tf.zeros([2])))  # expected [0, 0] (as eagerly), got [nan nan]"),
    checks=("special_reverse",), modes=("xla",), kind="mode failure",
    kind_why="eager and tf.function return 0 (Σy = 0 on an empty batch); XLA returns NaN",
    related=("https://github.com/tensorflow/tensorflow/issues/14657",),
    searched=("fused_batch_norm empty batch zero size NaN gradient FusedBatchNormGradV3 second order",),
    workaround=FBN_EMPTY.workaround)

FBN_INFER_BUG = KnownBug(
    "in inference mode (is_training=False) the gradient of fused_batch_norm returns None for mean and variance "
    "(nn_grad._BaseFusedBatchNormGrad returns only dx, dscale, doffset), although y = scale·(x − mean)/√(variance + ε) "
    "+ offset depends smoothly on both: ∂Σy/∂mean = −Σ scale/√(variance + ε) is silently 0",
    FBN_ISSUE,
    _code("x, scale, offset = tf.constant([[[[2.0]]]]), tf.constant([1.0]), tf.constant([0.0])",
          "mean, variance = tf.constant([0.0]), tf.constant([1.0])",
          "with tf.GradientTape() as t:",
          "    t.watch([mean, variance])",
          "    y = tf.compat.v1.nn.fused_batch_norm(x, scale, offset, mean, variance, epsilon=0.0, is_training=False)[0]",
          "print(t.gradient(y, [mean, variance]))  # expected [-1.0], [-1.0] (−1/√v and −(x − m)/(2 v^(3/2))), got [None, None]"),
    checks=EVERY_CHECK, kind="missing gradient",
    kind_why="y is smooth in mean and variance (variance + ε > 0); the tape returns None for them",
    searched=FBN_SEARCHED,
    workaround=Workaround('''import tensorflow as tf


def fused_batch_norm(x, scale, offset, mean, variance, epsilon=0.001, data_format="NHWC"):
    """tf.compat.v1.nn.fused_batch_norm(..., is_training=False)[0] as its formula, differentiable in all five inputs."""
    shape = [1, -1, 1, 1] if data_format == "NCHW" else [-1]
    inv = tf.reshape(scale * tf.math.rsqrt(variance + epsilon), shape)
    return x * inv + tf.reshape(offset, shape) - tf.reshape(mean, shape) * inv
''', "fused_batch_norm"))

FBN_MOMENTS_BUG = KnownBug(
    "in training mode the running mean and variance outputs of fused_batch_norm depend on x (the batch moments) and on the "
    "mean and variance inputs (weights 1 − exponential_avg_factor), but the registered gradient ignores the upstream "
    "gradients of those outputs and returns None for mean and variance: a loss that uses them gets 0",
    FBN_ISSUE,
    _code("x = tf.constant([[[[1.0]]], [[[3.0]]]])",
          "with tf.GradientTape() as t:",
          "    t.watch(x)",
          "    _, batch_mean, _ = tf.compat.v1.nn.fused_batch_norm(x, tf.constant([1.0]), tf.constant([0.0]))",
          "print(t.gradient(batch_mean, x))  # expected [[[[0.5]]], [[[0.5]]]] (the mean of 2), got zeros"),
    checks=EVERY_CHECK, kind="missing gradient",
    kind_why="the running moments are smooth functions of x, mean and variance; the tape returns 0 and None",
    searched=FBN_SEARCHED,
    workaround=Workaround('''import tensorflow as tf


def running_moments(x, mean, variance, exponential_avg_factor=1.0):
    """The running mean and variance outputs of tf.compat.v1.nn.fused_batch_norm(x, ones, zeros, mean, variance,
    exponential_avg_factor=f) (training, channels last) as their formula, differentiable in x, mean and variance
    to every order (not tf.nn.moments: its variance is mean((x − stop_gradient(mean))²), whose second derivative
    is wrong)."""
    axes = list(range(len(x.shape) - 1))
    n = tf.cast(tf.size(x) // tf.shape(x)[-1], x.dtype)
    batch_mean = tf.reduce_mean(x, axes)
    unbiased_var = tf.reduce_sum(tf.square(x - batch_mean), axes) / (n - 1)
    f = exponential_avg_factor
    return (1 - f) * mean + f * batch_mean, (1 - f) * variance + f * unbiased_var
''', "running_moments"))


def _fbn_train(x, scale, offset, mean=None, variance=None, epsilon=0.001, data_format="NHWC", exponential_avg_factor=1.0):
    return tf.compat.v1.nn.fused_batch_norm(x, scale, offset, mean, variance, epsilon=epsilon, data_format=data_format,
                                            is_training=True, exponential_avg_factor=exponential_avg_factor)[0]


def _fbn_infer(x, scale, offset, mean, variance, epsilon=0.001, data_format="NHWC"):
    return tf.compat.v1.nn.fused_batch_norm(x, scale, offset, mean, variance, epsilon=epsilon, data_format=data_format,
                                            is_training=False)[0]


def _fbn_moments(x, mean, variance, exponential_avg_factor=1.0):
    c = x.shape[-1]
    _, running_mean, running_var = tf.compat.v1.nn.fused_batch_norm(
        x, tf.ones([c], x.dtype), tf.zeros([c], x.dtype), mean, variance, is_training=True,
        exponential_avg_factor=exponential_avg_factor)
    return running_mean, running_var


POS = dict(lo=0.5, hi=1.5)
_N = "tf.compat.v1.nn.fused_batch_norm"
_G = "tf.nn.batch_norm_with_global_normalization"
MOMENT_X = np.array([1.0, 2.0, 3.0, 4.0]).reshape(2, 2, 1, 1)

NORMALISATION = [
    LRN,
    op(f"{_N}(is_training=True)", _fbn_train, [
        Sample((_d(_N, (2, 2, 2, 3)), _d(_N, (3,), salt="s", **POS), _d(_N, (3,), salt="o"), None, None),
               label="2x2x2x3 NHWC eps=0.001"),
        Sample((_d(_N, (3, 2, 1, 2), salt="e"), _d(_N, (2,), salt="se", **POS), _d(_N, (2,), salt="oe"), None, None),
               {"epsilon": 0.1}, label="3x2x1x2 NHWC eps=0.1"),
        Sample((_d(_N, (2, 2, 2, 1, 2), salt="5"), _d(_N, (2,), salt="s5", **POS), _d(_N, (2,), salt="o5"), None, None),
               {"data_format": "NDHWC"}, label="2x2x2x1x2 NDHWC"),
        Sample((_d(_N, (2, 3, 2, 2), salt="m"), _d(_N, (2,), salt="sm", **POS), _d(_N, (2,), salt="om"),
                _d(_N, (2,), salt="mm"), _d(_N, (2,), salt="vm", **POS)), {"exponential_avg_factor": 0.5},
               label="2x3x2x2 with mean and variance given, exponential_avg_factor 0.5 (y uses the batch moments)"),
    ], diff=(0, 1, 2), domain="x not constant per channel (batch variance + ε > 0 always); output y (FusedBatchNormV3, "
                              "gradient FusedBatchNormGradV3, second order through its registered gradient)", points=[
        point("Σy", [np.array([1.0, 2.0, 4.0, 7.0]).reshape(2, 2, 1, 1), [2.0], [0.5], None, None],
              [np.zeros((2, 2, 1, 1)), [0.0], [4.0]],
              "Σy = scale·Σx̂ + n·offset and Σx̂ = 0 for the normalised x̂: ∂/∂x = 0, ∂/∂scale = 0, ∂/∂offset = n = 4",
              second=hvp([np.zeros((2, 2, 1, 1)), [0.0], [0.0]], "Σy = n·offset exactly: H = 0")),
        point("one element per channel", [np.array([[[[0.3, 0.7]]]]), [1.0, 2.0], [0.5, -0.5], None, None],
              [np.zeros((1, 1, 1, 2)), [0.0, 0.0], [1.0, 1.0]],
              "n = 1: x − μ = 0, so y = offset whatever x and scale (variance 0, ε > 0)",
              second=hvp([np.zeros((1, 1, 1, 2)), [0.0, 0.0], [0.0, 0.0]], "y = offset: H = 0")),
        point("zero-size batch", [np.zeros((0, 2, 2, 2)), [1.0, 2.0], [0.5, 0.5], None, None],
              [np.zeros((0, 2, 2, 2)), [0.0, 0.0], [0.0, 0.0]], "no elements: y is empty, Σy = 0", bug=FBN_EMPTY_XLA,
              second=hvp([np.zeros((0, 2, 2, 2)), [0.0, 0.0], [0.0, 0.0]], "Σy = 0: H = 0", bug=FBN_EMPTY)),
    ], reference=_fbn_train_np),
    op(f"{_N}(is_training=False)", _fbn_infer, [
        Sample((_d(_N, (2, 2, 2, 3), salt="i"), _d(_N, (3,), salt="si", **POS), _d(_N, (3,), salt="oi"),
                _d(_N, (3,), salt="mi"), _d(_N, (3,), salt="vi", **POS)), label="2x2x2x3 NHWC eps=0.001"),
        Sample((_d(_N, (1, 3, 2, 2), salt="j"), _d(_N, (2,), salt="sj", **POS), _d(_N, (2,), salt="oj"),
                _d(_N, (2,), salt="mj"), _d(_N, (2,), salt="vj", **POS)), {"epsilon": 0.25}, label="1x3x2x2 NHWC eps=0.25"),
    ], diff=(0, 1, 2, 3, 4), domain="variance + ε > 0; output y (FusedBatchNormV3, gradient FusedBatchNormGradV3 with "
                                    "is_training=False)", points=[
        point("x=mean", [[[[[1.0]]]], [2.0], [0.5], [1.0], [0.75]], [[[[[2.0]]]], [0.0], [1.0], [-2.0], [0.0]],
              "y = s·(x − m)/√(v + ε) + o with v + ε = 1: ∂/∂x = s = 2, ∂/∂s = x − m = 0, ∂/∂o = 1, ∂/∂m = −2, "
              "∂/∂v = −s(x − m)/2·(v + ε)^(−3/2) = 0", epsilon=0.25,
              second=hvp([[[[[-3.0]]]], [-2.0], [0.0], [3.0], [2.0]],
                         "nonzero second partials at x = m, v + ε = 1: ∂²/∂x∂s = 1, ∂²/∂s∂m = −1, ∂²/∂x∂v = −s/2 = −1, "
                         "∂²/∂m∂v = s/2 = 1 (∂²/∂s∂v = ∂²/∂v² = 0, a factor x − m); with v = (1, 2, 0, 3, 5) on (x, s, o, m, v): "
                         "x: 2 − 5, s: 1 − 3, o: 0, m: −2 + 5, v: −1 + 3", v=([[[[1.0]]]], [2.0], [0.0], [3.0], [5.0])),
              bug=FBN_INFER_BUG),
    ], bugs=(FBN_INFER_BUG,), reference=_fbn_infer_np),
    op(f"{_N}(running mean and variance)", _fbn_moments, [
        Sample((_d(_N, (2, 2, 2, 3), salt="r"), _d(_N, (3,), salt="rm"), _d(_N, (3,), salt="rv", **POS)),
               label="2x2x2x3 exponential_avg_factor 1 (the batch moments)"),
        Sample((_d(_N, (3, 2, 1, 2), salt="q"), _d(_N, (2,), salt="qm"), _d(_N, (2,), salt="qv", **POS)),
               {"exponential_avg_factor": 0.25}, label="3x2x1x2 exponential_avg_factor 0.25"),
    ], diff=(0, 1, 2), domain="n > 1 elements per channel; outputs 1 and 2 (running_mean, running_var) of training mode",
        points=[
        point("x = 1..4, f = 0.25", [MOMENT_X, [10.0], [20.0]], [(0.0625 + (MOMENT_X - 2.5) / 6), [0.75], [0.75]],
              "Σ = (1 − f)(m + v) + f·(μ + Σ(x − μ)²/(n − 1)): ∂/∂x_i = f/n + 2f(x_i − μ)/(n − 1) = 1/16 + (x_i − 2.5)/6, "
              "∂/∂m = ∂/∂v = 1 − f = 0.75", exponential_avg_factor=0.25,
              second=hvp([np.array([0.125, -1 / 24, -1 / 24, -1 / 24]).reshape(2, 2, 1, 1), [0.0], [0.0]],
                         "H_xx = 2f/(n − 1)·(I − 11ᵀ/n) = (1/6)(I − 11ᵀ/4); with v = e₁ on x: (1/6)(3/4, −1/4, −1/4, −1/4)",
                         v=(np.array([1.0, 0.0, 0.0, 0.0]).reshape(2, 2, 1, 1), [0.0], [0.0]))),
    ], bugs=(FBN_MOMENTS_BUG,), reference=_fbn_moments_np),
    op("tf.nn.batch_norm_with_global_normalization", lambda t, m, v, beta, gamma, eps, scale_after:
       tf.nn.batch_norm_with_global_normalization(t, m, v, beta, gamma, eps, scale_after), [
        Sample((*_d(_G, (2, 2, 3), (3,)), _d(_G, (3,), salt="v", **POS), *_d(_G, (3,), (3,), salt="bg"), 1e-3, True),
               label="2x2x3 scale_after_normalization=True"),
        Sample((*_d(_G, (1, 2, 2, 2), (2,), salt="f"), _d(_G, (2,), salt="vf", **POS), *_d(_G, (2,), (2,), salt="bgf"), 0.5, False),
               label="1x2x2x2 scale_after_normalization=False (gamma unused) eps=0.5"),
    ], diff=(0, 1, 2, 3, 4), domain="variance + ε > 0 (a composition of tf.nn.batch_normalization in the input's dtype; "
                                    "the raw op BatchNormWithGlobalNormalization is unavailable in TF2)", points=[
        point("x=mean", [[[1.0]], [1.0], [0.75], [0.5], [2.0], 0.25, True], [[[2.0]], [-2.0], [0.0], [1.0], [0.0]],
              "y = γ(x − m)/√(v + ε) + β with v + ε = 1: ∂/∂x = γ = 2, ∂/∂m = −2, ∂/∂v = 0 (factor x − m), ∂/∂β = 1, "
              "∂/∂γ = x − m = 0",
              second=hvp([[[-3.0]], [3.0], [2.0], [0.0], [-2.0]],
                         "as fused_batch_norm's inference point, v = (1, 3, 5, 0, 2) on (x, m, v, β, γ): x: γ-term 2 − v-term 5, "
                         "m: −2 + 5, v: −1 + 3, β: 0, γ: 1 − 3", v=([[1.0]], [3.0], [5.0], [0.0], [2.0]))),
        point("scale_after_normalization=False", [[[1.0]], [0.0], [0.75], [0.5], [2.0], 0.25, False],
              [[[1.0]], [-1.0], [-0.5], [1.0], [0.0]], "γ is not used: y = (x − m)/√(v + ε) + β; ∂/∂v = −(x − m)/2 = −0.5, "
              "∂/∂γ = 0", second=hvp([[[-0.5]], [0.5], [0.75], [0.0], [0.0]],
                                     "with d = x − m = 1, v + ε = 1: ∂²/∂x∂v = −½, ∂²/∂m∂v = ½, ∂²/∂v² = ¾·d = ¾, the rest 0; "
                                     "H·1: x: −½, m: ½, v: −½ + ½ + ¾ = ¾, β and γ: 0")),
    ]),
]


# ====================================================================================================== metrics


def _standardize_np(x):
    """(x − mean)/max(std, 1/√N) over each image's last three axes, N their size (biased std)."""
    axes = (-3, -2, -1)
    n = np.prod(x.shape[-3:])
    mean = x.mean(axis=axes, keepdims=True)
    std = np.sqrt(np.square(x - mean).mean(axis=axes, keepdims=True))
    return (x - mean) / np.maximum(std, 1.0 / np.sqrt(n))


def _psnr_np(a, b, max_val):
    mse = np.square(a - b).mean(axis=(-3, -2, -1))
    return 20 * np.log10(max_val) - 10 * np.log10(mse)


def gaussian_window(size, sigma):
    """_fspecial_gauss: softmax over the size x size grid of −(i² + j²)/(2σ²), coordinates centred on (size − 1)/2."""
    coords = np.arange(size) - (size - 1) / 2.0
    g = -0.5 * np.square(coords) / sigma ** 2
    g = np.exp(g[:, None] + g[None, :])
    return g / g.sum()


def _filter_valid(x, w):
    """Σ_ab w[a, b]·x[..., i + a, j + b, c] (depthwise VALID correlation over the axes −3, −2)."""
    k = w.shape[0]
    h, wd = x.shape[-3] - k + 1, x.shape[-2] - k + 1
    return sum(w[a, b] * x[..., a:a + h, b:b + wd, :] for a in range(k) for b in range(k))


def _ssim_maps(x, y, max_val, filter_size, filter_sigma, k1, k2):
    """Luminance·contrast-structure and contrast-structure maps (_ssim_helper): μ, σ² and σ_xy from the Gaussian window,
    c1 = (k1·L)², c2 = (k2·L)²."""
    w = gaussian_window(filter_size, filter_sigma)
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    mx, my = _filter_valid(x, w), _filter_valid(y, w)
    luminance = (2 * mx * my + c1) / (mx ** 2 + my ** 2 + c1)
    cs = (2 * _filter_valid(x * y, w) - 2 * mx * my + c2) / (_filter_valid(x * x + y * y, w) - mx ** 2 - my ** 2 + c2)
    return luminance * cs, cs


def _ssim_np(img1, img2, max_val, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03, return_index_map=False):
    s, _ = _ssim_maps(img1, img2, max_val, filter_size, filter_sigma, k1, k2)
    return s.mean(axis=-1) if return_index_map else s.mean(axis=(-3, -2)).mean(axis=-1)


def _halve(x):
    """MS-SSIM's downsampling: an odd height or width padded at its end by repeating the last row/column (SYMMETRIC),
    then 2x2 average pooling."""
    x = np.pad(x, [(0, 0)] * (x.ndim - 3) + [(0, x.shape[-3] % 2), (0, x.shape[-2] % 2), (0, 0)], mode="symmetric")
    return 0.25 * (x[..., 0::2, 0::2, :] + x[..., 1::2, 0::2, :] + x[..., 0::2, 1::2, :] + x[..., 1::2, 1::2, :])


def _ssim_ms_np(img1, img2, max_val, power_factors, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03):
    """Π_k relu(cs_k)^p_k (k < last) · relu(ssim_last)^p_last, cs and ssim averaged over each scale's map, then the mean
    over channels."""
    factors = []
    for k, p in enumerate(power_factors):
        if k:
            img1, img2 = _halve(img1), _halve(img2)
        s, cs = _ssim_maps(img1, img2, max_val, filter_size, filter_sigma, k1, k2)
        value = s if k == len(power_factors) - 1 else cs
        factors.append(np.maximum(value.mean(axis=(-3, -2)), 0.0) ** p)
    return np.prod(factors, axis=0).mean(axis=-1)


def _ssim_equal_hv(x, d, max_val, filter_size, filter_sigma, k1=0.01, k2=0.03, luminance=True):
    """At img1 = img2 = x the SSIM map is 1 with zero gradient, so its Hessian in the difference δ = img1 − img2 is the sum
    of the luminance and contrast-structure ones: per window with weights w, mean μ and variance s,
    H_L = −2wwᵀ/(2μ² + c1) and H_C = −2(diag w − wwᵀ)/(2s + c2); averaged over the windows and the channels.
    Returns H·d for one image (h, w, c)."""
    w = gaussian_window(filter_size, filter_sigma)
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    k = filter_size
    h, wd, channels = x.shape
    out = np.zeros_like(x)
    positions = [(i, j) for i in range(h - k + 1) for j in range(wd - k + 1)]
    for c in range(channels):
        for i, j in positions:
            patch, dp = x[i:i + k, j:j + k, c], d[i:i + k, j:j + k, c]
            mu = (w * patch).sum()
            s = (w * patch * patch).sum() - mu ** 2
            wd_ = (w * dp).sum()
            hv = -2 * (w * dp - w * wd_) / (2 * s + c2)
            if luminance:
                hv = hv - 2 * w * wd_ / (2 * mu ** 2 + c1)
            out[i:i + k, j:j + k, c] += hv / len(positions)
    return out / channels


def _halving_matrix(size):
    """The (⌈size/2⌉, size) matrix of _halve along one axis."""
    out = np.zeros(((size + 1) // 2, size))
    for o in range(out.shape[0]):
        out[o, 2 * o] += 0.5
        out[o, min(2 * o + 1, size - 1)] += 0.5
    return out


def _ssim_ms_equal_hv(x, d, max_val, power_factors, filter_size, filter_sigma=1.5):
    """At img1 = img2 every factor is 1 with zero gradient, so H(Π f_k^p_k) = Σ_k p_k·H(f_k), each in the downsampled
    coordinates D_k x: Σ_k p_k·D_kᵀ H_k D_k d, H_k the contrast-structure Hessian (the last scale: SSIM's)."""
    total = np.zeros_like(x)
    my, mx = np.eye(x.shape[0]), np.eye(x.shape[1])
    for k, p in enumerate(power_factors):
        if k:
            my, mx = _halving_matrix(my.shape[0]) @ my, _halving_matrix(mx.shape[0]) @ mx
        xs, ds = np.einsum("oh,pw,hwc->opc", my, mx, x), np.einsum("oh,pw,hwc->opc", my, mx, d)
        hv = _ssim_equal_hv(xs, ds, max_val, filter_size, filter_sigma, luminance=(k == len(power_factors) - 1))
        total += p * np.einsum("oh,pw,opc->hwc", my, mx, hv)
    return total


UNIT = dict(lo=0.0, hi=1.0)

PIS_NAN = KnownBug(
    "at a constant image (and any 1x1x1 image) the second derivative of per_image_standardization is NaN, although near it "
    "y = (x − mean)·√N is linear (std = 0 < 1/√N, the floor applies) and H = 0: reduce_std's sqrt has an infinite slope at "
    "variance 0, and the maximum's zero cotangent times it (SqrtGrad: 0·½/0) is NaN once differentiated again",
    "unreported",
    _code("x = tf.fill([2, 2, 1], 0.7)",
          "with tf.GradientTape() as outer:",
          "    outer.watch(x)",
          "    with tf.GradientTape() as inner:",
          "        inner.watch(x)",
          "        y = tf.image.per_image_standardization(x)",
          "    g = inner.gradient(y, x)",
          "print(outer.gradient(g, x, output_gradients=tf.ones_like(x)))  # expected zeros (linear near here), got nan"),
    checks=SECOND_BUT_FOF, kind="wrong value",
    kind_why="the function is linear near a constant image (H = 0); second order returns NaN",
    related=("https://github.com/tensorflow/tensorflow/issues/56830",),
    searched=("per_image_standardization second derivative NaN constant image reduce_std sqrt gradient",),
    workaround=Workaround('''import tensorflow as tf


def per_image_standardization(image):
    """tf.image.per_image_standardization with the floor taken on the variance, before the square root:
    max(std, 1/√N) = √max(var, 1/N), so the sqrt never sees 0 and every derivative is finite."""
    axes = [-1, -2, -3]
    n = tf.cast(tf.reduce_prod(tf.shape(image)[-3:]), image.dtype)
    mean = tf.reduce_mean(image, axis=axes, keepdims=True)
    var = tf.reduce_mean(tf.square(image - mean), axis=axes, keepdims=True)
    return (image - mean) / tf.sqrt(tf.maximum(var, 1.0 / n))
''', "per_image_standardization"))


PIS_XLA = KnownBug(
    "under XLA the gradient of per_image_standardization at a constant image (or a 1x1x1 image) is NaN, where eagerly it "
    "is 0: the compiled graph multiplies the maximum's zero cotangent by reduce_std's infinite slope at variance 0",
    "unreported",
    _code("@tf.function(jit_compile=True)",
          "def grad(x):",
          "    with tf.GradientTape() as t:",
          "        t.watch(x)",
          "        y = tf.image.per_image_standardization(x)",
          "    return t.gradient(y, x)",
          "print(grad(tf.fill([2, 2, 1], 0.7)))  # expected zeros (as eagerly), got nan"),
    checks=("special_reverse",), modes=("xla",), kind="mode failure",
    kind_why="eager and tf.function return 0 (the function is linear near a constant image); XLA returns NaN",
    related=("https://github.com/tensorflow/tensorflow/issues/56830",),
    searched=("per_image_standardization second derivative NaN constant image reduce_std sqrt gradient",),
    workaround=PIS_NAN.workaround)


def _similar(name, shape, salt=""):
    """An image in [0.2, 0.8] and a distorted copy (noise of ±0.1): positively correlated, as MS-SSIM is meant for."""
    a, noise = _d(name, shape, shape, lo=0.2, hi=0.8, salt=salt)
    return a, as_f32_exact(a + 0.25 * (noise - 0.5))


MS_SSIM_NAN = KnownBug(
    "where a factor of ssim_multiscale is clipped to 0 by its relu (a negative contrast-structure or SSIM mean, e.g. "
    "anticorrelated images), MS-SSIM is 0 in a neighbourhood, but the gradient of pow(relu(v), p) with p < 1 is "
    "p·0^(p−1)·relu'(v) = inf·0 = NaN, and the NaN reaches every pixel (eagerly and in tf.function; under XLA the "
    "compiled gradient is 0)",
    "https://github.com/tensorflow/tensorflow/issues/50400",
    _code("x = tf.reshape(tf.linspace(0.1, 0.9, 64), [1, 8, 8, 1])",
          "y = 1.0 - x",
          "with tf.GradientTape() as t:",
          "    t.watch(x)",
          "    s = tf.image.ssim_multiscale(x, y, 1.0, power_factors=(0.5, 0.5), filter_size=3)",
          "print(s.numpy(), tf.reduce_sum(t.gradient(s, x)).numpy())  # expected 0.0 and 0.0 (MS-SSIM is 0 near here), got 0.0 and nan"),
    checks=POINT_CHECKS + POINT_SECOND, modes=("eager", "function"), kind="wrong value",
    kind_why="MS-SSIM is identically 0 near the point (the relu is clipped), so its gradient is 0; TF returns NaN "
             "(eagerly and in tf.function; XLA's compiled gradient is 0)",
    related=("https://github.com/tensorflow/tensorflow/issues/57493",),
    searched=("tf.image.ssim_multiscale gradient NaN loss negative contrast structure relu pow",),
    workaround=Workaround('''import tensorflow as tf


def ssim_multiscale(img1, img2, max_val, power_factors, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03):
    """tf.image.ssim_multiscale (4-D images) with a zero gradient, not NaN, where a factor's relu clips it to 0: the
    power is taken of 1 there and the result replaced by 0 (the double-where trick). An odd size is padded with
    paddings known when tracing (no tf.cond), so XLA compiles the gradient too."""
    coords = tf.range(filter_size, dtype=img1.dtype) - (filter_size - 1) / 2.0
    g = -0.5 * tf.square(coords) / filter_sigma ** 2
    window = tf.nn.softmax(tf.reshape(g[:, None] + g[None, :], [-1]))
    kernel = tf.tile(tf.reshape(window, [filter_size, filter_size, 1, 1]), [1, 1, img1.shape[-1], 1])
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2

    def reducer(t):
        return tf.nn.depthwise_conv2d(t, kernel, [1, 1, 1, 1], "VALID")

    def safe_pow(value, p):
        positive = value > 0
        return tf.where(positive, tf.pow(tf.where(positive, value, tf.ones_like(value)), p), tf.zeros_like(value))

    x, y, total = img1, img2, 1.0
    for k, p in enumerate(power_factors):
        if k:
            pads = [[0, 0], [0, x.shape[1] % 2], [0, x.shape[2] % 2], [0, 0]]
            x, y = [tf.nn.avg_pool2d(tf.pad(t, pads, mode="SYMMETRIC"), 2, 2, "VALID") for t in (x, y)]
        mx, my = reducer(x), reducer(y)
        luminance = (2 * mx * my + c1) / (mx ** 2 + my ** 2 + c1)
        cs = (2 * reducer(x * y) - 2 * mx * my + c2) / (reducer(x * x + y * y) - mx ** 2 - my ** 2 + c2)
        value = luminance * cs if k == len(power_factors) - 1 else cs
        total = total * safe_pow(tf.reduce_mean(value, [1, 2]), p)
    return tf.reduce_mean(total, -1)
''', "ssim_multiscale"))
MS_SSIM_XLA = KnownBug(
    "XLA cannot compile the gradient of ssim_multiscale where a scale has an odd height or width: the op pads such a "
    "scale inside a tf.cond (SYMMETRIC, to even sizes) with paddings computed from the image's shape. At the first scale "
    "the forward pass compiles (the shape is static) but the cond's gradient reshapes the padded cotangent to the "
    "unpadded shape ('Input to reshape is a tensor with 80 values, but the requested shape has 63'); at a later scale "
    "the shape comes out of the previous cond, the MirrorPad's paddings are no compile-time constant, and not even the "
    "forward pass compiles",
    "https://github.com/tensorflow/tensorflow/issues/59474",
    _code("x = tf.reshape(tf.linspace(0.2, 0.8, 63), [1, 9, 7, 1])  # odd: padded to 10x8 before the second scale",
          "",
          "@tf.function(jit_compile=True)",
          "def grad(a, b):",
          "    with tf.GradientTape() as t:",
          "        t.watch(a)",
          "        s = tf.image.ssim_multiscale(a, b, 1.0, power_factors=(0.5, 0.5), filter_size=2)",
          "    return t.gradient(s, a)",
          "",
          "print(grad(x, x * x))  # expected the gradient that tf.function without jit_compile returns, got "
          "InvalidArgumentError: Input to reshape is a tensor with 80 values, but the requested shape has 63 (with "
          "power_factors=(0.2, 0.3, 0.5), odd at the second scale too: Input 1 to node `MS-SSIM/Scale2/cond/MirrorPad_1` "
          "with op MirrorPad must be a compile-time constant)"),
    checks=("reverse",), modes=("xla",), kind="mode failure", symptom="but the requested shape has",
    kind_why="eager and tf.function differentiate MS-SSIM of odd-sized images; XLA cannot compile it (its tf.cond pads "
             "with shape-dependent paddings, and the cond's gradient reshapes to the wrong size)",
    searched=("ssim_multiscale XLA jit_compile gradient odd image size reshape error",
              "jit_compile gradient of tf.cond whose branches return different shapes pad Input to reshape is a tensor with",
              "Conditional padding issue with jit_compile=True smart_cond fails to pass gradients back padding slicing"),
    workaround=MS_SSIM_NAN.workaround)
# special points are small (forward mode at a point takes one pass per input element): 3x4 and 4x4 images
SSIM_X = as_f32_exact(np.linspace(0.1, 0.9, 12).reshape(3, 4)[:, :, None] ** 1.5)
SSIM_V = as_f32_exact(np.cos(np.arange(12.0)).reshape(3, 4, 1))
MS_X = as_f32_exact(0.5 + 0.4 * np.sin(np.arange(16.0) * 1.9).reshape(4, 4, 1))  # well conditioned: variance 0.03 at 2x2
MS_V = as_f32_exact(np.cos(np.arange(16.0) * 1.3).reshape(4, 4, 1))
SSIM_ZERO, MS_ZERO = np.zeros((1, 3, 4, 1)), np.zeros((1, 4, 4, 1))

METRICS = [
    op("tf.image.per_image_standardization", tf.image.per_image_standardization, [
        Sample((_d("tf.image.per_image_standardization", (2, 3, 2)),), label="2x3x2 (std > 1/√N)"),
        Sample((_d("tf.image.per_image_standardization", (2, 2, 2, 1), salt="b"),), label="2x2x2x1 batch (std > 1/√N)"),
        Sample((_d("tf.image.per_image_standardization", (2, 2, 2), salt="s", lo=0.0, hi=0.2),),
               label="2x2x2 small std (< 1/√8: the floor 1/√N applies)"),
    ], domain="std ≠ 1/√N (the kink of max(std, 1/√N)); float32 whatever the input dtype", points=[
        point("constant image", [np.full((2, 2, 1), 0.7)], [np.zeros((2, 2, 1))], bug=PIS_XLA, why=
              "std = 0 < 1/√N: near it y = (x − mean)·√N, linear, and Σy = 0 for every x: gradient 0, finite",
              second=hvp([np.zeros((2, 2, 1))], "linear near a constant image: H = 0", bug=PIS_NAN)),
        point("1x1x1", [np.full((1, 1, 1), 0.3)], [np.zeros((1, 1, 1))], "N = 1: y = x − mean = 0 for every x", bug=PIS_XLA,
              second=hvp([np.zeros((1, 1, 1))], "y = 0: H = 0", bug=PIS_NAN)),
    ], reference=_standardize_np),
    op("tf.image.psnr", lambda a, b, max_val: tf.image.psnr(a, b, max_val), [
        Sample((*_d("tf.image.psnr", (1, 2, 2, 1), (1, 2, 2, 1), **UNIT), 1.0), label="1x2x2x1 max_val 1"),
        Sample((*_d("tf.image.psnr", (2, 2, 3, 3), (2, 2, 3, 3), salt="b", **UNIT), 2.0), label="2x2x3x3 batch max_val 2"),
        Sample((*_d("tf.image.psnr", (3, 2, 1), (3, 2, 1), salt="c", lo=0.0, hi=255.0), 255.0), label="3x2x1 max_val 255"),
    ], diff=(0, 1), domain="a ≠ b (mse > 0; psnr = +inf at a = b)", points=[
        point("a − b = ±1/4", [[[[0.5], [0.5]]], [[[0.25], [0.75]]], 1.0],
              [[[[-40 / math.log(10)], [40 / math.log(10)]]], [[[40 / math.log(10)], [-40 / math.log(10)]]]],
              "psnr = 20·log10(L) − (10/ln 10)·ln(mse), mse = Σd²/N = 1/16 with d = a − b = (¼, −¼): ∂/∂a = −(10/ln 10)·(2d/N)/mse "
              "= ∓40/ln 10, ∂/∂b = −∂/∂a",
              second=hvp([[[[0.0], [-160 / math.log(10)]]], [[[0.0], [160 / math.log(10)]]]],
                         "H_aa = −(10/ln 10)·[(2/N)I/mse − (2d/N)(2d/N)ᵀ/mse²] = −(10/ln 10)·[[0, 16], [16, 0]], H_ab = −H_aa; "
                         "with v = (e₁ on a, 0 on b): a: −(10/ln 10)·(0, 16), b: the opposite",
                         v=([[[1.0], [0.0]]], [[[0.0], [0.0]]]))),
    ], reference=_psnr_np),
    op("tf.image.ssim", lambda img1, img2, max_val, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03, return_index_map=False:
       tf.image.ssim(img1, img2, max_val, filter_size, filter_sigma, k1, k2, return_index_map), [
        Sample((*_d("tf.image.ssim", (1, 5, 5, 1), (1, 5, 5, 1), **UNIT), 1.0), {"filter_size": 3}, label="1x5x5x1 filter 3"),
        Sample((*_d("tf.image.ssim", (2, 4, 5, 2), (2, 4, 5, 2), salt="b", **UNIT), 1.0), {"filter_size": 4, "filter_sigma": 1.0},
               label="2x4x5x2 filter 4 sigma 1"),
        Sample((*_d("tf.image.ssim", (1, 4, 4, 1), (1, 4, 4, 1), salt="m", **UNIT), 1.0),
               {"filter_size": 3, "return_index_map": True}, label="1x4x4x1 filter 3 return_index_map"),
        Sample((*_d("tf.image.ssim", (1, 3, 3, 1), (1, 3, 3, 1), salt="k", lo=0.0, hi=2.0), 2.0),
               {"filter_size": 3, "k1": 0.05, "k2": 0.1}, label="1x3x3x1 filter 3 (one window) max_val 2 k1 0.05 k2 0.1"),
    ], diff=(0, 1), domain="images in [0, max_val]; smooth everywhere (c1, c2 > 0)", points=[
        point("img1 = img2", [SSIM_X[None], SSIM_X[None], 1.0], [SSIM_ZERO, SSIM_ZERO],
              "SSIM ≤ 1 with equality at img1 = img2 (each window's luminance and contrast-structure terms are ≤ 1 there): an "
              "interior maximum, gradient 0", filter_size=3,
              second=hvp([_ssim_equal_hv(SSIM_X, SSIM_V, 1.0, 3, 1.5)[None], -_ssim_equal_hv(SSIM_X, SSIM_V, 1.0, 3, 1.5)[None]],
                         "at img1 = img2 the Hessian in δ = img1 − img2 is the window average of −2wwᵀ/(2μ² + c1) − 2(diag w − wwᵀ)/"
                         "(2s + c2) (both terms vanish to second order in δ); H = [[H_δ, −H_δ], [−H_δ, H_δ]]; v = (cos k on img1, 0)",
                         v=(SSIM_V[None], SSIM_ZERO))),
    ], reference=_ssim_np),
    op("tf.image.ssim_multiscale", lambda img1, img2, max_val, power_factors, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03:
       tf.image.ssim_multiscale(img1, img2, max_val, power_factors, filter_size, filter_sigma, k1, k2), [
        Sample((*_similar("tf.image.ssim_multiscale", (1, 8, 8, 1)), 1.0, (0.5, 0.5)),
               {"filter_size": 3}, label="1x8x8x1 two scales filter 3"),
        Sample((*_similar("tf.image.ssim_multiscale", (1, 9, 7, 2), salt="o"), 1.0, (0.2, 0.3, 0.5)),
               {"filter_size": 2, "filter_sigma": 1.0}, label="1x9x7x2 three scales (odd sizes padded) filter 2"),
        # the representative sample (second order, tf.function, XLA): small and odd, so XLA meets the padding cond's
        # gradient (MS_SSIM_XLA); nested forward mode traces per op and shape, so two scales cost less than three
        Sample((*_similar("tf.image.ssim_multiscale", (1, 5, 3, 1), salt="r"), 1.0, (0.5, 0.5)), {"filter_size": 2},
               label="1x5x3x1 two scales (odd: padded to 6x4) filter 2"),
    ], diff=(0, 1), domain="images whose contrast-structure and SSIM stay > 0 at every scale (relu kinks at 0, and p < 1 "
                           "powers have an infinite slope there)", points=[
        point("img1 = img2", [MS_X[None], MS_X[None], 1.0, (0.5, 0.5)], [MS_ZERO, MS_ZERO],
              "4x4 images, filter 2: every factor (cs at the first scale, SSIM at the last, 2x2) is 1, its maximum: "
              "gradient 0", filter_size=2,
              second=hvp([_ssim_ms_equal_hv(MS_X, MS_V, 1.0, (0.5, 0.5), 2)[None],
                          -_ssim_ms_equal_hv(MS_X, MS_V, 1.0, (0.5, 0.5), 2)[None]],
                         "each factor is 1 with zero gradient, so H = Σ_k p_k·D_kᵀ H_k D_k (D_k the downsampling, H_k the "
                         "contrast-structure Hessian, SSIM's at the last scale); v = (cos 1.3k on img1, 0)",
                         v=(MS_V[None], MS_ZERO))),
        point("img2 = 1 − img1", [MS_X[None], 1 - MS_X[None], 1.0, (0.5, 0.5)], [MS_ZERO, MS_ZERO],
              "anticorrelated 4x4 images, filter 2: the contrast-structure mean is negative at both scales (−0.98 and "
              "−0.97), so relu clips both factors to 0 in a neighbourhood and MS-SSIM = 0 there: gradient 0",
              filter_size=2, bug=MS_SSIM_NAN, second=hvp([MS_ZERO, MS_ZERO], "MS-SSIM = 0 near this point: H = 0")),
    ], bugs=(MS_SSIM_XLA,), reference=_ssim_ms_np),
]


OPS = RESIZING + CROPS + POOLING + NORMALISATION + METRICS
