"""Evidence rules: what log text and which metric movements point at which root-cause category.

Rules are generic (error vocabulary of AWS services, runtimes and databases),
never names from a particular system.
"""
from __future__ import annotations

import re

from ..catalog import ERROR_COUNT_METRICS

LOG_RULES: dict[str, re.Pattern[str]] = {
    "permission_denied": re.compile(
        r"AccessDenied|Access ?Denied|not authori[sz]ed to perform|UnauthorizedOperation|"
        r"AuthorizationError|is not authorized|Forbidden|permission denied for|InvalidClientTokenId|"
        r"ExpiredToken|UnrecognizedClientException|does not have permission|(?:not|unable to|cannot) assume|"
        r"KMS\.?AccessDenied|KMSAccessDenied|AccessDeniedException|"
        r"security token included in the request is (?:invalid|expired)|SignatureDoesNotMatch|InvalidAccessKeyId|"
        r"Invalid permissions on Lambda function",  # API Gateway: the function's policy no longer lets it invoke
        re.I),
    "db_connection_exhaustion": re.compile(
        r"too many (clients|connections)|remaining connection slots|connection pool (is )?(exhausted|full)|"
        r"pool exhausted|max_connections|Too many connections|could not obtain connection|"
        r"QueuePool limit|connection limit exceeded|ER_CON_COUNT_ERROR|Cannot get a connection|"
        r"Connection is not available, request timed out|Unable to acquire JDBC Connection|"
        # Node (knex, sequelize), Java (commons-pool/DBCP) pool waits
        r"Timeout acquiring a connection|ConnectionAcquireTimeout|pool is probably full|"
        r"Timeout waiting for (?:idle )?(?:object|connection)", re.I),
    "throttling": re.compile(
        r"Rate ?Exceeded|Throttl|TooManyRequests|Too Many Requests|status\"?\s*[:=]\s*\"?429\b|(?<![.:,\d])\b429\b(?![.:,]\d)|ProvisionedThroughputExceeded|"
        r"SlowDown|RequestLimitExceeded|concurrency limit|ReservedFunctionConcurrentInvocationLimitExceeded|"
        r"TooManyRequestsException|rate limit|(?<!memory )(?<!time )Limit ?Exceeded|quota (?:was |has been )?exceeded|QuotaExceeded", re.I),
    "memory_exhaustion": re.compile(
        r"MemoryError|OutOfMemory|out of memory|OOM ?Kill|Cannot allocate memory|heap out of memory|"
        r"Runtime exited with error: signal: killed|Java heap space|memory limit exceeded|"
        r"JavaScript heap|std::bad_alloc|Runtime\.OutOfMemory|OOMKilled|exit(?:ed)? (?:with )?code 137|"
        r"Killed process \d+|memory cgroup out of memory|OOM command not allowed|"
        r"To-space exhausted|Pause Full \(|GC overhead limit exceeded", re.I),  # a JVM heap full: GC thrashing
    "storage_exhaustion": re.compile(
        r"No space left on device|disk (is )?full|ENOSPC|could not extend file|storage[- ]full|"
        r"DiskFull|insufficient storage|database or disk is full|Disk quota exceeded|EDQUOT|"
        r"The table '[^']+' is full|could not write to (?:temporary )?file|not enough space on the disk", re.I),
    "function_timeout": re.compile(r"Task timed out after|Function timed out|Lambda timeout", re.I),
    "dependency_failure": re.compile(
        r"timed out|timeout|Connection refused|ECONNREFUSED|ECONNRESET|connection reset|could not connect|"
        r"Connection (to .* )?failed|failed to connect|Name or service not known|getaddrinfo|ENOTFOUND|"
        r"UnknownHost|No route to host|Service Unavailable|Bad Gateway|(?<![.:,\d])\b50[234]\b(?![.:,]\d)|upstream|"
        r"EndpointConnectionError|ConnectTimeout|ReadTimeout|OperationalError|circuit breaker|"
        r"Communications link failure|"
        r"ETIMEDOUT|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|socket hang up|deadline exceeded|DEADLINE_EXCEEDED|"
        r"Failed to open TCP connection|execution expired|Faraday::ConnectionFailed|Net::OpenTimeout|"
        r"no healthy upstream|upstream connect error|RemoteDisconnected|Connection closed by (?:peer|foreign host)|"
        # the dependency's TLS endpoint is broken (an expired or wrong certificate, a failed handshake)
        r"SSLHandshakeException|CertificateExpired|certificate (?:has )?expired|certificate verify failed|"
        r"PKIX path (?:building|validation) failed|x509: certificate|TLS handshake (?:error|timeout|failed)|"
        r"ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate's altnames|certificate name does not match|"
        # a database that failed over or restarted: writes reaching a reader, recovery, admin shutdown
        r"in a read-only transaction|read-only connections|database system was interrupted|"
        r"database system is (?:starting up|shutting down|in recovery)|terminating connection due to administrator|"
        r"failover (?:started|in progress|completed)|Failing over|RDS-EVENT-00(?:49|50|51|73|71)|"
        # SQL Server unreachable, stopping, or recovering its databases after a restart
        r"(?:could not open a|while establishing a) connection to SQL Server|server was not found or was not accessible|"
        r"SQL Server is terminating|Recovery of database .{0,60} is \d+% complete|"
        r"Database '[^']+' cannot be opened|"
        # an HTTP API it called answered with a server error ("500 Internal Server Error from http://...",
        # "calibrator returned HTTP 500")
        r"\b5\d\d (?:[A-Z][a-z]+ ){0,3}from https?://|\breturned (?:HTTP |status |an? )?5\d\d\b", re.I),
    "config_change": re.compile(
        r"(missing|invalid|unknown|undefined|not set|not configured|no such) (required )?"
        r"(environment variable|env var|setting|config(uration)?|parameter|option|feature flag)|"
        r"(environment variable|setting|config(uration)? (key|value)|parameter) .{0,40}"
        r"(is )?(missing|not set|invalid|required|undefined)|"
        r"ConfigurationError|ImproperlyConfigured|ValidationException: .*parameter|"
        r"Failed to bind properties|Could not bind properties|ConfigurationPropertiesBindException|"
        r"Origin: System Environment Property|'[^']{1,60}' is not a valid (?:duration|value|number|integer|boolean)|"
        r"(?-i:KeyError: '(?:[A-Z][A-Z0-9]*_[A-Z0-9_]+|[A-Z][A-Z0-9]{4,})')|incompatible with sql_mode|bigger than 'max_allowed_packet'|"
        r"require_secure_transport|insecure transport are prohibited|"
        # an error that points at an environment-style setting ("... configured for EUR (check SETTLEMENT_ACCOUNTS)")
        r"\bno [\w-]+(?: [\w-]+)? configured for\b|(?-i:\b(?:check|set|define) [A-Z][A-Z0-9]*_[A-Z0-9_]+\b)|"
        # an environment-style setting that is empty or unset ("config: SMTP_RELAY_ADDR is empty")
        r"(?-i:\b[A-Z][A-Z0-9]*_[A-Z0-9_]+)\b (?:is (?:empty|blank|unset|missing|required|not set)|must be set)\b|"
        # a required key or secret the process was not given (Laravel's APP_KEY: MissingAppKeyException)
        r"\bno (?:[\w-]+ ){0,3}(?:key|secret|setting|variable|credentials?) (?:has been|was|is) "
        r"(?:specified|set|configured|provided)\b|(?-i:\bMissing[A-Z]\w*(?:Key|Config|Setting|Variable)\w*Exception)|"
        # the bucket or queue it was configured with does not exist (a name mistyped in its settings)
        r"\bNoSuchBucket\b|specified bucket does not exist|NonExistentQueue|specified queue does not exist",
        re.I),
    "cpu_saturation": re.compile(r"\bon CPU\b|CPU (usage|load|throttl|starv)|load average|CPU credit|"
                                r"Thread starvation or clock leap|"  # Hikari's housekeeper starved of CPU
                                r"thread ?pool starvation|Heartbeat took longer than", re.I),  # Kestrel's starved heartbeat
}

