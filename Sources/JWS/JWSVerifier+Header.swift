// SPDX-License-Identifier: Apache-2.0

import SignetKeys

// The JOSE header rules on the zero-allocation path, read from the members the scan recorded.
extension JWSVerifier {
    /// Header rules in the DOM path's order: `alg`, `crit`, `typ`, `kid`, then the key's bound algorithm.
    func checkHeader(_ header: UnsafeRawBufferPointer) throws(JWSError) -> (JWSAlgorithm, Int) {
        let (kind, slots) = try unsafe scan(header, recognize: .joseHeader, segment: .header, segmentStart: 0)
        guard kind == .object, let base = header.baseAddress else {
            throw JWSError(
                .headerNotObject, segment: .header, offset: 0,
                reason: "the JOSE header must be a JSON object, found \(kind.typeName)")
        }
        // alg
        let alg = slots[JWSMemberSlots.algIndex]
        guard alg.isPresent else {
            throw JWSError(.algMissing, segment: .header, offset: 0, reason: "the header has no 'alg'")
        }
        let algOffset = Self.tokenOffset(ofHeaderValue: alg)
        guard let algToken = alg.string else {
            throw JWSError(
                .algMissing, segment: .header, offset: algOffset,
                reason: "'alg' must be a string, found \(alg.kind.typeName)")
        }
        guard let algorithm = unsafe Self.algorithm(named: algToken, in: base), allowedMask & Self.bit(algorithm) != 0
        else {
            throw JWSError(
                .algNotAllowed, segment: .header, offset: algOffset,
                reason: algorithmNotAllowedReason(unsafe JSONStringComparison.string(algToken, in: base)))
        }
        // crit: any is rejected (the DOM check names the reason).
        if slots[JWSMemberSlots.critIndex].isPresent { try unsafe rejectCritical(header) }
        // typ
        if let expected = policy.expectedType {
            let typ = slots[JWSMemberSlots.typIndex]
            guard typ.isPresent else {
                throw JWSError(
                    .typInvalid, segment: .header, offset: 0,
                    reason: "the header has no 'typ'; expected \"\(expected)\"")
            }
            guard let token = typ.string, unsafe typeMatches(token, in: base, expected: expected) else {
                throw JWSError(
                    .typInvalid, segment: .header, offset: Self.tokenOffset(ofHeaderValue: typ),
                    reason: "typ \(unsafe Self.jsonText(header, typ)) is not \"\(expected)\"")
            }
        }
        // kid
        let keyIndex: Int
        let kid = slots[JWSMemberSlots.kidIndex]
        if kid.isPresent {
            guard let token = kid.string else {
                throw JWSError(
                    .kidUnknown, segment: .header, offset: Self.tokenOffset(ofHeaderValue: kid),
                    reason: "'kid' must be a string, found \(kid.kind.typeName)")
            }
            guard let index = unsafe indexOfKey(matching: token, in: base) else {
                throw JWSError(
                    .kidUnknown, segment: .header, offset: Self.tokenOffset(ofHeaderValue: kid),
                    reason: kidUnknownReason(unsafe JSONStringComparison.string(token, in: base)))
            }
            keyIndex = index
        } else {
            guard keys.count == 1 else {
                throw JWSError(
                    .kidMissing, segment: .header, offset: 0,
                    reason: "the header has no 'kid' and the verifier has \(keys.count) keys")
            }
            keyIndex = 0
        }
        let vk = keys[keyIndex]
        guard vk.algorithm == algorithm else {
            throw JWSError(
                .algNotAllowed, segment: .header, offset: algOffset, reason: algorithmBindingReason(algorithm, vk))
        }
        return (algorithm, keyIndex)
    }

    /// The token offset of a recorded header member's value.
    static func tokenOffset(ofHeaderValue slot: MemberSlot) -> Int {
        JWSCompactLayout.tokenOffset(ofDecodedByte: slot.valueOffset, segmentStart: 0)
    }

    static func bit(_ algorithm: JWSAlgorithm) -> Int { 1 << algorithm.index }

