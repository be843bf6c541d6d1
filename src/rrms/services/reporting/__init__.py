"""Running a report: who may, for which period, audited."""
