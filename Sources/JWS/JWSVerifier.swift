// SPDX-License-Identifier: Apache-2.0
import Base64URL
import SignetRSA

/// Verifies compact JWS / JWT tokens against a fixed key set, allowed algorithms and claims policy.
///
/// Everything that decides acceptance is fixed before the first token is seen. For each token it checks, in
/// order: the size limit; the compact shape; the header (strict JSON, `alg` allowed and equal to the selected key's
/// bound algorithm, `crit`, `typ`, `kid`); the signature over the original bytes; and only then the claims.
/// `none`, HMAC and any algorithm outside ``RSASignatureAlgorithm`` cannot be expressed, so they can never verify.
public struct JWSVerifier: Sendable {
    /// The keys, by position.
    public let keys: [JWSVerificationKey]
    /// The algorithms accepted at all.
    public let allowedAlgorithms: Set<RSASignatureAlgorithm>
    /// The claims policy.
    public let policy: JWTValidationPolicy
    /// Tokens longer than this are rejected before any other work.
    public let maximumTokenBytes: Int
    /// Limits for header and payload JSON.
    public let jsonLimits: StrictJSON.Limits
    /// Bit `algorithm.index` is set for each allowed algorithm.
    let allowedMask: Int
    /// Whether every key's `kid` is ASCII (then an ASCII `kid` that matches none exactly matches none at all).
    let keyIDsAreASCII: Bool
    /// The policy's `typ`, lower-cased without `application/`, when it is ASCII (`nil`: compare as Swift strings).
    let expectedTypeKey: [UInt8]?
    /// The longest signature of any key.
    let largestSignatureByteCount: Int

    /// Creates a verifier.
    ///
    /// - Parameters:
    ///   - keys: At least one key; `kid`s must be unique; when there are several keys each needs a `kid`.
    ///   - allowedAlgorithms: Algorithms accepted; defaults to the keys' bound algorithms.
    ///   - policy: The claims policy.
    ///   - maximumTokenBytes: Size limit (default 16 KiB).
    ///   - jsonLimits: Depth and size limits for header and payload JSON.
    /// - Throws: ``JWSError`` `key.configuration` for an empty key set, duplicate `kid`s, several keys without
    ///   `kid`, or a key bound to an algorithm outside `allowedAlgorithms`.
    public init(
        keys: [JWSVerificationKey], allowedAlgorithms: Set<RSASignatureAlgorithm>? = nil,
        policy: JWTValidationPolicy = JWTValidationPolicy(), maximumTokenBytes: Int = 16 * 1024,
        jsonLimits: StrictJSON.Limits = .default
    ) throws(JWSError) {
        guard !keys.isEmpty else { throw JWSError(.keyConfiguration, reason: "a verifier needs at least one key") }
        let allowed = allowedAlgorithms ?? Set(keys.map(\.algorithm))
        var seen = Set<String>()
        for k in keys {
            if let kid = k.keyID {
                guard seen.insert(kid).inserted else {
                    throw JWSError(.keyConfiguration, reason: "kid \"\(kid)\" is used by more than one key")
                }
            } else if keys.count > 1 {
                throw JWSError(.keyConfiguration, reason: "with several keys, every key needs a kid")
            }
            guard allowed.contains(k.algorithm) else {
                throw JWSError(.keyConfiguration, reason: "a key is bound to \(k.algorithm), which is not an allowed algorithm")
            }
        }
        self.keys = keys
        self.allowedAlgorithms = allowed
        self.policy = policy
        self.maximumTokenBytes = maximumTokenBytes
        self.jsonLimits = jsonLimits
        self.allowedMask = allowed.reduce(0) { $0 | Self.bit($1) }
        self.keyIDsAreASCII = keys.allSatisfy { $0.keyID?.utf8.allSatisfy { $0 < 0x80 } ?? true }
        self.expectedTypeKey = policy.expectedType.flatMap { t in
            t.utf8.allSatisfy { $0 < 0x80 } ? Array(Self.normalizedType(t).utf8) : nil
        }
        self.largestSignatureByteCount = keys.map(\.key.signatureByteCount).max() ?? 0
    }

    // MARK: Zero-allocation verification

