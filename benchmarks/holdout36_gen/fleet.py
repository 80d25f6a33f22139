"""Members of an ECS service or EC2 fleet that write application logs to their own streams."""
from __future__ import annotations


class Member:
    __slots__ = ("mid", "stream", "start", "end", "tag")

    def __init__(self, mid, stream, start, end, tag):
        self.mid, self.stream, self.start, self.end, self.tag = mid, stream, start, end, tag


class Fleet:
    def __init__(self, s, group, region=None):
        self.s, self.group, self.region = s, group, region
        self.members: list[Member] = []

    def task(self, container, start=-10 ** 9, end=10 ** 9, tag=None):
        tid = self.s.hexid(32)
        m = Member(tid, f"ecs/{container}/{tid}", start, end, tag)
        self.members.append(m)
        return m

    def host(self, iid, stream=None, start=-10 ** 9, end=10 ** 9, tag=None):
        m = Member(iid, stream or iid, start, end, tag)
        self.members.append(m)
        return m

    def alive(self, t, warm=0.0, drain=0.0):
        return [m for m in self.members if m.start + warm <= t < m.end - drain]

    def emit(self, m, t, text):
        self.s.emit(self.group, m.stream, t, text, self.region)

    def spread(self, t0, t1, per_minute, fn, step=60, warm=45.0, drain=30.0):
        """Call fn(t, member) ~per_minute(t) times a minute, on a random live member."""
        s = self.s
        for m0 in range(t0, t1, step):
            n = s.poisson(per_minute(m0) * step / 60)
            for _ in range(n):
                t = m0 + s.rng.random() * step
                live = self.alive(t, warm, drain)
                if live:
                    fn(t, s.rng.choice(live))
