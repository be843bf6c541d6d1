"""One router module per concept; `ROUTERS` lists them for the app."""
