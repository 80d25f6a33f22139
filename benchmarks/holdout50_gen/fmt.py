"""Real-world log line formats (timestamps rendered from the scenario clock)."""

UA = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
      "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
      "okhttp/4.12.0", "ELB-HealthChecker/2.0"]


def ms(s, t):
    return s.at(t).strftime("%Y-%m-%d %H:%M:%S.") + "%03d" % (s.at(t).microsecond // 1000)


def iso(s, t):
    return s.at(t).strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (s.at(t).microsecond // 1000)


def clf(s, t):
    return s.at(t).strftime("[%d/%b/%Y:%H:%M:%S +0000]")


# ---- Java ----------------------------------------------------------------
def spring(s, t, level, pid, thread, logger, msg):
    """Spring Boot 2.x default console pattern (Logback)."""
    return "%s %5s %d --- [%15s] %-40s : %s" % (ms(s, t), level, pid, thread[-15:], logger[:40], msg)


def catalina(s, t, level, thread, src, msg):
    d = s.at(t)
    return "%s.%03d %s [%s] %s %s" % (d.strftime("%d-%b-%Y %H:%M:%S"), d.microsecond // 1000, level, thread, src, msg)


def tomcat_access(s, t, client, method, path, status, size, dur_ms):
    return '%s - - %s "%s %s HTTP/1.1" %d %s %d' % (client, clf(s, t), method, path, status,
                                                   size if size else "-", dur_ms)


def jstack(exc, frames, caused=None):
    out = exc + "".join("\n\tat " + f for f in frames)
    if caused:
        out += "\nCaused by: " + caused[0] + "".join("\n\tat " + f for f in caused[1]) + "\n\t... %d more" % (len(frames) + 3)
    return out


# ---- nginx / php ------------------------------------------------------------
def nginx_access(s, t, client, method, path, status, size, rt, ua, upstream_rt=None, ref="-"):
    urt = "-" if upstream_rt is None else "%.3f" % upstream_rt
    return '%s - - %s "%s %s HTTP/1.1" %d %d "%s" "%s" rt=%.3f uct="0.000" urt="%s"' % (
        client, clf(s, t), method, path, status, size, ref, ua, rt, urt)


def nginx_error(s, t, level, pid, conn, msg, client, server, req, upstream=None, host=None):
    out = "%s [%s] %d#%d: *%d %s, client: %s, server: %s, request: \"%s\"" % (
        s.at(t).strftime("%Y/%m/%d %H:%M:%S"), level, pid, pid, conn, msg, client, server, req)
    if upstream:
        out += ', upstream: "%s"' % upstream
    if host:
        out += ', host: "%s"' % host
    return out


def fpm(s, t, level, msg):
    return "[%s] %s: %s" % (s.at(t).strftime("%d-%b-%Y %H:%M:%S"), level, msg)


def php_err(s, t, msg):
    return "[%s UTC] %s" % (s.at(t).strftime("%d-%b-%Y %H:%M:%S"), msg)


def monolog(s, t, channel, level, msg, ctx="{}"):
    return "[%s] %s.%s: %s %s []" % (s.at(t).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00"), channel, level, msg, ctx)


# ---- Windows / IIS / .NET ---------------------------------------------------------
IIS_HEADER = "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken"


def iis(s, t, sip, method, stem, query, client, ua, status, sub, win32, taken_ms, port=443):
    return "%s %s %s %s %s %d - %s %s - %d %d %d %d" % (
        s.at(t).strftime("%Y-%m-%d %H:%M:%S"), sip, method, stem, query or "-", port, client,
        ua.replace(" ", "+"), status, sub, win32, taken_ms)


def log4net(s, t, thread, level, logger, msg):
    d = s.at(t)
    return "%s,%03d [%s] %-5s %s - %s" % (d.strftime("%Y-%m-%d %H:%M:%S"), d.microsecond // 1000, thread, level, logger, msg)


def winevent(s, t, level, log, event_id, source, msg):
    """CloudWatch agent 'text' rendering of a Windows event."""
    return "[%s] [%s] [%d] [%s] [%s] %s" % (level, log, event_id, source, s.at(t).strftime("%Y-%m-%dT%H:%M:%S.000Z"), msg)


def netstack(exc, frames):
    return exc + "".join("\r\n   at " + f for f in frames)


# ---- databases --------------------------------------------------------------------
def mysql_err(s, t, thread, level, code, msg):
    d = s.at(t)
    return "%s.%06dZ %d [%s] [%s] [Server] %s" % (d.strftime("%Y-%m-%dT%H:%M:%S"), d.microsecond, thread, level, code, msg)


def pg(s, t, who, pid, level, msg):
    """RDS PostgreSQL log_line_prefix %t:%r:%u@%d:[%p]:"""
    return "%s UTC:%s:[%d]:%s:  %s" % (s.at(t).strftime("%Y-%m-%d %H:%M:%S"), who, pid, level, msg)


# ---- agents / OS ----------------------------------------------------------------------
def syslog(s, t, host, proc, msg):
    return "%s %s %s: %s" % (s.at(t).strftime("%b %d %H:%M:%S").replace(" 0", "  ", 1) if s.at(t).day < 10 else s.at(t).strftime("%b %d %H:%M:%S"), host, proc, msg)


def ssm_agent(s, t, level, msg):
    return "%s %s %s" % (s.at(t).strftime("%Y-%m-%d %H:%M:%S"), level, msg)


def codedeploy(s, t, dep, msg):
    return "[%s] [%s]%s" % (ms(s, t), dep, msg)


def host_of(ip):
    return "ip-" + ip.replace(".", "-")
