"""tf.image: resizing, patches and crops, colour-space conversions, adjustments, edge filters, stateless random ops.

Most of tf.image is linear in the pixels (resizing, crops, flips, patches, YUV/YIQ, Sobel), so finite
differences hold everywhere and the Hessian is 0; the piecewise ops (total_variation, rgb_to_hsv, hsv_to_rgb,
adjust_hue, adjust_saturation) are sampled away from their kinks (ties among channels, hue sector boundaries).
The stateless_random_* ops are deterministic for a given seed: each is the adjustment, crop or flip above with a
parameter drawn from the seed, and is checked as that function of the image.

The ops whose kernels compute only in float32 (tf.image.resize with any method but 'nearest' and every antialias=True
variant, crop_and_resize, per_image_standardization, psnr, ssim, ssim_multiscale) are checked in
spec/atlas/family_float32_kernels.py against a float64 NumPy reference; resize and resize_with_pad keep
method='nearest' here. draw_bounding_boxes, extract_glimpse and the non_max_suppression* score outputs are float32/half
kernels too (and have no gradient); they are that family's to record.

Left out, with the reason: non_max_suppression*, combined_non_max_suppression, generate_bounding_box_proposals and
(stateless_)sample_distorted_bounding_box select boxes (integer indices or box coordinates: no derivative in the
pixels); the stateful random_* ops draw a new value each call (no deterministic value to differentiate); adjust_jpeg_quality
and (stateless_)random_jpeg_quality go through a JPEG codec (uint8 quantization: no gradient); the decode_*/encode_*
ops and is_jpeg/extract_jpeg_shape read or write bytes.
"""
import dataclasses

import numpy as np
import tensorflow as tf

from spec.atlas.family_math_basic import POW_X0, forward_inf
from spec.atlas.records import (POINT_SECOND, Domain, KnownBug, Sample, Workaround, between, distinct, draw, hvp, op,
                                point)

FAMILY = "tf.image: resizing, crops and patches, colour spaces, adjustments, edge filters, stateless random ops"

SECOND = ("reverse_over_reverse", "forward_over_reverse", "reverse_over_forward", "forward_over_forward")
ALL_BUT_GPU = ("reverse", "forward") + SECOND + ("special_reverse", "special_forward", "float32")
PIXELS = "all reals (linear in the pixels)"
LINEAR = "linear in the pixels: H = 0, so H·v = 0 for a tangent v with distinct entries"
EMPTY = "a zero-size batch has no pixels: the gradient (and H·v) is the empty array of its shape"


def _d(name, *shapes, salt="", lo=-2.0, hi=2.0):
    out = draw(name, *shapes, domain=Domain(lo, hi, ""), salt=salt)
    return out[0] if len(out) == 1 else out


def _rgb(name, shape, salt=""):
    """Pixels in (0.05, 0.95) with all values at least 0.05 apart: no ties among a pixel's channels."""
    return distinct(name, shape, lo=0.05, hi=0.95, gap=0.05, salt=salt)


def _tangent(shape) -> np.ndarray:
    """A tangent with distinct entries (a dropped or transposed term cannot hide behind a constant tangent)."""
    n = int(np.prod(shape, dtype=int))
    return ((np.arange(n) * 7 + 3) % 11 - 5).reshape(shape) / 4.0


def lpoint(label, args, grads, why, second_why=LINEAR, **kwargs):
    """A special point where Σf is linear in the differentiable arguments (the first len(grads) of args): H·v = 0."""
    shapes = [np.shape(a) for a in args[:len(grads)]]
    return point(label, args, grads, why, second=hvp([np.zeros(s) for s in shapes], second_why,
                                                    v=[_tangent(s) for s in shapes]), **kwargs)


def _representative_first(entry):
    """The record with its representative sample (the last, the one second order, tf.function and XLA use) moved to
    the front and second_order_sample=0: the same sample is representative, and a workaround's forward-mode check in
    tf.function and XLA (which computes that sample only but pairs results with the samples in order) lines up."""
    return dataclasses.replace(entry, samples=(entry.samples[-1],) + entry.samples[:-1], second_order_sample=0)


PRECISION_SEARCHED = ("tf.image rgb_to_grayscale adjust_brightness float64 converted to float32 precision loss convert_image_dtype",
                      "tensorflow adjust_gamma adjust_brightness float64 image returns float32 precision")


def _float32_compute(name, reproducer, checks, workaround, related=()):
    return KnownBug(f"{name} converts a float64 image to float32 (convert_image_dtype(image, tf.float32), meant for "
                    "integer images, also catches float64), computes in float32 and converts back: the float64 result "
                    "carries float32 rounding, so its differences (and derivatives that use the rounded values) are "
                    "only ~1e-4 accurate", "unreported", reproducer, checks=checks, kind="precision",
                    kind_why="a float64 image is computed in float32 (convert_image_dtype to float32 and back)",
                    related=related, searched=PRECISION_SEARCHED, workaround=workaround)


# ------------------------------------------------------------------------------------------- resizing

NEAREST_WORKAROUND_CODE = '''import numpy as np
import tensorflow as tf


def _nearest(x, size):
    """Nearest-neighbour resizing as two gathers, with TensorFlow's index rule (half-pixel centres, the default of
    tf.image.resize): source index min(floor((i + 0.5)·in/out), in − 1), computed in float32 as the kernel does."""
    def index(n_in, n_out):
        scale = np.float32(n_in / n_out)
        return [min(int(np.floor(np.float32(i + 0.5) * scale)), n_in - 1) for i in range(n_out)]
    rank = len(x.shape)
    x = tf.gather(x, index(x.shape[rank - 3], size[0]), axis=rank - 3)
    return tf.gather(x, index(x.shape[rank - 2], size[1]), axis=rank - 2)
'''

NEAREST_SEARCHED = ("ResizeNearestNeighborGrad gradient not registered second derivative forward mode",)
NEAREST_RELATED = ("https://github.com/tensorflow/tensorflow/issues/38643",)
NEAREST_CHECKS = ("forward", "forward_over_reverse", "reverse_over_forward", "forward_over_forward", "special_forward",
                  "special_forward_over_reverse", "special_reverse_over_forward", "special_forward_over_forward")


def _nearest_forward(workaround):
    return KnownBug(
        "ResizeNearestNeighborGrad (the backward op of nearest-neighbour resizing) has no registered gradient, so "
        "forward mode, which transposes the backward function, raises LookupError although the op is linear in the "
        "pixels",
        "https://github.com/tensorflow/tensorflow/issues/22208",
        "x = tf.ones([1, 1, 2, 1], tf.float64)\nwith tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as acc:\n"
        "    y = tf.image.resize(x, [1, 4], method='nearest')\nprint(acc.jvp(y))  # expected ones (each output copies one "
        "pixel), got LookupError: gradient registry has no entry for: ResizeNearestNeighborGrad",
        checks=NEAREST_CHECKS, kind="mode failure",
        kind_why="reverse mode (and reverse over reverse) works; every composition with forward mode raises LookupError",
        related=NEAREST_RELATED, searched=NEAREST_SEARCHED, workaround=workaround)


NEAREST_FORWARD = _nearest_forward(Workaround(NEAREST_WORKAROUND_CODE + '''

def resize(x, size):
    """tf.image.resize(x, size, method='nearest') as gathers: linear, with gradients in every mode."""
    return _nearest(x, size)
''', "resize"))

