"""`python -m stp_tracker` runs the command line."""

from .cli import main

main()
