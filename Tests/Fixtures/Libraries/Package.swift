// swift-tools-version:5.9
// Programs on the C libraries Foundation and packages link: URLSession
// (FoundationNetworking → libcurl and its TLS library), XMLParser
// (FoundationXML → libxml2) and SQLite through a systemLibrary target
// (→ libsqlite3). The musl variant builds each library from Debian's
// source package; the glibc variants link the system's (-dev packages).
// One package, so Foundation's modules build once for all three.
import PackageDescription
let package = Package(
    name: "Libraries",
    targets: [
        .executableTarget(name: "urlsession-client"),
        .executableTarget(name: "xml-parse"),
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .executableTarget(name: "sqlite-sum", dependencies: ["CSQLite"]),
        // libfrob exists nowhere: the musl link must fail naming -lfrob
        // unless `--lib frob=PATH/libfrob.a` supplies it.
        .systemLibrary(name: "CFrob"),
        .executableTarget(name: "needs-frob", dependencies: ["CFrob"]),
    ]
)
