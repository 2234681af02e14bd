// SPDX-License-Identifier: Apache-2.0

/// The family of a key: what its algorithm identifier (PKCS#8, SubjectPublicKeyInfo) names.
public enum KeyFamily: Sendable, Hashable {
    /// rsaEncryption (RS and PS algorithms).
    case rsa
    /// id-ecPublicKey on P-256, P-384 or P-521 (ES algorithms).
    case ec
    /// id-Ed25519 (EdDSA).
    case ed25519

    /// The family's name in messages: "an RSA key", "an EC key", "an Ed25519 key".
    public var name: String {
        switch self {
        case .rsa: "an RSA key"
        case .ec: "an EC key"
        case .ed25519: "an Ed25519 key"
        }
    }

    /// The family of the first private key in `pem`, read once: from the label (`RSA PRIVATE KEY`, `EC PRIVATE KEY`)
    /// or from the PKCS#8 `PrivateKeyInfo`'s algorithm identifier (`PRIVATE KEY`). Loaders of any family
    /// (`JWSSigningKey(pem:)`) dispatch on it instead of trying each family in turn.
    ///
    /// - Throws: ``SignetKeyError`` `key.pem-malformed`, `key.wrong-kind` (only a public key), `key.password-required`
    ///   (only an encrypted key), `key.pem-unsupported-label`, `key.pem-label-mismatch`, `key.der-malformed`,
    ///   `key.wrong-type` (an algorithm other than RSA, EC or Ed25519).
    /// - Allocation: allocates (not a hot path).
    public init(privateKeyPEM pem: String) throws(SignetKeyError) {
        var blocks = try PEMReader.blocks(in: Array(pem.utf8))
        defer { for i in blocks.indices { secureZero(&blocks[i].der) } }
        let block = try PEMReader.privateKeyBlock(
            in: blocks, labels: PEMReader.privateKeyLabels,
            missing: "PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block")
        // SEC 1 `ECPrivateKey` has no algorithm identifier: its label is what names the family.
        if block.label == "EC PRIVATE KEY" {
            self = .ec
            return
        }
        self = try Self.family(of: DERKeyStructure.classify(block), offset: block.offset)
    }

    /// The family of the first public key in `pem`, read once: from a `PUBLIC KEY` block's algorithm identifier, an
    /// `RSA PUBLIC KEY` label, or, when neither is there, the first `CERTIFICATE`'s `SubjectPublicKeyInfo` (every
    /// family's `init(pem:)` reads a certificate's key too).
    ///
    /// - Throws: ``SignetKeyError`` `key.pem-malformed`, `key.wrong-kind` (only a private key),
    ///   `key.pem-unsupported-label`, `key.pem-label-mismatch`, `key.der-malformed`, `key.certificate-invalid`,
    ///   `key.wrong-type`.
    /// - Allocation: allocates (not a hot path).
    public init(publicKeyPEM pem: String) throws(SignetKeyError) {
        let blocks = try PEMReader.blocks(in: Array(pem.utf8))
        let block = try PEMReader.publicKeyBlock(in: blocks)
        if block.label == "CERTIFICATE" {
            self = try X509Certificate(der: block.der).keyFamily
            return
        }
        self = try Self.family(of: DERKeyStructure.classify(block), offset: block.offset)
    }

    /// The family `structure`'s algorithm names, or `key.wrong-type`.
    private static func family(of structure: DERKeyStructure, offset: Int) throws(SignetKeyError) -> Self {
        guard let family = structure.family else {
            throw SignetKeyError(
                .wrongKeyType, offset: offset,
                reason: "the key's algorithm is not rsaEncryption, id-ecPublicKey or id-Ed25519")
        }
        return family
    }
}
