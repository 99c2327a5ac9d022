#!/usr/bin/env python3
"""Send the weekly digest (the same code as `hub digest send`), for cron and systemd timers."""

import sys

from hub.cli import main

if __name__ == "__main__":
    main(args=["digest", "send", *sys.argv[1:]], prog_name="scripts/send_digest.py")
