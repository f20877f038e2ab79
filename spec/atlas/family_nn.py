"""tf.nn: activations, softmax and normalisation, convolutions and pooling, losses.

Aliases of tf.math ops (tf.nn.softplus, softsign, sigmoid, tanh) are in the tf.math families, and tf.nn.moments,
weighted_moments, sufficient_statistics, normalize_moments, l2_loss (family_reductions) and embedding_lookup
(family_indexing) are not repeated here. Ops with no float64 CPU kernel are left out (the atlas checks in
float64): tf.nn.max_pool3d, tf.nn.avg_pool3d, tf.nn.local_response_normalization, tf.nn.fused_batch_norm.
tf.nn.dropout draws a fresh mask per call, so differences of its forward value mean nothing; its stateless
sibling's mask depends on the dtype, so its float32 and float64 gradients are of different functions.
"""
import math

import numpy as np
import tensorflow as tf

from spec.atlas.records import (REAL, REAL_NONZERO, Domain, KnownBug, Sample, between, distinct, draw, op,
                                point, unary)

FAMILY = "tf.nn: activations, softmax, normalisation, convolution, pooling, losses"

SELU_SCALE = 1.0507009873554804934193349852946
SELU_ALPHA = 1.6732632423543772848170429916717
SECOND = ("reverse_over_reverse", "forward_over_reverse", "reverse_over_forward", "forward_over_forward")

POS = Domain(0.3, 2.0, "x > 0")
SMALL = Domain(-0.05, 0.05, "small")  # a perturbation far smaller than the 0.1 gap of `distinct` values


def _d(name, *shapes, domain=REAL, salt=""):
    """Like `draw`, one array or a list."""
    out = draw(name, *shapes, domain=domain, salt=salt)
    return out[0] if len(out) == 1 else out


def _ties(shape, value=1.0):
    return np.full(shape, value)


# ----------------------------------------------------------------------------------------- activations

ACTIVATIONS = [
    unary("tf.nn.relu", tf.nn.relu, REAL_NONZERO, [
        point("x=0", [0.0], [between(0.0, 1.0)], "max(x, 0) has the subdifferential [0, 1] at 0 (left slope 0, right slope 1)"),
        point("x=[-1.5,2]", [[-1.5, 2.0]], [[0.0, 1.0]], "slope 0 for x < 0, 1 for x > 0"),
    ]),
    unary("tf.nn.relu6", tf.nn.relu6, Domain(-2.0, 8.0, "x ≠ 0, 6", avoid=(0.0, 6.0)), [
        point("x=0", [0.0], [between(0.0, 1.0)], "min(max(x, 0), 6): left slope 0, right slope 1 at 0"),
        point("x=6", [6.0], [between(0.0, 1.0)], "min(max(x, 0), 6): left slope 1, right slope 0 at 6"),
        point("x=[-1,3,7]", [[-1.0, 3.0, 7.0]], [[0.0, 1.0, 0.0]], "slope 1 on (0, 6), 0 outside"),
    ]),
    op("tf.nn.crelu", lambda x, axis=-1: tf.nn.crelu(x, axis=axis), [
        Sample((_d("tf.nn.crelu", (5,), domain=REAL_NONZERO),), label="5 axis=-1"),
        Sample((_d("tf.nn.crelu", (2, 3), domain=REAL_NONZERO, salt="a0"),), {"axis": 0}, label="2x3 axis=0"),
    ], domain="x ≠ 0 (concat(relu(x), relu(-x)))", points=[
        point("x=0", [[0.0]], [between(-1.0, 1.0)], "Σ crelu(x) = relu(x) + relu(−x) = |x|, whose subdifferential at 0 is [−1, 1]"),
        point("x=[-1.5,2]", [[-1.5, 2.0]], [[-1.0, 1.0]], "Σ crelu(x) = |x|: slope sign(x)"),
    ]),
    unary("tf.nn.elu", tf.nn.elu, REAL, [
        point("x=0", [0.0], [1.0], "e^x − 1 for x < 0 and x for x ≥ 0: both one-sided slopes are 1 at 0 (e^0 = 1), so elu'(0) = 1"),
        point("x=-1", [-1.0], [math.exp(-1.0)], "d(e^x − 1)/dx = e^x"),
        point("x=-1000", [-1000.0], [0.0], "e^x → 0: the derivative at −1000 is e^−1000 = 0 in float64"),
    ]),
    unary("tf.nn.selu", tf.nn.selu, REAL_NONZERO, [
        point("x=0", [0.0], [between(SELU_SCALE * (1 - 1e-12), SELU_SCALE * SELU_ALPHA * (1 + 1e-12))],
              "scale·x for x ≥ 0 (slope scale ≈ 1.0507), scale·α·(e^x − 1) for x < 0 (slope scale·α ≈ 1.7581 at 0): a kink "
              "(bounds widened by 1e-12 for the rounding of scale·α; eager picks scale, XLA scale·α)"),
        point("x=-1", [-1.0], [SELU_SCALE * SELU_ALPHA * math.exp(-1.0)], "d/dx scale·α·(e^x − 1) = scale·α·e^x"),
        point("x=1", [1.0], [SELU_SCALE], "d/dx scale·x = scale"),
    ]),
    op("tf.nn.gelu", lambda x, approximate=False: tf.nn.gelu(x, approximate=approximate), [
        Sample((_d("tf.nn.gelu", ()),), label="scalar exact"),
        Sample((_d("tf.nn.gelu", (5,), salt="v"),), label="5 exact"),
        Sample((_d("tf.nn.gelu", (2, 3), salt="a"),), {"approximate": True}, label="2x3 approximate=True"),
    ], domain="all reals", points=[
        point("x=0 exact", [0.0], [0.5], "d/dx x·Φ(x) = Φ(x) + x·φ(x) = 1/2 at 0"),
        point("x=0 approximate", [0.0], [0.5], "d/dx x/2·(1 + tanh(c(x + 0.044715x³))) = 1/2 at 0", approximate=True),
    ]),
    op("tf.nn.leaky_relu", lambda x, alpha=0.2: tf.nn.leaky_relu(x, alpha=alpha), [
        Sample((_d("tf.nn.leaky_relu", (5,), domain=REAL_NONZERO),), label="5 alpha=0.2"),
        Sample((_d("tf.nn.leaky_relu", (2, 3), domain=REAL_NONZERO, salt="a"),), {"alpha": 0.125}, label="2x3 alpha=0.125"),
    ], domain="x ≠ 0 (alpha is stored as a float32 attribute)", points=[
        point("x=0 alpha=0.2", [0.0], [between(0.2, 1.0)], "slope α on the left, 1 on the right: subdifferential [α, 1]"),
        point("x=[-1,2] alpha=0.125", [[-1.0, 2.0]], [[0.125, 1.0]],
              "slope α for x < 0, 1 for x > 0 (α is a float32 attribute: 0.125 is exact, 0.01 would be 0.0099999998)", alpha=0.125),
    ]),
    op("tf.nn.silu", tf.nn.silu, [
        Sample(tuple(_d("tf.nn.silu", (5,), ())), label="5 with beta scalar"),
        Sample(tuple(_d("tf.nn.silu", (2, 3), (), salt="b")), label="2x3 with beta scalar"),
    ], diff=(0, 1), domain="x and beta real", points=[
        point("x=0,beta=1", [[0.0], 1.0], [[0.5], 0.0],
              "∂/∂x x·σ(βx) = σ(βx) + βx·σ'(βx) = 1/2 at x = 0; ∂/∂β = x²·σ'(βx) = 0"),
        point("x=[1,-1],beta=0", [[1.0, -1.0], 0.0], [[0.5, 0.5], 0.5],
              "β = 0: ∂/∂x = σ(0) = 1/2; ∂/∂β = Σ x²·σ'(βx) = (1 + 1)·σ'(0) = 2·(1/4)"),
    ]),
]

