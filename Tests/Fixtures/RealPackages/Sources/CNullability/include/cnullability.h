// Clang-only C: nullability qualifiers and swift_name attributes.
// GCC rejects `_Nonnull`/`_Nullable`; this header only compiles with clang.
#ifndef CNULLABILITY_H
#define CNULLABILITY_H

/// A point, imported into Swift as `CNullPoint`.
struct __attribute__((swift_name("CNullPoint"))) cnull_point {
    int x;
    int y;
};

/// A closed enum, imported into Swift as a real `enum CNullColor` with renamed cases.
enum __attribute__((swift_name("CNullColor"), enum_extensibility(closed))) cnull_color {
    CNULL_COLOR_RED __attribute__((swift_name("red"))) = 1,
    CNULL_COLOR_GREEN __attribute__((swift_name("green"))) = 2,
    CNULL_COLOR_BLUE __attribute__((swift_name("blue"))) = 3,
};

/// Static greeting; never NULL (Swift sees a non-optional pointer).
const char * _Nonnull cnull_greeting(void);

/// strlen of `s`, or -1 when `s` is NULL (Swift sees an optional parameter).
int cnull_length(const char * _Nullable s);

/// The name of the colour at `index`, or NULL when out of range (Swift sees an optional result).
const char * _Nullable cnull_color_name(int index);

/// a + b, imported as `cnullSum(_:_:)`.
int cnull_sum(int a, int b) __attribute__((swift_name("cnullSum(_:_:)")));

/// Component-wise sum, imported as the method `CNullPoint.adding(_:)`.
struct cnull_point cnull_point_add(struct cnull_point a, struct cnull_point b)
    __attribute__((swift_name("CNullPoint.adding(self:_:)")));

/// Writes the doubled point to `out`, which must not be NULL.
void cnull_point_double(struct cnull_point p, struct cnull_point * _Nonnull out);

/// "glibc" or "musl": the libc this C file was compiled against.
const char * _Nonnull cnull_libc(void);

#endif
