"""Converter safety: hard limits, the input guard, worker isolation and atomic outputs."""