# Errors that come from a database client (the victim names no host, but the fault is in "the database").
DATABASE_WORDS = re.compile(
    r"JDBC|SQLException|SQLSTATE|PreparedStatement|QueryTimeout|Hikari|psycopg|pymysql|MySQLdb|sqlalchemy|"
    r"Npgsql|MySqlConnector|SqlClient|EntityFrameworkCore|"
    r"OperationalError|(?-i:\bER_[A-Z_]{3,})|Sequelize|ActiveRecord|PG::|pq: |postgres|mysql|mariadb|deadlock|"
    r"lock wait|statement timeout|database|too many (clients|connections)|slow query|sql_mode|max_allowed_packet|"
    r"\bquery (?:failed|timed out|timeout)\b|"
    r"SQLSTATE|require_secure_transport|pg_hba\.conf|"
    # Node drivers' own messages (mysql2, pg)
    r"Query (?:inactivity|read) timeout|PROTOCOL_(?:SEQUENCE_TIMEOUT|CONNECTION_LOST)|Connection terminated unexpectedly|"
    r"(?-i:\bSELECT\b.{0,200}\bFROM\b|\bUPDATE\b.{0,100}\bSET\b|\bINSERT INTO\b)", re.I)

# A service shedding load itself (its own admission limiter answering 429/503), not throttled by a limit
# outside it: under a surge of its requests that is the surge's symptom.
SHEDDING = re.compile(r"admission (?:rejected|denied)|load[- ]?shed|shedding|rejecting (?:new )?requests?|"
                      r"returning 429|returning 503|server (?:too )?busy|over capacity", re.I)

