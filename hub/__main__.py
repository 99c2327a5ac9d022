"""Run the hub command line as `python -m hub`."""

from hub.cli import main

main(prog_name="hub")
