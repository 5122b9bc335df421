/* migrate — the embedded migrations' numbers (see migrate.h; the driver applies them). */
#include "store/migrate.h"

#include <stdlib.h>

int migrate_number(const migration_file *m)
{
    return atoi(m->name);
}

int migrate_latest_in(const migration_file *list)
{
    int latest = 0;
    for (const migration_file *m = list; m->name; m++)
        if (migrate_number(m) > latest) latest = migrate_number(m);
    return latest;
}

int migrate_latest(void)
{
    return migrate_latest_in(migrate_sqlite);
}
