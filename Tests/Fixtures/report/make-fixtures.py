#!/usr/bin/env python3
"""Writes the report's test fixtures: suite JSON in the shapes the issues
document (3 inspect/scratch, 4 dns, 5 malloc, 6 conformance/abi, 8 size,
`bench server --json`, and dist/manifest.json). The numbers are realistic but invented: these
files test the renderers, they are not results. Deterministic output.
Run: python3 Tests/Fixtures/report/make-fixtures.py"""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
VERSIONS = {"swift": "6.1.2", "musl": "1.2.3", "glibc": "2.36"}

def dump(name, obj):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(obj, f, indent=1, sort_keys=True)
        f.write("\n")

header = {
    "generated": "2026-11-22T12:00:00Z", "mode": "quick", "product": "Sample",
    "machine": {"hostname": "FIXTURE DATA (invented numbers, not measurements)", "kernel": "6.1.0-28-amd64", "cpu_model": "Fixture CPU @ 2.40GHz",
                "cores": 2, "memory_mb": 7950, "arch": "x86_64"},
    "toolchain": {"swift": "6.1.2", "root": "/opt/swift", "musl": "1.2.3", "glibc": "2.36", "gcc": "12.2.0"},
    "project": {"git_commit": "0123456789abcdef0123456789abcdef01234567", "git_dirty": False},
}
dump("header.json", header)

sizes = {  # variant: (size, stripped)
    "musl": (7_412_336, 5_530_112), "glibc-static": (8_104_552, 6_021_440),
    "glibc-dynamic": (6_866_904, 5_102_808), "embedded-musl": (38_912, 22_528),
    "musl+mimalloc": (7_561_020, 5_648_960),
}
def variant_entry(product, v):
    if v == "sdk":
        return {"variant": "sdk", "status": "skipped", "reason": "Static Linux SDK not installed (swift sdk list is empty)"}
    size, stripped = sizes[v]
    dyn = v == "glibc-dynamic"
    return {"variant": v, "status": "ok", "path": f"{v}/{product}", "size": size, "stripped_size": stripped,
            "static": not dyn, "interpreter": "/lib64/ld-linux-x86-64.so.2" if dyn else None,
            "needed": ["libc.so.6", "libm.so.6"] if dyn else [], "link_warnings": [],
            "link_map": f"{v}/{product}.map", "allocator": "mimalloc" if v == "musl+mimalloc" else
            ("mallocng" if "musl" in v else "ptmalloc2"), "unresolved": [], "extra": {}}
order = ["musl", "glibc-static", "glibc-dynamic", "embedded-musl", "sdk", "musl+mimalloc"]
manifest = {"schema_version": 1, "generated": "2026-11-22T11:58:00Z",
            "toolchain": {"swift": "6.1.2", "root": "/opt/swift", "musl": "1.2.3", "glibc": "2.36", "gcc": "12.2.0"},
            # As build-static.sh does it: embedded-musl is built as the product embedded-probe.
            "products": [{"product": p, "package_path": "/work/project",
                          "variants": [variant_entry(p, v) for v in order if v != "embedded-musl"]}
                         for p in ["Sample", "dns-probe"]]
                        + [{"product": "embedded-probe", "package_path": "/work/project",
                            "variants": [variant_entry("embedded-probe", "embedded-musl")]}]}
dump("manifest.json", manifest)

built = [v for v in order if v != "sdk"]
def inspect_file(v):
    dyn = v == "glibc-dynamic"
    libc = "glibc" if "glibc" in v else "musl"
    ev = (["OS/ABI GNU", ".note.ABI-tag", "section __libc_freeres_ptrs", "string GLIBC_PRIVATE"] if libc == "glibc"
          else ["symbol __init_libc", "mallocng size_classes table", "string \"No error information\""])
    product = "embedded-probe" if v == "embedded-musl" else "Sample"
    return {"path": f".build-static/dist/{v}/{product}", "class": "dynamic" if dyn else ("static-pie" if v == "glibc-static" else "static"),
            "libc": libc, "libc_evidence": ev, "interpreter": "/lib64/ld-linux-x86-64.so.2" if dyn else None,
            "needed": ["libc.so.6", "libm.so.6"] if dyn else [], "stripped": False, "swift_runtime": v != "embedded-musl",
            "embedded_swift": v == "embedded-musl", "nss_risk": v == "glibc-static", "size": sizes[v][0], "arch": "x86_64",
            "warnings": []}
