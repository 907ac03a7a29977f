"""``python -m rosxl``: the command line."""

from rosxl.cli import main

if __name__ == "__main__":
    main()
