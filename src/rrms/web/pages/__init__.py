"""One module of page routes per concept; `PAGE_ROUTERS` in `rrms.web.server` lists them."""
