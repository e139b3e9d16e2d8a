import Foundation

/// A DNS message (RFC 1035), just what the lab's scripted server needs:
/// header, questions, resource records and the EDNS OPT pseudo-record.
/// Parsing is bounds-checked and throws `DNSWireError`; it never traps.
public struct DNSMessage: Equatable, Sendable {
    public struct Question: Equatable, Sendable {
        public var name: String      // lower-cased, absolute ("a.b.")
        public var type: UInt16
        public var qclass: UInt16
        public init(name: String, type: UInt16, qclass: UInt16 = 1) { self.name = name; self.type = type; self.qclass = qclass }
    }
    public struct Record: Equatable, Sendable {
        public var name: String
        public var type: UInt16
        public var rclass: UInt16
        public var ttl: UInt32
        public var data: [UInt8]     // raw rdata; CNAME targets use `target`
        public var target: String?   // for CNAME, encoded as a (compressible) name
        public init(name: String, type: UInt16, rclass: UInt16 = 1, ttl: UInt32 = 60, data: [UInt8] = [], target: String? = nil) {
            self.name = name; self.type = type; self.rclass = rclass; self.ttl = ttl; self.data = data; self.target = target
        }
    }

    public var id: UInt16 = 0
    public var flags: UInt16 = 0
    public var questions: [Question] = []
    public var answers: [Record] = []
    public var authority: [Record] = []
    public var additional: [Record] = []

    public init(id: UInt16 = 0, flags: UInt16 = 0) { self.id = id; self.flags = flags }

    // Header bits.
    public static let qrBit: UInt16 = 0x8000, aaBit: UInt16 = 0x0400, tcBit: UInt16 = 0x0200
    public static let rdBit: UInt16 = 0x0100, raBit: UInt16 = 0x0080, adBit: UInt16 = 0x0020, cdBit: UInt16 = 0x0010
    public var opcode: Int { Int(flags >> 11) & 0xf }
    public var rcode: Int { Int(flags & 0xf) }
    public var isResponse: Bool { flags & Self.qrBit != 0 }

    /// The EDNS UDP payload size, when the message carries an OPT record.
    public var ednsUDPSize: Int? {
        additional.first(where: { $0.type == DNSType.opt }).map { Int($0.rclass) }
    }

    /// Names of the flags set, lower-case, in header order (for the query log).
    public var flagNames: [String] {
        [(Self.aaBit, "aa"), (Self.tcBit, "tc"), (Self.rdBit, "rd"), (Self.raBit, "ra"), (Self.adBit, "ad"), (Self.cdBit, "cd")]
            .filter { flags & $0.0 != 0 }.map { $0.1 }
    }
}

public enum DNSType {
    public static let a: UInt16 = 1, ns: UInt16 = 2, cname: UInt16 = 5, soa: UInt16 = 6, ptr: UInt16 = 12
    public static let mx: UInt16 = 15, txt: UInt16 = 16, aaaa: UInt16 = 28, srv: UInt16 = 33, opt: UInt16 = 41, any: UInt16 = 255
    static let names: [UInt16: String] = [1: "A", 2: "NS", 5: "CNAME", 6: "SOA", 12: "PTR", 15: "MX", 16: "TXT",
                                          28: "AAAA", 33: "SRV", 41: "OPT", 255: "ANY"]
    public static func name(_ t: UInt16) -> String { names[t] ?? "TYPE\(t)" }
}

public enum DNSRcode: Int, CaseIterable, Sendable {
    case noerror = 0, formerr = 1, servfail = 2, nxdomain = 3, notimp = 4, refused = 5
    public var name: String { String(describing: self).uppercased() }
    public init?(name: String) {
        guard let c = DNSRcode.allCases.first(where: { $0.name == name.uppercased() }) else { return nil }
        self = c
    }
}

public enum DNSWireError: Error, Equatable, CustomStringConvertible {
    case tooShort(Int)
    case truncatedAt(Int, String)
    case badLabel(Int)
    case pointerLoop(Int)
    case nameTooLong

