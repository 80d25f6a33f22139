"""Held-out RCA scenario set 59: partial failures, slow burns and victims two hops away."""
