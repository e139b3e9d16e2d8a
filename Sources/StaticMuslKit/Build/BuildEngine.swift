import Foundation

/// Errors of the engine itself (not of one variant: those are recorded in
/// the manifest and summarised).
public enum BuildEngineError: Error, CustomStringConvertible {
    case toolFailed(String, String)
    case swiftBuildFailed(product: String, tail: String)
    case imageFailed(String)

    public var description: String {
        switch self {
        case .toolFailed(let cmd, let why): return "\(cmd) failed: \(why.split(separator: "\n").last ?? "")"
        case .swiftBuildFailed(let product, let tail): return "swift build failed for product '\(product)': \(tail)"
        case .imageFailed(let why): return "--image: \(why)"
        }
    }
}

/// One requested variant that did not build.
public struct VariantFailure: Sendable, Equatable, CustomStringConvertible {
    public var product: String
    public var variant: String
    public var reason: String
    public var description: String { "\(product) (\(variant)): \(reason)" }
}

/// The result of a build: the dist folder, and every requested variant
/// that failed (already in the manifest; the CLI exits 1 when any did).
public struct BuildResult: Sendable {
    public var store: ArtifactStore
    public var failures: [VariantFailure]
}

/// The build engine: one SwiftPM release build per product, then every
/// variant linked from the same objects, each checked, and one manifest.
public struct BuildEngine {
    public var projectRoot: String
    public var progress = Progress(suite: "build")

    public init(projectRoot: String) { self.projectRoot = projectRoot }

