/// "Did you mean ...?" for misspelt keys, enum values and node names.
enum Suggestions {
    /// The candidate closest to `word`, if it is a plausible misspelling of it.
    ///
    /// Case-insensitive optimal-string-alignment distance (Levenshtein plus adjacent
    /// transpositions, Damerau 1964). A candidate is plausible within distance 2, or within 1
    /// when either word has at most 4 characters (`qbits` suggests `qubits`, but `mode` does not
    /// suggest `name`), and never when every character would change (`W` does not suggest `X`).
    /// A candidate that differs only in case always matches. Ties go to the earlier candidate.
    static func closest(to word: String, in candidates: [String]) -> String? {
        let lowered = Array(word.lowercased())
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let other = Array(candidate.lowercased())
            let limit = min(lowered.count, other.count) <= 4 ? 1 : 2
            let d = distance(lowered, other)
            guard d <= limit, d < lowered.count else { continue }
            if best == nil || d < best!.distance { best = (candidate, d) }
        }
        return best?.candidate
    }

    /// Optimal string alignment distance between two character arrays.
    ///
    /// - Complexity: O(a.count × b.count) time, O(b.count) memory.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previousPrevious[j - 2] + 1)
                }
                current[j] = value
            }
            swap(&previousPrevious, &previous)
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// `"did you mean 'x'?"` or nil.
    static func didYouMean(_ word: String, in candidates: [String]) -> String? {
        closest(to: word, in: candidates).map { "did you mean '\($0)'?" }
    }

    /// A readable list, shortened after `limit` items: `a, b, c, … (12 in all)`.
    static func list(_ items: [String], limit: Int = 12) -> String {
        if items.count <= limit { return items.joined(separator: ", ") }
        return items.prefix(limit).joined(separator: ", ") + ", … (\(items.count) in all)"
    }
}
