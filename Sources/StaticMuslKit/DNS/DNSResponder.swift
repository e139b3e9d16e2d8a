import Foundation

/// One query as the scripted server saw it. The lab's results carry these.
public struct DNSQueryRecord: Codable, Equatable, Sendable {
    public var server: String          // the nameserver address the query was sent to
    public var transport: String       // "udp" or "tcp"
    public var type: String            // "A", "AAAA", … or "MALFORMED"
    public var name: String            // as sent, absolute ("api.example.com.")
    public var edns: Int?              // the advertised EDNS UDP size, nil without EDNS
    public var flags: [String]         // header flags of the query ("rd", "ad", "cd")
    public var response: String        // what the server did: "NOERROR 2 answers", "dropped", "FORMERR", …
    public var tMs: Int                // milliseconds since the probe started (informational)

    enum CodingKeys: String, CodingKey {
        case server, transport, type, name, edns, flags, response
        case tMs = "t_ms"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(server, forKey: .server); try c.encode(transport, forKey: .transport)
        try c.encode(type, forKey: .type); try c.encode(name, forKey: .name)
        try c.encode(edns, forKey: .edns)   // null without EDNS, as the report shape says
        try c.encode(flags, forKey: .flags); try c.encode(response, forKey: .response); try c.encode(tMs, forKey: .tMs)
    }
}

/// The scripted server's decisions, as a pure function of (query bytes,
/// server address, transport). No sockets here: unit tests call it directly.
public struct DNSResponder: Sendable {
    public enum Transport: String, Sendable { case udp, tcp }
    public enum Action: Equatable, Sendable {
        case reply([UInt8], delayMs: Int)
        case drop
    }

    /// The largest UDP payload over IPv4 (65,535 − 8 − 20).
    public static let maxUDPPayload = 65_507

    public var scenario: DNSScenario
    /// Counts the record encodings of every reply (tests only).
    public var meter: DNSEncodingMeter?
    public init(scenario: DNSScenario, meter: DNSEncodingMeter? = nil) { self.scenario = scenario; self.meter = meter }

