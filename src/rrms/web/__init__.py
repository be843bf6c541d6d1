"""Server-rendered pages (Jinja2 + htmx): each role sees and does what it may."""
