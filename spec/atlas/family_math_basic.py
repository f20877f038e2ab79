"""tf.math: arithmetic, powers, exponentials and logarithms, trigonometric and hyperbolic functions."""
import numpy as np
import tensorflow as tf

from spec.atlas.records import POSITIVE, REAL, REAL_NONZERO, KnownBug, binary, point, unary

FAMILY = "tf.math: elementwise arithmetic, exp/log, trigonometric"

OPS = [
    unary("tf.math.sin", tf.math.sin, REAL, [
        point("x=0", [0.0], [1.0], "cos 0 = 1"),
        point("x=pi/2", [np.pi / 2], [np.cos(np.float64(np.pi / 2))], "cos(pi/2) = 0 (to float64 rounding)"),
    ]),
    unary("tf.math.sqrt", tf.math.sqrt, POSITIVE, [
        point("x=0", [0.0], [np.inf], "d√x/dx = 1/(2√x) → +inf as x → 0+ (one-sided)"),
        point("x=1", [1.0], [0.5], "1/(2·1)"),
    ]),
    binary("tf.math.xlogy", tf.math.xlogy, REAL, POSITIVE, [
        point("x=0,y=2", [0.0, 2.0], [np.log(2.0), 0.0], "∂/∂x = log y; ∂/∂y = x/y = 0 at x = 0"),
        point("x=0,y=0", [0.0, 0.0], [-np.inf, 0.0], "xlogy(0, y) = 0 for every y, so ∂/∂y = 0; ∂/∂x = log y = -inf at y = 0"),
    ]),
    unary("tf.math.pow(x, 0)", lambda x: tf.math.pow(x, tf.zeros_like(x)), REAL, [
        point("x=0", [0.0], [0.0], "x⁰ = 1 for every x (0⁰ = 1 by TensorFlow's and IEEE's convention): the derivative is 0",
              bug=KnownBug("Pow's gradient y·x^(y−1) is 0·0^(−1) = 0·inf = NaN at x = 0, y = 0", "unreported",
                           "x = tf.constant(0.0)\nwith tf.GradientTape() as t:\n    t.watch(x)\n    y = tf.pow(x, 0.0)\nprint(t.gradient(y, x))  # nan, expected 0.0")),
    ]),
]
