import Foundation

/// One link to make: where the binary, its link map and its log go, and
/// the extra linker flags of this build (--gc-sections, --diet's relinks).
public struct LinkRequest: Sendable {
    public var plan: LinkPlan
    public var binary: String
    public var map: String
    public var log: String
    public var extraLinkerFlags: [String] = []
}

/// What one variant's build produced. A failure carries one line that
/// names the cause, and the unresolved symbols when there were any.
public struct VariantOutcome: Sendable {
    public enum Status: String, Sendable { case ok, failed, skipped }
    public var status: Status
    public var reason: String?
    public var binary: String?
    public var map: String?
    public var log: String?
    public var allocator: String?
    /// musl+c-ares: "c-ares 1.18.1" (nil: the libc's own resolver).
    public var resolver: String?
    public var unresolved: [Manifest.UnresolvedSymbol] = []
    public var compiler: String?
    public var flagNotes: [FlagNote] = []
    /// The product's C-family sources compiled for musl by this build, and those reused from the object cache.
    public var sources: Manifest.SourceCounts?
    /// Libraries built by a recipe for this musl link.
    public var libraries: [Manifest.LibraryUse] = []
    /// musl links with C++: the C++ objects' undefined symbols checked against the link's archives.
    public var cxxSymbols: UndefinedSymbolCheck?

    static func failed(_ reason: String, log: String? = nil, unresolved: [Manifest.UnresolvedSymbol] = []) -> VariantOutcome {
        VariantOutcome(status: .failed, reason: reason, log: log, unresolved: unresolved)
    }
}

/// The toolchain pieces every linker needs.
public struct ToolchainPaths: Sendable {
    public var root: String
    public var swiftc: String { root + "/usr/bin/swiftc" }
    public var clang: String { root + "/usr/bin/clang" }
    public var autolinkExtract: String { root + "/usr/bin/swift-autolink-extract" }
    public var staticRuntime: String { root + "/usr/lib/swift_static/linux" }
    public var embeddedRuntime: String { root + "/usr/lib/swift/embedded/\(HostTriple.gnu)" }

    /// clang's own headers (stddef.h, intrinsics), which -nostdinc hides.
    public func clangResourceDirectory() throws -> String {
        let r = try ProcessRunner.run(clang, ["-print-resource-dir"], timeout: 60)
        let dir = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard r.succeeded, !dir.isEmpty else { throw BuildEngineError.toolFailed("\(clang) -print-resource-dir", r.stderr) }
        return dir
    }
}

/// glibc-dynamic and glibc-static: SwiftPM's own link command, with the
/// output, the link map and (for static) `-static-executable` changed.
public enum GlibcLinker {
    public static func arguments(_ request: LinkRequest, isStatic: Bool) -> [String] {
        var args: [String] = []
        let link = request.plan.linkArguments
        var i = 1
        while i < link.count {
            let a = link[i]
            if a == "-o", i + 1 < link.count { args += ["-o", request.binary]; i += 2; continue }
            if isStatic && a == "-static-stdlib" { args.append("-static-executable"); i += 1; continue }
            if isStatic && a == "-Xlinker", i + 1 < link.count, link[i + 1].hasPrefix("-rpath") { i += 2; continue }
            if isStatic && a.hasPrefix("-rpath") { i += 1; continue }
            args.append(a); i += 1
        }
        args += ["-Xlinker", "-Map=\(request.map)"]
        for flag in request.extraLinkerFlags { args += ["-Xlinker", flag.hasPrefix("-Wl,") ? String(flag.dropFirst(4)) : flag] }
        return args
    }

