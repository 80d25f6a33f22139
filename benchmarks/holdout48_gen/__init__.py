"""Independent held-out scenario set 48: serverless data pipelines and APIs."""