    public var description: String {
        switch self {
        case .tooShort(let n): return "message of \(n) bytes is shorter than the 12-byte header"
        case .truncatedAt(let at, let what): return "message ends inside the \(what) at offset \(at)"
        case .badLabel(let at): return "invalid label type at offset \(at)"
        case .pointerLoop(let at): return "compression pointer loop at offset \(at)"
        case .nameTooLong: return "name longer than 255 bytes"
        }
    }
}

extension DNSMessage {
    // MARK: decoding

    public init(bytes: [UInt8]) throws {
        guard bytes.count >= 12 else { throw DNSWireError.tooShort(bytes.count) }
        var r = Reader(bytes: bytes, pos: 0)
        id = try r.u16("header"); flags = try r.u16("header")
        let qd = try r.u16("header"), an = try r.u16("header"), ns = try r.u16("header"), ar = try r.u16("header")
        questions = []; answers = []; authority = []; additional = []
        for _ in 0..<qd {
            let name = try r.name()
            questions.append(Question(name: name, type: try r.u16("question"), qclass: try r.u16("question")))
        }
        answers = try (0..<an).map { _ in try r.record() }
        authority = try (0..<ns).map { _ in try r.record() }
        additional = try (0..<ar).map { _ in try r.record() }
    }

    struct Reader {
        let bytes: [UInt8]
        var pos: Int
        mutating func u8(_ what: String) throws -> UInt8 {
            guard pos < bytes.count else { throw DNSWireError.truncatedAt(pos, what) }
            defer { pos += 1 }
            return bytes[pos]
        }
        mutating func u16(_ what: String) throws -> UInt16 { UInt16(try u8(what)) << 8 | UInt16(try u8(what)) }
        mutating func u32(_ what: String) throws -> UInt32 { UInt32(try u16(what)) << 16 | UInt32(try u16(what)) }

        /// Reads a possibly compressed name; returns it lower-cased and absolute.
        mutating func name() throws -> String {
            var labels: [String] = []
            var p = pos, jumped = false, hops = 0, length = 1
            while true {
                guard p < bytes.count else { throw DNSWireError.truncatedAt(p, "name") }
                let l = Int(bytes[p])
                switch l & 0xc0 {
                case 0xc0:
                    guard p + 1 < bytes.count else { throw DNSWireError.truncatedAt(p, "name") }
                    hops += 1
                    guard hops < 64 else { throw DNSWireError.pointerLoop(p) }
                    if !jumped { pos = p + 2 }
                    jumped = true
                    p = (l & 0x3f) << 8 | Int(bytes[p + 1])
                case 0x00:
                    if l == 0 {
                        if !jumped { pos = p + 1 }
                        return labels.isEmpty ? "." : labels.joined(separator: ".") + "."
                    }
                    guard p + 1 + l <= bytes.count else { throw DNSWireError.truncatedAt(p, "name") }
                    length += l + 1
                    guard length <= 255 else { throw DNSWireError.nameTooLong }
                    let label = String(decoding: bytes[(p + 1)...(p + l)], as: UTF8.self)
                    labels.append(label.lowercased())
                    p += l + 1
                default:
                    throw DNSWireError.badLabel(p)
                }
            }
        }

        mutating func record() throws -> Record {
            let name = try name()
            let type = try u16("record"), rclass = try u16("record"), ttl = try u32("record")
            let len = Int(try u16("record"))
            guard pos + len <= bytes.count else { throw DNSWireError.truncatedAt(pos, "record data") }
            var rec = Record(name: name, type: type, rclass: rclass, ttl: ttl, data: Array(bytes[pos..<(pos + len)]))
            if type == DNSType.cname {
                var sub = Reader(bytes: bytes, pos: pos)
                rec.target = try sub.name()
                rec.data = []
            }
            pos += len
            return rec
        }
    }

    // MARK: encoding

    /// The largest message any transport can carry: TCP frames it with a
    /// 2-byte length (RFC 1035 §4.2.2), and a UDP datagram holds less.
    public static let maxSize = 65_535

