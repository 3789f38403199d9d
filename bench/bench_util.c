#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "core/graph/graph.pb-c.h"

double bench_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double bench_median(double *v, size_t n)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The child sends its n figures back through a pipe. */
int bench_child_n(bench_fn_n fn, void *arg, double *figures, size_t n,
		  long *peak_kb, double *cpu_ms)
{
	int fds[2];
	if (n == 0 || n > BENCH_MAX_FIGURES || pipe(fds) != 0)
		return -1;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		double t[BENCH_MAX_FIGURES] = { 0 };
		int rc = fn(arg, t, n);
		ssize_t w = write(fds[1], t, n * sizeof t[0]);
		_exit(rc == 0 && w == (ssize_t)(n * sizeof t[0]) ? 0 : 1);
	}
	close(fds[1]);
	double t[BENCH_MAX_FIGURES];
	ssize_t r = read(fds[0], t, n * sizeof t[0]);
	close(fds[0]);
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) != pid)
		return -1;
	if (r != (ssize_t)(n * sizeof t[0]) || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return -1;
	memcpy(figures, t, n * sizeof t[0]);
	*peak_kb = ru.ru_maxrss;
	*cpu_ms = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
		  (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	return 0;
}

typedef struct one_figure {
	bench_fn fn;
	void *arg;
} one_figure;

static int run_one_figure(void *arg, double *figures, size_t n)
{
	one_figure *o = arg;
	(void)n;
	return o->fn(o->arg, &figures[0]);
}

int bench_child(bench_fn fn, void *arg, double *ms, long *peak_kb,
		double *cpu_ms)
{
	one_figure o = { fn, arg };
	return bench_child_n(run_one_figure, &o, ms, 1, peak_kb, cpu_ms);
}

double bench_cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int bench_measure_n(double *medians, size_t n, bench_fn_n fn, void *arg,
		    int reps)
{
	double runs[BENCH_MAX_FIGURES][64], one[BENCH_MAX_FIGURES], cpu;
	long kb;
	if (reps < 1 || reps > 64 || n == 0 || n > BENCH_MAX_FIGURES ||
	    bench_child_n(fn, arg, one, n, &kb, &cpu) != 0)
		return -1;
	for (int i = 0; i < reps; i++) {
		if (bench_child_n(fn, arg, one, n, &kb, &cpu) != 0)
			return -1;
		for (size_t k = 0; k < n; k++)
			runs[k][i] = one[k];
	}
	for (size_t k = 0; k < n; k++)
		medians[k] = bench_median(runs[k], (size_t)reps);
	return 0;
}

int bench_measure(bench_result *r, bench_fn fn, void *arg, int reps)
{
	double wall[64], cpu[64], w, c;
	long kb, peak = 0;
	if (reps < 1 || reps > 64 || bench_child(fn, arg, &w, &kb, &c) != 0)
		return -1;
	for (int i = 0; i < reps; i++) {
		if (bench_child(fn, arg, &wall[i], &kb, &cpu[i]) != 0)
			return -1;
		if (kb > peak)
			peak = kb;
	}
	r->ms = bench_median(wall, (size_t)reps);
	r->cpu_ms = bench_median(cpu, (size_t)reps);
	r->peak_kb = peak;
	return 0;
}

uint8_t *bench_read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0) {
		close(fd);
		return NULL;
	}
	size_t size = (size_t)st.st_size, got = 0;
	uint8_t *buf = malloc(size ? size : 1);
	while (buf && got < size) {
		ssize_t r = read(fd, buf + got, size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			free(buf);
			buf = NULL;
			break;
		}
		got += (size_t)r;
	}
	close(fd);
	*len = got;
	return buf;
}

int bench_write_atomic(const char *path, const void *data, size_t len)
{
	char tmp[4096], dir[4096];
	snprintf(dir, sizeof dir, "%.*s", (int)(sizeof dir - 32), path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	else
		snprintf(dir, sizeof dir, ".");
	snprintf(tmp, sizeof tmp, "%.*s/.bench-XXXXXX", (int)(sizeof tmp - 32), dir);
	int fd = mkstemp(tmp);
	if (fd < 0)
		return -1;
	const uint8_t *p = data;
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			close(fd);
			unlink(tmp);
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

int bench_same_file(const char *a, const char *b)
{
	size_t la, lb;
	uint8_t *x = bench_read_file(a, &la), *y = bench_read_file(b, &lb);
	int same = x && y && la == lb && memcmp(x, y, la) == 0;
	free(x);
	free(y);
	return same;
}

uint64_t bench_file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

static int pbc_roundtrip(const uint8_t *data, size_t len, uint8_t **out,
			 size_t *out_len)
{
	Tensorflow__GraphDef *g = tensorflow__graph_def__unpack(NULL, len, data);
	if (!g)
		return -1;
	*out_len = tensorflow__graph_def__get_packed_size(g);
	*out = malloc(*out_len ? *out_len : 1);
	if (*out)
		tensorflow__graph_def__pack(g, *out);
	tensorflow__graph_def__free_unpacked(g, NULL);
	return *out ? 0 : -1;
}

int bench_pbc_file(const char *in, const char *out, double *ms)
{
	double t0 = bench_now_ms();
	size_t len, out_len;
	uint8_t *data = bench_read_file(in, &len), *packed;
	if (!data)
		return -1;
	int rc = pbc_roundtrip(data, len, &packed, &out_len);
	free(data);
	if (rc == 0) {
		rc = bench_write_atomic(out, packed, out_len);
		free(packed);
	}
	*ms = bench_now_ms() - t0;
	return rc;
}

int bench_pbc_memory(const uint8_t *data, size_t len, double *ms)
{
	double t0 = bench_now_ms();
	size_t out_len;
	uint8_t *packed;
	int rc = pbc_roundtrip(data, len, &packed, &out_len);
	if (rc == 0)
		free(packed);
	*ms = bench_now_ms() - t0;
	return rc;
}

void bench_summary_as(const char *name, const char *value, const char *target,
		      const char *verdict)
{
	const char *path = getenv("HS_BENCH_SUMMARY");
	if (!path || !*path)
		return;
	FILE *f = fopen(path, "a");
	if (!f)
		return;
	fprintf(f, BENCH_SUMMARY_FORMAT, name, value, target, verdict);
	fclose(f);
}

void bench_summary(const char *name, const char *value, const char *target, int ok)
{
	bench_summary_as(name, value, target, ok ? "ok" : "MISSED");
}
