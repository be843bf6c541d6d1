"""One router module per concept, each exposing `ROUTERS`; `ROUTER_MODULES` in
`rrms.api.app` lists them."""
