/*
 * store_fn — the body of a transaction that is one call, written without a hand-made closure.
 *
 * store_read and store_write take a function and a context pointer (C has no closures), so
 * reading through one store function used to cost a five-line function whose only job was to
 * unpack the context, and there were dozens of them:
 *
 *     static err_code list_fn(store_tx *tx, void *ctx)
 *     {
 *         users_ctx *u = ctx;
 *         return store_user_list(tx, u->a, &u->f, &u->items, &u->n, &u->total);
 *     }
 *
 * STORE_FN writes that function from what it says, at file scope, and the caller is unchanged
 * (`store_read(st, list_fn, &u)`):
 *
 *     STORE_FN(list_fn, users_ctx *u,
 *              store_user_list(tx, u->a, &u->f, &u->items, &u->n, &u->total));
 *
 * Why a generator and neither a call-site macro nor typed wrappers: C17 has no lambdas, so a
 * STORE_READ(st, call) used inside a function could only be built on GNU nested functions
 * (executable-stack trampolines, and clang has none); typed wrappers (store_read_user_list(st,
 * ...)) would copy store.h signature by signature into a second header that must follow every
 * change of the first, while its statement layer is being rewritten. Here everything is still
 * checked as ordinary C: the context converts to the declared type exactly as the hand-written
 * line did, and the call is checked against the store function's prototype. A body that grows
 * a second call becomes a plain function again without touching its callers; bodies of several
 * calls stay plain functions on purpose — they are where one transaction's consistency
 * matters, and they deserve their own name and comment.
 *
 * Inside call, `tx` is the transaction. The trailing redeclaration takes the semicolon that
 * follows the macro, so the line reads (and formats) like a declaration.
 */
#ifndef DUBAN_STORE_FN_H
#define DUBAN_STORE_FN_H

#include "store/store.h"

#define STORE_FN(name, ctx_decl, call)                                                             \
    static err_code name(store_tx *tx, void *ctx_)                                                 \
    {                                                                                              \
        ctx_decl = ctx_;                                                                           \
        return call;                                                                               \
    }                                                                                              \
    static err_code name(store_tx *tx, void *ctx_)

#endif
