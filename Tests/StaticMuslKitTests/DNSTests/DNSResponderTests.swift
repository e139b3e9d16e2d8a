import Foundation
import XCTest
@testable import StaticMuslKit

/// The scripted server's decisions, as a pure function: no sockets.
final class DNSResponderTests: XCTestCase {
    func scenario(_ zones: String, extra: String = "") throws -> DNSScenario {
        let json = """
        {"scenarios": [{"id": "t", "title": "t", "why": "t", "resolv_conf": "nameserver 127.0.0.1\\n",
          "zones": \(zones)\(extra), "lookup": {"name": "x"}}]}
        """
        return try DNSScenarioParser.parse(data: Data(json.utf8))[0]
    }

    func ask(_ s: DNSScenario, _ name: String, _ type: UInt16 = DNSType.a, server: String = "127.0.0.1",
             transport: DNSResponder.Transport = .udp, edns: UInt16? = nil) throws -> (DNSQueryRecord, DNSMessage?, Int) {
        var q = DNSMessage(id: 7, flags: DNSMessage.rdBit)
        q.questions = [.init(name: name, type: type)]
        if let edns { q.additional = [.opt(udpSize: edns)] }
        let (record, action) = DNSResponder(scenario: s).handle(q.encode(), server: server, transport: transport)
        guard case .reply(let bytes, let delay) = action else { return (record, nil, 0) }
        let reply = try DNSMessage(bytes: bytes)
        if transport == .udp { XCTAssertLessThanOrEqual(bytes.count, max(512, Int(edns ?? 512))) }
        return (record, reply, delay)
    }

