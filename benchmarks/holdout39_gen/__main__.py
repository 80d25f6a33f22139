"""python -m benchmarks.holdout39_gen : writes benchmarks/scenarios_holdout39/*.yaml and README.md"""
import os
import sys

import yaml

from . import s01_04, s05_08, s09_12, s13_16
from .readme import write_readme

MODULES = [s01_04, s05_08, s09_12, s13_16]
OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'scenarios_holdout39')


class Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def main():
    os.makedirs(OUT, exist_ok=True)
    metas = []
    for mod in MODULES:
        for fname in sorted(n for n in dir(mod) if n[0] == 's' and n[1:].isdigit()):
            doc, meta = getattr(mod, fname)()
            path = os.path.join(OUT, meta['file'])
            with open(path, 'w') as fh:
                yaml.dump(doc, fh, Dumper=Dumper, default_flow_style=None, sort_keys=False, width=4096,
                          allow_unicode=True)
            size = os.path.getsize(path)
            print('%-60s %8.2f MB' % (meta['file'], size / 1e6))
            if size > 4_000_000:
                print('  WARNING: larger than 4 MB', file=sys.stderr)
            metas.append(meta)
    write_readme(os.path.join(OUT, 'README.md'), metas)


if __name__ == '__main__':
    main()