    public func run(_ options: BuildOptions) throws -> BuildResult {
        guard FileManager.default.fileExists(atPath: options.packagePath + "/Package.swift") else {
            throw BuildOptionError.noPackage(options.packagePath)
        }
        try SystemPackages.ensure("strip", package: "binutils")
        try SystemPackages.ensure("g++", package: "g++")
        let versions = ToolchainVersions.detect()
        let toolchain = ToolchainPaths(root: versions.root)
        try FileManager.default.createDirectory(atPath: options.out, withIntermediateDirectories: true)
        let scratch = options.resolvedScratch(projectRoot: projectRoot)
        progress.note("toolchain \(versions.root) (Swift \(versions.swift)), glibc \(versions.glibc); package \(options.packagePath)")

        var sysroot: Sysroot?
        func muslSysroot() throws -> Sysroot {
            if let sysroot { return sysroot }
            let s = try Sysroot.prepare(projectRoot: projectRoot, musl: try MuslSource.named(options.muslVersion))
            sysroot = s
            progress.note("musl sysroot \(s.path) (musl \(s.muslVersion))")
            return s
        }

        var builds: [ManifestWriter.ProductBuild] = []
        var failures: [VariantFailure] = []
        for product in options.products {
            var entries: [Manifest.VariantEntry] = []
            func record(_ variant: Variant, _ outcome: VariantOutcome, product name: String = product) {
                let entry = makeEntry(variant, outcome, options: options)
                if outcome.status == .failed {
                    failures.append(VariantFailure(product: name, variant: variant.rawValue, reason: outcome.reason ?? "failed"))
                }
                if name == product { entries.append(entry) } else {
                    builds.append(.init(product: name, packagePath: projectRoot, entries: [entry]))
                }
            }
            var plan: LinkPlan?
            var planFailure: String?
            if options.needsSwiftPM || options.allocator == .mimalloc || options.resolver == .cAres {
                do { plan = try swiftPMBuild(product: product, options: options, scratch: scratch) }
                catch { planFailure = "\(error)" }
            }
            var linked = options.variants
            if options.allocator == .mimalloc && !linked.contains(.muslMimalloc) { linked.append(.muslMimalloc) }
            if options.resolver == .cAres && !linked.contains(.muslCAres) { linked.append(.muslCAres) }
            // The linked variants in two lanes side by side: glibc's links and
            // musl's (compiles, then links; musl+mimalloc after musl, so it
            // reuses musl's objects). A link is one thread, so the other core
            // works on the other lane. The sysroot is prepared before the lanes.
            var outcomes: [Variant: VariantOutcome] = [:]
            if let plan {
                let linkable = linked.filter { [.musl, .muslMimalloc, .muslCAres, .glibcStatic, .glibcDynamic].contains($0) }
                var muslFailure: String?
                if linkable.contains(where: { $0.libc == "musl" }) {
                    do { _ = try muslSysroot() } catch { muslFailure = "\(error)" }
                }
                let lanes = [linkable.filter { $0.libc != "musl" }, linkable.filter { $0.libc == "musl" }].filter { !$0.isEmpty }
                let preparedSysroot = sysroot
                let results = ConcurrentMap.run(lanes, width: 2) { lane -> [(Variant, VariantOutcome)] in
                    lane.map { variant in
                        if variant.libc == "musl", let muslFailure { return (variant, .failed(muslFailure)) }
                        progress.note("linking \(product) (\(variant.rawValue))")
                        do {
                            return (variant, try link(variant, plan: plan, options: options, into: options.out, toolchain: toolchain,
                                                      sysroot: variant.libc == "musl" ? preparedSysroot : nil, scratch: scratch))
                        } catch { return (variant, .failed("\(error)")) }
                    }
                }
                for (variant, outcome) in results.joined() { outcomes[variant] = outcome }
            }
            for variant in linked {
                switch variant {
                case .embeddedMusl:
                    if product == options.products.first {
                        record(.embeddedMusl, (try? buildEmbedded(options: options, toolchain: toolchain, sysroot: muslSysroot()))
                               ?? .failed("the musl sysroot could not be prepared"), product: "embedded-probe")
                    }
                case .sdk:
                    record(.sdk, buildSDK(product: product, options: options, scratch: scratch))
                case .musl, .muslMimalloc, .muslCAres, .glibcStatic, .glibcDynamic:
                    record(variant, outcomes[variant] ?? .failed(planFailure ?? "no link plan"))
                }
            }
            var sizeWork = SizeOptionsRunner(engine: self, options: options, toolchain: toolchain, scratch: scratch,
                                             product: product, plan: plan, sysroot: sysroot)
            try sizeWork.apply(to: &entries)
            builds.append(.init(product: product, packagePath: options.packagePath, entries: entries))
        }
        var info = Manifest.ToolchainInfo(swift: versions.swift, root: versions.root, musl: sysroot?.muslVersion ?? versions.musl,
                                          glibc: versions.glibc, gcc: Self.gccVersion(), clang: Self.clangVersion(toolchain))
        if let sysroot {
            info.sysroot = .init(path: sysroot.path, key: sysroot.key, musl: sysroot.muslVersion, source: sysroot.metadata.musl.source)
        }
        try ManifestWriter.write(builds, toolchain: info, out: options.out)
        try? FileManager.default.removeItem(atPath: options.out + "/.diet")
        let store = try ArtifactStore(distDirectory: options.out)
        return BuildResult(store: store, failures: failures)
    }

    // MARK: SwiftPM

    /// `swift build -c release --static-swift-stdlib --product P`, then the
    /// plan. A failed SwiftPM *link* still leaves the objects: each variant
    /// then links (or fails) on its own and says why.
    func swiftPMBuild(product: String, options: BuildOptions, scratch: String) throws -> LinkPlan {
        var args = ["build", "-c", "release", "--static-swift-stdlib", "--package-path", options.packagePath,
                    "--scratch-path", scratch, "--product", product]
        if let opt = options.swiftOptimization { args += ["-Xswiftc", "-\(opt)"] }
        progress.note("swift " + args.joined(separator: " "))
        var r = try ProcessRunner.run("swift", args, timeout: 3600)
        // The system's C libraries (libcurl for URLSession, libsqlite3 for a
        // systemLibrary target) come from Debian's -dev packages: installed
        // once when the build asked for them, then the build runs again.
        let wanted = r.succeeded ? [] : SystemPackages.developmentPackages(wantedBy: r.stdout + r.stderr)
        if !wanted.isEmpty {
            try SystemPackages.install(wanted, forWhat: "the glibc build of '\(product)'")
            r = try ProcessRunner.run("swift", args, timeout: 3600)
        }
        if !r.succeeded {
            let list = "\(scratch)/\(HostTriple.gnu)/release/\(product).product/Objects.LinkFileList"
            let log = r.stdout + r.stderr
            guard FileManager.default.fileExists(atPath: list) else {
                let errors = log.split(separator: "\n").filter { $0.contains("error:") }.prefix(3).joined(separator: "; ")
                throw BuildEngineError.swiftBuildFailed(product: product, tail: errors.isEmpty ? String(log.suffix(400)) : errors)
            }
            progress.note("SwiftPM's own link of '\(product)' failed; linking each variant from its objects")
        }
        return try LinkPlan.load(scratch: scratch, product: product)
    }