    /// Decides the answer and describes the query for the log.
    public func handle(_ bytes: [UInt8], server: String, transport: Transport, tMs: Int = 0) -> (DNSQueryRecord, Action) {
        var record = DNSQueryRecord(server: server, transport: transport.rawValue, type: "MALFORMED", name: "",
                                    edns: nil, flags: [], response: "", tMs: tMs)
        let query: DNSMessage
        do { query = try DNSMessage(bytes: bytes) } catch {
            // The bytes after the header name the query in the log, so a
            // malformed name still counts in the sequence of queried names.
            record.name = "malformed:" + bytes.dropFirst(12).prefix(48).map { String(format: "%02x", $0) }.joined()
            record.response = "FORMERR (\(error))"
            guard bytes.count >= 12 else { record.response = "ignored (\(error))"; return (record, .drop) }
            return (record, .reply(Self.formerr(id: UInt16(bytes[0]) << 8 | UInt16(bytes[1]), flags: UInt16(bytes[2]) << 8 | UInt16(bytes[3])), delayMs: 0))
        }
        record.flags = query.flagNames
        record.edns = query.ednsUDPSize
        guard !query.isResponse, query.questions.count == 1, let q = query.questions.first else {
            record.response = query.isResponse ? "FORMERR (QR set in a query)" : "FORMERR (\(query.questions.count) questions)"
            return (record, .reply(Self.formerr(id: query.id, flags: query.flags), delayMs: 0))
        }
        record.type = DNSType.name(q.type)
        record.name = q.name
        var reply = DNSMessage(id: query.id, flags: DNSMessage.qrBit | (query.flags & (0x7800 | DNSMessage.rdBit | DNSMessage.cdBit)))
        reply.questions = [q]
        if query.ednsUDPSize != nil { reply.additional = [.opt(udpSize: 1232)] }
        guard query.opcode == 0 else {
            reply.flags |= UInt16(DNSRcode.notimp.rawValue)
            record.response = "NOTIMP"
            return (record, .reply(reply.encode(), delayMs: 0))
        }

        let entry = scenario.entry(for: q.name, server: server)
        if let e = entry, e.drop || e.dropTypes.contains(q.type) {
            record.response = "dropped"
            return (record, .drop)
        }
        if entry?.ra ?? true { reply.flags |= DNSMessage.raBit }
        if entry?.aa ?? false { reply.flags |= DNSMessage.aaBit }
        if entry?.ad ?? false { reply.flags |= DNSMessage.adBit }
        var rcode = DNSRcode.noerror
        if let e = entry {
            if let r = e.rcode, r != .noerror {
                rcode = r
            } else {
                (reply.answers, rcode) = answers(for: q, entry: e, server: server)
            }
        } else {
            rcode = scenario.defaultRcode
        }
        reply.flags |= UInt16(rcode.rawValue)

        if transport == .udp, entry?.truncate ?? false {
            reply.flags |= DNSMessage.tcBit
            reply.answers = []
            record.response = "\(rcode.name) TC=1 (forced), 0 answers"
        }
        // UDP: 512 bytes, or the query's EDNS size (at most what one
        // datagram holds). TCP: what the 2-byte length prefix frames.
        // Over the limit, the whole records that fit and TC=1 (RFC 2181 §9;
        // BIND does the same over TCP).
        let limit = transport == .udp ? min(max(512, query.ednsUDPSize ?? 512), Self.maxUDPPayload) : DNSMessage.maxSize
        var out = reply.encoded(limit: limit, meter: meter)
        if out.truncated, transport == .udp, scenario.truncation == .empty {
            // BIND's and Unbound's way: no partial RRset, only TC=1.
            reply.answers = []
            reply.flags |= DNSMessage.tcBit
            out = reply.encoded(limit: limit, meter: meter)
            record.response = "\(rcode.name) TC=1 (over \(limit) bytes, answer section empty), 0 answers"
        } else if out.truncated {
            record.response = "\(rcode.name) TC=1 (over \(limit) bytes), \(out.answers) answers"
        } else if record.response.isEmpty {
            record.response = "\(rcode.name), \(out.answers) answers"
        }
        let delay = entry.map { $0.delayMs > 0 ? $0.delayMs : scenario.delayMs } ?? scenario.delayMs
        if delay > 0 { record.response += ", delayed \(delay) ms" }
        return (record, .reply(out.bytes, delayMs: delay))
    }

    /// The answer section for q: a CNAME chain (as long as the zone says),
    /// then the records of the final name for the query's type.
    func answers(for q: DNSMessage.Question, entry: DNSZoneEntry, server: String) -> ([DNSMessage.Record], DNSRcode) {
        var out: [DNSMessage.Record] = []
        var name = q.name, current = entry, seen: Set<String> = [name]
        while let target = current.cname, q.type != DNSType.cname {
            out.append(.init(name: name, type: DNSType.cname, target: target))
            guard seen.insert(target).inserted, out.count < 64 else { return (out, .noerror) }
            name = target
            guard let next = scenario.entry(for: target, server: server) else { return (out, scenario.defaultRcode) }
            if let r = next.rcode, r != .noerror { return (out, r) }
            current = next
        }
        if q.type == DNSType.cname, let target = current.cname {
            return ([.init(name: name, type: DNSType.cname, target: target)], .noerror)
        }
        if q.type == DNSType.a || q.type == DNSType.any {
            out += current.a.compactMap { DNSMessage.Record.address(name, $0) }
        }
        if q.type == DNSType.aaaa || q.type == DNSType.any {
            out += current.aaaa.compactMap { DNSMessage.Record.address(name, $0) }
        }
        return (out, .noerror)
    }

    static func formerr(id: UInt16, flags: UInt16) -> [UInt8] {
        DNSMessage(id: id, flags: DNSMessage.qrBit | (flags & 0x7800) | UInt16(DNSRcode.formerr.rawValue)).encode()
    }
}
