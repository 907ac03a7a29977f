"""Inputs built by code, shared by ``tests/`` and ``benchmarks/`` (which never import each other).

``legacy``: legacy ROS spreadsheets as municipalities made them; ``hostile``: files crafted or
damaged to break a reader, each with the refusal code rosxl must give; ``mutation``: seeded mutants
of the shipped examples and a template (bit flips, truncations, shuffled and swapped zip members);
``measure``: running a command under ``/usr/bin/time -v`` with the peak memory of its process
tree. Nothing here imports
rosxl, so the inputs do not change when the code under test does.
"""
