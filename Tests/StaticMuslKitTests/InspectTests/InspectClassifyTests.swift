import Foundation
import XCTest
@testable import StaticMuslKit

/// The ten binary kinds of the issue, classified by inspect and
/// cross-checked against readelf's view of the same ELF fields.
final class InspectClassifyTests: XCTestCase {
    struct Expectation { var binaryClass: BinaryClass; var libc: LibcName }

    static let cKinds: [CVariant: Expectation] = [
        .glibcDynamic: .init(binaryClass: .dynamic, libc: .glibc),
        .glibcStatic: .init(binaryClass: .staticExecutable, libc: .glibc),
        .glibcStaticPie: .init(binaryClass: .staticPIE, libc: .glibc),
        .muslStatic: .init(binaryClass: .staticExecutable, libc: .musl),
        .muslStaticPie: .init(binaryClass: .staticPIE, libc: .musl),
    ]

    func testCKindsAndTheirStrippedFormsAreClassifiedLikeReadelf() throws {
        for (variant, expected) in Self.cKinds.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            for strip in [false, true] {
                let path = try InspectTestSupport.cBinary(variant, strip: strip)
                let what = "\(variant.rawValue)\(strip ? " (stripped)" : "")"
                let file = try InspectSuite.inspect(path: path)
                XCTAssertEqual(file.binaryClass, expected.binaryClass, what)
                XCTAssertEqual(file.binaryClass.rawValue, try Readelf(path).staticClass, "readelf disagrees: \(what)")
                XCTAssertEqual(file.libc, expected.libc, "\(what): \(file.libcEvidence)")
                XCTAssertFalse(file.libcEvidence.isEmpty, what)
                XCTAssertEqual(file.stripped, strip, what)
                XCTAssertFalse(file.swiftRuntime, what)
                XCTAssertFalse(file.embeddedSwift, what)
                XCTAssertEqual(file.arch, "x86_64")
                XCTAssertEqual(file.interpreter, variant == .glibcDynamic ? "/lib64/ld-linux-x86-64.so.2" : nil, what)
                XCTAssertEqual(file.nssRisk, variant == .glibcDynamic ? .notApplicable : .none, "hello uses no NSS: \(what)")
                XCTAssertTrue(file.warnings.allSatisfy { !$0.contains("ambiguous") }, "\(what): \(file.warnings)")
                // Stripped binaries keep the markers that do not need symbols.
                if strip, expected.libc == .musl {
                    XCTAssertTrue(file.libcEvidence.contains { $0.hasPrefix("entry: musl") }, "\(what): \(file.libcEvidence)")
                }
                if strip, expected.libc == .glibc, variant != .glibcDynamic {
                    XCTAssertTrue(file.libcEvidence.contains("section __libc_IO_vtables"), "\(what): \(file.libcEvidence)")
                }
            }
        }
    }

    /// Debian's musl-gcc -static-pie quietly links a dynamic binary that
    /// wants /lib/ld-musl-x86_64.so.1; inspect must not call it static.
    func testDebianMuslGccStaticPieTrapIsDynamic() throws {
        // Not a CProgramBuilder variant on purpose: this is the plain
        // `musl-gcc -static-pie` a user would type (40 ms to compile).
        let dir = try temporaryDirectory("inspect-trap")
        let path = dir + "/hello"
        let cc = try ProcessRunner.run("musl-gcc", ["-static-pie", "-O2", "-I", Fixtures.projectRoot + "/CShim/platform/include",
                                                     Fixtures.projectRoot + "/Probes/programs/hello.c",
                                                     Fixtures.projectRoot + "/CShim/platform/libc_name.c", "-o", path], timeout: 120)
        XCTAssertEqual(cc.exitStatus, 0, cc.stderr)
        let file = try InspectSuite.inspect(path: path)
        let readelf = try Readelf(path)
        XCTAssertEqual(file.binaryClass.rawValue, readelf.staticClass)
        XCTAssertEqual(file.libc, .musl)
        XCTAssertEqual(file.binaryClass, .dynamic, "musl-gcc -static-pie: \(file.facts)")
        XCTAssertEqual(file.interpreter, readelf.interpreter)
        XCTAssertEqual(file.interpreter, "/lib/ld-musl-x86_64.so.1")
        // And FROM scratch it fails like any dynamic binary.
        try Fixtures.requireLab([.mount, .pid, .uts, .net])
        let r = try ScratchRunner.run(ScratchRunner.Options(binary: path))
        XCTAssertEqual(r.verdict, .missingLoader)
        XCTAssertEqual(r.reason, "missing loader /lib/ld-musl-x86_64.so.1")
    }

    /// A static binary with no C library at all: "none" when its symbols
    /// show it, "unknown" (with the reason) once stripped.
    func testNoLibcIsNoneOrUnknownWithAReason() throws {
        let dir = try temporaryDirectory("inspect-nolibc")
        try "void _start(void) { __asm__ volatile(\"mov $60, %eax\\n xor %edi, %edi\\n syscall\"); }\n"
            .write(toFile: dir + "/nolibc.c", atomically: true, encoding: .utf8)
        for strip in [false, true] {
            let out = dir + (strip ? "/nolibc-stripped" : "/nolibc")
            let cc = try ProcessRunner.run("gcc", ["-static", "-nostdlib", "-ffreestanding", "-O2", dir + "/nolibc.c", "-o", out] + (strip ? ["-s"] : []),
                                           timeout: 60)
            XCTAssertEqual(cc.exitStatus, 0, cc.stderr)
            let file = try InspectSuite.inspect(path: out)
            XCTAssertEqual(file.binaryClass, .staticExecutable)
            XCTAssertEqual(file.libc, strip ? .unknown : LibcName.none, "\(file.libcEvidence) \(file.warnings)")
            XCTAssertTrue(file.warnings.contains { $0.hasPrefix("libc \(file.libc.rawValue):") }, "the verdict must say why: \(file.warnings)")
            XCTAssertFalse(file.libcReason?.isEmpty ?? true)
        }
    }

    func testAmbiguousETDynIsAWarning() throws {
        // A static-pie with DF_1_PIE cleared: ET_DYN, no PT_INTERP, no NEEDED, no DF_1_PIE.
        let path = try InspectTestSupport.cBinary(.muslStaticPie, strip: true)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let elf = try ELFFile(bytes: bytes)
        let dynamic = try XCTUnwrap(elf.segments.first { $0.type == ELFConstants.ptDynamic })
        var patched = false
        var o = Int(dynamic.offset)
        while o + 16 <= Int(dynamic.offset + dynamic.fileSize) {
            let tag = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[o + $1]) << (8 * UInt64($1)) }
            if Int64(bitPattern: tag) == ELFConstants.dtFlags1 {
                for k in 8..<16 { bytes[o + k] = 0 }
                patched = true
            }
            o += 16
        }
        XCTAssertTrue(patched, "the musl static-pie has no DT_FLAGS_1 to clear")
        let file = try InspectSuite.inspect(ELFFile(bytes: bytes), path: "patched")
        XCTAssertEqual(file.binaryClass, .staticPIE)
        XCTAssertTrue(file.warnings.contains { $0.hasPrefix("ambiguous") }, "\(file.warnings)")
    }

    /// The Swift variants from build-static.sh (and their stripped copies),
    /// plus Embedded Swift.
    func testSwiftVariantsAndEmbeddedSwift() throws {
        let store = try Fixtures.store()
        var seen: [String] = []
        let scratch = try temporaryDirectory("inspect-strip")
        let artifacts = store.artifacts(product: "Sample") + store.manifest.products.map(\.product)
            .filter { $0 != "Sample" }.flatMap { store.artifacts(product: $0) }.filter { $0.variant == .embeddedMusl }
        for artifact in artifacts {
            let stripped = "\(scratch)/\(artifact.product)-\(artifact.variant.rawValue)"
            let s = try ProcessRunner.run("strip", ["-o", stripped, artifact.path], timeout: 120)
            XCTAssertEqual(s.exitStatus, 0, s.stderr)
            for path in [artifact.path, stripped] {
                let what = "\(artifact.product) \(artifact.variant.rawValue)\(path == stripped ? " (stripped)" : "")"
                let file = try InspectSuite.inspect(path: path)
                XCTAssertEqual(file.binaryClass.rawValue, try Readelf(path).staticClass, "readelf disagrees: \(what)")
                switch artifact.variant {
                case .glibcDynamic:
                    XCTAssertEqual(file.binaryClass, .dynamic, what)
                    XCTAssertEqual(file.interpreter, "/lib64/ld-linux-x86-64.so.2", what)
                default:
                    XCTAssertTrue(file.binaryClass.isStatic, "\(what) is \(file.binaryClass)")
                    XCTAssertNil(file.interpreter, what)
                    XCTAssertEqual(file.needed, [], what)
                }
                XCTAssertEqual(file.libc.rawValue, artifact.variant.libc, "\(what): \(file.libcEvidence)")
                XCTAssertEqual(file.swiftRuntime, artifact.variant != .embeddedMusl, "\(what): \(file.swiftEvidence)")
                XCTAssertEqual(file.embeddedSwift, artifact.variant == .embeddedMusl, "\(what): \(file.swiftEvidence)")
                XCTAssertEqual(file.stripped, !(try Readelf(path).sectionNames.contains(".symtab")), what)
                if path == stripped { XCTAssertTrue(file.stripped, what) }
                seen.append(what)
            }
        }
        print("inspected Swift kinds: \(seen.joined(separator: ", "))")
        XCTAssertTrue(seen.contains { $0.hasPrefix("Sample musl") }, "no musl Sample in \(seen)")
        XCTAssertTrue(seen.contains { $0.hasPrefix("Sample glibc-static") }, "no glibc-static Sample in \(seen)")
        XCTAssertTrue(seen.contains { $0.hasPrefix("Sample glibc-dynamic") }, "no glibc-dynamic Sample in \(seen)")
        XCTAssertTrue(seen.contains { $0.contains("embedded-musl") }, "no Embedded Swift binary in \(seen)")
    }
}