    /// Scratch bytes that ``verify(_:scratch:)`` needs for `token`: its decoded payload, plus room for a decoded
    /// header or signature longer than 1 KiB (shorter ones are decoded on the stack).
    ///
    /// - Returns: 0 when the token is over the size limit or not three segments (then verification fails before
    ///   it needs scratch space).
    /// - Allocation: none.
    public func scratchByteCount(for token: UnsafeRawBufferPointer) -> Int {
        guard token.count <= maximumTokenBytes,
            let layout = try? unsafe JWSCompactLayout(scanning: token)
        else { return 0 }
        return scratchByteCount(layout)
    }

    /// Scratch bytes that are enough for any token this verifier accepts (about ¾ of ``maximumTokenBytes``).
    public var maximumScratchByteCount: Int {
        maximumTokenBytes / 4 * 3 + 4 + (largestSignatureByteCount > Self.stackLimit ? largestSignatureByteCount : 0)
    }

    /// Decoded headers and signatures up to this size live on the stack (`withUnsafeTemporaryAllocation` never
    /// touches the heap up to 1 KiB).
    static let stackLimit = 1024

    func scratchByteCount(_ layout: JWSCompactLayout) -> Int {
        let header = Self.decodedCapacity(layout.header.count)
        let tail = max(header > Self.stackLimit ? header : 0,
                       largestSignatureByteCount > Self.stackLimit ? largestSignatureByteCount : 0)
        return Self.decodedCapacity(layout.payload.count) + tail
    }

    /// Bytes base64url-decoding `n` characters can produce (the decoder's output-space rule).
    @inline(__always) static func decodedCapacity(_ n: Int) -> Int {
        let rest = n & 3
        return n / 4 * 3 + (rest > 1 ? rest - 1 : 0)
    }

    /// Verifies a JWT without allocating: signature, then claims, read in place from `scratch`.
    ///
    /// The same checks, in the same order and with the same errors, as ``verify(_:)-(UnsafeRawBufferPointer)``:
    /// the size limit; the compact shape; the header (decoded on the stack and validated by a strict scanner that
    /// builds no values: `alg` allowed and bound to the selected key, `crit`, `typ`, `kid`); the payload's base64url;
    /// the signature over the original bytes; then the payload JSON (same scanner, into `scratch`), the registered
    /// claims' types, and the ``JWTValidationPolicy``. The payload is not parsed before the signature verifies, and
    /// if its base64url or the signature fails, the decoded bytes are wiped from `scratch`.
    ///
    /// - Parameters:
    ///   - token: The compact token bytes.
    ///   - scratch: Where the payload is decoded; at least ``scratchByteCount(for:)`` bytes (or
    ///     ``maximumScratchByteCount`` for any token). Reuse one buffer per thread.
    /// - Returns: A view of the verified claims that points into `scratch`; valid while `scratch` is alive and
    ///   unmodified.
    /// - Throws: ``JWSError`` with any of the codes in ``JWSError/Code``, the segment, and the token offset; also
    ///   `output.too-small` when `scratch` is smaller than ``scratchByteCount(for:)``. After a throw the contents
    ///   of `scratch` are unspecified.
    /// - Allocation: none on the Swift side for a token that verifies, as long as its strings that a rule compares
    ///   (`kid`, `typ`, `iss`, `sub`, `aud`) and its member names are ASCII or match exactly, and its NumericDates
    ///   have at most 15 significant digits (see ``JSONStringView/equals(_:)``); a thrown error allocates its text.
    public func verify(_ token: UnsafeRawBufferPointer, scratch: UnsafeMutableRawBufferPointer) throws(JWSError)
        -> VerifiedClaimsView
    {
        let core = try unsafe verifySignature(token, scratch: scratch)
        let payload = unsafe UnsafeRawBufferPointer(rebasing: scratch[..<core.payloadCount])
        return try unsafe checkClaims(payload, core)
    }

    /// What the signature phase established.
    struct SignatureVerdict {
        let algorithm: RSASignatureAlgorithm
        let keyIndex: Int
        /// Bytes of decoded payload at the start of the scratch buffer.
        let payloadCount: Int
        /// Token offset of the payload segment.
        let payloadStart: Int
    }

