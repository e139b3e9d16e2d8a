#include <stdio.h>
#include "cshim_platform.h"
int main(void) { printf("hello from %s\n", cshim_libc_name()); return 0; }
