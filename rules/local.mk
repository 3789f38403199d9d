dist_rules_DATA += rules/default.rules
# The drop-in directory default.rules reads: installed with its README so
# that it exists (an include of a missing directory is an error).
rulesddir = $(rulesdir)/rules.d
dist_rulesd_DATA = rules/rules.d/README
dist_man_MANS += doc/hintstub-rules.5
EXTRA_DIST += doc/rules.md doc/plugin-guide.md
