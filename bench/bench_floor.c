/* bench_floor: the floors of issue 15 -- a conversion against copying the
 * file, at several sizes, in one run.
 *
 *   bench_floor [-n REPS] [-b BIG_REPS] [-r REF_NODES] HINTSTUB GEN [NODES...]
 *
 * Per size (default 100,000, 940,000 and 4,000,000 nodes) GEN (hintstub-gen)
 * writes `mixed --nodes N --calls round(N * 60000 / 940000) --seed 1` into a
 * scratch directory under $TMPDIR (deleted after each size), and four
 * commands run in turn, REPS rounds (BIG_REPS from 2M nodes on), each run
 * its own child process:
 *  - the floor: `cp IN OUT && sync OUT` (a conversion reads the file once
 *    and writes it once, durably);
 *  - the conversion: `HINTSTUB --no-plugins IN OUT` (the mixed graph's calls
 *    are all CustomConv2D: no lstm or rnn call for those plugins to claim);
 *  - `HINTSTUB --no-plugins --dry-run IN OUT` and
 *    `HINTSTUB inspect --no-plugins IN` (its text to /dev/null).
 * Taking turns round by round spreads the machine's other load over all
 * four.  Wall time is the median over the rounds, CPU time (user + system,
 * from wait4) is printed beside it.  Memory: ru_maxrss of the child (its
 * peak resident set, which counts the mapped input's pages), and the peak
 * of RssAnon (the private part) and RssFile sampled from /proc/PID/status
 * about every millisecond; the highest over the rounds.  A size is skipped,
 * saying why, when the scratch file system or the memory is short for it.
 *
 * Summary lines: conversion / floor and peak RSS / file at REF_NODES
 * (940,000), private peak / file (info), inspect / dry-run (with, for
 * information, their CPU times and the ratio round by round: its median
 * and range), and the time and memory a node at the largest size against
 * the smallest. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"

/* The graph: 60,000 calls in 940,000 nodes, ~215 bytes a node. */
#define CALLS_PER_MILLION_NODES_NUM 60000
#define CALLS_PER_MILLION_NODES_DEN 940000
#define BYTES_A_NODE_ESTIMATE 216
#define BIG_NODES 2000000
#define MAX_REPS 64
#define MAX_SIZES 8

enum { CMD_FLOOR, CMD_CONVERT, CMD_DRY_RUN, CMD_INSPECT, N_CMDS };
static const char *const cmd_names[N_CMDS] = { "cp + sync", "convert", "dry-run",
					       "inspect" };

/* One run of one command. */
typedef struct run_figures {
	double wall_ms, cpu_ms;
	long maxrss_kb, anon_kb, file_kb;
} run_figures;

/* A command over the rounds: medians of the times, highest peaks. */
typedef struct cmd_figures {
	double wall_ms, cpu_ms;
	long maxrss_kb, anon_kb, file_kb;
} cmd_figures;

typedef struct size_figures {
	long nodes, calls;
	uint64_t bytes;
	int measured;
	char skipped[PATH_MAX + 96];
	cmd_figures cmd[N_CMDS];
	/* inspect / dry-run round by round (the two run back to back): the
	 * median and the spread, which says how far apart two medians can
	 * be by the machine's noise alone. */
	double paired_median, paired_min, paired_max;
} size_figures;

/* The scratch paths, for the signal handler too. */
static char scratch_dir[PATH_MAX];
static char path_in[PATH_MAX], path_floor[PATH_MAX], path_conv[PATH_MAX],
	path_dry[PATH_MAX], path_log[PATH_MAX];

static void remove_scratch_files(void)
{
	unlink(path_in);
	unlink(path_floor);
	unlink(path_conv);
	unlink(path_dry);
	unlink(path_log);
}

static void remove_scratch(void)
{
	remove_scratch_files();
	if (scratch_dir[0])
		rmdir(scratch_dir);
}

