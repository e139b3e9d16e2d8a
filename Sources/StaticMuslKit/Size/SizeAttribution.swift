import Foundation

/// Attributes every byte of a binary: ELF sections and segments from the
/// file itself, and archives, members, modules and "why is it in" chains
/// from the link map the linker wrote beside it.
public enum SizeAttribution {
    /// Archives a user may want to question: each costs megabytes and is
    /// pulled in by a handful of references.
    public static let heavyArchiveNames = [
        "lib_FoundationICU.a", "libFoundationInternationalization.a",
        "libFoundationNetworking.a", "libFoundationXML.a",
    ]

    /// How many archives get a "why" chain, and how many members are listed.
    static let chainedArchives = 12
    static let listedMembers = 100

    /// - Parameters:
    ///   - binary: the ELF file.
    ///   - map: its link map; nil looks for `<binary>.map` beside it, and
    ///     without one the report has the ELF part only.
    public static func analyze(binary: String, map: String? = nil) throws -> SizeReport {
        guard FileManager.default.isReadableFile(atPath: binary) else { throw SizeError.unreadable(path: binary) }
        let layout = try BinaryLayout.read(path: binary)
        var mapPath = map
        if mapPath == nil, FileManager.default.fileExists(atPath: binary + ".map") { mapPath = binary + ".map" }
        let linkMap = try mapPath.map { try LinkMap.load(path: $0) }
        return try analyze(layout: layout, map: linkMap, binary: binary, mapPath: mapPath,
                           versions: ToolchainVersions.detect())
    }

