import ArgumentParser
import StaticMuslKit

struct DNSServe: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "_dns-serve", abstract: "Internal: the scripted DNS server the lab starts inside a namespace.", shouldDisplay: false)
    func run() throws {
        throw ValidationError("'_dns-serve' is not implemented yet")
    }
}
