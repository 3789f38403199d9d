


a2Const