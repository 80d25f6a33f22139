"""h86-07 leaderboard reads fail when the Redis host is impaired; h86-08 clan portal slowed by a CPU-bound cron."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump
from benchmarks.holdout57_gen.runtimes import nginx

from .kit import (LambdaLogs, alb_metrics, apigw_metrics, ec2_metrics, every, lambda_metrics, load, new,
                  rds_metrics, rid, sample_logs, sprinkle)


def redis_line(sc, t, pid, msg):
    d = sc.at(t)
    return f"{pid}:M {d.strftime('%d %b %Y %H:%M:%S')}.{d.microsecond // 1000:03d} {msg}"


def s07():
    sc = new(7, "leaderboard-502s-apne1", "Leaderboard screens failing to load in Japan; API 5xx alarm.",
             "ap-northeast-1", "2026-03-15T12:15:00+00:00")
    rng, L = sc.rng, load(sc, peak_hour=12.0, amp=0.3)
    api, fn = "lb-read-api", "rank-lookup"
    kb, ka = rid(sc), rid(sc)
    sc.resource("apigateway", api, stage="prod", api_id="w8r2hx0c4n")
    sc.resource("lambda", fn, runtime="python3.12", timeout=10, memory_size=512, vpc=True)
    sc.resource("lambda", "season-banner", runtime="python3.12", timeout=10, memory_size=256)
    sc.resource("ec2", kb, name="kv-apne1-b", instance_type="r6i.xlarge", role="redis 7.2 shard b", private_ip="10.2.14.37")
    sc.resource("ec2", ka, name="kv-apne1-a", instance_type="r6i.xlarge", role="redis 7.2 shard a", private_ip="10.2.9.112")
    down = -1500
    dead = lambda t: t >= down
    ec2_metrics(sc, kb, lambda t: None if t >= down + 60 else 31 * L(t), lambda t: None if t >= down + 60 else 9.0e7 * L(t),
                status=lambda t: 1.0 if dead(t) else 0.0, sys_status=lambda t: 1.0 if dead(t) else 0.0)
    ec2_metrics(sc, ka, lambda t: 30 * L(t) + bump(t, -14700, -14300, 45, 60), lambda t: 9.2e7 * L(t),
                sys_status=lambda t: 0.0)
    share = 0.5
    inv, err = lambda_metrics(sc, fn, lambda t: 3000 * L(t), lambda t: 0.3 + (share * 3000 * L(t) if dead(t) else 0),
                              lambda t: 38 + (share * 2050 if dead(t) else 0))
    lambda_metrics(sc, "season-banner", lambda t: 400 * L(t), lambda t: 0.1, lambda t: 24.0 + (4 if t > -1620 else 0))
    apigw_metrics(sc, api, lambda t: 3000 * L(t), lambda t: 0.01 * 3000 * L(t),
                  lambda t: 0.3 + (share * 3000 * L(t) if dead(t) else 0), lambda t: 62 + (share * 2080 if dead(t) else 0),
                  integ=lambda t: 50 + (share * 2070 if dead(t) else 0))
    sc.alarm(f"{api}-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 30, "GreaterThanThreshold",
             "Leaderboard read API 5xx (apne1)")
    sc.alarm(f"{fn}-duration", "AWS/Lambda", "Duration", {"FunctionName": fn}, "Average", 60, 5, 500, "GreaterThanThreshold")
    sc.alarm("season-banner-errors", "AWS/Lambda", "Errors", {"FunctionName": "season-banner"}, "Sum", 60, 3, 5,
             "GreaterThanThreshold")
    sc.change(-1620, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "season-banner", "liveops-ci")
    sc.change(-1560, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup", "sg-0c71e4a9d2b83f510",
              "netops-bot")
    sc.change(-16200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "liveops-ci")
    ll = LambdaLogs(sc, fn, "python3.12", 512, 10, mem_used=(88, 6), retire=(-16200,))

    def body(ll, t, req, is_err, cold):
        board = rng.choice(["S11:global", "S11:jp", "S11:friends", "weekly:jp"])
        lines = []
        if is_err:
            if rng.random() < 0.6:
                exc, msg = "TimeoutError", "Timeout connecting to server"
            else:
                exc, msg = "ConnectionError", "Error 113 connecting to 10.2.14.37:6379. No route to host."
            lines.append((2.05, f"[ERROR] {exc}: {msg}\nTraceback (most recent call last):\n"
                                f"  File \"/var/task/app.py\", line 48, in handler\n    rows = board_top(r, board, limit)\n"
                                f"  File \"/var/task/ranks/store.py\", line 71, in board_top\n    return r.zrevrange(key, 0, limit - 1, withscores=True)\n"
                                f"  File \"/opt/python/redis/connection.py\", line 357, in connect\n    raise {exc}(self._error_message(e))\n"
                                f"redis.exceptions.{exc}: {msg}"))
            return {"dur": rng.gauss(2080, 60), "lines": lines}
        if rng.random() < 0.03:
            lines.append((0.01, ll.fmt(t, req, "WARNING", f"season key miss lb:{board}:top100 - rebuilding from snapshot")))
        lines.append((0.03, ll.fmt(t, req, "INFO", f"board={board} rows={rng.choice([50, 100])} player_rank={rng.randint(1, 900000)}")))
        return {"dur": rng.gauss(38, 8), "lines": lines}
    sample_logs(sc, ll, inv, err, -14400, 3.0, body)
    for iid, name, pid, end in ((kb, "kv-apne1-b", 1, down), (ka, "kv-apne1-a", 1, 0)):
        every(sc, "/ec2/redis", iid, -21590, end, 120, lambda t, pid=pid: redis_line(sc, t, pid, f"* {rng.randint(10000, 14000)} changes in 60 seconds. Saving..."))
        every(sc, "/ec2/redis", iid, -21589, end, 120, lambda t: redis_line(sc, t, rng.randint(20000, 30000), "* DB saved on disk"))
        every(sc, "/ec2/redis", iid, -21588, end, 120, lambda t, pid=pid: redis_line(sc, t, pid, "* Background saving terminated with success"))
    eg = "API-Gateway-Execution-Logs_w8r2hx0c4n/prod"
    sprinkle(sc, eg, sc.hexid(32), down, 0, 4, lambda t: f"({sc.uuid()}) Lambda execution failed with status 200 due to customer function error: "
             f"{rng.choice(['Timeout connecting to server.', 'Error 113 connecting to 10.2.14.37:6379. No route to host.'])} Lambda request id: {sc.uuid()}")
    sc.expect = {"alarm": f"{api}-5xx", "root_cause": {"category": "dependency_failure", "resource": [kb, "kv-apne1-b"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "StatusCheckFailed_System", "dimensions": {"InstanceId": kb}}]}
    sc.meta = dict(
        alarm_on="front (API Gateway)", runtime="Python 3.12 Lambda; Redis on EC2", logs="Lambda plain (Python), Redis server log, API Gateway execution logs",
        services=["apigateway", "lambda", "ec2"],
        decoys="season-banner deploy and a security-group ingress rule 1-2 min before onset; rank-lookup Duration alarm; shard a's earlier CPU spike; steady 'season key miss' warnings",
        story="At -25 min the Redis shard-b host fails its system status check (StatusCheckFailed_System = 1) and its "
              "CPU/Network series and Redis save log simply stop. Half of rank-lookup's reads (the keys on shard b) "
              "now fail after ~2 s with `redis.exceptions.TimeoutError: Timeout connecting to server` or `Error 113 "
              "connecting to 10.2.14.37:6379. No route to host`, so the API's 5xx and the function's Duration both "
              "jump. The security-group change only adds an ingress rule to another group, the season-banner deploy "
              "leaves that function healthy, and shard a answers normally.")
    return sc


def s08():
    sc = new(8, "clan-portal-slow", "Clan portal pages timing out during clan-war results; ALB latency alarm.",
             "us-west-2", "2026-03-13T04:10:00+00:00")
    rng, L = sc.rng, load(sc, peak_hour=4.0, amp=0.3)
    lb, w1, w2 = "app/clan-portal/5e7a0c3f92d14b88", rid(sc), rid(sc)
    sc.resource("alb", lb, name="clan-portal")
    sc.resource("ec2", w1, name="web-clan-1", instance_type="c6i.large", stack="nginx + php-fpm 8.2")
    sc.resource("ec2", w2, name="web-clan-2", instance_type="c6i.large", stack="nginx + php-fpm 8.2")
    sc.resource("rds", "clan-db", engine="mysql", instance_class="db.r6g.large", max_connections=1000, allocated_storage_gb=200)
    job = -2400
    hot = lambda t: t >= job + 60
    ec2_metrics(sc, w1, lambda t: 26 * L(t), lambda t: 3.1e7 * L(t), mem=lambda t: 48.0, disk=lambda t: 41.0)
    ec2_metrics(sc, w2, lambda t: 99.2 if hot(t) else 27 * L(t), lambda t: 3.0e7 * L(t) * (0.7 if hot(t) else 1),
                mem=lambda t: 51.0 + (9 if hot(t) else 0), disk=lambda t: 43.0)
    req = lambda t: 1400 * L(t)
    alb_metrics(sc, lb, req, lambda t: 0.3 + (6 if hot(t) else 0), lambda t: 0.2 + (0.03 * req(t) if t >= job + 240 else 0),
                lambda t: 0.11 + (2.4 * min(1.0, (t - job - 60) / 300) if hot(t) else 0), lambda t: 2)
    rds_metrics(sc, "clan-db", lambda t: 14 * L(t) + bump(t, -11100, -10500, 40, 120) + (6 if hot(t) else 0),
                lambda t: 60 * L(t), lambda t: 120 - (t + 21600) / 21600 * 0.2, lambda t: 9.0)
    sc.alarm("clan-portal-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 3, 1.0,
             "GreaterThanThreshold", "Clan portal response time")
    sc.alarm("clan-db-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "clan-db"}, "Average", 300, 1, 50,
             "GreaterThanThreshold")
    sc.change(job + 50, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup", "sg-07d5a1b2c3e4f9061",
              "netops-bot")
    sc.change(-13800, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", w1, "a.novak")
    pages = ["/clans/{}", "/clans/{}/members", "/wars/current", "/clans/{}/wars", "/"]
    for iid in (w1, w2):
        def acc(t, iid=iid):
            slow = iid == w2 and hot(t)
            rt = rng.uniform(2.5, 9.5) if slow else rng.lognormvariate(-2.3, 0.5)
            st = 504 if slow and rt > 8.5 else 200
            path = rng.choice(pages).format(rng.randint(1000, 99999))
            return nginx(sc, t, f"10.30.{rng.randint(0, 3)}.{rng.randint(2, 250)}", "GET", path, st, rng.randint(3000, 42000), rt,
                         ua="Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/122.0")
        sprinkle(sc, "/clan/nginx/access", iid, -14400, 0, lambda t: 3.0 * L(t), acc)
        sprinkle(sc, "/clan/php-fpm", iid, -14400, 0, 0.6, lambda t: f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')}] WARNING: [pool www] child {rng.randint(1000, 30000)} said into stderr: "
                 f"\"NOTICE: PHP message: PHP Warning:  Undefined array key \"emblem\" in /var/www/clan/app/Http/Controllers/ClanController.php on line 212\"")
    sprinkle(sc, "/clan/php-fpm", w2, job + 120, 0, 2.5, lambda t: rng.choice([
        f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')}] WARNING: [pool www] server reached pm.max_children setting (24), consider raising it",
        f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')}] WARNING: [pool www] child {rng.randint(1000, 30000)}, script '/var/www/clan/public/index.php' "
        f"(request: \"GET /index.php\") executing too slow ({rng.uniform(5, 9.8):.6f} sec), logging"]))
    for iid, hn in ((w1, "ip-10-30-1-57"), (w2, "ip-10-30-2-41")):
        every(sc, "/clan/syslog", iid, -21600 + 30, 0, 300, lambda t, hn=hn: f"{sc.at(t).strftime('%b %d %H:%M:%S')} {hn} "
              f"CRON[{rng.randint(10000, 60000)}]: (www-data) CMD (cd /var/www/clan && php artisan schedule:run >> /dev/null 2>&1)")
    sc.log("/clan/syslog", w2, job, f"{sc.at(job).strftime('%b %d %H:%M:%S')} ip-10-30-2-41 CRON[48211]: (www-data) CMD (cd /var/www/clan "
           f"&& php artisan clans:recalc-war-scores --season=S11 >> /var/log/clan/cron.log 2>&1)")
    cron = "/clan/cron"
    sc.log(cron, w2, job + 2, f"[{sc.at(job + 2).strftime('%Y-%m-%d %H:%M:%S')}] production.INFO: Recalculating war scores for 48211 clans (season S11)")
    every(sc, cron, w2, job + 300, 0, 300, lambda t: f"[{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')}] production.INFO: war scores progress "
          f"{int((t - job) * 6.2)}/48211 clans, {rng.randint(150, 175)} ms/clan")
    sc.expect = {"alarm": "clan-portal-latency", "root_cause": {"category": "cpu_saturation", "resource": [w2, "web-clan-2"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": w2}}]}
    sc.meta = dict(
        alarm_on="front (ALB)", runtime="PHP-FPM 8.2 on EC2", logs="nginx access, php-fpm, syslog, Laravel",
        services=["alb", "ec2", "rds"],
        decoys="security-group ingress change 50 s after the job starts; clan-db CPU alarm from an earlier spike; steady PHP 'Undefined array key' warnings on both hosts",
        story="At -40 min cron on web-clan-2 starts `php artisan clans:recalc-war-scores` for the clan-war results; "
              "that host's CPU goes from ~30 % to a flat 99 % and stays there, php-fpm logs `server reached "
              "pm.max_children` and `executing too slow`, and its nginx lines show 2.5-9.5 s responses and 504s, "
              "while web-clan-1's latency, CPU and logs are unchanged. The ALB's average TargetResponseTime rises "
              "past 1 s. Request volume is normal, clan-db is quiet, and the security-group change adds an "
              "unrelated ingress rule.")
    return sc


BUILDERS = [s07, s08]