# ----------------------------------------------------------------------- softmax, normalisation

NORMALISATION = [
    op("tf.nn.softmax", lambda x, axis=-1: tf.nn.softmax(x, axis=axis), [
        Sample((_d("tf.nn.softmax", (5,)),), label="5 axis=-1"),
        Sample((_d("tf.nn.softmax", (2, 3), salt="a"),), label="2x3 axis=-1"),
        Sample((_d("tf.nn.softmax", (2, 3), salt="b"),), {"axis": 0}, label="2x3 axis=0"),
    ], domain="all reals", points=[
        point("equal logits", [[0.0, 0.0, 0.0]], [[0.0, 0.0, 0.0]], "Σ softmax = 1 for every input: its gradient is 0"),
        point("logits ±1000", [[1000.0, -1000.0, 0.0]], [[0.0, 0.0, 0.0]], "Σ softmax = 1 for every input, saturated or not: gradient 0, finite"),
    ]),
    op("tf.nn.log_softmax", lambda x, axis=-1: tf.nn.log_softmax(x, axis=axis), [
        Sample((_d("tf.nn.log_softmax", (5,)),), label="5 axis=-1"),
        Sample((_d("tf.nn.log_softmax", (2, 3), salt="a"),), label="2x3 axis=-1"),
        Sample((_d("tf.nn.log_softmax", (2, 3), salt="b"),), {"axis": 0}, label="2x3 axis=0"),
    ], domain="all reals", points=[
        point("equal logits", [[0.0, 0.0, 0.0]], [[0.0, 0.0, 0.0]], "∂/∂x_j Σ_i (x_i − LSE(x)) = 1 − n·p_j = 1 − 3·(1/3) = 0"),
        point("logits ±1000", [[1000.0, -1000.0, 0.0]], [[-2.0, 1.0, 1.0]],
              "1 − n·p_j with p = softmax = (1, e^−2000, e^−1000) = (1, 0, 0) in float64: (−2, 1, 1), finite"),
    ]),
    op("tf.nn.l2_normalize", lambda x, axis=None: tf.nn.l2_normalize(x, axis=axis), [
        Sample((_d("tf.nn.l2_normalize", (5,)),), label="5 axis=None"),
        Sample((_d("tf.nn.l2_normalize", (2, 3), salt="a"),), {"axis": 1}, label="2x3 axis=1"),
        Sample((_d("tf.nn.l2_normalize", (2, 3), salt="b"),), {"axis": 0}, label="2x3 axis=0"),
    ], domain="x ≠ 0 along the axis (Σx² > epsilon = 1e-12)", points=[
        point("x=(3,4)", [[3.0, 4.0]], [[0.032, -0.024]], "∂/∂x_j Σ_i x_i/‖x‖ = (1 − y_j·Σy)/‖x‖ with y = (0.6, 0.8): (1 − 0.84)/5, (1 − 1.12)/5"),
        point("x=0", [[0.0, 0.0, 0.0]], [[1e6, 1e6, 1e6]],
              "documented as x / sqrt(max(Σx², epsilon)): on the ball Σx² < epsilon = 1e-12 it is x/√epsilon = 10⁶·x, so each ∂/∂x_j = 10⁶"),
    ]),
    op("tf.nn.batch_normalization", tf.nn.batch_normalization, [
        Sample((*_d("tf.nn.batch_normalization", (2, 3), (3,)), _d("tf.nn.batch_normalization", (3,), domain=POS, salt="v"),
                *_d("tf.nn.batch_normalization", (3,), (3,), salt="os"), 1e-3), label="2x3 per-channel eps=1e-3"),
        Sample((*_d("tf.nn.batch_normalization", (2, 2, 3), (2, 1, 3), salt="b"),
                _d("tf.nn.batch_normalization", (2, 1, 3), domain=POS, salt="vb"),
                *_d("tf.nn.batch_normalization", (3,), (3,), salt="osb"), 0.5), label="2x2x3 stats 2x1x3 eps=0.5"),
    ], diff=(0, 1, 2, 3, 4), domain="variance + epsilon > 0", points=[
        point("x=mean", [[1.0], [1.0], [0.75], [0.5], [2.0], 0.25], [[2.0], [-2.0], [0.0], [1.0], [0.0]],
              "y = s·(x − m)/√(v + ε) + o with v + ε = 1: ∂/∂x = s = 2, ∂/∂m = −2, ∂/∂v = −s(x − m)/2·(v + ε)^(−3/2) = 0, ∂/∂o = 1, ∂/∂s = x − m = 0"),
    ]),
    op("tf.nn.bias_add", lambda x, b, data_format=None: tf.nn.bias_add(x, b, data_format=data_format), [
        Sample(tuple(_d("tf.nn.bias_add", (2, 3), (3,))), label="2x3 with 3"),
        Sample(tuple(_d("tf.nn.bias_add", (1, 2, 2, 3), (3,), salt="a")), label="1x2x2x3 NHWC"),
        Sample(tuple(_d("tf.nn.bias_add", (1, 3, 2, 2), (3,), salt="b")), {"data_format": "NCHW"}, label="1x3x2x2 NCHW"),
    ], diff=(0, 1), domain="all reals", points=[
        point("2x3 with 3", [np.zeros((2, 3)), [1.0, 2.0, 3.0]], [np.ones((2, 3)), [2.0, 2.0, 2.0]],
              "x + b broadcast over the batch: ∂/∂x = 1, ∂/∂b_c = number of rows = 2"),
    ]),
]

# ------------------------------------------------------------------------------------------- convolution

def _conv_sample(name, x_shape, f_shape, label, salt="", **kwargs):
    x, f = _d(name, x_shape, f_shape, salt=salt + label)
    return Sample((x, f), kwargs, label=label)


DILATED_CONV = (
    "the float64 CPU kernels of Conv2DBackpropInput/Conv2DBackpropFilter reject dilations > 1 (\"Current CPU "
    "implementations do not yet support dilation rates larger than 1\") although the float64 forward Conv2D accepts "
    "them: every float64 reverse gradient raises, and so does forward mode inside a tf.function, whose JVP graph uses "
    "Conv2DBackpropInput (float32 works through oneDNN; XLA compiles its own kernels)",
    "https://github.com/tensorflow/tensorflow/issues/28264",
    "x = tf.ones([1, 4, 4, 1], tf.float64)\nf = tf.ones([2, 2, 1, 1], tf.float64)\n"
    "with tf.GradientTape() as t:\n    t.watch(x)\n    y = tf.nn.conv2d(x, f, 1, 'SAME', dilations=2)\n"
    "print(t.gradient(y, x))  # expected the 4x4 count of taps meeting each pixel, got InvalidArgumentError")

