import Foundation
import XCTest
@testable import StaticMuslKit

/// The wire codec, without sockets or namespaces.
final class DNSMessageTests: XCTestCase {
    func query(_ name: String, type: UInt16 = DNSType.a, id: UInt16 = 0x1234, edns: UInt16? = nil) -> [UInt8] {
        var m = DNSMessage(id: id, flags: DNSMessage.rdBit)
        m.questions = [.init(name: name, type: type)]
        if let edns { m.additional = [.opt(udpSize: edns)] }
        return m.encode()
    }

    func testQueryRoundTripsWithEDNS() throws {
        let bytes = query("Api.Example.TEST.", type: DNSType.aaaa, edns: 1232)
        let m = try DNSMessage(bytes: bytes)
        XCTAssertEqual(m.id, 0x1234)
        XCTAssertEqual(m.questions, [.init(name: "api.example.test.", type: DNSType.aaaa)])
        XCTAssertEqual(m.ednsUDPSize, 1232)
        XCTAssertEqual(m.flagNames, ["rd"])
        XCTAssertFalse(m.isResponse)
    }

    func testCompressionPointsBackToTheQuestion() throws {
        var m = DNSMessage(id: 1, flags: DNSMessage.qrBit)
        m.questions = [.init(name: "a.example.test.", type: DNSType.a)]
        m.answers = [.init(name: "a.example.test.", type: DNSType.cname, target: "b.example.test."),
                     .address("b.example.test.", "10.0.0.1")!]
        let bytes = m.encode()
        // "a.example.test." is written once; the CNAME owner is a 2-byte pointer.
        XCTAssertEqual(bytes.count, 12 + 16 + 4 + (2 + 10 + 4) + (2 + 10 + 4))
        let back = try DNSMessage(bytes: bytes)
        XCTAssertEqual(back.answers[0].target, "b.example.test.")
        XCTAssertEqual(back.answers[1].data, [10, 0, 0, 1])
    }

    /// No message is ever longer than a TCP frame can say (65,535 bytes):
    /// records past that are left out and TC is set, and counts, RDLENGTHs
    /// and compression pointers are always in range (no trap).
    func testEveryMessageFitsInATCPFrame() throws {
        var m = DNSMessage(id: 2, flags: DNSMessage.qrBit)
        m.questions = [.init(name: "a.test.", type: DNSType.a)]
        m.answers = (0..<70_000).map { .address("a.test.", "10.\($0 >> 16 & 0xff).\($0 >> 8 & 0xff).\($0 & 0xff)")! }
        let bytes = m.encode()
        XCTAssertLessThanOrEqual(bytes.count, 65_535)
        let back = try DNSMessage(bytes: bytes)
        XCTAssertNotEqual(back.flags & DNSMessage.tcBit, 0)
        XCTAssertEqual(back.answers.count, (65_535 - 12 - 12) / 16)   // header, question, 16 bytes a record
        // A record whose data a 2-byte RDLENGTH cannot frame is left out.
        var huge = DNSMessage(id: 3, flags: DNSMessage.qrBit)
        huge.answers = [.init(name: "t.", type: DNSType.txt, data: [UInt8](repeating: 1, count: 70_000)),
                        .address("a.test.", "10.0.0.1")!]
        let cut = huge.encoded(limit: 65_535)
        XCTAssertTrue(cut.truncated)
        XCTAssertEqual(cut.answers, 0)
        XCTAssertEqual(try DNSMessage(bytes: cut.bytes).answers, [])
    }

    /// Compression pointers hold 14 bits: names written past offset 0x3FFF
    /// are never pointed at, and every name still decodes as written.
    func testNamesPastTheFirst16KiBAreWrittenOutInFull() throws {
        var m = DNSMessage(id: 4, flags: DNSMessage.qrBit)
        m.questions = [.init(name: "example.test.", type: DNSType.a)]
        m.answers = (0..<2_500).map { .address("h\($0).example.test.", "10.0.\($0 >> 8 & 0xff).\($0 & 0xff)")! }
        // Twice each: the second copy of a late name cannot point back at the first.
        m.answers += m.answers
        let out = m.encoded(limit: 65_535)
        XCTAssertGreaterThan(out.bytes.count, 0x3fff)
        let back = try DNSMessage(bytes: out.bytes)
        XCTAssertEqual(back.answers.count, out.answers)
        XCTAssertEqual(back.answers.map(\.name), Array(m.answers.prefix(out.answers).map(\.name)))
        XCTAssertEqual(back.answers.map(\.data), Array(m.answers.prefix(out.answers).map(\.data)))
    }

    func testMalformedMessagesThrowTypedErrors() {
        XCTAssertThrowsError(try DNSMessage(bytes: [1, 2, 3])) { XCTAssertEqual($0 as? DNSWireError, .tooShort(3)) }
        // Header says one question; the name's label runs past the end.
        let cut: [UInt8] = [0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 4, 0x68, 0x6f]
        XCTAssertThrowsError(try DNSMessage(bytes: cut)) { XCTAssertEqual($0 as? DNSWireError, .truncatedAt(12, "name")) }
        // A compression pointer to itself.
        let loop: [UInt8] = [0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1]
        XCTAssertThrowsError(try DNSMessage(bytes: loop)) { XCTAssertEqual($0 as? DNSWireError, .pointerLoop(12)) }
        // Label type 0x40 is reserved.
        let bad: [UInt8] = [0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x41, 0]
        XCTAssertThrowsError(try DNSMessage(bytes: bad)) { XCTAssertEqual($0 as? DNSWireError, .badLabel(12)) }
    }

    func testAddressText() {
        XCTAssertEqual(IPAddressText.v4("10.1.2.3"), [10, 1, 2, 3])
        XCTAssertNil(IPAddressText.v4("127.1"))
        XCTAssertNil(IPAddressText.v4("01.2.3.4"))
        XCTAssertEqual(IPAddressText.v6("2001:db8::1"), [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [1])
        XCTAssertEqual(IPAddressText.v6("::ffff:10.0.0.1"), Array(repeating: 0, count: 10) + [0xff, 0xff, 10, 0, 0, 1])
        XCTAssertNil(IPAddressText.v6("1::2::3"))
        XCTAssertTrue(IPAddressText.isLoopback("127.0.0.3"))
        XCTAssertTrue(IPAddressText.isLoopback("::1"))
        XCTAssertFalse(IPAddressText.isLoopback("8.8.8.8"))
    }
}
