#include <stdio.h>
#include <string.h>
#include "cshim_dns.h"

/* Reads a possibly compressed name at *pos into text; 0 on success. */
static int read_name(const unsigned char *m, int len, int *pos, char *text, size_t cap)
{
	int p = *pos, jumped = 0, hops = 0;
	size_t used = 0;
	text[0] = 0;
	for (;;) {
		if (p >= len || hops++ > 128) return -1;
		int l = m[p];
		if ((l & 0xc0) == 0xc0) {
			if (p + 1 >= len) return -1;
			if (!jumped) *pos = p + 2;
			jumped = 1;
			p = ((l & 0x3f) << 8) | m[p + 1];
			continue;
		}
		if (l == 0) {
			if (!jumped) *pos = p + 1;
			if (!used && cap > 1) strcpy(text, ".");
			return 0;
		}
		if (p + 1 + l > len || used + l + 2 > cap) return -1;
		memcpy(text + used, m + p + 1, l);
		used += l;
		text[used++] = '.';
		text[used] = 0;
		p += l + 1;
	}
}

void cshim_dns_format_answer(const unsigned char *m, int len, char *out, size_t cap)
{
	static const char *rcodes[] = { "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED" };
	char name[1024], owner[1024] = "";
	int pos = 12, qd, an, i;

	if (len < 12) { cshim_dns_append(out, cap, "rcode SHORT\n"); return; }
	i = m[3] & 15;
	if (i < 6) cshim_dns_append(out, cap, "rcode %s\n", rcodes[i]);
	else cshim_dns_append(out, cap, "rcode %d\n", i);
	if (m[2] & 2) cshim_dns_append(out, cap, "tc 1\n");
	qd = m[4] << 8 | m[5];
	an = m[6] << 8 | m[7];
	for (i = 0; i < qd; i++) {
		if (read_name(m, len, &pos, name, sizeof name)) return;
		pos += 4;
	}
	for (i = 0; i < an; i++) {
		int type, rdlen;
		if (read_name(m, len, &pos, name, sizeof name) || pos + 10 > len) return;
		type = m[pos] << 8 | m[pos + 1];
		rdlen = m[pos + 8] << 8 | m[pos + 9];
		pos += 10;
		if (pos + rdlen > len) return;
		if (type == 1 && rdlen == 4) {
			cshim_dns_append(out, cap, "addr %d.%d.%d.%d\n", m[pos], m[pos + 1], m[pos + 2], m[pos + 3]);
			snprintf(owner, sizeof owner, "%s", name);
		} else if (type == 28 && rdlen == 16) {
			char text[64] = "";
			int j;
			for (j = 0; j < 16; j += 2)
				snprintf(text + strlen(text), sizeof text - strlen(text), "%s%x", j ? ":" : "", m[pos + j] << 8 | m[pos + j + 1]);
			cshim_dns_append(out, cap, "addr %s\n", text);
			snprintf(owner, sizeof owner, "%s", name);
		}
		pos += rdlen;
	}
	/* The owner of the address records: for res_search, which suffix won. */
	if (*owner) cshim_dns_append(out, cap, "canon %s\n", owner);
}
