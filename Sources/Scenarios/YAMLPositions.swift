import Foundation
import Yams

/// Where each key of a YAML document sits (`line:column` from Yams' node
/// marks), so a scenario error can point at the line to fix; and YAML syntax
/// errors turned into one line that names the position and the problem but
/// never echoes the document (a 50 MB file's one line would be 50 MB).
///
/// - Complexity: O(nodes) to index a composed document.
struct YAMLPositions {
    struct Position: Equatable, Sendable {
        let line: Int
        let column: Int
    }

    /// Key path (`cluster.nodes`, `faults.partitions[0].start_ms`) → position of its key.
    private(set) var positions: [String: Position] = [:]

    init(_ node: Node?) {
        if let node { walk(node, path: "") }
    }

    private mutating func walk(_ node: Node, path: String) {
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping {
                let name = key.string ?? "?"
                let child = path.isEmpty ? name : path + "." + name
                if let mark = key.mark { positions[child] = Position(line: mark.line, column: mark.column) }
                walk(value, path: child)
            }
        case .sequence(let sequence):
            for (i, item) in sequence.enumerated() {
                let child = path + "[\(i)]"
                if let mark = item.mark { positions[child] = Position(line: mark.line, column: mark.column) }
                walk(item, path: child)
            }
        default:
            break
        }
    }

    /// The position of `key`, or of the nearest enclosing key that has one
    /// (a missing key is reported where its parent mapping starts).
    func position(of key: String) -> Position? {
        var path = Substring(key)
        while !path.isEmpty {
            if let p = positions[String(path)] { return p }
            guard let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
            path = path[..<cut]
        }
        return nil
    }

    /// A YAML syntax error as `(position, problem)`, without the document text.
    static func describe(_ error: Swift.Error) -> (Position?, String) {
        guard let yaml = error as? YamlError else { return (nil, String(describing: error).prefix(200).description) }
        func at(_ mark: Mark) -> Position { Position(line: mark.line, column: mark.column) }
        switch yaml {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let while_ = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            return (at(mark), problem + while_)
        case let .reader(problem, offset, _, text):
            guard let offset else { return (nil, problem) }
            let prefix = text.utf8.prefix(offset)
            let line = prefix.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            let column = prefix.count - (prefix.lastIndex(of: 0x0A).map { prefix.distance(from: prefix.startIndex, to: $0) + 1 } ?? 0) + 1
            return (Position(line: line, column: column), problem)
        case let .duplicatedKeysInMapping(duplicates, context):
            return (at(context.mark), "duplicate key(s) \(duplicates.sorted().map { "'\($0)'" }.joined(separator: ", "))")
        default:
            return (nil, String(describing: yaml).prefix(200).description)
        }
    }
}