dump("inspect.json", {"files": [inspect_file(v) for v in built], "versions": VERSIONS})

def scratch_run(v):
    if v == "glibc-dynamic":
        return {"variant": v, "product": "Sample", "exit_status": 127, "signal": None, "stdout": "",
                "stderr": "exec: No such file or directory", "verdict": "fail",
                "reason": "missing loader /lib64/ld-linux-x86-64.so.2"}
    return {"variant": v, "product": "embedded-probe" if v == "embedded-musl" else "Sample", "exit_status": 0, "signal": None, "stdout": "sample ok\n",
            "stderr": "", "verdict": "ok", "reason": None}
def with_battery(run):
    # As the scratch-readiness battery reports it: the root configuration and the probe's "check: value" lines.
    run["config"] = "docker"
    if run["verdict"] == "ok":
        musl = "musl" in run["variant"]
        run["checks"] = {"tz": "TZ=America/New_York -> " + ("UTC" if musl else "EST"),
                         "getpwnam-root": "NULL errno=2" if not musl else "NULL errno=0",
                         "tmpfile": "NULL errno=2 (No such file or directory)"}
    return run
def c_probe(variant):
    # The battery's C probe on each musl: the musl 1.2.5 column has no Sample build, so this row stands for it.
    return {"variant": variant, "binary": variant, "kind": "c-probe", "config": "docker", "exit_status": 0, "signal": None,
            "stdout": "", "stderr": "", "verdict": "ok", "reason": "exited 0",
            "checks": {"tz": "TZ=America/New_York -> UTC", "getpwnam-root": "NULL errno=0",
                       "tmpfile": "NULL errno=2 (No such file or directory)"}}
dump("scratch.json", {"runs": [with_battery(scratch_run(v)) for v in built]
                      + [c_probe("c-musl-static"), c_probe("c-musl-1.2.5-static")], "versions": VERSIONS})

DNS_VARIANTS = ["c-glibc-dynamic", "c-glibc-static", "c-musl-static",
                "swift-glibc-dynamic", "swift-glibc-static", "swift-musl-static"]
# musl 1.2.5's probes: as 1.2.3 everywhere but where 1.2.4 changed it (the TCP fallback).
DNS_VARIANTS_125 = ["c-musl-1.2.5-static", "swift-musl-1.2.5-static"]
AS_GLIBC_ON_125 = {"tc-with-tcp"}
def q(name, t="A", server="127.0.0.1", transport="udp", edns=None):
    return {"server": server, "transport": transport, "type": t, "name": name, "edns": edns}