CONVOLUTION = [
    op("tf.nn.conv1d", lambda x, f, stride=1, padding="SAME", dilations=None: tf.nn.conv1d(x, f, stride, padding, dilations=dilations), [
        _conv_sample("tf.nn.conv1d", (1, 6, 2), (3, 2, 2), "1x6x2 * 3x2x2 stride=1 SAME"),
        _conv_sample("tf.nn.conv1d", (2, 5, 2), (2, 2, 3), "2x5x2 * 2x2x3 stride=2 VALID", stride=2, padding="VALID"),
    ], diff=(0, 1), domain="all reals (bilinear)", points=[
        point("ones, VALID", [np.ones((1, 3, 1)), np.ones((2, 1, 1))], [[[[1.0], [2.0], [1.0]]], [[[2.0]], [[2.0]]]],
              "outputs x0·f0 + x1·f1 and x1·f0 + x2·f1: ∂/∂x = (f0, f0 + f1, f1), ∂/∂f_k = Σ of the inputs it meets", padding="VALID"),
    ]),
    op("tf.nn.conv2d", lambda x, f, strides=1, padding="SAME", dilations=None: tf.nn.conv2d(x, f, strides, padding, dilations=dilations), [
        _conv_sample("tf.nn.conv2d", (1, 3, 4, 2), (2, 2, 2, 2), "1x3x4x2 * 2x2x2x2 strides=1 SAME"),
        _conv_sample("tf.nn.conv2d", (1, 4, 4, 1), (3, 3, 1, 2), "1x4x4x1 * 3x3x1x2 strides=2 VALID", strides=2, padding="VALID"),
        _conv_sample("tf.nn.conv2d", (1, 3, 3, 1), (2, 2, 1, 1), "1x3x3x1 * 2x2x1x1 explicit padding",
                     padding=[[0, 0], [1, 0], [0, 1], [0, 0]]),
    ], diff=(0, 1), domain="all reals (bilinear)", points=[
        point("ones, VALID", [np.ones((1, 2, 2, 1)), np.ones((2, 2, 1, 1))], [np.ones((1, 2, 2, 1)), np.ones((2, 2, 1, 1))],
              "a 2x2 window over a 2x2 input gives one output Σ x·f: ∂/∂x = f = 1, ∂/∂f = x = 1", padding="VALID"),
    ]),
    op("tf.nn.conv2d(dilations=2)", lambda x, f, padding="SAME": tf.nn.conv2d(x, f, 1, padding, dilations=2), [
        _conv_sample("tf.nn.conv2d(dilations=2)", (1, 4, 4, 1), (2, 2, 1, 2), "1x4x4x1 * 2x2x1x2 SAME"),
        _conv_sample("tf.nn.conv2d(dilations=2)", (1, 4, 5, 2), (2, 2, 2, 1), "1x4x5x2 * 2x2x2x1 VALID", padding="VALID"),
    ], diff=(0, 1), domain="all reals (bilinear); tf.nn.conv1d with dilations > 1 goes through the same Conv2D",
       bugs=(KnownBug(*DILATED_CONV, checks=("reverse", "float32"), modes=("eager", "function")),
             KnownBug(*DILATED_CONV, checks=("forward",), modes=("function",))),
       skips={"second_order": "every composition's oracle differentiates the float64 reverse gradient, which raises here "
                              "(the KnownBug above; three compositions raise themselves, forward-over-forward runs), so "
                              "nothing can check a second derivative"}),
    op("tf.nn.conv3d", lambda x, f, strides=(1, 1, 1, 1, 1), padding="SAME": tf.nn.conv3d(x, f, list(strides), padding), [
        _conv_sample("tf.nn.conv3d", (1, 2, 3, 2, 2), (2, 2, 2, 2, 1), "1x2x3x2x2 * 2x2x2x2x1 SAME"),
        _conv_sample("tf.nn.conv3d", (1, 2, 3, 3, 1), (2, 2, 2, 1, 2), "1x2x3x3x1 * 2x2x2x1x2 strides=(1,1,2,2,1) VALID",
                     strides=(1, 1, 2, 2, 1), padding="VALID"),
    ], diff=(0, 1), domain="all reals (bilinear)"),
    op("tf.nn.conv1d_transpose", lambda x, f, output_shape, strides, padding="SAME": tf.nn.conv1d_transpose(x, f, output_shape, strides, padding), [
        Sample((*_d("tf.nn.conv1d_transpose", (1, 3, 2), (2, 3, 2)), [1, 6, 3], 2), label="1x3x2 -> 1x6x3 strides=2 SAME"),
        Sample((*_d("tf.nn.conv1d_transpose", (1, 4, 2), (3, 2, 2), salt="v"), [1, 6, 2], 1), {"padding": "VALID"},
               label="1x4x2 -> 1x6x2 strides=1 VALID"),
    ], diff=(0, 1), domain="all reals (bilinear)"),
    op("tf.nn.conv2d_transpose", lambda x, f, output_shape, strides, padding="SAME": tf.nn.conv2d_transpose(x, f, output_shape, strides, padding), [
        Sample((*_d("tf.nn.conv2d_transpose", (1, 2, 2, 2), (2, 2, 3, 2)), [1, 4, 4, 3], 2), label="1x2x2x2 -> 1x4x4x3 strides=2 SAME"),
        Sample((*_d("tf.nn.conv2d_transpose", (1, 3, 3, 1), (2, 2, 2, 1), salt="v"), [1, 4, 4, 2], 1), {"padding": "VALID"},
               label="1x3x3x1 -> 1x4x4x2 strides=1 VALID"),
    ], diff=(0, 1), domain="all reals (bilinear)"),
    op("tf.nn.conv3d_transpose", lambda x, f, output_shape, strides, padding="SAME": tf.nn.conv3d_transpose(x, f, output_shape, strides, padding), [
        Sample((*_d("tf.nn.conv3d_transpose", (1, 2, 2, 2, 1), (2, 2, 2, 2, 1)), [1, 4, 4, 4, 2], 2), label="1x2x2x2x1 -> 1x4x4x4x2 strides=2 SAME"),
        Sample((*_d("tf.nn.conv3d_transpose", (1, 2, 2, 2, 2), (2, 2, 2, 1, 2), salt="v"), [1, 3, 3, 3, 1], 1), {"padding": "VALID"},
               label="1x2x2x2x2 -> 1x3x3x3x1 strides=1 VALID"),
    ], diff=(0, 1), domain="all reals (bilinear)"),
    op("tf.nn.depthwise_conv2d", lambda x, f, strides=(1, 1, 1, 1), padding="SAME", dilations=None:
       tf.nn.depthwise_conv2d(x, f, list(strides), padding, dilations=dilations), [
        _conv_sample("tf.nn.depthwise_conv2d", (1, 3, 4, 2), (2, 2, 2, 2), "1x3x4x2 * 2x2x2x2 SAME"),
        _conv_sample("tf.nn.depthwise_conv2d", (1, 4, 4, 1), (2, 2, 1, 3), "1x4x4x1 * 2x2x1x3 strides=2 VALID",
                     strides=(1, 2, 2, 1), padding="VALID"),
        _conv_sample("tf.nn.depthwise_conv2d", (1, 4, 4, 1), (2, 2, 1, 2), "1x4x4x1 * 2x2x1x2 dilations=2 SAME", dilations=[2, 2]),
    ], diff=(0, 1), domain="all reals (bilinear)"),
    op("tf.nn.separable_conv2d", lambda x, dw, pw, strides=(1, 1, 1, 1), padding="SAME", dilations=None:
       tf.nn.separable_conv2d(x, dw, pw, list(strides), padding, dilations=dilations), [
        Sample(tuple(_d("tf.nn.separable_conv2d", (1, 3, 4, 2), (2, 2, 2, 2), (1, 1, 4, 3))), label="1x3x4x2 dw 2x2x2x2 pw 1x1x4x3 SAME"),
        Sample(tuple(_d("tf.nn.separable_conv2d", (1, 4, 4, 1), (2, 2, 1, 2), (1, 1, 2, 2), salt="s")),
               {"strides": (1, 2, 2, 1), "padding": "VALID"}, label="1x4x4x1 strides=2 VALID"),
        Sample(tuple(_d("tf.nn.separable_conv2d", (1, 4, 4, 1), (2, 2, 1, 2), (1, 1, 2, 1), salt="d")),
               {"dilations": [2, 2]}, label="1x4x4x1 dilations=2 SAME"),
    ], diff=(0, 1, 2), domain="all reals (trilinear)"),
    op("tf.nn.atrous_conv2d", lambda x, f, rate=2, padding="SAME": tf.nn.atrous_conv2d(x, f, rate, padding), [
        _conv_sample("tf.nn.atrous_conv2d", (1, 4, 4, 1), (2, 2, 1, 2), "1x4x4x1 * 2x2x1x2 rate=2 SAME"),
        _conv_sample("tf.nn.atrous_conv2d", (1, 4, 4, 2), (2, 2, 2, 1), "1x4x4x2 * 2x2x2x1 rate=2 VALID", padding="VALID"),
        _conv_sample("tf.nn.atrous_conv2d", (1, 3, 4, 1), (2, 2, 1, 1), "1x3x4x1 * 2x2x1x1 rate=1 SAME", rate=1),
    ], diff=(0, 1), domain="all reals (bilinear)"),
    op("tf.nn.convolution", lambda x, f, strides=None, padding="SAME", dilations=None:
       tf.nn.convolution(x, f, strides=strides, padding=padding, dilations=dilations), [
        _conv_sample("tf.nn.convolution", (1, 6, 2), (3, 2, 2), "1-D 1x6x2 * 3x2x2 SAME"),
        _conv_sample("tf.nn.convolution", (1, 4, 4, 1), (2, 2, 1, 2), "2-D 1x4x4x1 * 2x2x1x2 strides=2 VALID", strides=2, padding="VALID"),
        _conv_sample("tf.nn.convolution", (1, 4, 4, 1), (2, 2, 1, 2), "2-D 1x4x4x1 * 2x2x1x2 dilations=2 SAME", dilations=2),
    ], diff=(0, 1), domain="all reals (bilinear)", second_order_sample=1, bugs=(
        KnownBug("with the default data_format=None tf.nn.convolution records Conv2D with data_format None; its gradient "
                 "Conv2DBackpropInput inherits it and _Conv2DBackpropInputGrad calls op.get_attr('data_format').decode(): "
                 "differentiating the reverse gradient again raises AttributeError", "unreported",
                 "x = tf.ones([1, 4, 4, 1], tf.float64)\nf = tf.ones([2, 2, 1, 1], tf.float64)\n"
                 "with tf.GradientTape() as outer:\n    outer.watch(f)\n    with tf.GradientTape() as inner:\n"
                 "        inner.watch(x)\n        y = tf.nn.convolution(x, f, padding='VALID')\n"
                 "    g = inner.gradient(y, x)\nprint(outer.gradient(g, f))  # expected 9s (each tap meets 9 outputs), "
                 "got AttributeError: 'NoneType' object has no attribute 'decode'",
                 checks=("reverse_over_reverse", "forward_over_reverse"), modes=("eager",)),)),
]


