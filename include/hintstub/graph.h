/*
 * The graph half of libhintstub's public API: errors, strings, loading,
 * reading, editing, verifying and writing a GraphDef.  Include
 * <hintstub/hintstub.h>, which includes every public header.
 *
 * Conventions: see <hintstub/hintstub.h>.
 */
#ifndef HINTSTUB_GRAPH_H
#define HINTSTUB_GRAPH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && __GNUC__ >= 4
#define HS_EXTERN __attribute__((visibility("default")))
#else
#define HS_EXTERN
#endif

#define HS_VERSION_MAJOR 0
#define HS_VERSION_MINOR 1
#define HS_VERSION_PATCH 0
#define HS_VERSION "0.1.0"

/** Returns the library's version string (may differ from HS_VERSION when
 * a program runs against a newer shared library). */
HS_EXTERN const char *hs_version(void);

/* ---------------------------------------------------------------- errors */

typedef enum hs_error_code {
	HS_OK = 0,
	HS_ERROR = -1,    /* generic failure */
	HS_ENOMEM = -2,   /* out of memory */
	HS_EIO = -3,      /* reading or writing a file failed */
	HS_EPARSE = -4,   /* input is not a well-formed GraphDef */
	HS_EGRAPH = -5,   /* graph is malformed (duplicate name, dangling input, cycle) */
	HS_EHINT = -6,    /* OpHint attributes are inconsistent */
	HS_ERULES = -7,   /* rule file error */
	HS_EPLUGIN = -8,  /* plugin could not be loaded or failed */
	HS_EVERIFY = -9,  /* converted graph failed verification */
	HS_ELIMIT = -10,  /* a configured resource limit was exceeded */
	HS_EINVAL = -11,  /* invalid argument from the caller */
	HS_ENOTFOUND = -12,
	HS_EEXISTS = -13
} hs_error_code;

/** Message of the last failure on this thread; never NULL ("" when none).
 * Borrowed: valid until the next failing call on this thread. */
HS_EXTERN const char *hs_error_last(void);
/** Code of the last failure on this thread (HS_OK when none). */
HS_EXTERN int hs_error_last_code(void);
HS_EXTERN void hs_error_clear(void);
/** Short fixed name of an error code ("parse error", ...). Static storage. */
HS_EXTERN const char *hs_error_name(int code);

/** Frees memory the library handed to the caller (write buffers, strings). */
HS_EXTERN void hs_free(void *ptr);

/* --------------------------------------------------------------- strings */

/** A byte string that is not NUL-terminated, usually a view into the
 * graph's own bytes.  Borrowed from the object it came from. */
typedef struct hs_str {
	const char *ptr;
	size_t len;
} hs_str;

/** Writes the len bytes at s into out (cap bytes, NUL-terminated) as one
 * printable line: `\n` `\r` `\t` as these C escapes; every other control
 * byte (below 0x20, 0x7f), every byte of a C1 control (U+0080..U+009F,
 * such as the 8-bit CSI) and every byte that is not part of well-formed
 * UTF-8 as `\xHH` (lowercase hex).  Printable ASCII and well-formed UTF-8
 * are copied; a backslash stays a backslash, so that escaping an escaped
 * text changes nothing (messages quote messages).  Every message the
 * library sets is already in this form; programs printing names, uuids or
 * descriptions from a graph or a plugin use it for theirs.  Returns how
 * many bytes of s were written: all of them unless out filled up (an
 * escape or a character is never cut; cap >= 5 always makes progress). */
HS_EXTERN size_t hs_escape(char *out, size_t cap, const char *s, size_t len);

/** True when s holds exactly the NUL-terminated text. */
HS_EXTERN int hs_str_eq(hs_str s, const char *text);

/* ----------------------------------------------------------------- graph */

typedef struct hs_graph hs_graph;
typedef struct hs_node hs_node;