    // MARK: Variants

    func link(_ variant: Variant, plan: LinkPlan, options: BuildOptions, into out: String, toolchain: ToolchainPaths,
              sysroot: Sysroot?, scratch: String, extraFlags: [String]? = nil) throws -> VariantOutcome {
        let dir = out + "/" + variant.rawValue
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let binary = dir + "/" + plan.product
        for stale in [binary, binary + ".map", binary + ".link.log", binary + ".diet"] { try? FileManager.default.removeItem(atPath: stale) }
        let request = LinkRequest(plan: plan, binary: binary, map: binary + ".map", log: binary + ".link.log",
                                  extraLinkerFlags: extraFlags ?? options.extraLinkerFlags)
        switch variant {
        case .glibcDynamic: return try GlibcLinker.link(request, isStatic: false, toolchain: toolchain)
        case .glibcStatic: return try GlibcLinker.link(request, isStatic: true, toolchain: toolchain)
        case .musl, .muslMimalloc, .muslCAres:
            guard let sysroot else { return .failed("no musl sysroot") }
            let linker = MuslLinker(sysroot: sysroot, toolchain: toolchain, projectRoot: projectRoot,
                                    objectDirectory: scratch + "/musl-objects/\(sysroot.key.prefix(16))", progress: progress,
                                    libraryRequests: options.libraries)
            if variant == .muslMimalloc {
                // mimalloc's src/static.c as one object (MimallocBuild: Debian's
                // source, clang for musl against this sysroot, cached), linked first.
                let version = options.mimallocVersion
                let mimalloc: MimallocObject
                do { mimalloc = try MimallocBuild.prepare(version, sysroot: sysroot, toolchain: toolchain, projectRoot: projectRoot) }
                catch { return .failed("\(version.label) could not be built: \(error)") }
                progress.note("\(plan.product): \(mimalloc.label) (\(mimalloc.source)) → \(mimalloc.object)")
                var outcome = try linker.link(request, allocator: .mimalloc, allocatorObjects: [mimalloc.object])
                if outcome.allocator != nil { outcome.allocator = mimalloc.label }
                outcome.libraries.insert(mimalloc.libraryUse, at: 0)
                return outcome
            }
            if variant == .muslCAres {
                // CShim/resolver and c-ares (ResolverShim), linked first, with -u
                // for each of their symbols so that libc.a's never link.
                let shim: ResolverShim
                do { shim = try ResolverShim.prepare(sysroot: sysroot, toolchain: toolchain, projectRoot: projectRoot) }
                catch { return .failed("the c-ares resolver could not be built: \(error)") }
                progress.note("\(plan.product): resolver \(shim.label) (\(shim.cAres.source)) → \(shim.archives[0])")
                var forced = request
                forced.extraLinkerFlags = ResolverShim.undefinedFlags + request.extraLinkerFlags
                var outcome = try linker.link(forced, allocator: .mallocng, allocatorObjects: shim.archives)
                outcome.resolver = shim.label
                outcome.libraries.insert(shim.libraryUse, at: 0)
                return outcome
            }
            return try linker.link(request, allocator: .mallocng, allocatorObjects: [])
        case .embeddedMusl, .sdk:
            return .failed("not a linked variant")
        }
    }