NEAREST_PAD_FORWARD = _nearest_forward(Workaround(NEAREST_WORKAROUND_CODE + '''

def resize_with_pad(x, target_height, target_width):
    """tf.image.resize_with_pad(x, h, w, method='nearest'): scale by the smaller ratio (TensorFlow's arithmetic),
    resize by gathers, then tf.image.pad_to_bounding_box."""
    height, width = x.shape[-3], x.shape[-2]
    ratio = max(width / target_width, height / target_height)
    resized_height, resized_width = int(np.floor(height / ratio)), int(np.floor(width / ratio))
    pad_height = max(0, int(np.floor((target_height - height / ratio) / 2)))
    pad_width = max(0, int(np.floor((target_width - width / ratio) / 2)))
    resized = _nearest(x, (resized_height, resized_width))
    return tf.image.pad_to_bounding_box(resized, pad_height, pad_width, target_height, target_width)
''', "resize_with_pad"))

NEAREST_XLA = "XLA cannot compile ResizeNearestNeighborGrad, the backward of nearest resizing (no XLA_CPU_JIT kernel)"


def _resize(x, size):
    return tf.image.resize(x, size, method="nearest")


RESIZING = [
    op("tf.image.resize", _resize, [
        Sample((_d("tf.image.resize", (1, 2, 3, 2)), [4, 5]), label="1x2x3x2 -> 4x5 nearest"),
        Sample((_d("tf.image.resize", (4, 5, 1), salt="d"), [2, 3]), label="4x5x1 -> 2x3 nearest (no batch)"),
    ], domain=PIXELS + "; only method='nearest' keeps float64 (every other method returns float32, as documented)",
       points=[
        lpoint("1x2 -> 1x4", [np.ones((1, 1, 2, 1)), [1, 4]], [np.full((1, 1, 2, 1), 2.0)], "each input pixel is copied to two outputs"),
        lpoint("1x1 -> 3x3", [np.ones((1, 1, 1, 1)), [3, 3]], [np.full((1, 1, 1, 1), 9.0)], "the one pixel is copied to all 9 outputs"),
        lpoint("zero-size batch 0x2x2x1 -> 4x4", [np.zeros((0, 2, 2, 1)), [4, 4]], [np.zeros((0, 2, 2, 1))], EMPTY),
    ], bugs=(NEAREST_FORWARD,), skips={"xla": NEAREST_XLA}),
    op("tf.image.resize_with_pad", lambda x, h, w: tf.image.resize_with_pad(x, h, w, method="nearest"), [
        Sample((_d("tf.image.resize_with_pad", (1, 2, 4, 1)), 4, 4), label="1x2x4x1 -> 4x4 nearest (pads rows)"),
        Sample((_d("tf.image.resize_with_pad", (3, 2, 2), salt="n"), 4, 6), label="3x2x2 -> 4x6 nearest (pads columns)"),
    ], domain=PIXELS + "; only method='nearest' keeps float64", points=[
        lpoint("1x2 -> 2x6", [np.ones((1, 1, 2, 1)), 2, 6], [np.full((1, 1, 2, 1), 4.0)],
               "scaled by 2 to 2x4 (each pixel copied to a 2x2 block), then padded with a zero column on each side"),
    ], bugs=(NEAREST_PAD_FORWARD,), skips={"xla": NEAREST_XLA}),
    op("tf.image.resize_with_crop_or_pad", tf.image.resize_with_crop_or_pad, [
        Sample((_d("tf.image.resize_with_crop_or_pad", (4, 3, 2)), 2, 5), label="4x3x2 -> 2x5 (crop rows, pad columns)"),
        Sample((_d("tf.image.resize_with_crop_or_pad", (1, 2, 5, 1), salt="b"), 4, 3), label="1x2x5x1 -> 4x3"),
    ], domain=PIXELS, points=[
        lpoint("3x3 -> 1x1", [np.ones((3, 3, 1)), 1, 1], [[[[0.0], [0.0], [0.0]], [[0.0], [1.0], [0.0]], [[0.0], [0.0], [0.0]]]],
               "a centred 1x1 crop keeps only the middle pixel"),
        lpoint("zero-size batch 0x3x3x1 -> 2x2", [np.zeros((0, 3, 3, 1)), 2, 2], [np.zeros((0, 3, 3, 1))], EMPTY),
    ]),
]

# ---------------------------------------------------------------------------------- crops, flips, patches

ROT90_WORKAROUND = Workaround('''import tensorflow as tf


def rot90(x, k=1):
    """tf.image.rot90 for a Python int k, chosen in Python instead of by tf.case: k = 1 reverses the width then swaps
    height and width, k = 2 reverses both, k = 3 swaps then reverses the width (the same rotations)."""
    k %= 4
    h, w = len(x.shape) - 3, len(x.shape) - 2
    perm = list(range(len(x.shape)))
    perm[h], perm[w] = w, h
    if k == 1:
        return tf.transpose(tf.reverse(x, [w]), perm)
    if k == 2:
        return tf.reverse(x, [h, w])
    if k == 3:
        return tf.reverse(tf.transpose(x, perm), [w])
    return x
''', "rot90")


def _structural(name, fn, shapes, points=(), **extra):
    return op(name, fn, [Sample((_d(name, shape, salt=str(i)),), label="x".join(map(str, shape)) + (" batch" if len(shape) == 4 else ""))
                         for i, shape in enumerate(shapes)], domain=PIXELS, points=points, **extra)


def _permutation_points(shape3=(1, 1, 2), shape4=(0, 2, 2, 1)):
    """A 1x1 image (a permutation of one pixel: gradient 1) and a zero-size batch."""
    return [lpoint("1x1 image", [np.full(shape3, 2.0)], [np.ones(shape3)], "every pixel appears once in the output: gradient 1"),
            lpoint("zero-size batch", [np.zeros(shape4)], [np.zeros(shape4)], EMPTY)]


