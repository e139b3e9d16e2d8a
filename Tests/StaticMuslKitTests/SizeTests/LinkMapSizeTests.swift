import Foundation
import XCTest
@testable import StaticMuslKit

/// The link map parser and the attribution on small maps written in the
/// exact shapes GNU ld (bfd) and gold print.
final class LinkMapSizeTests: XCTestCase {
    static let bfdMap = """
    Archive member included to satisfy reference by file (symbol)

    /t/lib/libFoundation.a(DateFormatter.swift.o)
                                  /w/.build/release/App.build/main.swift.o ($s10Foundation13DateFormatterCACycfc)
    /t/lib/libFoundationInternationalization.a(Calendar_ICU.swift.o)
                                  /t/lib/libFoundation.a(DateFormatter.swift.o) ($s20FoundationEssentials8CalendarV0A20InternationalizationE10eraSymbolsSaySSGvg)
    /t/lib/lib_FoundationICU.a(ucal.cpp.o)
                                  /t/lib/libFoundationInternationalization.a(Calendar_ICU.swift.o) (ucal_open)
    /t/lib/lib_FoundationICU.a(icudata.cpp.o)
                                  /t/lib/lib_FoundationICU.a(ucal.cpp.o) (icu_76::ResourceSink::~ResourceSink())
    libc.a(x.o)                   /w/.build/release/App.build/main.swift.o (puts)

    Discarded input sections

     .text          0x0000000000000000       0x10 /w/.build/release/App.build/main.swift.o

    Memory Configuration

    Name             Origin             Length             Attributes
    *default*        0x0000000000000000 0xffffffffffffffff

    Linker script and memory map

    LOAD /w/.build/release/App.build/main.swift.o
    START GROUP
    LOAD /t/lib/libFoundation.a
    END GROUP

    .text           0x0000000000401000      0x200
     *(.text .text.*)
     .text          0x0000000000401000       0x40 /w/.build/release/App.build/main.swift.o
                    0x0000000000401000                main
     .text.$s10Foundation13DateFormatterCACycfc
                    0x0000000000401040       0x80 /t/lib/libFoundation.a(DateFormatter.swift.o)
                    0x0000000000401040                $s10Foundation13DateFormatterCACycfc
     *fill*         0x00000000004010c0       0x10 
     .text          0x00000000004010d0       0x30 /t/lib/libFoundationInternationalization.a(Calendar_ICU.swift.o)
     .text          0x0000000000401100       0x80 /t/lib/lib_FoundationICU.a(ucal.cpp.o)
     .text          0x0000000000401180       0x20 libc.a(x.o)

    .rodata         0x0000000000402000     0x1000
     .rodata        0x0000000000402000      0xf00 /t/lib/lib_FoundationICU.a(icudata.cpp.o)
     .rodata.str1.1
                    0x0000000000402f00       0x80 /w/.build/release/App.build/main.swift.o
     .rodata.str1.1
                    0x0000000000402f80       0x80 /t/lib/libFoundation.a(DateFormatter.swift.o)

    swift5_typeref  0x0000000000403000       0x20
     swift5_typeref
                    0x0000000000403000       0x20 /w/.build/release/App.build/main.swift.o
                    0x0000000000403000                symbolic Si
    OUTPUT(/w/out elf64-x86-64)
    """

    static let goldMap = """
    Archive member included because of file (symbol)

    /t/lib/libswiftCore.a(Swift.o)
                                  /w/.build/release/App.build/main.swift.o ($ss5print_9separator10terminatoryypd_S2StF)
    /t/lib/libswiftCore.a(Heap.cpp.o)
                                  /t/lib/libswiftCore.a(Swift.o) (swift_slowAlloc)

    Discarded input sections

     .rodata.cst4   0x0000000000000000        0x4 /lib/x86_64-linux-gnu/crt1.o

    Memory map

     ** file header
                    0x0000000000400000       0x40
    .text           0x0000000000401000      0x100
     .text.unlikely.$ss9_isUniqueySbxzlF
                    0x0000000000401000       0x60 /t/lib/libswiftCore.a(Swift.o)
                    0x0000000000401000                $ss9_isUniqueySbxzlF
     .text          0x0000000000401060       0x40 /t/lib/libswiftCore.a(Heap.cpp.o)
     ** fill        0x00000000004010a0       0x20
     .text          0x00000000004010c0       0x40 /w/.build/release/App.build/main.swift.o

    .rodata         0x0000000000402000       0x80
     ** merge strings
                    0x0000000000402000       0x30
     .rodata        0x0000000000402030       0x50 /t/lib/libswiftCore.a(Swift.o)

    .symtab         0x0000000000000000      0x300
     ** symtab      0x0000000000000000      0x300
    """

    static let versions = ToolchainVersions(swift: "test", root: "/t", musl: "1.2.3", glibc: "2.36")

