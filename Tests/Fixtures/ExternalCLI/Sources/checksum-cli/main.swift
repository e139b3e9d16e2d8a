import ArgumentParser
import CChecksum

struct ChecksumCLI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checksum-cli", abstract: "Adler-32 of each word, computed by a C target.")

    @Flag(help: "Upper-case the words first.") var upper = false
    @Option(name: .shortAndLong, help: "Repeat the output this many times.") var count = 1
    @Argument(help: "Words to checksum.") var words: [String]

    func validate() throws {
        guard count > 0 else { throw ValidationError("--count must be positive") }
    }

    func run() {
        for _ in 0..<count {
            for word in words {
                let text = upper ? word.uppercased() : word
                let sum = Array(text.utf8).withUnsafeBufferPointer { cchecksum_adler32($0.baseAddress, $0.count) }
                print("\(text) \(String(sum, radix: 16))")
            }
        }
        print("c-target-libc: \(String(cString: cchecksum_libc()))")
    }
}

ChecksumCLI.main()
