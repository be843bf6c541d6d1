"""Use cases, grouped by the business context a reader looks for.

`core` holds what every context shares (errors, access, audit, the generic record
path, field checks, private files); the other folders are contexts that talk to each
other only through `core` or each other's public functions. See docs/architecture.md.
"""
