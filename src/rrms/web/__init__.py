"""Server-rendered pages (Jinja2 + htmx) for caseworkers and screening officers."""
