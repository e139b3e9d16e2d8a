// swift-tools-version:5.9
// Test fixture for the size suite: one program that formats a date with
// DateFormatter, which pulls FoundationInternationalization and ICU into a
// static link, and its twin that prints the same line without that reference.
import PackageDescription

let package = Package(
    name: "DateOnce",
    products: [
        .executable(name: "date-once", targets: ["DateOnce"]),
        .executable(name: "date-once-twin", targets: ["DateOnceTwin"]),
    ],
    targets: [
        .executableTarget(name: "DateOnce"),
        .executableTarget(name: "DateOnceTwin"),
    ]
)