    func layout(_ map: LinkMap, extra: [BinaryLayout.Section] = [], headers: Int = 0x100) -> BinaryLayout {
        let secs = map.outputSections.map {
            BinaryLayout.Section(name: $0.name, type: $0.name == ".symtab" ? ELFSectionType.symtab : 1, typeName: "PROGBITS",
                                 address: $0.address, size: $0.size, alloc: $0.address != 0, occupiesFile: true)
        } + extra
        return BinaryLayout(fileSize: secs.reduce(headers) { $0 + $1.size }, sections: secs, segments: [])
    }

    func testParsesBfdInclusionsAndMemoryMap() throws {
        let map = try LinkMap.parse(Self.bfdMap)
        XCTAssertEqual(map.flavor, .bfd)
        XCTAssertEqual(map.inclusions.count, 5)
        XCTAssertEqual(map.outputSections.map(\.name), [".text", ".rodata", "swift5_typeref"])
        let icu = try XCTUnwrap(map.index(of: .init(path: "/t/lib/lib_FoundationICU.a", member: "ucal.cpp.o")))
        XCTAssertEqual(map.bytes[icu]?[".text"], 0x80)
        // A demangled C++ symbol with spaces and parentheses stays whole.
        let data = try XCTUnwrap(map.index(of: .init(path: "/t/lib/lib_FoundationICU.a", member: "icudata.cpp.o")))
        let record = try XCTUnwrap(map.inclusions.first { $0.member == data })
        XCTAssertEqual(record.symbol, "icu_76::ResourceSink::~ResourceSink()")
        XCTAssertEqual(record.referrer, icu)
        // Short member name: member and reason on one line.
        let libc = try XCTUnwrap(map.index(of: .init(path: "libc.a", member: "x.o")))
        XCTAssertEqual(map.inclusions.first { $0.member == libc }?.symbol, "puts")
        XCTAssertEqual(map.generated[".text"]?["fill"], 0x10)
        // The discarded section (before the memory map) is not counted.
        let main = try XCTUnwrap(map.index(of: .init(path: "/w/.build/release/App.build/main.swift.o", member: nil)))
        XCTAssertEqual(map.bytes[main]?[".text"], 0x40)
        XCTAssertEqual(map.bytes[main]?["swift5_typeref"], 0x20)
    }

    func testParsesGoldMap() throws {
        let map = try LinkMap.parse(Self.goldMap)
        XCTAssertEqual(map.flavor, .gold)
        XCTAssertEqual(map.inclusions.count, 2)
        XCTAssertEqual(map.generated[".rodata"]?["merge strings"], 0x30)
        XCTAssertEqual(map.generated[".text"]?["fill"], 0x20)
        let swift = try XCTUnwrap(map.index(of: .init(path: "/t/lib/libswiftCore.a", member: "Swift.o")))
        XCTAssertEqual(map.bytes[swift]?[".text"], 0x60)
        XCTAssertEqual(map.bytes[swift]?[".rodata"], 0x50)
    }

    func testRejectsTextThatIsNoLinkMap() {
        XCTAssertThrowsError(try LinkMap.parse("hello\nworld\n", origin: "notes.txt")) { error in
            XCTAssertEqual(error as? SizeError, .notALinkMap(path: "notes.txt"))
            XCTAssertTrue("\(error)".contains("notes.txt"))
        }
    }

    func testAttributionExplainsEveryByteAndNamesTheICUChain() throws {
        let map = try LinkMap.parse(Self.bfdMap)
        let report = try SizeAttribution.analyze(layout: layout(map), map: map, binary: "app", mapPath: "app.map",
                                                 versions: Self.versions)
        XCTAssertEqual(report.explainedBytes, report.fileSize)
        XCTAssertEqual(report.linker, "gnu-ld")
        let icu = try XCTUnwrap(report.archives.first { $0.archive == "lib_FoundationICU.a" })
        XCTAssertEqual(icu.bytes, 0x80 + 0xf00)
        XCTAssertEqual(report.archives.first?.archive, "lib_FoundationICU.a")
        XCTAssertEqual(icu.why?.text,
                       "lib_FoundationICU.a(ucal.cpp.o) ← libFoundationInternationalization.a(Calendar_ICU.swift.o) (ucal_open)"
                       + " ← libFoundation.a(DateFormatter.swift.o) ($s20FoundationEssentials8CalendarV0A20InternationalizationE10eraSymbolsSaySSGvg)"
                       + " ← App.build/main.swift.o ($s10Foundation13DateFormatterCACycfc)")
        let heavy = try XCTUnwrap(report.heavyArchives.first { $0.archive == "lib_FoundationICU.a" })
        XCTAssertEqual(heavy.entryReferences.map(\.symbol), ["ucal_open"])
        XCTAssertEqual(heavy.entryReferences.first?.fromModule, "FoundationInternationalization")
        XCTAssertEqual(heavy.rootReferences.count, 1)
        XCTAssertEqual(heavy.rootReferences.first?.object, "App.build/main.swift.o")
        XCTAssertEqual(heavy.rootReferences.first?.symbol, "$s10Foundation13DateFormatterCACycfc")
        // Everything the DateFormatter reference pulled in: Foundation, Intl and ICU members.
        XCTAssertEqual(heavy.rootReferences.first?.attributedBytes, 0x80 + 0x80 + 0x30 + 0x80 + 0xf00)
        XCTAssertFalse(report.heavyArchives.contains { $0.archive == "libFoundationNetworking.a" })
        XCTAssertEqual(report.modules.first { $0.module == "App" }?.kind, "swiftpm-target")
        XCTAssertEqual(report.modules.first { $0.module == "App" }?.bytes, 0x40 + 0x80 + 0x20)
        XCTAssertEqual(report.swiftMetadata.total, 0x20)
        XCTAssertEqual(report.swiftMetadata.sections.map(\.name), ["swift5_typeref"])
    }

