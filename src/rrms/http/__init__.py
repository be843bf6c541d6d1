"""HTTP code both entry points use (the API and the pages): security headers and the
file names of downloads. Below `api` and `web`, so neither has to import the other."""