    /// The Embedded Swift probe: swiftc in Embedded mode, linked by the
    /// sysroot's musl-gcc with the Unicode tables it needs.
    func buildEmbedded(options: BuildOptions, toolchain: ToolchainPaths, sysroot: Sysroot) throws -> VariantOutcome {
        let dir = options.out + "/embedded-musl", product = "embedded-probe"
        let lib = toolchain.embeddedRuntime + "/libswiftUnicodeDataTables.a"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        guard FileManager.default.fileExists(atPath: lib) else {
            return VariantOutcome(status: .skipped, reason: "this toolchain has no Embedded Swift runtime for \(HostTriple.gnu) (\(toolchain.embeddedRuntime))")
        }
        progress.note("compiling \(product) (embedded-musl)")
        let object = dir + "/\(product).o", log = dir + "/\(product).link.log", binary = dir + "/" + product
        let compile = try ProcessRunner.run(toolchain.swiftc, [
            "-enable-experimental-feature", "Embedded", "-enable-experimental-feature", "Extern", "-wmo", "-Osize",
            "-target", HostTriple.gnu, "-c", projectRoot + "/Probes/EmbeddedProbe/main.swift", "-o", object], timeout: 600)
        var text = compile.stdout + compile.stderr
        guard compile.succeeded else {
            try? text.write(toFile: log, atomically: true, encoding: .utf8)
            return .failed("compile failed: Probes/EmbeddedProbe/main.swift: " + (LinkerDiagnostics.firstError(in: text) ?? "swiftc failed"), log: log)
        }
        let link = try ProcessRunner.run(sysroot.muslGCC, ["-static", "-Os", "-Wl,--gc-sections", "-Wl,-Map,\(binary).map",
                                                           "-o", binary, object, lib], timeout: 600)
        text += link.stdout + link.stderr
        try? text.write(toFile: log, atomically: true, encoding: .utf8)
        try? FileManager.default.removeItem(atPath: object)
        guard link.succeeded else { return .failed("link failed: " + (LinkerDiagnostics.firstError(in: text) ?? "musl-gcc failed"), log: log) }
        return VariantOutcome(status: .ok, binary: binary, map: binary + ".map", log: log, allocator: Allocator.mallocng.rawValue,
                              compiler: "swiftc -enable-experimental-feature Embedded, linked by musl-gcc -static; musl \(sysroot.muslVersion)")
    }

    /// The official Static Linux SDK, when one is installed.
    func buildSDK(product: String, options: BuildOptions, scratch: String) -> VariantOutcome {
        let list = (try? ProcessRunner.run("swift", ["sdk", "list"], timeout: 120))?.stdout ?? ""
        guard let sdk = list.split(separator: "\n").first(where: { $0.lowercased().contains("static-linux") || $0.lowercased().contains("linux-musl") }) else {
            return VariantOutcome(status: .skipped, reason: "skipped: no Static Linux SDK installed")
        }
        let dir = options.out + "/sdk", log = dir + "/\(product).link.log"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let base = ["build", "-c", "release", "--package-path", options.packagePath, "--scratch-path", scratch + "-sdk",
                    "--swift-sdk", String(sdk), "--product", product]
        progress.note("swift build --swift-sdk \(sdk) (\(product))")
        guard let r = try? ProcessRunner.run("swift", base, timeout: 3600) else { return .failed("swift build --swift-sdk \(sdk) could not start") }
        try? (r.stdout + r.stderr).write(toFile: log, atomically: true, encoding: .utf8)
        guard r.succeeded, let bin = try? ProcessRunner.run("swift", base + ["--show-bin-path"], timeout: 600) else {
            return .failed("swift build --swift-sdk \(sdk) failed: \(LinkerDiagnostics.firstError(in: r.stderr + r.stdout) ?? "")", log: log)
        }
        let binary = dir + "/" + product
        try? FileManager.default.removeItem(atPath: binary)
        do { try FileManager.default.copyItem(atPath: bin.stdout.trimmingCharacters(in: .whitespacesAndNewlines) + "/" + product, toPath: binary) }
        catch { return .failed("the SDK build left no binary: \(error)", log: log) }
        return VariantOutcome(status: .ok, binary: binary, log: log, allocator: Allocator.mimalloc.rawValue, compiler: "Static Linux SDK \(sdk)")
    }

