// SPDX-License-Identifier: Apache-2.0
import Base64URL

extension PEMReader {
    /// The DER body of the first block in `pem` whose label is one of `labels`, for a key of `kind` (e.g. "EC");
    /// the caller wipes a private body after use.
    static func keyDER(
        in pem: String, labels: Set<String>, isPrivate: Bool, kind: String
    ) throws(SignetRSAError) -> [UInt8] {
        var blocks = try blocks(in: Array(pem.utf8))
        defer { for i in blocks.indices { secureZero(&blocks[i].der) } }
        guard let block = blocks.first(where: { labels.contains($0.label) }) else {
            let found = blocks.map(\.label)
            let other = isPrivate ? "PUBLIC KEY" : "PRIVATE KEY"
            if found.contains(where: { $0.contains(other) }) {
                throw SignetRSAError(
                    .wrongKeyKind, offset: blocks.first?.offset,
                    reason: isPrivate
                        ? "this PEM holds only a public key; signing needs the private key"
                        : "this PEM holds a private key where a public key is expected")
            }
            throw SignetRSAError(
                .pemUnsupportedLabel, offset: blocks.first?.offset,
                reason:
                    "no \(labels.sorted().joined(separator: " or ")) block for an \(kind) key (found: \(found.joined(separator: ", ")))"
            )
        }
        return block.der
    }
}
