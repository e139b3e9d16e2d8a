import Foundation

/// How the lab's server truncates a UDP answer that does not fit: with the
/// whole records that fit (CoreDNS, the resolver inside Kubernetes) or with
/// an empty answer section (BIND and Unbound when the RRset does not fit).
/// Both set TC=1; a resolver that retries over TCP gets everything either way.
public enum DNSTruncation: String, Codable, Sendable {
    case partial, empty
}

/// What the scripted server does for one name (optionally on some servers).
public struct DNSZoneEntry: Equatable, Sendable {
    public var a: [String] = []
    public var aaaa: [String] = []
    public var cname: String?
    /// nil: NOERROR with the records (NODATA when there are none).
    public var rcode: DNSRcode?
    public var drop = false
    /// Drop only these query types (e.g. AAAA unanswered, A answered).
    public var dropTypes: Set<UInt16> = []
    /// Always answer UDP with TC=1 and no records.
    public var truncate = false
    public var delayMs = 0
    public var aa = false
    public var ra = true
    public var ad = false
    /// The servers that have this entry; empty means every server.
    public var servers: [String] = []
    public init() {}
}

/// The lookup a probe performs.
public struct DNSLookup: Equatable, Sendable {
    public static let calls = ["getaddrinfo", "gethostbyname", "res_query", "res_search"]
    public static let families = ["unspec", "inet", "inet6"]
    public static let flagNames = ["AI_CANONNAME", "AI_ADDRCONFIG", "AI_NUMERICHOST", "AI_V4MAPPED", "AI_ALL",
                                   "AI_NUMERICSERV", "AI_PASSIVE"]
    public var call = "getaddrinfo"
    public var name = ""
    public var family = "unspec"
    public var flags: [String] = []
    public var service: String?
    public var nullHints = false
    public var qtype = "A"
    /// Concurrent lookups: this many threads at once (getaddrinfo only),
    /// each looking up `name` with "{thread}" replaced by its number, `rounds` times.
    public var threads = 1
    public var rounds = 1
    public static let threadPlaceholder = "{thread}"
    public static let maxThreads = 64, maxRounds = 1000

    public var isConcurrent: Bool { threads > 1 }

    /// The probe's arguments (C and Swift probes take the same ones).
    public var probeArguments: [String] {
        var args = ["--call", call, "--name", name, "--family", family]
        if !flags.isEmpty { args += ["--flags", flags.joined(separator: ",")] }
        if let service { args += ["--service", service] }
        if nullHints { args.append("--null-hints") }
        if call.hasPrefix("res_") { args += ["--qtype", String(DNSLookup.qtypes[qtype] ?? 1)] }
        if isConcurrent { args += ["--threads", String(threads), "--rounds", String(rounds)] }
        return args
    }
    static let qtypes: [String: UInt16] = ["A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "PTR": 12, "MX": 15, "TXT": 16,
                                           "AAAA": 28, "SRV": 33, "ANY": 255]
}

/// One scenario of the catalogue: the files the resolvers read, the
/// server's zone, and the lookup. Built only by `DNSScenarioParser`.
public struct DNSScenario: Equatable, Sendable {
    public static let defaultHosts = "127.0.0.1 localhost\n::1 localhost\n"
    public static let defaultNsswitch = "hosts: files dns\nservices: files\n"
    public static let defaultServices = "domain 53/tcp\ndomain 53/udp\nhttp 80/tcp\nhttps 443/tcp\nimaps 993/tcp\n"

    public var id: String
    public var title: String
    public var why: String
    public var resolvConf: String
    /// When set, the probe looks up twice and this replaces resolv.conf in between.
    public var resolvConfAfter: String?
    public var hosts = DNSScenario.defaultHosts
    public var nsswitchConf = DNSScenario.defaultNsswitch
    public var hostConf = ""
    public var gaiConf = ""
    public var services = DNSScenario.defaultServices
    public var env: [String: String] = [:]
    public var zones: [String: DNSZoneEntry] = [:]
    public var defaultRcode: DNSRcode = .nxdomain
    public var tcp = true
    /// What a UDP answer too large for its datagram carries besides TC=1.
    public var truncation: DNSTruncation = .partial
    /// Added to every answer without a `delay_ms` of its own (a slow
    /// upstream: the cost of each query a search list adds).
    public var delayMs = 0
    public var lookup = DNSLookup()
    /// The raw JSON object, passed on to the server inside the namespace.
    public var raw: [String: Any] { rawStorage.value }
    var rawStorage: RawJSON