# Code that is not there: a module, native library or class the new package lacks.
PACKAGING = re.compile(r"cannot open shared object file|Runtime\.ImportModuleError|ModuleNotFoundError|No module named|"
                       r"Cannot find module|ClassNotFoundException|NoClassDefFoundError|UnsatisfiedLinkError|"
                       r"GLIBC_[\d.]+' not found|exec format error|cannot load library", re.I)

# A database server's own setting named in its client's error (set in its parameter group, not the client)
# a database refusing by a server setting: SQL modes, packet size, transport that must be encrypted
DB_SETTING = re.compile(r"incompatible with sql_mode|bigger than 'max_allowed_packet'|require_secure_transport|"
                        r"insecure transport are prohibited|rds\.force_ssl|no pg_hba\.conf entry for .{0,120}SSL off",
                        re.I)

# Ports in "host:port" errors and the technology that usually listens there (matched in resource names).
PORT = re.compile(r"(?<=[0-9a-z\]]):(\d{4,5})\b")
WELL_KNOWN_PORTS = {"6379": "redis", "11211": "memcache", "5432": "postgres", "3306": "mysql", "27017": "mongo",
                    "9200": "elastic", "9092": "kafka", "5672": "rabbit", "2181": "zookeeper"}

# A front door's own limits (API Gateway usage plans, stage, account throttling): not relayed from behind it.
FRONT_DOOR_LIMIT = re.compile(
    r"usage plan|throttle limit (exceeded )?for API Stage|Key throttle limit|Account throttle limit|"
    r"(stage|method) throttl|^\W*Limit Exceeded\W*$|quota (?:was |has been )?exceeded", re.I | re.M)

# A rule that also implies an unhealthy downstream (the origin may be the named dependency).
DEPENDENCY_CATEGORIES = ("db_connection_exhaustion", "dependency_failure", "throttling", "permission_denied")

# A cache server refusing its clients because it is itself at a limit (Redis maxmemory with noeviction,
# a failed background save): the fault is the cache's, whoever logged it.
CACHE_LIMIT = re.compile(r"OOM command not allowed|used memory > 'maxmemory'|MISCONF Redis is configured to save",
                         re.I)
# A store refusing a client's request because of its own limit or server setting, by the category it shows:
# the fault is the store's, whoever logged it.
STORE_REFUSALS = {"memory_exhaustion": CACHE_LIMIT, "storage_exhaustion": CACHE_LIMIT, "config_change": DB_SETTING}
CACHE_TECH = ("redis", "memcache", "valkey", "elasticache")
# Errors of a cache client library (the victim names no host, but the fault is in "the cache").
CACHE_WORDS = re.compile(r"redis|memcache|valkey|ReplyError|Jedis|Lettuce|ioredis|StackExchange\.Redis|"
                         r"OOM command not allowed|MISCONF", re.I)

# Lambda's answer to an Invoke over the function's concurrency (the caller names the function seldom).
INVOKE_THROTTLE = re.compile(r"TooManyRequestsException|ReservedFunctionConcurrentInvocationLimitExceeded", re.I)

TABLE_WORDS = re.compile(r"DynamoDB|ProvisionedThroughputExceeded|ThrottlingException.*Table", re.I)

