import Foundation

/// A C library built from Debian's source package for musl: static only,
/// compiled by the toolchain's clang against the musl sysroot, and cached
/// beside the sysroot by the recipe, the source's version, the sysroot's key
/// and the keys of the libraries it depends on. A musl link that asks for one
/// of `linkNames` (`-lz`, from a package's linker settings or a Swift
/// module's autolink entry) gets it, and with it every library it depends on
/// (`LibraryRecipes.prepareWithDependencies`). The recipes are in
/// `Build/Recipes/`; docs/libraries.md has their options, build times and sizes.
public protocol LibraryRecipe: Sendable {
    var name: String { get }
    /// Debian's source package.
    var debianSource: String { get }
    /// The `-l` names it provides, in link order (`ssl`, `crypto`).
    var linkNames: [String] { get }
    /// Raise when the recipe changes: it is part of the cache key.
    var recipeVersion: Int { get }
    /// The recipes (by `name`) built first and handed to `build`; their keys
    /// are part of this recipe's key, and they follow it in the link order.
    var dependencies: [String] { get }
    /// Files of this project the build reads (paths relative to the
    /// project root, e.g. recorded configure headers): their bytes are part
    /// of the cache key, so editing one rebuilds without a recipeVersion bump.
    var dataFiles: [String] { get }
    /// Builds `prefix/lib/*.a` and `prefix/include/*` from the unpacked tree
    /// (shared and read-only: a recipe that writes copies it first, into
    /// `prefix/build`, which is removed before the folder is published),
    /// against `dependencies`, the built libraries named by `dependencies`, in that order.
    func build(tree: String, prefix: String, compiler: MuslCCompiler, dependencies: [BuiltLibrary]) throws
}

extension LibraryRecipe {
    public var dependencies: [String] { [] }
    public var dataFiles: [String] { [] }
}

/// A built library (its folder's library.json).
public struct BuiltLibrary: Codable, Sendable, Equatable, PrettyJSONEncodable {
    public var name: String
    public var version: String
    public var source: String
    public var path: String
    public var key: String
    public var archives: [String]
    /// The `-l` names, in link order (the recipe's `linkNames`).
    public var linkNames: [String]
    /// The recipes it was built against (names).
    public var dependencies: [String]
    /// How long the cold build took here, in seconds (fetching excluded).
    public var buildSeconds: Double?

    public var libDirectory: String { path + "/lib" }
    public var includeDirectory: String { path + "/include" }

    public init(name: String, version: String, source: String, path: String, key: String, archives: [String],
                linkNames: [String] = [], dependencies: [String] = [], buildSeconds: Double? = nil) {
        self.name = name; self.version = version; self.source = source; self.path = path; self.key = key
        self.archives = archives; self.linkNames = linkNames; self.dependencies = dependencies; self.buildSeconds = buildSeconds
    }

    enum CodingKeys: String, CodingKey {
        case name, version, source, path, key, archives, linkNames = "link_names", dependencies, buildSeconds = "build_seconds"
    }

    /// Records written before link_names and dependencies existed (zlib's) still read.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        version = try c.decode(String.self, forKey: .version)
        source = try c.decode(String.self, forKey: .source)
        path = try c.decode(String.self, forKey: .path)
        key = try c.decode(String.self, forKey: .key)
        archives = try c.decode([String].self, forKey: .archives)
        linkNames = try c.decodeIfPresent([String].self, forKey: .linkNames) ?? []
        dependencies = try c.decodeIfPresent([String].self, forKey: .dependencies) ?? []
        buildSeconds = try c.decodeIfPresent(Double.self, forKey: .buildSeconds)
    }
}

public enum LibraryError: Error, CustomStringConvertible {
    case sourceUnavailable(package: String, why: String)
    case compileFailed(source: String, error: String)
    case unknownRecipe(String, wantedBy: String)
    case dependencyCycle([String])

    public var description: String {
        switch self {
        case .sourceUnavailable(let package, let why): return "Debian's source package \(package) could not be fetched: \(why)"
        case .compileFailed(let source, let error): return "cannot build \(source) for musl: \(error)"
        case .unknownRecipe(let name, let wantedBy): return "no library recipe named \(name) (a dependency of \(wantedBy))"
        case .dependencyCycle(let names): return "library recipes depend on each other in a cycle: \(names.joined(separator: " → "))"
        }
    }
}

