"""Enrolments, cohorts, lesson progress and the learner's dashboard."""
