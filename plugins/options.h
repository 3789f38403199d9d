/* Option parsing shared by the built-in plugins (header-only, so that
 * each plugin stays one self-contained shared object). */
#ifndef HS_PLUGIN_OPTIONS_H
#define HS_PLUGIN_OPTIONS_H

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <hintstub/plugin.h>

/* A non-negative float, refused when the text does not fit one: past
 * FLT_MAX it would become inf, below the smallest normal float 0 or a
 * denormal (strtof's ERANGE), and inf and nan are no clip values. */
static inline int opt_float(const hs_plugin_host *h, float *out,
			    const char *key, const char *value)
{
	char *end;
	errno = 0;
	float v = strtof(value, &end);
	if (end == value || *end || !(v >= 0))
		return h->fail(HS_ERULES, "%s must be a non-negative number, got '%s'",
			       key, value);
	if (!isfinite(v) || (errno == ERANGE && v > 1))
		return h->fail(HS_ERULES, "%s: '%s' is out of the range of a float (at most %g)",
			       key, value, (double)FLT_MAX);
	if (errno == ERANGE)
		return h->fail(HS_ERULES, "%s: '%s' is too small for a float (it would be %g; "
			       "the smallest is %g, or 0)", key, value, (double)v, (double)FLT_MIN);
	*out = v;
	return HS_OK;
}

static inline int opt_bool(const hs_plugin_host *h, int *out, const char *key,
			   const char *value)
{
	if (strcmp(value, "true") == 0 || strcmp(value, "1") == 0)
		*out = 1;
	else if (strcmp(value, "false") == 0 || strcmp(value, "0") == 0)
		*out = 0;
	else
		return h->fail(HS_ERULES, "%s must be true or false, got '%s'", key,
			       value);
	return HS_OK;
}

/* TFLite ActivationFunctionType names, as TOCO reads them. */
static inline int opt_activation(const hs_plugin_host *h, char out[16],
				 const char *value)
{
	static const char *const known[] = { "NONE", "RELU", "RELU_N1_TO_1",
					     "RELU6", "TANH", "SIGN_BIT", NULL };
	for (int i = 0; known[i]; i++)
		if (strcmp(value, known[i]) == 0) {
			strcpy(out, value);
			return HS_OK;
		}
	return h->fail(HS_ERULES, "unknown activation '%s' (NONE, RELU, "
		       "RELU_N1_TO_1, RELU6, TANH, SIGN_BIT)", value);
}

static inline hs_str opt_str(const char *s)
{
	hs_str v = { s, strlen(s) };
	return v;
}

#endif