    /// The pure part: no file access, so tests can feed it small maps.
    static func analyze(layout: BinaryLayout, map: LinkMap?, binary: String, mapPath: String?,
                        versions: ToolchainVersions) throws -> SizeReport {
        var sections: [SizeReport.Section] = []
        var inputBytes: [Int: [String: Int]] = [:]          // input → section → bytes in this file
        var linker: [String: Int] = [:]
        var symbolBytes = 0
        var unexplained: [String: Int] = [:]
        var mappedSectionBytes = 0
        let outputs = Dictionary(map?.outputSections.map { ($0.name, $0) } ?? [], uniquingKeysWith: { a, _ in a })

        // Per output section: the inputs' bytes, from the map.
        var perSection: [String: [(Int, Int)]] = [:]
        if let map {
            for (input, bySection) in map.bytes {
                for (name, n) in bySection { perSection[name, default: []].append((input, n)) }
            }
        }
        if let map, let text = layout.sections.first(where: { $0.name == ".text" }), let mapped = outputs[".text"],
           mapped.size != text.size {
            throw SizeError.mapDoesNotMatch(binary: binary, map: mapPath ?? "?",
                                            reason: ".text is \(text.size) bytes in the binary but \(mapped.size) in the \(map.flavor.rawValue) map")
        }

        // Symbol-table entries belong to the input that defines the symbol:
        // found by address in the map's ranges.
        var symtabLeft = layout.sections.filter { $0.type == ELFSectionType.symtab }.reduce(0) { $0 + $1.size }
        var strtabLeft = layout.sections.first { $0.name == ".strtab" }?.size ?? 0
        if let map, !layout.symbols.isEmpty, !map.ranges.isEmpty {
            let sorted = map.ranges.sorted { $0.start < $1.start }
            for sym in layout.symbols {
                guard let input = LinkMap.input(at: sym.address, in: sorted) else { continue }
                let entry = min(BinaryLayout.symbolEntrySize, symtabLeft), name = min(sym.nameBytes, strtabLeft)
                guard entry + name > 0 else { break }
                symtabLeft -= entry; strtabLeft -= name
                inputBytes[input, default: [:]][".symtab", default: 0] += entry
                inputBytes[input, default: [:]][".strtab", default: 0] += name
            }
        }

        for s in layout.sections {
            let fileBytes = s.occupiesFile ? s.size : 0
            var entry = SizeReport.Section(name: s.name, type: s.typeName, size: s.size, fileSize: fileBytes,
                                           address: s.address, alloc: s.alloc, mappedBytes: nil)
            defer { sections.append(entry) }
            guard fileBytes > 0 else { continue }
            if s.type == ELFSectionType.symtab {
                symbolBytes += min(fileBytes, symtabLeft)   // what no input's symbol explains (locals, file symbols)
                symtabLeft -= min(fileBytes, symtabLeft)
            } else if s.name == ".strtab" {
                symbolBytes += strtabLeft
            } else if s.type == ELFSectionType.strtab {
                symbolBytes += fileBytes       // .shstrtab: section names
            } else if map != nil, outputs[s.name] != nil || perSection[s.name] != nil {
                let contributions = perSection[s.name] ?? []
                let c = contributions.reduce(0) { $0 + $1.1 }
                let generated = map?.generated[s.name] ?? [:]
                let g = generated.values.reduce(0, +)
                // bfd lists merged strings at their size before merging: scale down.
                let scale = c + g > fileBytes ? Double(fileBytes) / Double(c + g) : 1
                var placed = 0
                for (input, n) in contributions {
                    let b = scale == 1 ? n : Int((Double(n) * scale).rounded(.down))
                    inputBytes[input, default: [:]][s.name, default: 0] += b
                    placed += b
                }
                entry.mappedBytes = placed
                for (kind, n) in generated {
                    let b = scale == 1 ? n : Int((Double(n) * scale).rounded(.down))
                    linker[linkerBucketName(kind), default: 0] += b
                    placed += b
                }
                if fileBytes > placed { linker["alignment padding inside sections", default: 0] += fileBytes - placed }
                mappedSectionBytes += fileBytes
            } else {
                unexplained["section \(s.name) (not in the link map)", default: 0] += fileBytes
            }
        }
        let sectionFileBytes = layout.sections.reduce(0) { $0 + ($1.occupiesFile ? $1.size : 0) }
        let headerBytes = max(0, layout.fileSize - sectionFileBytes)

        // Group inputs into archives, members and modules.
        let names = map?.inputs ?? []
        var archiveBytes: [String: (path: String, bytes: Int, members: Int, sections: [String: Int])] = [:]
        var moduleBytes: [String: (kind: String, bytes: Int)] = [:]
        var members: [SizeReport.Member] = []
        var totalInputs = 0, inMappedSections = 0
        for (id, bySection) in inputBytes {
            let total = bySection.values.reduce(0, +)
            guard total > 0 else { continue }
            totalInputs += total
            inMappedSections += total - (bySection[".symtab"] ?? 0) - (bySection[".strtab"] ?? 0)
            let input = names[id]
            let module = moduleName(of: input)
            moduleBytes[module.name, default: (module.kind, 0)].bytes += total
            if let archive = input.archiveName, let member = input.member {
                var a = archiveBytes[archive] ?? (input.path, 0, 0, [:])
                a.bytes += total; a.members += 1
                for (k, v) in bySection { a.sections[k, default: 0] += v }
                archiveBytes[archive] = a
                members.append(.init(archive: archive, member: member, bytes: total))
            }
        }

        let graph = map.map { InclusionGraph(map: $0, bytes: inputBytes) }
        var archives = archiveBytes.map { name, a in
            SizeReport.Archive(archive: name, path: a.path, bytes: a.bytes, members: a.members,
                               sections: a.sections.sorted { $0.value > $1.value }.prefix(4)
                                   .map { .init(name: $0.key, size: $0.value) }, why: nil)
        }.sorted { ($0.bytes, $1.archive) > ($1.bytes, $0.archive) }
        for i in archives.indices.prefix(chainedArchives) { archives[i].why = graph?.chain(forArchive: archives[i].archive) }

        var heavy: [SizeReport.HeavyArchive] = []
        if let graph {
            for name in heavyArchiveNames where archiveBytes[name] != nil || graph.includes(archive: name) {
                heavy.append(graph.heavy(archive: name, bytes: archiveBytes[name]?.bytes ?? 0,
                                         members: archiveBytes[name]?.members ?? 0))
            }
        }

        // Buckets: archives and modules of plain objects, then the rest.
        var buckets: [SizeReport.Bucket] = archives.map { .init(name: $0.archive, kind: "archive", bytes: $0.bytes) }
        for (name, m) in moduleBytes where !m.kind.hasSuffix("-archive") {
            buckets.append(.init(name: name, kind: m.kind == "swiftpm-target" ? "target" : "object", bytes: m.bytes))
        }
        for (name, n) in linker where n > 0 { buckets.append(.init(name: name, kind: "linker", bytes: n)) }
        if symbolBytes > 0 { buckets.append(.init(name: "symbol tables not tied to an input (.symtab, .strtab, .shstrtab)", kind: "symbols", bytes: symbolBytes)) }
        if headerBytes > 0 { buckets.append(.init(name: "ELF and program headers, section table, alignment between sections", kind: "headers", bytes: headerBytes)) }
        for (name, n) in unexplained { buckets.append(.init(name: name, kind: "unexplained", bytes: n)) }
        buckets.sort { ($0.bytes, $1.name) > ($1.bytes, $0.name) }
        let unexplainedTotal = unexplained.values.reduce(0, +)
        let explained = layout.fileSize - unexplainedTotal

        let swift5 = layout.sections.filter { $0.name.hasPrefix("swift5_") }
            .map { SizeReport.NamedSize(name: $0.name, size: $0.size) }.sorted { $0.size > $1.size }
        let modules = moduleBytes.map { SizeReport.Module(module: $0.key, kind: $0.value.kind, bytes: $0.value.bytes) }
            .sorted { ($0.bytes, $1.module) > ($1.bytes, $0.module) }
        members.sort { ($0.bytes, $1.archive, $1.member) > ($1.bytes, $0.archive, $0.member) }

        return SizeReport(
            versions: versions, binary: binary, map: mapPath, linker: map?.flavor.rawValue,
            fileSize: layout.fileSize, explainedBytes: explained,
            explainedFraction: layout.fileSize > 0 ? Double(explained) / Double(layout.fileSize) : 0,
            inputBytes: totalInputs,
            inputFraction: layout.fileSize > 0 ? Double(totalInputs) / Double(layout.fileSize) : 0,
            inputFractionOfMapped: mappedSectionBytes > 0 ? Double(inMappedSections) / Double(mappedSectionBytes) : 0,
            buckets: buckets, sections: sections, segments: layout.segments,
            swiftMetadata: .init(total: swift5.reduce(0) { $0 + $1.size }, sections: swift5),
            archives: archives, modules: modules, members: Array(members.prefix(listedMembers)),
            membersTotal: members.count, heavyArchives: heavy)
    }

