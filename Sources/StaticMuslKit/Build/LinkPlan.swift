import Foundation

/// The language of one compiled source, from its file extension (as clang
/// decides it).
public enum SourceLanguage: String, Codable, Sendable {
    case c, assembly, cxx, objc

    public init?(sourcePath: String) {
        switch (sourcePath as NSString).pathExtension {
        case "c": self = .c
        case "s", "S": self = .assembly
        case "cc", "cpp", "cxx", "c++", "C": self = .cxx
        case "m", "mm": self = .objc
        default: return nil
        }
    }
}

/// One C-family compile SwiftPM ran for a product: the exact clang
/// arguments, so a variant can replay it for another libc.
public struct CompileCommand: Sendable, Equatable, Codable {
    public var target: String
    public var source: String
    public var object: String
    public var language: SourceLanguage
    /// SwiftPM's arguments without the compiler itself (argv[1...]).
    public var arguments: [String]
}

/// What SwiftPM decided for one executable product, read once from its
/// build description: the link command, the objects, the renamed entry
/// point, the product's own C-family compiles and the package's linker
/// settings. Every variant links from this plan.
public struct LinkPlan: Sendable, Equatable {
    public var product: String
    /// SwiftPM's own swiftc link command (argv, compiler first).
    public var linkArguments: [String]
    public var objectListPath: String
    public var objects: [String]
    /// The symbol `main` must be (SwiftPM renames an executable's `main` to
    /// `<module>_main` and passes `--defsym main=<module>_main`).
    public var entryPoint: String?
    /// The product's C, assembly, C++ and Objective-C compiles: only those
    /// whose object is in this product's link.
    public var compileCommands: [CompileCommand]
    /// Linker settings of the package (`-lX`, `-LDIR`, `-Xlinker X`) as
    /// linker-driver flags, SwiftPM's own link flags left out.
    public var linkerSettings: [String]

    /// The llbuild command name of a product's link.
    public static func linkCommandName(product: String, triple: String, configuration: String) -> String {
        "C.\(product)-\(triple)-\(configuration).exe"
    }

    /// Reads the plan from a build description. `readFile` is the seam the
    /// golden tests use to serve the object list from a fixture.
    public init(description: BuildDescription, product: String, triple: String = HostTriple.gnu,
                configuration: String = "release", descriptionPath: String = "release.yaml",
                readFile: (String) -> String? = LinkPlan.readTextFile) throws {
        let name = Self.linkCommandName(product: product, triple: triple, configuration: configuration)
        guard let link = description.commands[name] else {
            throw BuildPlanError.noLinkCommand(product: product, description: descriptionPath,
                                               executables: description.executableProducts(triple: triple, configuration: configuration))
        }
        self.product = product
        linkArguments = link.arguments
        guard let list = link.arguments.first(where: { $0.hasPrefix("@") }).map({ String($0.dropFirst()) }) else {
            throw BuildPlanError.missingObjectList(product: product, path: "(no @file in the link command)")
        }
        objectListPath = list
        guard let text = readFile(list) else { throw BuildPlanError.missingObjectList(product: product, path: list) }
        objects = Self.parseObjectList(text)
        entryPoint = link.arguments.first(where: { $0.hasPrefix("main=") }).map { String($0.dropFirst("main=".count)) }
        linkerSettings = Self.linkerSettings(from: link.arguments)
        let wanted = Set(objects)
        compileCommands = description.commands.values
            .filter { $0.tool == "clang" }
            .compactMap { Self.compileCommand($0) }
            .filter { wanted.contains($0.object) }
            .sorted { $0.object < $1.object }
    }

    public static func load(scratch: String, product: String, triple: String = HostTriple.gnu,
                            configuration: String = "release") throws -> LinkPlan {
        let path = "\(scratch)/\(configuration).yaml"
        return try LinkPlan(description: try BuildDescription.load(path: path), product: product, triple: triple,
                            configuration: configuration, descriptionPath: path)
    }

    public static func readTextFile(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// One path a line; SwiftPM quotes paths that hold spaces.
    static func parseObjectList(_ text: String) -> [String] {
        text.split(separator: "\n").compactMap { line -> String? in
            var s = line.trimmingCharacters(in: .whitespaces)
            for q in ["'", "\""] where s.hasPrefix(q) && s.hasSuffix(q) && s.count >= 2 {
                s = String(s.dropFirst().dropLast())
            }
            return s.isEmpty ? nil : s
        }
    }

    /// SwiftPM's own `-Xlinker` flags: the entry rename, dead-stripping and
    /// the rpath. Everything else on the link line came from the package.
    static func isSwiftPMOwnLinkerFlag(_ flag: String) -> Bool {
        flag == "--defsym" || flag.hasPrefix("main=") || flag == "--gc-sections" || flag.hasPrefix("-rpath")
    }

    static func linkerSettings(from arguments: [String]) -> [String] {
        var settings: [String] = []
        var i = 1
        while i < arguments.count {
            let a = arguments[i]
            if a == "-Xlinker", i + 1 < arguments.count {
                if !isSwiftPMOwnLinkerFlag(arguments[i + 1]) { settings.append("-Wl," + arguments[i + 1]) }
                i += 2; continue
            }
            if a == "-L", i + 1 < arguments.count {
                // SwiftPM's first -L is its own build folder (for nothing it links by name).
                if !arguments[i + 1].hasSuffix("/release") && !arguments[i + 1].hasSuffix("/debug") {
                    settings += ["-L", arguments[i + 1]]
                }
                i += 2; continue
            }
            if (a.hasPrefix("-l") || a.hasPrefix("-L")) && a.count > 2 { settings.append(a) }
            i += 1
        }
        return settings
    }

    static func compileCommand(_ c: BuildDescription.Command) -> CompileCommand? {
        let args = c.arguments
        guard args.count > 1,
              let ci = args.firstIndex(of: "-c"), ci + 1 < args.count,
              let oi = args.firstIndex(of: "-o"), oi + 1 < args.count else { return nil }
        let source = args[ci + 1], object = args[oi + 1]
        guard let language = SourceLanguage(sourcePath: source) else { return nil }
        return CompileCommand(target: targetName(description: c.description, object: object), source: source,
                              object: object, language: language, arguments: Array(args.dropFirst()))
    }

    /// "Compiling CChecksum adler32.c" → CChecksum; else the `X.build` folder.
    static func targetName(description: String?, object: String) -> String {
        if let d = description, d.hasPrefix("Compiling ") {
            let words = d.split(separator: " ")
            if words.count >= 3 { return String(words[1]) }
        }
        if let part = object.split(separator: "/").last(where: { $0.hasSuffix(".build") }) {
            return String(part.dropLast(".build".count))
        }
        return "?"
    }
}

/// The host's target triples (the toolchain's glibc one and its musl twin).
public enum HostTriple {
    public static let arch: String = {
        var u = utsname()
        uname(&u)
        return withUnsafePointer(to: &u.machine) {
            $0.withMemoryRebound(to: CChar.self, capacity: 65) { String(cString: $0) }
        }
    }()
    public static var gnu: String { "\(arch)-unknown-linux-gnu" }
    public static var musl: String { "\(arch)-unknown-linux-musl" }
}
