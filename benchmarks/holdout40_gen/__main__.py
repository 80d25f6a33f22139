"""Generate the holdout40 scenario set: python -m benchmarks.holdout40_gen"""
import os

from . import s_a, s_b, s_c, s_d
from .common import dump

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'scenarios_holdout40')
BUILDERS = [s_a.s01, s_a.s02, s_a.s03, s_a.s04, s_b.s05, s_b.s06, s_b.s07, s_b.s08,
            s_c.s09, s_c.s10, s_c.s11, s_c.s12, s_d.s13, s_d.s14, s_d.s15, s_d.s16]


def _cell(s):
    return str(s).replace('|', '\\|')


def main():
    os.makedirs(OUT, exist_ok=True)
    rows, paras = [], []
    for b in BUILDERS:
        doc = b()
        meta = doc.pop('_meta')
        fname = doc['name'] + '.yaml'
        dump(doc, os.path.join(OUT, fname))
        ex = doc['expect']
        rows.append('| %s | %s | %s | %s | %s | %s | %s |' % (
            fname, doc['region'], ex['alarm'], ex['root_cause']['category'],
            ', '.join('`%s`' % x for x in ex['root_cause']['resource']), _cell(meta['alarm_on']), _cell(meta['decoys'])))
        paras.append('### %s\n\n%s\n' % (fname, meta['story']))
        print('wrote %s (%d bytes)' % (fname, os.path.getsize(os.path.join(OUT, fname))))
    with open(os.path.join(OUT, 'README.md'), 'w') as f:
        f.write('# Holdout set 40: "the incidents SREs actually get paged for"\n\n'
                'Sixteen independent scenarios (aiops-scenario/v1), generated deterministically by '
                '`python -m benchmarks.holdout40_gen`. Metrics: 6 h at 1-minute resolution; logs: the last 2 h. '
                'Labels follow the category table and tie-breaks of scenario-format.md.\n\n'
                '| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |\n'
                '|---|---|---|---|---|---|---|\n' + '\n'.join(rows) + '\n\n## Scenarios\n\n' + '\n'.join(paras))


if __name__ == '__main__':
    main()
