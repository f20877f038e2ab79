"""tf.image: resizing, patches and crops, colour-space conversions, adjustments, edge filters.

Most of tf.image is linear in the pixels (resizing, crops, flips, patches, YUV/YIQ, Sobel), so finite
differences hold everywhere; the piecewise ops (total_variation, rgb_to_hsv, hsv_to_rgb, adjust_hue,
adjust_saturation) are sampled away from their kinks (ties among channels, hue sector boundaries).

Left out, with the reason: tf.image.resize with any method but 'nearest' (bilinear, bicubic, area, lanczos*,
gaussian, mitchellcubic, and every antialias=True variant) is documented to return float32 whatever the input
dtype, so it cannot be checked in float64 (resize and resize_with_pad keep method='nearest' here);
per_image_standardization, psnr, ssim and ssim_multiscale are documented to compute in and return float32;
crop_and_resize always returns float32 and takes only float32 boxes; extract_glimpse fills out-of-bounds pixels
with random noise by default and its op is registered NotDifferentiable; draw_bounding_boxes,
non_max_suppression* and sample_distorted_bounding_box have no meaningful derivative; the random_* and
stateless_random_* ops are random draws around ops already here; adjust_jpeg_quality goes through a JPEG codec.
"""
import numpy as np
import tensorflow as tf

from spec.atlas.records import Domain, KnownBug, Sample, between, distinct, draw, op, point

FAMILY = "tf.image: resizing, crops and patches, colour spaces, adjustments, edge filters"

SECOND = ("reverse_over_reverse", "forward_over_reverse", "reverse_over_forward", "forward_over_forward")
ALL_BUT_GPU = ("reverse", "forward") + SECOND + ("special_reverse", "special_forward", "float32")
PIXELS = "all reals (linear in the pixels)"


def _d(name, *shapes, salt="", lo=-2.0, hi=2.0):
    out = draw(name, *shapes, domain=Domain(lo, hi, ""), salt=salt)
    return out[0] if len(out) == 1 else out


def _rgb(name, shape, salt=""):
    """Pixels in (0.05, 0.95) with all values at least 0.05 apart: no ties among a pixel's channels."""
    return distinct(name, shape, lo=0.05, hi=0.95, gap=0.05, salt=salt)


def _float32_compute(name, reproducer, checks):
    return KnownBug(f"{name} converts a float64 image to float32 (convert_image_dtype(image, tf.float32), meant for "
                    "integer images, also catches float64), computes in float32 and converts back: the float64 result "
                    "carries float32 rounding, so its differences (and derivatives that use the rounded values) are "
                    "only ~1e-4 accurate", "unreported", reproducer, checks=checks)


# ------------------------------------------------------------------------------------------- resizing

NEAREST_FORWARD = KnownBug(
    "ResizeNearestNeighborGrad (the backward op of nearest-neighbour resizing) has no registered gradient, so "
    "forward mode, which transposes the backward function, raises LookupError although the op is linear in the "
    "pixels",
    "https://github.com/tensorflow/tensorflow/issues/22208",
    "x = tf.ones([1, 1, 2, 1], tf.float64)\nwith tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as acc:\n"
    "    y = tf.image.resize(x, [1, 4], method='nearest')\nprint(acc.jvp(y))  # expected ones (each output copies one "
    "pixel), got LookupError: gradient registry has no entry for: ResizeNearestNeighborGrad",
    checks=("forward", "forward_over_reverse", "reverse_over_forward", "forward_over_forward", "special_forward"))


NEAREST_XLA = "XLA cannot compile ResizeNearestNeighborGrad, the backward of nearest resizing (no XLA_CPU_JIT kernel)"


def _resize(x, size):
    return tf.image.resize(x, size, method="nearest")


