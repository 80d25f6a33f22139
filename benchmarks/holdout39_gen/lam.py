"""Lambda invocation simulator producing CloudWatch metrics and runtime-accurate log lines."""
import json
import math

from .common import (START, END, LOG_START, iso_ms, iso_us, clock, rid, hexid, metric,
                     poisson_times, times)

RUNTIME_VERSION = {
    'python': ('python:3.12.v38', 'python3.12'),
    'node': ('nodejs:20.v41', 'nodejs20.x'),
    'java': ('java:17.v29', 'java17'),
    'dotnet': ('dotnet:8.v22', 'dotnet8'),
    'ruby': ('ruby:3.3.v14', 'ruby3.3'),
    'go': ('provided:al2023.v64', 'provided.al2023'),
}


class Log:
    """Collects the lines one invocation writes, formatted as the runtime would."""

    def __init__(self, style, t, request_id, logger='app'):
        self.style, self.t, self.rid, self.logger = style, t, request_id, logger
        self.lines = []
        self.offset = 0.004

    def _fmt(self, level, msg, t):
        s, r = self.style, self.rid
        if s == 'python':
            return '[%s]\t%s\t%s\t%s' % (level, iso_ms(t), r, msg)
        if s == 'node':
            return '%s\t%s\t%s\t%s' % (iso_ms(t), r, level, msg)
        if s == 'dotnet':
            lv = {'DEBUG': 'dbug', 'INFO': 'info', 'WARN': 'warn', 'ERROR': 'fail'}[level]
            return '%s\t%s\t%s\t%s' % (iso_ms(t), r, lv, msg)
        if s == 'java':
            return '%s %s %-5s %s - %s' % (clock(t).strftime('%Y-%m-%d %H:%M:%S'), r, level, self.logger, msg)
        if s == 'ruby':
            return '%s, [%s #8] %5s -- : [%s] %s' % (level[0], iso_us(t), level, r, msg)
        if s == 'go':
            return json.dumps({'time': iso_ms(t), 'level': level, 'msg': msg, 'requestId': r})
        raise ValueError(s)

    def at(self, dt):
        self.offset = max(self.offset, dt)
        return self

    def log(self, level, msg, dt=None):
        if dt is not None:
            self.offset = max(self.offset, dt)
        self.lines.append((self.offset, self._fmt(level, msg, self.t + self.offset)))
        self.offset += 0.002

    def debug(self, msg, dt=None):
        self.log('DEBUG', msg, dt)

    def info(self, msg, dt=None):
        self.log('INFO', msg, dt)

    def warn(self, msg, dt=None):
        self.log('WARN', msg, dt)

    def error(self, msg, dt=None):
        self.log('ERROR', msg, dt)

    def raw(self, text, dt=None):
        if dt is not None:
            self.offset = max(self.offset, dt)
        self.lines.append((self.offset, text))
        self.offset += 0.002


