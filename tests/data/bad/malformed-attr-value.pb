

aConst*
value

	xx