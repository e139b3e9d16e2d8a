import Foundation

/// OpenSSL 3.0 (Debian's `openssl`, with bookworm's security updates):
/// libssl.a and libcrypto.a, curl's TLS library, and `-lssl -lcrypto` for a
/// package that links OpenSSL itself. Why OpenSSL and not mbedTLS:
/// docs/libraries.md, "TLS" (TLS 1.3, certificates for IP addresses, Debian
/// security updates, the same stack as Debian's libcurl4 that the glibc
/// variants use).
///
/// `./Configure linux-x86_64` with the musl `CC` (`AutotoolsBuild`), then
/// `make build_libs`: the two libraries, not the `openssl` program, the
/// tests or the manuals. Everything is Debian's default set of algorithms
/// and protocols; the options only take out what cannot work in a static
/// musl binary, or what nothing asks for:
/// - `no-shared`: static archives only.
/// - `no-module`: the providers (default, base, legacy) are built into
///   libcrypto instead of being `.so` modules, which a static binary could not
///   dlopen. The legacy provider (MD4, DES, RC4, …) is then built in, but, as
///   on Debian, only loaded when a program asks for it. Its code is in every
///   binary (the built-in provider table refers to it): about 130 KB of a
///   3.8 MB HTTPS client; `no-legacy` would save that but make
///   `OSSL_PROVIDER_load(NULL, "legacy")` fail where it works on Debian.
/// - `no-dso`: no dlopen wrapper. musl's static libc.a has a dlopen that
///   always fails, so the code could only ever report errors.
/// - `no-engine`: the ENGINE API (deprecated in 3.0) and with it the built-in
///   engines (`afalgeng`, the kernel's AF_ALG crypto; `padlockeng`, VIA
///   CPUs; `capieng`, Windows): dynamic engines cannot be loaded by a static
///   binary, the built-in ones do nothing unless a program selects them, and
///   curl only uses engines for `CURLOPT_SSLENGINE`, which URLSession never
///   sets. A package calling `ENGINE_*` fails to link.
/// - `no-async`: not needed to build, but what musl gets anyway. OpenSSL's
///   async jobs need makecontext/swapcontext, which musl lacks; its
///   `async_posix.h` picks them only under glibc, so on musl the job API is
///   the "null" one that always fails. `no-async` drops that dead code and
///   tells callers (`OPENSSL_NO_ASYNC`), as Alpine's build does.
/// - `no-tests`: nothing under test/ is configured.
/// - `--prefix=/usr --libdir=lib`: the compiled-in module and engine folders
///   are /usr/lib/… (never used: see `no-module`, `no-engine`) rather than
///   /usr/local or the build folder.
/// - `--openssldir=/usr/lib/ssl`: Debian's. Where OpenSSL reads
///   `openssl.cnf` (curl's `curl_global_init` loads it, as on Debian) and
///   its default CA file and folder (`cert.pem`, `certs/`; curl passes its
///   own, see CurlRecipe). On Debian and Ubuntu these are links into
///   /etc/ssl, so the binary reads the system's configuration as Debian's
///   libssl3 does. A missing file is harmless: OpenSSL loads the default
///   configuration with "ignore a missing file", and without one it
///   activates the built-in default provider, which is what Debian's own
///   openssl.cnf asks for too (its `[openssl_init]` is empty). So on Alpine,
///   in a `FROM scratch` image or anywhere without /usr/lib/ssl nothing
///   changes; `OPENSSL_CONF` points elsewhere, as on Debian.
/// - `-O2` (CFLAGS from `AutotoolsBuild`, replacing Configure's `-O3`, as
///   Debian builds it) with `-ffunction-sections -fdata-sections`; the
///   assembly (AES-NI, SHA, ChaCha20/Poly1305, P-256) stays on: clang's
///   integrated assembler builds the perlasm output.
///
/// Left at the default, as in Debian's build: threads (pthreads, in musl's
/// libc.a), TLS 1.0 to 1.3 (1.0 and 1.1 refused at the default security
/// level), DTLS, OCSP (curl's `CURLOPT_SSL_VERIFYSTATUS`), CT, SRP, PSK,
/// CMS. Debian's own options are not copied: `enable-ec_nistp_64_gcc_128`
/// (faster C code for P-224 and P-521; P-256 has assembly anyway) and
/// `no-idea no-mdc2` (two legacy-provider algorithms that nothing loads by
/// default) change no TLS connection.
///
/// `CC` is the `musl-cc` script found through `PATH`, not by its path, because
/// OpenSSL records the compiler command in the library
/// (`OpenSSL_version(OPENSSL_CFLAGS)`): the build folder's name must not end up
/// in every binary. `SOURCE_DATE_EPOCH` is debian/changelog's date, so
/// `OPENSSL_BUILT_ON` is Debian's and the archives do not change with the
/// day of the build.
public struct OpenSSLRecipe: LibraryRecipe {
    public var name: String { "openssl" }
    public var debianSource: String { "openssl" }
    public var linkNames: [String] { ["ssl", "crypto"] }
    public var recipeVersion: Int { 1 }

    /// Debian's OPENSSLDIR: see the type's comment.
    public static let openSSLDirectory = "/usr/lib/ssl"
    static let target = "linux-x86_64"
    static let options = ["no-shared", "no-module", "no-dso", "no-engine", "no-async", "no-tests"]

    public init() {}

    public func build(tree: String, prefix: String, compiler: MuslCCompiler, dependencies: [BuiltLibrary]) throws {
        let workDirectory = prefix + "/build"
        var build = try AutotoolsBuild(compiler: compiler, tree: tree, workDirectory: workDirectory, dependencies: dependencies)
        build.environment["PATH"] = workDirectory + ":" + (build.environment["PATH"] ?? "/usr/bin:/bin")
        build.environment["CC"] = (build.cc as NSString).lastPathComponent
        if let date = try? build.run("dpkg-parsechangelog", ["-STimestamp"], what: "dpkg-parsechangelog", timeout: 60)
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines), !date.isEmpty, date.allSatisfy(\.isNumber) {
            build.environment["SOURCE_DATE_EPOCH"] = date
        }
        try Self.ensurePerl()
        try build.run("perl", ["./Configure", Self.target, "--prefix=/usr", "--libdir=lib",
                               "--openssldir=\(Self.openSSLDirectory)"] + Self.options,
                      what: "Configure", timeout: 600)
        try build.make(["build_libs"])
        try FileManager.default.createDirectory(atPath: prefix + "/lib", withIntermediateDirectories: true)
        for name in linkNames {
            try FileManager.default.copyItem(atPath: build.path("lib\(name).a"), toPath: prefix + "/lib/lib\(name).a")
        }
        // include/openssl holds the tree's headers and, after Configure, the
        // generated ones (configuration.h, opensslv.h, ssl.h, …), and no others.
        try compiler.install(headersOf: build.path("include/openssl"), into: prefix + "/include/openssl")
    }

    /// Configure is perl and needs `IPC::Cmd`, which Debian ships in
    /// perl-modules (a dependency of `perl`), not in the essential perl-base.
    static func ensurePerl() throws {
        _ = try SystemPackages.ensure("perl", package: "perl")
        if (try? ProcessRunner.run("perl", ["-MIPC::Cmd", "-e", "1"], timeout: 60))?.succeeded == true { return }
        try SystemPackages.install(["perl"], forWhat: "OpenSSL's Configure (perl's IPC::Cmd)")
    }
}
