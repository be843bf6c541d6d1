"""Screening notification lists: reading a list, screening it, uploads, and the
officer's decisions.
"""
