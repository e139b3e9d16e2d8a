/* Printers for the ABI layout tables. `static-musl abi` (ABIAudit.swift)
 * generates one C file per libc: this header's text, then the headers Swift
 * reaches (derived from Swift's glibc.modulemap and the toolchain's
 * Foundation C shims, see README.md), then one T/F/C line per item inside
 * main(). gcc compiles it against glibc, musl-gcc against musl; each binary
 * prints machine-readable lines:
 *   T <TAB> name <TAB> sizeof <TAB> alignof
 *   F <TAB> name <TAB> field <TAB> offsetof <TAB> sizeof(field)
 *   C <TAB> name <TAB> value (as long long)
 * Not compiled by SwiftPM (CShim/abi is excluded). */
#undef _GNU_SOURCE /* Swift's Glibc module is imported without it */
#include <stddef.h>
#include <stdio.h>

#define ABI_T(name, type) printf("T\t%s\t%zu\t%zu\n", name, sizeof(type), _Alignof(type));
#define ABI_F(name, type, field) printf("F\t%s\t%s\t%zu\t%zu\n", name, #field, offsetof(type, field), sizeof(((type *)0)->field));
#define ABI_C(constant) printf("C\t%s\t%lld\n", #constant, (long long)(constant));
