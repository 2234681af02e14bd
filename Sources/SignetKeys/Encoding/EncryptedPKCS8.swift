// SPDX-License-Identifier: Apache-2.0

extension RSAPrivateKey {
    /// Loads a private key from PEM text that may be encrypted: `ENCRYPTED PRIVATE KEY` (PKCS#8
    /// `EncryptedPrivateKeyInfo`, as `openssl pkcs8 -topk8` or `openssl genpkey -aes-256-cbc` write it) is decrypted
    /// with `password`; `PRIVATE KEY` and `RSA PRIVATE KEY` load as ``init(pem:)`` does, the password unused.
    ///
    /// `password` is overwritten with zeros before this returns, whether or not loading succeeds, and so is the
    /// decrypted DER; OpenSSL clears its own copies. Legacy PEM encryption (`Proc-Type: 4,ENCRYPTED` headers) is not
    /// read: convert such a key with `openssl pkcs8 -topk8`.
    ///
    /// - Parameters:
    ///   - pem: PEM text; the first private-key block is used.
    ///   - password: The password's bytes (UTF-8 as typed, no trailing newline); wiped on return.
    /// - Throws: ``SignetKeyError`` `key.wrong-password` (the password does not decrypt it), `key.der-malformed`,
    ///   and the codes of ``init(pem:)``.
    /// - Allocation: allocates (not a hot path).
    public convenience init(pem: String, password: inout [UInt8]) throws(SignetKeyError) {
        guard EncryptedPKCS8.isEncrypted(pem) else {
            secureZero(&password)
            try self.init(pem: pem)
            return
        }
        var (family, der) = try EncryptedPKCS8.decryptedDER(pem: pem, password: &password)
        defer { secureZero(&der) }
        guard family == .rsa else {
            throw SignetKeyError(.notRSA, reason: "the decrypted key is \(family.name), not RSA")
        }
        try self.init(der: der, structure: DERKeyStructure.classify(der))
    }
}

/// PKCS#8 `EncryptedPrivateKeyInfo` (`ENCRYPTED PRIVATE KEY`, as `openssl pkcs8 -topk8 -v2 aes-256-cbc` writes it)
/// of any family: the one decryption every key type's password-taking loader goes through.
public enum EncryptedPKCS8 {
    /// Whether `pem` holds an `ENCRYPTED PRIVATE KEY` block and no unencrypted private key (which would be read
    /// first, without a password).
    public static func isEncrypted(_ pem: String) -> Bool {
        pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") && !pem.contains("-----BEGIN PRIVATE KEY-----")
            && !pem.contains("-----BEGIN RSA PRIVATE KEY-----") && !pem.contains("-----BEGIN EC PRIVATE KEY-----")
    }

    /// Overwrites a password's (or any secret's) bytes with zeros in a way the optimiser may not remove, as the
    /// loaders do with the passwords they are given.
    public static func wipe(_ secret: inout [UInt8]) { secureZero(&secret) }

    /// Decrypts the first `ENCRYPTED PRIVATE KEY` block of `pem` with `password` and calls `body` with the key's
    /// family (read from the decrypted `PrivateKeyInfo`'s algorithm identifier) and its `PrivateKeyInfo` DER.
    ///
    /// `password`, the decrypted DER and the PEM block's DER are overwritten with zeros before this returns,
    /// whether or not it succeeds; `body` must not keep the DER.
    ///
    /// - Throws: ``SignetKeyError`` `key.pem-unsupported-label` (no encrypted block), `key.pem-label-mismatch`,
    ///   `key.wrong-password`, `key.der-malformed`, `key.wrong-type` (an algorithm other than RSA, EC or Ed25519),
    ///   and what `body` throws.
    /// - Allocation: allocates (not a hot path).
    public static func decrypt<Key>(
        pem: String, password: inout [UInt8], _ body: (KeyFamily, [UInt8]) throws(SignetKeyError) -> Key
    ) throws(SignetKeyError) -> Key {
        var (family, der) = try decryptedDER(pem: pem, password: &password)
        defer { secureZero(&der) }
        return try body(family, der)
    }

    /// ``decrypt(pem:password:_:)``'s work: the family and the `PrivateKeyInfo` DER, which the caller wipes.
    static func decryptedDER(pem: String, password: inout [UInt8]) throws(SignetKeyError) -> (KeyFamily, [UInt8]) {
        defer { secureZero(&password) }
        var blocks = try PEMReader.blocks(in: Array(pem.utf8))
        defer { for i in blocks.indices { secureZero(&blocks[i].der) } }
        guard let block = blocks.first(where: { $0.label == "ENCRYPTED PRIVATE KEY" }) else {
            throw SignetKeyError(
                .pemUnsupportedLabel, offset: blocks.first?.offset,
                reason: "no ENCRYPTED PRIVATE KEY block (found: \(blocks.map(\.label).joined(separator: ", ")))")
        }
        _ = try DERKeyStructure.classify(block)  // the label must match the body (key.pem-label-mismatch)
        var plain: [UInt8]
        do throws(SignetKeyError) {
            plain = try OpenSSLKeyContainers.decryptPKCS8(der: block.der, password: password)
        } catch {
            throw SignetKeyError(
                error.code, offset: block.offset, reason: error.reason, openSSLErrors: error.openSSLErrors)
        }
        do throws(SignetKeyError) {
            guard let family = try DERKeyStructure.classify(plain).family else {
                throw SignetKeyError(
                    .wrongKeyType, offset: block.offset,
                    reason: "the decrypted key's algorithm is not rsaEncryption, id-ecPublicKey or id-Ed25519")
            }
            return (family, plain)
        } catch {
            secureZero(&plain)
            throw error
        }
    }
}
