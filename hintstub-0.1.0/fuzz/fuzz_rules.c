/* libFuzzer target: the rule-file parser on arbitrary text.
 *
 * No plugin can be found (no search directory, HINTSTUB_PLUGIN_PATH
 * unset), so a `plugin` statement fails after parsing; `include` is
 * confined to the fuzzer's scratch directory by running from it.  Either
 * the text is accepted or the error reads "LABEL:LINE:COL: message" (or
 * names a file), on one line.  Any crash, hang, sanitizer report or
 * abort() is a bug. */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hintstub/hintstub.h"
#include "hintstub/plugin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static void require(int cond)
{
	if (!cond)
		abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	unsetenv("HINTSTUB_PLUGIN_PATH");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hs_registry *r = NULL;
	require(hs_registry_new(&r, 0) == HS_OK);
	int rc = hs_registry_load_rules_buffer(r, (const char *)data, size, "fuzz.rules");
	if (rc != HS_OK) {
		const char *msg = hs_error_last();
		require(msg[0] != '\0' && strchr(msg, '\n') == NULL);
	}
	hs_registry_free(r);
	return 0;
}
