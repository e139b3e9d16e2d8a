import Foundation
import XCTest
@testable import StaticMuslKit

/// The scenario file: the catalogue's coverage, and refusals that name the field.
final class DNSScenarioTests: XCTestCase {
    func parse(_ json: String) throws -> [DNSScenario] { try DNSScenarioParser.parse(data: Data(json.utf8), path: "test.json") }

    func refusal(_ json: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try parse(json)
            XCTFail("accepted: \(json)", file: file, line: line)
            return ""
        } catch {
            return "\(error)"
        }
    }

    func scenario(_ fields: String) -> String {
        #"{"scenarios": [{"id": "s1", "title": "t", "why": "w", "resolv_conf": "nameserver 127.0.0.1\n", "lookup": {"name": "x"}"# + fields + "}]}"
    }

    func testCatalogueHasAtLeastFortyValidScenariosCoveringTheIssue() throws {
        let all = try DNSScenarioParser.load(path: Fixtures.projectRoot + "/dns/scenarios.json")
        XCTAssertGreaterThanOrEqual(all.count, 40)
        let text = all.map { $0.resolvConf + ($0.resolvConfAfter ?? "") }.joined(separator: "\n")
        for option in ["ndots:0", "ndots:1", "ndots:5", "ndots:15", "ndots:16", "edns0", "rotate", "single-request",
                       "single-request-reopen", "use-vc", "no-aaaa", "timeout:", "attempts:", "trust-ad", "search .", "domain "] {
            XCTAssertTrue(text.contains(option), "no scenario uses \(option)")
        }
        for call in DNSLookup.calls { XCTAssertTrue(all.contains { $0.lookup.call == call }, "no scenario calls \(call)") }
        for flag in ["AI_ADDRCONFIG", "AI_CANONNAME", "AI_NUMERICHOST", "AI_V4MAPPED"] {
            XCTAssertTrue(all.contains { $0.lookup.flags.contains(flag) }, "no scenario uses \(flag)")
        }
        XCTAssertTrue(all.contains { $0.lookup.nullHints })
        XCTAssertTrue(all.contains { $0.env["LOCALDOMAIN"] != nil })
        XCTAssertTrue(all.contains { $0.env["RES_OPTIONS"] != nil })
        XCTAssertTrue(all.contains { $0.resolvConfAfter != nil })
        XCTAssertTrue(all.contains { !$0.tcp })
        XCTAssertTrue(all.contains { $0.lookup.name.count == 253 })
        XCTAssertTrue(all.contains { $0.nsswitchConf.contains("hosts: dns files") })
        XCTAssertTrue(all.contains { $0.hostConf.contains("multi") })
        XCTAssertTrue(all.contains { s in s.zones.values.contains { $0.a.count == 100 } })
        XCTAssertTrue(all.contains { s in s.zones.values.contains { $0.truncate } })
        XCTAssertTrue(all.contains { s in s.zones.values.contains { $0.delayMs > 0 } })
        XCTAssertTrue(all.contains { s in s.zones.values.contains { !$0.dropTypes.isEmpty } })
        for n in [2, 3, 4] { XCTAssertTrue(all.contains { Set($0.nameservers).count == n }, "no scenario with \(n) nameservers") }
        XCTAssertTrue(all.contains { $0.resolvConf.contains("search") && $0.resolvConf.split(separator: "\n").contains { $0.count > 255 } })
        XCTAssertTrue(all.allSatisfy { !$0.title.isEmpty && !$0.why.isEmpty })
    }

    func testDefaultsForFilesNotGiven() throws {
        let s = try parse(scenario(""))[0]
        XCTAssertEqual(s.hosts, "127.0.0.1 localhost\n::1 localhost\n")
        XCTAssertEqual(s.hostConf, "")
        XCTAssertEqual(s.defaultRcode, .nxdomain)
        XCTAssertEqual(s.lookup.call, "getaddrinfo")
        XCTAssertEqual(s.lookup.family, "unspec")
    }

    func testInvalidJSONIsRefusedWithThePath() {
        let why = refusal(#"{"scenarios": [ {"id": "a",, } ]}"#)
        XCTAssertTrue(why.contains("test.json is not valid JSON"), why)
    }

    func testUnknownValuesNameTheField() {
        var why = refusal(scenario(#", "zones": {"a.test.": {"rcode": "NXDOMAN"}}"#))
        XCTAssertTrue(why.contains(#"scenarios[0] (s1).zones["a.test."].rcode"#), why)
        XCTAssertTrue(why.contains(#"unknown value "NXDOMAN""#), why)
        why = refusal(#"{"scenarios": [{"id": "s1", "title": "t", "why": "w", "resolv_conf": "", "lookup": {"name": "x", "family": "inet7"}}]}"#)
        XCTAssertTrue(why.contains("scenarios[0] (s1).lookup.family") && why.contains("inet7"), why)
        why = refusal(#"{"scenarios": [{"id": "s1", "title": "t", "why": "w", "resolv_conf": "", "lookup": {"name": "x", "flags": ["AI_FOO"]}}]}"#)
        XCTAssertTrue(why.contains("lookup.flags[0]") && why.contains("AI_FOO"), why)
        why = refusal(scenario(#", "zones": {"a.": {"A": ["10.0.0.300"]}}"#))
        XCTAssertTrue(why.contains(#"zones["a."].A[0]"#), why)
        why = refusal(scenario(#", "zones": {"a.": {"delay_ms": true}}"#))
        XCTAssertTrue(why.contains(#"zones["a."].delay_ms"#), why)
        why = refusal(scenario(#", "tpc": false"#))
        XCTAssertTrue(why.contains("scenarios[0] (s1).tpc: unknown field"), why)
        why = refusal(scenario(#", "default_rcode": 3"#))
        XCTAssertTrue(why.contains("default_rcode: must be a string"), why)
    }

    func testAddressesOutsideLoopbackAreRefused() {
        var why = refusal(#"{"scenarios": [{"id": "s1", "title": "t", "why": "w", "resolv_conf": "nameserver 8.8.8.8\n", "lookup": {"name": "x"}}]}"#)
        XCTAssertTrue(why.contains("scenarios[0] (s1).resolv_conf") && why.contains("8.8.8.8 is outside loopback"), why)
        why = refusal(scenario(#", "resolv_conf_after": "nameserver 10.0.0.1\n""#))
        XCTAssertTrue(why.contains("resolv_conf_after") && why.contains("10.0.0.1"), why)
        why = refusal(scenario(#", "zones": {"a.": {"A": ["10.0.0.1"], "servers": ["192.168.1.1"]}}"#))
        XCTAssertTrue(why.contains(#"zones["a."].servers[0]"#) && why.contains("outside loopback"), why)
        why = refusal(scenario(#", "zones": {"a.@1.1.1.1": {"A": ["10.0.0.1"]}}"#))
        XCTAssertTrue(why.contains("1.1.1.1 is outside loopback"), why)
    }

    func testMissingAndDuplicateIds() {
        XCTAssertTrue(refusal(#"{"scenarios": [{"title": "t"}]}"#).contains("scenarios[0].id: missing"))
        let one = #"{"id": "dup", "title": "t", "why": "w", "resolv_conf": "", "lookup": {"name": "x"}}"#
        XCTAssertTrue(refusal(#"{"scenarios": [\#(one), \#(one)]}"#).contains(#"scenarios[1].id: duplicate id "dup""#))
        XCTAssertTrue(refusal(#"{"scenario": []}"#).contains("scenario: unknown field"))
    }
}
