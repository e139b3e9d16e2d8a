import Foundation

/// `--lib NAME` forces the recipe for NAME into every musl link;
/// `--lib NAME=PATH` links the user's own static archive wherever a link
/// asks for `-lNAME`, instead of a recipe's.
public enum LibraryRequest: Sendable, Equatable, CustomStringConvertible {
    case recipe(linkName: String)
    case archive(linkName: String, path: String)

    public var linkName: String {
        switch self { case .recipe(let n), .archive(let n, _): return n }
    }

    public var description: String {
        switch self {
        case .recipe(let n): return n
        case .archive(let n, let p): return "\(n)=\(p)"
        }
    }

    /// Reads one `--lib` value. A recipe is named by its link name (`curl`,
    /// `z`) or its own name (`zlib`); an archive must exist and be one.
    public static func parse(_ text: String, currentDirectory: String = FileManager.default.currentDirectoryPath) throws -> LibraryRequest {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        var name = parts[0]
        if name.hasPrefix("-l") { name.removeFirst(2) }
        guard !name.isEmpty, !name.contains("/") else { throw BuildOptionError.badLibrary(text, why: "NAME is empty or a path") }
        guard parts.count == 2 else {
            guard let recipe = LibraryRecipes.recipe(matching: name) else {
                throw BuildOptionError.badLibrary(text, why: "no recipe named '\(name)' (recipes: \(LibraryRecipes.knownNames)); use --lib \(name)=PATH/lib\(name).a for your own archive")
            }
            return .recipe(linkName: recipe.linkNames.contains(name) ? name : recipe.linkNames[0])
        }
        let given = parts[1]
        guard !given.isEmpty else { throw BuildOptionError.badLibrary(text, why: "PATH is empty") }
        let path = given.hasPrefix("/") ? given
            : URL(fileURLWithPath: given, relativeTo: URL(fileURLWithPath: currentDirectory + "/")).standardizedFileURL.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw BuildOptionError.badLibrary(text, why: "no file at \(path)")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw BuildOptionError.badLibrary(text, why: "cannot read \(path)") }
        defer { try? handle.close() }
        guard (try? handle.read(upToCount: 8)) == Data("!<arch>\n".utf8) else {
            throw BuildOptionError.badLibrary(text, why: "\(path) is not a static archive (ar); a musl link needs libX.a, not a shared object")
        }
        return .archive(linkName: name, path: path)
    }
}

/// How one `-lNAME` of a musl link is satisfied.
public enum LibraryResolution: Sendable {
    /// An archive that is already there: the sysroot's, the Swift runtime's or GCC's.
    case present(directory: String)
    /// The user's own archive (`--lib NAME=PATH`).
    case userArchive(String)
    /// A recipe builds it.
    case recipe(LibraryRecipe)
    /// Nothing provides it: the link would fail on `cannot find -lNAME`.
    case missing
}

/// Finds what provides each library a musl link asks for, in this order:
/// the user's `--lib NAME=PATH`, an archive in the search folders (the
/// sysroot, the static Swift runtime, GCC's), a recipe.
public struct LibrarySelection: Sendable {
    public var requests: [LibraryRequest]
    public var searchDirectories: [String]

    public init(requests: [LibraryRequest], searchDirectories: [String]) {
        self.requests = requests; self.searchDirectories = searchDirectories
    }

    public func resolve(_ linkName: String) -> LibraryResolution {
        for case .archive(let name, let path) in requests where name == linkName { return .userArchive(path) }
        let forced = requests.contains { if case .recipe(let n) = $0 { return n == linkName } else { return false } }
        if !forced, let dir = searchDirectories.first(where: { FileManager.default.fileExists(atPath: $0 + "/lib\(linkName).a") }) {
            return .present(directory: dir)
        }
        if let recipe = LibraryRecipes.recipe(forLinkName: linkName) { return .recipe(recipe) }
        return .missing
    }

    /// The link names to resolve: what the link asks for, then the forced recipes.
    public func linkNames(asked: [String]) -> [String] {
        var seen = Set<String>()
        return (asked + requests.map(\.linkName)).filter { seen.insert($0).inserted }
    }

    /// The one line for a library nothing provides.
    public static func missingLine(_ linkName: String, wantedBy: String) -> String {
        "-l\(linkName) (wanted by \(wantedBy)): no static lib\(linkName).a for musl in the sysroot or the Swift runtime, and no recipe "
            + "builds it (recipes: \(LibraryRecipes.knownNames)); pass --lib \(linkName)=PATH/lib\(linkName).a with an archive built for musl, "
            + "or drop the dependency"
    }
}

extension LibraryRecipes {
    /// A recipe by its name (`zlib`) or one of its link names (`z`).
    public static func recipe(matching name: String) -> LibraryRecipe? {
        recipe(named: name) ?? recipe(forLinkName: name)
    }

    /// "curl, sqlite3, xml2, z": the link names recipes provide.
    public static var knownNames: String {
        all.map { $0.linkNames.first ?? $0.name }.sorted().joined(separator: ", ")
    }
}
