import Foundation

/// The size options of a build: `--diet` measures what --gc-sections,
/// strip and -Osize save (each binary smoke-checked), `--explain-size`
/// names what pulled each heavy archive in, and `--image` writes a
/// FROM scratch OCI image. They add keys to the musl and glibc-static
/// entries (size_options, heavy_archives, image; see docs/manifest.md).
struct SizeOptionsRunner {
    var engine: BuildEngine
    var options: BuildOptions
    var toolchain: ToolchainPaths
    var scratch: String
    var product: String
    var plan: LinkPlan?
    var sysroot: Sysroot?

    static let measured: [Variant] = [.musl, .glibcStatic]

    mutating func apply(to entries: inout [Manifest.VariantEntry]) throws {
        for i in entries.indices {
            guard let variant = Variant(rawValue: entries[i].variant), Self.measured.contains(variant),
                  entries[i].status == "ok", let rel = entries[i].path else { continue }
            let binary = options.out + "/" + rel
            if options.diet { entries[i].sizeOptions = diet(variant, binary: binary) }
            if options.diet || options.explainSize, let map = entries[i].linkMap {
                entries[i].heavyArchives = try? SizeAttribution.analyze(binary: binary, map: options.out + "/" + map).heavyArchives
            }
        }
        if let image = options.image, product == options.products.first {
            let order = options.imageVariant.map { [$0] } ?? Self.measured
            let current = entries
            guard let i = order.compactMap({ v in current.firstIndex { $0.variant == v.rawValue && $0.status == "ok" } }).first else {
                throw BuildEngineError.imageFailed("no static variant of \(product) built (build musl or glibc-static)")
            }
            entries[i].image = try writeImage(entries[i], to: image)
        }
    }

    // MARK: --diet

    struct Smoke { var runs: Bool; var exitStatus: Int; var output: String }

    func smoke(_ binary: String) -> Smoke {
        guard let r = try? ProcessRunner.run(binary, options.smokeArguments, timeout: 60) else { return Smoke(runs: false, exitStatus: -1, output: "") }
        return Smoke(runs: r.succeeded, exitStatus: Int(r.exitStatus ?? -1), output: r.stdout)
    }

