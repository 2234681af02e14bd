// SPDX-License-Identifier: Apache-2.0

import Base64URL
import SignetKeys

// The zero-allocation path: scratch sizing, then size, shape, header, payload base64url and signature.
extension JWSVerifier {
    /// Scratch bytes that ``verify(_:scratch:)`` needs for `token`: its decoded payload, plus room for a decoded
    /// header or signature longer than 1 KiB (shorter ones are decoded on the stack).
    ///
    /// - Returns: 0 when the token is over the size limit or not three segments (then verification fails before
    ///   it needs scratch space).
    /// - Allocation: none.
    public func scratchByteCount(for token: RawSpan) -> Int {
        unsafe token.withUnsafeBytes { unsafe scratchByteCount(forBuffer: $0) }
    }

    /// The pointer form of ``scratchByteCount(for:)``, for the allocating entry points.
    func scratchByteCount(forBuffer token: UnsafeRawBufferPointer) -> Int {
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
        let tail = max(
            header > Self.stackLimit ? header : 0,
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
    /// The same checks, in the same order and with the same errors, as ``verify(_:)-(RawSpan)``:
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
    /// - Returns: A view of the verified claims in `scratch`, `~Escapable` and lifetime-bound to it: the compiler
    ///   keeps `scratch` from being written or released while the view is in use.
    /// - Throws: ``JWSError`` with any of the codes in ``JWSError/Code``, the segment, and the token offset; also
    ///   `output.too-small` when `scratch` is smaller than ``scratchByteCount(for:)``. After a throw the contents
    ///   of `scratch` are unspecified.
    /// - Allocation: none on the Swift side for a token that verifies, as long as its strings that a rule compares
    ///   (`kid`, `typ`, `iss`, `sub`, `aud`) and its member names are ASCII or match exactly, and its NumericDates
    ///   have at most 15 significant digits (see ``JSONStringView/equals(_:)``); a thrown error allocates its text.
    @_lifetime(&scratch)
    public func verify(_ token: RawSpan, scratch: inout MutableRawSpan) throws(JWSError) -> VerifiedClaimsView {
        let refs = try unsafe token.withUnsafeBytes { (token) throws(JWSError) -> VerifiedClaimsRefs in
            try unsafe scratch.withUnsafeMutableBytes { (scratch) throws(JWSError) -> VerifiedClaimsRefs in
                try unsafe verifyInPlace(token, scratch: scratch)
            }
        }
        let payloadCount = unsafe refs.payload.count
        return unsafe VerifiedClaimsView(refs, payload: scratch.bytes.extracting(0..<payloadCount))
    }

    /// The pointer form of ``verify(_:scratch:)``, for the allocating entry points.
    func verifyInPlace(
        _ token: UnsafeRawBufferPointer, scratch: UnsafeMutableRawBufferPointer
    ) throws(JWSError)
        -> VerifiedClaimsRefs
    {
        let core = try unsafe verifySignature(token, scratch: scratch)
        let payload = unsafe UnsafeRawBufferPointer(rebasing: scratch[..<core.payloadCount])
        return try unsafe checkClaims(payload, core)
    }

    /// What the signature phase established.
    struct SignatureVerdict {
        let algorithm: JWSAlgorithm
        let keyIndex: Int
        /// Bytes of decoded payload at the start of the scratch buffer.
        let payloadCount: Int
        /// Token offset of the payload segment.
        let payloadStart: Int
    }

    /// Size, shape, header, payload base64url and signature, in that order; leaves the payload in `scratch`.
    func verifySignature(
        _ token: UnsafeRawBufferPointer, scratch: UnsafeMutableRawBufferPointer
    ) throws(JWSError)
        -> SignatureVerdict
    {
        guard token.count <= maximumTokenBytes else {
            throw JWSError(
                .tooLarge, segment: .token, offset: maximumTokenBytes,
                reason: "the token is \(token.count) bytes; this verifier accepts at most \(maximumTokenBytes)")
        }
        let layout = try unsafe JWSCompactLayout(scanning: token)
        let needed = scratchByteCount(layout)
        guard scratch.count >= needed else {
            throw JWSError(
                .outputTooSmall, segment: .token,
                reason: "the scratch buffer has \(scratch.count) bytes; this token needs \(needed)")
        }
        let payloadCapacity = Self.decodedCapacity(layout.payload.count)
        let tail = unsafe UnsafeMutableRawBufferPointer(rebasing: scratch[payloadCapacity...])

        // Header.
        let headerCapacity = Self.decodedCapacity(layout.header.count)
        let headerSource = unsafe UnsafeRawBufferPointer(rebasing: token[layout.header])
        let (algorithm, keyIndex): (JWSAlgorithm, Int)
        if headerCapacity <= Self.stackLimit {
            (algorithm, keyIndex) = try unsafe withUnsafeTemporaryAllocation(byteCount: headerCapacity, alignment: 8) {
                (buffer) throws(JWSError) -> (JWSAlgorithm, Int) in
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
            unsafe UnsafeMutableRawBufferPointer(rebasing: scratch[..<payloadCapacity]).initializeMemory(
                as: UInt8.self, repeating: 0)
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
                    try unsafe checkSignature(
                        signatureSource, at: signatureRange.lowerBound, into: buffer,
                        message: message, key: vk, algorithm: algorithm)
                }
            } else {
                try unsafe checkSignature(
                    signatureSource, at: signatureRange.lowerBound, into: tail,
                    message: message, key: vk, algorithm: algorithm)
            }
        } catch {
            // Nothing of an unverified payload stays behind.
            unsafe UnsafeMutableRawBufferPointer(rebasing: scratch[..<payloadCount]).initializeMemory(
                as: UInt8.self, repeating: 0)
            throw error
        }
        return SignatureVerdict(
            algorithm: algorithm, keyIndex: keyIndex, payloadCount: payloadCount,
            payloadStart: layout.payload.lowerBound)
    }

    private func decodeHeader(
        _ source: UnsafeRawBufferPointer, into buffer: UnsafeMutableRawBufferPointer
    )
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
    private func signatureLengthError(_ source: UnsafeRawBufferPointer, at start: Int, key: JWSPublicKey) -> JWSError {
        let n: Int
        do throws(Base64URLError) {
            n = try unsafe Base64URL.decode(Array(source)).count
        } catch {
            return JWSError.base64(error, segment: .signature, segmentStart: start)
        }
        let expected = Base64URL.encodedCount(byteCount: key.signatureByteCount)
        return JWSError(
            .signatureLength, segment: .signature, offset: start,
            reason:
                "the signature is \(n) bytes (\(source.count) characters); a \(key.keyDescription) signature is \(key.signatureByteCount) bytes (\(expected) characters)"
        )
    }

    private func checkSignature(
        _ source: UnsafeRawBufferPointer, at start: Int, into buffer: UnsafeMutableRawBufferPointer,
        message: UnsafeRawBufferPointer, key vk: JWSVerificationKey, algorithm: JWSAlgorithm
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
                throw JWSError(
                    .crossCheckDisagreement, segment: .signature, offset: start,
                    reason:
                        "\(vk.key.verifierName) says the signature is \(valid ? "valid" : "invalid") but \(second.name) says \(otherValid ? "valid" : "invalid"); the token is rejected"
                )
            }
        }
        guard valid else {
            throw JWSError(
                .signatureInvalid, segment: .signature, offset: start,
                reason:
                    "the \(algorithm) signature does not verify with key \(vk.keyID.map { "\"\($0)\"" } ?? "(no kid)")")
        }
    }

    /// Scans `json` strictly, recording the registered members of `object`.
    func scan(
        _ json: UnsafeRawBufferPointer, recognize object: JWSMemberSlots.Object, segment: JWSError.Segment,
        segmentStart: Int
    ) throws(JWSError) -> (JSONKind, JWSMemberSlots) {
        var slots = JWSMemberSlots(object)
        var rejectDuplicates: [JSONError]? = nil
        do throws(JSONError) {
            let kind = try unsafe StrictJSON.scan(
                json, limits: jsonLimits, rootMembers: &slots, duplicates: &rejectDuplicates)
            return (kind, slots)
        } catch {
            throw JWSError.json(error, segment: segment, segmentStart: segmentStart)
        }
    }
}
