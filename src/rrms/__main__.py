"""Allow `python -m rrms` as well as the `rrms` script."""

from rrms.cli.main import app

app()
