// SPDX-License-Identifier: Apache-2.0

// Deliberately independent: ECDSA also exists on the OpenSSL path, and GMPVerifier shares no code with it, so that its
// verdicts are a real second opinion (see the GMPVerifier module overview).

/// An ECDSA public key on P-256, P-384 or P-521 for verifying signatures (SEC 1 v2 §4.1.4, FIPS 186-5 §6.4.2)
/// with GMP arithmetic and this module's own SHA-2: a second opinion that shares no code with OpenSSL.
///
/// Every initializer checks the point: both coordinates below p, the curve equation holds, and (by the encodings
/// accepted) it is not the point at infinity. The curves have cofactor 1, so such a point has order n and no
/// further subgroup check is needed (SEC 1 §3.2.2.1 step 4 is implied).
///
/// Signatures are the JWS form (RFC 7518 §3.4): `r || s`, each exactly ``GMPCurve/coordinateByteCount`` bytes
/// big-endian (IEEE P1363), never DER.
///
/// ```swift
/// let key = try GMPECDSAPublicKey(curve: .p256, x: x, y: y)
/// try key.verify(signature: rs, message: signingInput, hash: .sha256)
/// ```
///
/// Allocation: loading and verifying allocate GMP registers (freed before returning) and small arrays.
public final class GMPECDSAPublicKey: Sendable {
    /// The curve.
    public let curve: GMPCurve
    let x: MPZ
    let y: MPZ

    /// Validates and keeps the affine point (x, y) (the one place every initializer goes through).
    init(curve: GMPCurve, x: MPZ, y: MPZ) throws(GMPVerifierError) {
        let c = curve.parameters
        guard x.compare(c.field.p) < 0, y.compare(c.field.p) < 0 else {
            throw .invalidPoint("a coordinate is not below the field prime of \(curve)")
        }
        guard c.isOnCurve(x: x, y: y) else { throw .invalidPoint("the point is not on \(curve)") }
        self.curve = curve
        self.x = x
        self.y = y
    }

    /// Loads a key from its affine coordinates as unsigned big-endian integers.
    ///
    /// Each coordinate may be shorter than ``GMPCurve/coordinateByteCount`` (it is then read as left-padded with
    /// zeros) but not longer.
    /// - Parameters:
    ///   - curve: The curve.
    ///   - x: The x coordinate, big-endian.
    ///   - y: The y coordinate, big-endian.
    /// - Throws: ``GMPVerifierError`` with code `gmp.invalid-point` (a coordinate too long or not below p, or the
    ///   point not on the curve).
    public convenience init(curve: GMPCurve, x: [UInt8], y: [UInt8]) throws(GMPVerifierError) {
        let size = curve.coordinateByteCount
        guard x.count <= size, y.count <= size else {
            throw .invalidPoint("a coordinate is longer than \(size) bytes, the size for \(curve)")
        }
        try self.init(curve: curve, x: MPZ(bigEndian: x), y: MPZ(bigEndian: y))
    }

    /// Loads a key from an uncompressed SEC 1 point (SEC 1 §2.3.3): `04 || X || Y`, each coordinate exactly
    /// ``GMPCurve/coordinateByteCount`` bytes.
    ///
    /// The compressed forms (`02`, `03`) and the point at infinity (`00`) are refused.
    /// - Parameters:
    ///   - curve: The curve.
    ///   - uncompressedPoint: The point octets.
    /// - Throws: ``GMPVerifierError`` with code `gmp.invalid-point`.
    public convenience init(curve: GMPCurve, uncompressedPoint: [UInt8]) throws(GMPVerifierError) {
        try self.init(curve: curve, point: uncompressedPoint[...], offset: 0)
    }

    /// Parses `04 || X || Y`; `offset` is where the point starts in a larger input (for error offsets).
    convenience init(curve: GMPCurve, point: ArraySlice<UInt8>, offset: Int) throws(GMPVerifierError) {
        let size = curve.coordinateByteCount
        guard let form = point.first else { throw .invalidPoint("the point encoding is empty", at: offset) }
        switch form {
        case 0x04: break
        case 0x00: throw .invalidPoint("the point is the point at infinity", at: offset)
        case 0x02, 0x03: throw .invalidPoint("compressed points are not accepted", at: offset)
        default: throw .invalidPoint("point form \(form) is not 04 (uncompressed)", at: offset)
        }
        guard point.count == 1 + 2 * size else {
            throw .invalidPoint(
                "an uncompressed \(curve) point is \(1 + 2 * size) bytes, not \(point.count)", at: offset)
        }
        let start = point.startIndex + 1
        try self.init(
            curve: curve, x: MPZ(bigEndian: point[start..<(start + size)]),
            y: MPZ(bigEndian: point[(start + size)..<(start + 2 * size)]))
    }

