"""The scenarios of set 20, in file order."""
from . import cases_a, cases_b, cases_c, cases_d, cases_e, cases_f, cases_g, cases_h

CASES = [cases_a.h20_01, cases_a.h20_02, cases_b.h20_03, cases_b.h20_04, cases_c.h20_05, cases_c.h20_06,
         cases_d.h20_07, cases_d.h20_08, cases_e.h20_09, cases_e.h20_10, cases_f.h20_11, cases_f.h20_12,
         cases_g.h20_13, cases_g.h20_14, cases_h.h20_15, cases_h.h20_16]