    public static func == (a: DNSScenario, b: DNSScenario) -> Bool { a.id == b.id && a.zones == b.zones && a.lookup == b.lookup }

    /// The nameserver addresses resolv.conf files name, in order.
    public var nameservers: [String] {
        DNSScenarioParser.nameservers(resolvConf) + DNSScenarioParser.nameservers(resolvConfAfter ?? "")
    }

    /// The zone entry the server `server` uses for `name` (lower-case,
    /// absolute): a "name@server" entry first, then "name" when its
    /// `servers` list is empty or holds `server`.
    public func entry(for name: String, server: String) -> DNSZoneEntry? {
        if let e = zones["\(name)@\(server)"] { return e }
        guard let e = zones[name] else { return nil }
        return e.servers.isEmpty || e.servers.contains(server) ? e : nil
    }
}

struct RawJSON: @unchecked Sendable { var value: [String: Any] }

public enum DNSError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, why: String)
    case invalidJSON(path: String, why: String)
    case invalidField(field: String, why: String)
    case unknownScenario(String, known: Int)
    case unknownVariant(String)
    /// `--from-json FILE` is not a saved dns report.
    case unusableReport(path: String, why: String)
    case serverFailed(String)
    case probeUnavailable(variant: String, why: String)
    case noProjectRoot

    /// The input was refused (scenario file, --only, --variants), as
    /// opposed to the lab failing to run: the CLI exits 2 for these.
    public var isInputError: Bool {
        switch self {
        case .unreadable, .invalidJSON, .invalidField, .unknownScenario, .unknownVariant, .unusableReport: return true
        case .serverFailed, .probeUnavailable, .noProjectRoot: return false
        }
    }

    public var description: String {
        switch self {
        case .unreadable(let path, let why): return "cannot read scenario file \(path): \(why)"
        case .invalidJSON(let path, let why): return "scenario file \(path) is not valid JSON: \(DNSScenarioParser.visible(why))"
        case .invalidField(let field, let why):
            // Values from the file are shown with control bytes escaped: a raw
            // NUL would cut the one-line message in a terminal or a log.
            return "scenario field \(DNSScenarioParser.visible(field)): \(DNSScenarioParser.visible(why))"
        case .unknownScenario(let id, let known): return "--only \(id): no scenario has this id (the file has \(known))"
        case .unknownVariant(let v): return "unknown variant '\(v)' (expected all or a comma list of \(DNSVariant.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .unusableReport(let path, let why): return "--from-json \(DNSScenarioParser.visible(path)): \(DNSScenarioParser.visible(why))"
        case .serverFailed(let why): return "the scripted DNS server failed: \(why)"
        case .probeUnavailable(let v, let why): return "probe for \(v) unavailable: \(why)"
        case .noProjectRoot: return "cannot find the project root (toolchain/build-static.sh); run inside the checkout or set STATIC_MUSL_ROOT"
        }
    }
}

