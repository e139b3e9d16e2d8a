// gnu/libc-version.h exists in glibc only: musl has no such header.
#include <gnu/libc-version.h>
#include "cglibconly.h"

const char *cglibconly_version(void) { return gnu_get_libc_version(); }
