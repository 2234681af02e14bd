// SPDX-License-Identifier: Apache-2.0

import Base64URL
import SignetKeys

// The allocating entry points: the zero-allocation path, then the values of what it verified.
extension JWSVerifier {
    /// Verifies a JWT: signature, then claims.
    ///
    /// Runs ``verify(_:scratch:)`` (so both reach the same verdict with the same error), then builds the header and
    /// payload values of what it verified.
    ///
    /// - Parameter token: The compact token bytes.
    /// - Returns: The verified header and claims.
    /// - Throws: ``JWSError`` with any of the codes in ``JWSError/Code``, the segment, and the token offset.
    /// - Allocation: allocates the decoded header, payload and claims.
    public func verify(_ token: RawSpan) throws(JWSError) -> VerifiedJWT {
        try unsafe token.withUnsafeBytes { (b) throws(JWSError) -> VerifiedJWT in try unsafe verify(b) }
    }

    /// Verifies a JWT given as a raw buffer; the `@unsafe` form of ``verify(_:)-(RawSpan)`` for memory that comes
    /// from C.
    ///
    /// - Parameter token: The compact token bytes.
    /// - Returns: The verified header and claims.
    /// - Throws: as ``verify(_:)-(RawSpan)``.
    /// - Allocation: allocates the decoded header, payload and claims.
    @unsafe
    public func verify(_ token: UnsafeRawBufferPointer) throws(JWSError) -> VerifiedJWT {
        var algorithm = JWSAlgorithm.rs256
        var keyID: String?
        var payloadStart = 0
        let payload = try unsafe [UInt8](unsafeUninitializedCapacity: scratchByteCount(forBuffer: token)) {
            (buffer, initialized) throws(JWSError) in
            let view = try unsafe verifyInPlace(token, scratch: UnsafeMutableRawBufferPointer(buffer))
            algorithm = unsafe view.algorithm
            keyID = unsafe view.keyID
            initialized = unsafe view.payload.count
        }
        let layout = try unsafe JWSCompactLayout(scanning: token)
        payloadStart = layout.payload.lowerBound
        let header = try unsafe headerObject(token, layout)
        let object: JSONObject
        do throws(JSONError) {
            guard case .object(let o) = try StrictJSON.parse(payload, limits: jsonLimits) else {
                throw JSONError(.invalid, offset: 0, reason: "the verified payload is not an object")
            }
            object = o
        } catch {
            throw JWSError.json(error, segment: .payload, segmentStart: payloadStart)
        }
        let claims = try JWTClaims(object: object, payloadStart: payloadStart)
        return VerifiedJWT(
            jws: VerifiedJWS(header: header, payload: payload, algorithm: algorithm, keyID: keyID),
            claims: claims, payloadObject: object)
    }

    /// Verifies a JWT given as a string.
    ///
    /// - Throws: as ``verify(_:)-(RawSpan)``.
    public func verify(_ token: String) throws(JWSError) -> VerifiedJWT {
        try unsafe token.utf8Span.span.withUnsafeBytes { (b) throws(JWSError) -> VerifiedJWT in try unsafe verify(b) }
    }

    /// Verifies only the signature of a JWS (any payload), with no claims checks.
    ///
    /// - Parameter token: The compact token bytes.
    /// - Returns: The verified header and payload.
    /// - Throws: ``JWSError`` for the size, shape, header, key selection and signature.
    /// - Allocation: allocates the decoded header and payload.
    public func verifySignature(_ token: RawSpan) throws(JWSError) -> VerifiedJWS {
        try unsafe token.withUnsafeBytes { (b) throws(JWSError) -> VerifiedJWS in try unsafe verifySignature(b) }
    }

    /// Verifies only the signature of a JWS given as a raw buffer; the `@unsafe` form of
    /// ``verifySignature(_:)-(RawSpan)`` for memory that comes from C.
    ///
    /// - Throws: as ``verifySignature(_:)-(RawSpan)``.
    /// - Allocation: allocates the decoded header and payload.
    @unsafe
    public func verifySignature(_ token: UnsafeRawBufferPointer) throws(JWSError) -> VerifiedJWS {
        var verdict: SignatureVerdict?
        let payload = try unsafe [UInt8](unsafeUninitializedCapacity: scratchByteCount(forBuffer: token)) {
            (buffer, initialized) throws(JWSError) in
            let v = try unsafe verifySignature(token, scratch: UnsafeMutableRawBufferPointer(buffer))
            verdict = v
            initialized = v.payloadCount
        }
        guard let verdict else { throw JWSError(.crypto, reason: "unreachable: no verdict") }
        let header = try unsafe headerObject(token, JWSCompactLayout(scanning: token))
        return VerifiedJWS(
            header: header, payload: payload, algorithm: verdict.algorithm, keyID: keys[verdict.keyIndex].keyID)
    }

    /// The header of a token whose header has been validated.
    private func headerObject(
        _ token: UnsafeRawBufferPointer, _ layout: JWSCompactLayout
    ) throws(JWSError) -> JSONObject {
        do throws(JSONError) {
            let bytes = try? unsafe Base64URL.decode(Array(UnsafeRawBufferPointer(rebasing: token[layout.header])))
            guard let bytes, case .object(let header) = try StrictJSON.parse(bytes, limits: jsonLimits) else {
                throw JSONError(.invalid, offset: 0, reason: "the verified header is not an object")
            }
            return header
        } catch {
            throw JWSError.json(error, segment: .header, segmentStart: 0)
        }
    }
}
