


aConst

bIdentitya


aConst