    public static func link(_ request: LinkRequest, isStatic: Bool, toolchain: ToolchainPaths) throws -> VariantOutcome {
        var r = try ProcessRunner.run(toolchain.swiftc, arguments(request, isStatic: isStatic), timeout: 1800)
        var unresolved = r.succeeded ? [] : LinkerDiagnostics.unresolvedSymbols(in: r.stdout + r.stderr)
        // A system library's static archive (Debian's libcurl.a, libxml2.a)
        // wants its own dependencies, which only pkg-config --static names:
        // linked once more with them.
        var privateLibraries: [String] = []
        if isStatic && !unresolved.isEmpty {
            privateLibraries = try StaticSystemLibraries.privateLibraries(wantedBy: unresolved)
            if !privateLibraries.isEmpty {
                r = try ProcessRunner.run(toolchain.swiftc, arguments(request, isStatic: true) + privateLibraries, timeout: 1800)
                unresolved = r.succeeded ? [] : LinkerDiagnostics.unresolvedSymbols(in: r.stdout + r.stderr)
            }
        }
        try (r.stdout + r.stderr).write(toFile: request.log, atomically: true, encoding: .utf8)
        guard r.succeeded else {
            let log = r.stdout + r.stderr
            let first = unresolved.first.map { "\($0.symbol) (wanted by \($0.wantedBy))" } ?? LinkerDiagnostics.firstError(in: log) ?? "exit \(r.exitStatus ?? -1)"
            let absent = StaticSystemLibraries.absentArchives(privateLibraries)
            let why = absent.isEmpty ? "" : " (this machine has no static archive for \(absent.joined(separator: " ")), "
                + "which the system library's static link needs; Debian ships some of them only as shared libraries)"
            return .failed("link failed: " + first + why, log: request.log, unresolved: unresolved)
        }
        return VariantOutcome(status: .ok, binary: request.binary, map: request.map, log: request.log, allocator: "glibc")
    }
}

/// The glibc-static link of a system library's archive: the `-l` flags its
/// pkg-config file lists for static links (`Libs.private`).
enum StaticSystemLibraries {
    /// pkg-config's module for each system archive a static link may pull in.
    static let pkgConfigModules = ["libcurl.a": "libcurl", "libxml2.a": "libxml-2.0", "libsqlite3.a": "sqlite3", "libz.a": "zlib"]

    /// The extra `-l` flags for the archives that left symbols unresolved.
    static func privateLibraries(wantedBy unresolved: [Manifest.UnresolvedSymbol]) throws -> [String] {
        let modules = Set(unresolved.compactMap { symbol in
            pkgConfigModules.first { symbol.wantedBy.hasPrefix($0.key + "(") || symbol.wantedBy == $0.key }?.value
        })
        guard !modules.isEmpty else { return [] }
        try SystemPackages.ensure("pkg-config", package: "pkg-config")
        let r = try ProcessRunner.run("pkg-config", ["--static", "--libs-only-l"] + modules.sorted(), timeout: 60)
        guard r.succeeded else { return [] }
        var seen = Set<String>()
        return r.stdout.split(whereSeparator: \.isWhitespace).map(String.init).filter { $0.hasPrefix("-l") && seen.insert($0).inserted }
    }

    /// Those of `flags` with no `libX.a` in the system's library folders.
    static func absentArchives(_ flags: [String]) -> [String] {
        let folders = ["/usr/lib/\(HostTriple.arch)-linux-gnu", "/lib/\(HostTriple.arch)-linux-gnu", "/usr/lib", "/usr/local/lib"]
        return flags.filter { flag in
            let name = "lib" + flag.dropFirst(2) + ".a"
            return !folders.contains { FileManager.default.fileExists(atPath: $0 + "/" + name) }
        }
    }
}

/// The musl variants: the product's C-family sources compiled for musl
/// (clang for the packages' targets, the sysroot's musl-gcc for CShim),
/// then SwiftPM's Swift objects linked by the sysroot's musl-gcc against
/// musl's libc.a, the toolchain's static Swift runtime, libstdc++.a,
/// libgcc_eh.a and libcshim_compat.a.
public struct MuslLinker: Sendable {
    public var sysroot: Sysroot
    public var toolchain: ToolchainPaths
    public var projectRoot: String
    public var objectDirectory: String
    public var progress: Progress?
    /// `--lib` requests: recipes to force, the user's own archives.
    public var libraryRequests: [LibraryRequest] = []