# Metrics that show users being hurt (errors, latency, failed hosts): what "saturation with latency
# or errors following" needs besides the saturated metric itself.
# Limits a setting can lower, and the calls that set them: a recent such call on the resource that hits
# the limit is the trigger (config_change), the limit its symptom
LIMIT_SETTINGS: dict[str, re.Pattern[str]] = {
    "throttling": re.compile(r"FunctionConcurrency|ProvisionedConcurrency|UsagePlan|UpdateStage|UpdateTable|"
                             r"EventSourceMapping|UpdateAccount", re.I),
    "db_connection_exhaustion": re.compile(r"DB(?:Cluster)?ParameterGroup|ModifyDB(?:Instance|Cluster)|DBProxy", re.I),
    "memory_exhaustion": re.compile(r"UpdateFunctionConfiguration|RegisterTaskDefinition|UpdateService|"
                                    r"ModifyInstanceAttribute|ModifyDB(?:Instance|Cluster)|DB(?:Cluster)?ParameterGroup",
                                    re.I),
    "function_timeout": re.compile(r"UpdateFunctionConfiguration", re.I),
    "storage_exhaustion": re.compile(r"UpdateFunctionConfiguration|RegisterTaskDefinition|ModifyDB(?:Instance|Cluster)|"
                                     r"ModifyVolume", re.I),
}

# a resource's own failed requests (not its health): what a change on it may have caused
FAILURE_METRICS = frozenset({"Errors", "4XXError", "5XXError", "HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count",
                             "ClientTLSNegotiationErrorCount"})  # clients refusing the listener's certificate
SYMPTOM_METRICS = ERROR_COUNT_METRICS | {"Latency", "TargetResponseTime", "Duration", "ReadLatency", "WriteLatency",
                                         "DiskQueueDepth"}

# A timeout that names nothing it waited for ("[CRITICAL] WORKER TIMEOUT", "request timed out"):
# under a surge it is the service's own slowness, not a failing dependency.
BARE_TIMEOUT = re.compile(r"timed? ?out|deadline exceeded", re.I)
# A queue that filled (its own, or one it feeds that no resource of the account answers for): under a surge,
# the load's doing, like its own timeouts.
QUEUE_FULL = re.compile(r"\b(?:queue|backlog) (?:is )?full\b", re.I)
# gunicorn's arbiter kills a worker past its timeout with SIGKILL and then guesses "Perhaps out of memory?":
# beside its own "WORKER TIMEOUT" lines that kill is the timeout, not memory
# a JVM whose heap is full collects back to back: its threads stall in the pauses, not for want of CPU
GC_THRASH = re.compile(r"To-space exhausted|Pause Full \(|GC overhead limit exceeded")
STALLED = re.compile(r"Thread starvation or clock leap")
WORKER_TIMEOUT = re.compile(r"\bWORKER TIMEOUT\b")
WORKER_KILLED = re.compile(r"was sent SIGKILL! Perhaps out of memory\?")
# A failure that names what failed (a host, an address, a refused connection; a client that disconnected is not one).
NAMED_FAILURE = re.compile(r"refused|reset|unreachable|not known|getaddrinfo|ENOTFOUND|UnknownHost|No route|"
                           r"(?<!dis)connect|upstream|https?://|\b(?:[a-z0-9-]+\.)+(?:com|net|org|io|internal|local|aws)\b|"
                           r"(?:[A-Za-z][\w-]*\.[\w.-]+|localhost|\d+\.\d+\.\d+\.\d+):\d{2,5}\b", re.I)
# A proxy's upstream on its own host (nginx in front of the app on 127.0.0.1): its timeouts are the host's slowness.
LOCAL_UPSTREAM = re.compile(r"upstream: \"?(?:[a-z][a-z0-9+.-]*://)?(?:127\.\d+\.\d+\.\d+|localhost|\[::1\]|unix:)",
                            re.I)  # nginx's own host: http://127.0.0.1:8000, fastcgi://unix:/run/php-fpm.sock
# An endpoint that could not be reached at all (refused, unresolvable, failed handshake).
UNREACHED = re.compile(r"refused|unreachable|no route|not known|getaddrinfo|ENOTFOUND|EAI_AGAIN|UnknownHost|"
                       r"NXDOMAIN|no such host|Name or service|i/o timeout|connect(?:ion)? time(?:d ?)?out|"
                       r"certificate|handshake", re.I)
