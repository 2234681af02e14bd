// SPDX-License-Identifier: Apache-2.0

/// Which ASN.1 structure a DER-encoded RSA key is, found by looking at its shape before OpenSSL parses it, so that a
/// PEM label can be checked against its contents and every error can say exactly what was found.
enum DERKeyStructure: Equatable {
    /// PKCS#8 `PrivateKeyInfo` (`-----BEGIN PRIVATE KEY-----`), with the algorithm OID's DER content bytes.
    case pkcs8(algorithmOID: [UInt8])
    /// PKCS#8 `EncryptedPrivateKeyInfo` (`-----BEGIN ENCRYPTED PRIVATE KEY-----`).
    case encryptedPKCS8
    /// PKCS#1 `RSAPrivateKey` (`-----BEGIN RSA PRIVATE KEY-----`).
    case pkcs1Private
    /// X.509 `SubjectPublicKeyInfo` (`-----BEGIN PUBLIC KEY-----`), with the algorithm OID's content bytes.
    case spki(algorithmOID: [UInt8])
    /// PKCS#1 `RSAPublicKey` (`-----BEGIN RSA PUBLIC KEY-----`).
    case pkcs1Public

    /// DER content of OID 1.2.840.113549.1.1.1 (rsaEncryption).
    static let rsaEncryptionOID: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]
    /// DER content of OID 1.2.840.10045.2.1 (id-ecPublicKey).
    static let ecPublicKeyOID: [UInt8] = [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01]
    /// DER content of OID 1.3.101.112 (id-Ed25519).
    static let ed25519OID: [UInt8] = [0x2B, 0x65, 0x70]

    /// The key family the structure's algorithm names (PKCS#1 structures are RSA); `nil` for an encrypted key or an
    /// algorithm Signet does not load.
    var family: KeyFamily? {
        switch self {
        case .pkcs1Private, .pkcs1Public: return .rsa
        case .encryptedPKCS8: return nil
        case .pkcs8(let oid), .spki(let oid):
            switch oid {
            case Self.rsaEncryptionOID: return .rsa
            case Self.ecPublicKeyOID: return .ec
            case Self.ed25519OID: return .ed25519
            default: return nil
            }
        }
    }

    /// The PEM label that belongs to this structure.
    var pemLabel: String {
        switch self {
        case .pkcs8: "PRIVATE KEY"
        case .encryptedPKCS8: "ENCRYPTED PRIVATE KEY"
        case .pkcs1Private: "RSA PRIVATE KEY"
        case .spki: "PUBLIC KEY"
        case .pkcs1Public: "RSA PUBLIC KEY"
        }
    }

    /// A person's name for the structure.
    var name: String {
        switch self {
        case .pkcs8: "a PKCS#8 PrivateKeyInfo"
        case .encryptedPKCS8: "an encrypted PKCS#8 key"
        case .pkcs1Private: "a PKCS#1 RSAPrivateKey"
        case .spki: "an X.509 SubjectPublicKeyInfo"
        case .pkcs1Public: "a PKCS#1 RSAPublicKey"
        }
    }

    var isPrivate: Bool {
        switch self {
        case .pkcs8, .encryptedPKCS8, .pkcs1Private: true
        case .spki, .pkcs1Public: false
        }
    }

    /// The algorithm OID when the structure names one.
    var algorithmOID: [UInt8]? {
        switch self {
        case .pkcs8(let oid), .spki(let oid): oid
        default: nil
        }
    }

    /// Classifies a PEM block's body and checks that its label names that structure.
    ///
    /// - Throws: ``SignetKeyError`` `key.pem-label-mismatch` (e.g. a PKCS#8 body under `RSA PRIVATE KEY`), and the
    ///   codes of ``classify(_:)``.
    static func classify(_ block: PEMBlock) throws(SignetKeyError) -> DERKeyStructure {
        let structure = try classify(block.der)
        guard structure.pemLabel == block.label else {
            throw SignetKeyError(
                .pemLabelMismatch, offset: block.offset,
                reason:
                    "the PEM label says '\(block.label)' but the body is \(structure.name), which belongs under '\(structure.pemLabel)'"
            )
        }
        return structure
    }

    /// Throws ``SignetKeyError/Code/notRSA`` when the structure names an algorithm other than rsaEncryption.
    func requireRSA() throws(SignetKeyError) {
        if let oid = algorithmOID, oid != DERKeyStructure.rsaEncryptionOID {
            throw SignetKeyError(.notRSA, reason: "the key's algorithm is not rsaEncryption (1.2.840.113549.1.1.1)")
        }
    }

    /// Classifies `der` by its outer shape. Throws ``SignetKeyError/Code/derMalformed`` with the offset of the
    /// first element that fits no key structure.
    static func classify(_ der: [UInt8]) throws(SignetKeyError) -> DERKeyStructure {
        var outer = DERCursor(der)
        let seq = try outer.read(expecting: 0x30, what: "the outer SEQUENCE")
        guard outer.isAtEnd else {
            throw SignetKeyError(
                .derMalformed, offset: outer.position, reason: "trailing bytes after the key's SEQUENCE")
        }
        var body = DERCursor(der, range: seq)
        guard let firstTag = body.peekTag() else {
            throw SignetKeyError(.derMalformed, offset: seq.lowerBound, reason: "empty SEQUENCE")
        }
        if firstTag == 0x30 {
            // SPKI { AlgorithmIdentifier, BIT STRING } or EncryptedPrivateKeyInfo { AlgorithmIdentifier, OCTET STRING }
            let algorithm = try body.read(expecting: 0x30, what: "AlgorithmIdentifier")
            let secondTag = body.peekTag()
            if secondTag == 0x04 { return .encryptedPKCS8 }
            var alg = DERCursor(der, range: algorithm)
            let oid = try alg.read(expecting: 0x06, what: "the algorithm OID")
            _ = try body.read(expecting: 0x03, what: "the public key BIT STRING")
            return .spki(algorithmOID: Array(der[oid]))
        }
        guard firstTag == 0x02 else {
            throw SignetKeyError(
                .derMalformed, offset: seq.lowerBound,
                reason: "the key SEQUENCE starts with tag 0x\(String(firstTag, radix: 16)), not INTEGER or SEQUENCE")
        }
        _ = try body.read(expecting: 0x02, what: "the first INTEGER")
        if body.peekTag() == 0x30 {
            let algorithm = try body.read(expecting: 0x30, what: "AlgorithmIdentifier")
            var alg = DERCursor(der, range: algorithm)
            let oid = try alg.read(expecting: 0x06, what: "the algorithm OID")
            return .pkcs8(algorithmOID: Array(der[oid]))
        }
        var integers = 1
        while !body.isAtEnd {
            _ = try body.read(expecting: 0x02, what: "an INTEGER of the RSA key")
            integers += 1
        }
        switch integers {
        case 2: return .pkcs1Public
        case 9...: return .pkcs1Private
        default:
            throw SignetKeyError(
                .derMalformed, offset: seq.lowerBound,
                reason: "a SEQUENCE of \(integers) INTEGERs is neither RSAPublicKey (2) nor RSAPrivateKey (9)")
        }
    }
}