    /// Compiles the plan's sources for musl. Returns the object
    /// replacements (SwiftPM's object → the musl one), or the failure.
    public func compile(_ plan: LinkPlan, libraries: [BuiltLibrary] = []) throws -> (replacements: [String: String], notes: [FlagNote], failure: VariantOutcome?, counts: Manifest.SourceCounts) {
        if let objc = plan.compileCommands.first(where: { $0.language == .objc }) {
            return ([:], [], .failed("Objective-C source \(objc.source) (target \(objc.target)): not supported on the musl variant (there is no Objective-C runtime on Linux)"), .init(compiled: 0, reused: 0))
        }
        if let cxx = plan.compileCommands.first(where: { $0.language == .cxx }), sysroot.cxxIncludeDirectories.isEmpty {
            return ([:], [], .failed("C++ source \(cxx.source) (target \(cxx.target)): the sysroot \(sysroot.path) has no C++ headers; rebuild it (static-musl sysroot)"), .init(compiled: 0, reused: 0))
        }
        try FileManager.default.createDirectory(atPath: objectDirectory, withIntermediateDirectories: true)
        let headers = MuslHeaderPaths(sysroot: sysroot.path, include: sysroot.includeDirectory,
                                      clangResource: try toolchain.clangResourceDirectory(),
                                      moduleCache: objectDirectory + "/module-cache",
                                      cxxInclude: sysroot.cxxIncludeDirectories,
                                      libraryInclude: libraries.map(\.includeDirectory))
        let cshim = projectRoot + "/CShim/"
        struct Job { var command: CompileCommand; var tool: String; var arguments: [String]; var notes: [FlagNote]; var output: String }
        let placeholder = "@MUSL_OBJECT@"
        let jobs: [Job] = plan.compileCommands.map { c in
            let tool: String, made: (arguments: [String], notes: [FlagNote])
            if c.source.hasPrefix(cshim) {
                tool = sysroot.muslGCC
                made = MuslCompileFlags.gcc(c, output: placeholder, muslVersion: sysroot.muslVersion)
            } else {
                tool = toolchain.clang
                made = MuslCompileFlags.clang(c, output: placeholder, headers: headers)
            }
            // Named by the exact command (the sysroot's key is in the folder name),
            // less the recipe libraries' include folders: those are added to every
            // compile of a link that builds one (Vapor's -lz), and would otherwise
            // make the same source's object differ between two products of one package.
            let libraryIncludes = Set(libraries.map(\.includeDirectory))
            var keyed: [String] = [tool]
            var i = 0
            while i < made.arguments.count {
                if made.arguments[i] == "-isystem", i + 1 < made.arguments.count, libraryIncludes.contains(made.arguments[i + 1]) { i += 2; continue }
                keyed.append(made.arguments[i]); i += 1
            }
            let key = SysrootSHA256.hex(keyed.joined(separator: "\u{1}")).prefix(20)
            let output = objectDirectory + "/\(key)-" + (c.object as NSString).lastPathComponent
            return Job(command: c, tool: tool, arguments: made.arguments.map { $0 == placeholder ? output : $0 },
                       notes: made.notes, output: output)
        }
        // Reuse an object compiled by the same command after SwiftPM last
        // compiled the source (SwiftPM recompiles when the source or a header
        // it includes changes, so a newer glibc object means a stale musl one).
        func isFresh(_ job: Job) -> Bool {
            let fm = FileManager.default
            guard let ours = (try? fm.attributesOfItem(atPath: job.output))?[.modificationDate] as? Date,
                  let swiftpm = (try? fm.attributesOfItem(atPath: job.command.object))?[.modificationDate] as? Date else { return false }
            return ours >= swiftpm
        }
        let results = ConcurrentMap.run(jobs, width: ProcessInfo.processInfo.activeProcessorCount) { job -> Result<ProcessResult?, Error> in
            if isFresh(job) { return .success(nil) }
            // Compiled under a unique name and renamed: two builds never see half an object.
            let temporary = job.output + ".tmp-\(getpid())-\(UUID().uuidString.prefix(8)).o"
            return Result {
                // BoringSSL's bcm.cc alone takes minutes on a loaded 2-core machine.
                let r = try ProcessRunner.run(job.tool, job.arguments.map { $0 == job.output ? temporary : $0 }, timeout: Self.compileTimeout)
                if r.succeeded { guard rename(temporary, job.output) == 0 else { throw BuildEngineError.toolFailed("rename \(temporary)", String(cString: strerror(errno))) } }
                else { try? FileManager.default.removeItem(atPath: temporary) }
                return r
            }
        }
        var replacements: [String: String] = [:]
        var notes = Set<FlagNote>()
        var reused = 0
        for (job, result) in zip(jobs, results) {
            guard let r = try result.get() else {
                reused += 1
                replacements[job.command.object] = job.output
                notes.formUnion(job.notes)
                continue
            }
            guard r.succeeded else {
                let compiler = job.tool == toolchain.clang ? "clang --target=\(HostTriple.musl) -nostdinc\(job.command.language == .cxx ? " -nostdinc++ (libstdc++ for musl)" : ""), sysroot \((sysroot.path as NSString).lastPathComponent)" : "musl-gcc (sysroot \((sysroot.path as NSString).lastPathComponent))"
                let first = LinkerDiagnostics.firstError(in: r.stderr + r.stdout)
                    ?? (r.timedOut ? "timed out after \(Int(Self.compileTimeout)) s" : r.signal.map { "killed by signal \($0)" } ?? "exit \(r.exitStatus ?? -1)")
                let log = objectDirectory + "/" + (job.output as NSString).lastPathComponent + ".log"
                try? ([job.tool] + job.arguments).joined(separator: " ").appending("\n" + r.stderr + r.stdout)
                    .write(toFile: log, atomically: true, encoding: .utf8)
                return ([:], [], .failed("compile failed: \(job.command.source) (target \(job.command.target)): \(first) [\(compiler)]", log: log),
                        .init(compiled: jobs.count - reused, reused: reused))
            }
            replacements[job.command.object] = job.output
            notes.formUnion(job.notes)
        }
        if !jobs.isEmpty {
            progress?.note("\(plan.product): \(jobs.count - reused) sources compiled for musl, \(reused) reused")
        }
        return (replacements, notes.sorted { ($0.flag, $0.reason) < ($1.flag, $1.reason) }, nil,
                .init(compiled: jobs.count - reused, reused: reused))
    }

