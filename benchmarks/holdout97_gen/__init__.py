"""Independent held-out RCA scenario set 97: a developer-tools SaaS / package registry."""
