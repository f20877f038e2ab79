"""Options for slow tests. Placeholder until the distribution chapter lands."""
