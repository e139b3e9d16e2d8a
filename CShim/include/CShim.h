/* Umbrella header of the CShim module. Prefix: cshim_. */
#ifndef CSHIM_H
#define CSHIM_H
#include "cshim_platform.h"
#include "cshim_dns.h"
#include "cshim_malloc.h"
#include "cshim_abi.h"
#include "cshim_scratch.h"
#include "cshim_conformance.h"
#include "cshim_size.h"
#endif