    /// Size, shape, header, payload base64url and signature, in that order; leaves the payload in `scratch`.
    func verifySignature(_ token: UnsafeRawBufferPointer, scratch: UnsafeMutableRawBufferPointer) throws(JWSError)
        -> SignatureVerdict
    {
        guard token.count <= maximumTokenBytes else {
            throw JWSError(.tooLarge, segment: .token, offset: maximumTokenBytes,
                           reason: "the token is \(token.count) bytes; this verifier accepts at most \(maximumTokenBytes)")
        }
        let layout = try unsafe JWSCompactLayout(scanning: token)
        let needed = scratchByteCount(layout)
        guard scratch.count >= needed else {
            throw JWSError(.outputTooSmall, segment: .token,
                           reason: "the scratch buffer has \(scratch.count) bytes; this token needs \(needed)")
        }
        let payloadCapacity = Self.decodedCapacity(layout.payload.count)
        let tail = unsafe UnsafeMutableRawBufferPointer(rebasing: scratch[payloadCapacity...])

        // Header.
        let headerCapacity = Self.decodedCapacity(layout.header.count)
        let headerSource = unsafe UnsafeRawBufferPointer(rebasing: token[layout.header])
        let (algorithm, keyIndex): (RSASignatureAlgorithm, Int)
        if headerCapacity <= Self.stackLimit {
            (algorithm, keyIndex) = try unsafe withUnsafeTemporaryAllocation(byteCount: headerCapacity, alignment: 8) {
                (buffer) throws(JWSError) -> (RSASignatureAlgorithm, Int) in
                try unsafe checkHeader(decodeHeader(headerSource, into: buffer))
            }
        } else {
            (algorithm, keyIndex) = try unsafe checkHeader(decodeHeader(headerSource, into: tail))
        }

        // Payload base64url (decoded now, parsed only after the signature verifies).
        let payloadCount: Int
        do throws(Base64URLError) {
            payloadCount = try unsafe Base64URL.decode(
                UnsafeRawBufferPointer(rebasing: token[layout.payload]),
                into: UnsafeMutableRawBufferPointer(rebasing: scratch[..<payloadCapacity]))
        } catch {
            unsafe UnsafeMutableRawBufferPointer(rebasing: scratch[..<payloadCapacity]).initializeMemory(as: UInt8.self, repeating: 0)
            throw JWSError.base64(error, segment: .payload, segmentStart: layout.payload.lowerBound)
        }

        // Signature over the original bytes.
        do throws(JWSError) {
            let vk = keys[keyIndex]
            let signatureByteCount = vk.key.signatureByteCount
            let signatureRange = layout.signature
            let signatureSource = unsafe UnsafeRawBufferPointer(rebasing: token[signatureRange])
            let message = unsafe UnsafeRawBufferPointer(rebasing: token[layout.signingInput])
            guard signatureRange.count == Base64URL.encodedCount(byteCount: signatureByteCount) else {
                throw unsafe signatureLengthError(signatureSource, at: signatureRange.lowerBound, key: vk.key)
            }
            if signatureByteCount <= Self.stackLimit {
                try unsafe withUnsafeTemporaryAllocation(byteCount: signatureByteCount, alignment: 8) {
                    (buffer) throws(JWSError) in
                    try unsafe checkSignature(signatureSource, at: signatureRange.lowerBound, into: buffer,
                                              message: message, key: vk, algorithm: algorithm)
                }
            } else {
                try unsafe checkSignature(signatureSource, at: signatureRange.lowerBound, into: tail,
                                          message: message, key: vk, algorithm: algorithm)
            }
        } catch {
            // Nothing of an unverified payload stays behind.
            unsafe UnsafeMutableRawBufferPointer(rebasing: scratch[..<payloadCount]).initializeMemory(as: UInt8.self, repeating: 0)
            throw error
        }
        return SignatureVerdict(algorithm: algorithm, keyIndex: keyIndex, payloadCount: payloadCount,
                                payloadStart: layout.payload.lowerBound)
    }

    private func decodeHeader(_ source: UnsafeRawBufferPointer, into buffer: UnsafeMutableRawBufferPointer)
        throws(JWSError) -> UnsafeRawBufferPointer
    {
        do throws(Base64URLError) {
            let n = try unsafe Base64URL.decode(source, into: buffer)
            return unsafe UnsafeRawBufferPointer(rebasing: buffer[..<n])
        } catch {
            throw JWSError.base64(error, segment: .header, segmentStart: 0)
        }
    }

