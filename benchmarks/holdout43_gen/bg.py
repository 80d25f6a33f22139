"""Background estate: resources with normal metrics and steady INFO log noise."""
from . import logs as L
from .common import fill, rid
from .res import ec2, ecs, lambda_fn, rds


def lambda_line(sc, runtime, t, r, level, msg, logger="handler"):
    if runtime.startswith("python"):
        return L.py(sc, t, r, level, msg)
    if runtime.startswith("nodejs"):
        return L.node(sc, t, r, level, msg)
    if runtime.startswith("java"):
        return L.javal(sc, t, r, level, logger, msg)
    return L.gojson(sc, t, level.lower(), logger, msg, request_id=r)


def bg_lambda(sc, name, runtime, rate, dur, msgs, memory=512, timeout=30, err=None,
              err_msgs=None, t_from=-10800, log_rate=None, mem_used=(150, 20), pools=None,
              logger="handler", **props):
    s = lambda_fn(sc, name, runtime, timeout, memory, rate, dur, err=err, **props)
    lg = L.LambdaLog(sc, name, runtime, memory, timeout, pools=pools, mem_used=mem_used)
    rng = sc.rng

    def handler(t):
        d = max(2.0, dur(t) * (1 + rng.gauss(0, 0.12)))
        bad = bool(err) and rng.random() < err(t)
        m1 = L.pick(rng, msgs)
        m2 = L.pick(rng, err_msgs) if bad else None

        def lines(t0, r):
            out = [(0.004, lambda_line(sc, runtime, t0 + 0.004, r, "INFO", m1, logger))]
            if m2:
                out.append((d / 1000.0 * 0.9, lambda_line(sc, runtime, t0 + d / 1000.0 * 0.9, r,
                                                          "ERROR", m2, logger)))
            return out
        return lines, d, "ok"

    lg.run(t_from, 0, log_rate or (lambda t: min(rate(t), 1.2)), handler)
    return s


def app_line(sc, style, t, level, msg, logger="app", app="svc", host="ip-10-0-0-1"):
    rng = sc.rng
    if style == "spring":
        return L.spring(sc, t, level, app, "http-nio-8080-exec-%d" % rng.randint(1, 40), logger, msg)
    if style == "go":
        return L.gojson(sc, t, level.lower(), logger, msg)
    if style == "node":
        return L.pino(sc, t, level.lower(), msg, host=host)
    if style == "rails":
        return L.rails(sc, t, level, rid(rng)[:8], msg)
    if style == "dotnet":
        lv = {"INFO": "info", "WARN": "warn", "ERROR": "fail", "DEBUG": "dbug"}[level]
        return L.dotnet(lv, logger, rng.choice([0, 1, 2]), msg)
    return "%s %s [%s] %s" % (sc.iso(t), level, logger, msg)


def bg_ecs(sc, cluster, svc, style, cpu, mem, tasks, msgs, per_min=2.0, err_msgs=None,
           err_rate=0.0, t_from=-10800, ntask=2, desired=None, **props):
    out = ecs(sc, cluster, svc, cpu, mem, tasks, desired=desired, **props)
    group = "/ecs/%s" % svc
    tids = L.task_ids(sc, ntask)
    rng = sc.rng
    hosts = {tid: "ip-10-%d-%d-%d" % (rng.randint(0, 3) * 16, rng.randint(0, 15), rng.randint(2, 250))
             for tid in tids}

    def mk(tid):
        def line(t):
            if err_msgs and rng.random() < err_rate:
                lv, lg, tpl = rng.choice(err_msgs)
            else:
                lv, lg, tpl = rng.choice(msgs)
            return app_line(sc, style, t, lv, fill(rng, tpl), lg, svc, hosts[tid])
        return line
    for tid in tids:
        L.stream(sc, group, "%s/%s/%s" % (svc, svc, tid), t_from, 0, lambda t: per_min / ntask, mk(tid))
    out["group"] = group
    out["tasks_ids"] = tids
    return out


def bg_ec2(sc, iid, name, itype, cpu, groups=None, **kw):
    """groups: {log_group: (per_min, line_fn(t))} written to a stream named by instance id."""
    groups = groups or {}
    out = ec2(sc, iid, name, itype, cpu, log_groups=list(groups) or None, **kw)
    for g, (pm, fn) in groups.items():
        L.stream(sc, g, iid, -10800, 0, (lambda t, pm=pm: pm), fn)
    return out


PG_VACUUM = ['automatic vacuum of table "{db}.public.{tbl}": index scans: 1\n\tpages: 0 removed, '
             '{big} remain, 0 skipped due to pins, 0 skipped frozen\n\ttuples: {n} removed, {big} remain',
             'automatic analyze of table "{db}.public.{tbl}"']


def bg_rds(sc, ident, engine, version, cls, max_conn, storage_gb, cpu, conn, tables=("events",),
           dbname="app", log_from=-21600, **kw):
    out = rds(sc, ident, engine, version, cls, max_conn, storage_gb, cpu, conn, **kw)
    rng = sc.rng
    if engine.startswith("postgres") or engine == "aurora-postgresql":
        g, s = "/aws/rds/instance/%s/postgresql" % ident, "%s.0" % ident

        def ckpt(t):
            b = rng.randint(900, 4200)
            return L.pg(sc, t, None, "", 412, "LOG",
                        "checkpoint complete: wrote %d buffers (%.1f%%); 0 WAL file(s) added, 0 removed, "
                        "%d recycled; write=%.3f s, sync=0.004 s, total=%.3f s; sync files=%d, "
                        "longest=0.002 s, average=0.001 s; distance=%d kB, estimate=%d kB"
                        % (b, b / 1310.0, rng.randint(1, 3), rng.uniform(80, 270), rng.uniform(80, 270),
                           rng.randint(20, 70), b * 8, b * 8 + rng.randint(0, 900)))

        def vac(t):
            tpl = rng.choice(PG_VACUUM)
            return L.pg(sc, t, None, "", rng.randint(20000, 32000), "LOG",
                        fill(rng, tpl, {"db": dbname, "tbl": lambda r: r.choice(tables)}))
        L.periodic(sc, g, s, log_from, 0, 300, ckpt)
        L.stream(sc, g, s, log_from, 0, lambda t: 0.12, vac)
        out["log"] = (g, s)
    else:
        g, s = "/aws/rds/instance/%s/error" % ident, ident

        def note(t):
            cid = rng.randint(80000, 99000)
            return ("%s %d [Note] [MY-010914] [Server] Aborted connection %d to db: '%s' user: 'app' host: "
                    "'10.%d.%d.%d' (Got an error reading communication packets)."
                    % (sc.iso6(t), cid, cid, dbname, rng.choice([0, 16, 32]), rng.randint(0, 15),
                       rng.randint(2, 250)))
        L.stream(sc, g, s, log_from, 0, lambda t: 0.08, note)
        out["log"] = (g, s)
    return out
