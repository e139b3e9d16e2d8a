import Foundation
import XCTest
@testable import StaticMuslKit

/// The ELF parser against readelf on real binaries of every C kind.
final class InspectELFParserTests: XCTestCase {
    func testParserAgreesWithReadelfOnEveryCKind() throws {
        for variant in CVariant.allCases {
            for strip in [false, true] {
                let path = try InspectTestSupport.cBinary(variant, strip: strip)
                let elf = try ELFFile(path: path)
                let what = "\(variant.rawValue)\(strip ? " stripped" : "")"
                let re = try Readelf(path)
                XCTAssertEqual(elf.header.typeName, re.type, what)
                XCTAssertEqual(elf.segments.map(\.typeName), re.segmentTypes, what)
                XCTAssertEqual(elf.sections.dropFirst().map(\.name), re.sectionNames, what)
                XCTAssertEqual(elf.interpreter, re.interpreter, what)
                XCTAssertEqual(elf.needed, re.needed, what)
                XCTAssertEqual(elf.buildID, re.buildID, what)
                XCTAssertEqual(elf.isStripped, strip, what)
                XCTAssertEqual(elf.header.entry, re.entry, what)
                if !strip {
                    XCTAssertEqual(try elf.readSymbols().filter { $0.table == .symtab }.count, re.symtabCount, what)
                }
            }
        }
    }

    func testErrorsNameTheProblem() throws {
        let good = try [UInt8](Data(contentsOf: URL(fileURLWithPath: InspectTestSupport.cBinary(.muslStatic, strip: true))))
        func expect(_ bytes: [UInt8], _ check: (ELFError) -> Bool, file: StaticString = #filePath, line: UInt = #line) {
            XCTAssertThrowsError(try ELFFile(bytes: bytes), file: file, line: line) { error in
                guard let e = error as? ELFError else { return XCTFail("not an ELFError: \(error)", file: file, line: line) }
                XCTAssertTrue(check(e), "unexpected: \(e)", file: file, line: line)
                XCTAssertFalse(e.description.isEmpty)
            }
        }
        expect(Array("#!/bin/sh\necho hi\n".utf8)) { if case .notELF = $0 { return true }; return false }
        expect([]) { if case .notELF = $0 { return true }; return false }
        expect(Array(good.prefix(40))) { if case .truncated = $0 { return true }; return false }
        var b32 = good; b32[4] = 1
        expect(b32) { $0 == .unsupportedClass(1) }
        var be = good; be[5] = 2
        expect(be) { $0 == .bigEndian }
        var arm32 = good; arm32[18] = 40; arm32[19] = 0
        expect(arm32) { $0 == .unsupportedMachine(40) }
        var farPH = good; for i in 32..<40 { farPH[i] = 0xff }
        expect(farPH) { if case .badOffset(let f, _, _, _) = $0 { return f.contains("program header") }; return false }
        var farSH = good; farSH[40..<48] = [0, 0, 0, 0, 0, 0, 0, 0x70][...]
        expect(farSH) { if case .badOffset(let f, _, _, _) = $0 { return f.contains("section") }; return false }
        // A truncated tail: the section header table is at the end of the file.
        expect(Array(good.prefix(good.count - 10))) {
            if case .badOffset = $0 { return true }; if case .truncated = $0 { return true }; return false
        }
    }
}

extension InspectELFParserTests {
    /// Paths that are not regular files are refused without reading (a FIFO
    /// would block, /dev/zero would never end).
    func testNonRegularFilesAreRefused() throws {
        let dir = try temporaryDirectory("inspect-fifo")
        XCTAssertEqual(mkfifo(dir + "/fifo", 0o600), 0)
        try FileManager.default.createSymbolicLink(atPath: dir + "/link", withDestinationPath: dir + "/fifo")
        for path in [dir + "/fifo", dir + "/link", "/dev/zero", dir, dir + "/missing"] {
            XCTAssertThrowsError(try ELFFile(path: path), path) { error in
                guard case ELFError.unreadable(let p, let reason) = error else { return XCTFail("\(path): \(error)") }
                XCTAssertEqual(p, path); XCTAssertFalse(reason.isEmpty)
            }
        }
    }
}

/// Facts about a binary as readelf (binutils) prints them: the independent
/// reference the parser and classifier are checked against.
struct Readelf {
    var type = "", entry: UInt64 = 0
    var segmentTypes: [String] = [], sectionNames: [String] = []
    var interpreter: String?, needed: [String] = [], buildID: String?
    var symtabCount = 0
    var flags1: [String] = []

    init(_ path: String) throws {
        let r = try ProcessRunner.run("readelf", ["-W", "-h", "-l", "-S", "-d", "-n", "--syms", path], environment: ["LC_ALL": "C"])
        guard r.exitStatus == 0 else { throw CBuildError.compileFailed("readelf \(path)", r.stderr) }
        var section = ""
        var inSections = false, inSegments = false
        for raw in r.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("Type:"), type.isEmpty {
                type = line.split(separator: " ", omittingEmptySubsequences: true)[1].description
            }
            if line.hasPrefix("Entry point address:") {
                entry = UInt64(line.split(separator: "x").last.map(String.init) ?? "", radix: 16) ?? 0
            }
            if line.hasPrefix("Section Headers:") { inSections = true; continue }
            if line.hasPrefix("Key to Flags:") { inSections = false }
            if inSections, line.hasPrefix("["), !line.hasPrefix("[Nr]"), !line.hasPrefix("[ 0]") {
                // "[ 1] .interp PROGBITS …": the name sits after "]".
                let afterBracket = line[line.index(after: line.firstIndex(of: "]")!)...]
                sectionNames.append(afterBracket.split(separator: " ").first.map(String.init) ?? "")
            }
            if line.hasPrefix("Program Headers:") { inSegments = true; continue }
            if line.hasPrefix("Section to Segment mapping:") { inSegments = false }
            if inSegments, !line.isEmpty, !line.hasPrefix("Type"), !line.hasPrefix("[") {
                segmentTypes.append(String(line.split(separator: " ")[0]))
            }
            if line.hasPrefix("[Requesting program interpreter:") {
                interpreter = String(line.dropFirst("[Requesting program interpreter: ".count).dropLast())
            }
            if line.contains("(NEEDED)"), let open = line.lastIndex(of: "["), let close = line.lastIndex(of: "]") {
                needed.append(String(line[line.index(after: open)..<close]))
            }
            if line.contains("(FLAGS_1)") {
                flags1 = line.components(separatedBy: "Flags:").last?.split(separator: " ").map(String.init) ?? []
            }
            if line.contains("Build ID:") { buildID = line.split(separator: " ").last.map(String.init) }
            if line.hasPrefix("Symbol table '") { section = line.contains("'.symtab'") ? "symtab" : "other"
                if section == "symtab", let n = line.split(separator: " ").first(where: { Int($0) != nil }) {
                    symtabCount = (Int(n) ?? 1) - 1
                }
            }
        }
    }

    /// readelf's own class verdict, from the same ELF facts as the rules in
    /// the issue: the independent cross-check for the classifier.
    var staticClass: String {
        if interpreter != nil { return "dynamic" }
        if type == "EXEC" { return needed.isEmpty ? "static" : "dynamic" }
        if flags1.contains("PIE") { return "static-pie" }
        return "shared-object"
    }
}

enum InspectTestSupport {
    static func cBinary(_ variant: CVariant, strip: Bool, program: String = "hello") throws -> String {
        try CProgramBuilder(projectRoot: Fixtures.projectRoot)
            .build(name: program, sources: ["Probes/programs/\(program).c"], variant: variant, strip: strip)
    }
}
