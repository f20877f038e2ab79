"""The runtime harness: what every test runs inside.

Owns TensorFlow's set-up before its runtime starts (`runtime`: log level, two logical CPUs, GPU memory growth,
TensorFloat-32 off, capabilities computed once), the execution-mode × device axis (`modes`: the `where` fixture,
tf.function and XLA), the slow tier (`slow`: --run-slow), the releases the spec runs on (`releases`: parsing and
comparing TensorFlow versions), what a test records for the report (`observe`: values returned, raised, warned,
logged; `pictures`: the teaching pictures), example ops picked at run time (`examples`), the multi-worker process
(`mwms_worker`) and the process exit (`fast_exit`).

May import: spec.oracle and spec.tolerances only. Everything else in spec/ builds on it.
"""
