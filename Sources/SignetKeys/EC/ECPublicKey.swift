// SPDX-License-Identifier: Apache-2.0

import Base64URL
internal import CSignetEC

/// An EC public key on P-256, P-384 or P-521 that verifies ECDSA signatures in JWS form (`r ‖ s`, RFC 7518 §3.4).
///
/// Immutable and `Sendable`. The point is checked at load, by OpenSSL (on its curve, not infinity) and again as it
/// is decoded into Signet's own verification tables. ``isValidSignature(_:for:)-(UnsafeRawBufferPointer,_)`` hashes
/// on the stack and runs Signet's ECDSA verification (`CSignetEC`: no allocation, precomputed multiples of the key);
/// `isValidSignatureOnOpenSSL(_:for:)` (SPI `Testing`) runs OpenSSL's, the reference the tests and
/// `signet bench` hold it to.
public final class ECPublicKey: Sendable {
    let key: EVPKey
    /// The curve.
    public let curve: ECCurve
    /// The affine x coordinate, big-endian, padded to the curve's width.
    public let x: [UInt8]
    /// The affine y coordinate, big-endian, padded to the curve's width.
    public let y: [UInt8]
    private let pool = ContextPool<ECDSAContext>()
    private let tables: CurveTables<signet_ec_key>

    init(validated key: EVPKey) throws(SignetKeyError) {
        guard key.isEC else { throw SignetKeyError(.wrongKeyType, reason: "the key is not an EC key") }
        guard let curve = key.curve else {
            throw SignetKeyError(.unsupportedCurve, reason: "the EC key's curve is not P-256, P-384 or P-521")
        }
        try key.checkPublic()
        self.key = key
        self.curve = curve
        (self.x, self.y) = try key.coordinates(curve)
        guard let tables = CurveTables(curve: curve, x: x, y: y) else {
            throw SignetKeyError(.invalidPoint, reason: "(x, y) is not a point on \(curve)")
        }
        self.tables = tables
    }

    /// Loads a public key from PEM text: `PUBLIC KEY` (SPKI), or else the key of an X.509 `CERTIFICATE` (its dates
    /// and signature are not checked; ``X509Certificate`` reads them).
    ///
    /// - Throws: ``SignetKeyError`` `key.pem-malformed`, `key.wrong-kind`, `key.pem-unsupported-label`,
    ///   `key.der-malformed`, `key.wrong-type`, `key.certificate-invalid`, `key.unsupported-curve`, `key.invalid-point`.
    /// - Allocation: allocates (not a hot path).
    public convenience init(pem: String) throws(SignetKeyError) {
        try self.init(der: PEMReader.spkiDER(in: pem, kind: "EC"))
    }

    /// Loads a public key from DER `SubjectPublicKeyInfo`.
    ///
    /// - Throws: as ``init(pem:)``.
    /// - Allocation: allocates.
    public convenience init(der: [UInt8]) throws(SignetKeyError) {
        try self.init(validated: EVPKey.decodePublic(der: der))
    }

    /// Builds a public key from its coordinates (JWK `x` and `y`, each exactly the curve's width).
    ///
    /// - Throws: ``SignetKeyError`` `key.jwk-invalid` (wrong length), `key.invalid-point`.
    /// - Allocation: allocates.
    public convenience init(curve: ECCurve, x: [UInt8], y: [UInt8]) throws(SignetKeyError) {
        guard x.count == curve.coordinateByteCount, y.count == curve.coordinateByteCount else {
            throw SignetKeyError(
                .jwkInvalid,
                reason: "a \(curve) coordinate is \(curve.coordinateByteCount) bytes; got \(x.count) and \(y.count)")
        }
        do throws(SignetKeyError) {
            try self.init(der: curve.spkiPrefix + [0x04] + x + y)
        } catch  where error.code == .derMalformed {
            throw SignetKeyError(
                .invalidPoint, reason: "(x, y) is not a point on \(curve)", openSSLErrors: error.openSSLErrors)
        }
    }

    /// Builds a public key from JWK members `crv`, `x`, `y` (RFC 7518 §6.2.1).
    ///
    /// - Throws: ``SignetKeyError`` `key.unsupported-curve`, `key.jwk-invalid`, `key.invalid-point`.
    /// - Allocation: allocates.
    public convenience init(jwk: ECJWKComponents) throws(SignetKeyError) {
        guard let curve = ECCurve(jwkName: jwk.crv) else {
            throw SignetKeyError(.unsupportedCurve, reason: "crv \"\(jwk.crv)\" is not P-256, P-384 or P-521")
        }
        try self.init(curve: curve, x: jwkMember(jwk.x, "x"), y: jwkMember(jwk.y, "y"))
    }

    /// Bytes of a JWS signature (`r ‖ s`).
    public var signatureByteCount: Int { curve.signatureByteCount }

