#include "cxxlib.h"
extern "C" int cxxlib_answer(void) { return 42; }
