"""Courses, modules and lessons with their translations; the catalogue; course files."""