K8S = ["a.svc.cluster.local", "svc.cluster.local", "cluster.local"]
scenarios = [
    ("ndots1-plain", "A name with fewer dots than ndots goes through search", "the common case",
     lambda musl: ("ok", ["10.0.0.1"], [q("www.example.com."), q("www.example.com.", "AAAA")])),
    ("k8s-ndots5", "Kubernetes pod: ndots:5 with three cluster suffixes", "counts the queries a service lookup costs",
     lambda musl: ("ok", ["10.1.1.1"], sum(([q(f"api.{s}."), q(f"api.{s}.", "AAAA")] for s in K8S), [])
                   + [q("api."), q("api.", "AAAA")])),
    ("servfail-mid-search", "SERVFAIL from the second search domain", "musl stops the search at SERVFAIL; glibc goes on",
     lambda musl: (("EAI_AGAIN", [], [q("db.one.test."), q("db.one.test.", "AAAA"), q("db.two.test."), q("db.two.test.", "AAAA")])
                   if musl else ("ok", ["10.3.3.3"], [q("db.one.test."), q("db.one.test.", "AAAA"), q("db.two.test."),
                                 q("db.two.test.", "AAAA"), q("db.three.test."), q("db.three.test.", "AAAA")]))),
    ("tc-with-tcp", "UDP answer truncated (TC=1), full answer over TCP", "musl 1.2.3 has no TCP fallback",
     lambda musl: (("ok", ["10.9.0.1"], [q("big.test."), q("big.test.", "AAAA")]) if musl else
                   ("ok", [f"10.9.0.{i}" for i in range(1, 9)], [q("big.test."), q("big.test.", "AAAA"),
                    q("big.test.", transport="tcp"), q("big.test.", "AAAA", transport="tcp")]))),
    ("nsswitch-dns-files", "hosts: dns files in nsswitch.conf", "musl ignores nsswitch.conf and reads /etc/hosts first",
     lambda musl: (("ok", ["192.0.2.7"], []) if musl else ("ok", ["10.7.7.7"], [q("local.test."), q("local.test.", "AAAA")]))),
    ("timeout-second-server", "First nameserver drops, second answers", "timeout:1 attempts:1 across two servers",
     lambda musl: ("ok", ["10.4.4.4"], [q("slow.test."), q("slow.test.", "AAAA"),
                   q("slow.test.", server="127.0.0.2"), q("slow.test.", "AAAA", server="127.0.0.2")])),
    ("numeric-127.1", "Numeric host \"127.1\"", "inet_aton forms", lambda musl: ("ok", ["127.0.0.1"], [])),
    ("edns0-option", "options edns0", "EDNS advertised size", lambda musl: ("ok", ["10.5.5.5"],
     [q("e.test.", edns=(None if musl else 1200)), q("e.test.", "AAAA", edns=(None if musl else 1200))])),
]
results, meta = [], []
for sid, title, why, fn in scenarios:
    # As the dns suite writes them: "verdicts" keyed by "scenario"; no verdict here, the report derives it.
    meta.append({"scenario": sid, "title": title, "why": why,
                 "observations": ["musl sends no EDNS"] if sid == "edns0-option" else []})
    for i, v in enumerate(DNS_VARIANTS + DNS_VARIANTS_125):
        status, addrs, queries = fn("musl" in v and not (v in DNS_VARIANTS_125 and sid in AS_GLIBC_ON_125))
        names = []
        for q_ in queries:
            if not names or names[-1] != q_["name"]: names.append(q_["name"])
        results.append({"scenario": sid, "variant": v, "status": status, "addresses": addrs, "canonical_name": None,
                        "queries": queries, "queried_names": names, "query_count": len(queries), "retransmissions": 0,
                        "elapsed_ms": 3 + 2 * i + (1000 if sid == "timeout-second-server" else 0)})
dump("dns.json", {"results": results, "verdicts": meta, "versions": VERSIONS})

# ops/s at 1, 2, 4 threads per variant and workload (millions)
base = {"thread-local": (24, 40, 41), "small-churn": (30, 52, 53), "producer-consumer": (9, 14, 15),
        "cross-thread": (12, 19, 20), "medium": (3.1, 5.6, 5.8), "false-sharing": (45, 88, 90)}
factor = {"glibc-static": 1.0, "glibc-dynamic": 0.97, "musl-static": None, "musl-static+mimalloc": 2.3}
musl = {"thread-local": (18, 10.5, 6.2), "small-churn": (11, 3.9, 2.2), "producer-consumer": (6, 4.1, 3.0),
        "cross-thread": (7, 3.6, 2.4), "medium": (0.9, 0.7, 0.6), "false-sharing": (30, 12, 9)}
mres = []
for w, trip in base.items():
    for v, f in factor.items():
        for idx, t, spawned in [(0, 1, False), (0, 1, True), (1, 2, True), (2, 4, True)]:
            # The 1-thread run twice, as the malloc suite does: on the main thread (musl skips its lock) and spawned.
            med = (musl[w][idx] * (1.6 if not spawned else 1) if f is None else trip[idx] * f) * 1e6
            mres.append({"workload": w, "variant": v, "threads": t, "spawned": spawned, "repetitions": 3,
                         "ops_per_sec": {"median": med, "min": med * 0.96,
                         "max": med * 1.03}, "ns_per_op": 1e9 * t / med, "efficiency": med / ((musl[w][0] if f is None
                         else trip[0] * f) * 1e6 * t), "user_s": 0.5 * t, "sys_s": 0.02 * t * (8 if f is None else 1),
                         "peak_rss_kb": 4200 + 900 * t})
