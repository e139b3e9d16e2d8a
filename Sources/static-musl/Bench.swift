import ArgumentParser
import StaticMuslKit

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Benchmarks (malloc throughput under threads).")
    func run() throws {
        throw ValidationError("'bench' is not implemented yet")
    }
}
