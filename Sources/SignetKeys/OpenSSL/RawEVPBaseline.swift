// SPDX-License-Identifier: Apache-2.0

internal import COpenSSL

/// The plainest way a C program signs and verifies with OpenSSL 3 EVP: a fresh `EVP_MD_CTX` per call,
/// `EVP_DigestSignInit_ex` / `EVP_DigestSign` (or `…Verify…`) by digest name. It is the floor Signet's own paths
/// are measured against in the same process (`signet bench`, the benchmark suite); it is not for production use.
/// Its entry points take raw buffers, as the C program does, so they are `@unsafe`.
@_spi(Benchmarking) public enum RawEVPBaseline {
    /// Signs `message` with `key` the plain EVP way; returns the signature length.
    ///
    /// - Throws: ``SignetKeyError`` `key.openssl`, `key.output-too-small`.
    /// - Allocation: OpenSSL allocates a context per call (that is the point of the baseline).
    @unsafe
    public static func sign(
        _ message: UnsafeRawBufferPointer, key: RSAPrivateKey, algorithm: RSASignatureAlgorithm,
        into output: UnsafeMutableRawBufferPointer
    ) throws(SignetKeyError) -> Int {
        guard output.count >= key.signatureByteCount else {
            throw SignetKeyError(.outputTooSmall, reason: "output too small")
        }
        guard let ctx = unsafe EVP_MD_CTX_new() else {
            throw OpenSSLErrorQueue.error(.openSSL, "EVP_MD_CTX_new failed")
        }
        defer { unsafe EVP_MD_CTX_free(ctx) }
        var pctx: OpaquePointer? = nil
        try openSSLCheck(
            unsafe EVP_DigestSignInit_ex(ctx, &pctx, algorithm.digestName, nil, nil, key.key.pkey, nil),
            "EVP_DigestSignInit_ex")
        if algorithm.usesPSS, let pctx = unsafe pctx {
            try unsafe RSAOperationContext.configure(pctx, algorithm: algorithm, md: Digests.md(for: algorithm))
        }
        var length = output.count
        try openSSLCheck(
            unsafe COpenSSL_EVP_DigestSign(ctx, output.baseAddress, &length, message.baseAddress, message.count),
            "EVP_DigestSign")
        return length
    }

    /// Verifies the plain EVP way; `true` when valid. Clears OpenSSL's error queue on failure.
    ///
    /// - Allocation: OpenSSL allocates a context per call.
    @unsafe
    public static func verify(
        _ signature: UnsafeRawBufferPointer, for message: UnsafeRawBufferPointer, key: RSAPublicKey,
        algorithm: RSASignatureAlgorithm
    ) -> Bool {
        guard let ctx = unsafe EVP_MD_CTX_new() else {
            OpenSSLErrorQueue.clear()
            return false
        }
        defer { unsafe EVP_MD_CTX_free(ctx) }
        var pctx: OpaquePointer? = nil
        guard unsafe EVP_DigestVerifyInit_ex(ctx, &pctx, algorithm.digestName, nil, nil, key.key.pkey, nil) == 1,
            unsafe configurePSS(pctx, algorithm),
            unsafe COpenSSL_EVP_DigestVerify(
                ctx, signature.baseAddress, signature.count, message.baseAddress, message.count) == 1
        else {
            OpenSSLErrorQueue.clear()
            return false
        }
        return true
    }