# mallocng as musl 1.2.5 ships it: as 1.2.3, but medium allocations scale with threads (no madvise on free).
for w in base:
    for idx, t, spawned in [(0, 1, False), (0, 1, True), (1, 2, True), (2, 4, True)]:
        med = musl[w][idx] * (1.6 if not spawned else 1) * (2.5 * t if w == "medium" and t > 1 else 1) * 1e6
        mres.append({"workload": w, "variant": "musl-1.2.5-static", "threads": t, "spawned": spawned, "repetitions": 3,
                     "ops_per_sec": {"median": med, "min": med * 0.96, "max": med * 1.03}, "ns_per_op": 1e9 * t / med,
                     "efficiency": med / (musl[w][0] * 1e6 * t), "user_s": 0.5 * t, "sys_s": 0.02 * t * 8,
                     "peak_rss_kb": 4200 + 900 * t})
dump("malloc.json", {"machine": {"cores": 2, "cpu_model": "Fixture CPU @ 2.40GHz", "kernel": "6.1.0-28-amd64",
                                 "musl": "1.2.3", "glibc": "2.36"}, "results": mres})

# `static-musl bench server --json` as the report's --quick runs it: one 3 s wrk run per variant.
# variant: (req/s, p50 ms, p99 ms, peak RSS KiB)
server = {"glibc-dynamic": (11420.3, 0.88, 5.21, 28364), "glibc-static": (11051.2, 0.84, 5.52, 27853),
          "musl": (10218.7, 0.71, 6.02, 19968), "musl+mimalloc": (12380.9, 0.63, 4.81, 23450)}
gs = server["glibc-static"]
dump("server.json", {"schema_version": 1, "product": "vapor-hello", "path": "/", "seconds": 3, "runs": 1,
                     "connections": 16, "cores": 2, "pinning": "server on CPUs 0-0, wrk on CPUs 1-1",
                     "versions": {"swift": "6.1.2", "root": "/opt/swift", "musl": "1.2.3", "glibc": "2.36"},
                     "rows": [{"variant": v, "runs": [{"requests_per_second": rps, "p50_ms": p50, "p99_ms": p99}],
                               "requests_per_second": rps, "p50_ms": p50, "p99_ms": p99, "peak_rss_kib": rss,
                               "requests_ratio_to_glibc_static": rps / gs[0], "p99_ratio_to_glibc_static": p99 / gs[2]}
                              for v, (rps, p50, p99, rss) in server.items()]})

CV = ["swift-glibc-dynamic", "swift-glibc-static", "swift-musl-static"]
def check(cid, values, verdict="same", expl=None):
    return {"id": cid, "results": dict(zip(CV, values)), "verdict": verdict, "explanation": expl}
same = lambda cid, v: check(cid, [v, v, v])
checks = [same("json.roundtrip", "ok 3 keys"), same("plist.roundtrip", "ok"), same("data.base64", "aGVsbG8="),
          same("fm.create-move", "ok"), same("fm.symlink", "ok -> target"), same("date.iso8601", "2024-03-10T07:00:00Z"),
          check("libc.strerror0", ["Success", "Success", "No error information"], "differs",
                "strerror(0): glibc says \"Success\", musl \"No error information\""),
          check("date.tz-no-zoneinfo", ["EST", "EST", "UTC"], "differs",
                "without /usr/share/zoneinfo musl falls back to UTC; glibc reads the TZ rule from the host"),
          same("dispatch.group", "ok 100"), same("task.group", "ok 5050"), same("mutex.counter", "ok 200000"),
          check("crash.fatalError", ["Fatal error: boom (backtrace 12 frames)", "Fatal error: boom (backtrace 12 frames)",
                "Fatal error: boom (no backtrace)"], "differs", "the musl link has no backtracer; the message is the same"),
          same("process.exit-code", "ok 3"), same("qsort.bsearch", "ok")]
