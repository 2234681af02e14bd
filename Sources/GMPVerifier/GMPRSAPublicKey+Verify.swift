// SPDX-License-Identifier: Apache-2.0

extension GMPRSAPublicKey {
    /// The result of one verification, before it becomes a `Bool` or an error (no allocation on any path).
    enum Outcome: Equatable {
        case valid
        case signatureLength(Int)
        case digestLength(Int)
        case outOfRange
        case mismatch(EMSAPKCS1v15.Region)
        case pssInconsistent(EMSAPSS.Failure)
        case invalidSaltLength(Int)

        func error(_ key: GMPRSAPublicKey, _ algorithm: GMPRSAAlgorithm) -> GMPVerifierError? {
            switch self {
            case .valid: nil
            case .signatureLength(let n): .signatureLength(actual: n, expected: key.signatureByteCount)
            case .digestLength(let n): .digestLength(actual: n, algorithm: algorithm)
            case .outOfRange: .signatureOutOfRange()
            case .mismatch(let region): .encodingMismatch(region, algorithm: algorithm)
            case .pssInconsistent(let step): .pssInconsistent(step, algorithm: algorithm.jwsName)
            case .invalidSaltLength(let n): .invalidSaltLength(n)
            }
        }
    }

    /// RSASSA-PKCS1-v1_5-VERIFY (RFC 8017 §8.2.2), or RSASSA-PSS-VERIFY (§8.1.2) for a PS algorithm, for an
    /// already computed digest.
    ///
    /// PKCS#1 v1.5: one stack scratch area holds EM (the decoded block) and EM′ (the expected block); GMP's limb
    /// allocations for the two temporaries are its only heap use.
    func outcome(
        signature: UnsafeRawBufferPointer, digest: UnsafeRawBufferPointer, algorithm: GMPRSAAlgorithm
    )
        -> Outcome
    {
        let k = signatureByteCount
        guard signature.count == k else { return .signatureLength(signature.count) }
        guard digest.count == algorithm.digestByteCount, let digestBase = digest.baseAddress else {
            return .digestLength(digest.count)
        }
        if algorithm.padding == .pss {
            let mHash = unsafe [UInt8](UnsafeRawBufferPointer(start: digestBase, count: digest.count))
            return unsafe pssOutcome(
                signature: signature, mHash: mHash, hash: algorithm.hash, saltLength: algorithm.digestByteCount)
        }
        return unsafe withUnsafeTemporaryAllocation(byteCount: 2 * k, alignment: 16) { scratch -> Outcome in
            let decoded = unsafe UnsafeMutableRawBufferPointer(rebasing: scratch[0..<k])
            let expected = unsafe UnsafeMutableRawBufferPointer(rebasing: scratch[k..<(2 * k)])
            guard unsafe GMPInteger.rsavp1(signature: signature, exponent: e, modulus: n, into: decoded) else {
                return .outOfRange
            }
            guard unsafe EMSAPKCS1v15.encode(digest: digestBase, algorithm: algorithm, into: expected),
                let a = decoded.baseAddress, let b = expected.baseAddress
            else { return .mismatch(.header) }
            if unsafe EMSAPKCS1v15.equal(a, b, count: k) { return .valid }
            return unsafe .mismatch(EMSAPKCS1v15.firstDifference(a, b, count: k, algorithm: algorithm))
        }
    }

    /// Hashes `message` with the algorithm's hash into stack memory, then verifies.
    func outcome(
        signature: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer, algorithm: GMPRSAAlgorithm
    )
        -> Outcome
    {
        guard signature.count == signatureByteCount else { return .signatureLength(signature.count) }
        return unsafe withUnsafeTemporaryAllocation(byteCount: SHA512.byteCount, alignment: 16) { digest -> Outcome in
            guard let base = digest.baseAddress else { return .digestLength(0) }
            unsafe algorithm.digest(message, into: base)
            let d = unsafe UnsafeRawBufferPointer(rebasing: digest[0..<algorithm.digestByteCount])
            return unsafe outcome(signature: signature, digest: d, algorithm: algorithm)
        }
    }