    /// A message on the wire, with what was left out to fit.
    public struct Encoded: Equatable, Sendable {
        public var bytes: [UInt8]
        /// Answer records written (all of them unless `truncated`).
        public var answers: Int
        /// Authority records written.
        public var authority: Int
        /// Records were left out to stay within the limit; TC is set in `bytes`.
        public var truncated: Bool
    }

    /// Wire bytes, with name compression; never more than 65,535 bytes
    /// (see `encoded(limit:meter:)`).
    public func encode() -> [UInt8] { encoded(limit: Self.maxSize).bytes }

    /// Wire bytes no longer than `limit` (itself at most 65,535): the header,
    /// the questions, as many whole answer and then authority records as fit,
    /// and the whole additional section (the OPT record), whose room is kept
    /// first. When records are left out, TC is set. This is what BIND does
    /// over UDP and TCP alike (`ns_client_send` renders the answer section
    /// with DNS_MESSAGERENDER_PARTIAL and sets TC on ISC_R_NOSPACE).
    ///
    /// Linear in the records written: each record is encoded once, in order,
    /// and encoding stops at the first one that does not fit (compression
    /// points only backwards, so a prefix encodes the same in any message).
    /// `meter`, when given, counts the record encodings.
    public func encoded(limit: Int, meter: DNSEncodingMeter? = nil) -> Encoded {
        let limit = min(limit, Self.maxSize)
        var w = Writer(meter: meter)
        w.u16(id); w.u16(flags)
        // The section counts are written once the records are known.
        for _ in 0..<4 { w.u16(0) }
        for q in questions { w.name(q.name); w.u16(q.type); w.u16(q.qclass) }
        // The additional section (in the lab: the OPT record) is always sent;
        // its uncompressed size is an upper bound of what it will take.
        let reserved = additional.reduce(0) { $0 + Self.uncompressedSize($1) }
        var kept = 0, truncated = false
        for r in answers + authority {
            let mark = w.bytes.count
            if w.record(r), w.bytes.count + reserved <= limit {
                kept += 1
                continue
            }
            w.rollback(to: mark)
            truncated = true
            break
        }
        for r in additional { _ = w.record(r) }
        let an = min(kept, answers.count), ns = kept - an
        w.set(4, UInt16(clamping: questions.count)); w.set(6, UInt16(clamping: an))
        w.set(8, UInt16(clamping: ns)); w.set(10, UInt16(clamping: additional.count))
        if truncated { w.bytes[2] |= UInt8(Self.tcBit >> 8) }
        return Encoded(bytes: w.bytes, answers: an, authority: ns, truncated: truncated)
    }

    /// A record's size without any compression: an upper bound of its size
    /// anywhere in a message.
    static func uncompressedSize(_ r: Record) -> Int {
        func nameSize(_ n: String) -> Int {
            n.split(separator: ".", omittingEmptySubsequences: true).reduce(1) { $0 + 1 + min(63, $1.utf8.count) }
        }
        return nameSize(r.name) + 10 + (r.target.map(nameSize) ?? r.data.count)
    }

