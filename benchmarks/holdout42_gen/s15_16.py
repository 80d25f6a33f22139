"""h42-15 (Laravel/php-fpm on ECS, task definition revision drops APP_KEY) and h42-16 (Python/SQLAlchemy JSON
logs on ECS, RDS Postgres storage I/O stall)."""
from __future__ import annotations

import json

from .common import (Rng, Stream, alarm, alb_metrics, anchor_dt, arrivals, at, change, ecs_metrics, expect, iso_us,
                     lambda_metrics, ramp, rds_metrics, scenario_doc, series, step, wave)

GB = 1024 ** 3

APPKEY_FRAMES = [
    "/var/www/html/vendor/laravel/framework/src/Illuminate/Support/helpers.php(330): Illuminate\\\\Encryption\\\\EncryptionServiceProvider->Illuminate\\\\Encryption\\\\{closure}(NULL)",
    "/var/www/html/vendor/laravel/framework/src/Illuminate/Encryption/EncryptionServiceProvider.php(79): tap(NULL, Object(Closure))",
    "/var/www/html/vendor/laravel/framework/src/Illuminate/Encryption/EncryptionServiceProvider.php(34): Illuminate\\\\Encryption\\\\EncryptionServiceProvider->key(Array)",
    "/var/www/html/vendor/laravel/framework/src/Illuminate/Container/Container.php(1018): Illuminate\\\\Encryption\\\\EncryptionServiceProvider->Illuminate\\\\Encryption\\\\{closure}(Object(Illuminate\\\\Foundation\\\\Application), Array)",
    "/var/www/html/vendor/laravel/framework/src/Illuminate/Container/Container.php(890): Illuminate\\\\Container\\\\Container->build(Object(Closure))",
    "/var/www/html/vendor/laravel/framework/src/Illuminate/Foundation/Application.php(1077): Illuminate\\\\Container\\\\Container->resolve('encrypter', Array, true)",
    "/var/www/html/vendor/laravel/framework/src/Illuminate/Container/Container.php(821): Illuminate\\\\Foundation\\\\Application->resolve('encrypter', Array)",
    "/var/www/html/vendor/laravel/framework/src/Illuminate/Foundation/Application.php(1057): Illuminate\\\\Container\\\\Container->make('encrypter', Array)",
    "/var/www/html/vendor/laravel/framework/src/Illuminate/Container/Container.php(1175): Illuminate\\\\Foundation\\\\Application->make('encrypter')",
    "/var/www/html/vendor/laravel/framework/src/Illuminate/Container/Container.php(1085): Illuminate\\\\Container\\\\Container->resolveClass(Object(ReflectionParameter))",
    "/var/www/html/vendor/laravel/framework/src/Illuminate/Pipeline/Pipeline.php(198): Illuminate\\\\Container\\\\Container->make('App\\\\Http\\\\Middle...')",
    "/var/www/html/vendor/laravel/framework/src/Illuminate/Foundation/Http/Kernel.php(175): Illuminate\\\\Pipeline\\\\Pipeline->then(Object(Closure))",
    "/var/www/html/vendor/laravel/framework/src/Illuminate/Foundation/Http/Kernel.php(144): Illuminate\\\\Foundation\\\\Http\\\\Kernel->sendRequestThroughRouter(Object(Illuminate\\\\Http\\\\Request))",
    "/var/www/html/public/index.php(51): Illuminate\\\\Foundation\\\\Http\\\\Kernel->handle(Object(Illuminate\\\\Http\\\\Request))",
]


