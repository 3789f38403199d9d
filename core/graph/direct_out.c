/* Direct output: see direct_out.h. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "direct_out.h"

/* Three buffers: one being filled, one being written, one ready. */
#define N_BUFFERS 3

struct hs_direct_out {
	int fd;
	int direct;             /* O_DIRECT still set (the writer's) */
	size_t size;
	uint8_t *buffer[N_BUFFERS];
	size_t len[N_BUFFERS];
	unsigned producer;      /* the buffer being filled */
	pthread_mutex_t lock;
	pthread_cond_t changed;
	unsigned next;          /* the next buffer to write */
	unsigned queued;        /* buffers queued, the one being written too */
	int stop;
	int error;              /* errno of the first failure, sticky */
	pthread_t thread;
};

static int set_direct(int fd, int on)
{
#ifdef O_DIRECT
	int flags = fcntl(fd, F_GETFL);
	if (flags < 0)
		return -1;
	return fcntl(fd, F_SETFL, on ? flags | O_DIRECT : flags & ~O_DIRECT);
#else
	(void)fd;
	(void)on;
	errno = EINVAL;
	return -1;
#endif
}

/* 0 or errno.  EINVAL from a direct write (the file system took the flag
 * but not the write) clears the flag and writes on buffered. */
static int write_whole(hs_direct_out *d, const uint8_t *p, size_t len)
{
	while (len) {
		ssize_t w = write(d->fd, p, len);
		if (w < 0 && errno == EINVAL && d->direct && set_direct(d->fd, 0) == 0) {
			d->direct = 0;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static void *writer_main(void *arg)
{
	hs_direct_out *d = arg;
	pthread_mutex_lock(&d->lock);
	for (;;) {
		while (!d->queued && !d->stop)
			pthread_cond_wait(&d->changed, &d->lock);
		if (!d->queued)
			break;
		unsigned i = d->next;
		int failed = d->error;
		pthread_mutex_unlock(&d->lock);
		/* After a failure the rest is only taken off the queue. */
		int e = failed ? 0 : write_whole(d, d->buffer[i], d->len[i]);
		pthread_mutex_lock(&d->lock);
		if (e && !d->error)
			d->error = e;
		d->next = (i + 1) % N_BUFFERS;
		d->queued--;
		pthread_cond_broadcast(&d->changed);
	}
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

static void free_out(hs_direct_out *d)
{
	for (int i = 0; i < N_BUFFERS; i++)
		free(d->buffer[i]);
	free(d);
}

hs_direct_out *hs_direct_out_start(int fd, size_t buffer_size)
{
	hs_direct_out *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->fd = fd;
	d->size = buffer_size;
	for (int i = 0; i < N_BUFFERS; i++)
		if (posix_memalign((void **)&d->buffer[i], HS_DIRECT_ALIGN, buffer_size) != 0) {
			free_out(d);
			return NULL;
		}
	if (set_direct(fd, 1) != 0) {
		free_out(d);
		return NULL;
	}
	d->direct = 1;
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->changed, NULL);
	if (pthread_create(&d->thread, NULL, writer_main, d) != 0) {
		(void)set_direct(fd, 0);
		pthread_cond_destroy(&d->changed);
		pthread_mutex_destroy(&d->lock);
		free_out(d);
		return NULL;
	}
	return d;
}

uint8_t *hs_direct_out_buffer(hs_direct_out *d)
{
	pthread_mutex_lock(&d->lock);
	while (d->queued == N_BUFFERS)
		pthread_cond_wait(&d->changed, &d->lock);
	pthread_mutex_unlock(&d->lock);
	return d->buffer[d->producer];
}

int hs_direct_out_queue(hs_direct_out *d, size_t len)
{
	pthread_mutex_lock(&d->lock);
	d->len[d->producer] = len;
	d->queued++;
	d->producer = (d->producer + 1) % N_BUFFERS;
	int e = d->error;
	pthread_cond_broadcast(&d->changed);
	pthread_mutex_unlock(&d->lock);
	return e;
}

int hs_direct_out_finish(hs_direct_out *d)
{
	pthread_mutex_lock(&d->lock);
	d->stop = 1;
	pthread_cond_broadcast(&d->changed);
	pthread_mutex_unlock(&d->lock);
	pthread_join(d->thread, NULL);
	int e = d->error;
	if (d->direct && set_direct(d->fd, 0) != 0 && !e)
		e = errno;
	pthread_cond_destroy(&d->changed);
	pthread_mutex_destroy(&d->lock);
	free_out(d);
	return e;
}
