// SPDX-License-Identifier: Apache-2.0

// Deliberately independent: key parsing also exists on the OpenSSL path, and GMPVerifier shares no code with it, so that
// its verdicts are a real second opinion (see the GMPVerifier module overview).

/// Parsers for the `SubjectPublicKeyInfo` of an EC key (RFC 5480) and of an Ed25519 key (RFC 8410), with the same
/// strict DER rules as ``RSAKeyDER``.
enum ECKeyDER {
    /// `06 07 2A 86 48 CE 3D 02 01`: OBJECT IDENTIFIER id-ecPublicKey (1.2.840.10045.2.1), RFC 5480 §2.1.1.
    static let ecPublicKeyOID: [UInt8] = [0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01]
    /// `06 03 2B 65 70`: OBJECT IDENTIFIER id-Ed25519 (1.3.101.112), RFC 8410 §3.
    static let ed25519OID: [UInt8] = [0x06, 0x03, 0x2B, 0x65, 0x70]

    /// `SEQUENCE { SEQUENCE { id-ecPublicKey, namedCurve OID }, BIT STRING (ECPoint) }` (RFC 5480 §2): the curve
    /// and the SEC 1 point octets, with the offset of the point's first octet.
    static func parseECSubjectPublicKeyInfo(
        _ der: [UInt8]
    ) throws(GMPVerifierError) -> (curve: GMPCurve, point: ArraySlice<UInt8>, offset: Int) {
        var top = DERReader(der)
        var spki = try top.read(tag: 0x30, "SubjectPublicKeyInfo")
        try top.expectEnd("SubjectPublicKeyInfo")
        var algorithm = try spki.read(tag: 0x30, "AlgorithmIdentifier")
        try algorithm.readExact(ecPublicKeyOID, "AlgorithmIdentifier.algorithm (id-ecPublicKey)")
        let curveStart = algorithm.position
        _ = try algorithm.read(tag: 0x06, "ECParameters namedCurve")
        let curveOID = der[curveStart..<algorithm.position]
        guard let curve = GMPCurve.allCases.first(where: { curveOID.elementsEqual($0.oidDER) }) else {
            throw .unsupportedCurve("namedCurve is not P-256, P-384 or P-521", at: curveStart)
        }
        try algorithm.expectEnd("AlgorithmIdentifier")
        let (point, offset) = try readBitString(&spki, der)
        try spki.expectEnd("SubjectPublicKeyInfo")
        return (curve, point, offset)
    }

    /// `SEQUENCE { SEQUENCE { id-Ed25519 }, BIT STRING (32 octets) }` (RFC 8410 §4; the parameters must be
    /// absent): the raw public key octets and their offset.
    static func parseEd25519SubjectPublicKeyInfo(
        _ der: [UInt8]
    ) throws(GMPVerifierError) -> (key: ArraySlice<UInt8>, offset: Int) {
        var top = DERReader(der)
        var spki = try top.read(tag: 0x30, "SubjectPublicKeyInfo")
        try top.expectEnd("SubjectPublicKeyInfo")
        var algorithm = try spki.read(tag: 0x30, "AlgorithmIdentifier")
        let oidStart = algorithm.position
        guard algorithm.remaining.count >= ed25519OID.count,
            der[oidStart..<(oidStart + ed25519OID.count)].elementsEqual(ed25519OID)
        else { throw .unsupportedCurve("AlgorithmIdentifier.algorithm is not id-Ed25519", at: oidStart) }
        try algorithm.readExact(ed25519OID, "AlgorithmIdentifier.algorithm (id-Ed25519)")
        try algorithm.expectEnd("AlgorithmIdentifier (parameters must be absent)")
        let (key, offset) = try readBitString(&spki, der)
        try spki.expectEnd("SubjectPublicKeyInfo")
        return (key, offset)
    }

    /// A BIT STRING with 0 unused bits: its octets after the unused-bits octet.
    private static func readBitString(
        _ reader: inout DERReader, _ der: [UInt8]
    ) throws(GMPVerifierError) -> (ArraySlice<UInt8>, Int) {
        let bitString = try reader.read(tag: 0x03, "subjectPublicKey BIT STRING")
        let bits = bitString.remaining
        guard let first = bits.first else {
            throw .invalidDER("subjectPublicKey BIT STRING: no content octets", at: bits.lowerBound)
        }
        guard der[first] == 0 else {
            throw .invalidDER("subjectPublicKey BIT STRING: \(der[first]) unused bits; must be 0", at: first)
        }
        return (der[(first + 1)..<bits.upperBound], first + 1)
    }
}
