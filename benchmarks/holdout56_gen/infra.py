"""Shared simulators: SQS consumers and per-service metric series."""
import heapq


class Msg:
    __slots__ = ("arrival", "payload", "receives", "done", "dlq", "spans", "vis")

    def __init__(self, arrival, payload, vis):
        self.arrival, self.payload, self.vis = arrival, payload, vis
        self.receives, self.done, self.dlq, self.spans = 0, None, None, []

    def hidden(self, probe):
        """True when received and still inside its visibility timeout at ``probe``."""
        past = [sp for sp in self.spans if sp[0] <= probe]
        if not past:
            return False
        s, e, ok = past[-1]
        return probe < (e if ok else max(e, s + self.vis))


def sqs_consume(sc, arrivals, process, concurrency, visibility, max_receives=None,
                poll=(0.05, 1.2)):
    """Replay a queue consumer.

    ``process(start, msg, attempt) -> (duration_ms, ok)``; a failed receive becomes visible
    again ``visibility`` s after it was received; after ``max_receives`` failures the message
    moves to the dead-letter queue. Returns the list of messages with their history.
    """
    msgs = [Msg(t, p, visibility) for t, p in sorted(arrivals, key=lambda a: a[0])]
    ready = [(m.arrival, i) for i, m in enumerate(msgs)]
    heapq.heapify(ready)
    slots = [-10 ** 9] * concurrency
    heapq.heapify(slots)
    while ready:
        t, i = heapq.heappop(ready)
        m = msgs[i]
        free = heapq.heappop(slots)
        start = max(t, free) + sc.rng.uniform(*poll)
        if start >= 0:
            heapq.heappush(slots, free)
            continue
        m.receives += 1
        dur, ok = process(start, m, m.receives)
        end = start + dur / 1000.0
        m.spans.append((start, end, ok))
        heapq.heappush(slots, end)
        if ok:
            m.done = end
        elif max_receives and m.receives >= max_receives:
            m.dlq = start + visibility
        else:
            heapq.heappush(ready, (start + visibility, i))
    return msgs


def queue_metrics(sc, queue, msgs, dlq=None, dlq_base=0, extra_visible=None):
    """Emit the usual AWS/SQS series for ``queue`` (and ``dlq``) from ``sqs_consume`` output."""
    mins = sc.minutes()
    dims = {"QueueName": queue}
    sent, recv, deleted = {}, {}, {}
    for m in msgs:
        k = int(m.arrival // 60) * 60
        sent[k] = sent.get(k, 0) + 1
        for s, e, ok in m.spans:
            k = int(s // 60) * 60
            recv[k] = recv.get(k, 0) + 1
            if ok:
                k2 = int(e // 60) * 60
                deleted[k2] = deleted.get(k2, 0) + 1
    visible, invisible, age = {}, {}, {}
    live = sorted(msgs, key=lambda x: x.arrival)
    for t in mins:
        probe = t + 30
        v = inv = 0
        oldest = None
        for m in live:
            if m.arrival > probe:
                break
            gone = m.done if m.done is not None else m.dlq
            if gone is not None and gone <= probe:
                continue
            oldest = m.arrival if oldest is None else min(oldest, m.arrival)
            if m.hidden(probe):
                inv += 1
            else:
                v += 1
        visible[t] = v + (extra_visible(t) if extra_visible else 0)
        invisible[t] = inv
        age[t] = max(0, probe - oldest) if oldest is not None else 0
    sc.metric("AWS/SQS", "NumberOfMessagesSent", dims, "Count", [(t, sent.get(t, 0)) for t in mins])
    sc.metric("AWS/SQS", "NumberOfMessagesReceived", dims, "Count", [(t, recv.get(t, 0)) for t in mins])
    sc.metric("AWS/SQS", "NumberOfMessagesDeleted", dims, "Count", [(t, deleted.get(t, 0)) for t in mins])
    sc.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", dims, "Count", [(t, visible[t]) for t in mins])
    sc.metric("AWS/SQS", "ApproximateNumberOfMessagesNotVisible", dims, "Count", [(t, invisible[t]) for t in mins])
    sc.metric("AWS/SQS", "ApproximateAgeOfOldestMessage", dims, "Seconds", [(t, age[t]) for t in mins])
    if dlq:
        moved = sorted(m.dlq for m in msgs if m.dlq is not None)
        dd = {"QueueName": dlq}
        sc.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", dd, "Count",
                  [(t, dlq_base + sum(1 for x in moved if x <= t + 30)) for t in mins])
        sc.metric("AWS/SQS", "NumberOfMessagesSent", dd, "Count", [(t, 0) for t in mins])
    return visible, age


def smooth(sc, base, rel_sd=0.06, lo=0.0, hi=None):
    return sc.jitter(base, rel_sd, lo, hi)


def ec2_series(sc, iid, cpu, net_in, mem=None, disk=None, status=None, step=300, disk_path="/"):
    """EC2 basic monitoring (5-minute) plus CloudWatch agent memory/disk (1-minute)."""
    dims = {"InstanceId": iid}
    sc.series("AWS/EC2", "CPUUtilization", dims, "Percent", cpu, step=step,
              start=-sc.history, end=-step)
    sc.series("AWS/EC2", "NetworkIn", dims, "Bytes", net_in, step=step, start=-sc.history, end=-step)
    st = status or (lambda t: 0)
    sc.series("AWS/EC2", "StatusCheckFailed", dims, "Count", st, step=60)
    if mem:
        sc.series("CWAgent", "mem_used_percent", dims, "Percent", mem)
    if disk:
        sc.series("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": disk_path, "fstype": "xfs"},
                  "Percent", disk)
