"""holdout64: lift-and-shift estates (EC2 fleets behind ALBs, host logs, cron, RDS)."""