    // MARK: - Bool API

    /// Checks an RSASSA-PKCS1-v1_5 signature over `message` (RFC 8017 §8.2.2), for example a JWS signing input.
    ///
    /// The message is hashed with the algorithm's hash (this module's own SHA-2), `s^e mod n` is computed with GMP,
    /// and the whole k-byte block is compared with the one valid encoding.
    /// - Parameters:
    ///   - signature: Exactly ``signatureByteCount`` bytes.
    ///   - message: The signed bytes.
    ///   - algorithm: ``GMPRSAAlgorithm/rs256``, ``GMPRSAAlgorithm/rs384`` or ``GMPRSAAlgorithm/rs512``.
    /// - Returns: `true` only for a valid signature; any malformed input gives `false`.
    ///
    /// Allocation: none from Swift (scratch is on the stack); GMP allocates and frees limbs for two temporaries.
    public func isValidSignature(_ signature: RawSpan, for message: RawSpan, algorithm: GMPRSAAlgorithm) -> Bool {
        unsafe signature.withUnsafeBytes { s in
            unsafe message.withUnsafeBytes { m in unsafe outcome(signature: s, message: m, algorithm: algorithm) }
        } == .valid
    }

    /// Checks an RSASSA-PKCS1-v1_5 signature over `message`; the `@unsafe` raw-buffer form of
    /// ``isValidSignature(_:for:algorithm:)-(RawSpan,RawSpan,_)``, for memory that comes from C.
    /// - Parameters:
    ///   - signature: Exactly ``signatureByteCount`` bytes.
    ///   - message: The signed bytes.
    ///   - algorithm: The algorithm the signature must use.
    /// - Returns: `true` only for a valid signature.
    ///
    /// Allocation: none from Swift; GMP allocates and frees limbs for two temporaries.
    @unsafe
    public func isValidSignature(
        _ signature: UnsafeRawBufferPointer, for message: UnsafeRawBufferPointer, algorithm: GMPRSAAlgorithm
    ) -> Bool {
        unsafe outcome(signature: signature, message: message, algorithm: algorithm) == .valid
    }