    /// The algorithm whose JOSE name the token spells (escapes resolved), if any.
    static func algorithm(named token: JSONStringToken, in base: UnsafeRawPointer) -> JWSAlgorithm? {
        switch unsafe JSONStringComparison.shortASCIIKey(token, in: base) {
        case rs256Key: .rs256
        case rs384Key: .rs384
        case rs512Key: .rs512
        case ps256Key: .ps256
        case ps384Key: .ps384
        case ps512Key: .ps512
        case es256Key: .es256
        case es384Key: .es384
        case es512Key: .es512
        case edDSAKey: .edDSA
        default: nil
        }
    }

    static var rs256Key: UInt64 { 0x0500_0036_3532_5352 }  // "RS256"
    static var rs384Key: UInt64 { 0x0500_0034_3833_5352 }  // "RS384"
    static var rs512Key: UInt64 { 0x0500_0032_3135_5352 }  // "RS512"
    static var ps256Key: UInt64 { 0x0500_0036_3532_5350 }  // "PS256"
    static var ps384Key: UInt64 { 0x0500_0034_3833_5350 }  // "PS384"
    static var ps512Key: UInt64 { 0x0500_0032_3135_5350 }  // "PS512"
    static var es256Key: UInt64 { 0x0500_0036_3532_5345 }  // "ES256"
    static var es384Key: UInt64 { 0x0500_0034_3833_5345 }  // "ES384"
    static var es512Key: UInt64 { 0x0500_0032_3135_5345 }  // "ES512"
    static var edDSAKey: UInt64 { 0x0500_0041_5344_6445 }  // "EdDSA"

    /// The JSON text of a recorded value, re-serialised compactly (for messages).
    static func jsonText(_ json: UnsafeRawBufferPointer, _ slot: MemberSlot) -> String {
        let text = unsafe UnsafeRawBufferPointer(rebasing: json[slot.valueOffset..<slot.end])
        return unsafe ((try? StrictJSON.parse(text).description) ?? String(decoding: text, as: UTF8.self))
    }

    @inline(never)
    private func rejectCritical(_ header: UnsafeRawBufferPointer) throws(JWSError) {
        if case .object(let object)? = try? unsafe StrictJSON.parse(header, limits: jsonLimits) {
            try checkCritical(object)
        }
        throw JWSError(.critUnsupported, segment: .header, reason: "'crit' is not supported")
    }

    /// `typ` equals the expected type ignoring case and an `application/` prefix (as ``normalizedType(_:)``).
    private func typeMatches(_ token: JSONStringToken, in base: UnsafeRawPointer, expected: String) -> Bool {
        guard let key = expectedTypeKey, token.isASCII else {
            return Self.normalizedType(unsafe JSONStringComparison.string(token, in: base))
                == Self.normalizedType(expected)
        }
        let prefix: StaticString = "application/"
        var i = token.start
        var matched = 0
        while matched < prefix.utf8CodeUnitCount && i < token.end {
            let c = unsafe Self.asciiLower(JSONStringComparison.nextScalar(base, &i))
            guard unsafe (c == prefix.utf8Start[matched]) else { break }
            matched += 1
        }
        if matched < prefix.utf8CodeUnitCount { i = token.start }
        var k = 0
        while i < token.end {
            let c = unsafe Self.asciiLower(JSONStringComparison.nextScalar(base, &i))
            guard k < key.count, key[k] == c else { return false }
            k += 1
        }
        return k == key.count
    }

    @inline(__always) static func asciiLower(_ s: UInt32) -> UInt8 {
        let b = UInt8(truncatingIfNeeded: s)
        return b &- UInt8(ascii: "A") < 26 ? b | 0x20 : b
    }

    /// The index of the key whose `kid` equals the token under Swift `String` equality.
    private func indexOfKey(matching token: JSONStringToken, in base: UnsafeRawPointer) -> Int? {
        for (i, k) in keys.enumerated() {
            guard var id = k.keyID else { continue }
            let same = id.withUTF8 {
                unsafe JSONStringComparison.equalScalars(token, in: base, toUTF8: UnsafeRawBufferPointer($0))
            }
            if same { return i }
        }
        guard !(token.isASCII && keyIDsAreASCII) else { return nil }
        let kid = unsafe JSONStringComparison.string(token, in: base)
        return keys.firstIndex { $0.keyID == kid }
    }
}
