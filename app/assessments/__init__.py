"""Quizzes, question banks, attempts and grading; GIFT import and export."""