for c in checks:
    c["explained"] = c["verdict"] == "same" or c["explanation"] is not None
    # The probe built on musl 1.2.5 answers as 1.2.3's; its label names the version, its variant is "musl".
    c["results"]["swift-musl-1.2.5-static"] = c["results"]["swift-musl-static"]
    # The run inside the scratch root has its own label; it stands for no column.
    c["results"]["swift-musl-static@scratch"] = c["results"]["swift-musl-static"]
labels = [{"label": l, "variant": v, "place": "host"} for l, v in
          [("swift-glibc-dynamic", "glibc-dynamic"), ("swift-glibc-static", "glibc-static"), ("swift-musl-static", "musl")]]
labels.append({"label": "swift-musl-1.2.5-static", "variant": "musl", "place": "host"})
labels.append({"label": "swift-musl-static@scratch", "variant": "musl", "place": "scratch"})
dump("conformance.json", {"checks": checks, "variants": labels, "versions": VERSIONS})

def t(size, align, fields): return {"size": size, "align": align, "fields": fields}
items = [
    {"name": "regex_t", "kind": "type", "glibc": t(64, 8, {"re_nsub": 48}), "musl": t(64, 8, {"re_nsub": 0}),
     "match": False, "risk": "code compiled against glibc reads re_nsub at offset 48; musl stores it at 0"},
    {"name": "struct stat", "kind": "type", "glibc": t(144, 8, {"st_size": 48, "st_mtim": 88}),
     "musl": t(144, 8, {"st_size": 48, "st_mtim": 88}), "match": True, "risk": None},
    {"name": "pthread_mutex_t", "kind": "type", "glibc": t(40, 8, {}), "musl": t(40, 8, {}), "match": True, "risk": None},
    {"name": "struct dirent", "kind": "type", "glibc": t(280, 8, {"d_name": 19}), "musl": t(280, 8, {"d_name": 19}),
     "match": True, "risk": None},
    {"name": "jmp_buf", "kind": "type", "glibc": t(200, 8, {}), "musl": t(200, 8, {}), "match": True, "risk": None},
    {"name": "PTHREAD_STACK_MIN", "kind": "constant", "glibc": 16384, "musl": 2048, "match": False,
     "risk": "a glibc-compiled minimum is larger than musl's; harmless"},
    {"name": "GLOB_BRACE", "kind": "constant", "glibc": 1024, "musl": None, "match": False,
     "risk": "musl's glob() ignores the bit: brace patterns silently do not expand"},
    {"name": "O_CLOEXEC", "kind": "constant", "glibc": 524288, "musl": 524288, "match": True, "risk": None},
    {"name": "EAI_NONAME", "kind": "constant", "glibc": -2, "musl": -2, "match": True, "risk": None},
]
for it in items:
    it["header"] = "regex.h" if it["name"] == "regex_t" else "various"
    it["status"] = "match" if it["match"] else ("glibc-only" if it["musl"] is None else "mismatch")
    it["differences"] = ["re_nsub offset 48 vs 0"] if it["name"] == "regex_t" else []
dump("abi.json", {"items": items, "versions": VERSIONS})

def size_doc(v):
    total = sizes[v][0]
    archives = [("libswiftCore.a", 0.62), ("libc.a", 0.08 if "musl" in v else 0.11), ("CShim", 0.01),
                ("Sample.build/main.swift.o", 0.004), ("libswift_Concurrency.a", 0.09)]
    # As `static-musl size --json` writes it: file_size, explained_fraction, archives with a "why" chain.
    return {"binary": f".build-static/dist/{v}/Sample", "file_size": total, "explained_fraction": 0.978,
            "archives": [{"archive": n, "bytes": int(total * s), "members": 10,
                          "why": {"text": "libswiftCore.a ← Sample.build/main.swift.o ($ss5print_9separator10terminatoryypd_S2StF)",
                                  "steps": []} if n == "libswiftCore.a" else None}
                         for n, s in archives]}
dump("size.json", {"runs": [{"variant": v, "product": "Sample", "size": size_doc(v)} for v in built if v != "embedded-musl"]})
