// SPDX-License-Identifier: Apache-2.0

internal import COpenSSL

/// `EVP_MD` objects fetched once per process (OpenSSL 3 would otherwise look the digest up on every init).
package enum Digests {
    /// A fetched `EVP_MD`, never freed (process lifetime).
    @safe struct Fetched: @unchecked Sendable {  // an immutable, reference-counted OpenSSL object; safe to share
        let md: OpaquePointer?
    }

    /// SHA-256, SHA-384, SHA-512, indexed by ``RSASignatureAlgorithm/digestIndex``.
    static let table: [Fetched] = RSASignatureAlgorithm.pkcs1v15.map { alg in
        unsafe Fetched(md: EVP_MD_fetch(nil, alg.digestName, nil))
    }

    /// The fetched digest for `algorithm`.
    static func md(for algorithm: RSASignatureAlgorithm) throws(SignetKeyError) -> OpaquePointer {
        guard let md = unsafe table[algorithm.digestIndex].md else {
            throw OpenSSLErrorQueue.error(.openSSL, "EVP_MD_fetch(\(algorithm.digestName)) failed")
        }
        return unsafe md
    }

    /// The digest of `message` for `algorithm`, written into `digest` (at least 64 bytes); returns its length.
    ///
    /// Runs libcrypto's SHA-2 block functions on a context on the stack: no allocation (OpenSSL 3's EVP digest
    /// init allocates twice per call, and its one-shot `SHA256()` fetches a provider digest every time).
    static func hash(
        _ message: UnsafeRawBufferPointer, algorithm: RSASignatureAlgorithm, into digest: UnsafeMutableRawBufferPointer
    ) throws(SignetKeyError) -> Int {
        guard digest.count >= algorithm.digestByteCount else {
            throw SignetKeyError(.internalError, reason: "digest buffer too small")
        }
        let n = unsafe COpenSSL_sha2(
            Int32(algorithm.digestIndex), message.baseAddress, message.count, digest.baseAddress)
        guard n == algorithm.digestByteCount else {
            throw OpenSSLErrorQueue.error(.openSSL, "\(algorithm.digestName) failed")
        }
        return Int(n)
    }

    /// SHA-256 of `bytes` (used for RFC 7638 thumbprints).
    ///
    /// Allocation: the returned array.
    package static func sha256(_ bytes: [UInt8]) throws(SignetKeyError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 64)
        var outSpan = out.mutableSpan
        var outBytes = unsafe outSpan.mutableBytes
        let n = try unsafe bytes.span.withUnsafeBytes { (input) throws(SignetKeyError) -> Int in
            try unsafe outBytes.withUnsafeMutableBytes { (o) throws(SignetKeyError) -> Int in
                try unsafe hash(input, algorithm: .rs256, into: o)
            }
        }
        return Array(out[..<n])
    }
}