RESIZING = [
    op("tf.image.resize", _resize, [
        Sample((_d("tf.image.resize", (1, 2, 3, 2)), [4, 5]), label="1x2x3x2 -> 4x5 nearest"),
        Sample((_d("tf.image.resize", (4, 5, 1), salt="d"), [2, 3]), label="4x5x1 -> 2x3 nearest (no batch)"),
    ], domain=PIXELS + "; only method='nearest' keeps float64 (every other method returns float32, as documented)",
       points=[
        point("1x2 -> 1x4", [np.ones((1, 1, 2, 1)), [1, 4]], [np.full((1, 1, 2, 1), 2.0)], "each input pixel is copied to two outputs"),
    ], bugs=(NEAREST_FORWARD,), skips={"xla": NEAREST_XLA}),
    op("tf.image.resize_with_pad", lambda x, h, w: tf.image.resize_with_pad(x, h, w, method="nearest"), [
        Sample((_d("tf.image.resize_with_pad", (1, 2, 4, 1)), 4, 4), label="1x2x4x1 -> 4x4 nearest (pads rows)"),
        Sample((_d("tf.image.resize_with_pad", (3, 2, 2), salt="n"), 4, 6), label="3x2x2 -> 4x6 nearest (pads columns)"),
    ], domain=PIXELS + "; only method='nearest' keeps float64", points=[
        point("1x2 -> 2x6", [np.ones((1, 1, 2, 1)), 2, 6], [np.full((1, 1, 2, 1), 4.0)],
              "scaled by 2 to 2x4 (each pixel copied to a 2x2 block), then padded with a zero column on each side"),
    ], bugs=(NEAREST_FORWARD,), skips={"xla": NEAREST_XLA}),
    op("tf.image.resize_with_crop_or_pad", tf.image.resize_with_crop_or_pad, [
        Sample((_d("tf.image.resize_with_crop_or_pad", (4, 3, 2)), 2, 5), label="4x3x2 -> 2x5 (crop rows, pad columns)"),
        Sample((_d("tf.image.resize_with_crop_or_pad", (1, 2, 5, 1), salt="b"), 4, 3), label="1x2x5x1 -> 4x3"),
    ], domain=PIXELS, points=[
        point("3x3 -> 1x1", [np.ones((3, 3, 1)), 1, 1], [[[[0.0], [0.0], [0.0]], [[0.0], [1.0], [0.0]], [[0.0], [0.0], [0.0]]]],
              "a centred 1x1 crop keeps only the middle pixel"),
    ]),
]

# ---------------------------------------------------------------------------------- crops, flips, patches