STRUCTURAL = [
    _structural("tf.image.flip_left_right", tf.image.flip_left_right, [(2, 3, 2), (2, 2, 3, 1)], _permutation_points()),
    _structural("tf.image.flip_up_down", tf.image.flip_up_down, [(3, 2, 2), (2, 3, 2, 1)], _permutation_points()),
    op("tf.image.rot90", lambda x, k=1: tf.image.rot90(x, k), [
        Sample((_d("tf.image.rot90", (2, 3, 2)),), label="2x3x2 k=1"),
        Sample((_d("tf.image.rot90", (2, 3, 2), salt="2"),), {"k": 2}, label="2x3x2 k=2"),
        Sample((_d("tf.image.rot90", (2, 2, 3, 1), salt="3"),), {"k": 3}, label="2x2x3x1 batch k=3"),
    ], domain=PIXELS, points=_permutation_points(), bugs=(KnownBug(
        "rot90 picks the rotation with a tf.case on k (cond_v2); inside a tf.function, forward mode through that cond "
        "fails an internal assertion (cond_v2._resolve_grad_inputs: assert t.graph == cond_graph, the assertion "
        "#44598 hits for a GradientTape), so the JVP raises a bare AssertionError", "unreported",
        "x = tf.ones([2, 3, 2], tf.float64)\n@tf.function\ndef jvp(x):\n"
        "    with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as acc:\n        y = tf.image.rot90(x, 1)\n"
        "    return acc.jvp(y)\nprint(jvp(x))  # expected ones of shape (3, 2, 2) (as eagerly), got AssertionError",
        checks=("forward",), modes=("function", "xla"), kind="mode failure",
        kind_why="eager forward mode and reverse mode work; forward mode through rot90's tf.case in a tf.function raises",
        related=("https://github.com/tensorflow/tensorflow/issues/44598",),
        searched=("ForwardAccumulator tf.cond inside tf.function AssertionError _resolve_grad_inputs cond_graph",),
        workaround=ROT90_WORKAROUND), KnownBug(
        "under jit_compile the tf.case in rot90 gets the bounded shape of its two branch shapes (a 2x3 image rotated by "
        "k = 1 or 3 is 3x2, by k = 0 or 2 is 2x3, so 3x3), and the reverse gradient's BroadcastGradientArgs meets "
        "that shape: InvalidArgumentError 'Incompatible shapes: [3,3,2] vs. [3,2,2]'",
        "https://github.com/tensorflow/tensorflow/issues/59474",
        "x = tf.ones([2, 3, 2], tf.float64)\n@tf.function(jit_compile=True)\ndef grad(x):\n"
        "    with tf.GradientTape() as t:\n        t.watch(x)\n        y = tf.image.rot90(x, 1) * tf.ones([3, 2, 2], tf.float64)\n"
        "    return t.gradient(y, x)\nprint(grad(x))  # expected ones (as eagerly), got InvalidArgumentError: Incompatible "
        "shapes: [3,3,2] vs. [3,2,2]", checks=("reverse",), modes=("xla",), kind="mode failure",
        kind_why="eager and tf.function reverse mode work; under XLA the gradient through rot90's tf.case meets a merged shape",
        related=("https://github.com/tensorflow/tensorflow/issues/57705",),
        searched=("tf.image.rot90 jit_compile gradient Incompatible shapes tf.case",), workaround=ROT90_WORKAROUND))),
    _structural("tf.image.transpose", tf.image.transpose, [(2, 3, 2), (2, 2, 3, 1)], _permutation_points()),
    op("tf.image.central_crop", tf.image.central_crop, [
        Sample((_d("tf.image.central_crop", (4, 4, 1)), 0.5), label="4x4x1 fraction 0.5"),
        Sample((_d("tf.image.central_crop", (1, 5, 4, 1), salt="b"), 0.6), label="1x5x4x1 fraction 0.6"),
    ], domain=PIXELS, points=[
        lpoint("4x4 fraction 0.5", [np.ones((4, 4, 1)), 0.5],
               [np.pad(np.ones((2, 2, 1)), ((1, 1), (1, 1), (0, 0)))], "the central 2x2 is kept (slope 1), the rest dropped"),
        lpoint("zero-size batch 0x4x4x1 fraction 0.5", [np.zeros((0, 4, 4, 1)), 0.5], [np.zeros((0, 4, 4, 1))], EMPTY),
    ]),
    op("tf.image.pad_to_bounding_box", tf.image.pad_to_bounding_box, [
        Sample((_d("tf.image.pad_to_bounding_box", (2, 3, 2)), 1, 2, 4, 6), label="2x3x2 at (1, 2) in 4x6"),
        Sample((_d("tf.image.pad_to_bounding_box", (1, 2, 2, 1), salt="b"), 0, 1, 3, 3), label="1x2x2x1 at (0, 1) in 3x3"),
    ], domain=PIXELS, points=[
        lpoint("1x1 at (1, 2) in 2x3", [np.ones((1, 1, 1)), 1, 2, 2, 3], [np.ones((1, 1, 1))],
               "the pixel is copied once into the padded image: gradient 1"),
    ]),
    op("tf.image.crop_to_bounding_box", tf.image.crop_to_bounding_box, [
        Sample((_d("tf.image.crop_to_bounding_box", (4, 5, 1)), 1, 2, 2, 3), label="4x5x1 crop 2x3 at (1, 2)"),
        Sample((_d("tf.image.crop_to_bounding_box", (1, 3, 4, 2), salt="b"), 0, 1, 3, 2), label="1x3x4x2 crop 3x2 at (0, 1)"),
    ], domain=PIXELS, points=[
        lpoint("3x3 crop 1x2 at (1, 1)", [np.ones((3, 3, 1)), 1, 1, 1, 2],
               [[[[0.0], [0.0], [0.0]], [[0.0], [1.0], [1.0]], [[0.0], [0.0], [0.0]]]], "the kept pixels get slope 1"),
        lpoint("3x3 crop 1x1 at (2, 0)", [np.ones((3, 3, 1)), 2, 0, 1, 1],
               [[[[0.0], [0.0], [0.0]], [[0.0], [0.0], [0.0]], [[1.0], [0.0], [0.0]]]], "only the corner pixel is kept"),
    ]),
    op("tf.image.extract_patches", lambda x, sizes, strides, rates, padding:
       tf.image.extract_patches(x, sizes, strides, rates, padding), [
        Sample((_d("tf.image.extract_patches", (1, 4, 4, 1)), [1, 2, 2, 1], [1, 1, 1, 1], [1, 1, 1, 1], "VALID"),
               label="1x4x4x1 2x2 patches stride 1 VALID (overlapping)"),
        Sample((_d("tf.image.extract_patches", (1, 3, 4, 2), salt="s"), [1, 2, 2, 1], [1, 2, 2, 1], [1, 1, 1, 1], "SAME"),
               label="1x3x4x2 2x2 patches stride 2 SAME"),
        Sample((_d("tf.image.extract_patches", (1, 4, 5, 1), salt="r"), [1, 2, 2, 1], [1, 1, 1, 1], [1, 2, 2, 1], "VALID"),
               label="1x4x5x1 2x2 patches rates 2 VALID"),
    ], domain=PIXELS, points=[
        lpoint("3x3 overlapping 2x2", [np.ones((1, 3, 3, 1)), (1, 2, 2, 1), (1, 1, 1, 1), (1, 1, 1, 1), "VALID"],
               [np.array([1.0, 2.0, 1.0, 2.0, 4.0, 2.0, 1.0, 2.0, 1.0]).reshape(1, 3, 3, 1)],
               "each pixel is copied once per patch containing it: corners 1, edges 2, centre 4"),
        lpoint("zero-size batch 0x3x3x1", [np.zeros((0, 3, 3, 1)), (1, 2, 2, 1), (1, 1, 1, 1), (1, 1, 1, 1), "VALID"],
               [np.zeros((0, 3, 3, 1))], EMPTY),
    ]),
    op("tf.image.convert_image_dtype", lambda x, saturate=False: tf.image.convert_image_dtype(x, x.dtype, saturate=saturate), [
        Sample((_d("tf.image.convert_image_dtype", (2, 3), lo=0.0, hi=1.0),), label="2x3 to its own dtype"),
        Sample((_d("tf.image.convert_image_dtype", (4,), lo=0.0, hi=1.0, salt="s"),), {"saturate": True}, label="4 saturate=True"),
    ], domain="floating images in [0, 1] (the atlas compares dtypes pairwise, so only the float-to-same-float "
              "conversion, the identity, fits it)", points=[
        lpoint("x=(0,1)", [[0.0, 1.0]], [[1.0, 1.0]], "a float-to-float conversion is the identity on the values"),
    ]),
]

