/* String-keyed hash tables: the one way libhintstub includes uthash.
 * Private to libhintstub.
 *
 * Keys come from input files, so uthash hashes them with the keyed
 * SipHash of hash.h instead of its fixed default (see hash.h on flooding).
 * uthash would exit(3) when an allocation fails; here the failed add is
 * rolled back instead and HS_STRMAP_ADD reports HS_ENOMEM. */
#ifndef HS_STRMAP_H
#define HS_STRMAP_H

#include "error.h"
#include "hash.h"

#ifdef UTHASH_H
#error "include strmap.h, not uthash.h: keys must be hashed with the process key"
#endif

/* Set by uthash when an add failed for want of memory (this thread). */
extern _Thread_local int hs_strmap_oom;

#define HASH_FUNCTION(keyptr, keylen, hashv) \
	((hashv) = (unsigned)hs_hash((keyptr), (size_t)(keylen)))
#define HASH_NONFATAL_OOM 1
#define uthash_nonfatal_oom(obj) ((void)(obj), hs_strmap_oom = 1)

#include <uthash.h>

/* HASH_ADD_KEYPTR setting `rc` to HS_OK, or to HS_ENOMEM (with a message)
 * when the table could not take the item; the table is then unchanged. */
#define HS_STRMAP_ADD(hh, head, keyptr, keylen, add, rc) do {		\
		hs_strmap_oom = 0;					\
		HASH_ADD_KEYPTR(hh, head, keyptr, keylen, add);		\
		(rc) = hs_strmap_oom ? hs_fail(HS_ENOMEM, "out of memory") \
				     : HS_OK;				\
	} while (0)

#endif
