import Foundation
import XCTest
@testable import StaticMuslKit

/// Golden tests on the checked-in ELF files of Tests/Fixtures/elf (no build
/// needed): what inspect says about each, field by field.
final class InspectGoldenTests: XCTestCase {
    static let folder = Fixtures.projectRoot + "/Tests/Fixtures/elf"

    func testTinyDynamicPIE() throws {
        let file = try InspectSuite.inspect(path: Self.folder + "/tiny-dynamic-pie")
        XCTAssertEqual(file.binaryClass, .dynamic)
        XCTAssertEqual(file.libc, .glibc)
        XCTAssertEqual(file.facts, ["ET_DYN", "PT_INTERP /lib64/ld-linux-x86-64.so.2", "PT_DYNAMIC", "DT_NEEDED libc.so.6", "DF_1_PIE"])
        // The loader names the libc, so the data is not searched: no `string "GLIBC_2."` (ELFEvidence.gather(_:for:)).
        XCTAssertEqual(file.libcEvidence, [
            "PT_INTERP /lib64/ld-linux-x86-64.so.2", "DT_NEEDED libc.so.6", ".note.ABI-tag (Linux 3.2.0)",
            "entry: glibc x86_64 _start (xor %ebp,%ebp; mov %rdx,%r9; pop %rsi; … push %rsp)",
        ])
        // Searched in full, the same file also shows the versioned-symbol string, and the same verdict.
        let elf = try ELFFile(path: Self.folder + "/tiny-dynamic-pie")
        let full = LibcFingerprint.detect(elf, evidence: try ELFEvidence.gather(elf))
        XCTAssertEqual(full.libc, file.libc)
        XCTAssertTrue(full.evidence.contains("string \"GLIBC_2.\""), "\(full.evidence)")
        XCTAssertFalse(try ELFEvidence.gather(elf, for: .dynamic).searched)
        XCTAssertEqual(file.needed, ["libc.so.6"])
        XCTAssertEqual(file.size, 14392)
        XCTAssertTrue(file.stripped)
        XCTAssertEqual(file.nssRisk, .notApplicable)
        XCTAssertEqual(file.warnings, [])
    }

    /// A static Go program (CGO_ENABLED=0) has no C library: `none`, said
    /// from the Go build ID note and the entry point, without a search.
    func testStaticGoProgramHasNoLibcAndIsNotSearched() throws {
        let path = Self.folder + "/go-static"
        let file = try InspectSuite.inspect(path: path)
        XCTAssertEqual(file.binaryClass, .staticExecutable)
        XCTAssertEqual(file.libc, .none)
        XCTAssertEqual(file.libcEvidence, [LibcFingerprint.goEvidence])
        XCTAssertEqual(file.libcReason, "a Go program: Go's runtime makes its own system calls and no C library was linked in")
        XCTAssertEqual(file.nssRisk, .none)
        XCTAssertFalse(file.swiftRuntime || file.embeddedSwift)
        let elf = try ELFFile(path: path)
        XCTAssertTrue(LibcFingerprint.isGoWithoutLibc(elf))
        XCTAssertFalse(try ELFEvidence.gather(elf, for: .staticExecutable).searched)
    }

    /// A Go program that links glibc statically carries glibc's ABI tag: it is
    /// searched like any static file, and its libc is glibc.
    func testStaticGoProgramWithGlibcIsSearched() throws {
        let path = Self.folder + "/go-static-abi-tag"
        let elf = try ELFFile(path: path)
        XCTAssertFalse(LibcFingerprint.isGoWithoutLibc(elf))
        XCTAssertTrue(try ELFEvidence.gather(elf, for: .staticExecutable).searched)
        let file = try InspectSuite.inspect(path: path)
        XCTAssertEqual(file.libc, .glibc)
        XCTAssertEqual(file.libcEvidence, [".note.ABI-tag (Linux 3.2.0)"])
    }

    /// e_phnum 0xffff with section 0's sh_info 0: readelf says "Too many
    /// program headers" and the kernel will not exec it. It used to be read
    /// as a file with no program headers, hence "static-pie".
    func testPNXNUMWithoutTheRealCountIsRefused() throws {
        let path = Self.folder + "/phnum-xnum-dynamic-pie"
        XCTAssertThrowsError(try ELFFile(path: path)) { error in
            guard case ELFError.badTable(let field, let reason) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(field, "e_phnum")
            XCTAssertTrue(reason.contains("PN_XNUM") && reason.contains("sh_info"), reason)
        }
        let report = InspectSuite.inspect(paths: [path])
        XCTAssertEqual(report.files, [])
        XCTAssertEqual(report.errors.map(\.path), [path])
    }

    /// The same file without a section header table: nowhere to hold the count.
    func testPNXNUMWithoutSectionHeadersIsRefused() throws {
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.folder + "/phnum-xnum-dynamic-pie")))
        for i in 40..<48 { bytes[i] = 0 }   // e_shoff
        XCTAssertThrowsError(try ELFFile(bytes: bytes)) { error in
            guard case ELFError.badTable(let field, let reason) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(field, "e_phnum")
            XCTAssertTrue(reason.contains("no section header 0"), reason)
        }
    }

    /// Real extended numbering (sh_info holds the count) is read as readelf
    /// reads it, with a warning that the kernel will not exec it.
    func testPNXNUMWithTheCountInSectionZeroIsReadWithAWarning() throws {
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.folder + "/phnum-xnum-dynamic-pie")))
        let shoff = (40..<48).reduce(0) { $0 | Int(bytes[$1]) << (8 * ($1 - 40)) }
        bytes[shoff + 44] = 13   // the real count, as in tiny-dynamic-pie
        let elf = try ELFFile(bytes: bytes)
        XCTAssertEqual(elf.segments.count, 13)
        XCTAssertTrue(elf.warnings.contains { $0.contains("PN_XNUM") && $0.contains("ENOEXEC") }, "\(elf.warnings)")
        let file = try InspectSuite.inspect(elf, path: "xnum")
        XCTAssertEqual(file.binaryClass, .dynamic)
        XCTAssertEqual(file.needed, ["libc.so.6"])
    }
}
