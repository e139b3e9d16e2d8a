/// Operands set aside from argument parsing.
///
/// ArgumentParser stores an array argument one value at a time, and every
/// store copies the values so far (`ParsedValues.update`), so n paths cost
/// O(n²): a sixth of `inspect --json`'s time over 400 files, and it grows
/// with the batch. `inspect` takes thousands of paths (a toolchain through
/// xargs), so the CLI parses its options and the first operand as usual and
/// hands it every later operand, in order, afterwards.
public enum BulkOperands {
    /// Splits a subcommand's arguments (without the subcommand's own words).
    /// A word starting with "-" is an option (the next word too when the
    /// option is in `optionsWithValues` and has no "="); after "--" every
    /// word is an operand; "-" alone is an operand. The first operand stays
    /// in `parsed` so that validation sees one.
    /// - Returns: what to parse, and the later operands in their order.
    public static func split(_ arguments: [String], optionsWithValues: Set<String>) -> (parsed: [String], later: [String]) {
        var parsed: [String] = [], later: [String] = []
        var keptOne = false, afterTerminator = false, valueNext = false
        for word in arguments {
            if valueNext { parsed.append(word); valueNext = false; continue }
            if !afterTerminator, word == "--" { afterTerminator = true; parsed.append(word); continue }
            if !afterTerminator, word.hasPrefix("-"), word != "-" {
                parsed.append(word)
                valueNext = optionsWithValues.contains(word)
                continue
            }
            if keptOne { later.append(word) } else { parsed.append(word); keptOne = true }
        }
        return (parsed, later)
    }
}