    /// Loads a key from a DER `SubjectPublicKeyInfo` (RFC 5480): algorithm `id-ecPublicKey` with a `namedCurve`
    /// of P-256, P-384 or P-521, and an uncompressed point.
    /// - Parameter spkiDER: The DER bytes.
    /// - Throws: ``GMPVerifierError`` with code `gmp.invalid-der` (with the byte offset), `gmp.unsupported-curve`
    ///   or `gmp.invalid-point`.
    public convenience init(spkiDER: [UInt8]) throws(GMPVerifierError) {
        let (curve, point, offset) = try ECKeyDER.parseECSubjectPublicKeyInfo(spkiDER)
        try self.init(curve: curve, point: point, offset: offset)
    }

    /// Loads a key from a PEM `-----BEGIN PUBLIC KEY-----` document (RFC 7468) holding an EC
    /// `SubjectPublicKeyInfo`, with the layout rules of ``GMPRSAPublicKey/init(pem:)``.
    /// - Parameter pem: The PEM text.
    /// - Throws: ``GMPVerifierError`` with code `gmp.invalid-pem`, `gmp.invalid-base64`, or any code of
    ///   ``init(spkiDER:)``.
    public convenience init(pem: String) throws(GMPVerifierError) {
        let document = try PEMDocument(parsing: Array(pem.utf8))
        guard document.label == .subjectPublicKeyInfo else {
            throw .invalidPEM("label 'RSA PUBLIC KEY' is not an EC public key")
        }
        try self.init(spkiDER: document.der)
    }

    /// Loads a key from the members of an EC JWK (RFC 7518 §6.2.1): `crv`, `x` and `y`, the coordinates base64url
    /// without padding and each exactly ``GMPCurve/coordinateByteCount`` bytes (§6.2.1.2, §6.2.1.3).
    ///
    /// Only these strings are examined; parse the JSON (and check `kty` is `EC`) before calling this.
    /// - Parameters:
    ///   - jwkCurve: The `crv` member: `P-256`, `P-384` or `P-521`.
    ///   - x: The `x` member.
    ///   - y: The `y` member.
    /// - Throws: ``GMPVerifierError`` with code `gmp.unsupported-curve`, `gmp.invalid-base64`, `gmp.invalid-jwk`
    ///   (a coordinate of the wrong length) or `gmp.invalid-point`.
    public convenience init(jwkCurve: String, x: String, y: String) throws(GMPVerifierError) {
        guard let curve = GMPCurve(jwkName: jwkCurve) else {
            throw .unsupportedCurve("JWK crv '\(jwkCurve)' is not P-256, P-384 or P-521")
        }
        let xBytes = try StrictBase64.decode(Array(x.utf8), .urlUnpadded, what: "JWK member x")
        let yBytes = try StrictBase64.decode(Array(y.utf8), .urlUnpadded, what: "JWK member y")
        for (name, value) in [("x", xBytes), ("y", yBytes)] where value.count != curve.coordinateByteCount {
            throw .invalidJWK(
                "JWK member \(name) is \(value.count) bytes; \(curve) coordinates are \(curve.coordinateByteCount) (RFC 7518 §6.2.1.2)"
            )
        }
        try self.init(curve: curve, x: MPZ(bigEndian: xBytes), y: MPZ(bigEndian: yBytes))
    }

    /// The x coordinate, big-endian, exactly ``GMPCurve/coordinateByteCount`` bytes.
    public var xBytes: [UInt8] { x.bigEndianBytes(count: curve.coordinateByteCount) ?? [] }

    /// The y coordinate, big-endian, exactly ``GMPCurve/coordinateByteCount`` bytes.
    public var yBytes: [UInt8] { y.bigEndianBytes(count: curve.coordinateByteCount) ?? [] }

    /// The uncompressed SEC 1 point `04 || X || Y`.
    public var uncompressedPoint: [UInt8] { [0x04] + xBytes + yBytes }
}