    static func linkerBucketName(_ kind: String) -> String {
        switch kind {
        case "fill", "zero fill": return "alignment padding inside sections"
        default: return "linker-generated: \(kind)"
        }
    }

    /// The SwiftPM target of an object (`…/X.build/foo.swift.o` → X), the
    /// archive's library name (`libFoundation.a` → Foundation), or the object's name.
    static func moduleName(of input: LinkMap.Input) -> (name: String, kind: String) {
        if let archive = input.archiveName {
            var name = archive
            if name.hasSuffix(".a") { name.removeLast(2) }
            if name.hasPrefix("lib") { name.removeFirst(3) }
            let toolchain = input.path.contains("/swift_static/") || input.path.contains("/lib/swift/")
                || input.path.contains("/lib/embedded/")
            // A library recipe's archive (.build-static/libraries/NAME-VERSION-KEY/lib/).
            if input.path.contains("/.build-static/libraries/") { return (name, "recipe-archive") }
            return (name, toolchain ? "toolchain-archive" : "system-archive")
        }
        let parts = input.path.split(separator: "/")
        if let target = parts.last(where: { $0.hasSuffix(".build") && $0 != ".build" }) {
            return (String(target.dropLast(".build".count)), "swiftpm-target")
        }
        return ((input.path as NSString).lastPathComponent, "object")
    }

    /// `libX.a(m.o)`, or `X.build/foo.swift.o`, or the object's file name.
    static func shortName(_ input: LinkMap.Input) -> String {
        if input.member != nil { return input.display }
        let parts = input.path.split(separator: "/")
        if let i = parts.lastIndex(where: { $0.hasSuffix(".build") && $0 != ".build" }) {
            return parts[i...].joined(separator: "/")
        }
        return (input.path as NSString).lastPathComponent
    }
}

/// The "included because of" records as a tree: each archive member has one
/// parent, the file whose reference pulled it in first.
struct InclusionGraph {
    let map: LinkMap
    let memberBytes: [Int: Int]
    var reason: [Int: LinkMap.Inclusion] = [:]       // member → first inclusion record
    var firstOfArchive: [String: Int] = [:]          // archive name → first member included
    var membersOfArchive: [String: [Int]] = [:]