    func testMergedStringsAreScaledToTheSectionSize() throws {
        let map = try LinkMap.parse(Self.bfdMap)
        var l = layout(map)
        // The linker merged .rodata strings: the section is 0x40 smaller than its inputs.
        if let i = l.sections.firstIndex(where: { $0.name == ".rodata" }) { l.sections[i].size -= 0x40; l.fileSize -= 0x40 }
        let report = try SizeAttribution.analyze(layout: l, map: map, binary: "app", mapPath: nil, versions: Self.versions)
        let rodata = try XCTUnwrap(report.sections.first { $0.name == ".rodata" })
        XCTAssertLessThanOrEqual(rodata.mappedBytes ?? .max, rodata.size)
        XCTAssertEqual(report.explainedBytes, report.fileSize)
    }

    func testGoldSymbolTablesAndHeadersAreNamedNotHidden() throws {
        let map = try LinkMap.parse(Self.goldMap)
        let extra = BinaryLayout.Section(name: ".comment", type: 1, typeName: "PROGBITS", address: 0, size: 0x10,
                                         alloc: false, occupiesFile: true)
        let l = layout(map, extra: [extra])
        let report = try SizeAttribution.analyze(layout: l, map: map, binary: "app", mapPath: nil, versions: Self.versions)
        XCTAssertEqual(report.buckets.first { $0.kind == "symbols" }?.bytes, 0x300)
        XCTAssertEqual(report.buckets.first { $0.kind == "headers" }?.bytes, 0x100)
        // .comment is in the binary but not in this map: reported as unexplained, not absorbed.
        XCTAssertEqual(report.buckets.first { $0.kind == "unexplained" }?.bytes, 0x10)
        XCTAssertEqual(report.fileSize - report.explainedBytes, 0x10)
        XCTAssertEqual(report.archives.first?.archive, "libswiftCore.a")
        XCTAssertEqual(report.archives.first?.why?.text,
                       "libswiftCore.a(Swift.o) ← App.build/main.swift.o ($ss5print_9separator10terminatoryypd_S2StF)")
    }

    func testMapOfAnotherBinaryIsRefused() throws {
        let map = try LinkMap.parse(Self.goldMap)
        var l = layout(map)
        if let i = l.sections.firstIndex(where: { $0.name == ".text" }) { l.sections[i].size += 1 }
        XCTAssertThrowsError(try SizeAttribution.analyze(layout: l, map: map, binary: "app", mapPath: "other.map",
                                                         versions: Self.versions)) { error in
            guard case SizeError.mapDoesNotMatch(let binary, let mapPath, _)? = error as? SizeError else {
                return XCTFail("wrong error \(error)")
            }
            XCTAssertEqual(binary, "app"); XCTAssertEqual(mapPath, "other.map")
        }
    }

    func testReportJSONUsesSnakeCaseKeys() throws {
        let map = try LinkMap.parse(Self.bfdMap)
        let report = try SizeAttribution.analyze(layout: layout(map), map: map, binary: "app", mapPath: "app.map",
                                                 versions: Self.versions)
        let json = try XCTUnwrap(String(data: report.jsonData(), encoding: .utf8))
        for key in ["\"schema_version\"", "\"file_size\"", "\"explained_fraction\"", "\"heavy_archives\"",
                    "\"root_references\"", "\"entry_references\"", "\"swift_metadata\"", "\"versions\""] {
            XCTAssertTrue(json.contains(key), "missing \(key)")
        }
        let back = try JSONDecoder().decode(SizeReport.self, from: report.jsonData())
        XCTAssertEqual(back.archives, report.archives)
    }
}

extension LinkMapSizeTests {
    func testTablesGNULdBuildsItselfAreTheLinkersNotTheFirstInputs() throws {
        let text = """
        Archive member included to satisfy reference by file (symbol)

        Linker script and memory map

        .eh_frame_hdr   0x0000000000402000      0x100
         *(.eh_frame_hdr)
         .eh_frame_hdr  0x0000000000402000      0x100 /t/swiftrt.o
        .eh_frame       0x0000000000402100       0x40
         .eh_frame      0x0000000000402100       0x40 /t/swiftrt.o
        """
        let map = try LinkMap.parse(text)
        XCTAssertEqual(map.generated[".eh_frame_hdr"]?[".eh_frame_hdr"], 0x100)
        let rt = try XCTUnwrap(map.index(of: .init(path: "/t/swiftrt.o", member: nil)))
        XCTAssertEqual(map.bytes[rt], [".eh_frame": 0x40])
    }
}
