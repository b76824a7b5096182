/*
 * banned.h - functions that are too easy to misuse (git's banned.h).
 * Included last by every parqview .c file through the build's -include flag,
 * so a use is a compile error that names the reason.
 */
#ifndef PV_BANNED_H
#define PV_BANNED_H

#define PV_BANNED(func) sorry_##func##_is_banned_in_parqview

#undef strcpy
#define strcpy(x, y) PV_BANNED(strcpy)
#undef strcat
#define strcat(x, y) PV_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) PV_BANNED(strncpy)
#undef sprintf
#define sprintf(...) PV_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) PV_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) PV_BANNED(strtok)
#undef atoi
#define atoi(x) PV_BANNED(atoi)
#undef atol
#define atol(x) PV_BANNED(atol)
#undef gets
#define gets(x) PV_BANNED(gets)

#endif
