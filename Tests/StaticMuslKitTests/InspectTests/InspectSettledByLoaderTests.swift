import Foundation
import XCTest
@testable import StaticMuslKit

/// Files whose loader names the libc are not searched (`ELFEvidence.gather(_:for:)`).
/// On this machine's own dynamic files, that must give the verdicts a full
/// search of data, symbols and relocations gives: only evidence lists may be shorter.
final class InspectSettledByLoaderTests: XCTestCase {
    /// Dynamic executables and shared objects from the system and the Swift
    /// toolchain (glibc ones, and Swift ones with their runtime), small enough
    /// for a full search to stay quick.
    func sampleFiles() -> [String] {
        let toolchain = ToolchainVersions.detect().root
        let roots = ["/usr/bin", "/usr/lib/x86_64-linux-gnu", toolchain + "/usr/lib/swift/linux", toolchain + "/usr/bin"]
        return InspectBench.elfFiles(under: roots.filter { FileManager.default.fileExists(atPath: $0) }, limit: 400).filter {
            ((try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int) ?? .max) < 16 << 20
        }
    }

    func testVerdictsMatchAFullSearch() throws {
        var settled = 0, swift = 0
        for path in sampleFiles() {
            guard let elf = try? ELFFile(path: path), let fast = try? InspectSuite.inspect(elf, path: path) else { continue }
            let full = try InspectSuite.inspect(elf, path: path, searchEverything: true)
            XCTAssertEqual(fast.binaryClass, full.binaryClass, path)
            XCTAssertEqual(fast.libc, full.libc, path)
            XCTAssertEqual(fast.libcReason, full.libcReason, path)
            XCTAssertEqual(fast.swiftRuntime, full.swiftRuntime, path)
            XCTAssertEqual(fast.embeddedSwift, full.embeddedSwift, path)
            XCTAssertEqual(fast.nssRisk, full.nssRisk, path)
            XCTAssertEqual(fast.warnings, full.warnings, path)
            XCTAssertEqual(fast.resolver, full.resolver, path)
            XCTAssertTrue(Set(fast.libcEvidence).isSubset(of: Set(full.libcEvidence)), path)
            if try !ELFEvidence.gather(elf, for: fast.binaryClass).searched { settled += 1 }
            if fast.swiftRuntime { swift += 1 }
        }
        // The comparison means something only if it covered both kinds of file.
        XCTAssertGreaterThan(settled, 50, "too few dynamic glibc files were compared")
        XCTAssertGreaterThan(swift, 0, "no file with the Swift runtime was compared")
    }

    /// Static files are always searched, and so is a dynamic file whose
    /// loader and DT_NEEDED name no libc.
    func testStaticFilesAndUnnamedLibcsAreSearched() throws {
        let tiny = try ELFFile(path: InspectGoldenTests.folder + "/tiny-dynamic-pie")
        XCTAssertEqual(LibcFingerprint.linkedLibc(tiny), .glibc)
        XCTAssertTrue(try ELFEvidence.gather(tiny, for: .staticExecutable).searched)
        XCTAssertTrue(try ELFEvidence.gather(tiny, for: .staticPIE).searched)
        // The same bytes with DT_NEEDED libc.so.6 renamed and PT_INTERP pointing elsewhere.
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: InspectGoldenTests.folder + "/tiny-dynamic-pie")))
        for (from, to) in [("libc.so.6", "libq.so.6"), ("/lib64/ld-linux-x86-64.so.2", "/lib64/ld-other-x86-64.so.2")] {
            let needle = Array(from.utf8)
            guard let at = (0...(bytes.count - needle.count)).first(where: { Array(bytes[$0..<($0 + needle.count)]) == needle }) else {
                return XCTFail("\(from) is not in the fixture")
            }
            bytes.replaceSubrange(at..<(at + needle.count), with: Array(to.utf8))
        }
        let renamed = try ELFFile(bytes: bytes)
        XCTAssertNil(LibcFingerprint.linkedLibc(renamed))
        XCTAssertTrue(try ELFEvidence.gather(renamed, for: .dynamic).searched)
    }
}