    func testAnswersNXDOMAINNodataAndFlags() throws {
        let s = try scenario(#"{"a.test.": {"A": ["10.0.0.1"], "aa": true, "ad": true}, "nodata.test.": {"A": []}}"#)
        let (log, reply, _) = try ask(s, "A.Test.")
        XCTAssertEqual(reply?.rcode, DNSRcode.noerror.rawValue)
        XCTAssertEqual(reply?.answers.map(\.data), [[10, 0, 0, 1]])
        XCTAssertEqual(reply?.id, 7)
        XCTAssertEqual(reply?.flagNames, ["aa", "rd", "ra", "ad"])
        XCTAssertEqual(log.name, "a.test.")
        XCTAssertEqual(log.type, "A")
        XCTAssertNil(log.edns)
        let (_, nodata, _) = try ask(s, "nodata.test.", DNSType.aaaa)
        XCTAssertEqual(nodata?.rcode, 0)
        XCTAssertEqual(nodata?.answers.count, 0)
        let (_, nx, _) = try ask(s, "other.test.")
        XCTAssertEqual(nx?.rcode, DNSRcode.nxdomain.rawValue)
    }

    func testDefaultRcodeServfailRefusedDropDelay() throws {
        let s = try scenario(#"{"sf.test.": {"rcode": "SERVFAIL"}, "rf.test.": {"rcode": "REFUSED"}, "gone.test.": {"drop": true},"# +
                             #""half.test.": {"A": ["10.0.0.2"], "drop_types": ["AAAA"], "delay_ms": 250}}"#, extra: #", "default_rcode": "NOERROR""#)
        XCTAssertEqual(try ask(s, "sf.test.").1?.rcode, 2)
        XCTAssertEqual(try ask(s, "rf.test.").1?.rcode, 5)
        XCTAssertEqual(try ask(s, "unlisted.test.").1?.rcode, 0)
        let (log, dropped, _) = try ask(s, "gone.test.")
        XCTAssertNil(dropped)
        XCTAssertEqual(log.response, "dropped")
        XCTAssertNil(try ask(s, "half.test.", DNSType.aaaa).1)
        let (_, a, delay) = try ask(s, "half.test.")
        XCTAssertEqual(a?.answers.count, 1)
        XCTAssertEqual(delay, 250)
    }

    func testCNAMEChainAndDanglingTarget() throws {
        let s = try scenario(#"{"a.test.": {"cname": "b.test."}, "b.test.": {"cname": "c.test"}, "c.test.": {"A": ["10.0.0.3"]},"# +
                             #""d.test.": {"cname": "missing.test."}}"#)
        let (_, r, _) = try ask(s, "a.test.")
        XCTAssertEqual(r?.answers.map(\.type), [DNSType.cname, DNSType.cname, DNSType.a])
        XCTAssertEqual(r?.answers.last?.name, "c.test.")
        let (_, d, _) = try ask(s, "d.test.")
        XCTAssertEqual(d?.rcode, DNSRcode.nxdomain.rawValue)
        XCTAssertEqual(d?.answers.count, 1)
    }

    func testTruncationAt512WithoutEDNSAndFullAnswerOverTCPOrEDNS() throws {
        let ips = (1...40).map { "\"10.0.6.\($0)\"" }.joined(separator: ",")
        let s = try scenario(#"{"many.test.": {"A": [\#(ips)]}, "tc.test.": {"A": ["10.0.0.1"], "truncate": true}}"#)
        let (log, udp, _) = try ask(s, "many.test.")
        XCTAssertTrue(udp!.flags & DNSMessage.tcBit != 0)
        XCTAssertLessThan(udp!.answers.count, 40)
        XCTAssertGreaterThan(udp!.answers.count, 0)
        XCTAssertTrue(log.response.contains("TC=1"), log.response)
        let (_, tcp, _) = try ask(s, "many.test.", transport: .tcp)
        XCTAssertEqual(tcp?.answers.count, 40)
        XCTAssertTrue(tcp!.flags & DNSMessage.tcBit == 0)
        let (elog, edns, _) = try ask(s, "many.test.", edns: 1232)
        XCTAssertEqual(edns?.answers.count, 40)
        XCTAssertEqual(edns?.ednsUDPSize, 1232)
        XCTAssertEqual(elog.edns, 1232)
        let (_, forced, _) = try ask(s, "tc.test.")
        XCTAssertTrue(forced!.flags & DNSMessage.tcBit != 0)
        XCTAssertEqual(forced?.answers.count, 0)
        XCTAssertEqual(try ask(s, "tc.test.", transport: .tcp).1?.answers.count, 1)
    }

    /// A name with `count` A records, all different.
    func bigZone(_ count: Int) throws -> DNSScenario {
        let ips = (0..<count).map { "\"10.\($0 >> 16 & 0xff).\($0 >> 8 & 0xff).\($0 & 0xff)\"" }.joined(separator: ",")
        return try scenario(#"{"many.test.": {"A": [\#(ips)]}}"#)
    }

    /// Building a truncated answer used to re-encode the whole message after
    /// each record it dropped: quadratic (47 s for 5,000 records). Now each
    /// record is encoded at most once and encoding stops at the first one
    /// that does not fit. Counted, not timed: the meter sees every record
    /// encoding of the reply.
    /// `truncation: empty` (BIND, Unbound): TC=1 and no records over UDP;
    /// TCP and a datagram that fits are unchanged; anything else is refused.
    func testEmptyTruncationStyle() throws {
        let addresses = (1...40).map { "\"10.0.6.\($0)\"" }.joined(separator: ", ")
        let zones = #"{"many.test.": {"A": ["# + addresses + #"]}}"#
        let partial = try scenario(zones)
        XCTAssertEqual(partial.truncation, .partial)
        let (_, cut, _) = try ask(partial, "many.test.")
        XCTAssertEqual(cut?.flagNames.contains("tc"), true)
        XCTAssertGreaterThan(cut?.answers.count ?? 0, 0)
        let empty = try scenario(zones, extra: #", "truncation": "empty""#)
        let (log, none, _) = try ask(empty, "many.test.")
        XCTAssertEqual(none?.flagNames.contains("tc"), true)
        XCTAssertEqual(none?.answers.count, 0)
        XCTAssertEqual(log.response, "NOERROR TC=1 (over 512 bytes, answer section empty), 0 answers")
        let (_, tcp, _) = try ask(empty, "many.test.", transport: .tcp)
        XCTAssertEqual(tcp?.answers.count, 40)
        XCTAssertEqual(tcp?.flagNames.contains("tc"), false)
        XCTAssertThrowsError(try scenario(zones, extra: #", "truncation": "some""#)) { error in
            XCTAssertTrue("\(error)".contains("truncation"), "\(error)")
        }
    }

    func testTruncatedAnswersTakeOneEncodingPerRecordAtMost() throws {
        for n in [5_000, 20_000] {
            let s = try bigZone(n)
            for (transport, edns, limit) in [(DNSResponder.Transport.udp, UInt16?.none, 512), (.udp, 1232, 1232), (.tcp, nil, 65_535)] {
                let meter = DNSEncodingMeter()
                var q = DNSMessage(id: 1, flags: DNSMessage.rdBit)
                q.questions = [.init(name: "many.test.", type: DNSType.a)]
                if let edns { q.additional = [.opt(udpSize: edns)] }
                let (log, action) = DNSResponder(scenario: s, meter: meter).handle(q.encode(), server: "127.0.0.1", transport: transport)
                guard case .reply(let bytes, _) = action else { return XCTFail("no reply") }
                let reply = try DNSMessage(bytes: bytes)
                let what = "\(n) records, \(transport) limit \(limit)"
                XCTAssertLessThanOrEqual(bytes.count, limit, what)
                XCTAssertNotEqual(reply.flags & DNSMessage.tcBit, 0, what)
                XCTAssertLessThan(reply.answers.count, n, what)
                // The records kept, the one that did not fit, the OPT record.
                XCTAssertLessThanOrEqual(meter.records, reply.answers.count + 1 + reply.additional.count, what)
                XCTAssertLessThanOrEqual(meter.records, n + 2, what)
                XCTAssertEqual(log.response, "NOERROR TC=1 (over \(limit) bytes), \(reply.answers.count) answers", what)
            }
        }
    }

    /// The linear cut gives exactly the bytes of the old rule: drop the last
    /// record and re-encode until the message fits.
    func testTruncationKeepsTheRecordsTheOldLoopKept() throws {
        for (n, edns) in [(40, UInt16?.none), (100, nil), (100, 1232), (300, 1232), (30, nil), (31, nil)] {
            var q = DNSMessage(id: 3, flags: DNSMessage.rdBit)
            q.questions = [.init(name: "many.test.", type: DNSType.a)]
            if let edns { q.additional = [.opt(udpSize: edns)] }
            let (_, action) = DNSResponder(scenario: try bigZone(n)).handle(q.encode(), server: "127.0.0.1", transport: .udp)
            guard case .reply(let bytes, _) = action else { return XCTFail("no reply") }
            var reference = try DNSMessage(bytes: bytes)
            reference.flags &= ~DNSMessage.tcBit
            reference.answers = (0..<n).map { DNSMessage.Record.address("many.test.", "10.0.\($0 >> 8 & 0xff).\($0 & 0xff)")! }
            let limit = max(512, Int(edns ?? 512))
            var old = reference.encode()
            if old.count > limit {
                reference.flags |= DNSMessage.tcBit
                while old.count > limit, !reference.answers.isEmpty {
                    reference.answers.removeLast()
                    old = reference.encode()
                }
            }
            XCTAssertEqual(bytes, old, "\(n) records, EDNS \(edns.map(String.init) ?? "none")")
        }
    }

    func testPerServerEntries() throws {
        let s = try scenario(#"{"api.test.": {"A": ["10.0.9.2"], "servers": ["127.0.0.2"]}}"#)
        XCTAssertEqual(try ask(s, "api.test.", server: "127.0.0.1").1?.rcode, DNSRcode.nxdomain.rawValue)
        XCTAssertEqual(try ask(s, "api.test.", server: "127.0.0.2").1?.answers.count, 1)
        let t = try scenario(#"{"api.test.@127.0.0.1": {"rcode": "SERVFAIL"}, "api.test.": {"A": ["10.0.9.3"]}}"#)
        XCTAssertEqual(try ask(t, "api.test.", server: "127.0.0.1").1?.rcode, 2)
        XCTAssertEqual(try ask(t, "api.test.", server: "127.0.0.2").1?.answers.count, 1)
    }

    func testMalformedQueriesGetFORMERRAndAreLogged() throws {
        let s = try scenario("{}")
        let responder = DNSResponder(scenario: s)
        // musl 1.2.3's query for "host." after `search .`: a '.' left as a label length.
        let musl: [UInt8] = [0xab, 0xcd, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 4, 0x68, 0x6f, 0x73, 0x74, 0x2e, 0, 0, 1, 0, 1]
        let (log, action) = responder.handle(musl, server: "127.0.0.1", transport: .udp)
        XCTAssertEqual(log.type, "MALFORMED")
        XCTAssertEqual(log.name, "malformed:04686f73742e0000010001")
        guard case .reply(let bytes, _) = action else { return XCTFail("no FORMERR reply") }
        let reply = try DNSMessage(bytes: bytes)
        XCTAssertEqual(reply.id, 0xabcd)
        XCTAssertEqual(reply.rcode, DNSRcode.formerr.rawValue)
        // Too short for a header: logged, not answered.
        let (short, none) = responder.handle([1, 2, 3], server: "127.0.0.1", transport: .tcp)
        XCTAssertEqual(none, .drop)
        XCTAssertTrue(short.response.hasPrefix("ignored"), short.response)
        // Two questions: FORMERR too.
        var two = DNSMessage(id: 9, flags: 0)
        two.questions = [.init(name: "a.", type: 1), .init(name: "b.", type: 1)]
        guard case .reply(let b2, _) = responder.handle(two.encode(), server: "127.0.0.1", transport: .udp).1 else { return XCTFail() }
        XCTAssertEqual(try DNSMessage(bytes: b2).rcode, DNSRcode.formerr.rawValue)
    }
}
