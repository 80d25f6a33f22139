"""Independent held-out RCA scenario set 57 ("an evaluator's set")."""
