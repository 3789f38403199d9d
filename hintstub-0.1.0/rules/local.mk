dist_rules_DATA += rules/default.rules
dist_man_MANS += doc/hintstub-rules.5
EXTRA_DIST += doc/rules.md doc/plugin-guide.md