def h42_15():
    rng = Rng(4215)
    anchor = anchor_dt(2026, 12, 1, 15, 0)
    region = "us-east-1"
    lb = "app/billing-alb/4f8a2c6e0b1d3957"
    svc = "billing/billing-portal"
    t_reg, t_upd = -2300, -2290
    new_up, old_down = -2215, -2120
    new_share = lambda t: ramp(t, new_up, old_down, 0.0, 1.0)  # noqa: E731
    rpm = lambda t: 360 * wave(t, 10800, 0.15, 2.0)  # noqa: E731
    session_share = 0.91
    t5 = series(rng, lambda t: 0.2 + rpm(t) * session_share * new_share(t), integer=True)
    metrics = alb_metrics(lb, series(rng, rpm, integer=True), series(rng, lambda t: 0.142 - 0.1 * new_share(t), noise=0.1, nd=4), t5,
                          series(rng, lambda t: 0.05, integer=True), series(rng, lambda t: 11, integer=True),
                          series(rng, lambda t: 4 if -2230 <= t < -2110 else 2, noise=0, nd=0), series(rng, lambda t: 0, noise=0, nd=0))
    metrics += ecs_metrics("billing", "billing-portal", series(rng, lambda t: 23 * wave(t, 10800, 0.15, 2.0) * (1 - 0.55 * new_share(t)), noise=0.07),
                           series(rng, lambda t: step(t, -2150, 46, 31), noise=0.02))
    metrics += rds_metrics("billing-mysql", series(rng, lambda t: 16 * (1 - 0.6 * new_share(t)) + 3, noise=0.08),
                           series(rng, lambda t: 38 - 20 * new_share(t), integer=True),
                           series(rng, lambda t: 171 * GB, noise=0.0003, nd=0),
                           series(rng, lambda t: 0.0008, noise=0.15, nd=5), series(rng, lambda t: 0.0013, noise=0.15, nd=5),
                           series(rng, lambda t: 6.6 * GB, noise=0.01, nd=0))
    runs = set(range(-21600, 0, 600))
    metrics += lambda_metrics("invoice-mailer", series(rng, lambda t: 1 if t in runs else 0, noise=0, nd=0),
                              series(rng, lambda t: 0, noise=0, nd=0), series(rng, lambda t: 0, noise=0, nd=0),
                              [p for p in series(rng, lambda t: 5200, noise=0.1, nd=2) if p[0] in runs],
                              series(rng, lambda t: 1 if t in runs else 0, noise=0, nd=0))

    g = "/ecs/billing-portal"
    old_t, new_t = rng.hexs(32), rng.hexs(32)
    php_old, php_new = Stream(g, f"php/php-fpm/{old_t}"), Stream(g, f"php/php-fpm/{new_t}")
    ngx_old, ngx_new = Stream(g, f"nginx/nginx/{old_t}"), Stream(g, f"nginx/nginx/{new_t}")
    fpm_ts = lambda x: at(anchor, x).strftime("%d-%b-%Y %H:%M:%S")  # noqa: E731
    lar_ts = lambda x: at(anchor, x).strftime("%Y-%m-%d %H:%M:%S")  # noqa: E731
    ngx_ts = lambda x: at(anchor, x).strftime("%d/%b/%Y:%H:%M:%S +0000")  # noqa: E731
    b = new_up - 25
    php_new.add(b, "[entrypoint] billing-portal release 2026.11.27-1 (sha 4be19f0) starting; running php artisan config:cache")
    php_new.add(b + 1.4, "")
    php_new.add(b + 1.41, "   INFO  Configuration cached successfully.  ")
    php_new.add(b + 1.42, "")
    php_new.add(b + 1.6, f"[{fpm_ts(b + 1.6)}] NOTICE: fpm is running, pid 1")
    php_new.add(b + 1.61, f"[{fpm_ts(b + 1.61)}] NOTICE: ready to handle connections")
    ngx_new.add(b + 0.5, "/docker-entrypoint.sh: Configuration complete; ready for start up")
    for st in (php_old, php_new):
        lo, hi = (-7200, old_down) if st is php_old else (new_up, 0)
        for t in range(int(lo) + 17, int(hi), 300):
            st.add(t, f'[{lar_ts(t)}] production.INFO: scheduler heartbeat {{"release":"2026.11.27-1","queue_depth":{rng.randint(0, 6)}}}')
    for t in arrivals(rng, -7200, 0, lambda t: 0.3):
        use_new = rng.random() < new_share(t)
        php, ngx = (php_new, ngx_new) if use_new else (php_old, ngx_old)
        if t >= old_down:
            php, ngx = php_new, ngx_new
        elif t < new_up:
            php, ngx = php_old, ngx_old
        ip = rng.pub_ip()
        r = rng.random()
        if r < 0.02:
            p = rng.choice(["/.env", "/wp-login.php", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", "/.git/config", "/telescope/requests"])
            ngx.add(t, f'{rng.choice(["45.148.10.91", "194.26.29.18"])} - - [{ngx_ts(t)}] "GET {p} HTTP/1.1" 404 6603 "-" '
                       f'"Mozilla/5.0 (compatible; Odin; https://docs.getodin.com/)"')
            continue
        if r < 0.02 + (1 - session_share):
            ngx.add(t, f'10.0.{rng.randint(1, 3)}.{rng.randint(10, 250)} - - [{ngx_ts(t)}] "GET /up HTTP/1.1" 200 1631 "-" "ELB-HealthChecker/2.0"')
            continue
        path = rng.choice(["/billing/invoices", "/billing/invoices/INV-{}", "/billing/payment-methods", "/login", "/dashboard",
                           "/billing/invoices/INV-{}/pdf"]).format(rng.randint(20000, 99999))
        if rng.random() < 0.05:
            ngx.add(t + 0.002, f'{at(anchor, t).strftime("%Y/%m/%d %H:%M:%S")} [error] 29#29: *{rng.randint(10000, 99999)} FastCGI sent in stderr: '
                               f'"PHP message: PHP Deprecated:  App\\Services\\Pdf\\InvoiceRenderer::render(): Optional parameter $options '
                               f'declared before required parameter $invoice is implicitly treated as a required parameter in '
                               f'/var/www/html/app/Services/Pdf/InvoiceRenderer.php on line 41" while reading response header from upstream, '
                               f'client: {ip}, server: _, request: "GET {path} HTTP/1.1", upstream: "fastcgi://127.0.0.1:9000", host: "billing.acme-cloud.io"')
        if php is php_new:
            ts = lar_ts(t + 0.01)
            php.add(t + 0.01, f'[{ts}] production.ERROR: No application encryption key has been specified. {{"exception":"[object] '
                              f'(Illuminate\\\\Encryption\\\\MissingAppKeyException(code: 0): No application encryption key has been specified. '
                              f'at /var/www/html/vendor/laravel/framework/src/Illuminate/Encryption/EncryptionServiceProvider.php:83)')
            php.add(t + 0.0101, "[stacktrace]")
            for i, f in enumerate(APPKEY_FRAMES):
                php.add(t + 0.0102 + i * 0.00001, f"#{i} {f}")
            php.add(t + 0.0104, f"#{len(APPKEY_FRAMES)} {{main}}")
            php.add(t + 0.0105, '"} ')
            ngx.add(t + 0.02, f'{ip} - - [{ngx_ts(t)}] "GET {path} HTTP/1.1" 500 6615 "https://billing.acme-cloud.io/dashboard" '
                              f'"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"')
        else:
            d = rng.lognormvariate(4.8, 0.4) / 1000
            ngx.add(t + d, f'{ip} - - [{ngx_ts(t)}] "GET {path} HTTP/1.1" 200 {rng.randint(8000, 60000)} "https://billing.acme-cloud.io/dashboard" '
                           f'"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"')
    php_old.add(old_down + 1, f"[{fpm_ts(old_down + 1)}] NOTICE: Terminating ...")
    php_old.add(old_down + 1.2, f"[{fpm_ts(old_down + 1.2)}] NOTICE: exiting, bye-bye!")
    logs = [php_old, ngx_old, php_new, ngx_new]

    changes = [change(-12040, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "invoice-mailer",
                      "github-actions"),
               change(-8200, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "billing-mysql80-params",
                      "dba-lena"),
               change(t_reg, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "billing-portal", "terraform-cloud"),
               change(t_upd, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc, "terraform-cloud")]
    al = alarm("billing-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 10,
               "GreaterThanThreshold", t5, anchor, "Billing portal 5xx")
    resources = [
        {"type": "ecs", "id": svc, "properties": {"launch_type": "FARGATE", "desired_count": 1, "containers": ["nginx", "php-fpm"],
                                                   "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/billing-portal:2026.11.27-1",
                                                   "task_definition": "billing-portal:88",
                                                   "environment_keys": ["APP_ENV", "APP_URL", "DB_HOST", "DB_DATABASE", "LOG_CHANNEL",
                                                                        "SESSION_DRIVER", "QUEUE_CONNECTION"],
                                                   "secrets": ["DB_PASSWORD", "STRIPE_SECRET"], "log_groups": [g]}},
        {"type": "alb", "id": lb, "properties": {"name": "billing-alb", "health_check_path": "/up"}},
        {"type": "rds", "id": "billing-mysql", "properties": {"engine": "mysql", "engine_version": "8.0.39", "instance_class": "db.r6g.large",
                                                              "parameter_group": "billing-mysql80-params", "max_connections": 1200}},
        {"type": "lambda", "id": "invoice-mailer", "properties": {"runtime": "php-83 (bref)", "timeout": 60, "memory_size": 512}},
    ]
    doc = scenario_doc("h42-15-billing-portal-app-key-missing",
                       "Billing portal returns 500 on every page after an infrastructure apply; ALB 5xx alarm.",
                       region, resources, metrics, logs, [al], changes,
                       expect(al["name"], "config_change", [svc, "billing-portal"],
                              [("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb})]))
    meta = {"region": region, "alarm": al["name"], "category": "config_change", "resources": [svc, "billing-portal"],
            "where": "front (ALB)",
            "decoys": "PHP 8 'Optional parameter ... Deprecated' FastCGI stderr lines at a steady rate; scanner 404s; RDS "
                      "parameter-group change 2.3 h earlier; invoice-mailer deploy 3.3 h earlier",
            "story": "terraform-cloud registers billing-portal:88 and updates the service 38 minutes ago. The image tag is "
                     "unchanged (release 2026.11.27-1, sha 4be19f0 in the new task's entrypoint line and in both tasks' "
                     "heartbeats), but the task definition no longer carries APP_KEY (absent from environment and secrets). "
                     "Every session route on the new task fails; php-fpm passes the worker's stderr through line by line, so "
                     "each Laravel error arrives as ~18 separate events: the production.ERROR line with `MissingAppKeyException`"
                     " / 'No application encryption key has been specified', then `[stacktrace]`, the numbered frames and the "
                     "closing `\"}`. The /up health check (no session) stays 200. Configuration change with an error naming "
                     "the missing setting -> config_change on the ECS service."}
    return "h42-15-billing-portal-app-key-missing", doc, meta


# ------------------------------------------------------------------ h42-16
def _sqla_tb(order_id):
    return ("Traceback (most recent call last):\n"
            '  File "/usr/local/lib/python3.12/site-packages/sqlalchemy/engine/base.py", line 1967, in _exec_single_context\n'
            "    self.dialect.do_execute(\n"
            '  File "/usr/local/lib/python3.12/site-packages/sqlalchemy/engine/default.py", line 941, in do_execute\n'
            "    cursor.execute(statement, parameters)\n"
            "psycopg2.errors.QueryCanceled: canceling statement due to statement timeout\n\n"
            "The above exception was the direct cause of the following exception:\n\n"
            "Traceback (most recent call last):\n"
            '  File "/app/orders/api/views.py", line 88, in get_order\n'
            "    order = session.execute(select(Order).where(Order.id == order_id)).scalar_one()\n"
            "            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
            '  File "/usr/local/lib/python3.12/site-packages/sqlalchemy/orm/session.py", line 2362, in execute\n'
            "    return self._execute_internal(\n"
            '  File "/usr/local/lib/python3.12/site-packages/sqlalchemy/engine/base.py", line 2355, in _handle_dbapi_exception\n'
            "    raise sqlalchemy_exception.with_traceback(exc_info[2]) from e\n"
            "sqlalchemy.exc.OperationalError: (psycopg2.errors.QueryCanceled) canceling statement due to statement timeout\n\n"
            "[SQL: SELECT orders.id, orders.customer_id, orders.status, orders.total_cents, orders.created_at \n"
            "FROM orders \nWHERE orders.id = %(id_1)s]\n"
            f"[parameters: {{'id_1': {order_id}}}]\n"
            "(Background on this error at: https://sqlalche.me/e/20/e3q8)")


def h42_16():
    rng = Rng(4216)
    anchor = anchor_dt(2026, 12, 2, 8, 50)
    region = "eu-central-1"
    lb = "app/orders-alb/1e5b9d3f7a0c2864"
    db = "orders-pg"
    onset = -2200
    bad = lambda t: t >= onset  # noqa: E731
    rpm = lambda t: 1500 * wave(t, 10800, 0.12, 0.2)  # noqa: E731
    t5 = series(rng, lambda t: 0.3 + (rpm(t) * 0.21 if bad(t) else 0), integer=True)
    metrics = alb_metrics(lb, series(rng, rpm, integer=True), series(rng, lambda t: 0.045 + (3.9 if bad(t) else 0), noise=0.1, nd=4), t5,
                          series(rng, lambda t: 0.1 + (rpm(t) * 0.03 if bad(t) else 0), integer=True),
                          series(rng, lambda t: 14, integer=True), series(rng, lambda t: 4, noise=0, nd=0),
                          series(rng, lambda t: 0, noise=0, nd=0))
    metrics += rds_metrics(db, series(rng, lambda t: 31 * wave(t, 10800, 0.1, 0.2) if not bad(t) else 11, noise=0.08),
                           series(rng, lambda t: 112 if not bad(t) else ramp(t, onset, onset + 300, 112, 246), noise=0.03, nd=0),
                           series(rng, lambda t: 262 * GB - (t + 21600) * 4000, noise=0.0003, nd=0),
                           series(rng, lambda t: 0.0012 if not bad(t) else 0.62, noise=0.25, nd=5),
                           series(rng, lambda t: 0.0019 if not bad(t) else 0.81, noise=0.25, nd=5),
                           series(rng, lambda t: 9.8 * GB, noise=0.01, nd=0),
                           extra=[("DiskQueueDepth", "Count", series(rng, lambda t: 0.4 if not bad(t) else 47, noise=0.2, nd=2)),
                                  ("ReadIOPS", "Count/Second", series(rng, lambda t: 2400 * wave(t, 10800, 0.1, 0.2) if not bad(t) else 310, noise=0.1, nd=1)),
                                  ("WriteIOPS", "Count/Second", series(rng, lambda t: 900 if not bad(t) else 140, noise=0.1, nd=1))])
    metrics += ecs_metrics("orders", "orders-api", series(rng, lambda t: 38 * wave(t, 10800, 0.12, 0.2) * (0.5 if bad(t) else 1), noise=0.07),
                           series(rng, lambda t: 52 + (6 if bad(t) else 0), noise=0.02))
    metrics += ecs_metrics("orders", "orders-worker", series(rng, lambda t: 14 + (20 if -4160 <= t < -4040 else 0), noise=0.1),
                           series(rng, lambda t: 40 if t < -4100 else 36, noise=0.02))

    app = Stream("/ecs/orders-api", f"api/orders-api/{rng.hexs(32)}")
    pgl = Stream(f"/aws/rds/instance/{db}/postgresql", f"{db}.0")
    gts = lambda x: at(anchor, x).strftime("%Y-%m-%d %H:%M:%S +0000")  # noqa: E731

    def j(t, level, event, **kw):
        rec = {"event": event}
        rec.update(kw)
        rec.update({"level": level, "logger": "orders.api", "timestamp": iso_us(anchor, t)})
        return json.dumps(rec, separators=(",", ":"))

    for t in arrivals(rng, -7200, 0, lambda t: 0.45):
        oid = rng.randint(880000, 899999)
        path, meth = rng.choice([(f"/orders/{oid}", "GET"), ("/orders", "POST"), (f"/orders/{oid}/items", "GET"),
                                 (f"/customers/{rng.randint(1000, 99999)}/orders", "GET")])
        if bad(t) and rng.random() < 0.24:
            app.add(t + 5.0, j(t + 5.0, "error", "unhandled error", http={"method": meth, "path": path, "status": 500},
                               duration_ms=round(5000 + rng.uniform(1, 40), 1), exception=_sqla_tb(oid)))
            continue
        d = rng.lognormvariate(2.8, 0.4) + (rng.uniform(600, 4700) if bad(t) else 0)
        app.add(t + d / 1000, j(t + d / 1000, "info", "request finished", http={"method": meth, "path": path,
                                                                                "status": 201 if meth == "POST" else 200},
                                duration_ms=round(d, 1), db={"queries": rng.randint(1, 6)}))
    for t in arrivals(rng, -7200, 0, lambda t: 1 / 70):
        app.add(t, j(t, "warning", "slow external call", http_client={"host": "tax-api.partner.example", "method": "POST",
                                                                       "ms": rng.randint(1100, 1900), "budget_ms": 1000}))
    for t in arrivals(rng, onset + 30, 0, lambda t: 1 / 40):
        pid, npid = rng.randint(20, 400), rng.randint(400, 900)
        app.add(t, f"[{gts(t)}] [1] [CRITICAL] WORKER TIMEOUT (pid:{pid})")
        app.add(t + 0.3, f"[{gts(t + 0.3)}] [{pid}] [INFO] Worker exiting (pid: {pid})")
        app.add(t + 0.9, f"[{gts(t + 0.9)}] [{npid}] [INFO] Booting worker with pid: {npid}")
        app.add(t + 1.6, "/app/orders/models.py:12: MovedIn20Warning: The ``declarative_base()`` function is now available as "
                         "sqlalchemy.orm.declarative_base(). (deprecated since: 2.0) (Background on SQLAlchemy 2.0 at: https://sqlalche.me/e/b8d9)")
    for t in arrivals(rng, -7200, onset, lambda t: 1 / 600):
        npid = rng.randint(20, 400)
        app.add(t, f"[{gts(t)}] [{npid}] [INFO] Booting worker with pid: {npid}")
        app.add(t + 1.6, "/app/orders/models.py:12: MovedIn20Warning: The ``declarative_base()`` function is now available as "
                         "sqlalchemy.orm.declarative_base(). (deprecated since: 2.0) (Background on SQLAlchemy 2.0 at: https://sqlalche.me/e/b8d9)")
    sd = lambda x: at(anchor, x).strftime("%Y-%m-%d %H:%M:%S UTC")  # noqa: E731
    for t in range(-7200, 0, 300):
        tt = t + rng.uniform(0, 20)
        slow = bad(tt)
        w, s = (rng.uniform(26, 29), rng.uniform(0.01, 0.09)) if not slow else (rng.uniform(120, 270), rng.uniform(30, 55))
        pgl.add(tt, f"{sd(tt)}::@:[412]:LOG:  checkpoint starting: time")
        pgl.add(tt + w + s, f"{sd(tt + w + s)}::@:[412]:LOG:  checkpoint complete: wrote {rng.randint(2000, 9000)} buffers "
                            f"({rng.uniform(1, 4):.1f}%); 0 WAL file(s) added, 0 removed, {rng.randint(2, 6)} recycled; write={w:.3f} s, "
                            f"sync={s:.3f} s, total={w + s + 0.01:.3f} s; sync files={rng.randint(40, 260)}, longest={s * 0.7:.3f} s, "
                            f"average={s / 50:.3f} s; distance={rng.randint(60000, 190000)} kB, estimate={rng.randint(80000, 190000)} kB")
    for t in arrivals(rng, onset, 0, lambda t: 0.5):
        who = f"10.0.{rng.choice([21, 22, 23])}.{rng.randint(5, 250)}({rng.randint(32768, 60999)}):orders_app@orders:[{rng.randint(20000, 65000)}]"
        if rng.random() < 0.45:
            pgl.add(t, f"{sd(t)}:{who}:ERROR:  canceling statement due to statement timeout")
            pgl.add(t + 0.001, f"{sd(t)}:{who}:STATEMENT:  SELECT orders.id, orders.customer_id, orders.status, orders.total_cents, "
                               f"orders.created_at FROM orders WHERE orders.id = {rng.randint(880000, 899999)}")
        else:
            pgl.add(t, f"{sd(t)}:{who}:LOG:  duration: {rng.uniform(1100, 4900):.3f} ms  execute <unnamed>: SELECT order_items.id, "
                       f"order_items.sku, order_items.qty FROM order_items WHERE order_items.order_id = $1")
    for t in arrivals(rng, onset + 60, 0, lambda t: 1 / 240):
        pgl.add(t, f"{sd(t)}::@:[418]:LOG:  using stale statistics instead of current ones because stats collector is not responding")
    logs = [app, pgl]

    changes = [change(-4180, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "orders-worker", "gitlab-ci"),
               change(-4160, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "orders/orders-worker", "gitlab-ci")]
    al = alarm("orders-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 20,
               "GreaterThanThreshold", t5, anchor, "Orders API 5xx")
    resources = [
        {"type": "rds", "id": db, "properties": {"engine": "postgres", "engine_version": "14.12", "instance_class": "db.r6g.xlarge",
                                                 "storage_type": "gp3", "allocated_storage_gb": 400, "max_connections": 800,
                                                 "statement_timeout_ms": 5000}},
        {"type": "ecs", "id": "orders/orders-api", "properties": {"runtime": "python3.12 gunicorn/flask/sqlalchemy 2.0", "desired_count": 4,
                                                                   "gunicorn_timeout_s": 30, "log_groups": ["/ecs/orders-api"]}},
        {"type": "ecs", "id": "orders/orders-worker", "properties": {"desired_count": 2}},
        {"type": "alb", "id": lb, "properties": {"name": "orders-alb"}},
    ]
    doc = scenario_doc("h42-16-orders-pg-io-stall",
                       "Orders API slow and failing; ALB target 5xx alarm.",
                       region, resources, metrics, logs, [al], changes,
                       expect(al["name"], "dependency_failure", [db],
                              [("AWS/RDS", "ReadLatency", {"DBInstanceIdentifier": db}),
                               ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb})]))
    meta = {"region": region, "alarm": al["name"], "category": "dependency_failure", "resources": [db],
            "where": "front (ALB)",
            "decoys": "orders-worker deploy 70 min earlier; steady 'slow external call' warnings to a tax partner; SQLAlchemy "
                      "MovedIn20Warning at every gunicorn worker boot (more boots after onset); connections rise but stay "
                      "at 246/800; storage plenty",
            "story": "orders-pg's storage stalls 37 minutes ago: ReadLatency/WriteLatency jump from ~1-2 ms to 0.6-0.8 s, "
                     "DiskQueueDepth to ~47 while IOPS and CPU fall. Postgres logs checkpoints whose sync phase takes 30-55 s, "
                     "`using stale statistics ... stats collector is not responding`, slow statements and `canceling statement "
                     "due to statement timeout`. The Python service's JSON lines carry chained tracebacks (QueryCanceled, 'The "
                     "above exception was the direct cause of the following exception', sqlalchemy OperationalError) and "
                     "gunicorn WORKER TIMEOUTs. The database is slow, not full or out of connections, and nothing changed on it "
                     "-> dependency_failure on orders-pg."}
    return "h42-16-orders-pg-io-stall", doc, meta