static void on_signal(int sig)
{
	remove_scratch(); /* unlink and rmdir only: async-signal-safe */
	signal(sig, SIG_DFL);
	raise(sig);
}

static int scratch_path(char out[PATH_MAX], const char *name)
{
	int n = snprintf(out, PATH_MAX, "%s/%s", scratch_dir, name);
	return n < 0 || n >= PATH_MAX ? -1 : 0;
}

static int make_scratch(void)
{
	const char *tmp = getenv("TMPDIR");
	int n = snprintf(scratch_dir, sizeof scratch_dir, "%s/hintstub-bench-floor.XXXXXX",
			 tmp && *tmp ? tmp : "/tmp");
	if (n < 0 || n >= (int)sizeof scratch_dir - 32) {
		fprintf(stderr, "bench_floor: TMPDIR is too long a path\n");
		scratch_dir[0] = 0;
		return -1;
	}
	if (!mkdtemp(scratch_dir)) {
		fprintf(stderr, "bench_floor: cannot create %s: %s\n", scratch_dir,
			strerror(errno));
		scratch_dir[0] = 0;
		return -1;
	}
	if (scratch_path(path_in, "in.pb") || scratch_path(path_floor, "floor.pb") ||
	    scratch_path(path_conv, "convert.pb") || scratch_path(path_dry, "dry-run.pb") ||
	    scratch_path(path_log, "stderr.log")) {
		fprintf(stderr, "bench_floor: %s: path too long\n", scratch_dir);
		rmdir(scratch_dir);
		scratch_dir[0] = 0;
		return -1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	return 0;
}

/* ------------------------------------------------------------ sampling */

/* A descriptor that becomes readable when the child exits (Linux 5.3),
 * so the end of a run is seen at once instead of at the next sample;
 * -1 where there is none: then the parent sleeps between samples. */
static int open_exit_fd(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	return -1;
#endif
}

static long status_kb(const char *status, const char *key)
{
	const char *p = strstr(status, key);
	return p ? strtol(p + strlen(key), NULL, 10) : 0;
}

/* Reads RssAnon and RssFile of the child, keeping the highest. */
static void sample_memory(int status_fd, run_figures *r)
{
	char buf[4096];
	if (status_fd < 0)
		return;
	ssize_t n = pread(status_fd, buf, sizeof buf - 1, 0);
	if (n <= 0)
		return;
	buf[n] = 0;
	long anon = status_kb(buf, "RssAnon:"), file = status_kb(buf, "RssFile:");
	if (anon > r->anon_kb)
		r->anon_kb = anon;
	if (file > r->file_kb)
		r->file_kb = file;
}

static void exec_child(char *const argv[], int to_dev_null)
{
	int log = open(path_log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (log >= 0)
		dup2(log, STDERR_FILENO);
	if (to_dev_null) {
		int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (null >= 0)
			dup2(null, STDOUT_FILENO);
	}
	execvp(argv[0], argv);
	fprintf(stderr, "bench_floor: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Runs argv to its end, sampling its memory about every millisecond.
 * Returns 0 when it exited with status 0. */
static int run_sampled(run_figures *r, char *const argv[], int to_dev_null)
{
	memset(r, 0, sizeof *r);
	fflush(NULL);
	double t0 = bench_now_ms();
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		exec_child(argv, to_dev_null);
	char status_path[64];
	snprintf(status_path, sizeof status_path, "/proc/%ld/status", (long)pid);
	int status_fd = open(status_path, O_RDONLY | O_CLOEXEC);
	int exit_fd = open_exit_fd(pid);
	int status = 0;
	struct rusage ru;
	for (;;) {
		pid_t w = wait4(pid, &status, WNOHANG, &ru);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			return -1;
		sample_memory(status_fd, r);
		if (exit_fd >= 0) {
			struct pollfd p = { exit_fd, POLLIN, 0 };
			poll(&p, 1, 1);
		} else {
			struct timespec pause = { 0, 1000 * 1000 };
			nanosleep(&pause, NULL);
		}
	}
	r->wall_ms = bench_now_ms() - t0;
	if (status_fd >= 0)
		close(status_fd);
	if (exit_fd >= 0)
		close(exit_fd);
	r->cpu_ms = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
		    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	r->maxrss_kb = ru.ru_maxrss;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* ------------------------------------------------------------- a size */

static uint64_t free_bytes(const char *dir)
{
	struct statvfs vfs;
	if (statvfs(dir, &vfs) != 0)
		return 0;
	return (uint64_t)vfs.f_bavail * vfs.f_frsize;
}

static uint64_t available_memory(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	uint64_t kb = 0;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "MemAvailable: %" SCNu64, &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb * 1024;
}

/* Room for the input and two outputs with some to spare (3 GB at 4M
 * nodes), and memory for today's 2.8x the file with as much to spare. */
static int room_for(size_figures *s)
{
	uint64_t est = (uint64_t)s->nodes * BYTES_A_NODE_ESTIMATE;
	uint64_t disk = free_bytes(scratch_dir), mem = available_memory();
	if (disk < est / 2 * 7) {
		snprintf(s->skipped, sizeof s->skipped,
			 "needs ~%.1f GB free in %s, has %.1f GB", est * 3.5 / 1e9,
			 scratch_dir, disk / 1e9);
		return 0;
	}
	if (mem && mem < est * 4) {
		snprintf(s->skipped, sizeof s->skipped,
			 "needs ~%.1f GB of available memory, has %.1f GB", est * 4 / 1e9,
			 mem / 1e9);
		return 0;
	}
	return 1;
}

static int generate(size_figures *s, const char *gen)
{
	char nodes[32], calls[32];
	snprintf(nodes, sizeof nodes, "%ld", s->nodes);
	snprintf(calls, sizeof calls, "%ld", s->calls);
	char *argv[] = { (char *)gen, "mixed", "--nodes", nodes, "--calls", calls,
			 "--seed", "1", "-q", "-o", path_in, NULL };
	run_figures r;
	if (run_sampled(&r, argv, 0) != 0) {
		fprintf(stderr, "bench_floor: %s mixed --nodes %s failed\n", gen, nodes);
		return -1;
	}
	s->bytes = bench_file_size(path_in);
	return s->bytes ? 0 : -1;
}

static int run_command(int cmd, const char *hs, run_figures *r)
{
	char *floor_argv[] = { "sh", "-c", "cp -- \"$1\" \"$2\" && sync -- \"$2\"", "sh",
			       path_in, path_floor, NULL };
	char *convert_argv[] = { (char *)hs, "--no-plugins", path_in, path_conv, NULL };
	char *dry_argv[] = { (char *)hs, "--no-plugins", "--dry-run", path_in, path_dry,
			     NULL };
	char *inspect_argv[] = { (char *)hs, "inspect", "--no-plugins", path_in, NULL };
	char *const *argv[N_CMDS] = { floor_argv, convert_argv, dry_argv, inspect_argv };
	/* Every run creates its output afresh. */
	unlink(path_floor);
	unlink(path_conv);
	unlink(path_dry);
	if (run_sampled(r, argv[cmd], cmd == CMD_INSPECT) != 0) {
		fprintf(stderr, "bench_floor: %s failed (its messages: %s)\n",
			cmd_names[cmd], path_log);
		return -1;
	}
	/* A conversion that replaced nothing would time a copy: every call
	 * becomes a stub of fewer bytes than its region. */
	uint64_t out_size = cmd == CMD_CONVERT ? bench_file_size(path_conv) : 0;
	if (cmd == CMD_CONVERT && (out_size == 0 || out_size == bench_file_size(path_in))) {
		fprintf(stderr, "bench_floor: the conversion wrote %s\n",
			out_size ? "its input unchanged" : "no output");
		return -1;
	}
	return 0;
}

static void summarise(cmd_figures *c, run_figures *runs, int reps)
{
	double wall[MAX_REPS], cpu[MAX_REPS];
	memset(c, 0, sizeof *c);
	for (int i = 0; i < reps; i++) {
		wall[i] = runs[i].wall_ms;
		cpu[i] = runs[i].cpu_ms;
		if (runs[i].maxrss_kb > c->maxrss_kb)
			c->maxrss_kb = runs[i].maxrss_kb;
		if (runs[i].anon_kb > c->anon_kb)
			c->anon_kb = runs[i].anon_kb;
		if (runs[i].file_kb > c->file_kb)
			c->file_kb = runs[i].file_kb;
	}
	c->wall_ms = bench_median(wall, (size_t)reps);
	c->cpu_ms = bench_median(cpu, (size_t)reps);
}

static void summarise_pairs(size_figures *s, run_figures *inspect, run_figures *dry, int reps)
{
	double v[MAX_REPS];
	for (int i = 0; i < reps; i++)
		v[i] = inspect[i].wall_ms / dry[i].wall_ms;
	s->paired_min = s->paired_max = v[0];
	for (int i = 1; i < reps; i++) {
		s->paired_min = v[i] < s->paired_min ? v[i] : s->paired_min;
		s->paired_max = v[i] > s->paired_max ? v[i] : s->paired_max;
	}
	s->paired_median = bench_median(v, (size_t)reps);
}

static void print_size(const size_figures *s, int reps)
{
	double mib = (double)s->bytes / (1 << 20);
	const cmd_figures *floor = &s->cmd[CMD_FLOOR];
	printf("floor: %ld nodes, %ld calls, %" PRIu64 " bytes (%.1f MiB); medians of %d\n",
	       s->nodes, s->calls, s->bytes, mib, reps);
	for (int k = 0; k < N_CMDS; k++) {
		const cmd_figures *c = &s->cmd[k];
		printf("  %-10s %8.1f ms (%5.2fx floor) cpu %8.1f ms  %5.2f us/node"
		       "  peak %6.1f MiB (%4.2fx file, %5.0f B/node)"
		       "  private %6.1f MiB (%4.2fx)  file pages %6.1f MiB\n",
		       cmd_names[k], c->wall_ms, c->wall_ms / floor->wall_ms, c->cpu_ms,
		       c->wall_ms * 1e3 / (double)s->nodes, c->maxrss_kb / 1024.0,
		       c->maxrss_kb / 1024.0 / mib, c->maxrss_kb * 1024.0 / (double)s->nodes,
		       c->anon_kb / 1024.0, c->anon_kb / 1024.0 / mib, c->file_kb / 1024.0);
	}
	fflush(stdout);
}

static int measure_size(size_figures *s, const char *hs, const char *gen, int reps)
{
	static run_figures runs[N_CMDS][MAX_REPS];
	if (!room_for(s)) {
		printf("floor: %ld nodes: skipped (%s)\n", s->nodes, s->skipped);
		return 0;
	}
	int rc = generate(s, gen);
	for (int i = 0; rc == 0 && i < reps; i++)
		for (int k = 0; rc == 0 && k < N_CMDS; k++)
			rc = run_command(k, hs, &runs[k][i]);
	if (rc == 0) {
		for (int k = 0; k < N_CMDS; k++)
			summarise(&s->cmd[k], runs[k], reps);
		summarise_pairs(s, runs[CMD_INSPECT], runs[CMD_DRY_RUN], reps);
		s->measured = 1;
		print_size(s, reps);
	}
	remove_scratch_files();
	return rc;
}

/* ------------------------------------------------------------ summary */

/* A summary line, on standard output too (for `make bench-floor` alone). */
static void summary_line(const char *name, const char *value, const char *target,
			 const char *verdict)
{
	printf(BENCH_SUMMARY_FORMAT, name, value, target, verdict);
	bench_summary_as(name, value, target, verdict);
}

static void summary_skipped(const char *name, const char *target, const char *why)
{
	summary_line(name, why, target, "skipped");
}

static void summary_ratio(const char *name, double value, const char *unit,
			  const char *target, double limit)
{
	char v[64];
	/* A third decimal where two would show the limit itself: "1.00
	 * MISSED" reads as a contradiction. */
	int digits = limit > 0 && (long)(value * 100 + 0.5) == (long)(limit * 100 + 0.5) ? 3 : 2;
	snprintf(v, sizeof v, "%.*f%s", digits, value, unit);
	summary_line(name, v, target, limit <= 0 || value <= limit ? "ok" : "MISSED");
}

static const size_figures *find_size(const size_figures *sizes, int n, long nodes)
{
	for (int i = 0; i < n; i++)
		if (sizes[i].nodes == nodes)
			return &sizes[i];
	return NULL;
}

static void summary_at(const size_figures *s, long ref_nodes)
{
	char name[6][96];
	snprintf(name[0], sizeof name[0], "floor: convert / cp+sync, %ldk nodes", ref_nodes / 1000);
	snprintf(name[1], sizeof name[1], "floor: convert peak RSS / file, %ldk", ref_nodes / 1000);
	snprintf(name[2], sizeof name[2], "floor: convert private peak / file, %ldk",
		 ref_nodes / 1000);
	snprintf(name[3], sizeof name[3], "floor: inspect / dry-run, %ldk", ref_nodes / 1000);
	snprintf(name[4], sizeof name[4], "floor: same two, CPU time, %ldk", ref_nodes / 1000);
	snprintf(name[5], sizeof name[5], "floor: same two, round by round, %ldk",
		 ref_nodes / 1000);
	if (!s || !s->measured) {
		const char *why = s ? "skipped (see above)" : "not measured";
		summary_skipped(name[0], "<= 4x", why);
		summary_skipped(name[1], "<= 1.5x", why);
		summary_skipped(name[2], "(info)", why);
		summary_skipped(name[3], "<= 1.00", why);
		summary_skipped(name[4], "(info)", why);
		summary_skipped(name[5], "(info)", why);
		return;
	}
	double mib = (double)s->bytes / (1 << 20);
	const cmd_figures *conv = &s->cmd[CMD_CONVERT];
	summary_ratio(name[0], conv->wall_ms / s->cmd[CMD_FLOOR].wall_ms, "x", "<= 4x", 4.0);
	summary_ratio(name[1], conv->maxrss_kb / 1024.0 / mib, "x", "<= 1.5x", 1.5);
	summary_ratio(name[2], conv->anon_kb / 1024.0 / mib, "x", "(info)", 0);
	summary_ratio(name[3], s->cmd[CMD_INSPECT].wall_ms / s->cmd[CMD_DRY_RUN].wall_ms, "",
		      "<= 1.00", 1.0);
	/* Under other load wall time swells; CPU time (the floor's is mostly
	 * the kernel's copy) tells whether the ratios moved by our work. */
	char v[96];
	snprintf(v, sizeof v, "%.2fx, %.2f", conv->cpu_ms / s->cmd[CMD_FLOOR].cpu_ms,
		 s->cmd[CMD_INSPECT].cpu_ms / s->cmd[CMD_DRY_RUN].cpu_ms);
	summary_line(name[4], v, "(info)", "ok");
	snprintf(v, sizeof v, "median %.3f, %.3f-%.3f", s->paired_median, s->paired_min,
		 s->paired_max);
	summary_line(name[5], v, "(info)", "ok");
}

/* The largest measured size against the smallest. */
static void summary_growth(const size_figures *sizes, int n)
{
	const size_figures *small = NULL, *big = NULL;
	for (int i = 0; i < n; i++) {
		if (!sizes[i].measured)
			continue;
		if (!small || sizes[i].nodes < small->nodes)
			small = &sizes[i];
		if (!big || sizes[i].nodes > big->nodes)
			big = &sizes[i];
	}
	char name[2][96];
	if (!small || small == big) {
		summary_skipped("floor: convert time a node, big / small", "<= 1.20",
				"one size only");
		summary_skipped("floor: convert peak a node, big / small", "<= 1.20",
				"one size only");
		return;
	}
	snprintf(name[0], sizeof name[0], "floor: convert time a node, %ldk / %ldk",
		 big->nodes / 1000, small->nodes / 1000);
	snprintf(name[1], sizeof name[1], "floor: convert peak a node, %ldk / %ldk",
		 big->nodes / 1000, small->nodes / 1000);
	double t_small = small->cmd[CMD_CONVERT].wall_ms / (double)small->nodes;
	double t_big = big->cmd[CMD_CONVERT].wall_ms / (double)big->nodes;
	double m_small = (double)small->cmd[CMD_CONVERT].maxrss_kb / (double)small->nodes;
	double m_big = (double)big->cmd[CMD_CONVERT].maxrss_kb / (double)big->nodes;
	summary_ratio(name[0], t_big / t_small, "", "<= 1.20", 1.2);
	summary_ratio(name[1], m_big / m_small, "", "<= 1.20", 1.2);
	for (int i = 0; i < n; i++)
		if (!sizes[i].measured && sizes[i].skipped[0])
			printf("floor: growth measured without %ld nodes (%s)\n",
			       sizes[i].nodes, sizes[i].skipped);
}

/* --------------------------------------------------------------- main */

static void usage(void)
{
	fprintf(stderr, "usage: bench_floor [-n REPS] [-b BIG_REPS] [-r REF_NODES] "
			"HINTSTUB GEN [NODES...]\n");
}

static int parse_count(const char *s, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	long reps = 5, big_reps = 3, ref_nodes = 940000;
	int opt;
	while ((opt = getopt(argc, argv, "n:b:r:")) != -1) {
		long *dst = opt == 'n' ? &reps : opt == 'b' ? &big_reps
				    : opt == 'r' ? &ref_nodes : NULL;
		long hi = opt == 'r' ? 100000000 : MAX_REPS;
		if (!dst || parse_count(optarg, 1, hi, dst) != 0) {
			usage();
			return 2;
		}
	}
	if (argc - optind < 2) {
		usage();
		return 2;
	}
	const char *hs = argv[optind], *gen = argv[optind + 1];
	static const long default_sizes[] = { 100000, 940000, 4000000 };
	size_figures sizes[MAX_SIZES];
	int n = 0;
	memset(sizes, 0, sizeof sizes);
	for (int i = optind + 2; i < argc; i++) {
		if (n == MAX_SIZES || parse_count(argv[i], 1000, 100000000, &sizes[n].nodes)) {
			usage();
			return 2;
		}
		n++;
	}
	if (n == 0)
		for (; n < 3; n++)
			sizes[n].nodes = default_sizes[n];
	if (make_scratch() != 0)
		return 1;
	int rc = 0;
	for (int i = 0; rc == 0 && i < n; i++) {
		size_figures *s = &sizes[i];
		s->calls = (s->nodes * CALLS_PER_MILLION_NODES_NUM +
			    CALLS_PER_MILLION_NODES_DEN / 2) / CALLS_PER_MILLION_NODES_DEN;
		if (s->calls < 1)
			s->calls = 1;
		rc = measure_size(s, hs, gen, s->nodes >= BIG_NODES ? (int)big_reps
								    : (int)reps);
	}
	remove_scratch();
	if (rc != 0)
		return 1;
	summary_at(find_size(sizes, n, ref_nodes), ref_nodes);
	summary_growth(sizes, n);
	return 0;
}
