import Yams

/// Bounds what YAML aliases (`*name`) can make of a scenario before Yams composes it.
///
/// Composing resolves an alias to its anchored node without copying, but Yams hashes every key
/// of a mapping to find duplicates, and hashing walks a key's whole tree: nine anchors of nine
/// aliases each, the last used as a key, are 9^9 nodes in 350 bytes (an alias bomb), and compose
/// never finishes. So a text with aliases is composed first with each alias written out as a
/// marked quoted scalar and each anchor as a numbered tag (Yams keeps tags on nodes), which
/// composes in linear time; the expanded size of every anchored node is summed from that tree in
/// document order; and a text whose aliases expand it past ``maximumNodes`` is rejected before
/// the real compose. A text with no alias is composed once, as before.
enum YAMLAliases {
    /// The most YAML nodes (scalars, lists, mappings) a scenario may have once its aliases are
    /// expanded.
    static let maximumNodes = 1_000_000

    /// Where an alias (`*name`) or an anchor (`&name`) is written: its name and its range in the
    /// text's scalars.
    struct Alias {
        var name: String
        var range: Range<Int>
        var isAnchor = false
    }

    /// The tag an anchor is written as in the first compose: `!qnet-anchor-<index>`.
    static let anchorTag = "!qnet-anchor-"

    /// Marks a stand-in scalar: a private-use character no scenario value has.
    static let marker: Unicode.Scalar = "\u{E000}"

    /// Throws when the aliases of `yaml` expand it past ``maximumNodes`` nodes.
    static func check(_ yaml: String, file: String) throws(ScenarioError) {
        let scalars = Array(yaml.unicodeScalars)
        let tokens = find(in: scalars)
        guard tokens.contains(where: { !$0.isAnchor }) else { return }
        // Every `*name` becomes the quoted scalar "<marker>name", every `&name` a tag.
        var text = String.UnicodeScalarView()
        var anchors: [String] = []
        var next = 0
        for token in tokens {
            text.append(contentsOf: scalars[next..<token.range.lowerBound])
            if token.isAnchor {
                text.append(contentsOf: "\(anchorTag)\(anchors.count)".unicodeScalars)
                anchors.append(token.name)
            } else {
                text.append("\"")
                text.append(marker)
                text.append(contentsOf: token.name.unicodeScalars)
                text.append("\"")
            }
            next = token.range.upperBound
        }
        text.append(contentsOf: scalars[next...])
        let root: Node?
        do {
            root = try Yams.compose(yaml: String(text))
        } catch let error as YamlError {
            throw ScenarioError(yaml: error, file: file, text: yaml)
        } catch {
            throw ScenarioError(file: file, line: nil, column: nil, keyPath: "", code: .malformedYAML, message: "malformed YAML: \(error)")
        }
        guard let root else { return }
        var expanded: [String: Int] = [:]
        _ = try size(of: root, anchors: anchors, expanded: &expanded, file: file)
    }

    /// The nodes `node` stands for with its aliases expanded (the anchors seen so far in
    /// `expanded`); records the size of each anchored node it passes.
    static func size(of node: Node, anchors: [String], expanded: inout [String: Int], file: String) throws(ScenarioError) -> Int {
        var total = 1
        switch node {
        case .scalar(let scalar):
            var text = scalar.string.unicodeScalars[...]
            if text.first == marker {
                text.removeFirst()
                total = expanded[String(text)] ?? 1
            }
        case .sequence(let sequence):
            for item in sequence { total = total.addingSaturating(try size(of: item, anchors: anchors, expanded: &expanded, file: file)) }
        case .mapping(let mapping):
            for (key, value) in mapping {
                total = total.addingSaturating(try size(of: key, anchors: anchors, expanded: &expanded, file: file))
                total = total.addingSaturating(try size(of: value, anchors: anchors, expanded: &expanded, file: file))
            }
        case .alias:
            break
        }
        if total > maximumNodes {
            throw ScenarioError(
                file: file, line: node.mark?.line, column: node.mark?.column, keyPath: "", code: .outOfRange,
                message: "YAML aliases expand the scenario to more than \(maximumNodes) nodes here",
                allowed: "allowed: at most \(maximumNodes) nodes with every alias written out")
        }
        let tag = node.tag.rawValue
        if tag.hasPrefix(anchorTag), let index = Int(tag.dropFirst(anchorTag.count)), index < anchors.count {
            expanded[anchors[index]] = total
        }
        return total
    }

    /// The aliases and anchors of a YAML text: `*` or `&` where a token may start (at the start of a line, after
    /// white space or after `[ { , ? : -`), outside comments and quoted scalars, followed by an
    /// anchor name. One inside a plain scalar that looks like one (`a *b`) is found too; written
    /// out differently it only changes that scalar, in the first compose alone.
    static func find(in scalars: [Unicode.Scalar]) -> [Alias] {
        enum State { case plain, doubleQuoted, singleQuoted, comment }
        var aliases: [Alias] = []
        var state = State.plain
        var previous: Unicode.Scalar = "\n"
        var i = 0
        func isBreak(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" }
        func endsName(_ c: Unicode.Scalar) -> Bool { isBreak(c) || ",[]{}".unicodeScalars.contains(c) }
        while i < scalars.count {
            let c = scalars[i]
            let tokenStart = isBreak(previous) || "[{,?:-".unicodeScalars.contains(previous)
            switch state {
            case .comment:
                if c == "\n" { state = .plain }
            case .doubleQuoted:
                if c == "\\" { i += 1 } else if c == "\"" { state = .plain }
            case .singleQuoted:
                if c == "'" {
                    if i + 1 < scalars.count, scalars[i + 1] == "'" { i += 1 } else { state = .plain }
                }
            case .plain:
                if c == "#", isBreak(previous) {
                    state = .comment
                } else if c == "\"", tokenStart {
                    state = .doubleQuoted
                } else if c == "'", tokenStart {
                    state = .singleQuoted
                } else if c == "*" || c == "&", tokenStart {
                    var end = i + 1
                    while end < scalars.count, !endsName(scalars[end]) { end += 1 }
                    if end > i + 1 {
                        aliases.append(Alias(name: String(String.UnicodeScalarView(scalars[(i + 1)..<end])), range: i..<end, isAnchor: c == "&"))
                        previous = scalars[end - 1]
                        i = end
                        continue
                    }
                }
            }
            previous = c
            i += 1
        }
        return aliases
    }
}

extension Int {
    /// `self + other`, or `Int.max` when that overflows.
    func addingSaturating(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}
