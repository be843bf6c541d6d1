"""Reading and writing files: CSV/XLSX detection, located errors, vocabularies, safe export."""
