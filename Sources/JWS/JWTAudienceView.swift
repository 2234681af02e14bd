// SPDX-License-Identifier: Apache-2.0

/// The `aud` claim in a verified payload: one string, or an array of strings.
///
/// `~Escapable`: it borrows the payload span it was read from, so the compiler keeps it from outliving the scratch
/// buffer that ``JWSVerifier/verify(_:scratch:)`` decoded into. Iterate with ``forEach(_:)``.
public struct JWTAudienceView: ~Escapable {
    /// The whole payload the claim sits in.
    let payload: RawSpan
    /// Offset of the value's first byte (`"` or `[`).
    let valueOffset: Int
    /// Offset just after the value.
    let end: Int
    /// The token when `aud` is a single string (already scanned).
    let single: JSONStringToken?

    @_lifetime(copy payload)
    init(payload: RawSpan, valueOffset: Int, end: Int, single: JSONStringToken?) {
        self.payload = payload
        self.valueOffset = valueOffset
        self.end = end
        self.single = single
    }

    /// Runs `body` on the pointer form, over the same bytes.
    func withRef<R>(_ body: (JWTAudienceRef) -> R) -> R {
        unsafe payload.withUnsafeBytes { buffer in
            // The claim lies inside a non-empty payload.
            guard let base = buffer.baseAddress else { preconditionFailure("an aud claim in an empty payload") }
            return unsafe body(JWTAudienceRef(base: base, valueOffset: valueOffset, end: end, single: single))
        }
    }

    /// Whether `aud` is a JSON array (a single string is one audience).
    public var isArray: Bool { single == nil }

    /// Whether one of the audiences equals `audience` (Swift `String` equality, as ``JSONStringView/equals(_:)``).
    ///
    /// - Allocation: as ``JSONStringView/equals(_:)``.
    public func contains(_ audience: String) -> Bool {
        unsafe withRef { unsafe $0.contains(audience) }
    }

    /// The number of audiences.
    public var count: Int { unsafe withRef { unsafe $0.count } }

    /// The audiences as strings.
    ///
    /// - Allocation: allocates.
    public var strings: [String] { unsafe withRef { unsafe $0.strings } }

    /// Calls `body` with each audience, in order.
    ///
    /// - Allocation: none.
    public func forEach<E: Error>(_ body: (borrowing JSONStringView) throws(E) -> Void) throws(E) {
        var iterator = unsafe withRef { unsafe $0.makeIterator() }
        // The iterator's pointer stays valid: `payload` borrows the same memory for the whole call.
        while let item = unsafe iterator.next() {
            try body(JSONStringView(payload: payload, token: unsafe item.token))
        }
    }
}
