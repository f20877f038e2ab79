"""Sequence and resampling ops with fused kernels: CTC loss, the block LSTM, fractional pooling, projective image
transforms, and the least-squares kernel MatrixSolveLs.

- tf.nn.ctc_loss with dense labels (its default path: TensorFlow ops inside a custom gradient) runs in float32 only
  (float64 logits raise in the forward pass: ctc_loss_and_grad multiplies by a float32 mask; the runner cannot state
  a forward that raises), so it is checked in float32 against a float64 NumPy CTC forward (the alpha recursion).
  With SparseTensor labels it runs the CTCLoss kernel: family_nn's tf.nn.ctc_loss checks it in float64 (where
  tf.function also builds the cuDNN CTCLossV2, float32 only, and raises); the float32 record here checks it in every
  mode, its tf.function holding CTCLossV2 (GPU only: it never runs on a CPU). Special points are closed forms of the
  recursion: one frame (softmax − one-hot, and the Hessian diag(p) − ppᵀ), two uniform frames (three paths), a repeated
  label (one path) and frames beyond logit_length (gradient 0).
- tf.raw_ops.BlockLSTM (ICFO gates, forget_bias, cell_clip) and BlockLSTMV2 (IFCO, no forget bias, no clip): float32
  and half only, checked in float32 against a float64 NumPy LSTM. The records return cs and h, the outputs whose
  cotangents the registered gradient takes; a special point sums all seven outputs (the gate outputs' cotangents are
  dropped). The zero-weight cell's gradient and H·v along the bias are closed forms. Left out: seq_len_max below the
  sequence length, where the kernels leave the padded steps uninitialised (values like 6e18) instead of the documented
  zeros, a forward bug outside this chapter.
- tf.nn.fractional_max_pool / fractional_avg_pool with seed 7 (deterministic regions, so the forward is a function of
  the input). Special points use shapes whose regions no seed can change (one region, or pooling ratio 1).
- tf.raw_ops.ImageProjectiveTransformV2 / V3 (Keras 3 no longer emits them): the gradient with respect to the images,
  bilinear and nearest, constant fill 0 (fill_value is not differentiated; its registered gradient is None too).
- tf.raw_ops.MatrixSolveLs with fast=True: family_linalg checks tf.linalg.lstsq, whose fast path with static shapes is
  a composite that never emits the kernel, and whose fast=False gradient raises.

Found here: the CTC second derivative is NaN (dense labels) or refused (sparse, PreventGradient); BlockLSTM drops the
gate outputs' cotangents and BlockLSTMV2's gradient uses BlockLSTM's gate layout, neither has a second derivative;
FractionalMax/AvgPoolGrad have no gradient (forward mode and second order raise) and FractionalMaxPoolGrad rejects
pooling ratio 1; the projective transforms' image gradient is the inverse transform, not the adjoint
(tensorflow#127241).

XLA has no kernel for CTCLoss, BlockLSTM, FractionalMax/AvgPool, ImageProjectiveTransform or MatrixSolveLs: those
cases are skipped with the reason.
"""
import dataclasses

import numpy as np
import tensorflow as tf

from spec.atlas.records import (POINT_SECOND, KnownBug, Sample, Workaround, as_f32_exact, distinct, draw, hvp, op,
                                point, reproducer, rng_for)

FAMILY = "sequence and resampling kernels: CTC loss, block LSTM, fractional pooling, projective transforms, MatrixSolveLs"


def no_xla_kernel(op_name: str) -> str:
    return f"XLA cannot compile {op_name} (no XLA_CPU_JIT kernel)"


ALL_SECOND = ("reverse_over_reverse", "forward_over_reverse", "reverse_over_forward", "forward_over_forward")
FORWARD_AND_SECOND = ("forward", *ALL_SECOND, "special_forward", *POINT_SECOND)

# ================================================================================================ CTC loss


