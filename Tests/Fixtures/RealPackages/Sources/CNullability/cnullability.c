// <string.h> pulls in the libc's <features.h>, which is what defines __GLIBC__
// (compiler-provided headers such as <stddef.h> would not).
#include <string.h>

#include "cnullability.h"

const char * _Nonnull cnull_greeting(void) {
    return "hello from clang-only C";
}

int cnull_length(const char * _Nullable s) {
    return s == NULL ? -1 : (int)strlen(s);
}

const char * _Nullable cnull_color_name(int index) {
    static const char * const names[] = {"red", "green", "blue"};
    if (index < 0 || index >= (int)(sizeof names / sizeof names[0])) {
        return NULL;
    }
    return names[index];
}

int cnull_sum(int a, int b) {
    return a + b;
}

struct cnull_point cnull_point_add(struct cnull_point a, struct cnull_point b) {
    struct cnull_point r = {a.x + b.x, a.y + b.y};
    return r;
}

void cnull_point_double(struct cnull_point p, struct cnull_point * _Nonnull out) {
    out->x = 2 * p.x;
    out->y = 2 * p.y;
}

const char * _Nonnull cnull_libc(void) {
#ifdef __GLIBC__
    return "glibc";
#else
    return "musl";
#endif
}
