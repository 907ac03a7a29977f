"""``python -m rosxl``: the command line."""

from rosxl.cli import main

main()