# ----------------------------------------------------------------------------------------- colour spaces

# the conversion matrices as TensorFlow defines them (image_ops_impl.py, rows = input channel r, g, b)
YUV = np.array([[0.299, -0.14714119, 0.61497538], [0.587, -0.28886916, -0.51496512], [0.114, 0.43601035, -0.10001026]])
YIQ = np.array([[0.299, 0.59590059, 0.2115], [0.587, -0.27455667, -0.52273617], [0.114, -0.32134392, 0.31119955]])


def _linear_colour(name, fn, matrix=None, what=""):
    """A fixed 3x3 colour matrix; the inverse conversions use TensorFlow's 8-digit rounding of the inverse matrix,
    so only the forward ones get a closed-form point."""
    points = [] if matrix is None else [
        lpoint("one pixel", [[0.5, 0.25, 0.75]], [matrix.sum(axis=1)], f"the {what} matrix: ∂Σout/∂in_c is the sum of row c")]
    return op(name, fn, [
        Sample((_d(name, (2, 3)),), label="2 pixels"),
        Sample((_d(name, (1, 2, 2, 3), salt="b"),), label="1x2x2x3 image"),
    ], domain=PIXELS, points=points)


HSV_TO_RGB_CODE = '''def _hsv_to_rgb(hsv):
    """HSV to RGB in differentiable ops: piecewise linear in the hue (the sector ramps), bilinear in s and v."""
    h, s, v = tf.unstack(hsv, axis=-1)
    dh = 6.0 * h
    ramps = (tf.clip_by_value(tf.abs(dh - 3.0) - 1.0, 0.0, 1.0), tf.clip_by_value(2.0 - tf.abs(dh - 2.0), 0.0, 1.0),
             tf.clip_by_value(2.0 - tf.abs(dh - 4.0), 0.0, 1.0))
    return tf.stack([((ramp - 1.0) * s + 1.0) * v for ramp in ramps], axis=-1)
'''

HSV_TO_RGB_BUG = KnownBug(
    "HSVToRGB is registered NotDifferentiable (image_ops_impl.py), so the tape returns None (zeros with "
    "unconnected_gradients=ZERO) although hsv_to_rgb is piecewise linear in h and bilinear in s, v: a silent zero "
    "gradient, and a zero second derivative", "https://github.com/tensorflow/tensorflow/issues/21510",
    "hsv = tf.constant([1 / 12, 0.5, 0.8], tf.float64)\nwith tf.GradientTape() as t:\n    t.watch(hsv)\n"
    "    rgb = tf.image.hsv_to_rgb(hsv)\nprint(t.gradient(rgb, hsv))  # expected [2.4, -1.2, 2.25], got None",
    checks=("reverse", "forward", "special_reverse", "special_forward") + POINT_SECOND, kind="missing gradient",
    kind_why="registered NotDifferentiable: the tape returns None although the conversion is piecewise polynomial",
    searched=("hsv_to_rgb gradient None NotDifferentiable HSVToRGB",),
    workaround=Workaround("import tensorflow as tf\n\n\n" + HSV_TO_RGB_CODE + '''

def hsv_to_rgb(images):
    """tf.image.hsv_to_rgb with gradients: the same conversion written in differentiable ops."""
    return _hsv_to_rgb(images)
''', "hsv_to_rgb"))


def _hsv(name, shape, salt=""):
    """Hues away from the sector boundaries k/6 (margin ≥ 0.03), saturations and values in (0.1, 0.9)."""
    rng = np.random.default_rng(len(name) + 31 * int(np.prod(shape)) + len(salt))
    n = int(np.prod(shape[:-1]))
    sector = rng.integers(0, 6, n)
    hue = (sector + rng.uniform(0.2, 0.8, n)) / 6.0
    sv = rng.uniform(0.1, 0.9, (n, 2))
    hsv = np.concatenate([hue[:, None], sv], axis=1).reshape(shape)
    return hsv.astype(np.float32).astype(np.float64)


def _rgb_to_hsv_hessian(r, g, b):
    """∇²(h + s + v) where max = r > g > b = min: h = N/(6D) (N = g − b, D = r − b), s = 1 − b/r, v = r."""
    dd, nn = r - b, g - b
    hue = np.array([[nn / (3 * dd ** 3), -1 / (6 * dd ** 2), (dd - 2 * nn) / (6 * dd ** 3)],
                    [-1 / (6 * dd ** 2), 0.0, 1 / (6 * dd ** 2)],
                    [(dd - 2 * nn) / (6 * dd ** 3), 1 / (6 * dd ** 2), (g - r) / (3 * dd ** 3)]])
    sat = np.array([[-2 * b / r ** 3, 0.0, 1 / r ** 2], [0.0, 0.0, 0.0], [1 / r ** 2, 0.0, 0.0]])
    return hue + sat


GRAY_REPRO = ("x = tf.constant([[0.1, 0.2, 0.3]], tf.float64)\n"
              "print(tf.image.rgb_to_grayscale(x).numpy()[0, 0] - (0.2989 * 0.1 + 0.587 * 0.2 + 0.114 * 0.3))"
              "  # expected ~1e-17, got 4.1e-09 (float32 rounding)")
GRAY_WORKAROUND = Workaround('''import tensorflow as tf


def rgb_to_grayscale(images):
    """tf.image.rgb_to_grayscale in the image's own dtype: the documented ITU-R 601-2 luma weights."""
    weights = tf.constant([0.2989, 0.587, 0.114], images.dtype)
    return tf.reduce_sum(images * weights, axis=-1, keepdims=True)
''', "rgb_to_grayscale")
HSV_V = np.array([1.0, -2.0, 0.5])

