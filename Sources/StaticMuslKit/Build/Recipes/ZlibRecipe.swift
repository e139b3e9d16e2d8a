import Foundation

/// zlib: the C files of the library proper, compiled directly (zlib's
/// configure is its own script, not autoconf, and the list is short). The
/// gz* file functions are kept: NIO's HTTP compression only needs
/// deflate/inflate, but a user's package may use gzopen, and curl and
/// libxml2 link against this build.
public struct ZlibRecipe: LibraryRecipe {
    public var name: String { "zlib" }
    public var debianSource: String { "zlib" }
    public var linkNames: [String] { ["z"] }
    public var recipeVersion: Int { 1 }
    static let sources = ["adler32", "compress", "crc32", "deflate", "gzclose", "gzlib", "gzread", "gzwrite",
                          "infback", "inffast", "inflate", "inftrees", "trees", "uncompr", "zutil"]

    public init() {}

    public func build(tree: String, prefix: String, compiler: MuslCCompiler, dependencies: [BuiltLibrary]) throws {
        let objects = try Self.sources.map { name -> String in
            let object = prefix + "/obj/\(name).o"
            try compiler.compile(tree + "/\(name).c", to: object,
                                 flags: ["-O2", "-fPIC", "-D_LARGEFILE64_SOURCE=1", "-DHAVE_HIDDEN", "-I", tree])
            return object
        }
        try compiler.archive(objects, into: prefix + "/lib/libz.a")
        try compiler.install(headers: [tree + "/zlib.h", tree + "/zconf.h"], into: prefix + "/include")
        try? FileManager.default.removeItem(atPath: prefix + "/obj")
    }
}
