/* Adversarial graph shapes of issue 13, generated in memory with
 * protobuf-c: the benchmark (bench_hostile) times them from 10k to 1M
 * nodes, the regression tests (tests/apply/check_hostile.c) convert
 * them at a size that was quadratic before. */
#ifndef HS_HOSTILE_SHAPES_H
#define HS_HOSTILE_SHAPES_H

#include <stddef.h>
#include <stdint.h>

typedef enum hostile_shape {
	/* One AddN reading one interior node n times. */
	HOSTILE_ADDN_FANIN,
	/* n parallel interior nodes reading one input identity, summed by
	 * one AddN. */
	HOSTILE_WIDE_FANOUT,
	/* n/2 stacked input hints into one Pack read by n/2 nodes. */
	HOSTILE_STACKED_PACK,
	/* One call around n/3 inner calls (every inner one overlaps it). */
	HOSTILE_NESTED_CALLS,
	HOSTILE_SHAPE_COUNT
} hostile_shape;

const char *hostile_shape_name(hostile_shape s);

/* A serialized GraphDef of about n nodes of shape s (malloc'd, *len its
 * size); NULL when out of memory. */
uint8_t *hostile_graph(hostile_shape s, size_t n, size_t *len);

/* n tiny nodes ("n<i>", op "C"), each reading the `inputs` nodes before
 * it: the memory per node and per input against the file size. */
uint8_t *hostile_tiny_graph(size_t n, unsigned inputs, size_t *len);

#endif
