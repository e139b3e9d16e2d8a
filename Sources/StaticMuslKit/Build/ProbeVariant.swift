import Foundation

/// The one vocabulary of the suites' variant names: a build (a `Variant`,
/// on another musl than the default when `muslVersion` is set, linked as a
/// static PIE for the C probes that test it) and the probe's language.
/// Every name in the suites' JSON is `name`: the DNS lab's probes
/// ("swift-musl-static", "c-musl-1.2.3-static"), the malloc bench's builds
/// ("musl-static+mimalloc", which name no language: there is one probe),
/// the scratch battery's C probes ("c-glibc-static-pie") and the
/// conformance suite's labels. `DNSVariant`, `MallocVariant` and
/// `CVariant` are the sets each suite runs, each case one of these.
public struct ProbeVariant: Hashable, Sendable {
    public enum Language: String, Sendable { case swift, c }

    /// nil for a suite with one probe (malloc-bench): its names carry no language.
    public var language: Language?
    /// The build-static.sh variant (the dist folder) of a Swift probe; the
    /// libc, allocator and resolver of a C probe.
    public var build: Variant
    /// The musl linked when it is not the default one; nil otherwise (and for glibc).
    public var muslVersion: String?
    /// Linked as a static PIE (the C probes only: `CProgramBuilder`).
    public var staticPIE = false

    public init(_ language: Language?, _ build: Variant, muslVersion: String? = nil, staticPIE: Bool = false) {
        self.language = language
        self.build = build
        self.muslVersion = muslVersion
        self.staticPIE = staticPIE
    }

    public var libc: String { build.libc }

    /// `[language-]libc[-version]-linkage[+addition]`: "c-glibc-dynamic",
    /// "swift-musl-1.2.3-static", "musl-static+c-ares", "c-musl-static-pie".
    public var name: String {
        let linkage = staticPIE ? "static-pie" : "static"
        let body: String
        switch build {
        case .glibcDynamic: body = "glibc-dynamic"
        case .glibcStatic: body = "glibc-" + linkage
        case .musl: body = "musl-" + (muslVersion.map { $0 + "-" } ?? "") + linkage
        case .muslMimalloc: body = "musl-\(linkage)+mimalloc"
        case .muslCAres: body = "musl-\(linkage)+c-ares"
        case .embeddedMusl, .sdk: body = build.rawValue
        }
        return (language.map { $0.rawValue + "-" } ?? "") + body
    }

    /// Whether `artifact` is this build: its variant, on this musl version
    /// (the default musl's when `muslVersion` is nil). The default musl's
    /// build never stands for another musl's, nor the reverse.
    public func isBuilt(by artifact: Artifact) -> Bool {
        artifact.variant == build && (muslVersion.map { artifact.muslVersion == $0 } ?? !artifact.isOtherMuslVersion)
    }

    /// The same build in the other language (the DNS lab's C/Swift twins).
    public var twin: ProbeVariant {
        var other = self
        other.language = language.map { $0 == .swift ? .c : .swift }
        return other
    }
}
