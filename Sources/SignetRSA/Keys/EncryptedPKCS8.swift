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
    /// - Throws: ``SignetRSAError`` `key.wrong-password` (the password does not decrypt it), `key.der-malformed`,
    ///   and the codes of ``init(pem:)``.
    /// - Allocation: allocates (not a hot path).
    public convenience init(pem: String, password: inout [UInt8]) throws(SignetRSAError) {
        defer { secureZero(&password) }
        var blocks = try PEMReader.blocks(in: Array(pem.utf8))
        defer { for i in blocks.indices { secureZero(&blocks[i].der) } }
        let plainLabels: Set<String> = ["PRIVATE KEY", "RSA PRIVATE KEY"]
        guard !blocks.contains(where: { plainLabels.contains($0.label) }),
            let block = blocks.first(where: { $0.label == "ENCRYPTED PRIVATE KEY" })
        else {
            try self.init(pem: pem)
            return
        }
        _ = try DERKeyStructure.classify(block)  // the label must match the body (key.pem-label-mismatch)
        var plain: [UInt8]
        do throws(SignetRSAError) {
            plain = try OpenSSLKeyContainers.decryptPKCS8(der: block.der, password: password)
        } catch {
            throw SignetRSAError(
                error.code, offset: block.offset, reason: error.reason, openSSLErrors: error.openSSLErrors)
        }
        defer { secureZero(&plain) }
        try self.init(der: plain, structure: DERKeyStructure.classify(plain))
    }
}