# Writes refused by a read-only server: where the writer's name now leads is a reader (a failover, or a record
# edited to point there).
MISROUTED_WRITES = re.compile(r"in a read-only transaction|read-only connections|running with the --read-only|"
                              r"ReadOnlySqlTransaction", re.I)
# A failed TLS handshake with a balancer or API is about its own listener's certificate, not what is behind it.
TLS_FAILURE = re.compile(r"certificate|handshake|x509|PKIX|SSL|TLS", re.I)
ERROR_WORDS = re.compile(r"error|exception|fail|fatal|critical|panic|denied|refused|timed out|traceback", re.I)

# Metric rules: (metric name, direction) -> category, with an optional absolute check.
METRIC_CATEGORIES: dict[str, tuple[str, str]] = {
    "CPUUtilization": ("cpu_saturation", "up"),
    "CPUCreditBalance": ("cpu_saturation", "down"),  # a burstable instance out of credits is capped
    "DatabaseConnections": ("db_connection_exhaustion", "up"),
    "Throttles": ("throttling", "up"),
    "ThrottledRequests": ("throttling", "up"),
    "ReadThrottleEvents": ("throttling", "up"),
    "WriteThrottleEvents": ("throttling", "up"),
    "mem_used_percent": ("memory_exhaustion", "up"),
    "MemoryUtilization": ("memory_exhaustion", "up"),
    "FreeableMemory": ("memory_exhaustion", "down"),
    "FreeStorageSpace": ("storage_exhaustion", "down"),
    "disk_used_percent": ("storage_exhaustion", "up"),
    "Invocations": ("traffic_surge", "up"),
    "Count": ("traffic_surge", "up"),
    "RequestCount": ("traffic_surge", "up"),
    "Duration": ("function_timeout", "up"),
    "ReadLatency": ("dependency_failure", "up"),  # a store's disk stalling (see metric evidence)
    "WriteLatency": ("dependency_failure", "up"),
    "ReplicaLag": ("dependency_failure", "up"),  # a replica serving reads minutes behind its primary
}

# Categories whose fault is the resource itself (not a trigger), scaled by these priors.
CATEGORY_PRIOR: dict[str, float] = {
    "config_change": 1.0, "bad_deployment": 1.0, "permission_denied": 1.0, "db_connection_exhaustion": 1.0,
    "cpu_saturation": 1.0, "memory_exhaustion": 1.0, "storage_exhaustion": 1.0, "throttling": 1.0,
    "function_timeout": 0.95, "dependency_failure": 0.9, "traffic_surge": 0.75, "application_error": 0.7,
}

# Where two fit equally, the more specific wins (lower index = more specific).
SPECIFICITY = ("config_change", "bad_deployment", "permission_denied", "db_connection_exhaustion",
               "storage_exhaustion", "memory_exhaustion", "throttling", "cpu_saturation", "function_timeout",
               "dependency_failure", "traffic_surge", "application_error", "unknown")


# an access log's request and the status the server itself answered ('"GET /v2/price HTTP/1.1" 503')
ACCESS_STATUS = re.compile(r'("(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \S+ HTTP/[\d.]+") [1-5]\d\d\b')


_KEY_ERROR = re.compile(r"KeyError: '[^']*'")
_TRACE_CODE = re.compile(r"^ {4,}(\S.*)$", re.M)  # the source lines a Python traceback quotes
_SETTING_LOOKUP = re.compile(r"environ|getenv|\benv\b|setting|config|secret|param", re.I)


def _key_error_in_data(text: str) -> bool:
    """A KeyError that code looking up data raised: the traceback's source lines index a mapping
    (``STATUS_MAP[raw["status"]]``) and none reads the environment or settings."""
    code = _TRACE_CODE.findall(text)
    return any("[" in line for line in code) and not any(_SETTING_LOOKUP.search(line) for line in code)


def log_categories(text: str) -> list[str]:
    """Categories whose vocabulary appears in a log template or sample. The status an access log records
    is the server's own answer, not a dependency's: a 503 there says it failed, not why. A KeyError naming
    an upper-case key is a missing setting, unless its traceback shows code indexing data."""
    text = ACCESS_STATUS.sub(r"\1", text)
    cats = [cat for cat, rule in LOG_RULES.items() if rule.search(text)]
    if "config_change" in cats and _key_error_in_data(text) \
            and not LOG_RULES["config_change"].search(_KEY_ERROR.sub("", text)):
        cats.remove("config_change")
    return cats
