// SPDX-License-Identifier: Apache-2.0

/// The registered members the verifier reads, by fixed index (JOSE header: `alg`, `kid`, `typ`, `crit`; JWT claims:
/// `iss`, `sub`, `jti`, `exp`, `nbf`, `iat`, `aud`), recorded while the scanner validates the root object.
struct JWSMemberSlots: JSONRootMemberRecorder {
    /// Which object's members to record.
    enum Object {
        case joseHeader, jwtClaims
    }

    let object: Object
    var s0 = MemberSlot.absent, s1 = MemberSlot.absent, s2 = MemberSlot.absent, s3 = MemberSlot.absent
    var s4 = MemberSlot.absent, s5 = MemberSlot.absent, s6 = MemberSlot.absent

    static let count = 7

    subscript(i: Int) -> MemberSlot {
        get {
            switch i {
            case 0: s0
            case 1: s1
            case 2: s2
            case 3: s3
            case 4: s4
            case 5: s5
            default: s6
            }
        }
        set {
            switch i {
            case 0: s0 = newValue
            case 1: s1 = newValue
            case 2: s2 = newValue
            case 3: s3 = newValue
            case 4: s4 = newValue
            case 5: s5 = newValue
            default: s6 = newValue
            }
        }
    }

    init(_ object: Object) { self.object = object }

    /// Records `name` when it is one of `object`'s registered members (names compare as decoded strings).
    mutating func record(name: JSONStringToken, value: MemberSlot, in base: UnsafeRawPointer) {
        guard let key = unsafe JSONStringComparison.shortASCIIKey(name, in: base) else { return }
        let index: Int
        switch (object, key) {
        case (.joseHeader, Self.alg): index = Self.algIndex
        case (.joseHeader, Self.kid): index = Self.kidIndex
        case (.joseHeader, Self.typ): index = Self.typIndex
        case (.joseHeader, Self.crit): index = Self.critIndex
        case (.jwtClaims, Self.iss): index = Self.issIndex
        case (.jwtClaims, Self.sub): index = Self.subIndex
        case (.jwtClaims, Self.jti): index = Self.jtiIndex
        case (.jwtClaims, Self.exp): index = Self.expIndex
        case (.jwtClaims, Self.nbf): index = Self.nbfIndex
        case (.jwtClaims, Self.iat): index = Self.iatIndex
        case (.jwtClaims, Self.aud): index = Self.audIndex
        default: return
        }
        self[index] = value
    }

    // Names packed little-endian with their length in the top byte, as ``JSONStringComparison/shortASCIIKey`` packs
    // them; literal constants, since a `static let` costs a `swift_once` check on every use.
    static let algIndex = 0, kidIndex = 1, typIndex = 2, critIndex = 3
    static var alg: UInt64 { 0x0300_0000_0067_6C61 }  // "alg"
    static var kid: UInt64 { 0x0300_0000_0064_696B }  // "kid"
    static var typ: UInt64 { 0x0300_0000_0070_7974 }  // "typ"
    static var crit: UInt64 { 0x0400_0000_7469_7263 }  // "crit"
    static var iss: UInt64 { 0x0300_0000_0073_7369 }  // "iss"
    static var sub: UInt64 { 0x0300_0000_0062_7573 }  // "sub"
    static var jti: UInt64 { 0x0300_0000_0069_746A }  // "jti"
    static var exp: UInt64 { 0x0300_0000_0070_7865 }  // "exp"
    static var nbf: UInt64 { 0x0300_0000_0066_626E }  // "nbf"
    static var iat: UInt64 { 0x0300_0000_0074_6169 }  // "iat"
    static var aud: UInt64 { 0x0300_0000_0064_7561 }  // "aud"
    static let issIndex = 0, subIndex = 1, jtiIndex = 2, expIndex = 3, nbfIndex = 4, iatIndex = 5, audIndex = 6
}
