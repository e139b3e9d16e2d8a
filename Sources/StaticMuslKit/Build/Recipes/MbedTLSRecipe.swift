import Foundation

/// mbedTLS 2.28 (Debian's `mbedtls`): libmbedtls.a, libmbedx509.a and
/// libmbedcrypto.a from its plain Makefile (`make -C library static`; no
/// configure, no CMake), for a package that links `-lmbedtls` itself.
///
/// curl no longer uses it: it links OpenSSL 3 (OpenSSLRecipe;
/// docs/libraries.md, "TLS", has the measurements). mbedTLS 2.28 cannot
/// verify a certificate for an IP address (curl fails with
/// `BADCERT_CN_MISMATCH` for https://127.0.0.1 even with an IP SAN; upstream
/// checks IP SANs from 3.x on), has no TLS 1.3, and its upstream support
/// (2.28 LTS) ended in 2024, while bookworm's package is still its release
/// version, 2.28.3-1.
///
/// One change to upstream's configuration, as Debian makes it
/// (debian/rules runs `scripts/config.py set` on the same two options):
/// `MBEDTLS_THREADING_C` with `MBEDTLS_THREADING_PTHREAD`, so the RNG and the
/// other shared contexts lock. URLSession runs curl from several threads,
/// and curl's threaded resolver adds more. They change struct layouts, so
/// they go into the installed `mbedtls/config.h`, not into CFLAGS.
/// Debian's other additions (MD2, MD4, HAVEGE, CMAC, DTLS-SRTP) are not for
/// HTTPS and stay off.
public struct MbedTLSRecipe: LibraryRecipe {
    public var name: String { "mbedtls" }
    public var debianSource: String { "mbedtls" }
    public var linkNames: [String] { ["mbedtls", "mbedx509", "mbedcrypto"] }
    public var recipeVersion: Int { 1 }

    static let configOptions = ["MBEDTLS_THREADING_C", "MBEDTLS_THREADING_PTHREAD"]

    public init() {}

    public func build(tree: String, prefix: String, compiler: MuslCCompiler, dependencies: [BuiltLibrary]) throws {
        let build = try AutotoolsBuild(compiler: compiler, tree: tree, workDirectory: prefix + "/build", dependencies: dependencies)
        try Self.enable(Self.configOptions, in: build.path("include/mbedtls/config.h"))
        let cflags = (AutotoolsBuild.baseCFlags + AutotoolsBuild.compatibilityFlags).joined(separator: " ")
        try build.make(["static"], directory: "library", variables: ["CC=\(build.cc)", "CFLAGS=\(cflags)", "AR=ar"])
        for name in linkNames {
            try FileManager.default.createDirectory(atPath: prefix + "/lib", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: build.path("library/lib\(name).a"), toPath: prefix + "/lib/lib\(name).a")
        }
        try compiler.install(headersOf: build.path("include/mbedtls"), into: prefix + "/include/mbedtls")
        try compiler.install(headersOf: build.path("include/psa"), into: prefix + "/include/psa")
    }

    /// Uncomments `//#define NAME` in config.h; a name not found that way fails.
    static func enable(_ names: [String], in configHeader: String) throws {
        var text = try String(contentsOfFile: configHeader, encoding: .utf8)
        for name in names {
            let commented = "//#define \(name)\n"
            guard text.contains(commented) else {
                if text.contains("\n#define \(name)\n") { continue }
                throw LibraryError.compileFailed(source: configHeader, error: "no `//#define \(name)` line to enable")
            }
            text = text.replacingOccurrences(of: commented, with: "#define \(name)\n")
        }
        try text.write(toFile: configHeader, atomically: true, encoding: .utf8)
    }
}
