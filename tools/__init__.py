"""Maintenance scripts run by make and CI (not part of the app)."""