    func relink(_ variant: Variant, plan: LinkPlan, folder: String, flags: [String]) -> String? {
        let dir = options.out + "/.diet/\(product)/\(folder)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let outcome = try? engine.link(variant, plan: plan, options: options, into: dir, toolchain: toolchain,
                                       sysroot: variant.libc == "musl" ? sysroot : nil,
                                       scratch: scratch, extraFlags: flags)
        guard outcome?.status == .ok else { return nil }
        return outcome?.binary
    }

    func row(_ option: String, _ description: String, before: String, after: String?, expected: Smoke) -> Manifest.SizeOption {
        var row = Manifest.SizeOption(option: option, description: description, status: "failed")
        guard let after, FileManager.default.fileExists(atPath: after) else {
            row.reason = "the binary for this option could not be built"
            return row
        }
        let check = smoke(after)
        let size = { (p: String) in (try? FileManager.default.attributesOfItem(atPath: p)[.size] as? Int) ?? nil }
        row.status = "ok"
        row.sizeBefore = size(before); row.sizeAfter = size(after)
        if let b = row.sizeBefore, let a = row.sizeAfter { row.saved = b - a }
        row.strippedBefore = BuildEngine.strippedSize(before); row.strippedAfter = BuildEngine.strippedSize(after)
        if let b = row.strippedBefore, let a = row.strippedAfter { row.strippedSaved = b - a }
        row.runs = check.runs
        row.exitStatus = check.exitStatus
        row.sameOutput = check.output == expected.output
        return row
    }

    func diet(_ variant: Variant, binary: String) -> [Manifest.SizeOption] {
        guard let plan else { return [] }
        engine.progress.note("diet: measuring size options for \(product) (\(variant.rawValue))")
        let expected = smoke(binary)
        var rows: [Manifest.SizeOption] = []
        // --gc-sections is on by default: measure it by removal (a later --no-gc-sections wins).
        let noGC = relink(variant, plan: plan, folder: "nogc", flags: options.extraLinkerFlags + ["-Wl,--no-gc-sections"])
        if let noGC {
            rows.append(row("gc-sections", "--gc-sections, on by default (before: relinked with --no-gc-sections)", before: noGC, after: binary, expected: expected))
        } else {
            rows.append(row("gc-sections", "--gc-sections (the --no-gc-sections link failed)", before: binary, after: nil, expected: expected))
        }
        let stripped = options.out + "/.diet/\(product)/\(variant.rawValue).stripped"
        try? FileManager.default.createDirectory(atPath: (stripped as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = try? ProcessRunner.run("strip", ["-o", stripped, binary], timeout: 300)
        rows.append(row("strip", "strip (symbol tables, debug info)", before: binary, after: stripped, expected: expected))
        // -Osize: every Swift module of the package recompiled for size, in its own scratch folder.
        var osizeOptions = options
        osizeOptions.swiftOptimization = "Osize"
        let osizeScratch = scratch + "-Osize"
        var osize: String?
        if let osizePlan = try? engine.swiftPMBuild(product: product, options: osizeOptions, scratch: osizeScratch) {
            osize = relink(variant, plan: osizePlan, folder: "osize", flags: options.extraLinkerFlags)
            rows.append(row("Osize", "swiftc -Osize for the package's modules (the toolchain's libraries stay as shipped)", before: binary, after: osize, expected: expected))
            // Everything together: -Osize, --gc-sections, strip.
            if let all = relink(variant, plan: osizePlan, folder: "all", flags: options.extraLinkerFlags) {
                _ = try? ProcessRunner.run("strip", [all], timeout: 300)
                rows.append(row("diet", "-Osize + --gc-sections + strip, together", before: binary, after: all, expected: expected))
                let kept = binary + ".diet"
                try? FileManager.default.removeItem(atPath: kept)
                try? FileManager.default.copyItem(atPath: all, toPath: kept)
            } else {
                rows.append(row("diet", "-Osize + --gc-sections + strip, together", before: binary, after: nil, expected: expected))
            }
        } else {
            rows.append(row("Osize", "swiftc -Osize for the package's modules", before: binary, after: nil, expected: expected))
            rows.append(row("diet", "-Osize + --gc-sections + strip, together", before: binary, after: nil, expected: expected))
        }
        return rows
    }

    // MARK: --image

    /// The stripped binary, or the --diet binary when it was built and ran.
    func writeImage(_ entry: Manifest.VariantEntry, to tar: String) throws -> Manifest.ImageInfo {
        guard let rel = entry.path else { throw BuildEngineError.imageFailed("no binary") }
        var source = options.out + "/" + rel
        var diet = false
        if FileManager.default.isExecutableFile(atPath: source + ".diet"),
           entry.sizeOptions?.first(where: { $0.option == "diet" })?.runs == true {
            source += ".diet"; diet = true
        }
        let tmp = NSTemporaryDirectory() + "static-musl-image-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let stripped = tmp + "/" + product
        _ = try ProcessRunner.run("strip", ["-o", stripped, source], timeout: 300)
        let additions: [OCIImage.Addition]
        do { additions = try options.imageWith.flatMap { try OCIImage.Addition.parseList($0) } } catch {
            throw BuildEngineError.imageFailed("\(error)")
        }
        var info: Manifest.ImageInfo
        do { info = try OCIImage(binary: stripped, name: product, with: additions).write(to: tar) } catch {
            throw BuildEngineError.imageFailed("the image of \(source): \(error)")
        }
        info.variant = entry.variant
        info.stripped = true
        info.diet = diet
        engine.progress.note("image: \(tar) (\(entry.variant), layer \(info.layerSize) bytes compressed)")
        return info
    }
}