#define HS_LOAD_OPTIONS_VERSION 1
/** Limits applied while loading.  0 in a field means the default. */
typedef struct hs_load_options {
	unsigned int version;     /* HS_LOAD_OPTIONS_VERSION */
	uint64_t max_file_size;   /* bytes; default 8 GiB, or a quarter of the
				     physical memory when less (files) */
	uint64_t max_nodes;       /* default 50,000,000 */
	uint32_t max_depth;       /* protobuf nesting checked in attrs (and of
				     messages in text format); default 64,
				     values above 1024 count as 1024 */
	uint32_t format;          /* hs_graph_format; default HS_FORMAT_AUTO */
	uint32_t flags;           /* HS_LOAD_* bits; default 0 */
	uint32_t reserved[6];
} hs_load_options;
#define HS_LOAD_OPTIONS_INIT { HS_LOAD_OPTIONS_VERSION, 0, 0, 0, 0, 0, { 0 } }

/** hs_load_options.flags: hs_graph_load_file maps a regular binary file
 * read-only (mmap, MAP_PRIVATE) instead of reading a copy of it into
 * memory; nodes are views into the mapping until hs_graph_free.  The file
 * must then not shrink while the graph lives: reading a page past a new
 * end of file raises SIGBUS (the hintstub program turns it into an
 * error naming the input).  Standard input, pipes, devices and text
 * files are read as without the flag. */
#define HS_LOAD_MAP 0x1u

/** hs_load_options.flags: a second thread indexes the node names and binds
 * the inputs of the nodes already parsed while the parse goes on (binary
 * GraphDefs of a megabyte and more; the graph, and any error, is the same
 * as without it).  Without the flag the library starts no thread. */
#define HS_LOAD_PARALLEL 0x2u

/** How a GraphDef is encoded: protobuf's binary wire format, or its text
 * format as tf.io.write_graph(as_text=True) writes it (.pbtxt). */
typedef enum hs_graph_format {
	HS_FORMAT_AUTO = 0,   /* loading: decided from the content */
	HS_FORMAT_BINARY = 1,
	HS_FORMAT_TEXT = 2
} hs_graph_format;
/** The function form of HS_LOAD_OPTIONS_INIT, for bindings that cannot use
 * the macro: every field its default, `version` set.  Pass
 * HS_LOAD_OPTIONS_VERSION; HS_EINVAL for a version this library does not
 * know. */
HS_EXTERN int hs_load_options_init(hs_load_options *opts, unsigned int version);

/** Reads a frozen GraphDef from a file ("-" reads standard input) and
 * indexes it.  The file is read once and never modified.  Binary or text
 * format is told from the content (opts->format can force one): text
 * starts, after blanks and '#' comments, with a field name followed by
 * ':' or '{'; a binary GraphDef with a tag byte such as 0x0a.  Text is
 * parsed against hintstub's schema into the bytes the binary GraphDef of
 * the same message has, and loaded from those.  Errors name the file and
 * the byte offset or node at fault, for text "FILE:LINE:COL: message".  opts may be NULL; an
 * opts->version this library does not know is HS_EINVAL (nothing read). */
HS_EXTERN int hs_graph_load_file(hs_graph **out, const char *path,
				 const hs_load_options *opts);
/** Same from memory; the bytes are copied, the caller keeps `data`.
 * `label` names the source in error messages (may be NULL). */
HS_EXTERN int hs_graph_load_buffer(hs_graph **out, const void *data,
				   size_t size, const char *label,
				   const hs_load_options *opts);
/** Writes the graph atomically: a temporary file in the target's
 * directory, fsync, rename.  "-" writes standard output.  On failure the
 * previous file at `path` is left as it was and no temporary remains. */
HS_EXTERN int hs_graph_write_file(const hs_graph *g, const char *path);
/** Writes `len` bytes to `path` exactly as hs_graph_write_file writes a
 * graph (atomic replacement, special files written to, "-" is standard
 * output): for reports and other outputs that sit next to a graph. */
HS_EXTERN int hs_write_file_atomic(const char *path, const void *bytes, size_t len);
/** Serializes into a new buffer, owned by the caller (free with hs_free). */
HS_EXTERN int hs_graph_write_buffer(void **out, size_t *out_size,
				    const hs_graph *g);
