"""Persistence: SQLAlchemy tables, Alembic migrations, sessions; SQLite or PostgreSQL."""
