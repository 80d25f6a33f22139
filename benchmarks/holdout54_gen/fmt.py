"""Log line formatters for the runtimes and servers used in the set, plus event spreading."""
import json

_J = dict(separators=(",", ":"))


def spread(S, t0, t1, rate_fn, make, step_s=60):
    """For each minute in [t0, t1) draw Poisson(rate_fn(t)) events; make(tt) -> message or list."""
    out = []
    t = t0
    while t < t1:
        n = S.poisson(rate_fn(t))
        for _ in range(n):
            tt = t + S.rng.uniform(0.0, step_s - 0.01)
            if tt >= t1:
                continue
            m = make(tt)
            if m is None:
                continue
            if isinstance(m, list):
                out.extend(m)
            else:
                out.append((tt, m))
        t += step_s
    return out


def every(t0, t1, period, make, jitter=None, S=None):
    out = []
    t = t0
    while t < t1:
        tt = t + (S.rng.uniform(0, jitter) if (jitter and S) else 0)
        m = make(tt)
        if m is not None:
            if isinstance(m, list):
                out.extend(m)
            else:
                out.append((tt, m))
        t += period
    return out


def ms(w):
    return "%03d" % (w.microsecond // 1000)


# ---------------------------------------------------------------- JVM / Spring
def spring(S, t, level, thread, logger, msg, app=None):
    w = S.wall(t)
    appp = "[%s] " % app if app else ""
    return "%s.%sZ %5s 1 --- %s[%15s] %-40s : %s" % (
        w.strftime("%Y-%m-%dT%H:%M:%S"), ms(w), level, appp, thread[-15:], logger[-40:], msg)


def logback_plain(S, t, level, thread, logger, msg):
    w = S.wall(t)
    return "%s.%s [%s] %-5s %s - %s" % (w.strftime("%H:%M:%S"), ms(w), thread, level, logger, msg)


# ---------------------------------------------------------------- Go / Node / .NET
def zap(S, t, level, caller, msg, **fields):
    d = {"level": level, "ts": round(S.epoch(t), 6), "caller": caller, "msg": msg}
    d.update(fields)
    return json.dumps(d, **_J)


def slog(S, t, level, msg, **fields):
    d = {"time": S.iso(t), "level": level, "msg": msg}
    d.update(fields)
    return json.dumps(d, **_J)


def pino(S, t, level, msg, host, **fields):
    d = {"level": level, "time": int(S.epoch(t) * 1000), "pid": 1, "hostname": host}
    d.update(fields)
    d["msg"] = msg
    return json.dumps(d, **_J)


def dotnet_json(S, t, level, category, msg, exc=None, event_id=0, **state):
    d = {"Timestamp": S.iso(t), "EventId": event_id, "LogLevel": level, "Category": category,
         "Message": msg}
    if exc:
        d["Exception"] = exc
    if state:
        d["State"] = dict(state, **{"{OriginalFormat}": msg})
    return json.dumps(d, **_J)


# ---------------------------------------------------------------- Ruby
def rails(S, t, level, msg, pid=12, reqid=None):
    r = "[%s] " % reqid if reqid else ""
    return "%s, [%s #%d] %5s -- : %s%s" % (level[0], S.iso_us(t), pid, level, r, msg)


def sidekiq(S, t, level, msg, pid=7, tid="ouy4l", cls=None, jid=None):
    extra = ""
    if cls:
        extra += " class=%s" % cls
    if jid:
        extra += " jid=%s" % jid
    return "%sZ pid=%d tid=%s%s %s: %s" % (S.iso_us(t)[:-3], pid, tid, extra, level, msg)


# ---------------------------------------------------------------- servers
def pg(S, t, level, msg, ip=None, user="", db="", pid=None):
    w = S.wall(t)
    pid = pid if pid is not None else S.rng.randint(1200, 32000)
    if ip:
        src = "%s(%d)" % (ip, S.rng.randint(32768, 60999))
    else:
        src = ""
    return "%s UTC:%s:%s@%s:[%d]:%s:  %s" % (w.strftime("%Y-%m-%d %H:%M:%S"), src, user, db, pid, level, msg)


def mysql(S, t, thread, prio, code, subsys, msg):
    return "%sZ %d [%s] [MY-%06d] [%s] %s" % (S.iso_us(t), thread, prio, code, subsys, msg)


def redis(S, t, sym, msg, pid=1, role="M"):
    w = S.wall(t)
    return "%d:%s %s.%s %s %s" % (pid, role, w.strftime("%d %b %Y %H:%M:%S"), ms(w), sym, msg)


def nginx(S, t, ip, method, path, status, size, ua, rt, tenant="-"):
    w = S.wall(t)
    return '%s - - [%s] "%s %s HTTP/1.1" %d %d "-" "%s" rt=%.3f uct=0.001 urt=%.3f tenant=%s' % (
        ip, w.strftime("%d/%b/%Y:%H:%M:%S +0000"), method, path, status, size, ua, rt, rt, tenant)


def apigw_access(S, t, method, path, status, latency_ms, tenant, ip, err=None, key_id=None,
                 integ_latency=None, resp_len=None):
    w = S.wall(t)
    d = {"requestId": S.uid(), "ip": ip, "requestTime": w.strftime("%d/%b/%Y:%H:%M:%S +0000"),
         "httpMethod": method, "resourcePath": path, "status": str(status), "protocol": "HTTP/1.1",
         "responseLength": str(resp_len if resp_len is not None else S.rng.randint(80, 2400)),
         "responseLatency": str(int(latency_ms)), "tenantId": tenant}
    if integ_latency is not None:
        d["integrationLatency"] = str(int(integ_latency))
    if key_id:
        d["apiKeyId"] = key_id
    d["errorMessage"] = err if err else "-"
    return json.dumps(d, **_J)


def ecs_task_stopped(S, t, cluster, service, family, rev, task, reason, exit_code, container,
                     account="482193047165"):
    arn = "arn:aws:ecs:%s:%s:task/%s/%s" % (S.region, account, cluster, task)
    d = {"version": "0", "id": S.uid(), "detail-type": "ECS Task State Change", "source": "aws.ecs",
         "account": account, "time": S.iso(t)[:-5] + "Z", "region": S.region, "resources": [arn],
         "detail": {"clusterArn": "arn:aws:ecs:%s:%s:cluster/%s" % (S.region, account, cluster),
                    "group": "service:%s" % service, "lastStatus": "STOPPED", "desiredStatus": "STOPPED",
                    "stopCode": "EssentialContainerExited", "stoppedReason": reason,
                    "taskDefinitionArn": "arn:aws:ecs:%s:%s:task-definition/%s:%d" % (S.region, account, family, rev),
                    "taskArn": arn,
                    "containers": [{"name": container, "lastStatus": "STOPPED", "exitCode": exit_code,
                                    "reason": reason}]}}
    return json.dumps(d, **_J)