COLOUR = [
    op("tf.image.rgb_to_grayscale", tf.image.rgb_to_grayscale, [
        Sample((_rgb("tf.image.rgb_to_grayscale", (2, 3)),), label="2 pixels"),
        Sample((_rgb("tf.image.rgb_to_grayscale", (1, 2, 2, 3), salt="b"),), label="1x2x2x3 image"),
    ], domain=PIXELS, points=[
        lpoint("one pixel", [[0.5, 0.25, 0.75]], [[0.2989, 0.587, 0.114]],
               "the ITU-R 601-2 luma weights the docstring names: y = 0.2989 r + 0.587 g + 0.114 b",
               bug=_float32_compute("rgb_to_grayscale", GRAY_REPRO, ("special_reverse", "special_forward"), GRAY_WORKAROUND)),
        lpoint("zero-size batch 0x2x2x3", [np.zeros((0, 2, 2, 3))], [np.zeros((0, 2, 2, 3))], EMPTY),
    ], bugs=(_float32_compute("rgb_to_grayscale", GRAY_REPRO, ("reverse", "forward"), GRAY_WORKAROUND),)),
    op("tf.image.grayscale_to_rgb", tf.image.grayscale_to_rgb, [
        Sample((_d("tf.image.grayscale_to_rgb", (2, 1)),), label="2 pixels"),
        Sample((_d("tf.image.grayscale_to_rgb", (1, 2, 2, 1), salt="b"),), label="1x2x2x1 image"),
    ], domain=PIXELS, points=[
        lpoint("one pixel", [[[0.5]]], [[[3.0]]], "the grey value is copied to 3 channels"),
    ]),
    _linear_colour("tf.image.rgb_to_yuv", tf.image.rgb_to_yuv, YUV, "BT.601 YUV"),
    _linear_colour("tf.image.yuv_to_rgb", tf.image.yuv_to_rgb),
    _linear_colour("tf.image.rgb_to_yiq", tf.image.rgb_to_yiq, YIQ, "NTSC YIQ"),
    _linear_colour("tf.image.yiq_to_rgb", tf.image.yiq_to_rgb),
    op("tf.image.rgb_to_hsv", tf.image.rgb_to_hsv, [
        Sample((_rgb("tf.image.rgb_to_hsv", (2, 3)),), label="2 pixels"),
        Sample((_rgb("tf.image.rgb_to_hsv", (1, 2, 2, 3), salt="b"),), label="1x2x2x3 image"),
    ], domain="pixels with three distinct channels and max > 0 (hue jumps where the two smaller channels swap "
              "under the largest; every ratio kinks where the order changes)", points=[
        point("r > g > b", [[0.8, 0.4, 0.2]], [[1 - 0.2 / 2.16 + 0.2 / 0.64, 1 / 3.6, -0.4 / 2.16 - 1.25]],
              "max = r, min = b: h = (g − b)/(6(r − b)), s = (r − b)/r, v = r; ∂/∂r = −(g − b)/(6(r − b)²) + b/r² + 1, "
              "∂/∂g = 1/(6(r − b)), ∂/∂b = (g − r)/(6(r − b)²) − 1/r",
              second=hvp([_rgb_to_hsv_hessian(0.8, 0.4, 0.2) @ HSV_V],
                         "with N = g − b, D = r − b: ∂²h/∂r² = N/(3D³), ∂²h/∂r∂g = −1/(6D²), ∂²h/∂r∂b = (D − 2N)/(6D³), "
                         "∂²h/∂g∂b = 1/(6D²), ∂²h/∂b² = (g − r)/(3D³), ∂²h/∂g² = 0; s = 1 − b/r: ∂²s/∂r² = −2b/r³, "
                         "∂²s/∂r∂b = 1/r²; v = r is linear", v=[HSV_V])),
    ]),
    op("tf.image.hsv_to_rgb", tf.image.hsv_to_rgb, [
        Sample((_hsv("tf.image.hsv_to_rgb", (2, 3)),), label="2 pixels"),
        Sample((_hsv("tf.image.hsv_to_rgb", (1, 2, 2, 3), salt="b"),), label="1x2x2x3 image"),
    ], domain="h in [0, 1) away from the sector boundaries k/6, s and v in [0, 1]", points=[
        point("h=1/12 s=0.5 v=0.8", [[1 / 12, 0.5, 0.8]], [[2.4, -1.2, 2.25]],
              "sector 0: (r, g, b) = (v, v(1 − s) + 6hvs, v(1 − s)), Σ = v(3 − 2s) + 6hvs: ∂/∂h = 6vs, "
              "∂/∂s = −2v + 6hv = −1.2, ∂/∂v = 3 − 2s + 6hs = 2.25",
              second=hvp([np.array([[0.0, 4.8, 3.0], [4.8, 0.0, -1.5], [3.0, -1.5, 0.0]]) @ HSV_V],
                         "Σ = v(3 − 2s) + 6hvs: ∂²/∂h∂s = 6v = 4.8, ∂²/∂h∂v = 6s = 3, ∂²/∂s∂v = −2 + 6h = −1.5, the diagonal 0",
                         v=[HSV_V])),
    ], bugs=(HSV_TO_RGB_BUG,)),
]

# ------------------------------------------------------------------------------------------- adjustments

NO_GRADIENT_ISSUE = "https://github.com/tensorflow/tensorflow/issues/126083"
NO_GRADIENT_CHECKS = ALL_BUT_GPU + POINT_SECOND

CONTRAST_CODE = '''def _adjust_contrast(images, contrast_factor):
    """(x − mean)·factor + mean per image and channel, the mean over the two spatial axes (as AdjustContrastv2)."""
    mean = tf.reduce_mean(images, axis=[-3, -2], keepdims=True)
    return (images - mean) * tf.cast(contrast_factor, images.dtype) + mean
'''
HUE_SATURATION_CODE = HSV_TO_RGB_CODE + '''

def _adjust_hue(image, delta):
    """Shift the hue by delta (mod 1) in HSV, as AdjustHue, with tf.image.rgb_to_hsv (which has a gradient)."""
    h, s, v = tf.unstack(tf.image.rgb_to_hsv(image), axis=-1)
    h = tf.math.floormod(h + tf.cast(delta, image.dtype), 1.0)
    return _hsv_to_rgb(tf.stack([h, s, v], axis=-1))


def _adjust_saturation(image, saturation_factor):
    """Scale the saturation by the factor, clipped to [0, 1], as AdjustSaturation."""
    h, s, v = tf.unstack(tf.image.rgb_to_hsv(image), axis=-1)
    s = tf.clip_by_value(s * tf.cast(saturation_factor, image.dtype), 0.0, 1.0)
    return _hsv_to_rgb(tf.stack([h, s, v], axis=-1))
'''


def _no_gradient(raw, call, expected, workaround):
    return KnownBug(f"{raw} has no registered gradient, so every derivative raises LookupError although the op is "
                    "differentiable (a nightly registers AdjustContrastv2's; hue and saturation are still open)",
                    NO_GRADIENT_ISSUE,
                    f"x = tf.constant([[[0.2, 0.5, 0.7], [0.9, 0.4, 0.1]]], tf.float64)\nwith tf.GradientTape() as t:\n"
                    f"    t.watch(x)\n    y = {call}\nprint(t.gradient(y, x))  # expected {expected}, got LookupError: "
                    f"gradient registry has no entry for: {raw}", checks=NO_GRADIENT_CHECKS, kind="missing gradient",
                    kind_why="no registered gradient: the tape raises LookupError although the adjustment is smooth "
                             "away from its kinks",
                    searched=("gradient registry has no entry for AdjustContrastv2 AdjustHue AdjustSaturation",),
                    workaround=workaround)


def _hsv_to_rgb_np(hsv):
    h, s, v = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    c = v * s
    x = c * (1 - np.abs((6 * h) % 2 - 1))
    m = v - c
    sector = np.floor(6 * h).astype(int) % 6
    table = [(c, x, 0 * c), (x, c, 0 * c), (0 * c, c, x), (0 * c, x, c), (x, 0 * c, c), (c, 0 * c, x)]
    rgb = np.stack([np.choose(sector, [t[k] for t in table]) for k in range(3)], axis=-1)
    return rgb + m[..., None]


def _hue_safe(name, shape, delta):
    """RGB pixels whose hue h and shifted hue h + delta both stay ≥ 0.2/6 inside a sector (s, v in (0.3, 0.9))."""
    rng = np.random.default_rng(len(name) * 13 + int(np.prod(shape)))
    n = int(np.prod(shape[:-1]))
    hsv = []
    while len(hsv) < n:
        h = rng.uniform(0.0, 1.0)
        if all(0.2 < (6 * ((h + d) % 1.0)) % 1.0 < 0.8 for d in (0.0, delta)):
            hsv.append([h, rng.uniform(0.3, 0.9), rng.uniform(0.3, 0.9)])
    return _hsv_to_rgb_np(np.asarray(hsv)).reshape(shape).astype(np.float32).astype(np.float64)


