import Foundation
import XCTest
@testable import StaticMuslKit

/// Feeds mutated ELF files to the parser and the whole inspect analysis,
/// in-process. A trap (overflow, out-of-range index, force-unwrap) would
/// kill the test process, so "the test finished" is itself the main
/// assertion; a watchdog turns a hang into a failure. Deterministic seeds.
final class InspectFuzzTests: XCTestCase {
    /// 10,000 by default; STATIC_MUSL_FUZZ_ITERATIONS runs a longer campaign by hand.
    static let iterations = max(10_000, Int(ProcessInfo.processInfo.environment["STATIC_MUSL_FUZZ_ITERATIONS"] ?? "") ?? 0)
    static let rngSeed = UInt64(ProcessInfo.processInfo.environment["STATIC_MUSL_FUZZ_SEED"] ?? "") ?? 0x5eed_e1f

    func testTenThousandMutatedELFFilesNeverCrashOrHang() throws {
        let seeds = try [(CVariant.muslStatic, false), (.glibcDynamic, true), (.muslStaticPie, true), (.glibcStaticPie, true)]
            .map { try [UInt8](Data(contentsOf: URL(fileURLWithPath: InspectTestSupport.cBinary($0.0, strip: $0.1)))) }
        // The glibc static-pie seed is large (~700 KB); keep most iterations on the small seeds.
        let weights = [4, 4, 4, 1]
        final class Tally: @unchecked Sendable {
            var parsed = 0, inspected = 0, elfErrors = 0, classifyErrors = 0, iterations = 0
            var unexpected: [String] = []
        }
        let tally = Tally()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            var rng = SplitMix64(seed: Self.rngSeed)
            let schedule = weights.enumerated().flatMap { Array(repeating: $0.offset, count: $0.element) }
            for i in 0..<Self.iterations {
                let seed = seeds[schedule[i % schedule.count]]
                let mutant = Mutator.mutate(seed, &rng)
                do {
                    let elf = try ELFFile(bytes: mutant)
                    tally.parsed += 1
                    _ = try InspectSuite.inspect(elf, path: "mutant-\(i)")
                    // The queries other suites use must hold up too.
                    for s in elf.sections.prefix(64) { _ = try? elf.bytes(of: s); _ = try? elf.relocations(in: s) }
                    _ = elf.bytes(atAddress: elf.header.entry, count: 32)
                    tally.inspected += 1
                } catch let e as ELFError {
                    tally.elfErrors += 1
                    if e.description.isEmpty { tally.unexpected.append("iteration \(i): empty description") }
                } catch is ClassifyError {
                    tally.classifyErrors += 1
                } catch {
                    tally.unexpected.append("iteration \(i): untyped error \(type(of: error)): \(error)")
                }
                tally.iterations = i + 1
            }
            done.signal()
        }
        thread.stackSize = 8 << 20
        let start = Date()
        thread.start()
        guard done.wait(timeout: .now() + 300) == .success else {
            return XCTFail("fuzzing hung: stuck after \(tally.iterations) of \(Self.iterations) mutants")
        }
        let seconds = Date().timeIntervalSince(start)
        print("fuzz (seed \(Self.rngSeed)): \(tally.iterations) mutants in \(String(format: "%.1f", seconds)) s: parsed \(tally.parsed) (inspected \(tally.inspected)), ELFError \(tally.elfErrors), ClassifyError \(tally.classifyErrors)")
        XCTAssertEqual(tally.iterations, Self.iterations)
        XCTAssertEqual(tally.unexpected, [])
        // Not vacuous: both outcomes happen often.
        XCTAssertGreaterThan(tally.parsed, Self.iterations / 20)
        XCTAssertGreaterThan(tally.elfErrors, Self.iterations / 20)
    }

    func testMutatorIsDeterministic() {
        var a = SplitMix64(seed: 7), b = SplitMix64(seed: 7)
        let base = [UInt8](repeating: 0, count: 256)
        XCTAssertEqual(Mutator.mutate(base, &a), Mutator.mutate(base, &b))
    }
}

struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
}

/// Structure-aware mutations: most target the header, program and section
/// header tables (where offsets and counts live), some hit random bytes,
/// some truncate.
enum Mutator {
    static let interesting: [UInt64] = [0, 1, 0xff, 0xffff, 0xffff_ffff, 0x7fff_ffff_ffff_ffff, 0x8000_0000_0000_0000, .max,
                                        24, 56, 64, 0x1000, 0xffff_fff0]

    static func mutate(_ seed: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var b = seed
        let count = 1 + rng.below(4)
        for _ in 0..<count {
            switch rng.below(10) {
            case 0: // truncate
                b = Array(b.prefix(rng.below(b.count + 1)))
            case 1, 2: // random bytes anywhere
                for _ in 0..<(1 + rng.below(8)) where !b.isEmpty { b[rng.below(b.count)] = UInt8(truncatingIfNeeded: rng.next()) }
            default: // a header or table field, set to an interesting or random value
                guard let offset = fieldOffset(b, &rng) else { continue }
                let width = [1, 2, 4, 8][rng.below(4)]
                var value = rng.below(2) == 0 ? interesting[rng.below(interesting.count)] : rng.next()
                if rng.below(4) == 0 { value = UInt64(b.count) &+ UInt64(bitPattern: Int64(rng.below(64) - 32)) }
                for k in 0..<width where offset + k < b.count { b[offset + k] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(k))) }
            }
        }
        return b
    }

    /// A byte offset inside the ELF header, a program header or a section header.
    static func fieldOffset(_ b: [UInt8], _ rng: inout SplitMix64) -> Int? {
        guard b.count >= 64 else { return b.isEmpty ? nil : rng.below(b.count) }
        func u64(_ o: Int) -> Int { (0..<8).reduce(0) { $0 | Int(b[o + $1]) << (8 * $1) } & 0x7fff_ffff }
        func u16(_ o: Int) -> Int { Int(b[o]) | Int(b[o + 1]) << 8 }
        switch rng.below(3) {
        case 0: return rng.below(64)
        case 1:
            let phoff = u64(32), phnum = max(1, u16(56))
            let o = phoff + rng.below(phnum) * 56 + rng.below(56)
            return o < b.count ? o : rng.below(64)
        default:
            let shoff = u64(40), shnum = max(1, u16(60))
            let o = shoff + rng.below(shnum) * 64 + rng.below(64)
            return o < b.count ? o : rng.below(64)
        }
    }
}
