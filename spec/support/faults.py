"""Fault injection for the self-check. Placeholder until the self-check lands."""
