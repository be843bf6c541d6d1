"""Use cases that the CLI, API and web pages all call: the one door into RRMS."""
