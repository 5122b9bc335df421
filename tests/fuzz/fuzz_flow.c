/*
 * fuzz_flow — flow_parse on arbitrary text (a county's own flow definition files). Checks: a refusal
 * names the file; an accepted definition is consistent (the initial state exists, every action
 * has a permission and states in range, and flow_check on it neither crashes nor accepts an
 * action the definition does not have).
 */
#include "flow/flow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) abort();                                                                      \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16) return 0;
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = 0;
    char err[512];
    flow_def *f = flow_parse(text, "flows/x.json", err, sizeof err);
    if (!f) {
        CHECK(strncmp(err, "flows/x.json: ", 14) == 0);
    } else {
        CHECK(f->initial >= 0 && (size_t)f->initial < f->nstates);
        store_perm_scope everything[64];
        size_t n = 0;
        for (size_t i = 0; i < f->nactions && n < 64; i++) {
            const flow_action *a = &f->actions[i];
            CHECK(a->permission && *a->permission);
            CHECK(a->to < (int)f->nstates);
            for (size_t k = 0; k < a->nfrom; k++) CHECK(a->from[k] >= 0 && (size_t)a->from[k] < f->nstates);
            everything[n++] = (store_perm_scope){a->permission, "/1/"};
        }
        principal p = {.user_id = 1, .login = "f", .unit_path = "/1/9/", .perms = everything,
                       .nperms = n};
        flow_item item = {.state = f->states[f->initial].name, .unit_path = "/1/2/"};
        flow_refusal why;
        for (size_t i = 0; i < f->nactions; i++) flow_check(f, &item, &p, f->actions[i].name, NULL, 0, &why);
        CHECK(flow_check(f, &item, &p, "no such action \x01", NULL, 0, &why) == E_NOT_FOUND);
        flow_free(f);
    }
    free(text);
    return 0;
}
