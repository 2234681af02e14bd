// SPDX-License-Identifier: Apache-2.0

/// Receives the members of the root object while ``StrictJSONScanner`` validates it, so a caller can find the members
/// it needs in the same pass (the verifier records the JOSE header's and the JWT claims' registered members).
protocol JSONRootMemberRecorder {
    /// Called for each member of the root object, in source order, once its value is validated.
    ///
    /// - Parameters:
    ///   - name: The member name.
    ///   - value: The value's kind and source range.
    ///   - base: The start of the JSON text both point into.
    mutating func record(name: JSONStringToken, value: MemberSlot, in base: UnsafeRawPointer)
}
