import Foundation

/// A C library built from Debian's source package for musl: static only,
/// compiled by the toolchain's clang against the musl sysroot, and cached
/// beside the sysroot by the recipe, the source's version and the
/// sysroot's key. A musl link that asks for one of `linkNames` (`-lz`, from
/// a package's linker settings or a Swift module's autolink entry) gets it.
public protocol LibraryRecipe: Sendable {
    var name: String { get }
    /// Debian's source package.
    var debianSource: String { get }
    /// The `-l` names it provides.
    var linkNames: [String] { get }
    /// Raise when the recipe changes: it is part of the cache key.
    var recipeVersion: Int { get }
    /// Builds `prefix/lib/*.a` and `prefix/include/*` from the unpacked tree.
    func build(tree: String, prefix: String, compiler: MuslCCompiler) throws
}

/// zlib: the C files of the library proper (no gz* file I/O is left out:
/// NIO's HTTP compression only needs deflate/inflate, but a user's package
/// may use gzopen).
public struct ZlibRecipe: LibraryRecipe {
    public var name: String { "zlib" }
    public var debianSource: String { "zlib" }
    public var linkNames: [String] { ["z"] }
    public var recipeVersion: Int { 1 }
    static let sources = ["adler32", "compress", "crc32", "deflate", "gzclose", "gzlib", "gzread", "gzwrite",
                          "infback", "inffast", "inflate", "inftrees", "trees", "uncompr", "zutil"]

    public init() {}

    public func build(tree: String, prefix: String, compiler: MuslCCompiler) throws {
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

/// What recipes compile with: the toolchain's clang for musl, the sysroot.
public struct MuslCCompiler: Sendable {
    public var clang: String
    public var sysroot: Sysroot
    public var resourceDirectory: String

    public func compile(_ source: String, to object: String, flags: [String]) throws {
        try FileManager.default.createDirectory(atPath: (object as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let args = ["--target=\(HostTriple.musl)", "--sysroot=\(sysroot.path)", "-nostdinc",
                    "-isystem", resourceDirectory + "/include", "-isystem", sysroot.includeDirectory] + flags + ["-c", source, "-o", object]
        let r = try ProcessRunner.run(clang, args, timeout: 600)
        guard r.succeeded else {
            throw LibraryError.compileFailed(source: source, error: LinkerDiagnostics.firstError(in: r.stderr) ?? r.stderr)
        }
    }

    public func archive(_ objects: [String], into archive: String) throws {
        try FileManager.default.createDirectory(atPath: (archive as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let r = try ProcessRunner.run("ar", ["rcsD", archive] + objects, timeout: 300)
        guard r.succeeded else { throw LibraryError.compileFailed(source: archive, error: r.stderr) }
    }

    public func install(headers: [String], into folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for header in headers {
            try FileManager.default.copyItem(atPath: header, toPath: folder + "/" + (header as NSString).lastPathComponent)
        }
    }
}

/// A built library (its folder's library.json).
public struct BuiltLibrary: Codable, Sendable, Equatable, PrettyJSONEncodable {
    public var name: String
    public var version: String
    public var source: String
    public var path: String
    public var key: String
    public var archives: [String]

    public var libDirectory: String { path + "/lib" }
    public var includeDirectory: String { path + "/include" }
}

public enum LibraryError: Error, CustomStringConvertible {
    case sourceUnavailable(package: String, why: String)
    case compileFailed(source: String, error: String)

    public var description: String {
        switch self {
        case .sourceUnavailable(let package, let why): return "Debian's source package \(package) could not be fetched: \(why)"
        case .compileFailed(let source, let error): return "cannot build \(source) for musl: \(error)"
        }
    }
}

public enum LibraryRecipes {
    public static let all: [LibraryRecipe] = [ZlibRecipe()]

    public static func recipe(forLinkName name: String) -> LibraryRecipe? {
        all.first { $0.linkNames.contains(name) }
    }

    /// The library built for this sysroot (cached), fetching Debian's source when needed.
    public static func prepare(_ recipe: LibraryRecipe, sysroot: Sysroot, toolchain: ToolchainPaths,
                               projectRoot: String) throws -> BuiltLibrary {
        let fetch = try ProcessRunner.run("/bin/bash", [projectRoot + "/toolchain/debian-source.sh", recipe.debianSource,
                                                        projectRoot + "/.build-static/sources"], timeout: 900)
        let tree = fetch.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard fetch.succeeded, !tree.isEmpty else {
            throw LibraryError.sourceUnavailable(package: recipe.debianSource,
                                                 why: fetch.stderr.split(separator: "\n").last.map(String.init) ?? "debian-source.sh failed")
        }
        let version = String((tree as NSString).lastPathComponent.dropFirst(recipe.debianSource.count + 1))
        let key = SysrootSHA256.hex([recipe.name, String(recipe.recipeVersion), version, sysroot.key, toolchain.clang].joined(separator: "\n"))
        let folder = projectRoot + "/.build-static/libraries/\(recipe.name)-\(version)-\(key.prefix(16))"
        let compiler = MuslCCompiler(clang: toolchain.clang, sysroot: sysroot, resourceDirectory: try toolchain.clangResourceDirectory())
        try CacheSlot(path: folder).fill { temporary in
            try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
            try recipe.build(tree: tree, prefix: temporary, compiler: compiler)
            let archives = ((try? FileManager.default.contentsOfDirectory(atPath: temporary + "/lib")) ?? []).sorted()
            let record = BuiltLibrary(name: recipe.name, version: version,
                                      source: "Debian source package \(recipe.debianSource) \(version)",
                                      path: folder, key: key, archives: archives)
            try record.jsonData().write(to: URL(fileURLWithPath: temporary + "/library.json"))
        }
        guard let data = FileManager.default.contents(atPath: folder + "/library.json") else {
            throw LibraryError.compileFailed(source: folder, error: "library.json is missing")
        }
        return try JSONDecoder().decode(BuiltLibrary.self, from: data)
    }
}
