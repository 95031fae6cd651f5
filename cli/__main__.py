"""`python -m cli` is the `faye` console script (useful where the script is not on PATH)."""

from cli.client import main

main()
