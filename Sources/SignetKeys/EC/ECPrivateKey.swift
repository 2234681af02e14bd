// SPDX-License-Identifier: Apache-2.0

import Base64URL

/// An EC private key on P-256, P-384 or P-521 that signs ECDSA for JWS: ES256, ES384 or ES512 as its curve says,
/// with the signature written as fixed-width `r ‖ s` (RFC 7518 §3.4), never DER.
///
/// Load once and share: immutable and `Sendable`. Each signature hashes on the stack and runs OpenSSL's ECDSA (a
/// fresh random nonce per signature) on a pooled, once-initialised context. Nothing here prints the key.
public final class ECPrivateKey: Sendable {
    let key: EVPKey
    /// The matching public key.
    public let publicKey: ECPublicKey
    private let pool = ContextPool<ECDSAContext>()

    private init(checked key: EVPKey) throws(SignetKeyError) {
        guard key.isEC else { throw SignetKeyError(.wrongKeyType, reason: "the key is not an EC key") }
        guard let curve = key.curve else {
            throw SignetKeyError(.unsupportedCurve, reason: "the EC key's curve is not P-256, P-384 or P-521")
        }
        try key.checkPairwise()
        let (x, y) = try key.coordinates(curve)
        self.key = key
        self.publicKey = try ECPublicKey(curve: curve, x: x, y: y)
    }

    /// Loads a private key from PEM text: `PRIVATE KEY` (PKCS#8) or `EC PRIVATE KEY` (SEC 1).
    ///
    /// - Throws: ``SignetKeyError`` `key.pem-malformed`, `key.wrong-kind`, `key.pem-unsupported-label`,
    ///   `key.der-malformed`, `key.wrong-type`, `key.unsupported-curve`, `key.inconsistent`.
    /// - Allocation: allocates (not a hot path).
    public convenience init(pem: String) throws(SignetKeyError) {
        var der = try PEMReader.privateKeyDER(in: pem, labels: ["PRIVATE KEY", "EC PRIVATE KEY"], kind: "EC")
        defer { secureZero(&der) }
        try self.init(der: der)
    }

    /// Loads a private key from DER: PKCS#8 `PrivateKeyInfo` or SEC 1 `ECPrivateKey`.
    ///
    /// - Throws: as ``init(pem:)``.
    /// - Allocation: allocates.
    public convenience init(der: [UInt8]) throws(SignetKeyError) {
        try self.init(checked: EVPKey.decodePrivate(der: der))
    }

    /// Loads a private key from its JWK members (`crv`, `x`, `y`, `d`: all required).
    ///
    /// - Throws: ``SignetKeyError`` `key.unsupported-curve`, `key.jwk-invalid`, `key.invalid-point`,
    ///   `key.inconsistent` (`d` does not match `x`, `y`).
    /// - Allocation: allocates.
    public convenience init(jwk: ECJWKComponents) throws(SignetKeyError) {
        guard let curve = ECCurve(jwkName: jwk.crv) else {
            throw SignetKeyError(.unsupportedCurve, reason: "crv \"\(jwk.crv)\" is not P-256, P-384 or P-521")
        }
        guard let dText = jwk.d else { throw SignetKeyError(.jwkInvalid, reason: "private JWK member 'd' is missing") }
        var d = try jwkMember(dText, "d")
        defer { secureZero(&d) }
        guard d.count == curve.coordinateByteCount else {
            throw SignetKeyError(
                .jwkInvalid, reason: "JWK member 'd' is \(d.count) bytes; \(curve) needs \(curve.coordinateByteCount)")
        }
        let x = try jwkMember(jwk.x, "x")
        let y = try jwkMember(jwk.y, "y")
        _ = try ECPublicKey(curve: curve, x: x, y: y)
        try self.init(checked: EVPKey.ecPrivate(curve: curve, x: x, y: y, d: d))
    }

