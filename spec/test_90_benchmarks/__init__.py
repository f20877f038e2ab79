"""Chapter 90 — Benchmarks: what recording, gradients, persistence, nesting and Jacobians cost (issue #4)."""