BRIGHTNESS_REPRO = ("x = tf.constant([0.1], tf.float64)\nprint(tf.image.adjust_brightness(x, 0.2).numpy()[0] - 0.3)"
                    "  # expected ~1e-17, got 1.2e-08 (float32 rounding)")
GAMMA_REPRO = ("x = tf.constant([0.3], tf.float64)\nprint(tf.image.adjust_gamma(x, 2.0).numpy()[0] - 0.09)"
               "  # expected ~1e-17, got 3.6e-09 (float32 rounding)")
GAMMA_V = np.array([1.0, -2.0])

#: adjust_gamma is gain·x^γ through tf.math.pow, so it inherits PowGrad's NaN at x = 0 (here the third derivative of x²)
GAMMA_POW_X0 = dataclasses.replace(
    POW_X0, summary="tf.image.adjust_gamma(x, 2) is x² through tf.math.pow, whose gradient y·x^(y−1) makes the third "
    "derivative at x = 0 2·1·0·0^(−1) = NaN, although x² has third derivative 0 everywhere", checks=("special_third",),
    reproducer="\n".join(("import tensorflow as tf", "x = tf.constant(0.0, tf.float64)",
                          "with tf.GradientTape() as t3:", "    t3.watch(x)", "    with tf.GradientTape() as t2:",
                          "        t2.watch(x)", "        with tf.GradientTape() as t1:", "            t1.watch(x)",
                          "            y = tf.image.adjust_gamma(x, 2.0)", "        g1 = t1.gradient(y, x)",
                          "    g2 = t2.gradient(g1, x)", "print(t3.gradient(g2, x))  # expected 0.0 (the third derivative of x² is 0), got nan")),
    workaround=Workaround(POW_X0.workaround.code + '''

def adjust_gamma(x, gamma=1.0, gain=1.0):
    """tf.image.adjust_gamma of a float image in its own dtype, gain·x^gamma, with the power from pow above."""
    return gain * pow(x, tf.cast(gamma, x.dtype))
''', "adjust_gamma"))

ADJUSTMENTS = [
    op("tf.image.adjust_brightness", tf.image.adjust_brightness, [
        Sample(tuple(_d("tf.image.adjust_brightness", (2, 2, 3), ())), label="2x2x3 delta scalar"),
        Sample(tuple(_d("tf.image.adjust_brightness", (1, 2, 3, 2), (), salt="b")), label="1x2x3x2 delta scalar"),
    ], diff=(0, 1), domain=PIXELS, points=[
        lpoint("2x3", [np.zeros((2, 3)), 0.5], [np.ones((2, 3)), 6.0], "image + delta: ∂/∂image = 1, ∂/∂delta = number of pixels"),
        lpoint("zero-size batch 0x2x2x3", [np.zeros((0, 2, 2, 3)), 0.5], [np.zeros((0, 2, 2, 3)), 0.0],
               "no pixels: the image gradient is empty and ∂/∂delta = the number of pixels = 0"),
    ], bugs=(_float32_compute("adjust_brightness", BRIGHTNESS_REPRO, ("reverse", "forward"), Workaround('''import tensorflow as tf


def adjust_brightness(image, delta):
    """tf.image.adjust_brightness of a float image in its own dtype: image + delta."""
    return image + tf.cast(delta, image.dtype)
''', "adjust_brightness")),)),
    op("tf.image.adjust_contrast", tf.image.adjust_contrast, [
        Sample((_d("tf.image.adjust_contrast", (2, 2, 3)), 1.5), label="2x2x3 factor 1.5"),
        Sample((_d("tf.image.adjust_contrast", (1, 2, 3, 2), salt="b"), 0.5), label="1x2x3x2 factor 0.5"),
    ], domain=PIXELS + " (the factor is a float32 input of the op: a float64 factor tensor is rejected)", points=[
        lpoint("any image", [[[[0.2, 0.5], [0.9, 0.1]]]], [np.ones((1, 2, 2))],
               "(x − m)·f + m per channel: Σ over pixels of (x − m) is 0, so Σ out = Σ x: ∂/∂x = 1",
               contrast_factor=1.5),
    ], bugs=(_no_gradient("AdjustContrastv2", "tf.image.adjust_contrast(x, 1.5)", "ones (Σ out = Σ x)",
                          Workaround("import tensorflow as tf\n\n\n" + CONTRAST_CODE + '''

def adjust_contrast(images, contrast_factor):
    """tf.image.adjust_contrast in differentiable ops."""
    return _adjust_contrast(images, contrast_factor)
''', "adjust_contrast")),)),
    op("tf.image.adjust_saturation", tf.image.adjust_saturation, [
        Sample((_rgb("tf.image.adjust_saturation", (2, 2, 3)), 0.5), label="2x2x3 factor 0.5"),
        Sample((_rgb("tf.image.adjust_saturation", (1, 2, 1, 3), salt="b"), 0.75), label="1x2x1x3 factor 0.75"),
    ], domain="pixels with three distinct channels; factor·saturation < 1 (no clipping)", points=[
        lpoint("factor 1", [[[[0.2, 0.5, 0.7]]]], [[[[1.0, 1.0, 1.0]]]], "factor 1 leaves every pixel unchanged: the identity",
               second_why="factor 1 is the identity on a neighbourhood of the pixel: H = 0", saturation_factor=1.0),
    ], bugs=(_no_gradient("AdjustSaturation", "tf.image.adjust_saturation(x, 1.0)", "ones (the identity)",
                          Workaround("import tensorflow as tf\n\n\n" + HUE_SATURATION_CODE + '''

def adjust_saturation(image, saturation_factor):
    """tf.image.adjust_saturation in differentiable ops (HSV round trip with a differentiable HSV to RGB)."""
    return _adjust_saturation(image, saturation_factor)
''', "adjust_saturation")),)),
    op("tf.image.adjust_hue", tf.image.adjust_hue, [
        Sample((_hue_safe("tf.image.adjust_hue", (2, 2, 3), 0.1), 0.1), label="2x2x3 delta 0.1"),
        Sample((_hue_safe("tf.image.adjust_hue b", (1, 2, 1, 3), -0.25), -0.25), label="1x2x1x3 delta -0.25"),
    ], domain="pixels whose hue, before and after the shift, stays inside a sector of width 1/6", points=[
        lpoint("delta 0", [[[[0.2, 0.5, 0.7]]]], [[[[1.0, 1.0, 1.0]]]], "a zero hue shift is the identity",
               second_why="delta 0 is the identity on a neighbourhood of the pixel: H = 0", delta=0.0),
    ], bugs=(_no_gradient("AdjustHue", "tf.image.adjust_hue(x, 0.0)", "ones (the identity)",
                          Workaround("import tensorflow as tf\n\n\n" + HUE_SATURATION_CODE + '''

def adjust_hue(image, delta):
    """tf.image.adjust_hue in differentiable ops (HSV round trip with a differentiable HSV to RGB)."""
    return _adjust_hue(image, delta)
''', "adjust_hue")),)),
    op("tf.image.adjust_gamma", lambda x, gamma=1.0, gain=1.0: tf.image.adjust_gamma(x, gamma, gain), [
        Sample((_d("tf.image.adjust_gamma", (2, 3), lo=0.2, hi=0.9),), {"gamma": 2.0}, label="2x3 gamma=2"),
        Sample((_d("tf.image.adjust_gamma", (1, 2, 2, 1), lo=0.2, hi=0.9, salt="b"),), {"gamma": 0.5, "gain": 1.5},
               label="1x2x2x1 gamma=0.5 gain=1.5"),
    ], domain="pixels > 0 (gamma < 1 has an infinite slope at 0)", points=[
        point("gamma=2", [[0.0, 0.5]], [[0.0, 1.0]], "gain·x^γ: γ·x^(γ−1) = 2x", gamma=2.0,
              second=hvp([2.0 * GAMMA_V], "the second derivative of x² is 2 at every x: H·v = 2v", v=[GAMMA_V]),
              third=hvp([[0.0, 0.0]], "the third derivative of x² is 0", v=[GAMMA_V], bug=GAMMA_POW_X0)),
        point("gamma=0.5 at 0", [[0.0]], [[np.inf]], "½·x^(−½) → +inf as x → 0+ (one-sided)", gamma=0.5,
              second=hvp([[-np.inf]], "√x has no second derivative at 0 (the domain's edge): the one-sided limit of "
                         "−¼·x^(−3/2) as x → 0+ is −inf, which is what is asserted", exists=False,
                         bug=forward_inf("special_forward_over_reverse", "special_reverse_over_forward",
                                           "special_forward_over_forward")),
              third=hvp([[np.inf]], "no third derivative at 0: the one-sided limit of (3/8)·x^(−5/2) as x → 0+ is +inf")),
    ], bugs=(_float32_compute("adjust_gamma", GAMMA_REPRO, ("reverse", "forward") + SECOND, Workaround('''import tensorflow as tf


def adjust_gamma(x, gamma=1.0, gain=1.0):
    """tf.image.adjust_gamma of a float image in its own dtype: gain·x^gamma."""
    return gain * x ** gamma
''', "adjust_gamma"), related=("https://github.com/tensorflow/tensorflow/pull/26508",)),)),
]

