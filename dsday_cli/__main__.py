"""Run dsday as ``python -m dsday_cli``."""

from dsday_cli.cli import main

main()
