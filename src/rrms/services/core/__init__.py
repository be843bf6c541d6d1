"""What every context shares: errors, roles and permissions, the audit log, the generic
record path, field checks and private files.
"""