    /// The public JWK members (`crv`, `x`, `y`).
    public var jwk: ECJWKComponents {
        ECJWKComponents(crv: curve.jwkName, x: Base64URL.encode(x), y: Base64URL.encode(y))
    }

    /// DER `SubjectPublicKeyInfo`.
    ///
    /// - Throws: ``SignetKeyError`` `key.openssl` if OpenSSL cannot encode the key.
    public func spkiDER() throws(SignetKeyError) -> [UInt8] { try key.spkiDER() }

    /// PEM `PUBLIC KEY` text.
    ///
    /// - Throws: ``SignetKeyError`` `key.openssl` if OpenSSL cannot encode the key.
    public func pem() throws(SignetKeyError) -> String { try key.publicPEM() }

    /// `true` when `signature` (`r ‖ s`, exactly ``signatureByteCount`` bytes) is an ECDSA signature of `message`
    /// with the curve's hash (SEC 1 v2 §4.1.4); never throws.
    ///
    /// Signet's own verification: variable-time arithmetic (every input is public) on tables built at key load.
    ///
    /// - Allocation: none.
    @unsafe
    public func isValidSignature(_ signature: UnsafeRawBufferPointer, for message: UnsafeRawBufferPointer) -> Bool {
        guard signature.count == signatureByteCount else { return false }
        return unsafe withUnsafeTemporaryAllocation(byteCount: 64, alignment: 16) { digest in
            guard let n = try? unsafe Digests.hash(message, algorithm: curve.digest, into: digest) else { return false }
            return unsafe tables.verify(digest: UnsafeRawBufferPointer(rebasing: digest[..<n]), signature: signature)
        }
    }

    /// The verdict of OpenSSL's ECDSA for the same signature: the reference that Signet's own verification is
    /// compared with (tests, `signet cross-check`, `signet bench`). Never leaves OpenSSL errors behind.
    ///
    /// - Allocation: none on the Swift side in steady state (OpenSSL's ECDSA allocates internally).
    @unsafe
    @_spi(Testing) public func isValidSignatureOnOpenSSL(
        _ signature: UnsafeRawBufferPointer, for message: UnsafeRawBufferPointer
    )
        -> Bool
    {
        guard signature.count == signatureByteCount else { return false }
        let context: ECDSAContext
        if let c = pool.take() {
            context = c
        } else if let c = try? ECDSAContext(key: key, signing: false) {
            context = c
        } else {
            OpenSSLErrorQueue.clear()
            return false
        }
        defer { pool.put(context) }
        return unsafe withUnsafeTemporaryAllocation(
            byteCount: 64 + ECDSASignatureEncoding.maximumDERByteCount, alignment: 16
        ) {
            scratch in
            let digest = unsafe UnsafeMutableRawBufferPointer(rebasing: scratch[..<64])
            let der = unsafe UnsafeMutableRawBufferPointer(rebasing: scratch[64...])
            guard let n = try? unsafe Digests.hash(message, algorithm: curve.digest, into: digest),
                let length = unsafe ECDSASignatureEncoding.der(fromRaw: signature, into: der)
            else { return false }
            return unsafe context.verify(
                der: UnsafeRawBufferPointer(rebasing: der[..<length]),
                digest: UnsafeRawBufferPointer(rebasing: digest[..<n]))
        }
    }

    /// OpenSSL's verdict (see `isValidSignatureOnOpenSSL(_:for:)` (SPI `Testing`)).
    @_spi(Testing) public func isValidSignatureOnOpenSSL(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        unsafe signature.withUnsafeBytes { s in
            unsafe message.withUnsafeBytes { m in unsafe isValidSignatureOnOpenSSL(s, for: m) }
        }
    }

    /// `true` when the signature verifies (see ``isValidSignature(_:for:)-(UnsafeRawBufferPointer,_)``).
    ///
    /// - Allocation: none on the Swift side beyond the caller's arrays.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        unsafe signature.withUnsafeBytes { s in
            unsafe message.withUnsafeBytes { m in unsafe isValidSignature(s, for: m) }
        }
    }
}

/// The members of an EC JWK (RFC 7518 §6.2), base64url text as in the JSON.
public struct ECJWKComponents: Sendable, Equatable {
    /// `crv`: `P-256`, `P-384` or `P-521`.
    public var crv: String
    /// `x`.
    public var x: String
    /// `y`.
    public var y: String
    /// `d` (private keys only).
    public var d: String?

    /// Creates the members.
    ///
    /// - Parameters:
    ///   - crv: The curve name.
    ///   - x: The x coordinate, base64url.
    ///   - y: The y coordinate, base64url.
    ///   - d: The private scalar, base64url (private keys only).
    public init(crv: String, x: String, y: String, d: String? = nil) {
        self.crv = crv
        self.x = x
        self.y = y
        self.d = d
    }
}
