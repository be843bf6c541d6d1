"""The caseworker's desk: every kind of record listed, created, edited and moved through
its workflow in pages, built from one description per kind (`desks.py`).

A `Desk` names the record kind of the services (`rrms.services.core.records`), the
fields people fill in and how each is entered (`spec.Field`), the columns and filters
of its list, and the status buttons each role may press (`spec.Transition`). The routes
(`routes.py`) turn that description into a list page, a record page, a create form and
an edit form; every check stays in the services, whose refusals name the field they
concern, so the page shows each one beside its field.
"""
