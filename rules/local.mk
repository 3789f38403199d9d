dist_rules_DATA += rules/default.rules
