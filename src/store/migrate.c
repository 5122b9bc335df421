/* migrate — the embedded migrations' numbers (see migrate.h; the driver applies them). */
#include "store/migrate.h"

#include <stdlib.h>

int migrate_number(const migration_file *m)
{
    return atoi(m->name);
}

int migrate_latest(void)
{
    int latest = 0;
    for (const migration_file *m = migrate_files; m->name; m++)
        if (migrate_number(m) > latest) latest = migrate_number(m);
    return latest;
}
