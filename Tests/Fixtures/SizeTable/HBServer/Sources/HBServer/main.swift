import Hummingbird

// A Hummingbird hello server. `--once` only builds the application and
// exits: the smoke check of build-static.sh --diet.
let router = Router()
router.get("/") { _, _ in "hello\n" }
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 8080)))
if CommandLine.arguments.contains("--once") {
    print("built")
} else {
    try await app.runService()
}
