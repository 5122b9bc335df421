/* demo — placeholder replaced below */
#include "liaison/liaison_int.h"
err_code liaison_demo(app *ap, mech_demo_county *c, FILE *out)
{
    (void)ap; (void)c; (void)out;
    return E_OK;
}
