"""Trainer machinery: self-test, nbgrader configuration and preprocessors, cohort grading, report, feedback, authoring."""