    init(map: LinkMap, bytes: [Int: [String: Int]]) {
        self.map = map
        memberBytes = bytes.mapValues { $0.values.reduce(0, +) }
        for r in map.inclusions where reason[r.member] == nil {
            reason[r.member] = r
            if let a = map.inputs[r.member].archiveName {
                if firstOfArchive[a] == nil { firstOfArchive[a] = r.member }
                membersOfArchive[a, default: []].append(r.member)
            }
        }
    }

    func includes(archive: String) -> Bool { firstOfArchive[archive] != nil }

    func step(_ id: Int, symbol: String?) -> SizeReport.Chain.Step {
        let input = map.inputs[id]
        return .init(file: SizeAttribution.shortName(input), module: SizeAttribution.moduleName(of: input).name, symbol: symbol)
    }

    /// Follows first-inclusion records from `member` up to a file that is
    /// not an archive member (the program's own objects).
    func chain(from member: Int) -> SizeReport.Chain {
        var steps = [step(member, symbol: nil)]
        var current = member
        var seen: Set<Int> = [member]
        while let r = reason[current] {
            guard let referrer = r.referrer else {
                steps.append(.init(file: "(linker command line)", module: "", symbol: r.symbol)); break
            }
            steps.append(step(referrer, symbol: r.symbol))
            guard map.inputs[referrer].isArchiveMember, !seen.contains(referrer) else { break }
            seen.insert(referrer)
            current = referrer
        }
        let text = steps.map { s in s.symbol.map { "\(s.file) (\($0))" } ?? s.file }.joined(separator: " ← ")
        return .init(steps: steps, text: text)
    }

    func chain(forArchive archive: String) -> SizeReport.Chain? {
        firstOfArchive[archive].map { chain(from: $0) }
    }

    /// The top record of a member's chain: (root file, symbol) — or nil when
    /// the chain starts on the command line.
    func root(of member: Int, memo: inout [Int: Int?]) -> Int? {
        if let known = memo[member] { return known }
        var path: [Int] = []
        var current = member
        var result: Int?
        while let r = reason[current] {
            path.append(current)
            guard let referrer = r.referrer, map.inputs[referrer].isArchiveMember, !path.contains(referrer) else {
                result = r.referrer == nil ? nil : current; break
            }
            if let known = memo[referrer] { result = known; break }
            current = referrer
        }
        for p in path { memo[p] = result }
        return result
    }

    func heavy(archive: String, bytes: Int, members: Int) -> SizeReport.HeavyArchive {
        var entries: [SizeReport.HeavyArchive.Reference] = []
        var seenEntries: Set<String> = []
        for m in membersOfArchive[archive] ?? [] {
            guard let r = reason[m], let referrer = r.referrer, map.inputs[referrer].archiveName != archive else { continue }
            let key = "\(referrer)|\(r.symbol ?? "")"
            guard seenEntries.insert(key).inserted else { continue }
            let input = map.inputs[referrer]
            entries.append(.init(symbol: r.symbol ?? "", from: SizeAttribution.shortName(input),
                                 fromModule: SizeAttribution.moduleName(of: input).name,
                                 member: map.inputs[m].member ?? ""))
        }
        // Every included member belongs to one root reference; sum their bytes.
        var memo: [Int: Int?] = [:]
        var perRoot: [Int: Int] = [:]
        for member in reason.keys {
            if let top = root(of: member, memo: &memo) { perRoot[top, default: 0] += memberBytes[member] ?? 0 }
        }
        var roots: [Int: SizeReport.HeavyArchive.RootReference] = [:]
        for m in membersOfArchive[archive] ?? [] {
            guard let top = root(of: m, memo: &memo), roots[top] == nil, let r = reason[top], let referrer = r.referrer else { continue }
            let input = map.inputs[referrer]
            roots[top] = .init(object: SizeAttribution.shortName(input), module: SizeAttribution.moduleName(of: input).name,
                               symbol: r.symbol ?? "", attributedBytes: perRoot[top] ?? 0)
        }
        return .init(archive: archive, bytes: bytes, members: members,
                     entryReferences: Array(entries.prefix(25)),
                     rootReferences: roots.values.sorted { ($0.attributedBytes, $1.symbol) > ($1.attributedBytes, $0.symbol) },
                     chain: chain(forArchive: archive))
    }
}
