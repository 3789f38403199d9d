
Const