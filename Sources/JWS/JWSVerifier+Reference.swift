// SPDX-License-Identifier: Apache-2.0

import Base64URL
import SignetKeys

extension JWSVerifier {
    /// The DOM reference for ``verify(_:)-(RawSpan)``: the original implementation, which decodes
    /// into arrays and builds a ``JSONValue`` tree before checking anything. The verify paths must reach the same
    /// verdict with the same code, segment and offset for every input; tests and the `jws` fuzz target compare them.
    package func referenceVerify(_ token: UnsafeRawBufferPointer) throws(JWSError) -> VerifiedJWT {
        let (jws, payloadStart) = try unsafe verifySignatureReturningOffset(token)
        let value: JSONValue
        do throws(JSONError) {
            value = try StrictJSON.parse(jws.payload, limits: jsonLimits)
        } catch {
            throw JWSError.json(error, segment: .payload, segmentStart: payloadStart)
        }
        guard case .object(let object) = value else {
            throw JWSError(
                .payloadNotObject, segment: .payload, offset: payloadStart,
                reason: "a JWT payload must be a JSON object of claims, found \(value.typeName)")
        }
        let claims = try JWTClaims(object: object, payloadStart: payloadStart)
        try policy.validate(claims)
        return VerifiedJWT(jws: jws, claims: claims, payloadObject: object)
    }

    /// The DOM reference for ``verifySignature(_:)-(RawSpan)``.
    package func referenceVerifySignature(_ token: UnsafeRawBufferPointer) throws(JWSError) -> VerifiedJWS {
        try unsafe verifySignatureReturningOffset(token).0
    }