    struct Writer {
        var bytes: [UInt8] = []
        var offsets: [String: Int] = [:]
        var meter: DNSEncodingMeter?
        init(meter: DNSEncodingMeter? = nil) { self.meter = meter }
        mutating func u16(_ v: UInt16) { bytes += [UInt8(v >> 8), UInt8(v & 0xff)] }
        mutating func u32(_ v: UInt32) { u16(UInt16(v >> 16)); u16(UInt16(v & 0xffff)) }
        mutating func set(_ at: Int, _ v: UInt16) { bytes[at] = UInt8(v >> 8); bytes[at + 1] = UInt8(v & 0xff) }
        /// Forgets everything written from `mark` on, names offered for compression included.
        mutating func rollback(to mark: Int) {
            bytes.removeSubrange(mark...)
            offsets = offsets.filter { $0.value < mark }
        }
        mutating func name(_ n: String) {
            var labels = n.split(separator: ".", omittingEmptySubsequences: true).map(String.init)
            while !labels.isEmpty {
                let key = labels.joined(separator: ".").lowercased()
                // A pointer holds a 14-bit offset: only names within the first 16 KiB can be pointed at.
                if let off = offsets[key], off < 0x3fff { u16(0xc000 | UInt16(off)); return }
                if bytes.count < 0x3fff { offsets[key] = bytes.count }
                let label = Array(labels.removeFirst().utf8.prefix(63))
                bytes.append(UInt8(label.count)); bytes += label
            }
            bytes.append(0)
        }
        /// Appends one record; false (and nothing sensible written) when its
        /// data cannot be framed by a 2-byte RDLENGTH.
        mutating func record(_ r: Record) -> Bool {
            meter?.count()
            guard r.data.count <= 0xffff else { return false }
            name(r.name); u16(r.type); u16(r.rclass); u32(r.ttl)
            if let target = r.target {
                let lenAt = bytes.count
                u16(0); name(target)
                let len = bytes.count - lenAt - 2
                guard len <= 0xffff else { return false }
                set(lenAt, UInt16(len))
            } else {
                u16(UInt16(r.data.count)); bytes += r.data
            }
            return true
        }
    }
}

/// Counts record encodings (tests use it to show that building a truncated
/// answer is linear in the records, without timing anything).
public final class DNSEncodingMeter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    public init() {}
    public var records: Int { lock.lock(); defer { lock.unlock() }; return n }
    func count() { lock.lock(); n += 1; lock.unlock() }
}

extension DNSMessage.Record {
    /// An A or AAAA record from a textual address; nil if it does not parse.
    public static func address(_ name: String, _ text: String, ttl: UInt32 = 60) -> DNSMessage.Record? {
        if let v4 = IPAddressText.v4(text) { return .init(name: name, type: DNSType.a, ttl: ttl, data: v4) }
        if let v6 = IPAddressText.v6(text) { return .init(name: name, type: DNSType.aaaa, ttl: ttl, data: v6) }
        return nil
    }
    public static func opt(udpSize: UInt16) -> DNSMessage.Record {
        .init(name: ".", type: DNSType.opt, rclass: udpSize, ttl: 0)
    }
}

/// Strict textual address parsing (inet_pton semantics), without libc.
public enum IPAddressText {
    public static func v4(_ s: String) -> [UInt8]? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var out: [UInt8] = []
        for p in parts {
            guard !p.isEmpty, p.count <= 3, p.allSatisfy({ $0.isASCII && $0.isNumber }), let v = UInt8(p),
                  !(p.count > 1 && p.hasPrefix("0")) else { return nil }
            out.append(v)
        }
        return out
    }

    public static func v6(_ s: String) -> [UInt8]? {
        guard s.contains(":") else { return nil }
        var text = s
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard let v4 = v4(String(text[text.index(after: lastColon)...])) else { return nil }
            let hi = String(UInt16(v4[0]) << 8 | UInt16(v4[1]), radix: 16), lo = String(UInt16(v4[2]) << 8 | UInt16(v4[3]), radix: 16)
            text = String(text[...lastColon]) + hi + ":" + lo
        }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ h: String) -> [UInt16]? {
            if h.isEmpty { return [] }
            var out: [UInt16] = []
            for g in h.split(separator: ":", omittingEmptySubsequences: false) {
                guard !g.isEmpty, g.count <= 4, let v = UInt16(g, radix: 16) else { return nil }
                out.append(v)
            }
            return out
        }
        guard let head = groups(halves[0]) else { return nil }
        let want = 8
        var all: [UInt16]
        if halves.count == 2 {
            guard let back = groups(halves[1]), head.count + back.count < want else { return nil }
            all = head + Array(repeating: 0, count: want - head.count - back.count) + back
        } else {
            guard head.count == want else { return nil }
            all = head
        }
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] }
    }

    /// True for 127.0.0.0/8 and ::1.
    public static func isLoopback(_ s: String) -> Bool {
        if let v4 = v4(s) { return v4[0] == 127 }
        if let v6 = v6(s) { return v6 == Array(repeating: 0, count: 15) + [1] }
        return false
    }
}
