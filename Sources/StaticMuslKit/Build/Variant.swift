/// A way of building one SwiftPM product. The raw values are the folder
/// names under dist/ and the strings in every JSON file.
public enum Variant: String, Codable, CaseIterable, Sendable, Comparable {
    case musl = "musl"                       // Swift objects relinked with musl-gcc + CShim compat
    case glibcStatic = "glibc-static"        // swiftc -static-executable
    case glibcDynamic = "glibc-dynamic"      // --static-swift-stdlib, dynamic glibc (the baseline)
    case embeddedMusl = "embedded-musl"      // Embedded Swift probe, musl-gcc -static
    case sdk = "sdk"                         // the official Static Linux SDK, when installed
    case muslMimalloc = "musl+mimalloc"      // the musl variant with mimalloc linked first
    case muslCAres = "musl+c-ares"           // the musl variant with getaddrinfo & co. from c-ares (CShim/resolver)

    /// The variants that build-static.sh builds with `--variant all`.
    public static let standard: [Variant] = [.musl, .glibcStatic, .glibcDynamic, .embeddedMusl, .sdk]

    public var libc: String {
        switch self {
        case .musl, .embeddedMusl, .sdk, .muslMimalloc, .muslCAres: return "musl"
        case .glibcStatic, .glibcDynamic: return "glibc"
        }
    }

    public static func < (a: Variant, b: Variant) -> Bool {
        (allCases.firstIndex(of: a) ?? 0) < (allCases.firstIndex(of: b) ?? 0)
    }
}