/** Writes the graph in protobuf's text format, as TensorFlow writes
 * .pbtxt files (fields in field-number order, map entries sorted by key,
 * bytes with C escapes), atomically like hs_graph_write_file.  Fields that
 * hintstub's schema does not name cannot be written as text: HS_EPARSE,
 * nothing written. */
HS_EXTERN int hs_graph_write_text_file(const hs_graph *g, const char *path);
/** Same into a new NUL-terminated buffer owned by the caller (free with
 * hs_free); *out_size excludes the NUL. */
HS_EXTERN int hs_graph_write_text_buffer(char **out, size_t *out_size,
					 const hs_graph *g);
/** Size in bytes hs_graph_write_buffer would produce. */
HS_EXTERN size_t hs_graph_serialized_size(const hs_graph *g);
HS_EXTERN void hs_graph_free(hs_graph *g);

/** Name the graph's source was loaded under (file path or label). */
HS_EXTERN const char *hs_graph_source(const hs_graph *g);
/** Number of live (not removed) nodes. */
HS_EXTERN size_t hs_graph_node_count(const hs_graph *g);
/** Iteration over live nodes in output order: first call with NULL. */
HS_EXTERN hs_node *hs_graph_next_node(const hs_graph *g, const hs_node *prev);
/** Looks a node up by name (len bytes, need not be NUL-terminated). */
HS_EXTERN hs_node *hs_graph_find_node(const hs_graph *g, const char *name,
				      size_t len);
/** True when the graph has a function library (level-2 hints live there). */
HS_EXTERN int hs_graph_has_library(const hs_graph *g);

/* ------------------------------------------------------------------ nodes */

/* Nodes, and the hs_str views of their names, ops, devices and inputs,
 * are borrowed from their graph: valid until hs_graph_free, also after
 * the node is removed. */

HS_EXTERN hs_str hs_node_name(const hs_node *n);
HS_EXTERN hs_str hs_node_op(const hs_node *n);
HS_EXTERN hs_str hs_node_device(const hs_node *n);
HS_EXTERN size_t hs_node_input_count(const hs_node *n);
/** Input i as written ("x", "x:2", "^x"). */
HS_EXTERN hs_str hs_node_input(const hs_node *n, size_t i);
/** Producer of input i (NULL when it names no node); *port gets the output
 * port, or -1 for a control input.  port may be NULL. */
HS_EXTERN hs_node *hs_node_input_node(const hs_node *n, size_t i, int *port);
/** Nodes that read this node (data or control), each listed once per
 * input that reads it. */
HS_EXTERN size_t hs_node_consumer_count(const hs_node *n);
HS_EXTERN hs_node *hs_node_consumer(const hs_node *n, size_t i);

/** Parses an input string of a GraphDef node as TensorFlow does
 * (ParseTensorName): decimal digits at the end after a ':' that is not
 * the first byte are the port, the text before that ':' the name;
 * otherwise "^x" is a control input of x (port -1); otherwise the whole
 * text is the name, port 0.  So "a:-1", "a:0x1", "a:+1", "a: 1" and
 * "a:" are names (naming no node but one so named), "a:1:2" is port 2
 * of "a:1" and FunctionDef syntax met in a GraphDef ("x:out:1") port 1
 * of "x:out" (parse FunctionDef bodies with hs_parse_function_input).
 * Returns HS_EINVAL, saying why, for an empty name, a port past 2^31-1
 * and "^x:1" (no control input has a port).  name_out and port_out may
 * be NULL. */
HS_EXTERN int hs_parse_input(hs_str *name_out, int *port_out, hs_str input);
/** Parses an input string of a FunctionDef body node: "node:out_arg:index",
 * "node:out_arg" (index 0), a bare name "x" (a function argument, or a
 * node: *node = x, *out_arg empty, index 0) or "^node" (control: index
 * -1, out_arg empty).  Returns HS_EINVAL for any other form (empty parts,
 * a non-numeric index, more than three parts, "^x:y").  Any out-parameter
 * may be NULL. */
