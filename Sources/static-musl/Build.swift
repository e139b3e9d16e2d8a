import ArgumentParser
import Foundation
import StaticMuslKit

/// `static-musl build`: the build engine. `toolchain/build-static.sh`
/// builds this CLI and calls it with its own arguments.
struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build SwiftPM products as static binaries in several variants, check them and write <out>/manifest.json.",
        discussion: """
        With no arguments: this package's Sample in every variant (musl+mimalloc too) into dist/,
        then the compatibility report (static-musl report --quick --dist dist).
        Exit status: 0 when every requested variant built (or was skipped, with the reason),
        1 when one failed (one line each, after the manifest is written), 2 on bad input,
        3 when this machine could not do it (docs/exit-codes.md).
        """)

    @Option(help: "The package (default: this project).") var packagePath: String?
    @Option(help: "An executable product (repeatable; default: Sample).") var product: [String] = []
    @Option(help: "musl | glibc-static | glibc-dynamic | embedded-musl | sdk | all (repeatable; default: all).") var variant: [String] = []
    @Option(help: "Output folder (default: dist).") var out: String?
    @Flag(help: "Strip the binaries after measuring them.") var strip = false
    @Flag(help: "Link with --gc-sections (SwiftPM and the musl link use it already).") var gcSections = false
    @Option(help: "mallocng | mimalloc | mimalloc@2 | mimalloc@3 (mimalloc adds the musl+mimalloc variant; mimalloc@2 is 2.0.9, mimalloc@3 is 3.0.1, plain mimalloc is 2.0.9 for now).") var allocator: String?
    @Option(help: "musl | c-ares (c-ares adds the musl+c-ares variant: getaddrinfo, gethostbyname and getnameinfo with glibc's rules over c-ares).") var resolver: String?
    @Option(help: "SwiftPM's scratch folder for the release build.") var scratchPath: String?
    @Flag(help: "Do not run the report after the default build.") var noReport = false
    @Flag(help: "Measure --gc-sections, strip and -Osize, each smoke-checked (implies --explain-size).") var diet = false
    @Flag(help: "Name what pulls heavy archives (ICU, …) in, from the link map.") var explainSize = false
    @Option(name: .customLong("swift-opt"), help: "Osize | O | Onone for the package's Swift modules.") var swiftOpt: String?
    @Option(parsing: .unconditional, help: "Arguments for the smoke runs of --diet (one string; may start with --).") var smokeArgs: String?
    @Option(help: "Write a FROM scratch OCI image of the first product (OUT.tar).") var image: String?
    @Option(help: "With --image: certs,passwd,tzdata.") var with: String?
    @Option(help: "With --image: the variant to put in the image.") var imageVariant: String?
    @Option(name: .customLong("lib"), help: ArgumentHelp("musl links: NAME forces a library recipe (curl, sqlite3, xml2, z, …); NAME=PATH links your own static archive for -lNAME (repeatable).", valueName: "NAME[=PATH]")) var libraries: [String] = []

    @Option(help: ArgumentHelp("musl for the musl variants: \(MuslSource.versionsHelp).", valueName: "VERSION")) var musl: String?

    func run() throws {
        guard let root = ProjectLayout.root() else {
            fail("cannot find this project's checkout (toolchain/build-static.sh); run inside it or set STATIC_MUSL_ROOT")
        }
        let options: BuildOptions
        do { options = try makeOptions(projectRoot: root) } catch { fail("\(error)") }
        let result: BuildResult
        do { result = try BuildEngine(projectRoot: root).run(options) } catch let e as BuildOptionError {
            fail("\(e)")
        } catch {
            throw ExitStatus.fail("build", CLIFailure.describe(error), ExitStatus.of(error))
        }
        FileHandle.standardError.write(Data("[build] manifest: \(options.out)/manifest.json\n".utf8))
        FileHandle.standardError.write(Data((BuildEngine.summary(result, products: options.products) + "\n").utf8))
        if options.isDefaultRun && !noReport {
            var report = ReportRunner.Options()
            report.out = root + "/report"
            report.distDirectory = options.out
            do {
                let outcome = try ReportRunner.run(report, projectRoot: root)
                print("report: " + outcome.files.joined(separator: " "))
            } catch {
                throw ExitStatus.fail("build", "the report failed: \(CLIFailure.describe(error))", ExitStatus.of(error))
            }
        }
        if !result.failures.isEmpty { throw ExitStatus.checkFailed.code }
    }

    func fail(_ message: String) -> Never {
        Build.exit(withError: ExitStatus.fail("build", message, .usage))
    }

    func makeOptions(projectRoot: String) throws -> BuildOptions {
        let cwd = FileManager.default.currentDirectoryPath
        func absolute(_ p: String) -> String { URL(fileURLWithPath: p, relativeTo: URL(fileURLWithPath: cwd + "/")).standardizedFileURL.path }
        let isDefault = packagePath == nil && product.isEmpty && variant.isEmpty
        let package = packagePath.map(absolute) ?? projectRoot
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: package, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw BuildOptionError.noPackage(package)
        }
        var o = BuildOptions(packagePath: package, products: product.isEmpty ? ["Sample"] : product,
                             variants: try BuildOptions.expandVariants(variant), out: absolute(out ?? projectRoot + "/dist"))
        o.isDefaultRun = isDefault
        o.strip = strip
        if gcSections { o.extraLinkerFlags.append("-Wl,--gc-sections") }
        if let allocator {
            guard let (a, mimalloc) = Allocator.parse(allocator) else { throw BuildOptionError.unknownAllocator(allocator) }
            o.allocator = a
            o.mimallocVersion = mimalloc
        }
        // The main job also links musl+mimalloc and musl+c-ares, for the report's columns.
        if isDefault { o.allocator = .mimalloc; o.resolver = .cAres }
        if let resolver {
            guard let r = Resolver(rawValue: resolver) else { throw BuildOptionError.unknownResolver(resolver) }
            o.resolver = r
        }
        o.scratchPath = scratchPath.map(absolute)
        if let musl {
            guard MuslSource(version: musl) != nil else { throw BuildOptionError.unknownMusl(musl) }
            o.muslVersion = musl
        }
        o.diet = diet
        o.explainSize = diet || explainSize
        if let swiftOpt {
            guard ["Osize", "O", "Onone"].contains(swiftOpt) else { throw BuildOptionError.badSwiftOptimization(swiftOpt) }
            o.swiftOptimization = swiftOpt
        }
        o.smokeArguments = smokeArgs.map { $0.split(separator: " ").map(String.init) } ?? []
        // The output folder exists from here on (an --image path may point into it).
        try? FileManager.default.createDirectory(atPath: o.out, withIntermediateDirectories: true)
        if let image {
            let path = absolute(image)
            let dir = (path as NSString).deletingLastPathComponent
            guard FileManager.default.fileExists(atPath: dir) else { throw BuildOptionError.imageFolderMissing(dir) }
            o.image = path
            // An unknown item is refused here, before anything is built.
            o.imageWith = try OCIImage.Addition.parseList(with ?? "").map(\.rawValue)
        } else if with != nil {
            throw BuildOptionError.withNeedsImage
        }
        o.libraries = try libraries.map { try LibraryRequest.parse($0, currentDirectory: cwd) }
        if let imageVariant {
            guard let v = Variant(rawValue: imageVariant) else { throw BuildOptionError.unknownVariant(imageVariant) }
            o.imageVariant = v
        }
        return o
    }
}
