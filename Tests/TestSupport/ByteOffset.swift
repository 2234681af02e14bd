// SPDX-License-Identifier: Apache-2.0

/// The byte offset of the first occurrence of `needle` in `text` (UTF-8), or `nil`: where tests expect an error's
/// offset to point.
public func byteOffset(of needle: String, in text: String) -> Int? {
    let t = Array(text.utf8)
    let n = Array(needle.utf8)
    guard n.count <= t.count else { return nil }
    return (0...(t.count - n.count)).first { Array(t[$0..<($0 + n.count)]) == n }
}
