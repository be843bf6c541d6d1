"""RRMS: screening forced returns to Kosovo and managing returnees' reintegration cases."""

__version__ = "0.1.0"
