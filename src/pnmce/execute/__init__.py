"""Notebook runs: what to execute (plan), how (executor) and the byte-stable result (normalise)."""
