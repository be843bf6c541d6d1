"""Programmes and what is kept under them: assistance, projects, housing, information
requests, trainings, confidential cases.
"""
