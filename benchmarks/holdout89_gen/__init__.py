"""Independent held-out RCA scenario set 89: a trading and crypto exchange (matching engine on EC2,
market-data fan-out on ECS, wallet and withdrawal Lambdas behind API Gateway, ledger databases)."""
