"""Query objects, one module per context: the SQL the services need, behind methods
named for what they ask.

The unit of work hands them out (`uow.persons`, `uow.programmes`, ...), so services
never build SQL themselves and a service rule can be tested with a stand-in that
answers the same methods.
"""