def _morph_sample(name, x_shape, f_shape, label, **kwargs):
    """Distinct inputs 0.1 apart and a filter within [0, 0.04]: each window's max (min) is decided by the input alone."""
    x = distinct(name, x_shape, gap=0.1, salt=label)
    f = distinct(name, f_shape, lo=0.0, hi=0.04, gap=0.004, salt=label + "f")
    return Sample((x, f), {"strides": [1, 1, 1, 1], "padding": "SAME", "dilations": [1, 1, 1, 1], **kwargs}, label=label)


FORWARD_AND_SECOND = ("forward",) + SECOND + ("special_forward",)
FORWARD_NOTE = " (forward mode transposes the backward function, so it needs that gradient too)"


def _no_grad_of_grad(op_name, call, raw, raised=None):
    return KnownBug(f"{raw} (the backward of {op_name}) has no registered gradient: forward mode{FORWARD_NOTE} and "
                    f"every second derivative raise LookupError although {op_name} is piecewise linear", "unreported",
                    f"x = tf.constant([[[[1.0], [3.0]], [[2.0], [0.0]]]], tf.float64)\n{call}\n"
                    "with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as acc:\n    y = f(x)\n"
                    f"print(acc.jvp(y))  # expected 1.0 (the tangent at the pixel the window selects), got LookupError: gradient "
                    f"registry has no entry for: {raised or raw}", checks=FORWARD_AND_SECOND)


