


aConst

bAddad

cRelub

dReluc