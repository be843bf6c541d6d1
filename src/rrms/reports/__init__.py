"""Turning results into documents: JSON, CSV, HTML (and later PDF and charts)."""
