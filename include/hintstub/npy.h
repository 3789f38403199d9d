/*
 * NumPy .npy files: the inputs and outputs of `hintstub run` and
 * `hintstub verify`, as tensor values of the evaluator (<hintstub/eval.h>).
 *
 * Supported: format versions 1.0, 2.0 and 3.0, C order, little-endian
 * float32 ('<f4'), int32 ('<i4'), int64 ('<i8') and bool ('|b1'), rank
 * at most HS_TENSOR_MAX_RANK.  Anything else (big-endian, Fortran order,
 * object or structured dtypes, other element types, a malformed header, a
 * file of the wrong length) is HS_EPARSE with a one-line message naming
 * the file and what to do instead.
 *
 * Conventions: see <hintstub/hintstub.h>.
 */
#ifndef HINTSTUB_NPY_H
#define HINTSTUB_NPY_H

#include <hintstub/eval.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Parses the .npy bytes data[0..len) into a new tensor owned by the
 * caller (hs_value_free).  `name` labels messages (NULL: "npy"). */
HS_EXTERN int hs_npy_read_buffer(hs_value **out, const void *data, size_t len,
				 const char *name);
/** Reads the .npy file at path (see hs_npy_read_buffer); HS_EIO when it
 * cannot be read.  Memory: the tensor, never more than the file. */
HS_EXTERN int hs_npy_read_file(hs_value **out, const char *path);

/** Encodes t as a format 1.0 .npy file (2.0 when the header needs it) into
 * a new buffer owned by the caller (hs_free).  HS_EINVAL for a tensor
 * list. */
HS_EXTERN int hs_npy_write_buffer(void **out, size_t *out_size, const hs_value *t);
/** Writes t to path atomically (as hs_write_file_atomic: a failed write
 * leaves no partial file and any previous file as it was). */
HS_EXTERN int hs_npy_write_file(const char *path, const hs_value *t);

#ifdef __cplusplus
}
#endif

#endif /* HINTSTUB_NPY_H */
