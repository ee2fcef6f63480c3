"""Grading a course: each kata's learner files run in a sandbox against the course's own tests."""
