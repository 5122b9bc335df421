/*
 * idno — 居民身份证号码 (GB 11643-1999): the 18-character form with its birth date and the
 * ISO 7064 MOD 11-2 check character, and the masked form shown to those who do not need it.
 */
#include "cadre/cadre.h"

#include <string.h>

int cadre_idno_valid(const char *s)
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char check[] = "10X98765432";
    if (!s || strlen(s) != 18) return 0;
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        sum += (s[i] - '0') * w[i];
    }
    char last = s[17] == 'x' ? 'X' : s[17];
    if (last != check[sum % 11]) return 0;
    char date[11] = {s[6], s[7], s[8], s[9], '-', s[10], s[11], '-', s[12], s[13], 0};
    cal_day d;
    if (cal_parse(date, &d) != 0) return 0;
    int y = (s[6] - '0') * 1000 + (s[7] - '0') * 100 + (s[8] - '0') * 10 + (s[9] - '0');
    return y >= 1900;
}

void cadre_idno_mask(const char *s, char out[19])
{
    size_t n = s ? strlen(s) : 0;
    if (n != 18) {
        out[0] = 0;
        return;
    }
    memcpy(out, s, 6);
    memset(out + 6, '*', 8);
    memcpy(out + 14, s + 14, 4);
    out[18] = 0;
}
