"""Registry of the set's scenario builders, in file order."""
from .s01_s06_lambda import s01, s06
from .s02_s07_db import s02, s07
from .s03_s09_ec2 import s03, s09
from .s04_s13_throttle import s04, s13
from .s05_s08_ecs import s05, s08
from .s10_s16_lambda import s10, s16
from .s11_s12_web import s11, s12
from .s14_s15_ecs import s14, s15

ALL = [s01, s02, s03, s04, s05, s06, s07, s08, s09, s10, s11, s12, s13, s14, s15, s16]