    // MARK: Manifest entries

    func makeEntry(_ variant: Variant, _ outcome: VariantOutcome, options: BuildOptions) -> Manifest.VariantEntry {
        var e = Manifest.VariantEntry(variant: variant.rawValue, status: outcome.status.rawValue, reason: outcome.reason)
        e.allocator = outcome.allocator
        e.resolver = outcome.resolver
        e.unresolved = outcome.unresolved
        e.compiler = outcome.compiler
        e.flagNotes = outcome.flagNotes.isEmpty ? nil : outcome.flagNotes
        e.sources = outcome.sources
        e.libraries = outcome.libraries.isEmpty ? nil : outcome.libraries
        e.cxxSymbols = outcome.cxxSymbols
        if let log = outcome.log, let text = try? String(contentsOfFile: log, encoding: .utf8) {
            e.linkWarnings = Array(Set(text.split(separator: "\n").compactMap { line -> String? in
                guard let r = line.range(of: "warning: ") else { return nil }
                return String(line[r.upperBound...])
            })).sorted()
        }
        if outcome.status == .ok, let binary = outcome.binary {
            e.path = relative(binary, to: options.out)
            e.linkMap = outcome.map.flatMap { FileManager.default.fileExists(atPath: $0) ? relative($0, to: options.out) : nil }
            if let elf = try? ELFFile(path: binary) {
                e.interpreter = elf.interpreter
                e.needed = elf.needed
                e.isStatic = elf.interpreter == nil && elf.needed.isEmpty
                e.size = elf.fileSize
            }
            e.strippedSize = Self.strippedSize(binary)
            if options.strip { _ = try? ProcessRunner.run("strip", [binary], timeout: 300) }
        } else if let log = outcome.log {
            e.linkMap = nil
            e.extra = ["log": relative(log, to: options.out)]
        }
        return e
    }

    func relative(_ path: String, to root: String) -> String {
        path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }

    static func strippedSize(_ binary: String) -> Int? {
        let tmp = NSTemporaryDirectory() + "static-musl-strip-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        guard let r = try? ProcessRunner.run("strip", ["-o", tmp, binary], timeout: 300), r.succeeded else { return nil }
        return (try? FileManager.default.attributesOfItem(atPath: tmp)[.size] as? Int) ?? nil
    }

    static func gccVersion() -> String? {
        (try? ProcessRunner.run("gcc", ["-dumpfullversion"], timeout: 30))?.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func clangVersion(_ toolchain: ToolchainPaths) -> String? {
        guard let out = (try? ProcessRunner.run(toolchain.clang, ["--version"], timeout: 30))?.stdout,
              let r = out.range(of: #"clang version [0-9][^ ]*"#, options: .regularExpression) else { return nil }
        return String(out[r].dropFirst("clang version ".count))
    }

    // MARK: Summary

    /// One line per variant, then one line per failure: what a terminal shows.
    public static func summary(_ result: BuildResult, products: [String]) -> String {
        var lines: [String] = []
        let rows: [[String]] = result.store.manifest.products.filter { products.contains($0.product) || $0.product == "embedded-probe" }.flatMap { p in
            p.variants.map { v in
                [p.product, v.variant, v.status, v.isStatic == true ? "static" : v.isStatic == false ? "dynamic" : "-",
                 v.size.map(String.init) ?? "-", v.strippedSize.map(String.init) ?? "-"]
            }
        }
        let header = ["product", "variant", "status", "linkage", "size", "stripped"]
        let widths = header.indices.map { i in ([header] + rows).map { $0[i].count }.max() ?? 0 }
        for row in [header] + rows {
            lines.append("  " + row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  "))
        }
        for f in result.failures { lines.append("FAILED \(f.product) (\(f.variant)): \(f.reason)") }
        return lines.joined(separator: "\n")
    }
}
