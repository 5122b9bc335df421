/*
 * mechs — the one registration table: every mechanism duban runs, in order (the foundation,
 * then the problem list, then the mechanisms built on it). Adding a mechanism is a folder
 * under src/ with its descriptor (see core/mech.h and docs/design.md) and one line here.
 * Only this file and main.c name every mechanism.
 */
#include "core/mech.h"

extern const mech org_mech, access_mech, common_mech, problem_mech, study_mech, budget_mech,
    liaison_mech, outward_mech, feeds_mech, cadre_mech, publish_mech;

const mech *const duban_mechs[] = {
    &org_mech,    &access_mech, &common_mech, &problem_mech, &study_mech,   &budget_mech,
    &liaison_mech, &cadre_mech, &publish_mech, &outward_mech, &feeds_mech,  NULL,
};
