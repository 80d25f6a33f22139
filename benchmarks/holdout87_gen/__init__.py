"""Held-out RCA scenario set 87: a government tax-filing portal in deadline week."""
