"""The demo data set and its loader: synthetic records consistent with the bulletin,
not a use case.
"""
