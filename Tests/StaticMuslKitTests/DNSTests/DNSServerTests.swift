import Foundation
import XCTest
@testable import StaticMuslKit

/// The scripted server on real sockets (127.0.0.1, a high port; no
/// namespace, no root): answers that do not fit a TCP frame.
final class DNSServerTests: XCTestCase {
    /// A name with `count` A records (10.x.y.z, all different).
    func scenario(records count: Int) throws -> DNSScenario {
        let ips = (0..<count).map { "\"10.\($0 >> 16 & 0xff).\($0 >> 8 & 0xff).\($0 & 0xff)\"" }.joined(separator: ",")
        let json = #"{"scenarios": [{"id": "big", "title": "t", "why": "w", "resolv_conf": "nameserver 127.0.0.1\n", "#
            + #""zones": {"big.test.": {"A": [\#(ips)]}, "small.test.": {"A": ["10.9.9.9"]}}, "lookup": {"name": "big.test"}}]}"#
        return try DNSScenarioParser.parse(data: Data(json.utf8))[0]
    }

    /// Binds the server on a free high port of 127.0.0.1.
    func startServer(_ s: DNSScenario) throws -> (DNSServer, UInt16) {
        var lastError: Error?
        for _ in 0..<20 {
            let port = UInt16.random(in: 20_000...60_000)
            do {
                let server = try DNSServer(scenario: s, address: "127.0.0.1", port: Int(port))
                server.start()
                return (server, port)
            } catch { lastError = error }
        }
        throw lastError ?? DNSError.serverFailed("no free port")
    }

    func query(_ name: String, id: UInt16) -> [UInt8] {
        var q = DNSMessage(id: id, flags: DNSMessage.rdBit)
        q.questions = [.init(name: name, type: DNSType.a)]
        return q.encode()
    }

    /// One query over TCP, the framed answer back (nil: connection closed first).
    func tcpExchange(port: UInt16, _ message: [UInt8]) throws -> [UInt8]? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw DNSError.serverFailed("socket: \(errno)") }
        defer { close(fd) }
        var tv = timeval(tv_sec: 20, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { throw DNSError.serverFailed("connect: \(errno)") }
        let framed = [UInt8(message.count >> 8), UInt8(message.count & 0xff)] + message
        _ = framed.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        func read(_ n: Int) -> [UInt8]? {
            var out: [UInt8] = [], buf = [UInt8](repeating: 0, count: 65_536)
            while out.count < n {
                let r = recv(fd, &buf, n - out.count, 0)
                if r <= 0 { return nil }
                out += buf[0..<r]
            }
            return out
        }
        guard let len = read(2) else { return nil }
        return read(Int(len[0]) << 8 | Int(len[1]))
    }

    /// 4,100 A records take 65,632 bytes: more than the 2-byte TCP length
    /// prefix can say. The server used to trap ("Not enough bits to represent
    /// the passed value", SIGILL); now it sends the whole records that fit,
    /// with TC=1, as BIND does, and keeps serving.
    func testTCPAnswerOver65535BytesIsCutToWholeRecordsWithTC() throws {
        let (server, port) = try startServer(try scenario(records: 4_100))
        defer { server.stop() }
        let bytes = try XCTUnwrap(try tcpExchange(port: port, query("big.test.", id: 0x4242)), "no answer over TCP")
        XCTAssertLessThanOrEqual(bytes.count, 65_535)
        let reply = try DNSMessage(bytes: bytes)
        XCTAssertEqual(reply.id, 0x4242)
        XCTAssertNotEqual(reply.flags & DNSMessage.tcBit, 0, "TC must say records were left out")
        // 12 (header) + 14 (question) + 16 per compressed A record: 4,094 fit.
        XCTAssertEqual(reply.answers.count, (65_535 - 12 - 14) / 16)
        XCTAssertEqual(reply.answers.first?.data, [10, 0, 0, 0])
        XCTAssertTrue(reply.answers.allSatisfy { $0.name == "big.test." && $0.type == DNSType.a && $0.data.count == 4 })
        // The server lives on.
        let small = try DNSMessage(bytes: try XCTUnwrap(try tcpExchange(port: port, query("small.test.", id: 7))))
        XCTAssertEqual(small.answers.map(\.data), [[10, 9, 9, 9]])
        XCTAssertEqual(small.flags & DNSMessage.tcBit, 0)
        let log = server.collect()
        XCTAssertEqual(log.map(\.response), ["NOERROR TC=1 (over 65535 bytes), 4094 answers", "NOERROR, 1 answers"])
        XCTAssertEqual(log.map(\.transport), ["tcp", "tcp"])
    }
}
