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

    /// threads and rounds: bounded integers, getaddrinfo only (the one
    /// thread-safe call of the four), rounds only with threads.
    func testConcurrentLookupFields() throws {
        func lookup(_ fields: String) -> String {
            #"{"scenarios": [{"id": "s1", "title": "t", "why": "w", "resolv_conf": "", "lookup": {"name": "t{thread}.x""# + fields + "}}]}"
        }
        let s = try parse(lookup(#", "threads": 8, "rounds": 10"#))[0]
        XCTAssertTrue(s.lookup.isConcurrent)
        XCTAssertEqual(Array(s.lookup.probeArguments.suffix(4)), ["--threads", "8", "--rounds", "10"])
        XCTAssertFalse(try parse(lookup(""))[0].lookup.probeArguments.contains("--threads"))
        for (fields, expected) in [(#", "threads": 0"#, "lookup.threads: must be an integer from 1 to 64"),
                                   (#", "threads": 65"#, "lookup.threads: must be an integer from 1 to 64"),
                                   (#", "threads": 2.5"#, "lookup.threads: must be an integer from 1 to 64"),
                                   (#", "threads": true"#, "lookup.threads: must be an integer from 1 to 64"),
                                   (#", "threads": 2, "rounds": 0"#, "lookup.rounds: must be an integer from 1 to 1000"),
                                   (#", "rounds": 5"#, "lookup.rounds: needs threads above 1"),
                                   (#", "threads": 4, "call": "gethostbyname""#, "lookup.threads: concurrent lookups use getaddrinfo")] {
            let why = refusal(lookup(fields))
            XCTAssertTrue(why.contains("scenarios[0] (s1)." + expected), "\(fields): \(why)")
        }
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

    /// RFC 1035 §2.3.4 at input: names the server holds have labels of
    /// 1–63 bytes and at most 255 bytes; no name may hold a NUL (the probe's
    /// argv and the resolver's API would cut it there). One line each.
    func testNamesOverRFC1035LimitsOrWithNULAreRefused() throws {
        let l63 = String(repeating: "l", count: 63), l64 = String(repeating: "l", count: 64)
        let name256 = [l63, l63, l63, l63].joined(separator: ".") + "."   // 256 bytes
        let cases: [(String, String, String)] = [
            (#", "zones": {"a\u0000b.test.": {"A": ["10.0.0.1"]}}"#, #"zones["a\x00b.test."]"#, "contains a NUL byte"),
            (#", "zones": {"\#(l64).test.": {"A": ["10.0.0.1"]}}"#, #"zones["\#(l64).test."]"#, "label of 64 bytes"),
            (#", "zones": {"\#(name256)": {"A": ["10.0.0.1"]}}"#, "zones[", "is 257 bytes on the wire (256 as text); a name has at most 255"),
            (#", "zones": {"a..test.": {"A": ["10.0.0.1"]}}"#, #"zones["a..test."]"#, "has an empty label"),
            (#", "zones": {"a.test.": {"cname": "\#(l64).test."}}"#, #"zones["a.test."].cname"#, "label of 64 bytes"),
            (#", "zones": {"a.test.": {"cname": "b\u0000.test."}}"#, #"zones["a.test."].cname"#, "contains a NUL byte"),
        ]
        for (fields, field, why) in cases {
            let text = refusal(scenario(fields))
            XCTAssertTrue(text.contains("scenarios[0] (s1).\(field)"), text)
            XCTAssertTrue(text.contains(why), text)
            XCTAssertFalse(text.contains("\n") || text.contains("\0"), "one printable line: \(text)")
        }
        func lookup(_ name: String) -> String {
            #"{"scenarios": [{"id": "s1", "title": "t", "why": "w", "resolv_conf": "", "lookup": {"name": "\#(name)"}}]}"#
        }
        var text = refusal(lookup(#"api\u0000.evil.test"#))
        XCTAssertTrue(text.contains(#"scenarios[0] (s1).lookup.name: "api\x00.evil.test" contains a NUL byte"#), text)
        text = refusal(lookup(String(repeating: "a.", count: 128)))
        XCTAssertTrue(text.contains("lookup.name: is 256 bytes; a name has at most 255"), text)
        text = refusal(scenario(#", "env": {"RES_OPTIONS": "ndots:1\u0000"}"#))
        XCTAssertTrue(text.contains("env.RES_OPTIONS: contains a NUL byte"), text)
        // At the limits: accepted. The lookup name is the resolver's to refuse
        // (a 64-byte label, a 254-byte name: the label-64 and name-254 scenarios).
        let longest = [l63, l63, l63, String(repeating: "m", count: 62)].joined(separator: ".")   // 254 bytes, 255 with the dot
        let longestZone = [l63, l63, l63, String(repeating: "m", count: 61)].joined(separator: ".")   // 255 bytes on the wire
        XCTAssertNoThrow(try parse(scenario(#", "zones": {"\#(l63).test.": {"A": []}, "\#(longestZone)": {"A": []}, "x.": {"cname": "\#(l63)."}}"#)))
        XCTAssertNoThrow(try parse(lookup("\(l64).example.test")))
        XCTAssertNoThrow(try parse(lookup(longest)))
    }

    /// RFC 1035 §2.3.4 counts a name's 255 bytes on the wire: one more than
    /// an absolute name's text ("a.b." is 1 a 1 b 0). A name the server holds
    /// of 255 text bytes with its final dot is 256 on the wire: refused.
    func testZoneNamesAreMeasuredOnTheWire() throws {
        let l63 = String(repeating: "l", count: 63)
        let wire256 = [l63, l63, l63, String(repeating: "m", count: 62)].joined(separator: ".") + "."   // 255 text bytes
        let wire255 = [l63, l63, l63, String(repeating: "m", count: 61)].joined(separator: ".") + "."   // 254 text bytes
        XCTAssertEqual(DNSScenarioParser.wireLength(wire256), 256)
        XCTAssertEqual(DNSScenarioParser.wireLength(wire255), 255)
        XCTAssertEqual(DNSScenarioParser.wireLength("."), 1)
        var text = refusal(scenario(#", "zones": {"\#(wire256)": {"A": []}}"#))
        XCTAssertTrue(text.contains("is 256 bytes on the wire"), text)
        text = refusal(scenario(#", "zones": {"x.": {"cname": "\#(wire256)"}}"#))
        XCTAssertTrue(text.contains(#"zones["x."].cname"#) && text.contains("is 256 bytes on the wire"), text)
        XCTAssertNoThrow(try parse(scenario(#", "zones": {"\#(wire255)": {"A": []}, "x.": {"cname": "\#(wire255)"}}"#)))
    }

    /// A NUL anywhere in the file's text is shown as \x00 in the one-line
    /// refusal, never written raw (a terminal or a log would cut the line there).
    func testANULInAnyRefusedValueIsShownEscaped() throws {
        let cases = [
            #", "zones": {"a.test.@127.0.0.2\u0000x": {"A": []}}"#,
            #", "zones": {"a.test.": {"A": ["10.0.0.1\u0000"]}}"#,
            #", "zones": {"a.test.": {"drop_types": ["A\u0000"]}}"#,
            #", "zones": {"a.test.": {"servers": ["127.0.0.2\u0000"]}}"#,
            #", "bogus\u0000key": 1"#,
        ]
        for fields in cases {
            let text = refusal(scenario(fields))
            XCTAssertFalse(text.contains("\0"), "a raw NUL in: \(text.replacingOccurrences(of: "\0", with: "<NUL>"))")
            XCTAssertTrue(text.contains("\\x00"), text.replacingOccurrences(of: "\0", with: "<NUL>"))
        }
        let lookup = refusal(#"{"scenarios": [{"id": "s1", "title": "t", "why": "w", "resolv_conf": "", "lookup": {"name": "x", "qtype": "A\u0000"}}]}"#)
        XCTAssertFalse(lookup.contains("\0")); XCTAssertTrue(lookup.contains("\\x00"), lookup)
    }

    /// `static-musl dns` refuses such a file before running anything: one
    /// line on stderr, exit 2.
    func testTheCLIRefusesABadNameWithOneLineAndExitTwo() throws {
        let cli = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("static-musl").path
        guard FileManager.default.isExecutableFile(atPath: cli) else { return XCTFail("\(cli) is missing: `swift build` first") }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("dns-bad-name-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try scenario(#", "zones": {"a\u0000b.test.": {"A": ["10.0.0.1"]}}"#).write(toFile: file, atomically: true, encoding: .utf8)
        let r = try ProcessRunner.run(cli, ["dns", "--scenarios", file, "--no-build"], timeout: 60)
        XCTAssertEqual(r.exitStatus, 2, r.stderr)
        let lines = r.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix(#"static-musl dns: scenario field scenarios[0] (s1).zones["a\x00b.test."]: zone name"#), r.stderr)
        XCTAssertEqual(r.stdout, "")
    }

    func testMissingAndDuplicateIds() {
        XCTAssertTrue(refusal(#"{"scenarios": [{"title": "t"}]}"#).contains("scenarios[0].id: missing"))
        let one = #"{"id": "dup", "title": "t", "why": "w", "resolv_conf": "", "lookup": {"name": "x"}}"#
        XCTAssertTrue(refusal(#"{"scenarios": [\#(one), \#(one)]}"#).contains(#"scenarios[1].id: duplicate id "dup""#))
        XCTAssertTrue(refusal(#"{"scenario": []}"#).contains("scenario: unknown field"))
    }
}
