"""Randomised but plausible names and AWS-shaped ids drawn from word lists."""
from __future__ import annotations

import uuid

import numpy as np

ACCOUNT = "123456789012"

DOMAINS = ["billing", "ledger", "checkout", "orders", "payments", "invoice", "catalog", "inventory",
           "shipping", "pricing", "loyalty", "refunds", "accounts", "profile", "search", "cart",
           "booking", "quotes", "claims", "payouts", "wallet", "rewards", "tickets", "reports",
           "media", "uploads", "notify", "fulfil", "returns", "tax"]
FUNCTION_ROLES = ["api", "worker", "handler", "processor", "sync", "consumer", "webhook", "router",
                  "ingest", "export", "scheduler", "enricher"]
STANDALONE_FUNCTIONS = ["thumbnailer", "pdf-renderer", "geo-tagger", "csv-importer", "mailer",
                        "image-resizer", "audit-trail", "feed-builder", "sitemap-gen", "video-transcoder"]
DB_SUFFIXES = ["db", "pg", "store", "mysql", "primary", "rds"]
CLUSTERS = ["prod", "core", "apps", "platform", "web", "main"]
SERVICE_SUFFIXES = ["svc", "service", "app", "backend", "frontend", "gateway"]
TABLES = ["Orders", "Invoices", "Sessions", "Ledger", "Carts", "Events", "Customers", "Payments"]
USERS = ["ci-deployer", "github-actions", "terraform", "jane.doe", "ops-admin", "deploy-bot", "m.kowalski",
         "a.nguyen", "spinnaker", "platform-automation"]
HUMANS = ["jane.doe", "m.kowalski", "a.nguyen", "r.patel", "s.okafor", "l.martin"]


class Namer:
    """Draws unique names/ids from a seeded generator."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.used: set[str] = set()
        self._domains = [str(d) for d in rng.permutation(DOMAINS)]

    def pick(self, options: list[str]) -> str:
        return str(options[int(self.rng.integers(len(options)))])

    def _unique(self, make) -> str:
        for _ in range(200):
            name = make()
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("name space exhausted")

    def domain(self) -> str:
        """A business domain word, different each call while the list lasts."""
        return self._domains.pop() if self._domains else self.pick(DOMAINS)

    def function(self, domain: str | None = None) -> str:
        def make() -> str:
            if domain is None and self.rng.random() < 0.25:
                return self.pick(STANDALONE_FUNCTIONS)
            return f"{domain or self.domain()}-{self.pick(FUNCTION_ROLES)}"
        return self._unique(make)

    def database(self, domain: str | None = None, engine: str = "postgres") -> str:
        suffixes = [s for s in DB_SUFFIXES if s != ("mysql" if engine == "postgres" else "pg")]
        return self._unique(lambda: f"{domain or self.domain()}-{self.pick(suffixes)}")

    def service(self, domain: str | None = None) -> str:
        return self._unique(lambda: f"{domain or self.domain()}-{self.pick(SERVICE_SUFFIXES)}")

    def cluster(self) -> str:
        return self.pick(CLUSTERS)

    def api(self, domain: str | None = None) -> str:
        return self._unique(lambda: f"{domain or self.domain()}-{self.pick(['api', 'public-api', 'http-api', 'gw'])}")

    def hex(self, n: int) -> str:
        return "".join(self.pick(list("0123456789abcdef")) for _ in range(n))

    def instance_id(self) -> str:
        return self._unique(lambda: "i-0" + self.hex(16))

    def alb_id(self, name: str) -> str:
        return f"app/{name}/{self.hex(16)}"

    def api_id(self) -> str:
        return self._unique(lambda: "".join(self.pick(list("abcdefghijklmnopqrstuvwxyz0123456789"))
                                            for _ in range(10)))

    def request_id(self) -> str:
        return str(uuid.UUID(bytes=self.rng.bytes(16), version=4))

    def private_ip(self) -> str:
        return f"10.0.{int(self.rng.integers(1, 12))}.{int(self.rng.integers(4, 250))}"

    def user(self, human: bool = False) -> str:
        return self.pick(HUMANS if human else USERS)

    def table(self) -> str:
        return self.pick(TABLES)


def rds_host(db_id: str, region: str) -> str:
    return f"{db_id}.c9akciq32.{region}.rds.amazonaws.com"


def role_arn_session(role: str, session: str) -> str:
    return f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{session}"
