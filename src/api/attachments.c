/*
 * attachments — files attached to work items of any mechanism (a problem's evidence, a study
 * activity's materials …). Upload takes the raw bytes as the body and the file name in
 * ?name=; the type is decided by content; the mechanism's handler checks first who may add
 * one. Downloading needs sight of the item, which the mechanism owning the attachment's flow
 * decides (core/mech.h).
 */
#include "api/api.h"

#include "attach/attach.h"
#include "base/clock.h"
#include "core/mech.h"
#include "core/store_fn.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    const char *object;
    store_attachment at;
    const unsigned char *data; /* the bytes, when kept in the database */
    unsigned char *read;
    size_t n;
} attach_ctx;

static err_code insert_fn(store_tx *tx, void *ctx)
{
    attach_ctx *c = ctx;
    err_code e = attach_store_in_db(tx, c->ap->files_dir, c->at.sha256, c->data, c->n);
    if (e == E_OK) e = store_attachment_insert(tx, &c->at);
    if (e != E_OK) return e;
    return app_audit(c->ap, tx, c->a, c->p, "attachment.upload", c->object,
                     json_pack("{sI ss ss sI}", "attachment_id", (json_int_t)c->at.id, "name",
                               c->at.filename, "sha256", c->at.sha256, "size",
                               (json_int_t)c->at.size));
}

err_code api_attachment_upload(http_req *r, const char *flow, const char *object, int64_t item_id)
{
    app *ap = http_app(r);
    const principal *p = http_principal(r);
    const char *name;
    err_code e = http_query_text(r, "name", HTTP_QUERY_TEXT_MAX, &name);
    if (e != E_OK) return e;
    if (!name) return http_fail(r, E_FIELD_REQUIRED, "name");
    if (!attach_name_ok(name)) return http_fail(r, E_FIELD_INVALID, "name");
    size_t n = http_body_len(r);
    if (n == 0) return http_fail(r, E_FIELD_REQUIRED, "file");
    const char *mime = attach_sniff(http_body(r), n);
    if (!mime) {
        http_set_message(r, "文件类型不受支持：只接受 JPG、PNG、GIF、WebP 图片和 PDF 文件");
        return http_fail(r, E_UNSUPPORTED_MEDIA_TYPE, "file");
    }
    name = attach_name_for_type(http_arena(r), name, mime);
    char sha[65], err[256];
    if (attach_store(ap->files_dir, http_body(r), n, sha, err, sizeof err) != E_OK) {
        fprintf(stderr, "duban: %s\n", err);
        return E_INTERNAL;
    }
    attach_ctx c = {.ap = ap,
                    .a = http_arena(r),
                    .p = p,
                    .object = object,
                    .data = http_body(r),
                    .n = n,
                    .at = {.sha256 = sha,
                           .size = (int64_t)n,
                           .mime = mime,
                           .filename = name,
                           .flow = flow,
                           .item_id = item_id,
                           .created_by = p->user_id,
                           .created_at = clock_now()}};
    e = store_write(ap->st, insert_fn, &c);
    if (e != E_OK) return e;
    json_t *body = json_pack("{sI ss ss sI}", "id", (json_int_t)c.at.id, "filename", name, "mime",
                             mime, "size", (json_int_t)n);
    return http_reply(r, 201, body);
}

STORE_FN(get_fn, attach_ctx *c, store_attachment_get(tx, c->a, c->at.id, &c->at));
STORE_FN(bytes_fn, attach_ctx *c, attach_read_from_db(tx, c->at.sha256, &c->read, &c->n));

err_code api_attachments_get(http_req *r)
{
    app *ap = http_app(r);
    attach_ctx c = {.ap = ap, .a = http_arena(r), .p = http_principal(r)};
    err_code e = http_param_id(r, "id", &c.at.id);
    if (e == E_OK) e = store_read(ap->st, get_fn, &c);
    if (e != E_OK) return e;
    const mech *m = mech_for_attachments(c.at.flow);
    const char *object;
    if (!m) return E_NOT_FOUND;
    e = m->attach(ap, c.a, c.p, c.at.flow, c.at.item_id, &object);
    if (e != E_OK) return e;
    if (!ap->files_dir) {
        e = store_read(ap->st, bytes_fn, &c);
        return e == E_OK ? http_reply_data(r, c.at.mime, (char *)c.read, c.n, c.at.filename, 1) : e;
    }
    char *path = attach_path(ap->files_dir, c.at.sha256);
    if (!path) return E_NOT_FOUND;
    e = http_reply_file(r, path, c.at.mime, c.at.filename, 1);
    free(path);
    return e;
}