/// A minimal strict DER cursor: definite, minimally encoded lengths only.
struct DERCursor {
    let bytes: [UInt8]
    private(set) var position: Int
    let end: Int

    init(_ bytes: [UInt8], range: Range<Int>? = nil) {
        self.bytes = bytes
        self.position = range?.lowerBound ?? 0
        self.end = range?.upperBound ?? bytes.count
    }

    var isAtEnd: Bool { position >= end }

    func peekTag() -> UInt8? { position < end ? bytes[position] : nil }

    /// Reads one element with tag `tag` and returns the range of its contents.
    mutating func read(expecting tag: UInt8, what: String) throws(SignetKeyError) -> Range<Int> {
        let start = position
        guard position < end else {
            throw SignetKeyError(.derMalformed, offset: start, reason: "\(what) is missing (data ends early)")
        }
        guard bytes[position] == tag else {
            throw SignetKeyError(
                .derMalformed, offset: start,
                reason:
                    "expected \(what) (tag 0x\(String(tag, radix: 16))), found tag 0x\(String(bytes[position], radix: 16))"
            )
        }
        position += 1
        guard position < end else {
            throw SignetKeyError(.derMalformed, offset: position, reason: "\(what) has no length byte")
        }
        let first = bytes[position]
        position += 1
        var length = 0
        if first < 0x80 {
            length = Int(first)
        } else {
            let count = Int(first & 0x7F)
            guard count >= 1, count <= 4, end - position >= count else {
                throw SignetKeyError(.derMalformed, offset: position - 1, reason: "\(what) has an invalid length")
            }
            for _ in 0..<count {
                length = length << 8 | Int(bytes[position])
                position += 1
            }
            guard length >= 0x80, length >> ((count - 1) * 8) != 0 else {
                throw SignetKeyError(.derMalformed, offset: start + 1, reason: "\(what) has a non-minimal DER length")
            }
        }
        guard length <= end - position else {
            throw SignetKeyError(
                .derMalformed, offset: start, reason: "\(what) claims \(length) bytes but only \(end - position) remain"
            )
        }
        let range = position..<(position + length)
        position += length
        return range
    }
}
