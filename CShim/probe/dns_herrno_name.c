#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <netdb.h>
#include "cshim_dns.h"

const char *cshim_dns_herrno_name(int code)
{
	switch (code) {
	case 0: return "ok";
	case HOST_NOT_FOUND: return "HOST_NOT_FOUND";
	case TRY_AGAIN: return "TRY_AGAIN";
	case NO_RECOVERY: return "NO_RECOVERY";
	case NO_DATA: return "NO_DATA";
	}
	return "NETDB_INTERNAL";
}