MORPHOLOGY = [
    op("tf.nn.dilation2d", lambda x, f, strides, padding, dilations: tf.nn.dilation2d(x, f, strides, padding, "NHWC", dilations), [
        _morph_sample("tf.nn.dilation2d", (1, 3, 4, 2), (2, 2, 2), "1x3x4x2 with 2x2x2 SAME"),
        _morph_sample("tf.nn.dilation2d", (1, 4, 4, 1), (2, 2, 1), "1x4x4x1 with 2x2x1 strides=2 VALID", strides=[1, 2, 2, 1], padding="VALID"),
        _morph_sample("tf.nn.dilation2d", (1, 4, 4, 1), (2, 2, 1), "1x4x4x1 with 2x2x1 dilations=2 VALID", dilations=[1, 2, 2, 1], padding="VALID"),
    ], diff=(0, 1), domain="no ties among x + filter in a window", points=[
        point("tie", [np.ones((1, 2, 2, 1)), np.zeros((2, 2, 1))], [between(np.zeros((1, 2, 2, 1)), np.ones((1, 2, 2, 1))),
                                                                    between(np.zeros((2, 2, 1)), np.ones((2, 2, 1)))],
              "one output max(x + f) over four tied sums: any convex combination of them is a subgradient (each entry in [0, 1])",
              strides=[1, 1, 1, 1], padding="VALID", dilations=[1, 1, 1, 1]),
    ], bugs=(_no_grad_of_grad("Dilation2D", "f = lambda x: tf.nn.dilation2d(x, tf.zeros([2, 2, 1], tf.float64), [1, 1, 1, 1], "
                              "'VALID', 'NHWC', [1, 1, 1, 1])", "Dilation2DBackpropInput/Filter",
                              "Dilation2DBackpropFilter"),), skips={"xla": "XLA cannot compile Dilation2D (no XLA_CPU_JIT kernel)"}),
    op("tf.nn.erosion2d", lambda x, f, strides, padding, dilations: tf.nn.erosion2d(x, f, strides, padding, "NHWC", dilations), [
        _morph_sample("tf.nn.erosion2d", (1, 3, 4, 2), (2, 2, 2), "1x3x4x2 with 2x2x2 SAME"),
        _morph_sample("tf.nn.erosion2d", (1, 4, 4, 1), (2, 2, 1), "1x4x4x1 with 2x2x1 strides=2 VALID", strides=[1, 2, 2, 1], padding="VALID"),
    ], diff=(0, 1), domain="no ties among x − filter in a window", points=[
        point("tie", [np.ones((1, 2, 2, 1)), np.zeros((2, 2, 1))], [between(np.zeros((1, 2, 2, 1)), np.ones((1, 2, 2, 1))),
                                                                    between(-np.ones((2, 2, 1)), np.zeros((2, 2, 1)))],
              "one output min(x − f) over four tied differences: any convex combination is a subgradient (x entries in [0, 1], "
              "filter entries in [−1, 0])", strides=[1, 1, 1, 1], padding="VALID", dilations=[1, 1, 1, 1]),
    ], bugs=(_no_grad_of_grad("Dilation2D", "f = lambda x: tf.nn.erosion2d(x, tf.zeros([2, 2, 1], tf.float64), [1, 1, 1, 1], "
                              "'VALID', 'NHWC', [1, 1, 1, 1])", "Dilation2DBackpropInput/Filter",
                              "Dilation2DBackpropFilter"),),
       skips={"xla": "XLA cannot compile Dilation2D, which erosion2d runs on the negated image (no XLA_CPU_JIT kernel)"}),
]

# ------------------------------------------------------------------------------------------------ pooling

MAXPOOL_XLA = "XLA cannot compile MaxPoolGradGrad (no XLA_CPU_JIT kernel), which forward mode over a max pool needs"
TIE_WHY = ("max over a window of tied values: any convex combination of the tied elements' unit vectors is a subgradient "
           "(each entry in [0, 1])")


def _pool_sample(name, shape, label, ksize, strides, padding, maximum):
    x = distinct(name, shape, gap=0.1, salt=label) if maximum else _d(name, shape, salt=label)
    return Sample((x, ksize, strides, padding), label=label)


POOLING = [
    op("tf.nn.avg_pool1d", tf.nn.avg_pool1d, [
        _pool_sample("tf.nn.avg_pool1d", (1, 6, 2), "1x6x2 k=2 s=2 VALID", 2, 2, "VALID", False),
        _pool_sample("tf.nn.avg_pool1d", (2, 5, 2), "2x5x2 k=3 s=1 SAME", 3, 1, "SAME", False),
    ], domain="all reals (linear)", points=[
        point("SAME edge", [np.ones((1, 3, 1)), 2, 1, "SAME"], [[[[0.5], [1.0], [1.5]]]],
              "SAME windows (x0, x1), (x1, x2), (x2): the mean of the in-bounds elements, so x2 gets 1/2 + 1"),
    ]),
    op("tf.nn.avg_pool2d", tf.nn.avg_pool2d, [
        _pool_sample("tf.nn.avg_pool2d", (1, 4, 4, 1), "1x4x4x1 k=2 s=2 VALID", 2, 2, "VALID", False),
        _pool_sample("tf.nn.avg_pool2d", (1, 3, 4, 2), "1x3x4x2 k=(2,3) s=1 SAME", (2, 3), 1, "SAME", False),
    ], domain="all reals (linear)", points=[
        point("VALID 2x2", [np.ones((1, 2, 2, 1)), 2, 2, "VALID"], [np.full((1, 2, 2, 1), 0.25)], "one window mean of four: 1/4 each"),
    ]),
    op("tf.nn.max_pool1d", tf.nn.max_pool1d, [
        _pool_sample("tf.nn.max_pool1d", (1, 6, 2), "1x6x2 k=2 s=2 VALID", 2, 2, "VALID", True),
        _pool_sample("tf.nn.max_pool1d", (2, 5, 2), "2x5x2 k=3 s=1 SAME", 3, 1, "SAME", True),
    ], domain="no ties within a window", points=[
        point("tie", [np.ones((1, 2, 1)), 2, 2, "VALID"], [between(np.zeros((1, 2, 1)), np.ones((1, 2, 1)))], TIE_WHY),
    ], skips={"xla": MAXPOOL_XLA}),
    op("tf.nn.max_pool2d", tf.nn.max_pool2d, [
        _pool_sample("tf.nn.max_pool2d", (1, 4, 4, 1), "1x4x4x1 k=2 s=2 VALID", 2, 2, "VALID", True),
        _pool_sample("tf.nn.max_pool2d", (1, 3, 4, 2), "1x3x4x2 k=(2,3) s=1 SAME", (2, 3), 1, "SAME", True),
    ], domain="no ties within a window", points=[
        point("tie", [np.ones((1, 2, 2, 1)), 2, 2, "VALID"], [between(np.zeros((1, 2, 2, 1)), np.ones((1, 2, 2, 1)))], TIE_WHY),
        point("distinct", [np.array([[[[1.0], [3.0]], [[2.0], [0.0]]]]), 2, 2, "VALID"], [[[[[0.0], [1.0]], [[0.0], [0.0]]]]],
              "the unique maximum of the window gets the whole gradient"),
    ], skips={"xla": MAXPOOL_XLA}),
    op("tf.nn.max_pool_with_argmax", lambda x, ksize, strides, padding: tf.nn.max_pool_with_argmax(x, ksize, strides, padding), [
        _pool_sample("tf.nn.max_pool_with_argmax", (1, 4, 4, 1), "1x4x4x1 k=2 s=2 VALID", 2, 2, "VALID", True),
        _pool_sample("tf.nn.max_pool_with_argmax", (1, 3, 4, 2), "1x3x4x2 k=2 s=1 SAME", 2, 1, "SAME", True),
    ], domain="no ties within a window (argmax is an integer output, not differentiated)", points=[
        point("tie", [np.ones((1, 2, 2, 1)), 2, 2, "VALID"], [between(np.zeros((1, 2, 2, 1)), np.ones((1, 2, 2, 1)))], TIE_WHY),
    ], bugs=(_no_grad_of_grad("MaxPoolWithArgmax", "f = lambda x: tf.nn.max_pool_with_argmax(x, 2, 2, 'VALID')[0]",
                              "MaxPoolGradWithArgmax"),), skips={"xla": "XLA cannot compile MaxPoolWithArgmax (no XLA_CPU_JIT kernel)"}),
    op("tf.nn.pool", lambda x, window_shape, pooling_type, strides=None, padding="VALID", dilations=None:
       tf.nn.pool(x, window_shape, pooling_type, strides=strides, padding=padding, dilations=dilations), [
        Sample((distinct("tf.nn.pool", (1, 6, 2), gap=0.1), [2], "MAX"), {"strides": [2]}, label="1-D MAX k=2 s=2 VALID"),
        Sample((_d("tf.nn.pool", (1, 4, 4, 1), salt="avg"), [2, 2], "AVG"), {"padding": "SAME"}, label="2-D AVG k=2 SAME"),
        Sample((distinct("tf.nn.pool", (1, 4, 5, 1), gap=0.1, salt="dil"), [2, 2], "MAX"), {"dilations": [2, 2]},
               label="2-D MAX k=2 dilations=2 VALID"),
    ], domain="no ties within a MAX window", points=[
        point("MAX tie", [np.ones((1, 2, 2, 1)), [2, 2], "MAX"], [between(np.zeros((1, 2, 2, 1)), np.ones((1, 2, 2, 1)))], TIE_WHY),
        point("AVG", [np.ones((1, 2, 2, 1)), [2, 2], "AVG"], [np.full((1, 2, 2, 1), 0.25)], "one window mean of four: 1/4 each"),
    ], skips={"xla": MAXPOOL_XLA + " (the MAX samples share the kernel with the AVG ones)"}),
]

