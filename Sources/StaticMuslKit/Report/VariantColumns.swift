import Foundation

/// How the suites' variant names map onto the verdict table's columns
/// (build variants). The DNS and conformance suites name probes by language
/// and libc; the malloc suite by libc and allocator. Names that already are
/// build variants map to themselves.
public enum VariantColumns {
    static let table: [String: Variant] = [
        "swift-musl-static": .musl, "swift-glibc-static": .glibcStatic, "swift-glibc-dynamic": .glibcDynamic,
        "musl-static": .musl, "musl-static+mimalloc": .muslMimalloc, "musl-static+c-ares": .muslCAres,
        "swift-musl-static+c-ares": .muslCAres,
        "swift-embedded-musl": .embeddedMusl,
    ]

    public static func column(for suiteVariant: String) -> Variant? {
        Variant(rawValue: suiteVariant) ?? table[suiteVariant]
    }

    /// The suite variant that stands for the baseline column, in preference order.
    static let dnsBaselines = ["swift-glibc-dynamic", "c-glibc-dynamic"]
    static let conformanceBaselines = ["swift-glibc-dynamic", "glibc-dynamic", "swift-glibc-static", "glibc-static"]
    static let mallocBaselines = ["glibc-dynamic", "glibc-static"]
}
