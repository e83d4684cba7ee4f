"""Assignments: trainers and HR give people work with a due date; evidence closes it."""