public enum LibraryRecipes {
    /// What a built library depends on: the recipe and its version, the
    /// Debian version, the sysroot, the compiler, its dependencies' keys and
    /// the bytes of its data files. A recipe without dependencies or data
    /// files keeps the key it had before they existed.
    static func cacheKey(_ recipe: LibraryRecipe, version: String, sysrootKey: String, clang: String,
                         dependencies: [BuiltLibrary], projectRoot: String) -> String {
        let keyLines = [recipe.name, String(recipe.recipeVersion), version, sysrootKey, clang]
            + dependencies.map { "dependency \($0.name)=\($0.key)" }
            + recipe.dataFiles.map { "file \($0)=" + SysrootSHA256.hex(FileManager.default.contents(atPath: projectRoot + "/" + $0) ?? Data()) }
        return SysrootSHA256.hex(keyLines.joined(separator: "\n"))
    }

    /// MbedTLSRecipe stays for a package that links `-lmbedtls` itself; curl
    /// uses OpenSSL (docs/libraries.md, "TLS").
    public static let all: [LibraryRecipe] = [ZlibRecipe(), OpenSSLRecipe(), MbedTLSRecipe(), NGHttp2Recipe(), CurlRecipe(),
                                              LibXML2Recipe(), SQLite3Recipe(), CAresRecipe()]

    public static func recipe(forLinkName name: String) -> LibraryRecipe? {
        all.first { $0.linkNames.contains(name) }
    }

    /// A recipe by its own name (`zlib`, `openssl`): what `dependencies` lists.
    public static func recipe(named name: String) -> LibraryRecipe? {
        all.first { $0.name == name }
    }

    /// The recipes, each followed by what it depends on, each library after
    /// every library that needs it, each once: the order of the `-l` flags on
    /// a link line (curl, nghttp2, openssl, zlib). Builds nothing.
    public static func linkOrder(_ recipes: [LibraryRecipe]) throws -> [LibraryRecipe] {
        var finished: [LibraryRecipe] = []   // dependencies before dependents
        var done = Set<String>()
        func visit(_ recipe: LibraryRecipe, path: [String]) throws {
            if done.contains(recipe.name) { return }
            if path.contains(recipe.name) { throw LibraryError.dependencyCycle(path + [recipe.name]) }
            // Reversed here and below, so that the reversed result keeps the
            // given order of the roots and of each recipe's dependencies.
            for name in recipe.dependencies.reversed() {
                guard let dependency = Self.recipe(named: name) else { throw LibraryError.unknownRecipe(name, wantedBy: recipe.name) }
                try visit(dependency, path: path + [recipe.name])
            }
            done.insert(recipe.name)
            finished.append(recipe)
        }
        for recipe in recipes.reversed() { try visit(recipe, path: []) }
        return finished.reversed()
    }

    /// The `-l` flags for built libraries, in the order given (the order
    /// `prepareWithDependencies` returns), each library's names in its own order.
    public static func linkFlags(_ libraries: [BuiltLibrary]) -> [String] {
        var seen = Set<String>()
        return libraries.flatMap { library in
            (library.linkNames.isEmpty ? (recipe(named: library.name)?.linkNames ?? []) : library.linkNames)
                .filter { seen.insert($0).inserted }.map { "-l" + $0 }
        }
    }

    /// The library built for this sysroot (cached), fetching Debian's source
    /// when needed; its dependencies are built (or reused) first. Only the
    /// recipe's own library is returned: a link wants
    /// `prepareWithDependencies`, which returns them all.
    public static func prepare(_ recipe: LibraryRecipe, sysroot: Sysroot, toolchain: ToolchainPaths,
                               projectRoot: String) throws -> BuiltLibrary {
        var session = try PrepareSession(sysroot: sysroot, toolchain: toolchain, projectRoot: projectRoot)
        return try session.prepare(recipe)
    }

    /// The recipe and everything it depends on, built (or reused) in
    /// dependency order and returned in link order: the recipe first, then
    /// each dependency after every library that needs it, e.g.
    /// curl, nghttp2, openssl, zlib. Put `-L` of each library's `lib/` on the
    /// link and `linkFlags(_:)` of the result, in this order.
    public static func prepareWithDependencies(_ recipe: LibraryRecipe, sysroot: Sysroot, toolchain: ToolchainPaths,
                                               projectRoot: String) throws -> [BuiltLibrary] {
        try prepareWithDependencies([recipe], sysroot: sysroot, toolchain: toolchain, projectRoot: projectRoot)
    }

    /// Several recipes (a link's `-l` requests) and their dependencies, each
    /// once, in one link order (`linkOrder`): libxml2, curl, nghttp2, openssl, zlib.
    public static func prepareWithDependencies(_ recipes: [LibraryRecipe], sysroot: Sysroot, toolchain: ToolchainPaths,
                                               projectRoot: String) throws -> [BuiltLibrary] {
        var session = try PrepareSession(sysroot: sysroot, toolchain: toolchain, projectRoot: projectRoot)
        // session.prepare builds a recipe's dependencies before the recipe.
        return try linkOrder(recipes).map { try session.prepare($0) }
    }

