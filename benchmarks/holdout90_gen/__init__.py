"""Held-out RCA scenario set 90: a food-delivery marketplace at dinner rush (menu and order APIs,
order state machines in Lambdas, courier dispatch on ECS, payment callbacks, promo campaigns)."""
