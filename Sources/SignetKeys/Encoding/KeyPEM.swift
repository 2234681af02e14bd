// SPDX-License-Identifier: Apache-2.0

import Base64URL

extension PEMReader {
    /// The labels of unencrypted private keys Signet reads (PKCS#8, PKCS#1 RSA, SEC 1 EC).
    static let privateKeyLabels: Set<String> = ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"]

    /// The block that holds a public key: the first `PUBLIC KEY` or `RSA PUBLIC KEY` block, else the first
    /// `CERTIFICATE` (whose `SubjectPublicKeyInfo` is the key). Every family's public-key loader reads this block.
    ///
    /// - Throws: ``SignetKeyError`` `key.wrong-kind` (only a private key), `key.pem-unsupported-label`.
    static func publicKeyBlock(in blocks: [PEMBlock]) throws(SignetKeyError) -> PEMBlock {
        let publicLabels: Set<String> = ["PUBLIC KEY", "RSA PUBLIC KEY"]
        if let block = blocks.first(where: { publicLabels.contains($0.label) }) { return block }
        if let certificate = blocks.first(where: { $0.label == "CERTIFICATE" }) { return certificate }
        let labels = blocks.map(\.label)
        if labels.contains(where: { $0.contains("PRIVATE KEY") }) {
            throw SignetKeyError(
                .wrongKeyKind, offset: blocks.first?.offset,
                reason:
                    "this PEM holds a private key where a public key is expected; publish only the public key (`signet jwks` or `openssl pkey -pubout`)"
            )
        }
        throw SignetKeyError(
            .pemUnsupportedLabel, offset: blocks.first?.offset,
            reason: "no PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE block (found: \(labels.joined(separator: ", ")))")
    }

    /// The `SubjectPublicKeyInfo` DER of the public key in `pem` (see ``publicKeyBlock(in:)``) for a key of `kind`
    /// (e.g. "EC"), which has no PKCS#1 form.
    ///
    /// - Throws: ``SignetKeyError`` `key.wrong-type` (an `RSA PUBLIC KEY` block), `key.certificate-invalid`, and the
    ///   codes of ``publicKeyBlock(in:)``.
    static func spkiDER(in pem: String, kind: String) throws(SignetKeyError) -> [UInt8] {
        let block = try publicKeyBlock(in: blocks(in: Array(pem.utf8)))
        switch block.label {
        case "CERTIFICATE": return try OpenSSLKeyContainers.certificate(der: block.der).spki
        case "RSA PUBLIC KEY":
            throw SignetKeyError(
                .wrongKeyType, offset: block.offset, reason: "this PEM holds an RSA public key, not an \(kind) key")
        default: return block.der
        }
    }

    /// The first block whose label is one of `labels`; without one, why not: an encrypted key needs a password
    /// (`key.password-required`), a public key or certificate cannot sign (`key.wrong-kind`), anything else is
    /// `key.pem-unsupported-label` saying "no `missing` (found: …)".
    static func privateKeyBlock(
        in blocks: [PEMBlock], labels: Set<String>, missing: String
    ) throws(SignetKeyError) -> PEMBlock {
        if let block = blocks.first(where: { labels.contains($0.label) }) { return block }
        let found = blocks.map(\.label)
        if let encrypted = blocks.first(where: { $0.label == "ENCRYPTED PRIVATE KEY" }) {
            throw SignetKeyError(
                .passwordRequired, offset: encrypted.offset,
                reason: "the private key is encrypted (PKCS#8 ENCRYPTED PRIVATE KEY); give its password")
        }
        if found.contains(where: { $0.contains("PUBLIC KEY") || $0 == "CERTIFICATE" }) {
            throw SignetKeyError(
                .wrongKeyKind, offset: blocks.first?.offset,
                reason: "this PEM holds only a public key; signing needs the private key")
        }
        throw SignetKeyError(
            .pemUnsupportedLabel, offset: blocks.first?.offset,
            reason: "no \(missing) (found: \(found.joined(separator: ", ")))")
    }

    /// The DER body of the first block in `pem` whose label is one of `labels`, for a private key of `kind` (e.g.
    /// "EC"); the caller wipes it after use.
    static func privateKeyDER(in pem: String, labels: Set<String>, kind: String) throws(SignetKeyError) -> [UInt8] {
        var blocks = try blocks(in: Array(pem.utf8))
        defer { for i in blocks.indices { secureZero(&blocks[i].der) } }
        let missing = "\(labels.sorted().joined(separator: " or ")) block for an \(kind) key"
        return try privateKeyBlock(in: blocks, labels: labels, missing: missing).der
    }
}
