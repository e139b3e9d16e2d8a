/// One line per check whose value may legitimately differ between variants,
/// keyed by check id (or by a prefix ending in "."). A difference without an
/// entry here is reported as UNEXPLAINED; a new entry needs a measured cause.
public enum ConformanceExplanations {
    public static let table: [String: String] = [
        // Foundation on musl
        "foundation.fm.": "FTSENT layout: Foundation's FileManager (enumerator, copyItem, removeItem) is compiled against glibc's <fts.h> but calls the fts in Debian's musl libc.a, whose FTSENT puts fts_info/fts_statp/fts_name 2-8 bytes later. CShim/compat's fts wrappers hand out glibc-layout entries; without them enumeration is empty and copies do nothing on musl.",
        // Time
        "time.libc.strftime": "%Z of a gmtime_r() result: glibc prints \"GMT\", musl prints \"UTC\".",
        "time.tz.invalid": "An unknown TZ name: glibc keeps the name as the abbreviation (\"Nowhere\") with offset 0; musl falls back to \"UTC\". Foundation ignores both and uses the system zone.",
        "nozoneinfo.time.dateformatter.": "Foundation bug, every variant: with /usr/share/zoneinfo missing (and /etc/localtime dangling), DateFormatter.string(from:) traps (SIGILL) in DateFormatter.State._setFormatterAttributes once a named time zone is set. A scratch image needs zoneinfo (or TZ data) for DateFormatter.",
        "nozoneinfo.time.tz.": "Without /usr/share/zoneinfo libc cannot load named zones (glibc: UTC with the TZ name as abbreviation; musl: UTC), while Foundation keeps working from the tz data compiled into ICU.",
        "nozoneinfo.time.": "Without /usr/share/zoneinfo (and so with a dangling /etc/localtime) the variants fall back differently: libc to UTC, Foundation to ICU's compiled-in data.",
        // Concurrency
        "concurrency.thread.pthread": "Default thread stack size: glibc uses RLIMIT_STACK (8 MiB here); musl's default is 128 KiB. Swift's Thread and Dispatch set their own sizes, but raw pthreads and C code on musl get the small stack.",
        // libc texts and behaviour
        "libc.errno.strerror": "strerror texts: glibc says \"Success\" for 0 and \"Unknown error N\"; musl says \"No error information\" for both and words some messages differently (ETIMEDOUT, EHOSTUNREACH).",
        "libc.errno.strerror_r": "XSI strerror_r for an unknown errno: glibc (via __xpg_strerror_r) returns EINVAL and \"Unknown error 4095\"; musl returns 0 and \"No error information\".",
        "libc.getaddrinfo.numeric": "ai_canonname for numeric hosts without AI_CANONNAME: glibc leaves it NULL, musl points it at the numeric string.",
        "libc.getaddrinfo.gai_strerror": "gai_strerror texts differ (glibc: \"Name or service not known\", musl: \"Name does not resolve\", …); the codes are equal.",
        "libc.signal.sigaction": "SIGRTMIN is 34 on glibc (NPTL reserves 32 and 33) and 35 on musl (it reserves 32–34).",
        "libc.signal.strsignal": "strsignal texts differ (\"Child exited\" vs \"Child process status\", \"Real-time signal 1\" vs \"RT36\", unknown signals), and SIGRTMIN differs (34 vs 35).",
        "libc.printf.locale": "setlocale(\"de_DE.UTF-8\"): glibc fails (NULL) because the locale is not installed here; musl accepts any name but has no locale data, so the decimal point stays \".\" on both.",
        "libc.setlocale.environment": "setlocale(LC_ALL, \"\") with LANG=de_DE.UTF-8: glibc fails (locale not installed) and stays in ASCII \"C\"; musl accepts it with UTF-8 codeset. musl reports a mixed locale as a \";\"-joined list.",
        "libc.multibyte": "The C locale: glibc's is ASCII (mbtowc of a high byte fails with -1); musl's maps each high byte to one code point U+DF80+byte.",
        "libc.qsort.stability": "qsort is not stable: glibc uses a merge sort (keeps equal keys in order), musl uses smoothsort (does not). Code that relies on stability breaks on musl.",
        "libc.regex.posix": "regerror texts differ (\"Unmatched ( or \\\\(\" vs \"Missing ')'\"). re_nsub and the match offsets agree only because CShim/compat wraps regcomp/regexec (glibc's regex_t/regmatch_t layout).",
        "libc.glob_fnmatch": "GLOB_BRACE is a GNU extension musl does not implement: without CShim/compat's glob wrapper, glibc's flag (1<<10) is ignored and \"{a,c}.*\" is taken literally (GLOB_NOMATCH).",
        "libc.dlopen": "Static binaries: musl's dlopen always fails (\"Dynamic loading not supported\"); static glibc's dlopen(NULL) works but has no dynamic symbol table, so dlsym(malloc) fails, and it can load libm.so.6 only because a matching glibc is installed.",
        "libc.uname_sysconf": "sysconf(_SC_HOST_NAME_MAX): glibc returns 64 (HOST_NAME_MAX), musl returns 255.",
        "libc.pwd.": "Static glibc resolves users through NSS, which needs to dlopen libnss_*.so of the exact same glibc version; in a static binary this crashes or fails, while musl reads /etc/passwd directly.",
    ]

    /// The entry for `id`: an exact key, else the longest key ending in "."
    /// or "_" that prefixes it.
    public static func lookup(_ id: String, in table: [String: String] = table) -> String? {
        if let exact = table[id] { return exact }
        return table.keys.filter { ($0.hasSuffix(".") || $0.hasSuffix("_")) && id.hasPrefix($0) }
            .max { $0.count < $1.count }.flatMap { table[$0] }
    }
}