    /// One call's worth of prepared libraries, so a library that two others
    /// depend on is resolved once.
    private struct PrepareSession {
        let sysroot: Sysroot
        let toolchain: ToolchainPaths
        let projectRoot: String
        let compiler: MuslCCompiler
        var built: [String: BuiltLibrary] = [:]

        init(sysroot: Sysroot, toolchain: ToolchainPaths, projectRoot: String) throws {
            self.sysroot = sysroot
            self.toolchain = toolchain
            self.projectRoot = projectRoot
            compiler = MuslCCompiler(clang: toolchain.clang, sysroot: sysroot, resourceDirectory: try toolchain.clangResourceDirectory())
        }

        mutating func prepare(_ recipe: LibraryRecipe, path: [String] = []) throws -> BuiltLibrary {
            if let done = built[recipe.name] { return done }
            if path.contains(recipe.name) { throw LibraryError.dependencyCycle(path + [recipe.name]) }
            var dependencies: [BuiltLibrary] = []
            for name in recipe.dependencies {
                guard let dependency = LibraryRecipes.recipe(named: name) else {
                    throw LibraryError.unknownRecipe(name, wantedBy: recipe.name)
                }
                dependencies.append(try prepare(dependency, path: path + [recipe.name]))
            }
            let library = try LibraryRecipes.build(recipe, dependencies: dependencies, compiler: compiler,
                                                   sysroot: sysroot, toolchain: toolchain, projectRoot: projectRoot)
            built[recipe.name] = library
            return library
        }
    }

    /// Fetches the source, then fills the recipe's cache folder (under its
    /// lock) unless it is there already.
    private static func build(_ recipe: LibraryRecipe, dependencies: [BuiltLibrary], compiler: MuslCCompiler,
                              sysroot: Sysroot, toolchain: ToolchainPaths, projectRoot: String) throws -> BuiltLibrary {
        let tree: String
        do { tree = try DebianSource(recipe.debianSource).fetch(into: projectRoot + "/.build-static/sources") } catch {
            throw LibraryError.sourceUnavailable(package: recipe.debianSource, why: "\(error)")
        }
        let version = String((tree as NSString).lastPathComponent.dropFirst(recipe.debianSource.count + 1))
        let key = cacheKey(recipe, version: version, sysrootKey: sysroot.key, clang: toolchain.clang,
                           dependencies: dependencies, projectRoot: projectRoot)
        let folder = projectRoot + "/.build-static/libraries/\(recipe.name)-\(version)-\(key.prefix(16))"
        try CacheSlot(path: folder).fill { temporary in
            removeAbandonedBuilds(of: folder, keeping: temporary)
            try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
            let start = Date()
            try recipe.build(tree: tree, prefix: temporary, compiler: compiler, dependencies: dependencies)
            try? FileManager.default.removeItem(atPath: temporary + "/build")
            let seconds = (Date().timeIntervalSince(start) * 10).rounded() / 10
            let archives = ((try? FileManager.default.contentsOfDirectory(atPath: temporary + "/lib")) ?? [])
                .filter { $0.hasSuffix(".a") }.sorted()
            for name in recipe.linkNames where !archives.contains("lib\(name).a") {
                throw LibraryError.compileFailed(source: recipe.name, error: "the recipe built no lib/lib\(name).a (it built: \(archives))")
            }
            let record = BuiltLibrary(name: recipe.name, version: version,
                                      source: "Debian source package \(recipe.debianSource) \(version)",
                                      path: folder, key: key, archives: archives, linkNames: recipe.linkNames,
                                      dependencies: dependencies.map(\.name), buildSeconds: seconds)
            try record.jsonData().write(to: URL(fileURLWithPath: temporary + "/library.json"))
        }
        guard let data = FileManager.default.contents(atPath: folder + "/library.json") else {
            throw LibraryError.compileFailed(source: folder, error: "library.json is missing")
        }
        var library = try JSONCoding.decode(BuiltLibrary.self, from: data)
        if library.linkNames.isEmpty { library.linkNames = recipe.linkNames }
        return library
    }

    /// `<folder>.tmp-*` left by a build that was killed (a working copy of
    /// sqlite3 is 150 MB). Called under the key's lock, so no live build owns one.
    static func removeAbandonedBuilds(of folder: String, keeping current: String) {
        let parent = (folder as NSString).deletingLastPathComponent
        let prefix = (folder as NSString).lastPathComponent + ".tmp-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
        where name.hasPrefix(prefix) && parent + "/" + name != current {
            try? FileManager.default.removeItem(atPath: parent + "/" + name)
        }
    }
}
