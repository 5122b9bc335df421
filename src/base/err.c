/* err — lookups into the error registry (see err.h). */
#include "base/err.h"

static const struct {
    int status;
    const char *name, *message;
} table[] = {
#define ERR_ROW(code, status, name, msg) {status, name, msg},
    ERR_TABLE(ERR_ROW)
#undef ERR_ROW
};

static int valid(err_code e)
{
    return (unsigned)e < (unsigned)E__COUNT;
}

int err_status(err_code e)
{
    return valid(e) ? table[e].status : 500;
}

const char *err_name(err_code e)
{
    return valid(e) ? table[e].name : "internal";
}

const char *err_message(err_code e)
{
    return valid(e) ? table[e].message : table[E_INTERNAL].message;
}
