#!/usr/bin/env python3
"""Ingest files or folders into the hub (the same code as `hub ingest`), for editors and cron."""

import sys

from hub.cli import main

if __name__ == "__main__":
    main(args=["ingest", *sys.argv[1:]], prog_name="scripts/ingest.py")