    /// The libraries the Swift objects ask for (autolink entries, plus the
    /// static stdlib's list), minus those musl folds into libc.a or that
    /// are linked by path.
    func swiftLibraries(objects: [String]) throws -> [String] {
        let r = try ProcessRunner.run(toolchain.autolinkExtract, objects + ["-o", "-"], timeout: 300)
        var words = r.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        if let lnk = try? String(contentsOfFile: toolchain.staticRuntime + "/static-stdlib-args.lnk", encoding: .utf8) {
            words += lnk.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        }
        var seen = Set<String>()
        return words.filter { $0.hasPrefix("-l") && !["-lstdc++", "-lgcc_s", "-lc"].contains($0) && seen.insert($0).inserted }
    }

    /// The limit for one C/C++ compile of the product's sources.
    static let compileTimeout: Double = 2400

    public func arguments(_ request: LinkRequest, objects: [String], libraries: [String], firstObjects: [String],
                          gccLibraryDirectory: String) -> [String] {
        var args = ["-static", "-Wl,--eh-frame-hdr"] + sysroot.compatLinkFlags + ["-o", request.binary]
        args += firstObjects + ["\(toolchain.staticRuntime)/\(HostTriple.arch)/swiftrt.o"] + objects
        args += ["-L", toolchain.staticRuntime, "-Wl,--start-group"] + libraries
        // libc.a joins the group: some compat wrappers (__nl_langinfo_l, …) are wanted by libc.a's own members.
        args += ["\(gccLibraryDirectory)/libstdc++.a", "\(gccLibraryDirectory)/libgcc_eh.a", sysroot.compatArchive, "-lc", "-Wl,--end-group"]
        args += request.plan.linkerSettings
        if let entry = request.plan.entryPoint { args.append("-Wl,--defsym,main=\(entry)") }
        args += ["-Wl,--gc-sections"] + request.extraLinkerFlags + ["-Wl,-Map,\(request.map)"]
        return args
    }

