// SPDX-License-Identifier: Apache-2.0

import COpenSSL
import Foundation
import GMPVerifier
import TestSupport

/// Test-side helpers that use OpenSSL or Foundation (never used by GMPVerifier itself).
enum Oracle {
    /// The digest OpenSSL's `EVP_Digest` computes for `bytes`.
    static func digest(_ algorithm: GMPRSAAlgorithm, _ bytes: [UInt8]) -> [UInt8] {
        digest(algorithm.hash, bytes)
    }

    /// OpenSSL's message digest for a hash.
    static func md(_ hash: GMPHash) -> OpaquePointer? {
        switch hash {
        case .sha256: unsafe EVP_sha256()
        case .sha384: unsafe EVP_sha384()
        case .sha512: unsafe EVP_sha512()
        }
    }

    /// The digest OpenSSL's `EVP_Digest` computes for `bytes`.
    static func digest(_ hash: GMPHash, _ bytes: [UInt8]) -> [UInt8] {
        let md = unsafe md(hash)
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let rc = unsafe bytes.withUnsafeBytes { input in
            unsafe out.withUnsafeMutableBytes { output in
                unsafe EVP_Digest(
                    input.baseAddress, input.count, output.baseAddress?.assumingMemoryBound(to: UInt8.self), &length,
                    md, nil)
            }
        }
        return rc == 1 ? Array(out.prefix(Int(length))) : []
    }

    /// Base64url (no padding) decoded with Foundation, independent of GMPVerifier's decoder.
    static func base64URL(_ text: String) -> [UInt8]? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s).map { [UInt8]($0) }
    }
}

/// Fixed-width big-endian arithmetic on byte arrays, for building edge-case signatures.
enum BigEndian {
    static func adding(_ a: [UInt8], _ delta: Int) -> [UInt8] {
        var out = a
        var carry = delta
        var i = out.count - 1
        while carry != 0, i >= 0 {
            let v = Int(out[i]) + carry
            out[i] = UInt8(truncatingIfNeeded: v)
            carry = v >> 8  // arithmetic shift: -1 when borrowing
            i -= 1
        }
        return out
    }

    static func padded(_ a: [UInt8], to count: Int) -> [UInt8] {
        [UInt8](repeating: 0, count: max(0, count - a.count)) + a
    }
}

extension Dictionary where Key == String, Value == Any {
    func string(_ key: String) throws -> String {
        guard let value = self[key] as? String else { throw VectorError.missing(key) }
        return value
    }

    func hex(_ key: String) throws -> [UInt8] {
        guard let bytes = Hex.decode(try string(key)) else { throw VectorError.badHex(key) }
        return bytes
    }

    func object(_ key: String) throws -> [String: Any] {
        guard let value = self[key] as? [String: Any] else { throw VectorError.missing(key) }
        return value
    }
}

enum VectorError: Error {
    case missing(String)
    case badHex(String)
    case unknownHash(String)
}

/// Loads a JSON object file from `Tests/Vectors`.
func vectorObject(_ path: String) throws -> [String: Any] {
    guard let object = try Vectors.json(path) as? [String: Any] else { throw VectorError.missing(path) }
    return object
}
