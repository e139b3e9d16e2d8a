import XCTest
@testable import StaticMuslKit

/// The CLI sets aside inspect's later operands before ArgumentParser sees
/// them; options, their values and the order of the operands must survive.
final class BulkOperandsTests: XCTestCase {
    let values: Set<String> = ["--root", "--dist"]

    func testOptionsAndTheirValuesStayAndTheFirstOperandStays() {
        let split = BulkOperands.split(["--json", "a", "--root", "r", "b", "--root=x", "c", "-h", "d"], optionsWithValues: values)
        XCTAssertEqual(split.parsed, ["--json", "a", "--root", "r", "--root=x", "-h"])
        XCTAssertEqual(split.later, ["b", "c", "d"])
    }

    func testAfterTheTerminatorEveryWordIsAnOperand() {
        let split = BulkOperands.split(["a", "--", "--json", "-", "b"], optionsWithValues: values)
        XCTAssertEqual(split.parsed, ["a", "--"])
        XCTAssertEqual(split.later, ["--json", "-", "b"])
        let first = BulkOperands.split(["--", "--root"], optionsWithValues: values)
        XCTAssertEqual(first.parsed, ["--", "--root"])
        XCTAssertEqual(first.later, [])
    }

    func testNothingToSetAside() {
        XCTAssertEqual(BulkOperands.split([], optionsWithValues: values).parsed, [])
        let split = BulkOperands.split(["--dist", "d", "--record"], optionsWithValues: values)
        XCTAssertEqual(split.parsed, ["--dist", "d", "--record"])
        XCTAssertEqual(split.later, [])
    }
}