# -------------------------------------------------------------------------------------------------- losses

XENT_REPRO = (
    "labels = tf.constant([[0.2, 0.3, 0.5]], tf.float64)\n"
    "logits = tf.constant([[0.1, -0.4, 0.7]], tf.float64)\n"
    "with tf.GradientTape() as outer:\n"
    "    outer.watch(labels)\n"
    "    with tf.GradientTape() as inner:\n"
    "        inner.watch(logits)\n"
    "        loss = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)\n"
    "    g = inner.gradient(loss, logits)  # softmax(logits)·Σlabels − labels\n"
    "print(outer.jacobian(g, labels))  # expected ∂g_i/∂labels_j = p_i − δ_ij (−0.71, 0.29, ... ), got all zeros")

POISSON_REPRO = (
    "z = tf.constant([0.0], tf.float64)  # a Poisson count of 0\n"
    "c = tf.constant([0.5], tf.float64)\n"
    "with tf.GradientTape() as t:\n"
    "    t.watch(z)\n"
    "    loss = tf.nn.log_poisson_loss(z, c, compute_full_loss=True)\n"
    "print(t.gradient(loss, z))  # expected [-0.5] (the Stirling term is 0 for 0 <= z <= 1), got [nan]")

CTC_REPRO = (
    "logits = tf.zeros([2, 1, 2], tf.float64)\n"
    "labels = tf.SparseTensor([[0, 0]], [1], [1, 1])\n"
    "with tf.GradientTape() as outer:\n"
    "    outer.watch(logits)\n"
    "    with tf.GradientTape() as inner:\n"
    "        inner.watch(logits)\n"
    "        loss = tf.nn.ctc_loss(labels, logits, None, [2], blank_index=0)\n"
    "    g = inner.gradient(loss, logits)\n"
    "print(outer.gradient(g, logits))  # expected the (finite) Hessian-vector product, got LookupError (prevent_gradient)")

CTC_PRECISION_WHY = (
    "the CTC kernels' LogSumExp<T> (core/util/ctc/ctc_loss_util.h) calls log1pf(expf(...)) for every T, so the float64 "
    "loss and gradient carry float32 rounding (−log(3/4) comes out 0.28768208242 instead of 0.28768207245; ∂/∂z off by "
    "2e-8), and differences of the float64 loss are only ~1e-5 accurate", "unreported",
    "logits = tf.zeros([2, 1, 2], tf.float64)\nlabels = tf.SparseTensor([[0, 0]], [1], [1, 1])\n"
    "print(tf.nn.ctc_loss(labels, logits, None, [2], blank_index=0).numpy() + np.log(0.75))"
    "  # expected ~1e-17, got 1.0e-08")
CTC_PRECISION = KnownBug(*CTC_PRECISION_WHY, checks=("forward",))
CTC_PRECISION_AT_POINT = KnownBug(*CTC_PRECISION_WHY, checks=("special_reverse", "special_forward"))

CTC_GRAPH = KnownBug(
    "in a tf.function, ctc_loss with SparseTensor labels also traces the cuDNN branch (CTCLossV2, float32 only) next to "
    "the CPU one, so float64 logits raise TypeError at trace time although the same call works eagerly",
    "unreported",
    "logits = tf.zeros([2, 1, 2], tf.float64)\n"
    "f = tf.function(lambda z: tf.nn.ctc_loss(tf.SparseTensor([[0, 0]], [1], [1, 1]), z, None, [2], blank_index=0))\n"
    "print(f(logits))  # expected [0.2877] (= −log(3/4), as eagerly), got TypeError: Input 'inputs' of 'CTCLossV2' Op has "
    "type float64 that does not match expected type of float32",
    checks=("reverse", "forward", "special_reverse", "special_forward"), modes=("function", "xla"))

CTC_LABELS = {  # (indices, values, dense_shape) of the SparseTensor of labels, and the frame counts
    "one": (np.array([[0, 0], [0, 1]], np.int64), np.array([1, 2], np.int32), np.array([1, 2], np.int64), np.array([4], np.int32)),
    "two": (np.array([[0, 0], [1, 0], [1, 1]], np.int64), np.array([1, 2, 1], np.int32), np.array([2, 2], np.int64),
            np.array([4, 3], np.int32)),
    "single": (np.array([[0, 0]], np.int64), np.array([1], np.int32), np.array([1, 1], np.int64), np.array([2], np.int32)),
}


def _simplex(name, shape, axis=-1):
    """Labels that are probability distributions along `axis` (as the op requires), with dyadic entries summing to 1 exactly."""
    rng = np.random.default_rng(len(name) * 7919 + int(np.prod(shape)))
    moved = list(shape)
    n = moved.pop(axis)
    rows = []
    for _ in range(int(np.prod(moved, dtype=int))):
        cuts = np.sort(rng.choice(np.arange(1, 64), size=n - 1, replace=False))
        rows.append(np.diff(np.concatenate([[0], cuts, [64]])) / 64.0)
    return np.moveaxis(np.asarray(rows).reshape(moved + [n]), -1, axis)


def _ctc(logits, indices, values, dense_shape, logit_length):
    labels = tf.SparseTensor(indices, values, dense_shape)
    return tf.nn.ctc_loss(labels, logits, None, logit_length, logits_time_major=True, blank_index=0)


