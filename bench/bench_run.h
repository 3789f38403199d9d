/* The conversion the benchmarks time: load, hs_convert with the default
 * options, write (atomic, fsync) -- what `hintstub IN OUT` does. */
#ifndef HS_BENCH_RUN_H
#define HS_BENCH_RUN_H

/* Converts the file in to out; *ms gets the wall time of the three.
 * Returns 0, or -1 after printing `who: in: message` to stderr. */
int bench_convert_file(const char *who, const char *in, const char *out, double *ms);

#endif
