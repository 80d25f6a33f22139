"""Ordered list of scenario builders."""
from . import sc_01_02, sc_03_04, sc_05_06, sc_07_08, sc_09_10, sc_11_12, sc_13_14, sc_15_16

BUILDERS = [sc_01_02.s01, sc_01_02.s02, sc_03_04.s03, sc_03_04.s04, sc_05_06.s05, sc_05_06.s06,
            sc_07_08.s07, sc_07_08.s08, sc_09_10.s09, sc_09_10.s10, sc_11_12.s11, sc_11_12.s12,
            sc_13_14.s13, sc_13_14.s14, sc_15_16.s15, sc_15_16.s16]