# ------------------------------------------------------------------------------------ stateless random ops

SEED = (1, 2)


#: why the stateless random ops are not run under XLA
DRAW_DIFFERS_UNDER_XLA = (
    "under XLA the same seed draws a different value: with the default alg (auto_select) the algorithm is chosen per "
    "device, and XLA's generator is not the CPU kernel's Philox (tf.random.stateless_uniform([4], (3, 4)) differs "
    "between eager and jit_compile=True; with alg='philox' both agree), so the compiled op is another function of the "
    "seed than the eager oracle's")


def _stateless(name, fn, samples, points=(), bugs=(), domain=PIXELS):
    return op(name, fn, samples, domain=domain + "; the parameter is drawn from the seed (deterministic)", points=points,
              bugs=bugs, skips={"xla": DRAW_DIFFERS_UNDER_XLA})


STATELESS = [
    _stateless("tf.image.stateless_random_brightness", lambda x, max_delta, seed: tf.image.stateless_random_brightness(x, max_delta, seed), [
        Sample((_d("tf.image.stateless_random_brightness", (2, 2, 3)), 0.2, SEED), label="2x2x3 max_delta 0.2"),
        Sample((_d("tf.image.stateless_random_brightness", (1, 2, 3, 2), salt="b"), 0.5, (3, 4)), label="1x2x3x2 max_delta 0.5"),
    ], points=[
        lpoint("2x3", [np.zeros((2, 3))], [np.ones((2, 3))], "image + delta(seed): ∂/∂image = 1 whatever the delta",
               max_delta=0.2, seed=SEED),
        lpoint("zero-size batch 0x2x2x3", [np.zeros((0, 2, 2, 3))], [np.zeros((0, 2, 2, 3))], EMPTY, max_delta=0.2, seed=SEED),
    ], bugs=(_float32_compute("stateless_random_brightness (through adjust_brightness)", BRIGHTNESS_REPRO, ("reverse", "forward"),
                              Workaround('''import tensorflow as tf


def stateless_random_brightness(x, max_delta, seed):
    """tf.image.stateless_random_brightness in the image's own dtype: the same draw of delta, then x + delta."""
    delta = tf.random.stateless_uniform([], seed, minval=-max_delta, maxval=max_delta)
    return x + tf.cast(delta, x.dtype)
''', "stateless_random_brightness")),)),
    _stateless("tf.image.stateless_random_contrast", lambda x, lower, upper, seed: tf.image.stateless_random_contrast(x, lower, upper, seed), [
        Sample((_d("tf.image.stateless_random_contrast", (2, 2, 3)), 0.5, 1.5, SEED), label="2x2x3 factor in [0.5, 1.5]"),
        Sample((_d("tf.image.stateless_random_contrast", (1, 2, 3, 2), salt="b"), 0.2, 0.8, (3, 4)), label="1x2x3x2 factor in [0.2, 0.8]"),
    ], points=[
        lpoint("any image", [[[[0.2, 0.5], [0.9, 0.1]]]], [np.ones((1, 2, 2))],
               "(x − m)·f + m per channel, f drawn from the seed: Σ out = Σ x for every f, so ∂/∂x = 1",
               lower=0.5, upper=1.5, seed=SEED),
    ], bugs=(_no_gradient("AdjustContrastv2", "tf.image.stateless_random_contrast(x, 0.5, 1.5, (1, 2))", "ones (Σ out = Σ x)",
                          Workaround("import tensorflow as tf\n\n\n" + CONTRAST_CODE + '''

def stateless_random_contrast(x, lower, upper, seed):
    """tf.image.stateless_random_contrast: the same draw of the factor, then the contrast in differentiable ops."""
    return _adjust_contrast(x, tf.random.stateless_uniform([], seed, minval=lower, maxval=upper))
''', "stateless_random_contrast")),)),
    _stateless("tf.image.stateless_random_crop", lambda x, size, seed: tf.image.stateless_random_crop(x, size, seed), [
        Sample((_d("tf.image.stateless_random_crop", (4, 5, 2)), (2, 3, 2), SEED), label="4x5x2 crop 2x3x2"),
        Sample((_d("tf.image.stateless_random_crop", (2, 3, 3, 1), salt="b"), (2, 2, 2, 1), (3, 4)), label="2x3x3x1 crop 2x2x2x1"),
    ], points=[
        lpoint("crop to the full size", [np.ones((2, 2, 1)), (2, 2, 1), SEED], [np.ones((2, 2, 1))],
               "the only offset is 0: every pixel is kept once"),
        lpoint("1x1x1 image", [np.full((1, 1, 1), 2.0), (1, 1, 1), SEED], [np.ones((1, 1, 1))], "the one pixel is kept"),
    ]),
    _stateless("tf.image.stateless_random_flip_left_right", lambda x, seed: tf.image.stateless_random_flip_left_right(x, seed), [
        Sample((_d("tf.image.stateless_random_flip_left_right", (2, 3, 2)), SEED), label="2x3x2"),
        Sample((_d("tf.image.stateless_random_flip_left_right", (3, 2, 2, 1), salt="b"), (3, 4)), label="3x2x2x1 batch (a flip per image)"),
    ], points=[
        lpoint("2x3x1", [np.arange(6.0).reshape(2, 3, 1), SEED], [np.ones((2, 3, 1))],
               "flipped or not, every pixel appears once: gradient 1"),
    ]),
    _stateless("tf.image.stateless_random_flip_up_down", lambda x, seed: tf.image.stateless_random_flip_up_down(x, seed), [
        Sample((_d("tf.image.stateless_random_flip_up_down", (3, 2, 2)), SEED), label="3x2x2"),
        Sample((_d("tf.image.stateless_random_flip_up_down", (3, 2, 2, 1), salt="b"), (3, 4)), label="3x2x2x1 batch (a flip per image)"),
    ], points=[
        lpoint("2x3x1", [np.arange(6.0).reshape(2, 3, 1), SEED], [np.ones((2, 3, 1))],
               "flipped or not, every pixel appears once: gradient 1"),
    ]),
    _stateless("tf.image.stateless_random_hue", lambda x, max_delta, seed: tf.image.stateless_random_hue(x, max_delta, seed), [
        Sample((_hue_safe("tf.image.stateless_random_hue", (2, 2, 3), 0.0), 0.02, SEED), label="2x2x3 max_delta 0.02"),
        Sample((_hue_safe("tf.image.stateless_random_hue b", (1, 2, 1, 3), 0.0), 0.02, (3, 4)), label="1x2x1x3 max_delta 0.02"),
    ], domain="pixels whose hue stays at least 0.03 inside a sector, so a shift of at most max_delta = 0.02 keeps it there",
       points=[
        lpoint("max_delta 0", [[[[0.2, 0.5, 0.7]]]], [[[[1.0, 1.0, 1.0]]]], "the drawn shift is 0: the identity",
               second_why="a zero shift is the identity on a neighbourhood: H = 0", max_delta=0.0, seed=SEED),
    ], bugs=(_no_gradient("AdjustHue", "tf.image.stateless_random_hue(x, 0.0, (1, 2))", "ones (the identity)",
                          Workaround("import tensorflow as tf\n\n\n" + HUE_SATURATION_CODE + '''

def stateless_random_hue(x, max_delta, seed):
    """tf.image.stateless_random_hue: the same draw of the shift, then the hue shift in differentiable ops."""
    return _adjust_hue(x, tf.random.stateless_uniform([], seed, minval=-max_delta, maxval=max_delta))
''', "stateless_random_hue")),)),
    _stateless("tf.image.stateless_random_saturation", lambda x, lower, upper, seed: tf.image.stateless_random_saturation(x, lower, upper, seed), [
        Sample((_rgb("tf.image.stateless_random_saturation", (2, 2, 3)), 0.5, 0.9, SEED), label="2x2x3 factor in [0.5, 0.9]"),
        Sample((_rgb("tf.image.stateless_random_saturation", (1, 2, 1, 3), salt="b"), 0.3, 0.6, (3, 4)), label="1x2x1x3 factor in [0.3, 0.6]"),
    ], domain="pixels with three distinct channels; factor·saturation < 1 (no clipping)", bugs=(
        _no_gradient("AdjustSaturation", "tf.image.stateless_random_saturation(x, 0.5, 0.9, (1, 2))",
                     "the derivative of the saturation scaling",
                     Workaround("import tensorflow as tf\n\n\n" + HUE_SATURATION_CODE + '''

def stateless_random_saturation(x, lower, upper, seed):
    """tf.image.stateless_random_saturation: the same draw of the factor, then the scaling in differentiable ops."""
    return _adjust_saturation(x, tf.random.stateless_uniform([], seed, minval=lower, maxval=upper))
''', "stateless_random_saturation")),)),
]

