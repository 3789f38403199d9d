/*
 * hintstub: replace TensorFlow OpHint regions of a frozen GraphDef by stub
 * fused ops.  This header includes the public C API of libhintstub:
 *
 *   graph.h   errors, strings, loading, reading, editing, writing graphs
 *   calls.h   the call set: what detectors find, what every stage reads
 *   ophint.h  the OpHint detector (hs_discover)
 *   plan.h    plan, apply and convert: hs_plan_new, hs_apply, hs_convert
 *   plugin.h  plugins and the registry (included on its own)
 *   eval.h    the reference evaluator: tensors, hs_eval_run
 *   npy.h     NumPy .npy files of tensors
 *
 * Conventions (libgit2 style):
 *  - functions returning int give 0 on success and a negative hs_error_code
 *    on failure; hs_error_last() then returns a one-line message;
 *  - out-parameters come first; an object returned through a
 *    pointer-to-pointer is owned by the caller and released with the free
 *    function of its type;
 *  - pointers returned directly (hs_node *, hs_str, const hs_call *) are
 *    borrowed: they live as long as the object they came from and are
 *    invalidated only where a function says so;
 *  - options structs carry a version: fill them with their *_INIT macro or
 *    their *_options_init(opts, VERSION) function;
 *  - functions taking a const object only read it: several threads may
 *    read one graph, call set or plan at once; each thread may work on its
 *    own graphs;
 *  - the library never calls exit() and never prints.
 */
#ifndef HINTSTUB_H
#define HINTSTUB_H

#include <hintstub/graph.h>
#include <hintstub/calls.h>
#include <hintstub/ophint.h>
#include <hintstub/plan.h>
#include <hintstub/eval.h>
#include <hintstub/npy.h>

#endif /* HINTSTUB_H */