    /// Generates a fresh key on `curve`.
    ///
    /// - Throws: ``SignetKeyError`` `key.generation`.
    /// - Allocation: allocates.
    public static func generate(curve: ECCurve) throws(SignetKeyError) -> ECPrivateKey {
        try ECPrivateKey(checked: EVPKey.generate(curve: curve))
    }

    /// The curve.
    public var curve: ECCurve { publicKey.curve }

    /// Bytes of a JWS signature (`r ‖ s`).
    public var signatureByteCount: Int { publicKey.signatureByteCount }

    /// Calls `body` with the PKCS#8 PEM text of this key in a temporary buffer that is wiped afterwards.
    ///
    /// - Parameter body: Receives the PEM bytes; must not keep the pointer.
    /// - Returns: What `body` returns.
    /// - Throws: ``SignetKeyError`` `key.openssl` if OpenSSL cannot encode the key, or what `body` throws.
    ///
    /// `@unsafe`: `body` receives a raw buffer that is valid, and holds the secret, only during the call.
    @unsafe
    public func withPKCS8PEM<R>(_ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        try unsafe key.withPKCS8PEM(body).get()
    }

    /// Signs `message` (ECDSA with the curve's hash) and writes `r ‖ s` at the start of `output`.
    ///
    /// - Parameters:
    ///   - message: The bytes to sign (for a JWS, the signing input).
    ///   - output: Needs ``signatureByteCount`` bytes.
    /// - Returns: ``signatureByteCount``.
    /// - Throws: ``SignetKeyError`` `key.output-too-small`, `key.openssl`.
    /// - Allocation: none on the Swift side in steady state (OpenSSL's ECDSA allocates internally).
    /// - Warning: `output` must not overlap `message`.
    @unsafe
    public func sign(
        _ message: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(SignetKeyError) -> Int {
        let size = signatureByteCount
        guard output.count >= size else {
            throw SignetKeyError(
                .outputTooSmall, reason: "the output has \(output.count) bytes; a \(curve) signature needs \(size)")
        }
        let context: ECDSAContext
        if let c = pool.take() {
            context = c
        } else {
            context = try ECDSAContext(key: key, signing: true)
        }
        let curve = self.curve
        try unsafe withUnsafeTemporaryAllocation(
            byteCount: 64 + ECDSASignatureEncoding.maximumDERByteCount, alignment: 16
        ) {
            (scratch) throws(SignetKeyError) in
            let digest = unsafe UnsafeMutableRawBufferPointer(rebasing: scratch[..<64])
            let der = unsafe UnsafeMutableRawBufferPointer(rebasing: scratch[64...])
            let n = try unsafe Digests.hash(message, algorithm: curve.digest, into: digest)
            guard let length = unsafe context.sign(digest: UnsafeRawBufferPointer(rebasing: digest[..<n]), into: der)
            else { throw OpenSSLErrorQueue.error(.openSSL, "EVP_PKEY_sign failed (\(curve.jwsAlgorithmName))") }
            guard
                unsafe ECDSASignatureEncoding.raw(
                    fromDER: UnsafeRawBufferPointer(rebasing: der[..<length]), width: curve.coordinateByteCount,
                    into: UnsafeMutableRawBufferPointer(rebasing: output[..<size]))
            else { throw SignetKeyError(.internalError, reason: "OpenSSL's ECDSA signature is not the expected DER") }
        }
        pool.put(context)
        return size
    }

    /// Signs `message` and returns `r ‖ s`.
    ///
    /// - Throws: ``SignetKeyError`` `key.openssl`.
    /// - Allocation: the returned array.
    public func signature(for message: [UInt8]) throws(SignetKeyError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: signatureByteCount)
        try unsafe message.span.withUnsafeBytes { (m) throws(SignetKeyError) in
            var span = out.mutableSpan
            var bytes = unsafe span.mutableBytes
            try unsafe bytes.withUnsafeMutableBytes { (o) throws(SignetKeyError) in _ = try unsafe sign(m, into: o) }
        }
        return out
    }
}