    private func verifySignatureReturningOffset(_ token: UnsafeRawBufferPointer) throws(JWSError) -> (VerifiedJWS, Int)
    {
        guard token.count <= maximumTokenBytes else {
            throw JWSError(
                .tooLarge, segment: .token, offset: maximumTokenBytes,
                reason: "the token is \(token.count) bytes; this verifier accepts at most \(maximumTokenBytes)")
        }
        let layout = try unsafe JWSCompactLayout(scanning: token)
        // Header.
        let headerBytes = try unsafe decodeSegment(token, layout.header, .header)
        let headerValue: JSONValue
        do throws(JSONError) {
            headerValue = try StrictJSON.parse(headerBytes, limits: jsonLimits)
        } catch {
            throw JWSError.json(error, segment: .header, segmentStart: 0)
        }
        guard case .object(let header) = headerValue else {
            throw JWSError(
                .headerNotObject, segment: .header, offset: 0,
                reason: "the JOSE header must be a JSON object, found \(headerValue.typeName)")
        }
        let algorithm = try checkAlgorithm(header)
        try checkCritical(header)
        try checkType(header)
        let vk = try selectKey(header, algorithm: algorithm)
        guard vk.algorithm == algorithm else {
            throw JWSError(
                .algNotAllowed, segment: .header, offset: headerOffset(header, "alg"),
                reason: algorithmBindingReason(algorithm, vk))
        }
        // Payload syntax, then the signature over the original bytes.
        let payload = try unsafe decodeSegment(token, layout.payload, .payload)
        let signatureRange = layout.signature
        let expectedEncoded = Base64URL.encodedCount(byteCount: vk.key.signatureByteCount)
        try unsafe withUnsafeTemporaryAllocation(byteCount: max(1, signatureRange.count), alignment: 8) {
            (sig) throws(JWSError) in
            let n: Int
            do throws(Base64URLError) {
                n = try unsafe Base64URL.decode(UnsafeRawBufferPointer(rebasing: token[signatureRange]), into: sig)
            } catch {
                throw JWSError.base64(error, segment: .signature, segmentStart: signatureRange.lowerBound)
            }
            guard n == vk.key.signatureByteCount else {
                throw JWSError(
                    .signatureLength, segment: .signature, offset: signatureRange.lowerBound,
                    reason:
                        "the signature is \(n) bytes (\(signatureRange.count) characters); a \(vk.key.keyDescription) signature is \(vk.key.signatureByteCount) bytes (\(expectedEncoded) characters)"
                )
            }
            let signature = unsafe UnsafeRawBufferPointer(rebasing: sig[..<n])
            let message = unsafe UnsafeRawBufferPointer(rebasing: token[layout.signingInput])
            let valid = unsafe vk.key.isValidSignature(signature, for: message, algorithm: algorithm)
            if let second = vk.secondOpinion {
                let otherValid = unsafe second.check(signature, message, algorithm)
                guard otherValid == valid else {
                    throw JWSError(
                        .crossCheckDisagreement, segment: .signature, offset: signatureRange.lowerBound,
                        reason:
                            "\(vk.key.verifierName) says the signature is \(valid ? "valid" : "invalid") but \(second.name) says \(otherValid ? "valid" : "invalid"); the token is rejected"
                    )
                }
            }
            guard valid else {
                throw JWSError(
                    .signatureInvalid, segment: .signature, offset: signatureRange.lowerBound,
                    reason:
                        "the \(algorithm) signature does not verify with key \(vk.keyID.map { "\"\($0)\"" } ?? "(no kid)")"
                )
            }
        }
        return (
            VerifiedJWS(header: header, payload: payload, algorithm: algorithm, keyID: vk.keyID),
            layout.payload.lowerBound
        )
    }

    private func decodeSegment(
        _ token: UnsafeRawBufferPointer, _ range: Range<Int>, _ segment: JWSError.Segment
    )
        throws(JWSError) -> [UInt8]
    {
        do throws(Base64URLError) {
            return try unsafe Base64URL.decode(Array(UnsafeRawBufferPointer(rebasing: token[range])))
        } catch {
            throw JWSError.base64(error, segment: segment, segmentStart: range.lowerBound)
        }
    }

    func headerOffset(_ header: JSONObject, _ name: String) -> Int? {
        header.member(name).map { JWSCompactLayout.tokenOffset(ofDecodedByte: $0.valueOffset, segmentStart: 0) }
    }

    private func checkAlgorithm(_ header: JSONObject) throws(JWSError) -> JWSAlgorithm {
        guard let member = header.member("alg") else {
            throw JWSError(.algMissing, segment: .header, offset: 0, reason: "the header has no 'alg'")
        }
        guard case .string(let name) = member.value else {
            throw JWSError(
                .algMissing, segment: .header, offset: headerOffset(header, "alg"),
                reason: "'alg' must be a string, found \(member.value.typeName)")
        }
        guard let alg = JWSAlgorithm(jwsName: name), allowedAlgorithms.contains(alg) else {
            throw JWSError(
                .algNotAllowed, segment: .header, offset: headerOffset(header, "alg"),
                reason: algorithmNotAllowedReason(name))
        }
        return alg
    }

    private func checkType(_ header: JSONObject) throws(JWSError) {
        guard let expected = policy.expectedType else { return }
        guard let member = header.member("typ") else {
            throw JWSError(
                .typInvalid, segment: .header, offset: 0, reason: "the header has no 'typ'; expected \"\(expected)\"")
        }
        guard case .string(let typ) = member.value, Self.normalizedType(typ) == Self.normalizedType(expected) else {
            throw JWSError(
                .typInvalid, segment: .header, offset: headerOffset(header, "typ"),
                reason: "typ \(member.value) is not \"\(expected)\"")
        }
    }

    private func selectKey(
        _ header: JSONObject, algorithm: JWSAlgorithm
    ) throws(JWSError) -> JWSVerificationKey {
        if let member = header.member("kid") {
            guard case .string(let kid) = member.value else {
                throw JWSError(
                    .kidUnknown, segment: .header, offset: headerOffset(header, "kid"),
                    reason: "'kid' must be a string, found \(member.value.typeName)")
            }
            guard let key = keys.first(where: { $0.keyID == kid }) else {
                throw JWSError(
                    .kidUnknown, segment: .header, offset: headerOffset(header, "kid"),
                    reason: kidUnknownReason(kid))
            }
            return key
        }
        guard keys.count == 1 else {
            throw JWSError(
                .kidMissing, segment: .header, offset: 0,
                reason: "the header has no 'kid' and the verifier has \(keys.count) keys")
        }
        return keys[0]
    }
}