    /// Checks an RSASSA-PKCS1-v1_5 signature over `message`; array form of
    /// ``isValidSignature(_:for:algorithm:)-(RawSpan,RawSpan,_)``, for memory that comes from C.
    /// - Parameters:
    ///   - signature: Exactly ``signatureByteCount`` bytes.
    ///   - message: The signed bytes.
    ///   - algorithm: The algorithm the signature must use.
    /// - Returns: `true` only for a valid signature.
    ///
    /// Allocation: none from Swift; GMP allocates and frees limbs for two temporaries.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8], algorithm: GMPRSAAlgorithm) -> Bool {
        unsafe isValidSignature(signature.span.bytes, for: message.span.bytes, algorithm: algorithm)
    }

    /// Checks an RSASSA-PKCS1-v1_5 signature against a digest computed elsewhere (the "pre-hashed" form).
    /// - Parameters:
    ///   - signature: Exactly ``signatureByteCount`` bytes.
    ///   - digest: The message's digest under the algorithm's hash (``GMPRSAAlgorithm/digestByteCount`` bytes).
    ///   - algorithm: The algorithm the signature must use.
    /// - Returns: `true` only for a valid signature; a digest of the wrong length gives `false`.
    ///
    /// Allocation: none from Swift; GMP allocates and frees limbs for two temporaries.
    public func isValidSignature(_ signature: RawSpan, forDigest digest: RawSpan, algorithm: GMPRSAAlgorithm) -> Bool {
        unsafe signature.withUnsafeBytes { s in
            unsafe digest.withUnsafeBytes { d in unsafe outcome(signature: s, digest: d, algorithm: algorithm) }
        } == .valid
    }

    /// Checks a signature against a digest; the `@unsafe` raw-buffer form of
    /// ``isValidSignature(_:forDigest:algorithm:)-(RawSpan,RawSpan,_)``, for memory that comes from C.
    /// - Parameters:
    ///   - signature: Exactly ``signatureByteCount`` bytes.
    ///   - digest: ``GMPRSAAlgorithm/digestByteCount`` bytes.
    ///   - algorithm: The algorithm the signature must use.
    /// - Returns: `true` only for a valid signature.
    ///
    /// Allocation: none from Swift; GMP allocates and frees limbs for two temporaries.
    @unsafe
    public func isValidSignature(
        _ signature: UnsafeRawBufferPointer, forDigest digest: UnsafeRawBufferPointer, algorithm: GMPRSAAlgorithm
    ) -> Bool {
        unsafe outcome(signature: signature, digest: digest, algorithm: algorithm) == .valid
    }

    /// Checks a signature against a digest; array form of
    /// ``isValidSignature(_:forDigest:algorithm:)-(RawSpan,RawSpan,_)``, for memory that comes from C.
    /// - Parameters:
    ///   - signature: Exactly ``signatureByteCount`` bytes.
    ///   - digest: ``GMPRSAAlgorithm/digestByteCount`` bytes.
    ///   - algorithm: The algorithm the signature must use.
    /// - Returns: `true` only for a valid signature.
    ///
    /// Allocation: none from Swift; GMP allocates and frees limbs for two temporaries.
    public func isValidSignature(_ signature: [UInt8], forDigest digest: [UInt8], algorithm: GMPRSAAlgorithm) -> Bool {
        unsafe isValidSignature(signature.span.bytes, forDigest: digest.span.bytes, algorithm: algorithm)
    }

    // MARK: - Throwing API (says why)

    /// Verifies an RSASSA-PKCS1-v1_5 signature over `message` and says why it fails.
    /// - Parameters:
    ///   - signature: Exactly ``signatureByteCount`` bytes.
    ///   - message: The signed bytes.
    ///   - algorithm: The algorithm the signature must use.
    /// - Throws: ``GMPVerifierError`` with code `gmp.signature-length` (not k bytes), `gmp.signature-out-of-range`
    ///   (s ≥ n) or `gmp.encoding-mismatch` (anything else: wrong key, message, algorithm, or a bad signature;
    ///   the reason names the first differing part of the block).
    ///
    /// Allocation: none from Swift on success; the error (with its lazily built reason) on failure. GMP allocates
    /// and frees limbs for two temporaries.
    public func verifySignature(
        _ signature: RawSpan, for message: RawSpan, algorithm: GMPRSAAlgorithm
    )
        throws(GMPVerifierError)
    {
        let result = unsafe signature.withUnsafeBytes { s in
            unsafe message.withUnsafeBytes { m in unsafe outcome(signature: s, message: m, algorithm: algorithm) }
        }
        if let error = result.error(self, algorithm) { throw error }
    }

    /// Verifies a signature over `message` and says why it fails; the `@unsafe` raw-buffer form of
    /// ``verifySignature(_:for:algorithm:)-(RawSpan,RawSpan,_)``, for memory that comes from C.
    /// - Parameters:
    ///   - signature: Exactly ``signatureByteCount`` bytes.
    ///   - message: The signed bytes.
    ///   - algorithm: The algorithm the signature must use.
    /// - Throws: ``GMPVerifierError``: `gmp.signature-length`, `gmp.signature-out-of-range` or
    ///   `gmp.encoding-mismatch`.
    ///
    /// Allocation: none from Swift on success; GMP allocates and frees limbs for two temporaries.
    @unsafe
    public func verifySignature(
        _ signature: UnsafeRawBufferPointer, for message: UnsafeRawBufferPointer, algorithm: GMPRSAAlgorithm
    ) throws(GMPVerifierError) {
        if let error = unsafe outcome(signature: signature, message: message, algorithm: algorithm).error(
            self, algorithm)
        {
            throw error
        }
    }

    /// Verifies a signature over `message` and says why it fails; array form of
    /// ``verifySignature(_:for:algorithm:)-(RawSpan,RawSpan,_)``, for memory that comes from C.
    /// - Parameters:
    ///   - signature: Exactly ``signatureByteCount`` bytes.
    ///   - message: The signed bytes.
    ///   - algorithm: The algorithm the signature must use.
    /// - Throws: ``GMPVerifierError``: `gmp.signature-length`, `gmp.signature-out-of-range` or
    ///   `gmp.encoding-mismatch`.
    ///
    /// Allocation: none from Swift on success; GMP allocates and frees limbs for two temporaries.
    public func verifySignature(
        _ signature: [UInt8], for message: [UInt8], algorithm: GMPRSAAlgorithm
    )
        throws(GMPVerifierError)
    {
        try unsafe verifySignature(signature.span.bytes, for: message.span.bytes, algorithm: algorithm)
    }

    /// Verifies a signature against a digest computed elsewhere and says why it fails.
    /// - Parameters:
    ///   - signature: Exactly ``signatureByteCount`` bytes.
    ///   - digest: ``GMPRSAAlgorithm/digestByteCount`` bytes.
    ///   - algorithm: The algorithm the signature must use.
    /// - Throws: ``GMPVerifierError``: `gmp.signature-length`, `gmp.digest-length`,
    ///   `gmp.signature-out-of-range` or `gmp.encoding-mismatch`.
    ///
    /// Allocation: none from Swift on success; GMP allocates and frees limbs for two temporaries.
    public func verifySignature(
        _ signature: RawSpan, forDigest digest: RawSpan, algorithm: GMPRSAAlgorithm
    )
        throws(GMPVerifierError)
    {
        let result = unsafe signature.withUnsafeBytes { s in
            unsafe digest.withUnsafeBytes { d in unsafe outcome(signature: s, digest: d, algorithm: algorithm) }
        }
        if let error = result.error(self, algorithm) { throw error }
    }

    /// Verifies a signature against a digest and says why it fails; the `@unsafe` raw-buffer form of
    /// ``verifySignature(_:forDigest:algorithm:)-(RawSpan,RawSpan,_)``, for memory that comes from C.
    /// - Parameters:
    ///   - signature: Exactly ``signatureByteCount`` bytes.
    ///   - digest: ``GMPRSAAlgorithm/digestByteCount`` bytes.
    ///   - algorithm: The algorithm the signature must use.
    /// - Throws: ``GMPVerifierError``: `gmp.signature-length`, `gmp.digest-length`,
    ///   `gmp.signature-out-of-range` or `gmp.encoding-mismatch`.
    ///
    /// Allocation: none from Swift on success; GMP allocates and frees limbs for two temporaries.
    @unsafe
    public func verifySignature(
        _ signature: UnsafeRawBufferPointer, forDigest digest: UnsafeRawBufferPointer, algorithm: GMPRSAAlgorithm
    ) throws(GMPVerifierError) {
        if let error = unsafe outcome(signature: signature, digest: digest, algorithm: algorithm).error(self, algorithm)
        {
            throw error
        }
    }

    /// Verifies a signature against a digest and says why it fails; array form of
    /// ``verifySignature(_:forDigest:algorithm:)-(RawSpan,RawSpan,_)``, for memory that comes from C.
    /// - Parameters:
    ///   - signature: Exactly ``signatureByteCount`` bytes.
    ///   - digest: ``GMPRSAAlgorithm/digestByteCount`` bytes.
    ///   - algorithm: The algorithm the signature must use.
    /// - Throws: ``GMPVerifierError``: `gmp.signature-length`, `gmp.digest-length`,
    ///   `gmp.signature-out-of-range` or `gmp.encoding-mismatch`.
    ///
    /// Allocation: none from Swift on success; GMP allocates and frees limbs for two temporaries.
    public func verifySignature(
        _ signature: [UInt8], forDigest digest: [UInt8], algorithm: GMPRSAAlgorithm
    )
        throws(GMPVerifierError)
    {
        try unsafe verifySignature(signature.span.bytes, forDigest: digest.span.bytes, algorithm: algorithm)
    }
}
