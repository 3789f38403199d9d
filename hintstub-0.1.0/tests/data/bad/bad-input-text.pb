


aConst

bIdentity^a:1