    public func link(_ request: LinkRequest, allocator: Allocator, allocatorObjects: [String]) throws -> VariantOutcome {
        // The libraries this link asks for (autolink entries, linker
        // settings, --lib): each found in the sysroot, the Swift runtime or
        // GCC's folder, given by the user, or built by a recipe first (so the
        // compiles see their headers). Nothing provides it: one line, no link.
        let libraries = try swiftLibraries(objects: request.plan.objects)
        let gcc = try ProcessRunner.run("gcc", ["-print-libgcc-file-name"], timeout: 60)
        let gccDir = (gcc.stdout.trimmingCharacters(in: .whitespacesAndNewlines) as NSString).deletingLastPathComponent
        let selection = LibrarySelection(requests: libraryRequests,
                                         searchDirectories: [sysroot.libDirectory, toolchain.staticRuntime, gccDir])
        let settingsNames = request.plan.linkerSettings.filter { $0.hasPrefix("-l") }.map { String($0.dropFirst(2)) }
        var built: [BuiltLibrary] = []
        var userArchives: [String: String] = [:]
        for name in selection.linkNames(asked: libraries.map { String($0.dropFirst(2)) } + settingsNames) {
            switch selection.resolve(name) {
            case .present: continue
            case .userArchive(let path):
                userArchives[name] = path
                progress?.note("\(request.plan.product): -l\(name) → \(path) (--lib)")
            case .recipe(let recipe):
                guard !built.contains(where: { $0.name == recipe.name }) else { continue }
                progress?.note("\(request.plan.product): -l\(name) → the \(recipe.name) recipe (Debian source package \(recipe.debianSource))")
                do {
                    for library in try LibraryRecipes.prepareWithDependencies(recipe, sysroot: sysroot, toolchain: toolchain, projectRoot: projectRoot)
                    where !built.contains(where: { $0.name == library.name }) { built.append(library) }
                } catch { return .failed("-l\(name) (wanted by \(request.plan.product)): the \(recipe.name) recipe failed: \(error)") }
            case .missing:
                let wantedBy = settingsNames.contains(name) ? "the linker settings of \(request.plan.product)"
                    : libraryRequests.contains { $0.linkName == name } ? "--lib" : autolinkOwner(of: "-l" + name, objects: request.plan.objects)
                return .failed(LibrarySelection.missingLine(name, wantedBy: wantedBy))
            }
        }
        let (replacements, notes, failure, counts) = try compile(request.plan, libraries: built)
        if var failure { failure.sources = counts; return failure }
        let objects = request.plan.objects.map { replacements[$0] ?? $0 }
        let cxxCheck = try checkCxxSymbols(request.plan, replacements: replacements, linkObjects: allocatorObjects + objects,
                                           libraries: libraries, built: built, gccLibraryDirectory: gccDir)
        if let cxxCheck { progress?.note("\(request.plan.product): \(cxxCheck.summary)") }
        // A user's archive replaces its -lNAME; a recipe's archives (with
        // their dependencies') join the group, so their order does not matter.
        var linkRequest = request
        linkRequest.plan.linkerSettings = request.plan.linkerSettings.filter { !userArchives.keys.contains(String($0.dropFirst(2))) || !$0.hasPrefix("-l") }
        let linkLibraries = libraries.filter { userArchives[String($0.dropFirst(2))] == nil }
            + userArchives.keys.sorted().compactMap { userArchives[$0] }
            + built.flatMap { library in library.archives.map { library.libDirectory + "/" + $0 } }
        var args = arguments(linkRequest, objects: objects, libraries: linkLibraries, firstObjects: allocatorObjects, gccLibraryDirectory: gccDir)
        if let group = args.firstIndex(of: "-Wl,--start-group") {
            args.insert(contentsOf: built.flatMap { ["-L", $0.libDirectory] }, at: group)
        }
        let r = try ProcessRunner.run(sysroot.muslGCC, args, timeout: 1800)
        let log = r.stdout + r.stderr
        try log.write(toFile: request.log, atomically: true, encoding: .utf8)
        var outcome: VariantOutcome
        if r.succeeded {
            outcome = VariantOutcome(status: .ok, binary: request.binary, map: request.map, log: request.log, allocator: allocator.rawValue)
        } else {
            outcome = Self.explainFailure(log: log, logPath: request.log)
            if let cxxCheck, !cxxCheck.missing.isEmpty, let reason = outcome.reason {
                outcome.reason = reason + " [C++ check: " + cxxCheck.summary + "]"
            }
        }
        outcome.cxxSymbols = cxxCheck
        let cxx = request.plan.compileCommands.contains { $0.language == .cxx } ? " and C++ (libstdc++ \(sysroot.metadata.cxx?.gccMajor ?? "?") headers for musl)" : ""
        outcome.compiler = "clang \(HostTriple.musl) (package C\(cxx)), musl-gcc (CShim), linked by musl-gcc -static; musl \(sysroot.muslVersion)"
        outcome.flagNotes = notes
        outcome.sources = counts
        outcome.libraries = built.map { Manifest.LibraryUse(name: $0.name, version: $0.version, source: $0.source) }
            + userArchives.keys.sorted().map { Manifest.LibraryUse(name: $0, version: "user", source: "--lib \($0)=\(userArchives[$0] ?? "")") }
        return outcome
    }