def ctc_reference(logits, labels, label_length, logit_length, blank_index=0):
    """Σ-ready CTC negative log-likelihoods in float64 NumPy: per batch entry, the alpha recursion over the label
    extended with blanks (blank, l1, blank, l2, ..., blank), in log space, on log_softmax(logits) (batch-major)."""
    logits = np.asarray(logits, np.float64)
    z = logits - logits.max(axis=-1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    losses = []
    for b in range(len(label_length)):
        ext = [blank_index]
        for k in list(labels[b])[:int(label_length[b])]:
            ext += [int(k), blank_index]
        lp = logp[b][:, ext]
        alpha = np.full(len(ext), -np.inf)
        alpha[0] = lp[0, 0]
        if len(ext) > 1:
            alpha[1] = lp[0, 1]
        for t in range(1, int(logit_length[b])):
            new = np.full(len(ext), -np.inf)
            for s in range(len(ext)):
                terms = [alpha[s]] + ([alpha[s - 1]] if s >= 1 else [])
                if s >= 2 and ext[s] != blank_index and ext[s] != ext[s - 2]:
                    terms.append(alpha[s - 2])
                new[s] = np.logaddexp.reduce(terms) + lp[t, s]
            alpha = new
        losses.append(-np.logaddexp.reduce(alpha[-2:] if len(ext) > 1 else alpha[-1:]))
    return np.array(losses)


CTC_WORKAROUND = '''import tensorflow as tf


def ctc_loss(logits, labels, label_length, logit_length, blank_index=0):
    """CTC negative log-likelihood (batch-major logits) by the alpha recursion in log space, written with TensorFlow
    ops: every derivative, of any order and in forward mode, is TensorFlow's autodiff of it. labels, label_length and
    logit_length are Python or NumPy integers (the recursion is unrolled over them)."""
    logp = tf.nn.log_softmax(logits, axis=-1)
    floor = tf.constant(-1e4, logits.dtype)  # the log-probability of an unreachable state (its exp underflows to 0)

    def logsumexp(terms):
        stacked = tf.stack(terms)
        top = tf.stop_gradient(tf.reduce_max(stacked))  # any shift gives the same value and derivatives
        return top + tf.math.log(tf.reduce_sum(tf.exp(stacked - top)))

    losses = []
    for b in range(len(label_length)):
        ext = [blank_index]
        for k in list(labels[b])[:int(label_length[b])]:
            ext += [int(k), blank_index]
        lp = tf.gather(logp[b], ext, axis=-1)
        alpha = [lp[0, 0]] + ([lp[0, 1]] if len(ext) > 1 else []) + [floor] * (len(ext) - 2)
        for t in range(1, int(logit_length[b])):
            new = []
            for s in range(len(ext)):
                terms = [alpha[s]] + ([alpha[s - 1]] if s >= 1 else [])
                if s >= 2 and ext[s] != blank_index and ext[s] != ext[s - 2]:
                    terms.append(alpha[s - 2])
                new.append(logsumexp(terms) + lp[t, s])
            alpha = new
        losses.append(-logsumexp(alpha[-2:] if len(ext) > 1 else alpha[-1:]))
    return tf.stack(losses)
'''


def ctc_dense(logits, labels, label_length, logit_length, blank_index=0):
    """tf.nn.ctc_loss with dense labels (its default path), batch-major logits."""
    return tf.nn.ctc_loss(labels=tf.constant(labels, tf.int32), logits=logits, label_length=tf.constant(label_length, tf.int32),
                          logit_length=tf.constant(logit_length, tf.int32), logits_time_major=False, blank_index=blank_index)


def ctc_sparse(logits, labels, label_length, logit_length, blank_index=0):
    """tf.nn.ctc_loss with SparseTensor labels (the CTCLoss kernel), batch-major logits."""
    indices = [[b, k] for b in range(len(label_length)) for k in range(int(label_length[b]))]
    values = [int(labels[b][k]) for b, k in indices]
    sparse = tf.SparseTensor(indices=np.array(indices, np.int64).reshape(-1, 2), values=np.array(values, np.int32),
                             dense_shape=[len(label_length), max(1, max(int(n) for n in label_length))])
    return tf.nn.ctc_loss(labels=sparse, logits=logits, label_length=None, logit_length=tf.constant(logit_length, tf.int32),
                          logits_time_major=False, blank_index=blank_index)


def ctc_samples(name: str):
    rng = rng_for(name)
    logits = lambda *shape: as_f32_exact(rng.uniform(-1.5, 1.5, shape))
    return [
        Sample((logits(1, 4, 3), np.array([[1, 2]], np.int32), [2], [4]), {}, "1 sequence, T=4, C=3, label [1, 2]"),
        Sample((logits(2, 5, 4), np.array([[1, 1, 3], [2, 0, 0]], np.int32), [3, 1], [5, 3]), {},
               "batch 2, T=5, C=4, labels [1, 1, 3] and [2], logit_length [5, 3]"),
        Sample((logits(1, 3, 3), np.array([[0, 2]], np.int32), [2], [3]), dict(blank_index=1),
               "blank_index 1, label [0, 2]"),
    ]


def ctc_path_hvp(logits, paths, v):
    """H·v of the CTC loss of one sequence in closed form, from its alignment paths (each a class per read frame; frames
    past the paths' length are not read). With p_t = softmax(x_t) the loss is −log Σ_π Π_t p_t[π_t] = Σ_t lse(x_t) −
    log Σ_π exp(Σ_t x_t[π_t]): a sum of log-partition functions minus one, so H = blockdiag_t(diag(p_t) − p_t p_tᵀ) −
    Cov_w(φ), with φ(π) = Σ_t e_(t, π_t) the path's indicator and w_π ∝ exp(Σ_t x_t[π_t]) the posterior of the paths.
    Batch-major (1, T, C) logits and tangent v; returns the (1, T, C) product."""
    x, v = np.asarray(logits, np.float64)[0], np.asarray(v, np.float64)[0]
    read = len(paths[0])
    hv = np.zeros_like(x)
    for t in range(read):
        p = np.exp(x[t] - x[t].max())
        p /= p.sum()
        hv[t] = p * v[t] - p * (p @ v[t])
    phi = np.zeros((len(paths),) + x.shape)
    for i, path in enumerate(paths):
        phi[i, np.arange(read), path] = 1.0
    score = np.array([x[np.arange(read), path].sum() for path in paths])
    w = np.exp(score - score.max())
    w /= w.sum()
    along = np.tensordot(phi, v, axes=2)  # ⟨φ(π), v⟩ per path
    cov_v = np.tensordot(w * (along - w @ along), phi, axes=1)  # E[φ⟨φ, v⟩] − E[φ]⟨E[φ], v⟩
    return (hv - cov_v)[None]


UNIFORM_1 = np.zeros((1, 1, 3))  # one frame, three classes, all logits 0: p = 1/3 each
E0 = np.zeros((1, 1, 3))
E0[0, 0, 0] = 1.0  # the tangent along the blank's logit
V_2 = np.array([[[1.0, 0.0, -1.0], [0.5, 2.0, 0.0]]])  # a tangent that no per-frame constant or symmetry cancels
V_3 = np.array([[[1.0, 0.0, -1.0], [0.5, 2.0, 0.0], [0.0, -1.0, 1.5]]])
CTC_POINTS = [
    point("one frame, label [1]", [UNIFORM_1, np.array([[1]], np.int32), [1], [1]], [[[[1 / 3, -2 / 3, 1 / 3]]]],
          "T = 1: loss = −log softmax(x)₁, ∂/∂x = softmax(x) − e₁ = (1/3, −2/3, 1/3)",
          second=hvp([[[[2 / 9, -1 / 9, -1 / 9]]]], "the Hessian of −log softmaxₐ is diag(p) − ppᵀ; along e₀ at p = 1/3: "
                     "p₀(e₀ − p) = (2/9, −1/9, −1/9)", v=[E0])),
    point("two uniform frames, label [1]", [np.zeros((1, 2, 3)), np.array([[1]], np.int32), [1], [2]],
          [[[[0.0, -1 / 3, 1 / 3], [0.0, -1 / 3, 1 / 3]]]],
          "paths (1, blank), (blank, 1), (1, 1), each of probability 1/9: ∂loss/∂x_tk = p_tk − γ_tk with the "
          "occupancies γ_t = (blank 1/3, label 2/3, other 0) at both frames",
          second=hvp([ctc_path_hvp(np.zeros((1, 2, 3)), [(1, 0), (0, 1), (1, 1)], V_2)],
                     "closed form (ctc_path_hvp): blockdiag(diag p − ppᵀ) with p = 1/3, minus the covariance of the path "
                     "indicators under the uniform posterior over (1, blank), (blank, 1), (1, 1); along a tangent v that "
                     "is not constant on any frame (float64 nested central differences of ctc_reference agree)", v=[V_2])),
    point("repeated label [1, 1] in three frames", [np.zeros((1, 3, 3)), np.array([[1, 1]], np.int32), [2], [3]],
          [[[[1 / 3, -2 / 3, 1 / 3], [-2 / 3, 1 / 3, 1 / 3], [1 / 3, -2 / 3, 1 / 3]]]],
          "a repeated label needs a blank between: the only path is (1, blank, 1), γ is its one-hot, ∂/∂x_t = 1/3 − γ_t",
          second=hvp([ctc_path_hvp(np.zeros((1, 3, 3)), [(1, 0, 1)], V_3)],
                     "one path, so its posterior has no variance: H = blockdiag(diag p − ppᵀ), p = 1/3, i.e. "
                     "H·v = (v_t − mean v_t)/3 per frame (ctc_path_hvp; float64 nested central differences of "
                     "ctc_reference agree)", v=[V_3])),
    point("frames beyond logit_length", [np.zeros((1, 2, 3)), np.array([[1]], np.int32), [1], [1]],
          [[[[1 / 3, -2 / 3, 1 / 3], [0.0, 0.0, 0.0]]]],
          "logit_length 1: frame 1 is not read (gradient 0); frame 0 is the one-frame case",
          second=hvp([ctc_path_hvp(np.zeros((1, 2, 3)), [(1,)], V_2)],
                     "frame 1 is not read (its rows of H are 0); frame 0 is the one-frame case with its one path: "
                     "(diag p − ppᵀ)·v₀ = (v₀ − mean v₀)/3 (ctc_path_hvp; float64 nested central differences of "
                     "ctc_reference agree)", v=[V_2])),
]

_CTC_NO_SECOND = KnownBug(
    "the CTCLoss gradient is the kernel's own second output wrapped in PreventGradient ('Currently there is no way to "
    "take the second derivative of ctc_loss due to the fused implementation's interaction with tf.gradients()'), so "
    "every second derivative raises LookupError, although the CTC loss is smooth in the logits (first-order forward "
    "mode is right)",
    "unreported",
    reproducer("logits = tf.zeros([1, 1, 3])",
               "labels = tf.SparseTensor([[0, 0]], [1], [1, 1])",
               "with tf.GradientTape() as outer:",
               "    outer.watch(logits)",
               "    with tf.GradientTape() as inner:",
               "        inner.watch(logits)",
               "        y = tf.nn.ctc_loss(labels, logits, None, [1], logits_time_major=False, blank_index=0)",
               "    g = inner.gradient(y, logits)",
               "print(outer.gradient(g, logits, output_gradients=tf.constant([[[1.0, 0.0, 0.0]]])))",
               "# expected diag(p) − ppᵀ along e₀ = (2/9, −1/9, −1/9), got LookupError: Gradient explicitly disabled"),
    checks=(*ALL_SECOND, *POINT_SECOND), symptom="Gradient explicitly disabled", kind="missing gradient",
    kind_why="−log P(label | logits) is smooth in the logits; TensorFlow raises by design instead of differentiating",
    searched=("ctc_loss second derivative prevent_gradient no way to take the second derivative",),
    workaround=Workaround(CTC_WORKAROUND, "ctc_loss"))

_CTC_DENSE_SECOND_NAN = KnownBug(
    "the second derivative of tf.nn.ctc_loss with dense labels is NaN: its custom gradient returns the gradient "
    "ctc_loss_and_grad computed in the forward pass, and differentiating that computation again goes through "
    "log(0) = −inf transition log-probabilities (0·inf = NaN); first-order reverse and forward mode are right",
    "unreported",
    reproducer("x = tf.zeros([1, 1, 3])",
               "with tf.GradientTape() as outer:",
               "    outer.watch(x)",
               "    with tf.GradientTape() as inner:",
               "        inner.watch(x)",
               "        y = tf.nn.ctc_loss(labels=[[1]], logits=x, label_length=[1], logit_length=[1], logits_time_major=False,",
               "                           blank_index=0)",
               "    g = inner.gradient(y, x)",
               "print(outer.gradient(g, x, output_gradients=tf.constant([[[1.0, 0.0, 0.0]]])))",
               "# expected (2/9, −1/9, −1/9) (diag(p) − ppᵀ along e₀ at p = 1/3), got [nan nan nan]"),
    checks=("reverse_over_reverse", "forward_over_reverse", "special_reverse_over_reverse", "special_forward_over_reverse"),
    kind="wrong value", kind_why="the CTC loss is smooth in the logits; reverse-over-reverse returns NaN",
    searched=("ctc_loss dense labels second derivative nan hessian custom_gradient",),
    workaround=Workaround(CTC_WORKAROUND, "ctc_loss"))

# ================================================================================================ block LSTM

LSTM_OUTPUTS = ("i", "cs", "f", "o", "ci", "co", "h")


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def lstm_reference(x, cs_prev, h_prev, w, wci, wcf, wco, b, forget_bias=1.0, cell_clip=3.0, use_peephole=False,
                   seq_len_max=None, outputs=("cs", "h"), layout="icfo"):
    """BlockLSTM's seven outputs (i, cs, f, o, ci, co, h), time-major, in float64 NumPy: per step z = [x, h]·w + b split
    into the gates in `layout` order (BlockLSTM: i, c, f, o; BlockLSTMV2: i, f, c, o), f += forget_bias, peepholes
    cs·wc* when used, cs = tanh(c)·i + cs_prev·f clipped to ±cell_clip (> 0), h = tanh(cs)·o; steps from seq_len_max on
    are zeros."""
    steps = x.shape[0] if seq_len_max is None else int(seq_len_max)
    cs, h = cs_prev, h_prev
    outs = [np.zeros((x.shape[0],) + cs_prev.shape) for _ in LSTM_OUTPUTS]
    for t in range(steps):
        parts = dict(zip(layout, np.split(np.concatenate([x[t], h], axis=1) @ w + b, 4, axis=1)))
        pci, pcf, pco = (wci, wcf, wco) if use_peephole else (0.0, 0.0, 0.0)
        i = _sigmoid(cs * pci + parts["i"])
        f = _sigmoid(cs * pcf + parts["f"] + forget_bias)
        ci = np.tanh(parts["c"])
        cs = ci * i + cs * f
        if cell_clip > 0:
            cs = np.clip(cs, -cell_clip, cell_clip)
        o = _sigmoid(cs * pco + parts["o"])
        co = np.tanh(cs)
        h = co * o
        for out, value in zip(outs, (i, cs, f, o, ci, co, h)):
            out[t] = value
    return tuple(out for name, out in zip(LSTM_OUTPUTS, outs) if outputs == "all" or name in outputs)


def block_lstm(x, cs_prev, h_prev, w, wci, wcf, wco, b, forget_bias=1.0, cell_clip=3.0, use_peephole=False, seq_len_max=None,
               outputs=("cs", "h")):
    """BlockLSTM's outputs named in `outputs` (default the cell states and hidden states, the two whose cotangents its
    registered gradient takes; "all" is every one of the seven)."""
    steps = x.shape[0] if seq_len_max is None else seq_len_max
    result = tf.raw_ops.BlockLSTM(seq_len_max=tf.constant(steps, tf.int64), x=x, cs_prev=cs_prev, h_prev=h_prev, w=w, wci=wci,
                                  wcf=wcf, wco=wco, b=b, forget_bias=forget_bias, cell_clip=cell_clip, use_peephole=use_peephole)
    return tuple(out for name, out in zip(LSTM_OUTPUTS, result) if outputs == "all" or name in outputs)


def block_lstm_v2(x, cs_prev, h_prev, w, wci, wcf, wco, b, cell_clip=0.0, use_peephole=False, seq_len_max=None,
                  outputs=("cs", "h")):
    steps = x.shape[0] if seq_len_max is None else seq_len_max
    result = tf.raw_ops.BlockLSTMV2(seq_len_max=tf.constant(steps, tf.int64), x=x, cs_prev=cs_prev, h_prev=h_prev, w=w,
                                    wci=wci, wcf=wcf, wco=wco, b=b, cell_clip=cell_clip, use_peephole=use_peephole)
    return tuple(out for name, out in zip(LSTM_OUTPUTS, result) if outputs == "all" or name in outputs)


def block_lstm_v2_reference(x, cs_prev, h_prev, w, wci, wcf, wco, b, cell_clip=0.0, use_peephole=False, seq_len_max=None,
                            outputs=("cs", "h")):
    return lstm_reference(x, cs_prev, h_prev, w, wci, wcf, wco, b, forget_bias=0.0, cell_clip=cell_clip,
                          use_peephole=use_peephole, seq_len_max=seq_len_max, outputs=outputs, layout="ifco")


def lstm_samples(name: str):
    def arrays(salt, steps, batch, inputs, units):
        rng = rng_for(name + salt)
        u = lambda scale, *shape: as_f32_exact(rng.uniform(-scale, scale, shape))
        return (u(1.0, steps, batch, inputs), u(0.5, batch, units), u(0.5, batch, units), u(0.5, inputs + units, 4 * units),
                u(0.5, units), u(0.5, units), u(0.5, units), u(0.3, 4 * units))
    return [
        Sample(arrays("a", 3, 2, 3, 2), {}, "T=3, batch 2, 3 inputs, 2 units"),
        Sample(arrays("b", 2, 1, 2, 3), dict(use_peephole=True), "T=2, batch 1, 2 inputs, 3 units, peepholes"),
    ]


LSTM_POINT_WHY = (
    "the zero-weight cell: x = (1, −1), h_prev = cs_prev = 0, w = 0, b = 0 (one step, one unit), so every gate "
    "pre-activation z is 0: i = o = 1/2, f = σ(forget_bias) = σ₁, ci = cs = co = h = 0. ∂/∂b = ∂Σ/∂z per gate, "
    "∂/∂w[k, j] = xh_k·∂Σ/∂z_j (xh = (1, −1, 0)), ∂/∂x = ∂/∂h_prev = 0 (w = 0), peepholes unused (0), and "
    "∂/∂cs_prev = f·∂Σ/∂cs. ")
LSTM_POINT_SECOND_WHY = (
    "along v = ones on b (zeros elsewhere): per unit Σf is a function of (bi, bc, bf, bo) with cs = tanh(bc)σ(bi); "
    "(H·v)_w = xh ⊗ (H·1)_b and (H·v)_cs_prev = d/dε [f·∂Σ/∂cs]. ")


def lstm_point(layout: str, forget_bias: float, outputs="cs and h", bug=None):
    """The zero-weight cell's gradient and H·v along the bias, in closed form (checked against central differences of
    the NumPy reference when written): for Σ(cs + h), ∂Σ/∂cs = 1 + o = 1.5, so ∂Σ/∂z = (i 0, c i·1.5 = 0.75, f 0,
    o 0) (ci = co = cs_prev = 0 block the rest), ∂/∂cs_prev = 1.5σ₁; Σ = tanh(bc)σ(bi) + tanh(cs)σ(bo) gives
    H_ic = 1/4 + 1/8, H_co = 1/8, so (H·1)_b = (3/8, 1/2, 0, 1/8), (H·v)_cs_prev = 1.5σ'₁ + σ₁/4. For all seven
    outputs, ∂Σ/∂cs = 1 + 1 + o = 2.5 and ∂Σ/∂z = (i σ'(0) = 1/4, c 1 + 2.5/2 = 2.25, f σ'₁, o 1/4), ∂/∂cs_prev =
    2.5σ₁; H_ic = 1/4 + 1/4 + 1/8, H_co = 1/8, H_ff = σ''₁: (H·1)_b = (5/8, 3/4, σ''₁, 1/8), (H·v)_cs_prev =
    2.5σ'₁ + σ₁/4."""
    s1 = 1.0 / (1.0 + np.exp(-forget_bias))
    sp1 = s1 * (1.0 - s1)
    spp1 = sp1 * (1.0 - 2.0 * s1)
    if outputs == "all":
        gates, hessian, dcs = {"i": 0.25, "c": 2.25, "f": sp1, "o": 0.25}, {"i": 5 / 8, "c": 3 / 4, "f": spp1, "o": 1 / 8}, 2.5
        detail = ("all seven outputs: ∂Σ/∂cs = 1 (cs) + 1 (co) + o (h) = 2.5, ∂Σ/∂z = (i 1/4, c 1 + i·2.5 = 2.25, f σ'₁, "
                  "o 1/4), ∂/∂cs_prev = 2.5σ₁")
        second_detail = "H_ic = 1/4 + 1/4 + 1/8, H_co = 1/8, H_ff = σ''₁: (H·1)_b = (5/8, 3/4, σ''₁, 1/8); (H·v)_cs_prev = 2.5σ'₁ + σ₁/4"
    else:
        gates, hessian, dcs = {"i": 0.0, "c": 0.75, "f": 0.0, "o": 0.0}, {"i": 3 / 8, "c": 1 / 2, "f": 0.0, "o": 1 / 8}, 1.5
        detail = ("Σ(cs + h): ∂Σ/∂cs = 1 + o = 1.5, ∂Σ/∂z = (i 0, c i·1.5 = 0.75, f 0, o 0) (ci = co = cs_prev = 0 block "
                  "the rest), ∂/∂cs_prev = 1.5σ₁")
        second_detail = "Σ = tanh(bc)σ(bi) + tanh(cs)σ(bo): H_ic = 1/4 + 1/8, H_co = 1/8, (H·1)_b = (3/8, 1/2, 0, 1/8); (H·v)_cs_prev = 1.5σ'₁ + σ₁/4"
    g = np.array([gates[k] for k in layout])
    hb = np.array([hessian[k] for k in layout])
    xh = np.array([1.0, -1.0, 0.0])
    args = [np.array([[[1.0, -1.0]]]), np.zeros((1, 1)), np.zeros((1, 1)), np.zeros((3, 4)), np.zeros(1), np.zeros(1),
            np.zeros(1), np.zeros(4)]
    grads = [np.zeros((1, 1, 2)), np.full((1, 1), dcs * s1), np.zeros((1, 1)), np.outer(xh, g), np.zeros(1), np.zeros(1),
             np.zeros(1), g]
    hv = [np.zeros((1, 1, 2)), np.full((1, 1), dcs * sp1 + s1 / 4), np.zeros((1, 1)), np.outer(xh, hb), np.zeros(1),
          np.zeros(1), np.zeros(1), hb]
    v = [np.zeros_like(a) for a in args[:-1]] + [np.ones(4)]
    kwargs = {"outputs": "all"} if outputs == "all" else {}
    return point(f"zero weights, one step ({outputs})", args, grads, LSTM_POINT_WHY + detail, bug=bug,
                 second=hvp(hv, LSTM_POINT_SECOND_WHY + second_detail, v=v), **kwargs)


def lstm_workaround(layout: str, name: str, signature: str, forget_bias: str, cell_clip: str) -> str:
    gates = ", ".join({"i": "zi", "c": "zc", "f": "zf", "o": "zo"}[k] for k in layout)
    return f'''import tensorflow as tf


def {name}({signature}):
    """The block LSTM as TensorFlow ops, unrolled over time (outputs i, cs, f, o, ci, co, h): its second derivatives
    and forward mode are TensorFlow's autodiff of these ops."""
    steps = x.shape[0] if seq_len_max is None else seq_len_max
    cs, h = cs_prev, h_prev
    outs = [[] for _ in range(7)]
    for t in range(x.shape[0]):
        if t >= steps:
            for out in outs:
                out.append(tf.zeros_like(cs_prev))
            continue
        {gates} = tf.split(tf.matmul(tf.concat([x[t], h], axis=1), w) + b, 4, axis=1)
        pci, pcf, pco = (wci, wcf, wco) if use_peephole else (0.0, 0.0, 0.0)
        i = tf.sigmoid(cs * pci + zi)
        f = tf.sigmoid(cs * pcf + zf + {forget_bias})
        ci = tf.tanh(zc)
        cs = ci * i + cs * f
        if {cell_clip} > 0:
            cs = tf.clip_by_value(cs, -{cell_clip}, {cell_clip})
        o = tf.sigmoid(cs * pco + zo)
        co = tf.tanh(cs)
        h = co * o
        for out, value in zip(outs, (i, cs, f, o, ci, co, h)):
            out.append(value)
    names = ("i", "cs", "f", "o", "ci", "co", "h")
    return tuple(tf.stack(out) for name, out in zip(names, outs) if outputs == "all" or name in outputs)
'''


def _lstm_bug(op_name: str, grad_name: str, workaround: str, name: str) -> KnownBug:
    return KnownBug(
        f"{grad_name} (what {op_name}'s gradient emits) has no registered gradient, so every second derivative and "
        "forward mode (ForwardAccumulator differentiates the backward function) raise LookupError; the LSTM is smooth "
        "(the samples keep |cs| below cell_clip)",
        "unreported",
        reproducer("x = tf.ones([1, 1, 2])",
                   "z1, z4, z8 = tf.zeros([1, 1]), tf.zeros([1]), tf.zeros([4])",
                   "with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as acc:",
                   f"    h = tf.raw_ops.{op_name}(seq_len_max=tf.constant(1, tf.int64), x=x, cs_prev=z1, h_prev=z1, "
                   "w=tf.ones([3, 4]), wci=z4, wcf=z4, wco=z4, b=z8)[6]",
                   f"print(acc.jvp(h))  # expected the JVP, got LookupError: gradient registry has no entry for: {grad_name}"),
        checks=FORWARD_AND_SECOND, kind="missing gradient",
        kind_why="the LSTM's outputs are smooth in every input; the tape raises LookupError",
        searched=("BlockLSTM gradient BlockLSTMGrad ignores gate outputs or BlockLSTMV2 gradient wrong layout",),
        workaround=Workaround(workaround, name))


def _gates_bug(op_name: str, workaround: str, name: str) -> KnownBug:
    return KnownBug(
        f"{op_name}'s registered gradient (rnn_grad._block_lstm_grad) passes only the cotangents of cs and h to "
        f"{'BlockLSTMGrad' if op_name == 'BlockLSTM' else 'BlockLSTMGradV2'} and drops those of the five gate outputs i, f, "
        "o, ci, co, so any loss that uses a gate output gets a wrong gradient (Σ of all seven outputs at the zero-weight "
        "cell: ∂/∂b_i = 1/4 expected, 0 returned)",
        "unreported",
        reproducer("x = tf.constant([[[1.0, -1.0]]])",
                   "z1, z4 = tf.zeros([1, 1]), tf.zeros([1])",
                   "b = tf.zeros([4])",
                   "with tf.GradientTape() as t:",
                   "    t.watch(b)",
                   f"    outs = tf.raw_ops.{op_name}(seq_len_max=tf.constant(1, tf.int64), x=x, cs_prev=z1, h_prev=z1, "
                   "w=tf.zeros([3, 4]), wci=z4, wcf=z4, wco=z4, b=b)",
                   "    y = tf.add_n([tf.reduce_sum(o) for o in outs])",
                   "print(t.gradient(y, b))  # expected σ'(0) = 0.25 for the input gate's bias (entry 0), got 0"),
        checks=("special_reverse",), kind="wrong value",
        kind_why="the gate outputs are smooth functions of the inputs and part of the op's result; their cotangents are dropped",
        searched=("BlockLSTM gradient BlockLSTMGrad ignores gate outputs or BlockLSTMV2 gradient wrong layout",),
        workaround=Workaround(workaround, name))


_BLOCK_LSTM_BUG = _lstm_bug("BlockLSTM", "BlockLSTMGrad", lstm_workaround(
    "icfo", "block_lstm", "x, cs_prev, h_prev, w, wci, wcf, wco, b, forget_bias=1.0, cell_clip=3.0, use_peephole=False, "
    "seq_len_max=None, outputs=(\"cs\", \"h\")", "forget_bias", "cell_clip"), "block_lstm")
_BLOCK_LSTM_GATES_BUG = _gates_bug("BlockLSTM", _BLOCK_LSTM_BUG.workaround.code, "block_lstm")
_BLOCK_LSTM_V2_BUG = _lstm_bug("BlockLSTMV2", "BlockLSTMGrad", lstm_workaround(
    "ifco", "block_lstm_v2", "x, cs_prev, h_prev, w, wci, wcf, wco, b, cell_clip=0.0, use_peephole=False, seq_len_max=None, "
    "outputs=(\"cs\", \"h\")",
    "0.0", "cell_clip"), "block_lstm_v2")
_BLOCK_LSTM_V2_LAYOUT_BUG = KnownBug(
    "BlockLSTMV2's registered gradient is BlockLSTM's (rnn_grad.py registers _block_lstm_grad for both), which calls "
    "BlockLSTMGrad, the kernel for BlockLSTM's ICFO gate layout, instead of BlockLSTMGradV2: the gradients of w and b "
    "come back in the wrong gate order for V2's IFCO layout (the cell-input and forget gates swapped), and the others "
    "follow from them",
    "unreported",
    reproducer("x = tf.constant([[[1.0, -1.0]]])",
               "z1, z4 = tf.zeros([1, 1]), tf.zeros([1])",
               "b = tf.zeros([4])",
               "with tf.GradientTape() as t:",
               "    t.watch(b)",
               "    outs = tf.raw_ops.BlockLSTMV2(seq_len_max=tf.constant(1, tf.int64), x=x, cs_prev=z1, h_prev=z1, "
               "w=tf.zeros([3, 4]), wci=z4, wcf=z4, wco=z4, b=b)",
               "    y = tf.reduce_sum(outs[1]) + tf.reduce_sum(outs[6])  # cs + h",
               "print(t.gradient(y, b))  # expected [0, 0, 0.75, 0] (IFCO: the cell input is column 2), got [0, 0.75, 0, 0]"),
    checks=("reverse", "special_reverse"), kind="wrong value",
    kind_why="the V2 op is smooth; its gradient is computed for another gate layout",
    searched=("BlockLSTM gradient BlockLSTMGrad ignores gate outputs or BlockLSTMV2 gradient wrong layout",),
    workaround=Workaround(_BLOCK_LSTM_V2_BUG.workaround.code, "block_lstm_v2"))
_BLOCK_LSTM_V2_GATES_BUG = _gates_bug("BlockLSTMV2", _BLOCK_LSTM_V2_BUG.workaround.code, "block_lstm_v2")

# ========================================================================================= fractional pooling

SEED = 7


def fractional_max_pool(x, pooling_ratio, overlapping=False):
    """tf.nn.fractional_max_pool with seed 7 (deterministic pooling regions); the pooled values only."""
    return tf.nn.fractional_max_pool(x, pooling_ratio, overlapping=overlapping, seed=SEED)[0]


def fractional_avg_pool(x, pooling_ratio, overlapping=False):
    return tf.nn.fractional_avg_pool(x, pooling_ratio, overlapping=overlapping, seed=SEED)[0]


FRACTIONAL_WORKAROUND = '''import tensorflow as tf


def {name}(x, pooling_ratio, overlapping=False):
    """The pooled {kind} over the op's own regions (its row and column sequences, same seed, taken from an input the
    tape does not see) as masked reductions, whose derivatives of every order exist: window i covers rows
    r_i .. r_(i+1) - 1, and r_(i+1) as well when overlapping (clipped to the last row)."""
    _, rows, cols = tf.nn.{op}(tf.stop_gradient(x), pooling_ratio, overlapping=overlapping, seed=7)
    # in a tf.function the sequences' static shape is one short (the op's shape function gives the output length, not
    # the number of boundaries): forget it
    rows, cols = (tf.compat.v1.placeholder_with_default(s, shape=[None]) for s in (rows, cols))

    def pool(values, bounds, axis):
        perm = [axis] + [d for d in range(4) if d != axis]  # the pooled axis first (images are NHWC)
        moved = tf.transpose(values, perm)
        size = tf.shape(tf.stop_gradient(moved), out_type=bounds.dtype)[0]  # (a Shape of a watched tensor breaks nested forward mode in tf.function)
        ends = tf.minimum(bounds[1:] - 1 + (1 if overlapping else 0), size - 1)
        positions = tf.range(size)
        member = (positions[None, :] >= bounds[:-1, None]) & (positions[None, :] <= ends[:, None])  # windows x size
        inside = member[:, :, None, None, None]
        pooled = {reduce}
        return tf.transpose(pooled, [perm.index(d) for d in range(4)])

    return pool(pool(x, rows, 1), cols, 2)
'''

_FRACTIONAL_MAX_BUG = KnownBug(
    "FractionalMaxPoolGrad (what FractionalMaxPool's gradient emits) has no registered gradient, so forward mode and "
    "every second derivative raise LookupError; a max pool is piecewise linear (H = 0 away from ties)",
    "unreported",
    reproducer("x = tf.constant([[[[1.0], [3.0]], [[2.0], [0.0]]]], tf.float64)",
               "with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as acc:",
               "    y = tf.nn.fractional_max_pool(x, [1.0, 2.0, 2.0, 1.0], seed=7)[0]",
               "print(acc.jvp(y))  # expected [[[[1.0]]]], got LookupError: gradient registry has no entry for: FractionalMaxPoolGrad"),
    checks=FORWARD_AND_SECOND, kind="missing gradient",
    kind_why="the max over fixed regions is linear near a point without ties; the tape raises LookupError",
    searched=("fractional_max_pool gradient FractionalMaxPoolGrad Pooling region has more elements than the input tensor",),
    workaround=Workaround(FRACTIONAL_WORKAROUND.format(name="fractional_max_pool", op="fractional_max_pool", kind="maxima",
                                                     reduce="tf.reduce_max(tf.where(inside, moved[None], moved.dtype.min), axis=1)"),
                          "fractional_max_pool"))

_FRACTIONAL_AVG_BUG = KnownBug(
    "FractionalAvgPoolGrad (what FractionalAvgPool's gradient emits) has no registered gradient, so forward mode (which "
    "differentiates the backward function) raises LookupError; the average over fixed regions is linear, and reverse "
    "over reverse is right (the gradient does not depend on the input)",
    "unreported",
    reproducer("x = tf.constant([[[[1.0], [3.0]], [[2.0], [0.0]]]], tf.float64)",
               "with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as acc:",
               "    y = tf.nn.fractional_avg_pool(x, [1.0, 2.0, 2.0, 1.0], seed=7)[0]",
               "print(acc.jvp(y))  # expected [[[[1.0]]]], got LookupError: gradient registry has no entry for: FractionalAvgPoolGrad"),
    checks=("forward", "forward_over_reverse", "reverse_over_forward", "forward_over_forward", "special_forward",
            "special_forward_over_reverse", "special_reverse_over_forward", "special_forward_over_forward"),
    kind="missing gradient", kind_why="the pool is linear; forward mode raises LookupError",
    searched=("fractional_max_pool gradient FractionalMaxPoolGrad Pooling region has more elements than the input tensor",),
    workaround=Workaround(FRACTIONAL_WORKAROUND.format(
        name="fractional_avg_pool", op="fractional_avg_pool", kind="means",
        reduce="tf.reduce_sum(tf.where(inside, moved[None], tf.zeros([], moved.dtype)), axis=1) / "
               "tf.cast(tf.reduce_sum(tf.cast(inside, tf.int32), axis=1), moved.dtype)"), "fractional_avg_pool"))

_FRACTIONAL_MAX_RATIO_1 = KnownBug(
    "with pooling_ratio 1 (every pixel its own region) tf.nn.fractional_max_pool returns its input, but the gradient "
    "raises InvalidArgumentError ('Pooling region has more elements than the input tensor'): FractionalMaxPoolGrad "
    "rejects the row and column sequences [0, 1, ..., n] that the forward kernel produced",
    "unreported",
    reproducer("x = tf.constant([[[[1.0], [-2.0]], [[0.5], [4.0]]]], tf.float64)",
               "with tf.GradientTape() as t:",
               "    t.watch(x)",
               "    y = tf.nn.fractional_max_pool(x, [1.0, 1.0, 1.0, 1.0], seed=7)[0]",
               "print(t.gradient(y, x))  # expected ones, got InvalidArgumentError: Pooling region has more elements than the input tensor"),
    checks=("reverse", "forward", *ALL_SECOND, "special_reverse", "special_forward", *POINT_SECOND, "float32"),
    kind="missing gradient",
    kind_why="the identity is differentiable; the gradient kernel raises on the regions its own forward produced",
    searched=("fractional_max_pool gradient FractionalMaxPoolGrad Pooling region has more elements than the input tensor",),
    workaround=dataclasses.replace(_FRACTIONAL_MAX_BUG.workaround))


# =================================================================================== projective transforms


def projective_v3(images, transforms, output_shape, interpolation="BILINEAR", fill_mode="CONSTANT"):
    return tf.raw_ops.ImageProjectiveTransformV3(images=images, transforms=tf.cast(transforms, tf.float32), output_shape=output_shape,
                                                 fill_value=tf.constant(0.0, tf.float32), interpolation=interpolation,
                                                 fill_mode=fill_mode)


def projective_v2(images, transforms, output_shape, interpolation="BILINEAR", fill_mode="CONSTANT"):
    return tf.raw_ops.ImageProjectiveTransformV2(images=images, transforms=tf.cast(transforms, tf.float32), output_shape=output_shape,
                                                 interpolation=interpolation, fill_mode=fill_mode)


def transform(*values) -> np.ndarray:
    return np.array([values], np.float32)


SHIFT_1 = transform(1, 0, 1, 0, 1, 0, 0, 0)  # output (x, y) reads input (x + 1, y): a shift left by one column
ZOOM_OUT_2 = transform(2, 0, 0, 0, 2, 0, 0, 0)  # output (x, y) reads input (2x, 2y)
ROTATE = transform(0.9, -0.3, 0.6, 0.3, 0.9, -0.4, 0, 0)  # a rotation-and-scale with a fractional offset
PERSPECTIVE = transform(1.0, 0.1, 0.2, -0.05, 0.95, 0.3, 0.02, -0.01)

SHIFT_1_GRAD = np.ones((1, 4, 4, 1))
SHIFT_1_GRAD[0, :, 0, 0] = 0.0  # column 0 is shifted out; every other input pixel lands once
ZOOM_OUT_2_GRAD = np.zeros((1, 4, 4, 1))
ZOOM_OUT_2_GRAD[0, 0:4:2, 0:4:2, 0] = 1.0  # outputs (0..1, 0..1) read input (0|2, 0|2); the rest reads outside (fill)

_PROJECTIVE_ADJOINT = '''import tensorflow as tf


def {name}(images, transforms, output_shape, interpolation="BILINEAR", fill_mode="CONSTANT"):
    """The projective transform (constant fill 0) as gathers with bilinear or nearest weights: its gradient is the
    transpose of the sampling (a scatter-add), where TensorFlow's registered gradient transforms the cotangent back
    by the inverse map."""
    height, width = int(output_shape[0]), int(output_shape[1])
    in_h, in_w = images.shape[1], images.shape[2]
    t = tf.cast(tf.convert_to_tensor(transforms)[0], images.dtype)
    ys, xs = tf.meshgrid(tf.range(height, dtype=images.dtype), tf.range(width, dtype=images.dtype), indexing="ij")
    k = t[6] * xs + t[7] * ys + 1.0
    sx = (t[0] * xs + t[1] * ys + t[2]) / k
    sy = (t[3] * xs + t[4] * ys + t[5]) / k

    def pixel(py, px):
        inside = (py >= 0) & (py <= in_h - 1) & (px >= 0) & (px <= in_w - 1)
        flat = tf.reshape(images, [tf.shape(images)[0], in_h * in_w, tf.shape(images)[3]])
        index = tf.clip_by_value(tf.cast(py, tf.int32), 0, in_h - 1) * in_w + tf.clip_by_value(tf.cast(px, tf.int32), 0, in_w - 1)
        values = tf.gather(flat, tf.reshape(index, [-1]), axis=1)
        values = tf.reshape(values, [tf.shape(images)[0], height, width, tf.shape(images)[3]])
        return values * tf.cast(inside, images.dtype)[None, :, :, None]

    if interpolation == "NEAREST":
        return pixel(tf.round(sy), tf.round(sx))
    inside = (sy > -1.0) & (sy < in_h) & (sx > -1.0) & (sx < in_w)
    y0, x0 = tf.floor(sy), tf.floor(sx)
    wy, wx = sy - y0, sx - x0
    out = (pixel(y0, x0) * ((1 - wy) * (1 - wx))[None, :, :, None] + pixel(y0, x0 + 1) * ((1 - wy) * wx)[None, :, :, None]
           + pixel(y0 + 1, x0) * (wy * (1 - wx))[None, :, :, None] + pixel(y0 + 1, x0 + 1) * (wy * wx)[None, :, :, None])
    return out * tf.cast(inside, images.dtype)[None, :, :, None]
'''


def _projective_bug(op_name: str, name: str) -> KnownBug:
    return KnownBug(
        f"{op_name}'s registered gradient (image_ops._image_projective_transform{'_v3' if 'V3' in op_name else ''}_grad) "
        "applies the inverse transform to the cotangent instead of the transpose of the sampling: right only where the "
        "map is a bijection of pixels (an integer shift); a zoom, rotation or perspective gets the wrong image gradient "
        "(zooming out by 2 reads 4 of 16 pixels, but the returned gradient spreads the cotangent over all of them)",
        "https://github.com/tensorflow/tensorflow/issues/127241",
        reproducer("x = tf.ones([1, 4, 4, 1], tf.float64)",
                   "with tf.GradientTape() as t:",
                   "    t.watch(x)",
                   f"    y = tf.raw_ops.{op_name}(images=x, transforms=[[2., 0, 0, 0, 2., 0, 0, 0]], output_shape=[4, 4],"
                   + (" fill_value=0.0," if "V3" in op_name else "") + " interpolation='BILINEAR')",
                   "print(t.gradient(y, x)[0, :, :, 0])  # expected 1 at (0,0), (0,2), (2,0), (2,2), else 0; got other values"),
        checks=("reverse", "forward", "gpu"),
        kind="wrong value",
        kind_why="the transform is linear in the image; its gradient is the adjoint of the sampling, which is not the "
                 "inverse transform unless the map permutes pixels",
        related=("https://github.com/tensorflow/tensorflow/pull/127618",),
        searched=("ImageProjectiveTransformV3 gradient wrong inverse transform not adjoint",
                  "affine_transform ImageProjectiveTransformV3 image gradient wrong fill_mode nearest"),
        workaround=Workaround(_PROJECTIVE_ADJOINT.format(name=name), name))


_PROJECTIVE_V3_BUG = _projective_bug("ImageProjectiveTransformV3", "projective_v3")
_PROJECTIVE_V2_BUG = _projective_bug("ImageProjectiveTransformV2", "projective_v2")


def projective_samples(name: str):
    rng = rng_for(name)
    image = lambda *shape: as_f32_exact(rng.uniform(-1.0, 1.0, shape))
    return [
        Sample((image(1, 5, 5, 1), ROTATE, np.array([5, 5], np.int32)), {}, "5x5, rotate and scale, bilinear"),
        Sample((image(2, 4, 5, 2), PERSPECTIVE, np.array([4, 5], np.int32)), dict(interpolation="NEAREST"),
               "batch 2, 4x5x2, perspective, nearest"),
        Sample((image(1, 4, 4, 1), ZOOM_OUT_2, np.array([3, 3], np.int32)), {}, "4x4 zoomed out by 2 into 3x3, bilinear"),
    ]


def projective_points(bug: KnownBug):
    at_point = dataclasses.replace(bug, checks=("special_reverse",))  # forward mode is right at these points
    return [
        point("shift by one column", [np.ones((1, 4, 4, 1)), SHIFT_1, np.array([4, 4], np.int32)], [SHIFT_1_GRAD],
              "output (x, y) reads input (x + 1, y): input column 0 is never read (0), every other pixel once (1); an "
              "integer shift permutes pixels, so the inverse map is the adjoint here",
              second=hvp([np.zeros((1, 4, 4, 1))], "linear in the image: H = 0")),
        point("zoom out by 2", [np.ones((1, 4, 4, 1)), ZOOM_OUT_2, np.array([4, 4], np.int32)], [ZOOM_OUT_2_GRAD],
              "output (x, y) reads input (2x, 2y) at integer points: only outputs with 2x, 2y ≤ 3 read the image, so "
              "input pixels (0|2, 0|2) get 1 and the others 0", bug=at_point,
              second=hvp([np.zeros((1, 4, 4, 1))], "linear in the image: H = 0")),
        point("zoom out by 2, nearest", [np.ones((1, 4, 4, 1)), ZOOM_OUT_2, np.array([4, 4], np.int32)], [ZOOM_OUT_2_GRAD],
              "the same integer sampling with nearest interpolation", bug=at_point, interpolation="NEAREST",
              second=hvp([np.zeros((1, 4, 4, 1))], "nearest-neighbour sampling at fixed coordinates (fill 0) is linear in "
                         "the image: H = 0")),
    ]


# ==================================================================================================== MatrixSolveLs


def matrix_solve_ls(matrix, rhs, l2_regularizer=0.0):
    return tf.raw_ops.MatrixSolveLs(matrix=matrix, rhs=rhs, l2_regularizer=tf.constant(l2_regularizer, tf.float64), fast=True)


LS_A = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
LS_B = np.array([[1.0], [2.0], [3.0]])


def _mat(name, shape, salt):
    return draw(name, shape, salt=salt)[0]


OPS = [
    # ------------------------------------------------------------------------------------------- CTC
    op("tf.nn.ctc_loss(dense labels)", ctc_dense, ctc_samples("tf.nn.ctc_loss(dense labels)"), reference=ctc_reference,
       bugs=(_CTC_DENSE_SECOND_NAN,),
       domain="all real logits (dense labels, float32: the float64 path raises, next record)", points=CTC_POINTS),
    op("tf.nn.ctc_loss(SparseTensor labels, float32)", ctc_sparse, ctc_samples("tf.nn.ctc_loss(SparseTensor labels, float32)"),
       reference=ctc_reference, domain="all real logits (the CTCLoss kernel in float32, whose tf.function also holds "
       "CTCLossV2; family_nn's tf.nn.ctc_loss checks the float64 kernel)", bugs=(_CTC_NO_SECOND,),
       second_order_sample=0, points=CTC_POINTS, skips={"xla": no_xla_kernel("CTCLoss")}),
    # ------------------------------------------------------------------------------------------- block LSTM
    op("tf.raw_ops.BlockLSTM", block_lstm, lstm_samples("tf.raw_ops.BlockLSTM"), diff=tuple(range(8)),
       domain="all reals with |cs| < cell_clip (float32 and half only)", reference=lstm_reference, bugs=(_BLOCK_LSTM_BUG,),
       second_order_sample=0, points=[lstm_point("icfo", 1.0), lstm_point("icfo", 1.0, "all", _BLOCK_LSTM_GATES_BUG)], skips={"xla": no_xla_kernel("BlockLSTM")}),
    op("tf.raw_ops.BlockLSTMV2", block_lstm_v2, lstm_samples("tf.raw_ops.BlockLSTMV2"), diff=tuple(range(8)),
       domain="all reals (no cell clip; float32 and half only)", reference=block_lstm_v2_reference,
       bugs=(_BLOCK_LSTM_V2_LAYOUT_BUG, _BLOCK_LSTM_V2_BUG),
       second_order_sample=0, points=[lstm_point("ifco", 0.0), lstm_point("ifco", 0.0, "all", _BLOCK_LSTM_V2_GATES_BUG)], skips={"xla": no_xla_kernel("BlockLSTMV2")}),
    # ------------------------------------------------------------------------------------------- fractional pooling
    op("tf.nn.fractional_max_pool", fractional_max_pool, [
        Sample((distinct("tf.nn.fractional_max_pool", (1, 5, 5, 1), gap=0.1), [1.0, 1.5, 1.5, 1.0]), {}, "5x5, ratio 1.5"),
        Sample((distinct("tf.nn.fractional_max_pool", (2, 6, 4, 2), lo=-4.0, hi=4.0, gap=0.05, salt="b"), [1.0, 2.0, 1.4, 1.0]), {},
               "batch 2, 6x4x2, ratio (2, 1.4)"),
    ], domain="no ties within a pooling region (regions fixed by seed 7)", bugs=(_FRACTIONAL_MAX_BUG,), second_order_sample=0,
       points=[
        point("one region", [np.array([[[[1.0], [3.0]], [[2.0], [0.0]]]]), (1.0, 2.0, 2.0, 1.0)], [[[[[0.0], [1.0]], [[0.0], [0.0]]]]],
              "a 2x2 input pooled by 2 has one region whatever the seed: the maximum gets the whole gradient",
              second=hvp([np.zeros((1, 2, 2, 1))], "max is linear away from ties: H = 0")),
    ], skips={"xla": no_xla_kernel("FractionalMaxPool")}),
    op("tf.nn.fractional_max_pool(pooling_ratio 1)", fractional_max_pool, [
        Sample((distinct("tf.nn.fractional_max_pool(pooling_ratio 1)", (1, 3, 3, 1), gap=0.1), [1.0, 1.0, 1.0, 1.0]), {},
               "3x3, ratio 1"),
    ], domain="all reals (ratio 1: every pixel its own region, the identity)", bugs=(_FRACTIONAL_MAX_RATIO_1,), points=[
        point("2x2", [np.array([[[[1.0], [-2.0]], [[0.5], [4.0]]]]), (1.0, 1.0, 1.0, 1.0)], [np.ones((1, 2, 2, 1))],
              "pooling ratio 1 keeps every pixel: the identity", second=hvp([np.zeros((1, 2, 2, 1))], "linear: H = 0")),
    ], skips={"xla": no_xla_kernel("FractionalMaxPool")}),
    op("tf.nn.fractional_avg_pool", fractional_avg_pool, [
        Sample(tuple(draw("tf.nn.fractional_avg_pool", (1, 5, 5, 1))) + ([1.0, 1.5, 1.5, 1.0],), {}, "5x5, ratio 1.5"),
        Sample(tuple(draw("tf.nn.fractional_avg_pool", (2, 6, 4, 2), salt="b")) + ([1.0, 2.0, 1.4, 1.0],), dict(overlapping=True),
               "batch 2, 6x4x2, ratio (2, 1.4), overlapping"),
    ], domain="all reals (linear; regions fixed by seed 7)", bugs=(_FRACTIONAL_AVG_BUG,), second_order_sample=0, points=[
        point("one region", [np.array([[[[1.0], [3.0]], [[2.0], [0.0]]]]), (1.0, 2.0, 2.0, 1.0)], [np.full((1, 2, 2, 1), 0.25)],
              "a 2x2 input pooled by 2 has one region: the mean of four, 1/4 each",
              second=hvp([np.zeros((1, 2, 2, 1))], "linear: H = 0")),
        point("ratio 1", [np.array([[[[1.0], [-2.0]], [[0.5], [4.0]]]]), (1.0, 1.0, 1.0, 1.0)], [np.ones((1, 2, 2, 1))],
              "pooling ratio 1 keeps every pixel: the identity", second=hvp([np.zeros((1, 2, 2, 1))], "linear: H = 0")),
    ], skips={"xla": no_xla_kernel("FractionalAvgPool")}),
    # ------------------------------------------------------------------------------------------- projective transforms
    op("tf.raw_ops.ImageProjectiveTransformV3", projective_v3, projective_samples("tf.raw_ops.ImageProjectiveTransformV3"),
       domain="images real (linear in the image; transforms, output shape and fill value fixed, constant fill 0)",
       bugs=(_PROJECTIVE_V3_BUG,), second_order_sample=0, points=projective_points(_PROJECTIVE_V3_BUG),
       skips={"xla": no_xla_kernel("ImageProjectiveTransformV3")}),
    op("tf.raw_ops.ImageProjectiveTransformV2", projective_v2, projective_samples("tf.raw_ops.ImageProjectiveTransformV2"),
       domain="images real (linear in the image; transforms and output shape fixed, constant fill 0)",
       bugs=(_PROJECTIVE_V2_BUG,), second_order_sample=0, points=projective_points(_PROJECTIVE_V2_BUG),
       skips={"xla": no_xla_kernel("ImageProjectiveTransformV2")}),
    # ------------------------------------------------------------------------------------------- MatrixSolveLs
    op("tf.raw_ops.MatrixSolveLs", matrix_solve_ls, [
        Sample((_mat("tf.raw_ops.MatrixSolveLs", (4, 2), "a"), _mat("tf.raw_ops.MatrixSolveLs", (4, 1), "a")), {},
               "4x2 (overdetermined), rhs 4x1"),
        Sample((_mat("tf.raw_ops.MatrixSolveLs", (2, 3, 2), "b"), _mat("tf.raw_ops.MatrixSolveLs", (2, 3, 2), "b")),
               dict(l2_regularizer=0.5), "batch 2x3x2, rhs 2x3x2, l2_regularizer 0.5"),
        Sample((_mat("tf.raw_ops.MatrixSolveLs", (2, 3), "c"), _mat("tf.raw_ops.MatrixSolveLs", (2, 1), "c")), {},
               "2x3 (underdetermined: minimum-norm solution)"),
    ], diff=(0, 1), domain="A of full rank (fast=True: the normal equations by Cholesky)", points=[
        point("A=[[1,0],[0,1],[0,0]], b=[1,2,3]", [LS_A, LS_B], [[[-1.0, -2.0], [-1.0, -2.0], [3.0, 3.0]], [[1.0], [1.0], [0.0]]],
              "x = (AᵀA)⁻¹Aᵀb = (1, 2), r = b − Ax = (0, 0, 3): dx = (AᵀA)⁻¹(dAᵀr − AᵀdA·x), so ∂Σx/∂A = r·1ᵀ − A·1·xᵀ, "
              "∂Σx/∂b = A(AᵀA)⁻¹·1",
              second=hvp([[[0.0, 0.0], [0.0, 0.0], [1.0, 1.0]], [[0.0], [0.0], [0.0]]],
                         "along v = (dA = 0, db = e₃): dx = (AᵀA)⁻¹Aᵀe₃ = 0 (A's third row is 0) and dr = e₃, so "
                         "d(r·1ᵀ − A·1·xᵀ) = e₃·1ᵀ; ∂Σx/∂b = A(AᵀA)⁻¹·1 does not depend on b",
                         v=[np.zeros((3, 2)), [[0.0], [0.0], [1.0]]])),
    ], skips={"xla": no_xla_kernel("MatrixSolveLs")}),
]
