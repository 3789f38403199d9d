


aConst

bAddaghost:1