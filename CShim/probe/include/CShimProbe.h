/* Umbrella header of CShimProbe: the C the probes drive through bindings
 * (dns-probe, malloc-bench, conformance-probe, and the C probes in
 * Probes/programs). The kit never links it. Prefix: cshim_. */
#ifndef CSHIM_PROBE_H
#define CSHIM_PROBE_H
#include "cshim_dns.h"
#include "cshim_malloc.h"
#include "cshim_conformance.h"
#endif
