"""Independent held-out RCA scenario set 88: a multi-tenant B2B SaaS CRM (noisy-neighbour
tenants, mailbox sync, search indexing, customer webhooks, per-tenant limits, Sidekiq/Celery)."""
