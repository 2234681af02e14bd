// SPDX-License-Identifier: Apache-2.0

/// The ``JSONRootMemberRecorder`` for a scan that needs no members (and for every object below the root).
struct IgnoredJSONMembers: JSONRootMemberRecorder {
    @inline(__always)
    func record(name: JSONStringToken, value: MemberSlot, in base: UnsafeRawPointer) {}
}
