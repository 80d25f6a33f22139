"""All scenario builders, in file order."""
from . import s_ec2_a, s_ec2_b, s_ecs_a, s_ecs_b, s_ecs_c, s_misc, s_rds

BUILDERS = [s_ecs_a.h01, s_ec2_a.h02, s_ec2_a.h03, s_ec2_a.h04, s_ecs_a.h05, s_ec2_b.h06, s_rds.h07, s_rds.h08,
            s_ec2_b.h09, s_ec2_b.h10, s_ec2_b.h11, s_rds.h12, s_ecs_b.h13, s_misc.h14, s_ecs_b.h15, s_ecs_c.h16,
            s_ecs_c.h17, s_misc.h18]
