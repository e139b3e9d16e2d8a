import ArgumentParser
import Foundation
import StaticMuslKit

/// `static-musl image`: a FROM scratch OCI image of one static binary (what `build --image` writes).
struct Image: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a FROM scratch OCI image (an oci-archive tar) of a static binary.",
        discussion: """
        The binary is the entrypoint, at /NAME; --with adds only what it names, from this machine:
        certs (/etc/ssl/certs/ca-certificates.crt), passwd (/etc/passwd and /etc/group with root,
        nobody and nonroot 65532), tzdata (/usr/share/zoneinfo). The same inputs give a
        byte-identical archive. Prints one JSON object: the layer's compressed and uncompressed
        sizes and the digests. `podman run oci-archive:IMAGE.tar` and `skopeo inspect` read it.
        """)

    @Option(help: ArgumentHelp("The static binary.", valueName: "FILE"))
    var binary: String
    @Option(help: ArgumentHelp("Where to write the image.", valueName: "IMAGE.tar"))
    var out: String
    @Option(help: ArgumentHelp("What to add: certs, passwd, tzdata (commas allowed).", valueName: "LIST"))
    var with: [String] = []
    @Option(help: "The binary's name in the image (default: the file's name).")
    var name: String?
    @Option(help: "The image's tag.")
    var tag = "latest"

    func run() throws {
        let info: Manifest.ImageInfo
        do {
            let additions = try with.flatMap { try OCIImage.Addition.parseList($0) }
            info = try OCIImage(binary: binary, name: name, tag: tag, with: additions).write(to: out)
        } catch { throw CLIFailure(error) }
        print(String(decoding: try JSONCoding.pretty(info), as: UTF8.self))
    }
}
