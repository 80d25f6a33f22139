"""Held-out scenario set 43 ("busy accounts") for the aiops-bot RCA benchmark."""