/// Reads and validates scenario files. Every refusal names the field
/// (`scenarios[3] (k8s-ndots5).zones["a."].rcode`) and says why.
public enum DNSScenarioParser {
    public static func load(path: String) throws -> [DNSScenario] {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw DNSError.unreadable(path: path, why: FileFailure.reason(error))
        }
        return try parse(data: data, path: path)
    }

    public static func parse(data: Data, path: String = "<scenarios>") throws -> [DNSScenario] {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            let why = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            throw DNSError.invalidJSON(path: path, why: why)
        }
        guard let top = object as? [String: Any] else { throw DNSError.invalidField(field: "(top level)", why: "must be an object {\"scenarios\": [...]}") }
        try checkKeys(top, allowed: ["scenarios", "comment"], at: "")
        guard let list = top["scenarios"] as? [Any] else { throw DNSError.invalidField(field: "scenarios", why: "missing, or not an array") }
        var seen: Set<String> = []
        return try list.enumerated().map { (i, item) in
            guard let obj = item as? [String: Any] else { throw DNSError.invalidField(field: "scenarios[\(i)]", why: "must be an object") }
            let s = try scenario(obj, at: "scenarios[\(i)]")
            guard seen.insert(s.id).inserted else { throw DNSError.invalidField(field: "scenarios[\(i)].id", why: "duplicate id \"\(s.id)\"") }
            return s
        }
    }

    static let scenarioKeys: Set<String> = ["id", "title", "why", "resolv_conf", "resolv_conf_after", "hosts", "nsswitch_conf",
                                            "host_conf", "gai_conf", "services", "env", "zones", "default_rcode", "tcp", "truncation", "delay_ms", "lookup"]
    static let zoneKeys: Set<String> = ["A", "AAAA", "cname", "rcode", "drop", "drop_types", "truncate", "delay_ms",
                                        "aa", "ra", "ad", "servers"]
    static let lookupKeys: Set<String> = ["call", "name", "family", "flags", "service", "null_hints", "qtype", "threads", "rounds"]

    public static func scenario(_ o: [String: Any], at base: String) throws -> DNSScenario {
        let idText = (o["id"] as? String).map { " (\($0))" } ?? ""
        let at = base + idText
        try checkKeys(o, allowed: scenarioKeys, at: at)
        let id = try string(o, "id", at: at, required: true)!
        guard !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
            throw DNSError.invalidField(field: "\(at).id", why: "must be non-empty letters, digits, '-', '_' or '.'")
        }
        let resolv = try string(o, "resolv_conf", at: at, required: true)!
        var s = DNSScenario(id: id, title: try string(o, "title", at: at, required: true)!,
                            why: try string(o, "why", at: at, required: true)!, resolvConf: resolv,
                            rawStorage: RawJSON(value: o))
        try checkResolvConf(resolv, field: "\(at).resolv_conf")
        if let after = try string(o, "resolv_conf_after", at: at) {
            try checkResolvConf(after, field: "\(at).resolv_conf_after")
            s.resolvConfAfter = after
        }
        if let v = try string(o, "hosts", at: at) { s.hosts = v }
        if let v = try string(o, "nsswitch_conf", at: at) { s.nsswitchConf = v }
        if let v = try string(o, "host_conf", at: at) { s.hostConf = v }
        if let v = try string(o, "gai_conf", at: at) { s.gaiConf = v }
        if let v = try string(o, "services", at: at) { s.services = v }
        if let v = o["env"] {
            guard let env = v as? [String: Any] else { throw DNSError.invalidField(field: "\(at).env", why: "must be an object of strings") }
            for (k, value) in env.sorted(by: { $0.key < $1.key }) {
                guard let str = value as? String else { throw DNSError.invalidField(field: "\(at).env.\(k)", why: "must be a string") }
                guard !(k + str).utf8.contains(0) else {
                    throw DNSError.invalidField(field: "\(at).env.\(visible(k))", why: "contains a NUL byte; the environment holds C strings, which would end there")
                }
                s.env[k] = str
            }
        }
        if let v = try string(o, "default_rcode", at: at) { s.defaultRcode = try rcode(v, field: "\(at).default_rcode") }
        if let v = o["tcp"] {
            guard let b = v as? Bool else { throw DNSError.invalidField(field: "\(at).tcp", why: "must be true or false") }
            s.tcp = b
        }
        if let v = try string(o, "truncation", at: at) {
            guard let style = DNSTruncation(rawValue: v) else {
                throw DNSError.invalidField(field: "\(at).truncation", why: "must be \"partial\" or \"empty\", not \"\(visible(v))\"")
            }
            s.truncation = style
        }
        if let d = o["delay_ms"] {
            guard let num = d as? NSNumber, !isBoolean(num), let n = d as? Int, (0...10_000).contains(n) else {
                throw DNSError.invalidField(field: "\(at).delay_ms", why: "must be an integer from 0 to 10000")
            }
            s.delayMs = n
        }
        if let z = o["zones"] {
            guard let zones = z as? [String: Any] else { throw DNSError.invalidField(field: "\(at).zones", why: "must be an object keyed by name") }
            for (name, value) in zones {
                let field = "\(at).zones[\"\(visible(name))\"]"
                guard let e = value as? [String: Any] else { throw DNSError.invalidField(field: field, why: "must be an object") }
                // "name@127.0.0.2": what that one server says for name.
                let parts = name.split(separator: "@", maxSplits: 1).map(String.init)
                var key = normalize(parts.first ?? "")
                try checkName(key, field: field, what: "zone name")
                if parts.count == 2 {
                    guard IPAddressText.v4(parts[1]) != nil, IPAddressText.isLoopback(parts[1]) else {
                        throw DNSError.invalidField(field: field, why: "server \(parts[1]) is outside loopback: the lab's servers listen on 127.0.0.0/8 only")
                    }
                    key += "@" + parts[1]
                }
                s.zones[key] = try zoneEntry(e, at: field)
            }
        }
        guard let l = o["lookup"] as? [String: Any] else { throw DNSError.invalidField(field: "\(at).lookup", why: "missing, or not an object") }
        s.lookup = try lookup(l, at: "\(at).lookup")
        return s
    }

    static func zoneEntry(_ o: [String: Any], at: String) throws -> DNSZoneEntry {
        try checkKeys(o, allowed: zoneKeys, at: at)
        var e = DNSZoneEntry()
        e.a = try strings(o, "A", at: at)
        for (i, a) in e.a.enumerated() where IPAddressText.v4(a) == nil {
            throw DNSError.invalidField(field: "\(at).A[\(i)]", why: "\"\(a)\" is not an IPv4 address")
        }
        e.aaaa = try strings(o, "AAAA", at: at)
        for (i, a) in e.aaaa.enumerated() where IPAddressText.v6(a) == nil {
            throw DNSError.invalidField(field: "\(at).AAAA[\(i)]", why: "\"\(a)\" is not an IPv6 address")
        }
        if let c = o["cname"], !(c is NSNull) {
            guard let name = c as? String, !name.isEmpty else { throw DNSError.invalidField(field: "\(at).cname", why: "must be a name or null") }
            e.cname = normalize(name)
            try checkName(e.cname!, field: "\(at).cname", what: "CNAME target")
        }
        if let r = try string(o, "rcode", at: at) { e.rcode = try rcode(r, field: "\(at).rcode") }
        e.drop = try bool(o, "drop", at: at) ?? false
        e.truncate = try bool(o, "truncate", at: at) ?? false
        e.aa = try bool(o, "aa", at: at) ?? false
        e.ra = try bool(o, "ra", at: at) ?? true
        e.ad = try bool(o, "ad", at: at) ?? false
        for (i, t) in try strings(o, "drop_types", at: at).enumerated() {
            guard let code = DNSLookup.qtypes[t.uppercased()] else {
                throw DNSError.invalidField(field: "\(at).drop_types[\(i)]", why: "unknown value \"\(t)\" (expected one of \(DNSLookup.qtypes.keys.sorted().joined(separator: ", ")))")
            }
            e.dropTypes.insert(code)
        }
        if let d = o["delay_ms"] {
            guard let num = d as? NSNumber, !isBoolean(num), let n = d as? Int, (0...10_000).contains(n) else {
                throw DNSError.invalidField(field: "\(at).delay_ms", why: "must be an integer from 0 to 10000")
            }
            e.delayMs = n
        }
        e.servers = try strings(o, "servers", at: at)
        for (i, a) in e.servers.enumerated() where IPAddressText.v4(a) == nil || !IPAddressText.isLoopback(a) {
            throw DNSError.invalidField(field: "\(at).servers[\(i)]", why: "\"\(a)\" is outside loopback: the lab's servers listen on 127.0.0.0/8 only")
        }
        return e
    }

    static func lookup(_ o: [String: Any], at: String) throws -> DNSLookup {
        try checkKeys(o, allowed: lookupKeys, at: at)
        var l = DNSLookup()
        l.name = try string(o, "name", at: at, required: true)!
        // The resolver under test gets this name as it is: a 64-byte label
        // (label-64) or a 254-byte name (name-254) is what a scenario tests.
        // A NUL would cut the name in the probe's argv, and a name over 255
        // bytes is over RFC 1035's limit however it is written: both refused.
        if l.name.utf8.contains(0) {
            throw DNSError.invalidField(field: "\(at).name", why: "\"\(visible(l.name))\" contains a NUL byte; the probe passes the name as a C string, which would end there")
        }
        if l.name.utf8.count > maxNameBytes {
            throw DNSError.invalidField(field: "\(at).name", why: "is \(l.name.utf8.count) bytes; a name has at most \(maxNameBytes) (RFC 1035 §2.3.4)")
        }
        if let c = try string(o, "call", at: at) { l.call = try oneOf(c, DNSLookup.calls, field: "\(at).call") }
        if let f = try string(o, "family", at: at) { l.family = try oneOf(f, DNSLookup.families, field: "\(at).family") }
        l.flags = try strings(o, "flags", at: at)
        for (i, f) in l.flags.enumerated() { _ = try oneOf(f, DNSLookup.flagNames, field: "\(at).flags[\(i)]") }
        l.service = try string(o, "service", at: at)
        if let service = l.service, service.utf8.contains(0) {
            throw DNSError.invalidField(field: "\(at).service", why: "\"\(visible(service))\" contains a NUL byte; the probe passes it as a C string, which would end there")
        }
        l.nullHints = try bool(o, "null_hints", at: at) ?? false
        if let q = try string(o, "qtype", at: at) {
            l.qtype = try oneOf(q.uppercased(), DNSLookup.qtypes.keys.sorted(), field: "\(at).qtype")
        }
        l.threads = try integer(o, "threads", in: 1...DNSLookup.maxThreads, at: at) ?? 1
        l.rounds = try integer(o, "rounds", in: 1...DNSLookup.maxRounds, at: at) ?? 1
        if l.rounds > 1 && !l.isConcurrent {
            throw DNSError.invalidField(field: "\(at).rounds", why: "needs threads above 1 (rounds repeat each thread's lookup)")
        }
        if l.isConcurrent && l.call != "getaddrinfo" {
            throw DNSError.invalidField(field: "\(at).threads", why: "concurrent lookups use getaddrinfo, the one thread-safe call of the four; not \(l.call)")
        }
        return l
    }

    // MARK: helpers

    /// RFC 1035 §2.3.4: a name takes at most 255 bytes, a label 63.
    public static let maxNameBytes = 255, maxLabelBytes = 63

    /// The bytes an absolute name (as `normalize` makes it) takes on the
    /// wire: a length byte per label plus the root's zero byte, which is one
    /// more than its text with the final dot ("a.b." is 1 a 1 b 0).
    static func wireLength(_ absoluteName: String) -> Int {
        absoluteName == "." ? 1 : absoluteName.utf8.count + (absoluteName.hasSuffix(".") ? 1 : 2)
    }

    /// Checks a name the scripted server holds (absolute, as `normalize`
    /// makes it): no NUL byte, labels of 1 to 63 bytes, at most 255 bytes on
    /// the wire (254 as text with its final dot), as RFC 1035 §2.3.4 counts.
    /// One line says what is wrong.
    static func checkName(_ name: String, field: String, what: String) throws {
        let shown = visible(name)
        if name.utf8.contains(0) {
            throw DNSError.invalidField(field: field, why: "\(what) \"\(shown)\" contains a NUL byte; a DNS name given as text ends there")
        }
        if wireLength(name) > maxNameBytes {
            throw DNSError.invalidField(field: field, why: "\(what) is \(wireLength(name)) bytes on the wire (\(name.utf8.count) as text); "
                + "a name has at most \(maxNameBytes) (RFC 1035 §2.3.4)")
        }
        guard name != "." else { return }
        for label in name.dropLast().split(separator: ".", omittingEmptySubsequences: false) {
            if label.isEmpty {
                throw DNSError.invalidField(field: field, why: "\(what) \"\(shown)\" has an empty label")
            }
            if label.utf8.count > maxLabelBytes {
                throw DNSError.invalidField(field: field, why: "\(what) has a label of \(label.utf8.count) bytes (\"\(label.prefix(16))…\"); a label has at most \(maxLabelBytes) (RFC 1035 §2.3.4)")
            }
        }
    }

    /// A name for a one-line message: NUL and other control bytes escaped.
    static func visible(_ text: String) -> String {
        text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7f ? String(format: "\\x%02x", $0.value) : String($0) }.joined()
    }

    public static func normalize(_ name: String) -> String {
        let lower = name.lowercased()
        return lower.hasSuffix(".") ? lower : lower + "."
    }

    /// `nameserver` addresses in a resolv.conf text, in order.
    static func nameservers(_ text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            return words.count >= 2 && words[0] == "nameserver" ? String(words[1]) : nil
        }
    }

    static func checkResolvConf(_ text: String, field: String) throws {
        for ns in nameservers(text) where !IPAddressText.isLoopback(ns) || IPAddressText.v4(ns) == nil {
            if IPAddressText.isLoopback(ns) {
                throw DNSError.invalidField(field: field, why: "nameserver \(ns): IPv6 nameservers are not supported by the lab; use 127.0.0.0/8")
            }
            throw DNSError.invalidField(field: field, why: "nameserver \(ns) is outside loopback: the lab only answers on 127.0.0.0/8 inside its own namespace")
        }
    }

    static func checkKeys(_ o: [String: Any], allowed: Set<String>, at: String) throws {
        if let bad = o.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw DNSError.invalidField(field: at.isEmpty ? bad : "\(at).\(bad)", why: "unknown field (expected one of \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    static func string(_ o: [String: Any], _ key: String, at: String, required: Bool = false) throws -> String? {
        guard let v = o[key], !(v is NSNull) else {
            if required { throw DNSError.invalidField(field: "\(at).\(key)", why: "missing") }
            return nil
        }
        guard let s = v as? String else { throw DNSError.invalidField(field: "\(at).\(key)", why: "must be a string") }
        return s
    }

    static func strings(_ o: [String: Any], _ key: String, at: String) throws -> [String] {
        guard let v = o[key], !(v is NSNull) else { return [] }
        guard let list = v as? [Any], let s = list as? [String] else { throw DNSError.invalidField(field: "\(at).\(key)", why: "must be an array of strings") }
        return s
    }

    /// An integer field within `range` (a JSON number that is not a boolean).
    static func integer(_ o: [String: Any], _ key: String, in range: ClosedRange<Int>, at: String) throws -> Int? {
        guard let value = o[key] else { return nil }
        guard let num = value as? NSNumber, !isBoolean(num), let n = value as? Int, Double(n) == num.doubleValue, range.contains(n) else {
            throw DNSError.invalidField(field: "\(at).\(key)", why: "must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return n
    }

    static func bool(_ o: [String: Any], _ key: String, at: String) throws -> Bool? {
        guard let v = o[key], !(v is NSNull) else { return nil }
        guard let n = v as? NSNumber, isBoolean(n) else {
            throw DNSError.invalidField(field: "\(at).\(key)", why: "must be true or false")
        }
        return n.boolValue
    }

    /// JSON true/false (Foundation gives NSNumbers; only booleans have objCType "c").
    static func isBoolean(_ n: NSNumber) -> Bool { String(cString: n.objCType) == "c" }

    static func rcode(_ text: String, field: String) throws -> DNSRcode {
        guard let r = DNSRcode(name: text) else {
            throw DNSError.invalidField(field: field, why: "unknown value \"\(text)\" (expected one of \(DNSRcode.allCases.map(\.name).joined(separator: ", ")))")
        }
        return r
    }

    static func oneOf(_ value: String, _ allowed: [String], field: String) throws -> String {
        guard allowed.contains(value) else {
            throw DNSError.invalidField(field: field, why: "unknown value \"\(value)\" (expected one of \(allowed.joined(separator: ", ")))")
        }
        return value
    }
}
