/* Helpers shared by the Check suites: building GraphDefs with protobuf-c
 * and reading files. */
#ifndef HS_TESTUTIL_H
#define HS_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

#include <check.h>

#include "run.h"

#include "graph.pb-c.h"
#include "hintstub/hintstub.h"

typedef struct tu_graph {
	Tensorflow__GraphDef def;
	size_t cap_node; /* def.node's room: tu_node alone appends to it */
} tu_graph;

tu_graph *tu_graph_new(void);
/* Adds a node; inputs is a NULL-terminated list. */
Tensorflow__NodeDef *tu_node(tu_graph *g, const char *name, const char *op, ...);
void tu_attr_i(Tensorflow__NodeDef *n, const char *key, int64_t v);
void tu_attr_s(Tensorflow__NodeDef *n, const char *key, const char *v);
/* count int attributes PREFIX00000, PREFIX00001, ... = 0, 1, ...: the
 * array grown once (one realloc an attribute is quadratic, and takes
 * 1.5 GB under ASan, whose realloc always moves, at 20,000). */
void tu_attrs_i(Tensorflow__NodeDef *n, const char *prefix, size_t count);
void tu_attr_type(Tensorflow__NodeDef *n, const char *key, int dtype);
void tu_attr_f(Tensorflow__NodeDef *n, const char *key, float v);
/* A TensorProto attribute: dtype, shape, then tensor_content (content
 * non-NULL) and/or float_val / int_val values. */
void tu_attr_tensor(Tensorflow__NodeDef *n, const char *key, int dtype,
		    const int64_t *dims, size_t rank, const void *content,
		    size_t content_len, const float *fvals, size_t n_f,
		    const int32_t *ivals, size_t n_i);
/* Marks n as an OpHint identity of call `uuid` of `function`. */
void tu_hint(Tensorflow__NodeDef *n, const char *function, const char *uuid,
	     int is_input, int64_t index, int64_t sort, const char *aggregate);
/* Serializes; caller frees the result. */
uint8_t *tu_graph_pack(const tu_graph *g, size_t *len);
/* Serializes and loads through libhintstub. */
hs_graph *tu_graph_load(const tu_graph *g);
void tu_graph_free(tu_graph *g);

uint8_t *tu_read_file(const char *path, size_t *len);
/* The same, NUL-terminated (for strstr); *len excludes the NUL. */
char *tu_read_text(const char *path, size_t *len);
int tu_write_file(const char *path, const void *data, size_t len);
/* A fresh empty directory under the build tree; caller frees. */
char *tu_tmpdir(void);
char *tu_path(const char *dir, const char *name);
int tu_file_exists(const char *path);
/* Number of entries in a directory other than . and .. */
int tu_dir_count(const char *dir);
/* Loads, writes to a buffer; returns the buffer. */
uint8_t *tu_roundtrip(const uint8_t *in, size_t len, size_t *out_len);


#endif
