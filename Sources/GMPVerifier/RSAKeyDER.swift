// SPDX-License-Identifier: Apache-2.0

// Deliberately independent: this concept also exists on the OpenSSL path (SignetKeys), and GMPVerifier shares no code
// with it, so that its verdicts are a real second opinion (see the GMPVerifier module overview).

/// Parsers for the two DER shapes of an RSA public key.
enum RSAKeyDER {
    /// `06 09 2A 86 48 86 F7 0D 01 01 01`: OBJECT IDENTIFIER rsaEncryption (1.2.840.113549.1.1.1).
    static let rsaEncryptionOID: [UInt8] = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]
    /// `05 00`: NULL.
    static let null: [UInt8] = [0x05, 0x00]

    /// `SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }`.
    static func parseSubjectPublicKeyInfo(
        _ der: [UInt8]
    ) throws(GMPVerifierError)
        -> (n: ArraySlice<UInt8>, e: ArraySlice<UInt8>)
    {
        var top = DERReader(der)
        var spki = try top.read(tag: 0x30, "SubjectPublicKeyInfo")
        try top.expectEnd("SubjectPublicKeyInfo")
        var algorithm = try spki.read(tag: 0x30, "AlgorithmIdentifier")
        try algorithm.readExact(rsaEncryptionOID, "AlgorithmIdentifier.algorithm (rsaEncryption)")
        try algorithm.readExact(null, "AlgorithmIdentifier.parameters (NULL)")
        try algorithm.expectEnd("AlgorithmIdentifier")
        let bitString = try spki.read(tag: 0x03, "subjectPublicKey BIT STRING")
        try spki.expectEnd("SubjectPublicKeyInfo")
        let bits = bitString.remaining
        guard let first = bits.first else {
            throw .invalidDER("subjectPublicKey BIT STRING: no content octets", at: bits.lowerBound)
        }
        guard der[first] == 0 else {
            throw .invalidDER("subjectPublicKey BIT STRING: \(der[first]) unused bits; must be 0", at: first)
        }
        return try parseRSAPublicKey(DERReader(der, range: (first + 1)..<bits.upperBound))
    }

    /// `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }`, filling all of `der`.
    static func parseRSAPublicKey(
        _ der: [UInt8]
    ) throws(GMPVerifierError) -> (n: ArraySlice<UInt8>, e: ArraySlice<UInt8>) {
        try parseRSAPublicKey(DERReader(der))
    }

    private static func parseRSAPublicKey(
        _ outer: DERReader
    ) throws(GMPVerifierError)
        -> (n: ArraySlice<UInt8>, e: ArraySlice<UInt8>)
    {
        var outer = outer
        var key = try outer.read(tag: 0x30, "RSAPublicKey")
        try outer.expectEnd("RSAPublicKey")
        let n = try key.readNonNegativeInteger("RSAPublicKey.modulus")
        let e = try key.readNonNegativeInteger("RSAPublicKey.publicExponent")
        try key.expectEnd("RSAPublicKey")
        return (n, e)
    }
}