HS_EXTERN int hs_parse_function_input(hs_str *node, hs_str *out_arg,
				      int *index, hs_str input);

/* ------------------------------------------------------------ attributes */

typedef enum hs_attr_kind {
	HS_ATTR_NONE = 0, /* present, but no value set (TF V1 writes these) */
	HS_ATTR_LIST = 1,
	HS_ATTR_S = 2,
	HS_ATTR_I = 3,
	HS_ATTR_F = 4,
	HS_ATTR_B = 5,
	HS_ATTR_TYPE = 6,
	HS_ATTR_SHAPE = 7,
	HS_ATTR_TENSOR = 8,
	HS_ATTR_PLACEHOLDER = 9,
	HS_ATTR_FUNC = 10
} hs_attr_kind;

/** A decoded attribute value.  `raw` is the encoded AttrValue (borrowed),
 * which can be copied onto another node as it is. */
typedef struct hs_attr {
	hs_attr_kind kind;
	hs_str raw;
	union {
		hs_str s;       /* S, PLACEHOLDER; FUNC: the function name */
		int64_t i;      /* I */
		float f;        /* F */
		int b;          /* B */
		int type;       /* TYPE: a DataType value */
		hs_str message; /* LIST, SHAPE, TENSOR: encoded sub-message */
	} v;
} hs_attr;

/** Finds attribute `key` of a node.  Returns 0 and fills *out, HS_ENOTFOUND
 * when absent, HS_EPARSE when its value is malformed.  The views in *out
 * are borrowed from the node: valid until that attribute is set again or
 * removed, or the graph is freed. */
HS_EXTERN int hs_node_attr(hs_attr *out, const hs_node *n, const char *key);
/** Number of attributes and the key of attribute i (in stored order).
 * Each call walks the node's attributes from the first (about i steps), so
 * visiting every key by index is quadratic in their number: to look for
 * given keys, call hs_node_attr for each. */
HS_EXTERN size_t hs_node_attr_count(const hs_node *n);
HS_EXTERN hs_str hs_node_attr_key(const hs_node *n, size_t i);
/** Reads a list attribute's integers (list.i) or types (list.type) into
 * out[0..cap); *count gets the total number stored (may exceed cap). */
HS_EXTERN int hs_attr_list_ints(int64_t *out, size_t cap, size_t *count,
				const hs_attr *a);
HS_EXTERN int hs_attr_list_types(int *out, size_t cap, size_t *count,
				 const hs_attr *a);
/** Reads list.s entry i of a list attribute. */
HS_EXTERN int hs_attr_list_string(hs_str *out, const hs_attr *a, size_t i);

/* ---------------------------------------------------------------- tensors */

/** Name of a TensorFlow DataType: "DT_FLOAT", "DT_INT32_REF", or
 * "DataType 77" for a value TensorFlow does not define.  Static or
 * thread-local storage (valid until the thread's next call). */
HS_EXTERN const char *hs_dtype_name(int dtype);

#define HS_TENSOR_MAX_RANK 8

/** A constant tensor read from an attribute (a Const's `value`). */
typedef struct hs_tensor_view {
	int dtype;                          /* DataType of the elements */
	size_t rank;                        /* 0: a scalar */
	int64_t dims[HS_TENSOR_MAX_RANK];
	uint64_t elements;                  /* product of dims (1 for a scalar) */
	size_t size;                        /* elements x element size, bytes */
	/* The values, little-endian, elements x element size bytes: the
	 * caller's buffer when one was given, else the tensor_content bytes
	 * inside the graph (borrowed; possibly unaligned: memcpy them) or
	 * NULL when the values are in a typed field (float_val, int_val...). */
	const void *data;
} hs_tensor_view;

