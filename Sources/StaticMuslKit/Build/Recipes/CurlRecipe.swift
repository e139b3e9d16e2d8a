import Foundation

/// libcurl (Debian's `curl`, 7.88): what FoundationNetworking's URLSession
/// runs on. It calls `curl_global_init`, `curl_easy_*` (setopt, getinfo,
/// pause, strerror), `curl_multi_*` with socket callbacks
/// (`curl_multi_socket_action`, `curl_multi_assign`), `curl_slist_*`,
/// `curl_url*` and `curl_version_info`: all in the plain library, no
/// optional feature. URLSession's own protocols on Linux are HTTP(S) (and FTP,
/// which this build leaves out), so only HTTP and HTTPS are built.
///
/// Options, and why:
/// - `--with-openssl` (the openssl recipe, OpenSSL 3.0; docs/libraries.md,
///   "TLS", says why not mbedTLS: TLS 1.3, certificates for IP addresses,
///   security updates, and the TLS stack of Debian's libcurl4, so URLSession
///   behaves as in the glibc variants), `--with-zlib` (gzip/deflate
///   `Accept-Encoding`, which URLSession asks for), `--with-nghttp2` (HTTP/2
///   over TLS, on by default as in Debian's libcurl; 3 s and a 0.4 MB
///   archive). configure finds the static OpenSSL with a plain `-lssl
///   -lcrypto`: the `-lpthread`/`-ldl` it would try next are folded into
///   musl's libc.a.
/// - `--with-ca-bundle=/etc/ssl/certs/ca-certificates.crt
///   --with-ca-path=/etc/ssl/certs`, as Debian's libcurl4-openssl is built:
///   the bundle that Debian's ca-certificates writes (Ubuntu and Alpine too),
///   then the folder, where OpenSSL looks a certificate up by its subject
///   hash (`<hash>.0` links, made by update-ca-certificates or c_rehash)
///   only when the bundle lacks it. URLSession on Linux sets no CA file (its
///   `URLSessionCertificateAuthorityInfoFile` variable is read on Android
///   only), so these compiled-in paths are the only places a static binary
///   looks: a `FROM scratch` image must copy the bundle there. The price of
///   the folder, measured and kept for Debian's behaviour: curl 7.88 caches
///   the parsed CA store across connections (`CURLOPT_CA_CACHE_TIMEOUT`)
///   only when no CA path is set, so each new TLS connection parses the
///   140-certificate bundle again: 45 to 60 ms here against 3 ms with the
///   cache (Debian's libcurl4 on glibc: 35 to 50 ms, the same cost). The
///   hash lookups themselves cost nothing measurable; `caPath = nil`
///   (`--without-ca-path`) would restore the cache.
/// - `--enable-threaded-resolver` (musl has pthreads; without it a name
///   lookup blocks URLSession's one curl thread), `--enable-ipv6` (forced: a
///   run-time probe must not decide it on a build machine without IPv6).
/// - Every other protocol off (`--disable-ftp … --disable-mqtt`), and no
///   libpsl, brotli, zstd, libidn2, librtmp, libssh2, GSS-API, LDAP or NTLM:
///   none is needed for HTTP(S), each would be another library to build.
///   NTLM is off because it is a legacy Windows authentication that URLSession
///   never asks for.
/// - `--disable-manual`, static only, and only `lib/` is built (`make -C lib
///   libcurl.la`), not the curl tool.
///
/// Debian's tree has its GnuTLS and NSS flavour patches applied last
/// (`90_gnutls.patch`, `99_nss.patch`: they rename the library to
/// libcurl-gnutls/-nss in the Makefile.am files); debian/rules pops them
/// for the OpenSSL flavour, and so does this recipe in its copy. The
/// Makefile.in files are upstream's (automake's maintainer mode is off), so
/// none of this reruns automake.
public struct CurlRecipe: LibraryRecipe {
    public var name: String { "curl" }
    public var debianSource: String { "curl" }
    public var linkNames: [String] { ["curl"] }
    public var recipeVersion: Int { 2 }
    public var dependencies: [String] { ["nghttp2", "openssl", "zlib"] }

    public static let caBundle = "/etc/ssl/certs/ca-certificates.crt"
    /// Debian's: see the type's comment.
    public static let caPath: String? = "/etc/ssl/certs"

    static let flavourPatches = ["99_nss.patch", "90_gnutls.patch"]   // popped in this order

    static let disabled = ["ftp", "file", "ldap", "ldaps", "rtsp", "dict", "telnet", "tftp", "pop3", "imap", "smb",
                           "smtp", "gopher", "mqtt", "manual", "ntlm", "ntlm-wb", "shared", "dependency-tracking"]
    static let without = ["libpsl", "brotli", "zstd", "libidn2", "librtmp", "libssh2", "libssh",
                          "gssapi", "hyper", "wolfssh", "libgsasl", "quiche", "ngtcp2", "nghttp3", "msh3"]

    public init() {}

    public func build(tree: String, prefix: String, compiler: MuslCCompiler, dependencies: [BuiltLibrary]) throws {
        func dependency(_ name: String) throws -> BuiltLibrary {
            guard let found = dependencies.first(where: { $0.name == name }) else {
                throw LibraryError.compileFailed(source: "curl", error: "the \(name) library was not built first")
            }
            return found
        }
        let build = try AutotoolsBuild(compiler: compiler, tree: tree, workDirectory: prefix + "/build", dependencies: dependencies)
        try Self.popFlavourPatches(in: build)
        var arguments = ["--prefix=/usr", "--enable-static", "--enable-threaded-resolver", "--enable-ipv6",
                         "--with-openssl=\(try dependency("openssl").path)", "--with-zlib=\(try dependency("zlib").path)",
                         "--with-nghttp2=\(try dependency("nghttp2").path)",
                         "--with-ca-bundle=\(Self.caBundle)", Self.caPath.map { "--with-ca-path=\($0)" } ?? "--without-ca-path"]
        arguments += Self.disabled.map { "--disable-\($0)" }
        arguments += Self.without.map { "--without-\($0)" } + ["--without-ca-fallback"]
        try build.configure(arguments)
        try build.make(["libcurl.la"], directory: "lib")
        try FileManager.default.createDirectory(atPath: prefix + "/lib", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: build.path("lib/.libs/libcurl.a"), toPath: prefix + "/lib/libcurl.a")
        // curl's public headers are all in the tree (none is generated).
        try compiler.install(headersOf: build.path("include/curl"), into: prefix + "/include/curl")
    }

    /// `patch -R` of the flavour patches that .pc/applied-patches lists.
    static func popFlavourPatches(in build: AutotoolsBuild) throws {
        let applied = ((try? String(contentsOfFile: build.path(".pc/applied-patches"), encoding: .utf8)) ?? "")
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        for patch in flavourPatches where applied.contains(patch) {
            try build.run("patch", ["-R", "-p1", "-s", "-i", build.path("debian/patches/" + patch)], what: "patch -R \(patch)", timeout: 120)
        }
    }
}
