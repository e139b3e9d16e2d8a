import Foundation
import XCTest
@testable import StaticMuslKit

/// inspect reads only the ranges it needs (headers, tables, notes, string
/// and data sections) through pread, so its cost does not grow with the
/// file: a sparse file over 4 GiB is inspected by reading a few KB of it.
final class InspectLargeFileTests: XCTestCase {
    static let fixture = Fixtures.projectRoot + "/Tests/Fixtures/elf/tiny-dynamic-pie"
    static let overFourGiB = (4 << 30) + 1

    /// Counts what the parser and the analysis read.
    final class CountingSource: ELFByteSource, @unchecked Sendable {
        let inner: ELFByteSource
        var bytesRead = 0, reads = 0
        init(_ inner: ELFByteSource) { self.inner = inner }
        var size: Int { inner.size }
        func read(at offset: Int, count: Int) throws -> [UInt8] {
            reads += 1; bytesRead += count
            return try inner.read(at: offset, count: count)
        }
    }

    /// The fixture, grown to 4 GiB + 1 byte with ftruncate (a hole, no disk used).
    func sparseCopy() throws -> String {
        let dir = try temporaryDirectory("inspect-large")
        let path = dir + "/grown"
        try FileManager.default.copyItem(atPath: Self.fixture, toPath: path)
        XCTAssertEqual(truncate(path, off_t(Self.overFourGiB)), 0, String(cString: strerror(errno)))
        return path
    }

    func testAFileOverFourGiBIsInspectedLikeTheSmallOne() throws {
        let small = try InspectSuite.inspect(path: Self.fixture)
        let path = try sparseCopy()
        let large = try InspectSuite.inspect(path: path)
        XCTAssertEqual(large.size, Self.overFourGiB)
        XCTAssertEqual(large.binaryClass, small.binaryClass)
        XCTAssertEqual(large.binaryClass, .dynamic)
        XCTAssertEqual(large.libc, small.libc)
        XCTAssertEqual(large.libcEvidence, small.libcEvidence)
        XCTAssertEqual(large.needed, ["libc.so.6"])
        XCTAssertEqual(large.interpreter, "/lib64/ld-linux-x86-64.so.2")
    }

    func testWhatIsReadDoesNotGrowWithTheFile() throws {
        let smallSource = CountingSource(try FileByteSource(path: Self.fixture))
        _ = try InspectSuite.inspect(ELFFile(source: smallSource, path: Self.fixture), path: Self.fixture)
        let largeSource = CountingSource(try FileByteSource(path: try sparseCopy()))
        _ = try InspectSuite.inspect(ELFFile(source: largeSource, path: "grown"), path: "grown")
        XCTAssertGreaterThan(smallSource.bytesRead, 0)
        // The same ranges are read whatever the size: the hole is never touched.
        XCTAssertEqual(largeSource.bytesRead, smallSource.bytesRead)
        XCTAssertLessThanOrEqual(largeSource.bytesRead, smallSource.size, "more bytes read than the small file holds")
    }

    /// Machine code and debug info hold no markers: they are not scanned.
    func testMarkerRegionsLeaveOutCodeAndBinaryTables() throws {
        let elf = try ELFFile(path: Self.fixture)
        let regions = elf.markerRegions
        let text = try XCTUnwrap(elf.section(named: ".text"))
        let rodata = try XCTUnwrap(elf.section(named: ".rodata"))
        let dynstr = try XCTUnwrap(elf.section(named: ".dynstr"))
        let dynsym = try XCTUnwrap(elf.section(named: ".dynsym"))
        func covered(_ s: ELFSection) -> Bool { regions.contains { $0.contains(Int(s.offset)) } }
        XCTAssertFalse(covered(text)); XCTAssertFalse(covered(dynsym))
        XCTAssertTrue(covered(rodata)); XCTAssertTrue(covered(dynstr))
        // "GLIBC_2." lives in .dynstr and is still found.
        XCTAssertTrue(elf.contains(string: "GLIBC_2."))
        XCTAssertFalse(elf.contains(string: "not in this file at all"))
    }

    /// The one-pass scanner finds each needle, including one split across
    /// two chunks and one at the very end.
    func testMarkerScannerFindsNeedlesAcrossChunks() throws {
        var bytes = [UInt8](repeating: 0x41, count: ChunkedRegion.chunkSize * 2 + 100)
        let split = Array("No error information".utf8), end = Array("GLIBC_2.".utf8), absent = Array("SWIFT_DEBUG_HELP".utf8)
        bytes.replaceSubrange((ChunkedRegion.chunkSize - 5)..<(ChunkedRegion.chunkSize - 5 + split.count), with: split)
        bytes.replaceSubrange((bytes.count - end.count)..<bytes.count, with: end)
        let found = try MarkerScanner([split, end, absent]).scan([0..<bytes.count], in: MemoryByteSource(bytes))
        XCTAssertEqual(found, [true, true, false])
    }
}