    /// Sets PSS padding on a verification context when `algorithm` is PSS; `false` if OpenSSL refused.
    private static func configurePSS(_ pctx: OpaquePointer?, _ algorithm: RSASignatureAlgorithm) -> Bool {
        guard algorithm.usesPSS else { return true }
        guard let pctx = unsafe pctx, let md = try? unsafe Digests.md(for: algorithm) else { return false }
        return (try? unsafe RSAOperationContext.configure(pctx, algorithm: algorithm, md: md)) != nil
    }
    /// Signs `message` with an EC key the plain EVP way (`EVP_DigestSign` with the curve's digest); the output is
    /// OpenSSL's DER `ECDSA-Sig-Value`, as a C program gets it. Returns its length.
    ///
    /// - Throws: ``SignetKeyError`` `key.openssl`, `key.output-too-small`.
    /// - Allocation: OpenSSL allocates a context per call.
    @unsafe
    public static func sign(
        _ message: UnsafeRawBufferPointer, key: ECPrivateKey, into output: UnsafeMutableRawBufferPointer
    ) throws(SignetKeyError) -> Int {
        try unsafe plainSign(message, pkey: key.key, digestName: key.curve.digest.digestName, into: output)
    }

    /// Signs `message` with an Ed25519 key the plain EVP way (`EVP_DigestSign`, no digest); returns 64.
    ///
    /// - Throws: ``SignetKeyError`` `key.openssl`, `key.output-too-small`.
    /// - Allocation: OpenSSL allocates a context per call.
    @unsafe
    public static func sign(
        _ message: UnsafeRawBufferPointer, key: Ed25519PrivateKey, into output: UnsafeMutableRawBufferPointer
    ) throws(SignetKeyError) -> Int {
        try unsafe plainSign(message, pkey: key.key, digestName: nil, into: output)
    }

    /// Verifies an EC signature in OpenSSL's DER form the plain EVP way; `true` when valid.
    ///
    /// - Allocation: OpenSSL allocates a context per call.
    @unsafe
    public static func verify(
        derSignature signature: UnsafeRawBufferPointer, for message: UnsafeRawBufferPointer, key: ECPublicKey
    ) -> Bool {
        unsafe plainVerify(signature, message, pkey: key.key, digestName: key.curve.digest.digestName)
    }

    /// Verifies an Ed25519 signature the plain EVP way; `true` when valid.
    ///
    /// - Allocation: OpenSSL allocates a context per call.
    @unsafe
    public static func verify(
        _ signature: UnsafeRawBufferPointer, for message: UnsafeRawBufferPointer, key: Ed25519PublicKey
    ) -> Bool {
        unsafe plainVerify(signature, message, pkey: key.key, digestName: nil)
    }

    @unsafe
    private static func plainSign(
        _ message: UnsafeRawBufferPointer, pkey: EVPKey, digestName: String?, into output: UnsafeMutableRawBufferPointer
    ) throws(SignetKeyError) -> Int {
        guard let ctx = unsafe EVP_MD_CTX_new() else {
            throw OpenSSLErrorQueue.error(.openSSL, "EVP_MD_CTX_new failed")
        }
        defer { unsafe EVP_MD_CTX_free(ctx) }
        try openSSLCheck(
            unsafe EVP_DigestSignInit_ex(ctx, nil, digestName, nil, nil, pkey.pkey, nil), "EVP_DigestSignInit_ex")
        var length = output.count
        try openSSLCheck(
            unsafe COpenSSL_EVP_DigestSign(ctx, output.baseAddress, &length, message.baseAddress, message.count),
            "EVP_DigestSign")
        return length
    }

    @unsafe
    private static func plainVerify(
        _ signature: UnsafeRawBufferPointer, _ message: UnsafeRawBufferPointer, pkey: EVPKey, digestName: String?
    ) -> Bool {
        guard let ctx = unsafe EVP_MD_CTX_new() else {
            OpenSSLErrorQueue.clear()
            return false
        }
        defer { unsafe EVP_MD_CTX_free(ctx) }
        guard unsafe EVP_DigestVerifyInit_ex(ctx, nil, digestName, nil, nil, pkey.pkey, nil) == 1,
            unsafe COpenSSL_EVP_DigestVerify(
                ctx, signature.baseAddress, signature.count, message.baseAddress, message.count) == 1
        else {
            OpenSSLErrorQueue.clear()
            return false
        }
        return true
    }
}
