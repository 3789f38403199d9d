
C
INPUT*
valueBunsdack*
T0x0*
T0*

begin_mask;a