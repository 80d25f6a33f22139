"""Held-out RCA scenario set 78: travel booking and search (fare fan-out, booking databases,
seat holds, currency/rate caches) across eu-west-1, ap-southeast-2 and us-west-2."""
