import InfertopCore
import TOMLKit

/// A TOML syntax error, located by line and by the key written on that line when there is one.
struct TOMLSyntaxMistake: Error {
    let line: Int
    let key: String?
    /// `TOML syntax: …`, TOMLKit's own description.
    let problem: String
}

extension TOMLKeyLocator {
    /// Parses `text` into a table and a locator for its keys; a syntax error comes back with
    /// its line and key, for the caller to wrap in its own error (theme, config file).
    static func parse(_ text: String) throws(TOMLSyntaxMistake) -> (TOMLTable, TOMLKeyLocator) {
        let locator = TOMLKeyLocator(text)
        do {
            return (try TOMLTable(string: text), locator)
        } catch let error as TOMLParseError {
            let line = error.source.begin.line
            throw TOMLSyntaxMistake(
                line: line, key: locator.key(onLine: line), problem: "TOML syntax: \(error.description)")
        } catch {
            throw TOMLSyntaxMistake(line: 1, key: nil, problem: "TOML syntax: \(error)")
        }
    }
}
