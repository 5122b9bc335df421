/*
 * duban — 督办, closed-loop work supervision for county party and government organs.
 * The entry point: the subcommands of src/cli/ and of every registered mechanism (src/mechs.c).
 */
#include "base/clock.h"
#include "cli/cli.h"

#include <sodium.h>
#include <stdio.h>
#include <sys/stat.h>

int main(int argc, char **argv)
{
    /* Every file duban writes (the database and its -wal and -shm, keys, evidence files,
     * exports, backups) holds password hashes or personal data: the owner's only. */
    umask(077);
    if (sodium_init() < 0) {
        fprintf(stderr, "duban: cannot initialise libsodium\n");
        return 1;
    }
    if (clock_from_env() != 0) {
        fprintf(stderr, "duban: DUBAN_NOW: expected a date such as 2027-01-01 or "
                        "2027-01-01T08:30:00+08:00\n");
        return 2;
    }
    return cli_main(argc - 1, argv + 1);
}
