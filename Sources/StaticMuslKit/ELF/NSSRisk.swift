import Foundation

/// Whether a statically linked glibc binary will try to dlopen NSS modules
/// (libnss_*.so) at run time, which a scratch image does not have.
public enum NSSRiskLevel: String, Codable, Sendable, CaseIterable {
    /// No NSS machinery in the binary (musl, or glibc code that never calls getpw*/getaddrinfo…).
    case none
    /// Static glibc with NSS code; no root was given to check its nsswitch.conf.
    case present
    /// Static glibc with NSS code, and the given root's nsswitch.conf uses only files/dns (or is absent).
    case low
    /// Static glibc with NSS code, and the given root's nsswitch.conf names other services.
    case high
    /// A dynamic binary: NSS modules come from the target system like every other library.
    case notApplicable = "not-applicable"
}

public struct NSSRisk: Sendable, Equatable {
    public var level: NSSRiskLevel
    public var evidence: [String]
    /// nsswitch.conf lines (database: services) that need a module the binary cannot load.
    public var flagged: [String]
}

public enum NSSRiskCheck {
    static let markers = ["libnss_%s.so", "__nss_hosts_lookup2", "__nss_passwd_lookup2", "/etc/nsswitch.conf", "_nss_%s_%s"]
    /// Services glibc implements inside libc.a itself.
    static let builtinServices: Set<String> = ["files", "dns"]

    /// - Parameter root: a root filesystem whose etc/nsswitch.conf the binary would read.
    public static func check(_ elf: ELFFile, binaryClass: BinaryClass, libc: LibcName, root: String?) -> NSSRisk {
        check(elf, markers: (try? elf.findMarkers(markers.map { Array($0.utf8) })) ?? ELFMarkerHits(found: []),
              binaryClass: binaryClass, libc: libc, root: root)
    }

    /// - Parameter found: the markers already searched for (`ELFEvidence`).
    public static func check(_ elf: ELFFile, markers found: ELFMarkerHits, binaryClass: BinaryClass, libc: LibcName, root: String?) -> NSSRisk {
        guard binaryClass.isStatic else { return NSSRisk(level: .notApplicable, evidence: [], flagged: []) }
        guard libc == .glibc else { return NSSRisk(level: .none, evidence: [], flagged: []) }
        let evidence = markers.filter { found.contains(string: $0) }.map { "string \"\($0)\"" }
        guard !evidence.isEmpty else { return NSSRisk(level: .none, evidence: [], flagged: []) }
        guard let root else { return NSSRisk(level: .present, evidence: evidence, flagged: []) }
        let path = (root as NSString).appendingPathComponent("etc/nsswitch.conf")
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return NSSRisk(level: .low, evidence: evidence + ["\(path) is absent: glibc's defaults (files, dns) apply"], flagged: [])
        }
        let flagged = unsupportedServices(nsswitch: text)
        return NSSRisk(level: flagged.isEmpty ? .low : .high, evidence: evidence + ["read \(path)"], flagged: flagged)
    }

    /// "database: services" entries naming a service other than files/dns,
    /// e.g. "passwd: compat", "hosts: mdns4_minimal".
    public static func unsupportedServices(nsswitch text: String) -> [String] {
        var flagged: [String] = []
        for raw in text.split(separator: "\n") {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            guard let colon = line.firstIndex(of: ":") else { continue }
            let database = line[..<colon].trimmingCharacters(in: .whitespaces)
            // Action items like [NOTFOUND=return] are not services.
            var services: [String] = [], inAction = false
            for word in line[line.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\t" }) {
                if word.hasPrefix("[") { inAction = true }
                if !inAction { services.append(String(word)) }
                if word.hasSuffix("]") { inAction = false }
            }
            let bad = services.filter { !builtinServices.contains($0) }
            if !database.isEmpty, !bad.isEmpty { flagged.append("\(database): \(bad.joined(separator: " "))") }
        }
        return flagged
    }
}
