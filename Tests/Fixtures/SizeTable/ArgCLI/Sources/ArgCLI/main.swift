import ArgumentParser
struct Greet: ParsableCommand {
    @Option(help: "Who to greet") var name = "world"
    @Flag var shout = false
    func run() { let s = "hello, \(name)"; print(shout ? s.uppercased() : s) }
}
Greet.main()
