/* demo — placeholder replaced below */
#include "budget/budget_int.h"
err_code budget_demo(app *ap, mech_demo_county *c, FILE *out)
{
    (void)ap; (void)c; (void)out;
    return E_OK;
}