/** Reads tensor attribute `key` of node n (NULL: "value").  With a buffer
 * of at least out->size bytes the values are decoded into it, from
 * tensor_content or from the typed repeated field, the last value repeated
 * to fill the shape as TensorFlow does (a single float_val fills a splat);
 * with buf NULL only dtype, shape and size are filled (call again with a
 * buffer that large).  Strings, complex numbers, resources and variants
 * are not numbers: HS_EPARSE.  Errors: HS_ENOTFOUND (no such attribute),
 * HS_EPARSE (not a tensor, malformed, content of the wrong length, more
 * values than elements, unknown rank), HS_ELIMIT (buffer too small).
 * Messages name the node and the attribute. */
HS_EXTERN int hs_node_tensor(hs_tensor_view *out, const hs_node *n, const char *key,
			     void *buf, size_t buf_size);

/* --------------------------------------------------------------- editing */
/* Every edit keeps the name index and the consumer lists consistent.
 * Untouched nodes are written back byte for byte. */

/** Adds a node named `name` with op `op`; fails with HS_EEXISTS when the
 * name is taken.  The new node is written after `after` (NULL: at the end).
 * *out is borrowed from the graph. */
HS_EXTERN int hs_graph_add_node(hs_node **out, hs_graph *g, const char *name,
				const char *op, const hs_node *after);
/** Removes a node.  Its readers keep their input text and become dangling
 * until rewired, or until a node of the same name is added (which they
 * then read, as an input set before its producer exists does);
 * hs_graph_verify reports any left. */
HS_EXTERN int hs_graph_remove_node(hs_graph *g, hs_node *n);
HS_EXTERN int hs_node_is_removed(const hs_node *n);
/** Appends an input ("x", "x:1", "^x"). */
HS_EXTERN int hs_node_add_input(hs_node *n, const char *input);
/** Replaces input i by new text. */
HS_EXTERN int hs_node_set_input(hs_node *n, size_t i, const char *input);
/** Replaces all inputs by the given list. */
HS_EXTERN int hs_node_set_inputs(hs_node *n, const char *const *inputs,
				 size_t count);
/** Every data input reading (from, from_port) is changed to read `to`;
 * from_port -1 matches every port.  Control inputs "^from" become "^to's
 * node".  *changed (may be NULL) gets the number of inputs rewritten. */
HS_EXTERN int hs_graph_rewire(size_t *changed, hs_graph *g, const hs_node *from,
			      int from_port, const char *to);
HS_EXTERN int hs_node_set_device(hs_node *n, const char *device);
/** Changes the op of a node added since loading (a stub a plugin reshapes,
 * say); the op of a node read from the file cannot change (HS_EINVAL). */
HS_EXTERN int hs_node_set_op(hs_node *n, const char *op);

/* Attribute setters replace an attribute of the same key. */
HS_EXTERN int hs_node_set_attr_raw(hs_node *n, const char *key, hs_str encoded);
HS_EXTERN int hs_node_set_attr_s(hs_node *n, const char *key, hs_str value);
HS_EXTERN int hs_node_set_attr_i(hs_node *n, const char *key, int64_t value);
HS_EXTERN int hs_node_set_attr_f(hs_node *n, const char *key, float value);
HS_EXTERN int hs_node_set_attr_b(hs_node *n, const char *key, int value);
HS_EXTERN int hs_node_set_attr_type(hs_node *n, const char *key, int dtype);
HS_EXTERN int hs_node_set_attr_list_i(hs_node *n, const char *key,
				      const int64_t *values, size_t count);
HS_EXTERN int hs_node_set_attr_list_type(hs_node *n, const char *key,
					 const int *values, size_t count);
HS_EXTERN int hs_node_remove_attr(hs_node *n, const char *key);

/** Checks a graph: no duplicate names, no input naming a missing node, no
 * cycle (the back edge NextIteration -> Merge of TF1 loops excepted).
 * Returns HS_EGRAPH with a message naming the first problem. */
HS_EXTERN int hs_graph_verify(const hs_graph *g);

#ifdef __cplusplus
}
#endif

#endif /* HINTSTUB_GRAPH_H */