# ------------------------------------------------------------------------------------------------- filters

FILTERS = [
    op("tf.image.total_variation", tf.image.total_variation, [
        Sample((distinct("tf.image.total_variation", (3, 4, 1), gap=0.1),), label="3x4x1 image"),
        Sample((distinct("tf.image.total_variation", (2, 2, 3, 1), gap=0.1, salt="b"),), label="2x2x3x1 batch"),
        Sample((distinct("tf.image.total_variation", (2, 3, 2), gap=0.1, salt="c"),), label="2x3x2 two channels"),
    ], domain="no two neighbouring pixels equal (|·| kinks there)", points=[
        lpoint("0 1 / 2 3", [[[[0.0], [1.0]], [[2.0], [3.0]]]], [[[[-2.0], [0.0]], [[0.0], [2.0]]]],
               "Σ|x(i+1,j) − x(i,j)| + Σ|x(i,j+1) − x(i,j)| with all differences positive: each pixel gets +1 per difference "
               "it ends and −1 per difference it starts",
               second_why="every difference keeps its sign on a neighbourhood: TV is linear there, H = 0"),
        point("constant", [np.ones((2, 2, 1))], [between(np.full((2, 2, 1), -2.0), np.full((2, 2, 1), 2.0))],
              "every difference is 0, a kink of |·| with subdifferential [−1, 1]; each pixel is in two differences",
              second=hvp([np.zeros((2, 2, 1))], "|·| is linear on each side of its kink, so both one-sided second "
                         "derivatives are 0 (the distributional one is a delta): 0 is asserted", v=[_tangent((2, 2, 1))],
                         exists=False)),
        lpoint("1x1 image", [np.full((1, 1, 1), 2.0)], [np.zeros((1, 1, 1))], "no neighbours: TV is 0 for every pixel value"),
        lpoint("zero-size batch 0x2x2x1", [np.zeros((0, 2, 2, 1))], [np.zeros((0, 2, 2, 1))], EMPTY),
    ]),
    op("tf.image.sobel_edges", tf.image.sobel_edges, [
        Sample((_d("tf.image.sobel_edges", (1, 3, 4, 1)),), label="1x3x4x1"),
        Sample((_d("tf.image.sobel_edges", (1, 3, 3, 2), salt="b"),), label="1x3x3x2 two channels"),
    ], domain=PIXELS + " (REFLECT padding)"),
    op("tf.image.image_gradients", tf.image.image_gradients, [
        Sample((_d("tf.image.image_gradients", (1, 3, 4, 2)),), label="1x3x4x2"),
        Sample((_d("tf.image.image_gradients", (2, 2, 3, 1), salt="b"),), label="2x2x3x1 batch"),
    ], domain=PIXELS, points=[
        lpoint("2x2 ones", [np.ones((1, 2, 2, 1))], [np.array([-2.0, 0.0, 0.0, 2.0]).reshape(1, 2, 2, 1)],
               "dy = x(i+1) − x(i) and dx = x(j+1) − x(j) (zero in the last row/column): the sums telescope to "
               "last row − first row and last column − first column"),
        lpoint("1x1 image", [np.full((1, 1, 1, 1), 2.0)], [np.zeros((1, 1, 1, 1))], "no neighbours: both gradients are 0"),
    ]),
]

# a known bug's workaround checks forward mode in tf.function and XLA on the first sample (see _representative_first)
OPS = [_representative_first(e) if any("forward" in b.checks and b.workaround for b in e.bugs) else e
       for e in RESIZING + STRUCTURAL + COLOUR + ADJUSTMENTS + STATELESS + FILTERS]
