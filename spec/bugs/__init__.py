"""Known TensorFlow bugs: the record every known bug is written as, and how its strict xfail is judged.

Owns `KnownBug` (summary, upstream link and related links, the searches behind them, reproducer, kind, workaround,
the checks, modes, dtypes and releases it breaks) and `Workaround` (`record`), the bugs of the chapters that are
not op-atlas records (`chapters`), and the plugin that lets a strict xfail count only when the failure shows the
bug's symptom (`symptoms`). The op atlas attaches KnownBugs to its records; the report lists them by kind.

May import: spec.harness. Imported by the chapters, the atlas, the report and the bug-report command.
"""
from spec.bugs.record import KINDS, KnownBug, Workaround, known_bug_of

__all__ = ["KINDS", "KnownBug", "Workaround", "known_bug_of"]
