"""The REST API (FastAPI): thin routers over the services, token authentication."""
