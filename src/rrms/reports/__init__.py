"""Reports from the records: the figures, disclosure control for public versions, and
their forms (JSON, CSV and XLSX with HXL, HTML and PDF with charts)."""
