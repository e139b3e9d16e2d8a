import Foundation

/// libxml2 (Debian's `libxml2`, 2.9.14): what FoundationXML (XMLParser,
/// XMLDocument) runs on. The toolchain's `lib_CFXMLInterface.a` wants 98
/// libxml2 symbols; this build defines every one of them.
///
/// Options, and why:
/// - `--without-python` (bindings), `--without-lzma` and `--without-icu`
///   (more libraries to build for what Foundation never asks: .xz input, and
///   encodings that iconv already covers), `--without-http --without-ftp`
///   (libxml2's own network loaders; Foundation fetches through URLSession),
///   `--without-modules` (dlopen of plug-ins: a static musl binary cannot
///   load shared objects).
/// - Kept: iconv (musl's, in libc.a, for non-UTF-8 documents), threads
///   (musl's pthreads; libxml2 2.9's weak pthread symbols are only declared
///   for glibc, so on musl they are ordinary references and the locks are
///   real), zlib (the zlib recipe; gzip-compressed input, as Debian's build).
/// - `--prefix=/usr --sysconfdir=/etc`: the compiled-in catalog path is
///   `/etc/xml/catalog`, as in Debian's libxml2.
/// - `--disable-maintainer-mode`: Debian's patches touch Makefile.am (tests
///   and docs only), which must not rerun automake.
/// - Only the library is built (`make libxml2.la`), not xmllint or the docs.
///
/// The headers go to `include/libxml2/libxml/` (the usual layout, for
/// `-I…/include/libxml2`), and `include/libxml` is a link to it, so
/// `#include <libxml/parser.h>` works with the plain `-I…/include` the
/// musl link adds for every built library.
public struct LibXML2Recipe: LibraryRecipe {
    public var name: String { "libxml2" }
    public var debianSource: String { "libxml2" }
    public var linkNames: [String] { ["xml2"] }
    public var recipeVersion: Int { 1 }
    public var dependencies: [String] { ["zlib"] }

    public init() {}

    public func build(tree: String, prefix: String, compiler: MuslCCompiler, dependencies: [BuiltLibrary]) throws {
        guard let zlib = dependencies.first(where: { $0.name == "zlib" }) else {
            throw LibraryError.compileFailed(source: "libxml2", error: "the zlib library was not built first")
        }
        let build = try AutotoolsBuild(compiler: compiler, tree: tree, workDirectory: prefix + "/build", dependencies: dependencies)
        try build.configure(["--prefix=/usr", "--sysconfdir=/etc", "--disable-shared", "--enable-static",
                             "--disable-dependency-tracking", "--disable-maintainer-mode",
                             "--without-python", "--without-lzma", "--without-icu", "--without-http", "--without-ftp",
                             "--without-modules", "--without-readline", "--without-history",
                             "--with-threads", "--with-iconv", "--with-zlib=\(zlib.path)"])
        try build.make(["libxml2.la"])
        try FileManager.default.createDirectory(atPath: prefix + "/lib", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: build.path(".libs/libxml2.a"), toPath: prefix + "/lib/libxml2.a")
        // The headers as `make install` lays them out (xmlversion.h is generated).
        let stage = prefix + "/build/stage"
        try build.make(["install"], directory: "include", variables: ["DESTDIR=\(stage)"], jobs: 1)
        try FileManager.default.createDirectory(atPath: prefix + "/include", withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: stage + "/usr/include/libxml2", toPath: prefix + "/include/libxml2")
        try FileManager.default.createSymbolicLink(atPath: prefix + "/include/libxml", withDestinationPath: "libxml2/libxml")
    }
}
