"""h42-03 (Rust Lambda, S3 AccessDenied after IAM edit) and h42-04 (Laravel on EC2, Elasticsearch host
down behind a local HAProxy)."""
from __future__ import annotations

from .common import (Rng, Stream, alarm, alb_metrics, anchor_dt, arrivals, at, change, ec2_metrics,
                     expect, iso_us, lambda_invoke, lambda_metrics, lambda_stream_name, rds_metrics,
                     scenario_doc, series, step, wave)

GB = 1024 ** 3


# ------------------------------------------------------------------ h42-03
def _span(rid, trace):
    return f'Lambda runtime invoke{{requestId="{rid}" xrayTraceId="{trace}"}}'


def h42_03():
    rng = Rng(4203)
    anchor = anchor_dt(2026, 11, 19, 16, 5)
    region = "us-west-2"
    fn, role = "media-thumbnailer", "media-thumbnailer-role"
    t_iam, t_deploy = -2050, -7620
    onset = t_iam + 25
    base = lambda t: 38 * wave(t, 10800, 0.18, 1.0)  # noqa: E731  new uploads / minute
    fail = lambda t: 1.0 if t >= onset else 0.0  # noqa: E731
    inv = series(rng, lambda t: base(t) * (1 + 1.6 * fail(t - 60)), integer=True)
    err = series(rng, lambda t: 0.02, integer=True)
    err = [type(e)([e[0], i[1] if e[0] >= onset - 25 else e[1]]) for e, i in zip(err, inv)]
    metrics = lambda_metrics(fn, inv, err, series(rng, lambda t: 0, noise=0, nd=0),
                             series(rng, lambda t: step(t, onset, 690, 540), noise=0.1, nd=2),
                             series(rng, lambda t: base(t) * (0.45 + 0.2 * fail(t)), integer=True))
    metrics += lambda_metrics("media-indexer", series(rng, lambda t: 38 * wave(t, 10800, 0.18, 1.0) * (1 - fail(t)) + 0.5, integer=True),
                              series(rng, lambda t: 0.03, integer=True), series(rng, lambda t: 0, noise=0, nd=0),
                              series(rng, lambda t: 95, noise=0.1, nd=2), series(rng, lambda t: 1, integer=True))

    logs = []
    g = f"/aws/lambda/{fn}"
    pre = [Stream(g, lambda_stream_name(anchor, rng)) for _ in range(2)]
    post = [Stream(g, lambda_stream_name(anchor, rng)) for _ in range(3)]
    seen = set()
    for t in arrivals(rng, -10200, 0, lambda t: base(t) / 60 * 0.22):
        st = rng.choice(pre if t < t_deploy else post)
        init = None
        if id(st) not in seen:
            seen.add(id(st))
            st.add(t - 0.09, "INIT_START Runtime Version: provided:al2023.v62\tRuntime Version ARN: arn:aws:lambda:"
                             "us-west-2::runtime:d2f1f7e0c6f1f5b9c3a8e4b7d9a6c2e1f0b3a5d7c9e1f3a5b7d9c1e3f5a7b9c1")
            ver = "1.8.4" if t < t_deploy else "1.9.0"
            st.add(t - 0.04, f"{iso_us(anchor, t - 0.04)}  INFO media_thumbnailer: starting version={ver} "
                             f"sdk=aws-sdk-s3/1.{'46' if ver == '1.8.4' else '49'}.0 variants=[256, 640, 1280]")
            init = rng.uniform(38, 61)
        rid, trace = rng.uuid(), f"Root=1-{rng.hexs(8)}-{rng.hexs(24)};Parent={rng.hexs(16)};Sampled=0;Lineage=1:{rng.hexs(8)}:0"
        sp = _span(rid, trace)
        user = rng.randint(1000, 99999)
        key = f"u/{user}/{rng.choice(['IMG_', 'PXL_', 'DSC'])}{rng.randint(1000, 9999)}.{rng.choice(['jpg', 'jpg', 'heic', 'png'])}"
        size = rng.randint(400_000, 6_500_000)
        body = [(0.001, f"{iso_us(anchor, t + 0.001)}  INFO {sp}: media_thumbnailer::handler: processing object "
                        f'bucket="acme-media-uploads-prod" key="{key}" size_bytes={size}')]
        if rng.random() < 0.07:
            body.append((0.05, f"{iso_us(anchor, t + 0.05)}  WARN {sp}: media_thumbnailer::exif: ignoring invalid EXIF "
                               f'orientation orientation=0 key="{key}"'))
        el = rng.uniform(180, 520)
        body.append((el / 1000, f"{iso_us(anchor, t + el / 1000)}  INFO {sp}: media_thumbnailer::resize: generated "
                                f"variants variants=[256, 640, 1280] elapsed_ms={el:.0f}"))
        if t >= onset:
            tk = f"t/256/{key}"
            msg = (f"{iso_us(anchor, t + el / 1000 + 0.03)} ERROR {sp}: media_thumbnailer::handler: failed to write "
                   f'thumbnail bucket="acme-media-thumbs-prod" key="{tk}" error=service error: unhandled error '
                   f'(AccessDenied): Error {{ code: "AccessDenied", message: "User: arn:aws:sts::210987654321:'
                   f"assumed-role/{role}/{fn} is not authorized to perform: s3:PutObject on resource: "
                   f'\\"arn:aws:s3:::acme-media-thumbs-prod/{tk}\\" because no identity-based policy allows the '
                   f's3:PutObject action", aws_request_id: "{rng.hexs(16).upper()}", s3_extended_request_id: '
                   f'"{rng.hexs(40)}=" }}')
            body.append((el / 1000 + 0.03, msg))
            body.append((el / 1000 + 0.031, f"{iso_us(anchor, t + el / 1000 + 0.031)} ERROR {sp}: lambda_runtime: "
                                            f"handler returned an error error=service error"))
            dur = el + rng.uniform(25, 45)
        else:
            body.append((el / 1000 + 0.12, f"{iso_us(anchor, t + el / 1000 + 0.12)}  INFO {sp}: media_thumbnailer::handler: "
                                           f'thumbnails written bucket="acme-media-thumbs-prod" count=3 total_bytes={rng.randint(40000, 310000)}'))
            dur = el + rng.uniform(110, 190)
        lambda_invoke(st, t, rid, dur, 1024, rng.randint(142, 231), body, init_ms=init)
    logs += pre + post

    changes = [change(t_deploy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
                      "deploy-bot"),
               change(-4400, "iam.amazonaws.com", "CreatePolicyVersion", "AWS::IAM::Policy", "media-indexer-search",
                      "terraform-ci"),
               change(t_iam, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", role, "terraform-ci")]
    al = alarm("media-thumbnailer-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5,
               "GreaterThanThreshold", err, anchor, "Thumbnail generation failures")
    resources = [
        {"type": "lambda", "id": fn, "properties": {"runtime": "provided.al2023", "architecture": "arm64", "timeout": 30,
                                                     "memory_size": 1024, "role": role, "trigger": "s3:ObjectCreated acme-media-uploads-prod"}},
        {"type": "lambda", "id": "media-indexer", "properties": {"runtime": "python3.12", "timeout": 30, "memory_size": 256,
                                                                  "trigger": "s3:ObjectCreated acme-media-thumbs-prod"}},
    ]
    doc = scenario_doc("h42-03-thumbnailer-s3-put-denied",
                       "Uploaded photos show no thumbnails; thumbnailer Lambda Errors alarm.",
                       region, resources, metrics, logs, [al], changes,
                       expect(al["name"], "permission_denied", [fn, role],
                              [("AWS/Lambda", "Errors", {"FunctionName": fn})]))
    meta = {"region": region, "alarm": al["name"], "category": "permission_denied", "resources": [fn, role],
            "where": "origin (Lambda)",
            "decoys": "same function deployed (1.9.0) 2 h earlier and healthy for 90 min; IAM policy version change "
                      "for media-indexer; steady EXIF WARN lines; Invocations rise (async retries), not traffic",
            "story": "terraform-ci rewrites the inline policy on media-thumbnailer-role (PutRolePolicy) 34 minutes ago. "
                     "From the next invocation every S3 PutObject to the thumbs bucket fails; the Rust/tracing log line "
                     "carries the SDK error `unhandled error (AccessDenied)` with '... is not authorized to perform: "
                     "s3:PutObject ... because no identity-based policy allows'. Invocations rise only because S3 async "
                     "retries re-deliver failed events, and media-indexer downstream goes quiet. The code deploy two hours "
                     "earlier ran clean for 90 minutes -> permission_denied on the function (its role)."}
    return "h42-03-thumbnailer-s3-put-denied", doc, meta


# ------------------------------------------------------------------ h42-04
LARAVEL_FRAMES = [
    "/var/www/catalog/vendor/elasticsearch/elasticsearch/src/Client.php(176): Elastic\\\\Elasticsearch\\\\Response\\\\Elasticsearch->setResponse(Object(GuzzleHttp\\\\Psr7\\\\Response), true)",
    "/var/www/catalog/vendor/elasticsearch/elasticsearch/src/Traits/ClientEndpointsTrait.php(1553): Elastic\\\\Elasticsearch\\\\Client->sendRequest(Object(GuzzleHttp\\\\Psr7\\\\Request))",
    "/var/www/catalog/app/Search/ProductSearch.php(58): Elastic\\\\Elasticsearch\\\\Client->search(Array)",
    "/var/www/catalog/app/Http/Controllers/{ctrl}.php(31): App\\\\Search\\\\ProductSearch->query(Object(App\\\\Search\\\\SearchQuery))",
    "/var/www/catalog/vendor/laravel/framework/src/Illuminate/Routing/Controller.php(54): App\\\\Http\\\\Controllers\\\\{ctrl}->{act}(Object(Illuminate\\\\Http\\\\Request))",
    "/var/www/catalog/vendor/laravel/framework/src/Illuminate/Routing/ControllerDispatcher.php(43): Illuminate\\\\Routing\\\\Controller->callAction('{act}', Array)",
    "/var/www/catalog/vendor/laravel/framework/src/Illuminate/Routing/Route.php(260): Illuminate\\\\Routing\\\\ControllerDispatcher->dispatch(Object(Illuminate\\\\Routing\\\\Route), Object(App\\\\Http\\\\Controllers\\\\{ctrl}), '{act}')",
    "/var/www/catalog/vendor/laravel/framework/src/Illuminate/Routing/Route.php(205): Illuminate\\\\Routing\\\\Route->runController()",
    "/var/www/catalog/vendor/laravel/framework/src/Illuminate/Routing/Router.php(806): Illuminate\\\\Routing\\\\Route->run()",
    "/var/www/catalog/vendor/laravel/framework/src/Illuminate/Pipeline/Pipeline.php(144): Illuminate\\\\Routing\\\\Router->Illuminate\\\\Routing\\\\{closure}(Object(Illuminate\\\\Http\\\\Request))",
    "/var/www/catalog/vendor/laravel/framework/src/Illuminate/Routing/Middleware/SubstituteBindings.php(50): Illuminate\\\\Pipeline\\\\Pipeline->Illuminate\\\\Pipeline\\\\{closure}(Object(Illuminate\\\\Http\\\\Request))",
    "/var/www/catalog/vendor/laravel/framework/src/Illuminate/Foundation/Http/Kernel.php(175): Illuminate\\\\Pipeline\\\\Pipeline->then(Object(Closure))",
    "/var/www/catalog/vendor/laravel/framework/src/Illuminate/Foundation/Http/Kernel.php(144): Illuminate\\\\Foundation\\\\Http\\\\Kernel->sendRequestThroughRouter(Object(Illuminate\\\\Http\\\\Request))",
    "/var/www/catalog/public/index.php(51): Illuminate\\\\Foundation\\\\Http\\\\Kernel->handle(Object(Illuminate\\\\Http\\\\Request))",
]
HAPROXY_503 = "<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n"


def _laravel_es_error(ts, url, ctrl, act):
    frames = [f.replace("{ctrl}", ctrl).replace("{act}", act) for f in LARAVEL_FRAMES]
    st = "\n".join(f"#{i} {f}" for i, f in enumerate(frames)) + f"\n#{len(frames)} {{main}}"
    return (f"[{ts}] production.ERROR: 503 Service Unavailable: {HAPROXY_503} "
            f'{{"url":"{url}","exception":"[object] (Elastic\\\\Elasticsearch\\\\Exception\\\\ServerResponseException(code: 503): '
            f"503 Service Unavailable: {HAPROXY_503} at /var/www/catalog/vendor/elasticsearch/elasticsearch/src/Response/"
            f'Elasticsearch.php:65)\n[stacktrace]\n{st}\n"}} ')


def h42_04():
    rng = Rng(4204)
    anchor = anchor_dt(2026, 11, 20, 14, 10)
    region = "us-east-1"
    lb = "app/catalog-alb/3c9e5b1d7a2f4e68"
    web1, web2, es = "i-0b7e3c19a2d4f5e61", "i-0d2f8a6b1c3e5a790", "i-0e5c4b3a29187d6f2"
    t_fail = -2760
    down = lambda t: t >= t_fail  # noqa: E731
    rpm = lambda t: 880 * wave(t, 10800, 0.14, 2.0)  # noqa: E731
    es_share = 0.31
    t5 = series(rng, lambda t: 0.3 + (rpm(t) * es_share if down(t) else 0), integer=True)
    metrics = alb_metrics(lb, series(rng, rpm, integer=True),
                          series(rng, lambda t: step(t, t_fail, 0.118, 0.081), noise=0.08, nd=4), t5,
                          series(rng, lambda t: 0.1, integer=True),
                          series(rng, lambda t: 22, integer=True),
                          series(rng, lambda t: 2, noise=0, nd=0), series(rng, lambda t: 0, noise=0, nd=0))
    for iid, disk in ((web1, 46), (web2, 83.4)):
        metrics += ec2_metrics(iid, series(rng, lambda t: 34 * wave(t, 10800, 0.12), noise=0.08),
                               series(rng, lambda t: 2.1e7 * wave(t, 10800, 0.14), noise=0.1, nd=0),
                               series(rng, lambda t: 0, noise=0, nd=0),
                               series(rng, lambda t: 63, noise=0.02),
                               series(rng, lambda t, d=disk: d + (t + 21600) / 21600 * 0.3, noise=0.001))
    metrics += ec2_metrics(es, series(rng, lambda t: 27 * wave(t, 10800, 0.12), noise=0.1, missing=down),
                           series(rng, lambda t: 1.4e7, noise=0.1, nd=0, missing=down),
                           series(rng, lambda t: 1 if down(t) else 0, noise=0, nd=0),
                           series(rng, lambda t: 71, noise=0.01, missing=down),
                           series(rng, lambda t: 58, noise=0.002, missing=down),
                           extra=[("AWS/EC2", "StatusCheckFailed_System", "Count",
                                   series(rng, lambda t: 1 if down(t) else 0, noise=0, nd=0)),
                                  ("AWS/EC2", "StatusCheckFailed_Instance", "Count",
                                   series(rng, lambda t: 0, noise=0, nd=0))])
    metrics += rds_metrics("catalog-mysql", series(rng, lambda t: 18 * wave(t, 10800, 0.12), noise=0.08),
                           series(rng, lambda t: 46, integer=True),
                           series(rng, lambda t: 212 * GB, noise=0.0003, nd=0),
                           series(rng, lambda t: 0.0009, noise=0.15, nd=5), series(rng, lambda t: 0.0014, noise=0.15, nd=5),
                           series(rng, lambda t: 5.2 * GB, noise=0.01, nd=0))

    acc = Stream("/catalog/nginx/access", web1)
    lar = Stream("/catalog/laravel", web1)
    hap = Stream("/catalog/haproxy", web1)
    fpm = Stream("/catalog/php-fpm", web1)
    esl = Stream("/catalog/elasticsearch", es)
    uas = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
           "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
           "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15"]
    hpid = 1187
    for t in arrivals(rng, -7200, 0, lambda t: 0.42):
        d = at(anchor, t)
        nts = d.strftime("%d/%b/%Y:%H:%M:%S +0000")
        ip = rng.pub_ip()
        r = rng.random()
        if r < 0.012:
            p = rng.choice(["/.env", "/wp-login.php", "/.git/config", "/phpinfo.php", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", "/admin/.env"])
            acc.add(t, f'{rng.choice(["45.148.10.91", "194.26.29.18"])} - - [{nts}] "GET {p} HTTP/1.1" 404 5612 "-" '
                       f'"Mozilla/5.0 (compatible; zgrab/0.x)" rt=0.021 uct="0.000" urt="0.021"')
            continue
        uses_es = r < 0.012 + es_share
        if uses_es:
            if rng.random() < 0.6:
                q = rng.choice(["lamp", "oak+table", "rug", "sofa+bed", "mirror", "desk+chair"])
                path, ctrl, act = f"/search?q={q}", "SearchController", "index"
            else:
                c = rng.choice(["lighting", "living-room", "outdoor", "kitchen", "bedroom"])
                path, ctrl, act = f"/c/{c}", "CategoryController", "show"
        else:
            path = rng.choice(["/", "/p/oak-side-table-1281", "/p/linen-lamp-shade-0412", "/cart", "/p/wool-rug-200x300-0913",
                               "/api/cart/items", "/account/orders"])
        ms = rng.lognormvariate(4.3, 0.4) / 1000
        status, size = 200, rng.randint(9000, 42000)
        if uses_es:
            es_ms = rng.uniform(0.008, 0.03)
            ets = at(anchor, t + 0.01)
            hts = ets.strftime("%d/%b/%Y:%H:%M:%S.") + f"{ets.microsecond // 1000:03d}"
            sysl = ets.strftime("%b %d %H:%M:%S")
            if t_fail <= t < t_fail + 8:
                status, size, ms = 500, 6890, 1.02
            elif down(t):
                hap.add(t + 0.01, f"{sysl} catalog-web-1 haproxy[{hpid}]: 127.0.0.1:{rng.randint(40000, 60999)} [{hts}] "
                                  f'es_local es_cluster/<NOSRV> 0/-1/-1/-1/0 503 217 - - SC-- {rng.randint(1, 4)}/{rng.randint(1, 4)}/0/0/0 0/0 '
                                  f'"POST /catalog-products-v7/_search HTTP/1.1"')
                status, size, ms = 500, 6890, rng.uniform(0.02, 0.05)
                url = f"https://www.acme-home.com{path}"
                lar.add(t + 0.015, _laravel_es_error(at(anchor, t + 0.015).strftime("%Y-%m-%d %H:%M:%S"), url, ctrl, act))
            else:
                hap.add(t + 0.01, f"{sysl} catalog-web-1 haproxy[{hpid}]: 127.0.0.1:{rng.randint(40000, 60999)} [{hts}] "
                                  f"es_local es_cluster/es1 0/0/1/{es_ms * 1000:.0f}/{es_ms * 1000 + 1:.0f} 200 {rng.randint(2000, 30000)} "
                                  f'- - ---- {rng.randint(1, 5)}/{rng.randint(1, 5)}/0/0/0 0/0 "POST /catalog-products-v7/_search HTTP/1.1"')
        if rng.random() < 0.035:
            lar.add(t + 0.005, f"[{at(anchor, t + 0.005).strftime('%Y-%m-%d %H:%M:%S')}] production.WARNING: strlen(): Passing null "
                               f"to parameter #1 ($string) of type string is deprecated in /var/www/catalog/app/Support/Slug.php on line 22")
        acc.add(t + ms, f'{ip} - - [{nts}] "GET {path} HTTP/1.1" {status} {size} "https://www.acme-home.com/" '
                        f'"{rng.choice(uas)}" rt={ms:.3f} uct="0.000" urt="{ms:.3f}"')
    sysl = lambda t: at(anchor, t).strftime("%b %d %H:%M:%S")  # noqa: E731
    hap.add(t_fail + 7.1, f"{sysl(t_fail + 7.1)} catalog-web-1 haproxy[{hpid}]: Server es_cluster/es1 is DOWN, reason: Layer4 "
                          f"timeout, check duration: 2001ms. 0 active and 0 backup servers left. 3 sessions active, 0 requeued, "
                          f"0 remaining in queue.")
    hap.add(t_fail + 7.2, f"{sysl(t_fail + 7.2)} catalog-web-1 haproxy[{hpid}]: backend es_cluster has no server available!")
    for k in range(3):
        tt = t_fail + 1.5 + k * 1.7
        lar.add(tt, f"[{at(anchor, tt).strftime('%Y-%m-%d %H:%M:%S')}] production.ERROR: cURL error 28: Operation timed out after "
                    f"1001 milliseconds with 0 bytes received (see https://curl.haxx.se/libcurl/c/libcurl-errors.html) for "
                    f'http://127.0.0.1:9201/catalog-products-v7/_search {{"exception":"[object] (Elastic\\\\Transport\\\\Exception\\\\'
                    f"NoNodeAvailableException(code: 0): No alive nodes. All the 1 nodes seem to be down. at /var/www/catalog/"
                    f'vendor/elastic/transport/src/Transport.php:328)\n[stacktrace]\n#0 /var/www/catalog/app/Search/ProductSearch.php(58): '
                    f'Elastic\\\\Transport\\\\Transport->sendRequest(Object(GuzzleHttp\\\\Psr7\\\\Request))\n#1 {{main}}\n"}} ')
    for t in range(-7200, 0, 1140):
        tt = t + rng.uniform(0, 600)
        fpm.add(tt, f"[{at(anchor, tt).strftime('%d-%b-%Y %H:%M:%S')}] WARNING: [pool www] server reached pm.max_children "
                    f"setting (24), consider raising it")
    for t in range(-7200, t_fail, 300):
        tt = t + rng.uniform(0, 120)
        esl.add(tt, f"[{at(anchor, tt).strftime('%Y-%m-%dT%H:%M:%S,%f')[:-3]}][INFO ][o.e.c.m.MetadataUpdateSettingsService] "
                    f"[search-es-1] updating number_of_replicas to [0] for indices [catalog-products-v7]"
                    if rng.random() < 0.05 else
                    f"[{at(anchor, tt).strftime('%Y-%m-%dT%H:%M:%S,%f')[:-3]}][INFO ][o.e.m.j.JvmGcMonitorService] "
                    f"[search-es-1] [gc][{412000 + int(t + 7200) // 60}] overhead, spent [{rng.randint(60, 140)}ms] collecting in the last [1s]")
    logs = [acc, lar, hap, fpm, esl]

    changes = [change(-9300, "ec2.amazonaws.com", "ModifyInstanceAttribute", "AWS::EC2::Instance", web2, "ops-admin"),
               change(-5100, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "catalog-mysql", "ops-admin")]
    al = alarm("catalog-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
               "Sum", 60, 3, 20, "GreaterThanThreshold", t5, anchor, "Catalog site 5xx from PHP targets")
    disk2 = [m for m in metrics if m["name"] == "disk_used_percent" and m["dimensions"]["InstanceId"] == web2][0]
    decoy = alarm("catalog-web-2-disk-used", "CWAgent", "disk_used_percent",
                  {"InstanceId": web2, "path": "/", "fstype": "xfs"}, "Average", 300, 1, 80,
                  "GreaterThanThreshold", disk2["points"], anchor, "Root volume above 80% on catalog-web-2")
    decoy["state_changed"] = -196400
    resources = [
        {"type": "ec2", "id": web1, "properties": {"name": "catalog-web-1", "instance_type": "c6i.xlarge", "role": "nginx + php-fpm 8.3 (Laravel 11) + local haproxy",
                                                   "log_groups": ["/catalog/nginx/access", "/catalog/laravel", "/catalog/haproxy", "/catalog/php-fpm"]}},
        {"type": "ec2", "id": web2, "properties": {"name": "catalog-web-2", "instance_type": "c6i.xlarge", "role": "nginx + php-fpm 8.3 (Laravel 11) + local haproxy"}},
        {"type": "ec2", "id": es, "properties": {"name": "search-es-1", "instance_type": "r6i.large", "role": "elasticsearch 8.13 (single node)",
                                                 "log_groups": ["/catalog/elasticsearch"]}},
        {"type": "alb", "id": lb, "properties": {"name": "catalog-alb"}},
        {"type": "rds", "id": "catalog-mysql", "properties": {"engine": "mysql", "engine_version": "8.0.39", "instance_class": "db.r6g.large",
                                                              "max_connections": 1000, "allocated_storage_gb": 300}},
    ]
    doc = scenario_doc("h42-04-catalog-search-host-down",
                       "Search and category pages on the catalogue site return errors; ALB target 5xx alarm.",
                       region, resources, metrics, logs, [al, decoy], changes,
                       expect(al["name"], "dependency_failure", [es, "search-es-1"],
                              [("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}),
                               ("AWS/EC2", "StatusCheckFailed", {"InstanceId": es})]))
    meta = {"region": region, "alarm": al["name"], "category": "dependency_failure", "resources": [es, "search-es-1"],
            "where": "front (ALB)",
            "decoys": "pre-existing ALARM on catalog-web-2 disk (83%, 2 days); php-fpm pm.max_children warnings at the same "
                      "rate all along; scanner 404s; PHP 8 deprecation WARNINGs; RDS ModifyDBInstance 85 min earlier",
            "story": "The single Elasticsearch node search-es-1 loses its underlying host 46 minutes ago: StatusCheckFailed_System "
                     "goes to 1, its CPU/network metrics and its own log stream stop. The PHP hosts reach it through a local "
                     "HAProxy, whose log shows `Server es_cluster/es1 is DOWN, reason: Layer4 timeout` then `<NOSRV> ... 503 "
                     "SC--` lines; Laravel's multi-line production.ERROR entries carry HAProxy's 503 page inside "
                     "ServerResponseException. Only ES-backed routes (search, category) fail; product pages on MySQL keep "
                     "working. The dependency is down, not exhausted -> dependency_failure on search-es-1."}
    return "h42-04-catalog-search-host-down", doc, meta
