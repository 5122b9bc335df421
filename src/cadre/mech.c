/*
 * mech — the cadre-supervision mechanism's descriptor (干部监督预警): its restricted
 * permissions (every read permission marked audit_reads, so each read lands in the audit
 * chain), its routes, its command (key rotation), its part of the demo, and the re-sealer a
 * county's move uses.
 */
#include "cadre/cadre_int.h"

static const perm_info perms[] = {
    {"cadre.read", "查看干部监督档案、线索和处置记录", CLASS_NONE, 1},
    {"cadre.write", "登记干部、研判处置、考核和预警设置", CLASS_NONE, 0},
    {"cadre.clue.submit", "报送干部监督线索（成员单位）", CLASS_NONE, 1},
    {"cadre.warning.read", "查看干部监督预警名单及说明（不含线索内容）", CLASS_NONE, 1},
    {NULL, NULL, CLASS_NONE, 0},
};

static const mech_cmd commands[] = {
    {"cadre", cmd_cadre, "rekey: re-encrypt the cadre records (干部监督) under a new key file"},
    {NULL, NULL, NULL},
};

const mech cadre_mech = {
    .name = "cadre",
    .title = "干部监督",
    .perms = perms,
    .routes = cadre_routes,
    .commands = commands,
    .demo = cadre_demo,
    .sealer = cadre_move_sealer,
};
