"""Ordered list of scenario builders."""
from . import s01_02, s03_04, s05_06, s07_08, s09_10, s11_12, s13_14, s15_16

BUILDERS = [s01_02.h01, s01_02.h02, s03_04.h03, s03_04.h04, s05_06.h05, s05_06.h06, s07_08.h07, s07_08.h08, s09_10.h09, s09_10.h10, s11_12.h11, s11_12.h12, s13_14.h13, s13_14.h14, s15_16.h15, s15_16.h16]
