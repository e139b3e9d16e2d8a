// The Swift resolver probe of the dns lab: same arguments and output as
// Probes/programs/dns_probe.c (see there). On glibc, getaddrinfo is called
// straight through the Glibc module and its addrinfo list is walked in
// Swift; on musl (Swift objects compiled against glibc headers, relinked
// with musl) every call goes through CShim, which was compiled for musl.
#if canImport(Glibc)
import Glibc
#endif
import CShimPlatform
import CShimProbe

func fail(_ message: String, _ code: Int32 = 2) -> Never {
    fputs("dns-probe: \(message)\n", stderr)
    exit(code)
}

let flagBits: [String: Int32] = [
    "AI_CANONNAME": Int32(CSHIM_AI_CANONNAME), "AI_ADDRCONFIG": Int32(CSHIM_AI_ADDRCONFIG),
    "AI_NUMERICHOST": Int32(CSHIM_AI_NUMERICHOST), "AI_V4MAPPED": Int32(CSHIM_AI_V4MAPPED),
    "AI_ALL": Int32(CSHIM_AI_ALL), "AI_NUMERICSERV": Int32(CSHIM_AI_NUMERICSERV), "AI_PASSIVE": Int32(CSHIM_AI_PASSIVE),
]

var call = "getaddrinfo", name: String?, service: String?, family = Int32(CSHIM_FAMILY_UNSPEC)
var flags: Int32 = 0, nullHints = false, qtype: Int32 = 1, copy: (String, String)?
var threads = 0, rounds = 1
var args = CommandLine.arguments.dropFirst().makeIterator()
while let a = args.next() {
    if a == "--null-hints" { nullHints = true; continue }
    guard let v = args.next() else { fail("\(a) needs a value") }
    switch a {
    case "--call": call = v
    case "--name": name = v
    case "--service": service = v
    case "--qtype": qtype = Int32(v) ?? 1
    case "--threads": threads = Int(v) ?? -1
    case "--rounds": rounds = Int(v) ?? -1
    case "--family": family = Int32(v == "inet" ? CSHIM_FAMILY_INET : v == "inet6" ? CSHIM_FAMILY_INET6 : CSHIM_FAMILY_UNSPEC)
    case "--flags":
        for f in v.split(separator: ",") {
            guard let bit = flagBits[String(f)] else { fail("unknown flag \(f)") }
            flags |= bit
        }
    case "--then-copy":
        guard let dst = args.next() else { fail("--then-copy needs SRC DST") }
        copy = (v, dst)
    default: fail("unknown argument \(a)")
    }
}
guard let name else { fail("--name is required") }
let libc = String(cString: cshim_libc_name())

/// getaddrinfo through the Glibc module: hints built and results walked in Swift.
func swiftGetaddrinfo(_ name: String) -> String {
    var hints = addrinfo()
    hints.ai_family = family == Int32(CSHIM_FAMILY_INET) ? AF_INET : family == Int32(CSHIM_FAMILY_INET6) ? AF_INET6 : AF_UNSPEC
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    let map: [(Int32, Int32)] = [(Int32(CSHIM_AI_CANONNAME), AI_CANONNAME), (Int32(CSHIM_AI_ADDRCONFIG), AI_ADDRCONFIG),
                                 (Int32(CSHIM_AI_NUMERICHOST), AI_NUMERICHOST), (Int32(CSHIM_AI_V4MAPPED), AI_V4MAPPED),
                                 (Int32(CSHIM_AI_ALL), AI_ALL), (Int32(CSHIM_AI_NUMERICSERV), AI_NUMERICSERV),
                                 (Int32(CSHIM_AI_PASSIVE), AI_PASSIVE)]
    hints.ai_flags = map.reduce(0) { flags & $1.0 != 0 ? $0 | $1.1 : $0 }
    var res: UnsafeMutablePointer<addrinfo>?
    let rc = nullHints ? getaddrinfo(name, service, nil, &res) : getaddrinfo(name, service, &hints, &res)
    var out = "status \(String(cString: cshim_dns_eai_name(rc)))\n"
    if rc == EAI_SYSTEM { out += "errno \(errno)\n" }
    guard rc == 0 else { return out }
    defer { freeaddrinfo(res) }
    if let canon = res?.pointee.ai_canonname { out += "canon \(String(cString: canon))\n" }
    var p = res
    while let ai = p?.pointee {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        var port: UInt16 = 0
        if ai.ai_family == AF_INET {
            ai.ai_addr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                var a = sin.pointee.sin_addr
                _ = inet_ntop(AF_INET, &a, &text, socklen_t(text.count))
                port = UInt16(bigEndian: sin.pointee.sin_port)
            }
        } else if ai.ai_family == AF_INET6 {
            ai.ai_addr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
                var a = sin6.pointee.sin6_addr
                _ = inet_ntop(AF_INET6, &a, &text, socklen_t(text.count))
                port = UInt16(bigEndian: sin6.pointee.sin6_port)
            }
        } else {
            text = Array("?".utf8CString)
        }
        out += "addr \(String(cString: text))" + (port != 0 ? " port \(port)" : "") + "\n"
        p = ai.ai_next
    }
    return out
}