STRUCTURAL = [
    op("tf.image.flip_left_right", tf.image.flip_left_right, [
        Sample((_d("tf.image.flip_left_right", (2, 3, 2)),), label="2x3x2"),
        Sample((_d("tf.image.flip_left_right", (2, 2, 3, 1), salt="b"),), label="2x2x3x1 batch"),
    ], domain=PIXELS),
    op("tf.image.flip_up_down", tf.image.flip_up_down, [
        Sample((_d("tf.image.flip_up_down", (3, 2, 2)),), label="3x2x2"),
        Sample((_d("tf.image.flip_up_down", (2, 3, 2, 1), salt="b"),), label="2x3x2x1 batch"),
    ], domain=PIXELS),
    op("tf.image.rot90", lambda x, k=1: tf.image.rot90(x, k), [
        Sample((_d("tf.image.rot90", (2, 3, 2)),), label="2x3x2 k=1"),
        Sample((_d("tf.image.rot90", (2, 3, 2), salt="2"),), {"k": 2}, label="2x3x2 k=2"),
        Sample((_d("tf.image.rot90", (2, 2, 3, 1), salt="3"),), {"k": 3}, label="2x2x3x1 batch k=3"),
    ], domain=PIXELS, bugs=(KnownBug(
        "rot90 picks the rotation with a tf.case on k (cond_v2); inside a tf.function, forward mode through that cond "
        "fails an internal assertion (cond_v2._resolve_grad_inputs: assert t.graph == cond_graph, the assertion "
        "#44598 hits for a GradientTape), so the JVP raises a bare AssertionError", "unreported",
        "x = tf.ones([2, 3, 2], tf.float64)\n@tf.function\ndef jvp(x):\n"
        "    with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as acc:\n        y = tf.image.rot90(x, 1)\n"
        "    return acc.jvp(y)\nprint(jvp(x))  # expected ones of shape (3, 2, 2) (as eagerly), got AssertionError",
        checks=("forward",), modes=("function", "xla")), KnownBug(
        "under jit_compile the tf.case in rot90 gets the bounded shape of its two branch shapes (a 2x3 image rotated by "
        "k = 1 or 3 is 3x2, by k = 0 or 2 is 2x3, so 3x3), and the reverse gradient's BroadcastGradientArgs meets "
        "that shape: InvalidArgumentError 'Incompatible shapes: [3,3,2] vs. [3,2,2]'",
        "https://github.com/tensorflow/tensorflow/issues/59474",
        "x = tf.ones([2, 3, 2], tf.float64)\n@tf.function(jit_compile=True)\ndef grad(x):\n"
        "    with tf.GradientTape() as t:\n        t.watch(x)\n        y = tf.image.rot90(x, 1) * tf.ones([3, 2, 2], tf.float64)\n"
        "    return t.gradient(y, x)\nprint(grad(x))  # expected ones (as eagerly), got InvalidArgumentError: Incompatible "
        "shapes: [3,3,2] vs. [3,2,2]", checks=("reverse",), modes=("xla",)))),
    op("tf.image.transpose", tf.image.transpose, [
        Sample((_d("tf.image.transpose", (2, 3, 2)),), label="2x3x2"),
        Sample((_d("tf.image.transpose", (2, 2, 3, 1), salt="b"),), label="2x2x3x1 batch"),
    ], domain=PIXELS),
    op("tf.image.central_crop", tf.image.central_crop, [
        Sample((_d("tf.image.central_crop", (4, 4, 1)), 0.5), label="4x4x1 fraction 0.5"),
        Sample((_d("tf.image.central_crop", (1, 5, 4, 1), salt="b"), 0.6), label="1x5x4x1 fraction 0.6"),
    ], domain=PIXELS, points=[
        point("4x4 fraction 0.5", [np.ones((4, 4, 1)), 0.5],
              [np.pad(np.ones((2, 2, 1)), ((1, 1), (1, 1), (0, 0)))], "the central 2x2 is kept (slope 1), the rest dropped"),
    ]),
    op("tf.image.pad_to_bounding_box", tf.image.pad_to_bounding_box, [
        Sample((_d("tf.image.pad_to_bounding_box", (2, 3, 2)), 1, 2, 4, 6), label="2x3x2 at (1, 2) in 4x6"),
        Sample((_d("tf.image.pad_to_bounding_box", (1, 2, 2, 1), salt="b"), 0, 1, 3, 3), label="1x2x2x1 at (0, 1) in 3x3"),
    ], domain=PIXELS),
    op("tf.image.crop_to_bounding_box", tf.image.crop_to_bounding_box, [
        Sample((_d("tf.image.crop_to_bounding_box", (4, 5, 1)), 1, 2, 2, 3), label="4x5x1 crop 2x3 at (1, 2)"),
        Sample((_d("tf.image.crop_to_bounding_box", (1, 3, 4, 2), salt="b"), 0, 1, 3, 2), label="1x3x4x2 crop 3x2 at (0, 1)"),
    ], domain=PIXELS, points=[
        point("3x3 crop 1x2 at (1, 1)", [np.ones((3, 3, 1)), 1, 1, 1, 2],
              [[[[0.0], [0.0], [0.0]], [[0.0], [1.0], [1.0]], [[0.0], [0.0], [0.0]]]], "the kept pixels get slope 1"),
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
        point("3x3 overlapping 2x2", [np.ones((1, 3, 3, 1)), (1, 2, 2, 1), (1, 1, 1, 1), (1, 1, 1, 1), "VALID"],
              [np.array([1.0, 2.0, 1.0, 2.0, 4.0, 2.0, 1.0, 2.0, 1.0]).reshape(1, 3, 3, 1)],
              "each pixel is copied once per patch containing it: corners 1, edges 2, centre 4"),
    ]),
    op("tf.image.convert_image_dtype", lambda x, saturate=False: tf.image.convert_image_dtype(x, x.dtype, saturate=saturate), [
        Sample((_d("tf.image.convert_image_dtype", (2, 3), lo=0.0, hi=1.0),), label="2x3 to its own dtype"),
        Sample((_d("tf.image.convert_image_dtype", (4,), lo=0.0, hi=1.0, salt="s"),), {"saturate": True}, label="4 saturate=True"),
    ], domain="floating images in [0, 1] (the atlas compares dtypes pairwise, so only the float-to-same-float "
              "conversion, the identity, fits it)", points=[
        point("x=(0,1)", [[0.0, 1.0]], [[1.0, 1.0]], "a float-to-float conversion is the identity on the values"),
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
        point("one pixel", [[0.5, 0.25, 0.75]], [matrix.sum(axis=1)], f"the {what} matrix: ∂Σout/∂in_c is the sum of row c")]
    return op(name, fn, [
        Sample((_d(name, (2, 3)),), label="2 pixels"),
        Sample((_d(name, (1, 2, 2, 3), salt="b"),), label="1x2x2x3 image"),
    ], domain=PIXELS, points=points)


HSV_TO_RGB_BUG = KnownBug(
    "HSVToRGB is registered NotDifferentiable (image_ops_impl.py), so the tape returns None (zeros with "
    "unconnected_gradients=ZERO) although hsv_to_rgb is piecewise linear in h and bilinear in s, v: a silent zero "
    "gradient", "https://github.com/tensorflow/tensorflow/issues/21510",
    "hsv = tf.constant([1 / 12, 0.5, 0.8], tf.float64)\nwith tf.GradientTape() as t:\n    t.watch(hsv)\n"
    "    rgb = tf.image.hsv_to_rgb(hsv)\nprint(t.gradient(rgb, hsv))  # expected [2.4, -1.2, 2.25], got None",
    checks=("reverse", "forward", "special_reverse", "special_forward"))


def _hsv(name, shape, salt=""):
    """Hues away from the sector boundaries k/6 (margin ≥ 0.03), saturations and values in (0.1, 0.9)."""
    rng = np.random.default_rng(len(name) + 31 * int(np.prod(shape)) + len(salt))
    n = int(np.prod(shape[:-1]))
    sector = rng.integers(0, 6, n)
    hue = (sector + rng.uniform(0.2, 0.8, n)) / 6.0
    sv = rng.uniform(0.1, 0.9, (n, 2))
    hsv = np.concatenate([hue[:, None], sv], axis=1).reshape(shape)
    return hsv.astype(np.float32).astype(np.float64)


GRAY_REPRO = ("x = tf.constant([[0.1, 0.2, 0.3]], tf.float64)\n"
              "print(tf.image.rgb_to_grayscale(x).numpy()[0, 0] - (0.2989 * 0.1 + 0.587 * 0.2 + 0.114 * 0.3))"
              "  # expected ~1e-17, got 4.1e-09 (float32 rounding)")

COLOUR = [
    op("tf.image.rgb_to_grayscale", tf.image.rgb_to_grayscale, [
        Sample((_rgb("tf.image.rgb_to_grayscale", (2, 3)),), label="2 pixels"),
        Sample((_rgb("tf.image.rgb_to_grayscale", (1, 2, 2, 3), salt="b"),), label="1x2x2x3 image"),
    ], domain=PIXELS, points=[
        point("one pixel", [[0.5, 0.25, 0.75]], [[0.2989, 0.587, 0.114]],
              "the ITU-R 601-2 luma weights the docstring names: y = 0.2989 r + 0.587 g + 0.114 b",
              bug=_float32_compute("rgb_to_grayscale", GRAY_REPRO, ("special_reverse", "special_forward"))),
    ], bugs=(_float32_compute("rgb_to_grayscale", GRAY_REPRO, ("reverse", "forward")),)),
    op("tf.image.grayscale_to_rgb", tf.image.grayscale_to_rgb, [
        Sample((_d("tf.image.grayscale_to_rgb", (2, 1)),), label="2 pixels"),
        Sample((_d("tf.image.grayscale_to_rgb", (1, 2, 2, 1), salt="b"),), label="1x2x2x1 image"),
    ], domain=PIXELS, points=[
        point("one pixel", [[[0.5]]], [[[3.0]]], "the grey value is copied to 3 channels"),
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
              "∂/∂g = 1/(6(r − b)), ∂/∂b = (g − r)/(6(r − b)²) − 1/r"),
    ]),
    op("tf.image.hsv_to_rgb", tf.image.hsv_to_rgb, [
        Sample((_hsv("tf.image.hsv_to_rgb", (2, 3)),), label="2 pixels"),
        Sample((_hsv("tf.image.hsv_to_rgb", (1, 2, 2, 3), salt="b"),), label="1x2x2x3 image"),
    ], domain="h in [0, 1) away from the sector boundaries k/6, s and v in [0, 1]", points=[
        point("h=1/12 s=0.5 v=0.8", [[1 / 12, 0.5, 0.8]], [[2.4, -1.2, 2.25]],
              "sector 0: (r, g, b) = (v, v(1 − s) + 6hvs, v(1 − s)), Σ = v(3 − 2s) + 6hvs: ∂/∂h = 6vs, "
              "∂/∂s = −2v + 6hv = −1.2, ∂/∂v = 3 − 2s + 6hs = 2.25"),
    ], bugs=(HSV_TO_RGB_BUG,)),
]

# ------------------------------------------------------------------------------------------- adjustments

NO_GRADIENT_ISSUE = "https://github.com/tensorflow/tensorflow/issues/126083"


def _no_gradient(raw, call, expected):
    return KnownBug(f"{raw} has no registered gradient, so every derivative raises LookupError although the op is "
                    "differentiable (a nightly registers AdjustContrastv2's; hue and saturation are still open)",
                    NO_GRADIENT_ISSUE,
                    f"x = tf.constant([[[0.2, 0.5, 0.7], [0.9, 0.4, 0.1]]], tf.float64)\nwith tf.GradientTape() as t:\n"
                    f"    t.watch(x)\n    y = {call}\nprint(t.gradient(y, x))  # expected {expected}, got LookupError: "
                    f"gradient registry has no entry for: {raw}", checks=ALL_BUT_GPU)


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

ADJUSTMENTS = [
    op("tf.image.adjust_brightness", tf.image.adjust_brightness, [
        Sample(tuple(_d("tf.image.adjust_brightness", (2, 2, 3), ())), label="2x2x3 delta scalar"),
        Sample(tuple(_d("tf.image.adjust_brightness", (1, 2, 3, 2), (), salt="b")), label="1x2x3x2 delta scalar"),
    ], diff=(0, 1), domain=PIXELS, points=[
        point("2x3", [np.zeros((2, 3)), 0.5], [np.ones((2, 3)), 6.0], "image + delta: ∂/∂image = 1, ∂/∂delta = number of pixels"),
    ], bugs=(_float32_compute("adjust_brightness", BRIGHTNESS_REPRO, ("reverse", "forward")),)),
    op("tf.image.adjust_contrast", tf.image.adjust_contrast, [
        Sample((_d("tf.image.adjust_contrast", (2, 2, 3)), 1.5), label="2x2x3 factor 1.5"),
        Sample((_d("tf.image.adjust_contrast", (1, 2, 3, 2), salt="b"), 0.5), label="1x2x3x2 factor 0.5"),
    ], domain=PIXELS + " (the factor is a float32 input of the op: a float64 factor tensor is rejected)", points=[
        point("any image", [[[[0.2, 0.5], [0.9, 0.1]]]], [np.ones((1, 2, 2))],
              "(x − m)·f + m per channel: Σ over pixels of (x − m) is 0, so Σ out = Σ x: ∂/∂x = 1",
              contrast_factor=1.5),
    ], bugs=(_no_gradient("AdjustContrastv2", "tf.image.adjust_contrast(x, 1.5)", "ones (Σ out = Σ x)"),)),
    op("tf.image.adjust_saturation", tf.image.adjust_saturation, [
        Sample((_rgb("tf.image.adjust_saturation", (2, 2, 3)), 0.5), label="2x2x3 factor 0.5"),
        Sample((_rgb("tf.image.adjust_saturation", (1, 2, 1, 3), salt="b"), 0.75), label="1x2x1x3 factor 0.75"),
    ], domain="pixels with three distinct channels; factor·saturation < 1 (no clipping)", points=[
        point("factor 1", [[[[0.2, 0.5, 0.7]]]], [[[[1.0, 1.0, 1.0]]]], "factor 1 leaves every pixel unchanged: the identity",
              saturation_factor=1.0),
    ], bugs=(_no_gradient("AdjustSaturation", "tf.image.adjust_saturation(x, 1.0)", "ones (the identity)"),)),
    op("tf.image.adjust_hue", tf.image.adjust_hue, [
        Sample((_hue_safe("tf.image.adjust_hue", (2, 2, 3), 0.1), 0.1), label="2x2x3 delta 0.1"),
        Sample((_hue_safe("tf.image.adjust_hue b", (1, 2, 1, 3), -0.25), -0.25), label="1x2x1x3 delta -0.25"),
    ], domain="pixels whose hue, before and after the shift, stays inside a sector of width 1/6", points=[
        point("delta 0", [[[[0.2, 0.5, 0.7]]]], [[[[1.0, 1.0, 1.0]]]], "a zero hue shift is the identity", delta=0.0),
    ], bugs=(_no_gradient("AdjustHue", "tf.image.adjust_hue(x, 0.0)", "ones (the identity)"),)),
    op("tf.image.adjust_gamma", lambda x, gamma=1.0, gain=1.0: tf.image.adjust_gamma(x, gamma, gain), [
        Sample((_d("tf.image.adjust_gamma", (2, 3), lo=0.2, hi=0.9),), {"gamma": 2.0}, label="2x3 gamma=2"),
        Sample((_d("tf.image.adjust_gamma", (1, 2, 2, 1), lo=0.2, hi=0.9, salt="b"),), {"gamma": 0.5, "gain": 1.5},
               label="1x2x2x1 gamma=0.5 gain=1.5"),
    ], domain="pixels > 0 (gamma < 1 has an infinite slope at 0)", points=[
        point("gamma=2", [[0.0, 0.5]], [[0.0, 1.0]], "gain·x^γ: γ·x^(γ−1) = 2x", gamma=2.0),
        point("gamma=0.5 at 0", [[0.0]], [[np.inf]], "½·x^(−½) → +inf as x → 0+ (one-sided)", gamma=0.5),
    ], bugs=(_float32_compute("adjust_gamma", GAMMA_REPRO, ("reverse", "forward") + SECOND),)),
]

# ------------------------------------------------------------------------------------------------- filters

FILTERS = [
    op("tf.image.total_variation", tf.image.total_variation, [
        Sample((distinct("tf.image.total_variation", (3, 4, 1), gap=0.1),), label="3x4x1 image"),
        Sample((distinct("tf.image.total_variation", (2, 2, 3, 1), gap=0.1, salt="b"),), label="2x2x3x1 batch"),
        Sample((distinct("tf.image.total_variation", (2, 3, 2), gap=0.1, salt="c"),), label="2x3x2 two channels"),
    ], domain="no two neighbouring pixels equal (|·| kinks there)", points=[
        point("0 1 / 2 3", [[[[0.0], [1.0]], [[2.0], [3.0]]]], [[[[-2.0], [0.0]], [[0.0], [2.0]]]],
              "Σ|x(i+1,j) − x(i,j)| + Σ|x(i,j+1) − x(i,j)| with all differences positive: each pixel gets +1 per difference "
              "it ends and −1 per difference it starts"),
        point("constant", [np.ones((2, 2, 1))], [between(np.full((2, 2, 1), -2.0), np.full((2, 2, 1), 2.0))],
              "every difference is 0, a kink of |·| with subdifferential [−1, 1]; each pixel is in two differences"),
    ]),
    op("tf.image.sobel_edges", tf.image.sobel_edges, [
        Sample((_d("tf.image.sobel_edges", (1, 3, 4, 1)),), label="1x3x4x1"),
        Sample((_d("tf.image.sobel_edges", (1, 3, 3, 2), salt="b"),), label="1x3x3x2 two channels"),
    ], domain=PIXELS + " (REFLECT padding)"),
    op("tf.image.image_gradients", tf.image.image_gradients, [
        Sample((_d("tf.image.image_gradients", (1, 3, 4, 2)),), label="1x3x4x2"),
        Sample((_d("tf.image.image_gradients", (2, 2, 3, 1), salt="b"),), label="2x2x3x1 batch"),
    ], domain=PIXELS, points=[
        point("2x2 ones", [np.ones((1, 2, 2, 1))], [np.array([-2.0, 0.0, 0.0, 2.0]).reshape(1, 2, 2, 1)],
              "dy = x(i+1) − x(i) and dx = x(j+1) − x(j) (zero in the last row/column): the sums telescope to "
              "last row − first row and last column − first column"),
    ]),
]

OPS = RESIZING + STRUCTURAL + COLOUR + ADJUSTMENTS + FILTERS
