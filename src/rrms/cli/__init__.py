"""The `rrms` command line (Typer): thin commands that call services."""
