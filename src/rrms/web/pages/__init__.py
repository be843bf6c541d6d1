"""One module of page routes per concept, each exposing `ROUTERS`; `PAGE_MODULES` in
`rrms.web.server` lists them."""
