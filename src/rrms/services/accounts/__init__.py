"""User accounts, sign-in and API tokens."""
