"""h76-15 the content Postgres runs out of storage (WAL held by an abandoned replication slot)
and the article-save Lambda (Java) fails; h76-16 a listener-rule edit on the Korean edition's
ALB sends /api/* to an empty target group."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, counts_per_minute, diurnal, step
from benchmarks.holdout57_gen.runtimes import LambdaLogs, nginx, pg

from .kit import LOG_START, alb, alb_id, ec2, every, instance_id, lam, make, php_log, rds, scatter


def build15():
    sc = make(15, "content-pg-wal-full", "CMS cannot save or publish articles; errors alarm on "
              "the article-save function.", "us-east-1", "2026-10-13T16:45:00")
    T = -1800
    db, fn = "content-pg-03", "article-save"
    full = lambda t: step(t, T, 0.0, 1.0)
    free = lambda t: max(0.06, 41.0 - 41.0 * (t + 21600) / (21600 + T)) if t < T else 0.06
    rds(sc, db, "postgres", "db.r6g.xlarge", 1600, 400, lambda t: 27 * diurnal(sc, t, 15.0, 0.2),
        lambda t: 84 * diurnal(sc, t, 15.0, 0.2), free,
        write_lat=lambda t: 0.0024 + 0.004 * full(t), engine_version="15.8")
    rds(sc, "analytics-pg", "postgres", "db.r6g.2xlarge", 3200, 2000, lambda t: 41.0,
        lambda t: 22.0, lambda t: 1210.0)
    rate = lambda t: 14 * diurnal(sc, t, 15.0, 0.3)
    iv, ev = lam(sc, fn, "java21", 1024, 30, rate, lambda t: 0.02 + rate(t) * 0.93 * full(t),
                 lambda t: 420 - 150 * full(t), snap_start="PublishedVersions")
    sc.hexid(10)

    def body(ll, t, reqid, is_err, cold):
        art = sc.rng.randint(2 * 10 ** 6, 3 * 10 ** 6)
        lines = [(0.004, ll.fmt(t, reqid, "INFO", f"c.n.cms.SaveHandler - save article={art} "
                                f"rev={sc.rng.randint(2, 60)} user=ed{sc.rng.randint(100, 999)}"))]
        if is_err:
            rel = sc.rng.choice(["91822.3", "91826", "2619", "91822.4"])
            lines.append((0.11, ll.fmt(t, reqid, "ERROR", "c.n.cms.SaveHandler - save failed "
                                       f"article={art}\norg.postgresql.util.PSQLException: ERROR: "
                                       f"could not extend file \"base/16401/{rel}\": No space left "
                                       "on device\n  Hint: Check free disk space.\n\tat org.postgresql"
                                       ".core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutor"
                                       "Impl.java:2733)\n\tat c.n.cms.repo.ArticleRepo.insertRevision"
                                       "(ArticleRepo.java:142)")))
            return {"dur": sc.rng.uniform(120, 300), "status": "error",
                    "error_type": "org.postgresql.util.PSQLException", "lines": lines}
        if sc.rng.random() < 0.05:
            lines.append((0.05, ll.fmt(t, reqid, "WARN", "c.n.cms.SaveHandler - slug collision "
                                       f"for article={art}; appending suffix")))
        dur = sc.rng.gauss(420, 80)
        lines.append((dur / 1000 - 0.003, ll.fmt(t, reqid, "INFO", f"c.n.cms.SaveHandler - saved "
                                                 f"article={art} in {dur:.0f} ms")))
        return {"dur": dur, "lines": lines}

    ll = LambdaLogs(sc, fn, "java21", 1024, 30, mem_used=(260, 20))
    ll.run(counts_per_minute(iv, LOG_START, 0), counts_per_minute(ev, LOG_START, 0), body)
    group, stream = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    scatter(sc, lambda m: 0.25, lambda t: sc.log(group, stream, t, pg(
        sc, t, "LOG", f"checkpoints are occurring too frequently ({sc.rng.randint(18, 29)} seconds "
        "apart)", pid=412)))
    every(sc, 1800, lambda t: sc.log(group, stream, t, pg(
        sc, t, "LOG", "automatic vacuum of table \"cms.public.article_revisions\": index scans: 1",
        pid=sc.rng.randint(20000, 30000))))
    scatter(sc, lambda m: 3.0 * full(m), lambda t: sc.log(group, stream, t, pg(
        sc, t, "ERROR", f"could not extend file \"base/16401/91822.{sc.rng.randint(3, 4)}\": No space "
        "left on device", client=f"{sc.ip('10.8')}({sc.rng.randint(30000, 60000)})", user="cms_app",
        db="cms")))
    sc.alarm("article-save-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "Article save failures")
    sc.alarm("content-pg-03-low-storage", "AWS/RDS", "FreeStorageSpace",
             {"DBInstanceIdentifier": db}, "Minimum", 300, 1, 2e9, "LessThanThreshold")
    sc.change(-9000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              fn, "jenkins-cms")
    sc.change(-1890, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance",
              "analytics-pg", "db-admin")
    sc.expect = {"alarm": "article-save-errors",
                 "root_cause": {"category": "storage_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace",
                                "dimensions": {"DBInstanceIdentifier": db}}]}
    sc.meta = {"front": "front (calling Lambda)", "decoys": "ModifyDBInstance on analytics-pg "
               "90 s before onset; article-save deploy 2.5 h earlier; frequent-checkpoint "
               "warnings all along", "services": "Lambda, RDS Postgres", "runtime": "Java 21 Lambda",
               "logs": "Lambda Java text, Postgres log"}
    return sc


def build16():
    sc = make(16, "kr-www-api-rule", "Korean edition app and site showing 'service unavailable' "
              "on live scores and comments; ELB 5XX alarm.", "ap-northeast-2", "2026-12-15T11:20:00")
    C = -1300
    lb = alb_id(sc, "kr-www")
    webs = [(instance_id(sc), f"web-kr-{i}") for i in (1, 2, 3)]
    miss = lambda t: step(t, C + 4, 0.0, 1.0)
    api_share = 0.31
    req = lambda t: 3100 * diurnal(sc, t, 12.0, 0.3)
    alb(sc, lb, "kr-www", req, lambda t: 0.14 - 0.03 * miss(t),
        t5xx=lambda t: 0.7, e5xx=lambda t: req(t) * api_share * miss(t), hosts=3,
        t4xx=lambda t: 22.0)
    for iid, name in webs:
        ec2(sc, iid, name, "m7i.large", lambda t, name=name: 36 * diurnal(sc, t, 12.0, 0.3)
            * (1 - 0.27 * miss(t)) + (44 * bump(t, -9000, -8400, 1, 60) if name == "web-kr-2" else 0),
            mem=lambda t: 52.0, disk=lambda t: 44.0, net=lambda t: 1.1e7 * (1 - 0.3 * miss(t)),
            log_groups=["/kr/nginx/access", "/kr/php/error"])
    lam(sc, "kr-thumb", "python3.12", 1024, 30, lambda t: 8.0, lambda t: 0.03, lambda t: 900.0)
    pages = ["/", "/news/politics", "/news/economy", "/sports/kbo", "/entertainment",
             "/article/{n}"]
    apis = ["/api/v2/scores/kbo/live", "/api/v2/comments/{n}", "/api/v2/reactions/{n}",
            "/api/v2/headlines?cat=all"]
    for iid, _ in webs:
        def access(t, iid=iid):
            is_api = sc.rng.random() < api_share
            if is_api and miss(t):
                return  # the ALB answers these itself now; they never reach a target
            p = (sc.rng.choice(apis) if is_api else sc.rng.choice(pages)).format(
                n=sc.rng.randint(10 ** 6, 10 ** 7))
            sc.log("/kr/nginx/access", iid, t, nginx(
                sc, t, sc.ip("10.30"), "GET", p, sc.rng.choice([200] * 20 + [304, 404]),
                sc.rng.randint(800, 70000), sc.rng.lognormvariate(-2.2, 0.5),
                ua=sc.rng.choice(["Mozilla/5.0 (Linux; Android 15; SM-S928N) AppleWebKit/537.36 "
                                  "Chrome/134.0 Mobile Safari/537.36", "KRNewsApp/8.4.1 (iOS 18.2)",
                                  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/134.0"])))
        scatter(sc, lambda m: 4.5, access)
        every(sc, 30, lambda t, iid=iid: sc.log("/kr/nginx/access", iid, t, nginx(
            sc, t, "10.30.0." + str(sc.rng.randint(10, 60)), "GET", "/healthz", 200, 2,
            0.001, ua="ELB-HealthChecker/2.0")))
        scatter(sc, lambda m: 0.8, lambda t, iid=iid: sc.log("/kr/php/error", iid, t, php_log(
            sc, t, "Warning", "Undefined variable $adSlot in /srv/kr-www/templates/partials/"
            "rail.php on line 27")))
        scatter(sc, lambda m: 0.1, lambda t, iid=iid: sc.log("/kr/php/error", iid, t, php_log(
            sc, t, "Fatal error", "Allowed memory size of 268435456 bytes exhausted (tried to "
            "allocate 20480 bytes) in /srv/kr-www/src/Export/SitemapExporter.php on line 93")))
    rule = (f"arn:aws:elasticloadbalancing:ap-northeast-2:{sc.account}:listener-rule/{lb}/"
            f"{sc.hexid(16)}/{sc.hexid(16)}")
    sc.alarm("kr-www-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 50, "GreaterThanThreshold", "kr-www load balancer 5xx")
    sc.alarm("kr-www-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 25, "GreaterThanThreshold")
    sc.change(-9100, "events.amazonaws.com", "PutRule", "AWS::Events::Rule", "kr-sitemap-nightly",
              "y.kim")
    sc.change(C - 130, "ssm.amazonaws.com", "SendCommand", "AWS::SSM::Document",
              "AWS-RunShellScript", "kr-deploy")
    sc.change(C, "elasticloadbalancing.amazonaws.com", "ModifyRule",
              "AWS::ElasticLoadBalancingV2::ListenerRule", rule, "j.choi")
    sc.change(C + 20, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "kr-thumb", "kr-deploy")
    sc.expect = {"alarm": "kr-www-elb-5xx",
                 "root_cause": {"category": "config_change", "resource": [lb, "kr-www"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_ELB_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = {"front": "origin (ALB)", "decoys": "SSM deploy to the web hosts 2 min before; "
               "kr-thumb deploy 20 s after; PHP memory-exhausted fatals (sitemap export) and "
               "warnings all along; web-kr-2 cron CPU spike 2 h earlier",
               "services": "ALB, EC2, Lambda", "runtime": "PHP on EC2",
               "logs": "nginx access, PHP error_log"}
    return sc


BUILDERS = [build15, build16]