LOSSES = [
    op("tf.nn.softmax_cross_entropy_with_logits", lambda labels, logits, axis=-1:
       tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits, axis=axis), [
        Sample((_simplex("xent", (3,)), _d("tf.nn.softmax_cross_entropy_with_logits", (3,), salt="z")), label="3"),
        Sample((_simplex("xent", (2, 4)), _d("tf.nn.softmax_cross_entropy_with_logits", (2, 4), salt="za")), label="2x4 axis=-1"),
        Sample((_simplex("xent", (4, 2), axis=0), _d("tf.nn.softmax_cross_entropy_with_logits", (4, 2), salt="zb")), {"axis": 0},
               label="4x2 axis=0"),
    ], diff=(0, 1), domain="logits real; labels a probability distribution along the axis (documented requirement: the "
                           "logits-gradient softmax − labels assumes Σ labels = 1); the loss −Σ labels·log_softmax(logits)", points=[
        point("equal logits, one-hot", [[0.0, 1.0, 0.0], [0.0, 0.0, 0.0]], [[math.log(3)] * 3, [1 / 3, -2 / 3, 1 / 3]],
              "∂/∂labels = −log_softmax = log 3; ∂/∂logits = softmax·Σlabels − labels = 1/3 − (0, 1, 0)"),
        point("logits ±1000", [[0.0, 1.0, 0.0], [1000.0, -1000.0, 0.0]], [[0.0, 2000.0, 1000.0], [1.0, -1.0, 0.0]],
              "−log_softmax = LSE − z = 1000 − z, exact in float64; softmax = (1, 0, 0): ∂/∂logits = (1, 0, 0) − (0, 1, 0), finite"),
    ], bugs=(KnownBug("the gradient of the logits-gradient output (softmax − labels) with respect to labels is missing: "
                      "_SoftmaxCrossEntropyWithLogitsGrad passes grad_grad on to the logits only, so on that path "
                      "∂(softmax·Σlabels − labels)/∂labels = p·1ᵀ − I comes out 0 (the other path, through the labels' "
                      "gradient −log_softmax(logits), is right, so the computed Hessian is not even symmetric)", "https://github.com/tensorflow/tensorflow/issues/26495", XENT_REPRO,
                      checks=SECOND, modes=("eager",)),)),
    op("tf.nn.sparse_softmax_cross_entropy_with_logits", lambda logits, labels:
       tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits), [
        Sample((_d("tf.nn.sparse_softmax_cross_entropy_with_logits", (3,)), np.array(2, np.int32)), label="3 label scalar"),
        Sample((_d("tf.nn.sparse_softmax_cross_entropy_with_logits", (2, 4), salt="a"), np.array([1, 3], np.int32)), label="2x4 labels 2"),
        Sample((_d("tf.nn.sparse_softmax_cross_entropy_with_logits", (2, 2, 3), salt="b"), np.array([[0, 2], [1, 1]], np.int32)),
               label="2x2x3 labels 2x2"),
    ], domain="logits real; integer labels not differentiated", points=[
        point("equal logits", [[[0.0, 0.0, 0.0]], np.array([1], np.int32)], [[[1 / 3, -2 / 3, 1 / 3]]], "softmax − onehot = 1/3 − (0, 1, 0)"),
        point("logits ±1000", [[[1000.0, -1000.0, 0.0]], np.array([1], np.int32)], [[[1.0, -1.0, 0.0]]],
              "softmax = (1, 0, 0) in float64: softmax − onehot = (1, −1, 0), finite though the loss is 2000"),
    ]),
    op("tf.nn.sigmoid_cross_entropy_with_logits", lambda labels, logits: tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits), [
        Sample((_d("tf.nn.sigmoid_cross_entropy_with_logits", (5,), domain=Domain(0.05, 0.95, "")),
                _d("tf.nn.sigmoid_cross_entropy_with_logits", (5,), domain=Domain(-4.0, 4.0, ""), salt="z")), label="5"),
        Sample((_d("tf.nn.sigmoid_cross_entropy_with_logits", (2, 3), domain=Domain(0.05, 0.95, ""), salt="a"),
                _d("tf.nn.sigmoid_cross_entropy_with_logits", (2, 3), domain=Domain(-4.0, 4.0, ""), salt="za")), label="2x3"),
    ], diff=(0, 1), domain="labels and logits real (z·softplus(−x) + (1 − z)·softplus(x))", points=[
        point("logits=0", [[0.3], [0.0]], [[0.0], [0.2]], "∂/∂z = −x = 0; ∂/∂x = σ(x) − z = 0.5 − 0.3 (smooth at 0 despite the |x| in TF's formula)"),
        point("logits ±100", [[0.3, 0.3], [100.0, -100.0]], [[-100.0, 100.0], [0.7, -0.3]],
              "∂/∂z = −x; ∂/∂x = σ(x) − z with σ(100) = 1, σ(−100) = 3.7e−44: finite"),
    ]),
    op("tf.nn.weighted_cross_entropy_with_logits", lambda labels, logits, pos_weight:
       tf.nn.weighted_cross_entropy_with_logits(labels, logits, pos_weight), [
        Sample((_d("tf.nn.weighted_cross_entropy_with_logits", (5,), domain=Domain(0.05, 0.95, "")),
                _d("tf.nn.weighted_cross_entropy_with_logits", (5,), domain=Domain(-4.0, 4.0, ""), salt="z"),
                _d("tf.nn.weighted_cross_entropy_with_logits", (), domain=POS, salt="q")), label="5 pos_weight scalar"),
        Sample((_d("tf.nn.weighted_cross_entropy_with_logits", (2, 3), domain=Domain(0.05, 0.95, ""), salt="a"),
                _d("tf.nn.weighted_cross_entropy_with_logits", (2, 3), domain=Domain(-4.0, 4.0, ""), salt="za"),
                _d("tf.nn.weighted_cross_entropy_with_logits", (3,), domain=POS, salt="qa")), label="2x3 pos_weight 3"),
    ], diff=(0, 1, 2), domain="pos_weight > 0 (q·z·softplus(−x) + (1 − z)·softplus(x))", points=[
        point("logits=0", [[0.5], [0.0], 2.0], [[math.log(2)], [-0.25], 0.5 * math.log(2)],
              "∂/∂x = −q·z·σ(−x) + (1 − z)·σ(x) = −0.5 + 0.25; ∂/∂z = (q − 1)·softplus(−x) − x = log 2; ∂/∂q = z·softplus(−x) = log 2 / 2",
              bug=KnownBug("the loss is computed as (1 − z)·x + l·(log1p(exp(−|x|)) + relu(−x)); the two kinks at x = 0 cancel "
                           "in the value (softplus(−x) is smooth) but TensorFlow differentiates each with slope 0 there "
                           "(abs'(0) = relu'(0) = 0), dropping the −l·σ(0) = −l/2 term: ∂/∂x is 1 − z instead of 1 − z − l/2",
                           "unreported",
                           "x = tf.constant([0.0], tf.float64)\nwith tf.GradientTape() as t:\n    t.watch(x)\n"
                           "    loss = tf.nn.weighted_cross_entropy_with_logits(tf.constant([0.5], tf.float64), x, 2.0)\n"
                           "print(t.gradient(loss, x))  # expected [-0.25], got [0.5]")),
        point("logits=-100", [[0.5], [-100.0], 2.0], [[200.0], [-1.0], 50.0],
              "softplus(100) = 100 and σ(100) = 1 in float64: ∂/∂z = (q − 1)·100 + 100; ∂/∂x = −q·z + (1 − z)·σ(−100); ∂/∂q = z·100"),
    ]),
    op("tf.nn.log_poisson_loss", lambda targets, log_input, compute_full_loss=False:
       tf.nn.log_poisson_loss(targets, log_input, compute_full_loss=compute_full_loss), [
        Sample((_d("tf.nn.log_poisson_loss", (5,), domain=POS), _d("tf.nn.log_poisson_loss", (5,), salt="c")), label="5"),
        Sample((_d("tf.nn.log_poisson_loss", (2, 3), domain=Domain(0.2, 3.0, "", avoid=(1.0,), margin=0.15), salt="a"),
                _d("tf.nn.log_poisson_loss", (2, 3), salt="ca")), {"compute_full_loss": True}, label="2x3 compute_full_loss"),
    ], diff=(0, 1), domain="targets ≥ 0; with compute_full_loss targets ≠ 1 (the Stirling term jumps there)", points=[
        point("targets=0", [[0.0], [0.5]], [[-0.5], [math.exp(0.5)]], "e^c − z·c: ∂/∂z = −c, ∂/∂c = e^c"),
        point("targets=0 full", [[0.0], [0.5]], [[-0.5], [math.exp(0.5)]],
              "the Stirling term is replaced by 0 for 0 ≤ z ≤ 1, so the loss is e^c − z·c there: ∂/∂z = −c, ∂/∂c = e^c",
              compute_full_loss=True,
              bug=KnownBug("the unselected Stirling branch z·log z + ½·log(2πz) has a NaN derivative at z = 0 and "
                           "tf.where's gradient multiplies it by 0: 0·NaN = NaN (forward mode is right: the JVP of the "
                           "unselected branch is not computed through the mask)", "unreported", POISSON_REPRO,
                           checks=("special_reverse",))),
        point("targets=2 full", [[2.0], [0.5]], [[-0.5 + math.log(2.0) + 0.25], [math.exp(0.5) - 2.0]],
              "e^c − z·c + z·log z − z + ½·log(2πz): ∂/∂z = −c + log z + 1/(2z), ∂/∂c = e^c − z", compute_full_loss=True),
    ]),
    op("tf.nn.ctc_loss", _ctc, [
        Sample((_d("tf.nn.ctc_loss", (4, 1, 4)), *CTC_LABELS["one"]), label="4 frames batch 1 labels [1,2]"),
        Sample((_d("tf.nn.ctc_loss", (4, 2, 3), salt="b"), *CTC_LABELS["two"]), label="4 frames batch 2 labels [1],[2,1] lengths 4,3"),
    ], domain="logits real; sparse integer labels (blank_index=0) not differentiated", points=[
        point("T=1 one label", [np.zeros((1, 1, 2)), *CTC_LABELS["single"][:3], np.array([1], np.int32)], [[[[0.5, -0.5]]]],
              "one path (emit label 1): loss = −log softmax(z)₁, gradient softmax − onehot = (1/2, −1/2)"),
        point("T=2 one label", [np.zeros((2, 1, 2)), *CTC_LABELS["single"]], [np.array([[[1 / 6, -1 / 6]], [[1 / 6, -1 / 6]]])],
              "paths (1,1), (1,b), (b,1) each of probability 1/4; ∂(−log P)/∂z_tk = p_tk − occupancy_tk with occupancy of the "
              "label 2/3 at each frame: 1/2 − 1/3, 1/2 − 2/3", bug=CTC_PRECISION_AT_POINT),
    ], bugs=(CTC_PRECISION, CTC_GRAPH, KnownBug("the CTC loss's gradient is the fused op's second output wrapped in prevent_gradient, so every second "
                      "derivative raises LookupError although the loss is smooth in the logits", "unreported", CTC_REPRO,
                      checks=SECOND, modes=("eager",)),)),
    op("tf.nn.compute_average_loss", lambda loss, global_batch_size=None:
       tf.nn.compute_average_loss(loss, global_batch_size=global_batch_size), [
        Sample((_d("tf.nn.compute_average_loss", (4,)),), {"global_batch_size": 8}, label="4 global_batch_size=8"),
        Sample((_d("tf.nn.compute_average_loss", (2, 3), salt="a"),), label="2x3 batch size from the shape"),
    ], domain="all reals (Σ loss / global batch size)", points=[
        point("ones", [np.ones(4)], [np.full(4, 0.125)], "Σ l / 8", global_batch_size=8),
    ]),
    op("tf.nn.compute_average_loss(sample_weight=w)", lambda loss, w, global_batch_size=None:
       tf.nn.compute_average_loss(loss, sample_weight=w, global_batch_size=global_batch_size), [
        Sample((*_d("tf.nn.compute_average_loss(sample_weight=w)", (4,), (4,)),), {"global_batch_size": 8},
               label="4 weights 4 global_batch_size=8"),
        Sample((*_d("tf.nn.compute_average_loss(sample_weight=w)", (2, 3), (2, 1), salt="a"),), label="2x3 weights 2x1"),
    ], diff=(0, 1), domain="all reals (Σ w·loss / global batch size)", points=[
        point("ones", [np.ones(4), np.ones(4)], [np.full(4, 0.125), np.full(4, 0.125)],
              "Σ w·l / 8: ∂/∂l = w/8, ∂/∂w = l/8", global_batch_size=8),
    ], bugs=(KnownBug("with sample_weight the float64 loss is computed in float32: losses/util.py's "
                      "scale_losses_by_sample_weight casts losses and weights to float32 (a TODO there says so), so the "
                      "value, its differences and the forward-mode JVP carry float32 rounding (relative errors ~1e-5 in "
                      "the derivatives)", "unreported",
                      "l = tf.constant([0.1, 0.2], tf.float64)\nw = tf.constant([1.0, 1.0], tf.float64)\n"
                      "print(tf.nn.compute_average_loss(l, sample_weight=w, global_batch_size=2).numpy() - 0.15)"
                      "  # expected ~1e-17, got 2.2e-09 (float32 rounding)",
                      checks=("reverse", "forward") + SECOND),)),
    unary("tf.nn.scale_regularization_loss", tf.nn.scale_regularization_loss, REAL, [
        point("x=(1,-2)", [[1.0, -2.0]], [[1.0, 1.0]], "the loss divided by the number of replicas, 1 outside a distribution strategy"),
    ]),
]

OPS = ACTIVATIONS + NORMALISATION + CONVOLUTION + MORPHOLOGY + POOLING + LOSSES