    /// The module whose Swift objects carry the autolink entry `flag`
    /// (`CSQLite` for a systemLibrary target's `link "sqlite3"`).
    func autolinkOwner(of flag: String, objects: [String]) -> String {
        for object in objects where object.hasSuffix(".o") {
            guard let r = try? ProcessRunner.run(toolchain.autolinkExtract, [object, "-o", "-"], timeout: 60),
                  r.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" }).contains(Substring(flag)) else { continue }
            let folder = ((object as NSString).deletingLastPathComponent as NSString).lastPathComponent
            return folder.hasSuffix(".build") ? "module \(folder.dropLast(6))" : (object as NSString).lastPathComponent
        }
        return "an autolink entry of the Swift objects"
    }

    /// The C++ objects' undefined symbols against what this link offers
    /// them; nil when the product compiled no C++.
    func checkCxxSymbols(_ plan: LinkPlan, replacements: [String: String], linkObjects: [String], libraries: [String],
                         built: [BuiltLibrary], gccLibraryDirectory gccDir: String) throws -> UndefinedSymbolCheck? {
        let cxxObjects = plan.compileCommands.filter { $0.language == .cxx }.compactMap { replacements[$0.object] }
        guard !cxxObjects.isEmpty else { return nil }
        // crtbeginT.o defines __dso_handle, which every C++ object with a static destructor wants.
        let archives = [sysroot.libDirectory + "/libc.a", sysroot.compatArchive, gccDir + "/libstdc++.a",
                        gccDir + "/libgcc.a", gccDir + "/libgcc_eh.a", gccDir + "/crtbeginT.o"]
            + built.flatMap { lib in lib.archives.map { lib.libDirectory + "/" + $0 } }
        let swiftArchives = libraries.map { toolchain.staticRuntime + "/lib" + $0.dropFirst(2) + ".a" }
        return try UndefinedSymbolCheck.run(objects: cxxObjects, offeredBy: linkObjects + archives,
                                            fallbackArchives: swiftArchives, wrapFlags: sysroot.compatLinkFlags)
    }

    /// One line for a failed musl link: which symbols, wanted by what, and
    /// which missing library explains them.
    static func explainFailure(log: String, logPath: String) -> VariantOutcome {
        let unresolved = LinkerDiagnostics.unresolvedSymbols(in: log)
        guard !unresolved.isEmpty else {
            return .failed("link failed: " + (LinkerDiagnostics.firstError(in: log) ?? "the linker failed (see \(logPath))"), log: logPath)
        }
        let shown = unresolved.prefix(8).map { "\($0.symbol) (wanted by \($0.wantedBy))" }.joined(separator: ", ")
        let more = unresolved.count > 8 ? ", and \(unresolved.count - 8) more" : ""
        return .failed("unresolved symbols: " + shown + more, log: logPath, unresolved: unresolved)
    }

}

/// Runs a closure over items with a bounded number of threads, keeping order.
enum ConcurrentMap {
    static func run<T, R>(_ items: [T], width: Int, _ body: (T) -> R) -> [R] {
        var results = [R?](repeating: nil, count: items.count)
        let lock = NSLock()
        let next = ManagedIndex()
        DispatchQueue.concurrentPerform(iterations: max(1, min(width, items.count))) { _ in
            while let i = next.take(below: items.count) {
                let r = body(items[i])
                lock.lock(); results[i] = r; lock.unlock()
            }
        }
        return results.map { $0! }
    }

    final class ManagedIndex: @unchecked Sendable {
        private var value = 0
        private let lock = NSLock()
        func take(below limit: Int) -> Int? {
            lock.lock(); defer { lock.unlock() }
            guard value < limit else { return nil }
            value += 1
            return value - 1
        }
    }
}
