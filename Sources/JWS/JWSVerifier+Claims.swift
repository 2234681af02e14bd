// SPDX-License-Identifier: Apache-2.0

// The payload on the zero-allocation path: strict JSON, registered claim types, then the policy.
extension JWSVerifier {
    /// Payload JSON, registered claim types (the first problem in source order), then the policy.
    func checkClaims(
        _ payload: UnsafeRawBufferPointer, _ verdict: SignatureVerdict
    ) throws(JWSError)
        -> VerifiedClaimsRefs
    {
        let payloadStart = verdict.payloadStart
        let (kind, slots) = try unsafe scan(
            payload, recognize: .jwtClaims, segment: .payload, segmentStart: payloadStart)
        guard kind == .object, let base = payload.baseAddress else {
            throw JWSError(
                .payloadNotObject, segment: .payload, offset: payloadStart,
                reason: "a JWT payload must be a JSON object of claims, found \(kind.typeName)")
        }
        var dates: (exp: NumericDate?, nbf: NumericDate?, iat: NumericDate?) = (nil, nil, nil)
        var firstBad = -1
        var firstBadOffset = Int.max
        for i in 0..<JWSMemberSlots.count {
            let slot = slots[i]
            guard slot.isPresent else { continue }
            let ok: Bool
            switch i {
            case JWSMemberSlots.expIndex, JWSMemberSlots.nbfIndex, JWSMemberSlots.iatIndex:
                if slot.kind == .number,
                    let d = unsafe NumericDate.parseJSONNumber(
                        UnsafeRawBufferPointer(rebasing: payload[slot.valueOffset..<slot.end]))
                {
                    let date = NumericDate(d)
                    if i == JWSMemberSlots.expIndex {
                        dates.exp = date
                    } else if i == JWSMemberSlots.nbfIndex {
                        dates.nbf = date
                    } else {
                        dates.iat = date
                    }
                    ok = true
                } else {
                    ok = false
                }
            case JWSMemberSlots.audIndex:
                ok =
                    unsafe (slot.kind == .string
                    || (slot.kind == .array && Self.firstNonString(in: payload, array: slot) == nil))
            default:
                ok = slot.kind == .string
            }
            if !ok && slot.valueOffset < firstBadOffset {
                firstBad = i
                firstBadOffset = slot.valueOffset
            }
        }
        if firstBad >= 0 {
            throw unsafe claimTypeError(payload, slots[firstBad], index: firstBad, payloadStart: payloadStart)
        }

        func text(_ index: Int) -> JSONStringRef? {
            unsafe slots[index].string.map { unsafe JSONStringRef(base: base, token: $0) }
        }
        let aud = slots[JWSMemberSlots.audIndex]
        let view = unsafe VerifiedClaimsRefs(
            algorithm: verdict.algorithm, keyID: keys[verdict.keyIndex].keyID, payload: payload,
            expiresAt: dates.exp, notBefore: dates.nbf, issuedAt: dates.iat,
            issuer: text(JWSMemberSlots.issIndex), subject: text(JWSMemberSlots.subIndex),
            id: text(JWSMemberSlots.jtiIndex),
            audience: aud.isPresent
                ? JWTAudienceRef(base: base, valueOffset: aud.valueOffset, end: aud.end, single: aud.string) : nil)
        try unsafe policy.check(view)
        return unsafe view
    }

    /// The kind of the first element of a (validated) array value that is not a string.
    static func firstNonString(in json: UnsafeRawBufferPointer, array slot: MemberSlot) -> JSONKind? {
        guard let base = json.baseAddress else { return nil }
        var cursor = unsafe ValidatedJSONCursor(base: base, count: slot.end, position: slot.valueOffset + 1)
        while true {
            cursor.skipWhitespace()
            let b = cursor.byte(cursor.position)
            if b == UInt8(ascii: "]") { return nil }
            if b == UInt8(ascii: ",") {
                cursor.position += 1
                continue
            }
            guard b == UInt8(ascii: "\"") else { return JSONKind.of(firstByte: b) }
            cursor.skipString()
        }
    }

    @inline(never)
    private func claimTypeError(
        _ payload: UnsafeRawBufferPointer, _ slot: MemberSlot, index: Int, payloadStart: Int
    )
        -> JWSError
    {
        let names = ["iss", "sub", "jti", "exp", "nbf", "iat", "aud"]
        let name = names[index]
        let offset = JWSCompactLayout.tokenOffset(ofDecodedByte: slot.valueOffset, segmentStart: payloadStart)
        let reason: String
        switch index {
        case JWSMemberSlots.expIndex, JWSMemberSlots.nbfIndex, JWSMemberSlots.iatIndex:
            reason =
                slot.kind == .number
                ? "claim '\(name)' value \(unsafe String(decoding: payload[slot.valueOffset..<slot.end], as: UTF8.self)) is not a finite number"
                : "claim '\(name)' must be a NumericDate (a JSON number of seconds), found \(slot.kind.typeName)"
        case JWSMemberSlots.audIndex:
            reason =
                slot.kind == .array
                ? "claim 'aud' array must hold strings, found \((unsafe Self.firstNonString(in: payload, array: slot) ?? .null).typeName)"
                : "claim 'aud' must be a string or an array of strings, found \(slot.kind.typeName)"
        default:
            reason = "claim '\(name)' must be a string, found \(slot.kind.typeName)"
        }
        return JWSError(.claimInvalid, segment: .payload, offset: offset, reason: reason)
    }
}