    /// The error for a signature segment of the wrong length: its first base64url problem, else its length.
    @inline(never)
    private func signatureLengthError(_ source: UnsafeRawBufferPointer, at start: Int, key: RSAPublicKey) -> JWSError {
        let n: Int
        do throws(Base64URLError) {
            n = try unsafe Base64URL.decode(Array(source)).count
        } catch {
            return JWSError.base64(error, segment: .signature, segmentStart: start)
        }
        let expected = Base64URL.encodedCount(byteCount: key.signatureByteCount)
        return JWSError(.signatureLength, segment: .signature, offset: start,
                        reason: "the signature is \(n) bytes (\(source.count) characters); an RSA-\(key.bits) signature is \(key.signatureByteCount) bytes (\(expected) characters)")
    }

    private func checkSignature(
        _ source: UnsafeRawBufferPointer, at start: Int, into buffer: UnsafeMutableRawBufferPointer,
        message: UnsafeRawBufferPointer, key vk: JWSVerificationKey, algorithm: RSASignatureAlgorithm
    ) throws(JWSError) {
        let n: Int
        do throws(Base64URLError) {
            n = try unsafe Base64URL.decode(source, into: buffer)
        } catch {
            throw JWSError.base64(error, segment: .signature, segmentStart: start)
        }
        let signature = unsafe UnsafeRawBufferPointer(rebasing: buffer[..<n])
        let valid = unsafe vk.key.isValidSignature(signature, for: message, algorithm: algorithm)
        if let second = vk.secondOpinion {
            let otherValid = unsafe second.check(signature, message, algorithm)
            guard otherValid == valid else {
                throw JWSError(.crossCheckDisagreement, segment: .signature, offset: start,
                               reason: "OpenSSL says the signature is \(valid ? "valid" : "invalid") but \(second.name) says \(otherValid ? "valid" : "invalid"); the token is rejected")
            }
        }
        guard valid else {
            throw JWSError(.signatureInvalid, segment: .signature, offset: start,
                           reason: "the \(algorithm) signature does not verify with key \(vk.keyID.map { "\"\($0)\"" } ?? "(no kid)")")
        }
    }

    /// Scans `json` strictly, recording the registered members of `object`.
    private func scan(_ json: UnsafeRawBufferPointer, recognize object: JWSMemberSlots.Object, segment: JWSError.Segment,
                      segmentStart: Int) throws(JWSError) -> (JSONKind, JWSMemberSlots)
    {
        var slots = JWSMemberSlots(object)
        var rejectDuplicates: [JSONError]? = nil
        do throws(JSONError) {
            let kind = try unsafe StrictJSON.scan(json, limits: jsonLimits, rootMembers: &slots, duplicates: &rejectDuplicates)
            return (kind, slots)
        } catch {
            throw JWSError.json(error, segment: segment, segmentStart: segmentStart)
        }
    }

    /// Header rules in the DOM path's order: `alg`, `crit`, `typ`, `kid`, then the key's bound algorithm.
    private func checkHeader(_ header: UnsafeRawBufferPointer) throws(JWSError) -> (RSASignatureAlgorithm, Int) {
        let (kind, slots) = try unsafe scan(header, recognize: .joseHeader, segment: .header, segmentStart: 0)
        guard kind == .object, let base = header.baseAddress else {
            throw JWSError(.headerNotObject, segment: .header, offset: 0,
                           reason: "the JOSE header must be a JSON object, found \(kind.typeName)")
        }
        // alg
        let alg = slots[JWSMemberSlots.algIndex]
        guard alg.isPresent else {
            throw JWSError(.algMissing, segment: .header, offset: 0, reason: "the header has no 'alg'")
        }
        let algOffset = Self.tokenOffset(ofHeaderValue: alg)
        guard let algToken = alg.string else {
            throw JWSError(.algMissing, segment: .header, offset: algOffset, reason: "'alg' must be a string, found \(alg.kind.typeName)")
        }
        guard let algorithm = unsafe Self.algorithm(named: algToken, in: base), allowedMask & Self.bit(algorithm) != 0 else {
            throw JWSError(.algNotAllowed, segment: .header, offset: algOffset,
                           reason: algorithmNotAllowedReason(unsafe JSONStringComparison.string(algToken, in: base)))
        }
        // crit: any is rejected (the DOM check names the reason).
        if slots[JWSMemberSlots.critIndex].isPresent { try unsafe rejectCritical(header) }
        // typ
        if let expected = policy.expectedType {
            let typ = slots[JWSMemberSlots.typIndex]
            guard typ.isPresent else {
                throw JWSError(.typInvalid, segment: .header, offset: 0, reason: "the header has no 'typ'; expected \"\(expected)\"")
            }
            guard let token = typ.string, unsafe typeMatches(token, in: base, expected: expected) else {
                throw JWSError(.typInvalid, segment: .header, offset: Self.tokenOffset(ofHeaderValue: typ),
                               reason: "typ \(unsafe Self.jsonText(header, typ)) is not \"\(expected)\"")
            }
        }
        // kid
        let keyIndex: Int
        let kid = slots[JWSMemberSlots.kidIndex]
        if kid.isPresent {
            guard let token = kid.string else {
                throw JWSError(.kidUnknown, segment: .header, offset: Self.tokenOffset(ofHeaderValue: kid),
                               reason: "'kid' must be a string, found \(kid.kind.typeName)")
            }
            guard let index = unsafe indexOfKey(matching: token, in: base) else {
                throw JWSError(.kidUnknown, segment: .header, offset: Self.tokenOffset(ofHeaderValue: kid),
                               reason: kidUnknownReason(unsafe JSONStringComparison.string(token, in: base)))
            }
            keyIndex = index
        } else {
            guard keys.count == 1 else {
                throw JWSError(.kidMissing, segment: .header, offset: 0,
                               reason: "the header has no 'kid' and the verifier has \(keys.count) keys")
            }
            keyIndex = 0
        }
        let vk = keys[keyIndex]
        guard vk.algorithm == algorithm else {
            throw JWSError(.algNotAllowed, segment: .header, offset: algOffset, reason: algorithmBindingReason(algorithm, vk))
        }
        return (algorithm, keyIndex)
    }

    /// The token offset of a recorded header member's value.
    static func tokenOffset(ofHeaderValue slot: MemberSlot) -> Int {
        JWSCompactLayout.tokenOffset(ofDecodedByte: slot.valueOffset, segmentStart: 0)
    }

    static func bit(_ algorithm: RSASignatureAlgorithm) -> Int {
        algorithm == .rs256 ? 1 : algorithm == .rs384 ? 2 : 4
    }

    /// The algorithm whose JOSE name the token spells (escapes resolved), if any.
    static func algorithm(named token: JSONStringToken, in base: UnsafeRawPointer) -> RSASignatureAlgorithm? {
        switch unsafe JSONStringComparison.shortASCIIKey(token, in: base) {
        case rs256Key: .rs256
        case rs384Key: .rs384
        case rs512Key: .rs512
        default: nil
        }
    }

    static var rs256Key: UInt64 { 0x0500_0036_3532_5352 }  // "RS256"
    static var rs384Key: UInt64 { 0x0500_0034_3833_5352 }  // "RS384"
    static var rs512Key: UInt64 { 0x0500_0032_3135_5352 }  // "RS512"

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
            return Self.normalizedType(unsafe JSONStringComparison.string(token, in: base)) == Self.normalizedType(expected)
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
            let same = id.withUTF8 { unsafe JSONStringComparison.equalScalars(token, in: base, toUTF8: UnsafeRawBufferPointer($0)) }
            if same { return i }
        }
        guard !(token.isASCII && keyIDsAreASCII) else { return nil }
        let kid = unsafe JSONStringComparison.string(token, in: base)
        return keys.firstIndex { $0.keyID == kid }
    }

    /// Payload JSON, registered claim types (the first problem in source order), then the policy.
    private func checkClaims(_ payload: UnsafeRawBufferPointer, _ verdict: SignatureVerdict) throws(JWSError)
        -> VerifiedClaimsView
    {
        let payloadStart = verdict.payloadStart
        let (kind, slots) = try unsafe scan(payload, recognize: .jwtClaims, segment: .payload, segmentStart: payloadStart)
        guard kind == .object, let base = payload.baseAddress else {
            throw JWSError(.payloadNotObject, segment: .payload, offset: payloadStart,
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
                    let d = unsafe NumericDate.parseJSONNumber(UnsafeRawBufferPointer(rebasing: payload[slot.valueOffset..<slot.end]))
                {
                    let date = NumericDate(d)
                    if i == JWSMemberSlots.expIndex { dates.exp = date } else if i == JWSMemberSlots.nbfIndex { dates.nbf = date } else { dates.iat = date }
                    ok = true
                } else {
                    ok = false
                }
            case JWSMemberSlots.audIndex:
                ok = unsafe (slot.kind == .string || (slot.kind == .array && Self.firstNonString(in: payload, array: slot) == nil))
            default:
                ok = slot.kind == .string
            }
            if !ok && slot.valueOffset < firstBadOffset {
                firstBad = i
                firstBadOffset = slot.valueOffset
            }
        }
        if firstBad >= 0 { throw unsafe claimTypeError(payload, slots[firstBad], index: firstBad, payloadStart: payloadStart) }

        func text(_ index: Int) -> JSONStringView? {
            unsafe slots[index].string.map { unsafe JSONStringView(base: base, token: $0) }
        }
        let aud = slots[JWSMemberSlots.audIndex]
        let view = unsafe VerifiedClaimsView(
            algorithm: verdict.algorithm, keyID: keys[verdict.keyIndex].keyID, payload: payload,
            expiresAt: dates.exp, notBefore: dates.nbf, issuedAt: dates.iat,
            issuer: text(JWSMemberSlots.issIndex), subject: text(JWSMemberSlots.subIndex), id: text(JWSMemberSlots.jtiIndex),
            audience: aud.isPresent ? JWTAudienceView(base: base, valueOffset: aud.valueOffset, end: aud.end, single: aud.string) : nil)
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
    private func claimTypeError(_ payload: UnsafeRawBufferPointer, _ slot: MemberSlot, index: Int, payloadStart: Int)
        -> JWSError
    {
        let names = ["iss", "sub", "jti", "exp", "nbf", "iat", "aud"]
        let name = names[index]
        let offset = JWSCompactLayout.tokenOffset(ofDecodedByte: slot.valueOffset, segmentStart: payloadStart)
        let reason: String
        switch index {
        case JWSMemberSlots.expIndex, JWSMemberSlots.nbfIndex, JWSMemberSlots.iatIndex:
            reason = slot.kind == .number
                ? "claim '\(name)' value \(unsafe String(decoding: payload[slot.valueOffset..<slot.end], as: UTF8.self)) is not a finite number"
                : "claim '\(name)' must be a NumericDate (a JSON number of seconds), found \(slot.kind.typeName)"
        case JWSMemberSlots.audIndex:
            reason = slot.kind == .array
                ? "claim 'aud' array must hold strings, found \((unsafe Self.firstNonString(in: payload, array: slot) ?? .null).typeName)"
                : "claim 'aud' must be a string or an array of strings, found \(slot.kind.typeName)"
        default:
            reason = "claim '\(name)' must be a string, found \(slot.kind.typeName)"
        }
        return JWSError(.claimInvalid, segment: .payload, offset: offset, reason: reason)
    }

    // MARK: Allocating verification (the zero-allocation path, then a DOM of what it verified)

    /// Verifies a JWT: signature, then claims.
    ///
    /// Runs ``verify(_:scratch:)`` (so both reach the same verdict with the same error), then builds the header and
    /// payload values of what it verified.
    ///
    /// - Parameter token: The compact token bytes.
    /// - Returns: The verified header and claims.
    /// - Throws: ``JWSError`` with any of the codes in ``JWSError/Code``, the segment, and the token offset.
    /// - Allocation: allocates the decoded header, payload and claims.
    public func verify(_ token: UnsafeRawBufferPointer) throws(JWSError) -> VerifiedJWT {
        var algorithm = RSASignatureAlgorithm.rs256
        var keyID: String?
        var payloadStart = 0
        let payload = try unsafe [UInt8](unsafeUninitializedCapacity: scratchByteCount(for: token)) {
            (buffer, initialized) throws(JWSError) in
            let view = try unsafe verify(token, scratch: UnsafeMutableRawBufferPointer(buffer))
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
    /// - Throws: as ``verify(_:)-(UnsafeRawBufferPointer)``.
    public func verify(_ token: String) throws(JWSError) -> VerifiedJWT {
        try unsafe token.utf8Span.span.withUnsafeBytes { (b) throws(JWSError) -> VerifiedJWT in try unsafe verify(b) }
    }

    /// Verifies only the signature of a JWS (any payload), with no claims checks.
    ///
    /// - Throws: ``JWSError`` for the size, shape, header, key selection and signature.
    /// - Allocation: allocates the decoded header and payload.
    public func verifySignature(_ token: UnsafeRawBufferPointer) throws(JWSError) -> VerifiedJWS {
        var verdict: SignatureVerdict?
        let payload = try unsafe [UInt8](unsafeUninitializedCapacity: scratchByteCount(for: token)) {
            (buffer, initialized) throws(JWSError) in
            let v = try unsafe verifySignature(token, scratch: UnsafeMutableRawBufferPointer(buffer))
            verdict = v
            initialized = v.payloadCount
        }
        guard let verdict else { throw JWSError(.crypto, reason: "unreachable: no verdict") }
        let header = try unsafe headerObject(token, JWSCompactLayout(scanning: token))
        return VerifiedJWS(header: header, payload: payload, algorithm: verdict.algorithm, keyID: keys[verdict.keyIndex].keyID)
    }

    /// The header of a token whose header has been validated.
    private func headerObject(_ token: UnsafeRawBufferPointer, _ layout: JWSCompactLayout) throws(JWSError) -> JSONObject {
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

    // MARK: Shared rules and messages

    /// `typ` as compared: lower-cased, without an `application/` prefix (RFC 7515 §4.1.9).
    static func normalizedType(_ s: String) -> String {
        let l = s.lowercased()
        return l.hasPrefix("application/") ? String(l.dropFirst("application/".count)) : l
    }

    func algorithmNotAllowedReason(_ name: String) -> String {
        let allowedList = allowedAlgorithms.map(\.jwsName).sorted().joined(separator: ", ")
        let why = name.lowercased() == "none" ? " (unsigned tokens are never accepted)"
            : name.hasPrefix("HS") ? " (HMAC with an RSA public key as the secret is a known attack)" : ""
        return "alg \"\(name)\" is not allowed\(why); allowed: \(allowedList)"
    }

    func algorithmBindingReason(_ algorithm: RSASignatureAlgorithm, _ vk: JWSVerificationKey) -> String {
        "alg \(algorithm) does not match the selected key, which is bound to \(vk.algorithm)"
    }

    func kidUnknownReason(_ kid: String) -> String {
        let shown = kid.count > 64 ? String(kid.prefix(64)) + "…" : kid
        return "kid \"\(shown)\" matches none of the verifier's \(keys.count) key(s)"
    }

    /// RFC 7515 §4.1.11: `crit` must be a non-empty array of unique names of header parameters that are present,
    /// are not registered JWS parameters, and are understood; Signet understands no extensions, so any valid
    /// `crit` is rejected too.
    func checkCritical(_ header: JSONObject) throws(JWSError) {
        guard let member = header.member("crit") else { return }
        let offset = headerOffset(header, "crit")
        guard case .array(let items) = member.value, !items.isEmpty else {
            throw JWSError(.critUnsupported, segment: .header, offset: offset, reason: "'crit' must be a non-empty array of strings")
        }
        var names = Set<String>()
        for item in items {
            guard case .string(let name) = item else {
                throw JWSError(.critUnsupported, segment: .header, offset: offset, reason: "'crit' must hold only strings")
            }
            guard names.insert(name).inserted else {
                throw JWSError(.critUnsupported, segment: .header, offset: offset, reason: "'crit' lists \"\(name)\" twice")
            }
            let registered: Set<String> = ["alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit"]
            guard !registered.contains(name) else {
                throw JWSError(.critUnsupported, segment: .header, offset: offset, reason: "'crit' may not list the registered parameter \"\(name)\"")
            }
            guard header.member(name) != nil else {
                throw JWSError(.critUnsupported, segment: .header, offset: offset, reason: "'crit' lists \"\(name)\", which is not in the header")
            }
        }
        throw JWSError(.critUnsupported, segment: .header, offset: offset,
                       reason: "critical extension(s) \(names.sorted().joined(separator: ", ")) are not understood by this verifier")
    }

}