/// The same calls through CShim (the C probe's code, compiled for this libc).
func shim(_ body: (UnsafeMutablePointer<CChar>, Int) -> Void) -> String {
    var buffer = [CChar](repeating: 0, count: 65536)
    buffer.withUnsafeMutableBufferPointer { body($0.baseAddress!, $0.count) }
    return String(cString: buffer)
}

/// One getaddrinfo the way this libc's variant makes it (see the loop below).
func lookupOnce(_ name: String) -> String {
    libc == "glibc" ? swiftGetaddrinfo(name)
        : shim { _ = cshim_dns_getaddrinfo(name, service, family, flags, nullHints ? 1 : 0, $0, $1) }
}

/// `text` with every `mark` replaced (stdlib only: String.replacing would
/// link _StringProcessing, about 2 MB, into this stdlib-only probe).
func substitute(_ text: String, _ mark: String, _ replacement: String) -> String {
    var out = "", i = text.startIndex
    while i < text.endIndex {
        if text[i...].hasPrefix(mark) {
            out += replacement
            i = text.index(i, offsetBy: mark.count)
        } else {
            out.append(text[i])
            i = text.index(after: i)
        }
    }
    return out
}

/// --threads: what each thread saw (C probe: run_threads).
struct Worker {
    var name: String
    var first = ""
    var differing = 0
}

func runThreads() -> Never {
    guard (1...64).contains(threads), rounds >= 1, call == "getaddrinfo", copy == nil else {
        fail("--threads wants 1 to 64 threads, --rounds at least 1, getaddrinfo and no --then-copy")
    }
    let workers = UnsafeMutableBufferPointer<Worker>.allocate(capacity: threads)
    for i in 0..<threads { (workers.baseAddress! + i).initialize(to: Worker(name: substitute(name, "{thread}", "\(i)"))) }
    sharedWorkers = workers
    var ids = [pthread_t](repeating: 0, count: threads)
    for i in 0..<threads {
        let started = pthread_create(&ids[i], nil, { arg in
            let i = Int(bitPattern: arg) - 1
            let w = sharedWorkers.baseAddress! + i
            w.pointee.first = lookupOnce(w.pointee.name)
            if rounds > 1 {
                for _ in 2...rounds where lookupOnce(w.pointee.name) != w.pointee.first { w.pointee.differing += 1 }
            }
            return nil
        }, UnsafeMutableRawPointer(bitPattern: i + 1))
        if started != 0 { fail("cannot start thread \(i)", 3) }
    }
    for id in ids { pthread_join(id, nil) }
    for (i, w) in workers.enumerated() {
        var block = "lookup \(i + 1)\nthread \(i) \(w.name)\n\(w.first)"
        if w.differing > 0 { block += "status inconsistent: \(w.differing) of \(rounds) rounds differ\n" }
        print(block + "end")
    }
    fflush(stdout)
    exit(0)
}
nonisolated(unsafe) var sharedWorkers = UnsafeMutableBufferPointer<Worker>(start: nil, count: 0)

print("probe swift \(libc) \(String(cString: cshim_libc_version()))")
if threads != 0 { runThreads() }
for round in 1...(copy == nil ? 1 : 2) {
    if round == 2, let (src, dst) = copy {
        guard let f = fopen(src, "r") else { fail("cannot read \(src)", 3) }
        var data = [UInt8](repeating: 0, count: 8192)
        let n = fread(&data, 1, data.count, f)
        fclose(f)
        guard let o = fopen(dst, "w") else { fail("cannot write \(dst)", 3) }
        fwrite(data, 1, n, o)
        fclose(o)
    }
    let text: String
    switch call {
    case "getaddrinfo":
        text = lookupOnce(name)
    case "gethostbyname":
        text = shim { _ = cshim_dns_gethostbyname(name, family, $0, $1) }
    case "res_query", "res_search":
        text = shim { _ = cshim_dns_res_query(name, call == "res_search" ? 1 : 0, qtype, $0, $1) }
    default:
        fail("unknown call \(call)")
    }
    print("lookup \(round)\n\(text)end")
    fflush(stdout)
}
