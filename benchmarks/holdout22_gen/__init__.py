"""Holdout 22: sixteen incident scenarios modelled on public-postmortem causes (see scenarios_holdout22/README.md)."""