def simulate(rng, name, style, memory, timeout, rate, handler, throttle=None, region=None,
             breaks=(), version='$LATEST', versions=None, log_start=LOG_START, logger='app', date='2026/11/24'):
    """rate(t)->attempts/min; handler(t, rng, log)->(duration_ms, status, mem_used_mb);
    status in ok|error|timeout|oom. throttle(t)->probability an attempt is throttled.
    breaks: times at which containers are replaced (deploy/config) -> new log stream + cold start."""
    per_min = {t: {'inv': 0, 'err': 0, 'thr': 0, 'dur': [], 'busy': 0.0} for t in times()}
    events_by_stream = []
    cuts = [START] + sorted(breaks) + [END + 60]
    versions = versions or [version] * (len(cuts) - 1)
    stream_names = ['%s/[%s]%s' % (date, versions[i], hexid(rng)) for i in range(len(cuts) - 1)]
    streams = {s: [] for s in stream_names}
    seg_warm = [False] * (len(cuts) - 1)
    rv, rt_id = RUNTIME_VERSION[style]
    for t in poisson_times(rng, START, END + 60, rate):
        bucket = int((t - START) // 60) * 60 + START
        if bucket not in per_min:
            continue
        pm = per_min[bucket]
        if throttle and rng.random() < throttle(t):
            pm['thr'] += 1
            continue
        seg = max(i for i in range(len(cuts) - 1) if cuts[i] <= t)
        r = rid(rng)
        lg = Log(style, t, r, logger)
        dur, status, mem_used = handler(t, rng, lg)
        if status == 'timeout':
            dur = timeout * 1000.0 + rng.uniform(1, 30)
        pm['inv'] += 1
        pm['dur'].append(dur)
        pm['busy'] += dur / 1000.0
        if status != 'ok':
            pm['err'] += 1
        if t < log_start:
            continue
        stream = stream_names[seg]
        ev = streams[stream]
        init = ''
        if not seg_warm[seg]:
            seg_warm[seg] = True
            ev.append([t - 0.9, 'INIT_START Runtime Version: %s\tRuntime Version ARN: arn:aws:lambda:%s::runtime:%s'
                       % (rv, region or 'us-east-1', hexid(rng, 64))])
            init = '\tInit Duration: %.2f ms' % rng.uniform(300, 1400 if style in ('java', 'dotnet') else 600)
        ev.append([t, 'START RequestId: %s Version: %s' % (r, versions[seg])])
        for off, text in lg.lines:
            ev.append([t + min(off, dur / 1000.0), text])
        end_t = t + dur / 1000.0
        if status == 'timeout':
            ev.append([end_t, '%s %s Task timed out after %.2f seconds' % (iso_ms(end_t), r, float(timeout))])
        elif status == 'oom':
            ev.append([end_t, 'RequestId: %s Error: Runtime exited with error: signal: killed\nRuntime.ExitError' % r])
        ev.append([end_t + 0.001, 'END RequestId: %s' % r])
        rep = 'REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB%s' % (
            r, dur, math.ceil(dur), memory, min(memory, mem_used), init)
        if status == 'timeout':
            rep += '\tStatus: timeout'
        elif status == 'oom':
            rep += '\tStatus: error\tError Type: Runtime.ExitError'
        ev.append([end_t + 0.002, rep])
    dims = {'FunctionName': name}
    ts = sorted(per_min)
    inv = [[t, float(per_min[t]['inv'])] for t in ts]
    err = [[t, float(per_min[t]['err'])] for t in ts]
    thr = [[t, float(per_min[t]['thr'])] for t in ts]
    dur = [[t, round(sum(per_min[t]['dur']) / len(per_min[t]['dur']), 3)] for t in ts if per_min[t]['dur']]
    conc = [[t, float(max(1 if per_min[t]['inv'] else 0,
                          math.ceil(per_min[t]['busy'] / 60.0 * rng.uniform(1.2, 1.6))))] for t in ts]
    metrics = [metric('AWS/Lambda', 'Invocations', dims, 'Count', inv, region),
               metric('AWS/Lambda', 'Errors', dims, 'Count', err, region),
               metric('AWS/Lambda', 'Throttles', dims, 'Count', thr, region),
               metric('AWS/Lambda', 'Duration', dims, 'Milliseconds', dur, region),
               metric('AWS/Lambda', 'ConcurrentExecutions', dims, 'Count', conc, region)]
    logs = []
    for s in stream_names:
        if streams[s]:
            lg = {'group': '/aws/lambda/%s' % name, 'stream': s, 'events': streams[s]}
            if region:
                lg['region'] = region
            logs.append(lg)
    return metrics, logs


def resource(name, style, memory, timeout, region=None, **extra):
    p = {'runtime': RUNTIME_VERSION[style][1], 'timeout': timeout, 'memory_size': memory}
    p.update(extra)
    r = {'type': 'lambda', 'id': name, 'properties': p}
    if region:
        r['region'] = region
    return r


def py_traceback(exc, msg, frames):
    """frames: list of (file, line, func, code)."""
    out = ['[ERROR] %s: %s' % (exc, msg), 'Traceback (most recent call last):']
    for f, ln, fn, code in frames:
        out.append('  File "%s", line %d, in %s' % (f, ln, fn))
        out.append('    %s' % code)
    return '\n'.join(out)


def node_invoke_error(t, request_id, etype, emsg, stack):
    body = json.dumps({'errorType': etype, 'errorMessage': emsg,
                       'stack': ['%s: %s' % (etype, emsg)] + ['    at %s' % s for s in stack]})
    return '%s\t%s\tERROR\tInvoke Error \t%s' % (iso_ms(t), request_id, body)
