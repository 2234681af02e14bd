// SPDX-License-Identifier: Apache-2.0

import Foundation

/// Wycheproof vectors (`Tests/Vectors/wycheproof`), decoded for tests.
public enum Wycheproof {
    /// One signature-verification case.
    public struct VerifyCase: Sendable, CustomStringConvertible {
        public let file: String
        public let tcId: Int
        public let comment: String
        public let flags: [String]
        public let message: [UInt8]
        public let signature: [UInt8]
        /// `valid`, `invalid` or `acceptable`.
        public let result: String
        public let publicKeyDER: [UInt8]
        public let modulus: [UInt8]
        public let exponent: [UInt8]
        /// `n` and `e` from the group's JWK, when present.
        public let jwkN: String?
        public let jwkE: String?
        /// `SHA-256`, `SHA-384`, `SHA-512`.
        public let sha: String
        public var description: String { "\(file)#\(tcId) \(comment)" }
    }

    /// One deterministic signature-generation case.
    public struct SignCase: Sendable, CustomStringConvertible {
        public let file: String
        public let tcId: Int
        public let sha: String
        public let privateKeyPEM: String
        public let privateKeyPKCS8: [UInt8]
        public let privateJWK: [String: String]?
        public let message: [UInt8]
        public let signature: [UInt8]
        public let result: String
        public var description: String { "\(file)#\(tcId)" }
    }

    /// The `rsa_signature_*` files for 2048/3072/4096 × SHA-256/384/512.
    public static let verifyFiles: [String] = [2048, 3072, 4096].flatMap { bits in
        [256, 384, 512].map { "rsa_signature_\(bits)_sha\($0)_test.json" }
    }

    /// The `rsa_pss_*` files whose parameters are JWA's PSnnn: MGF1 over the message hash, salt as long as the hash.
    public static let pssVerifyFiles = [
        "rsa_pss_2048_sha256_mgf1_32_test.json", "rsa_pss_2048_sha384_mgf1_48_test.json",
        "rsa_pss_3072_sha256_mgf1_32_test.json", "rsa_pss_4096_sha256_mgf1_32_test.json",
        "rsa_pss_4096_sha384_mgf1_48_test.json", "rsa_pss_4096_sha512_mgf1_64_test.json",
    ]

    /// The `rsa_pkcs1_*_sig_gen` files.
    public static let signFiles = [
        "rsa_pkcs1_2048_sig_gen_test.json", "rsa_pkcs1_3072_sig_gen_test.json",
        "rsa_pkcs1_4096_sig_gen_test.json",
    ]

    /// Every case of a verification file.
    public static func verifyCases(_ file: String) throws -> [VerifyCase] {
        guard let root = try Vectors.json("wycheproof/\(file)") as? [String: Any],
            let groups = root["testGroups"] as? [[String: Any]]
        else { return [] }
        var out: [VerifyCase] = []
        for g in groups {
            let pk = g["publicKey"] as? [String: Any]
            let jwk = g["publicKeyJwk"] as? [String: Any] ?? g["keyJwk"] as? [String: Any]
            for t in g["tests"] as? [[String: Any]] ?? [] {
                out.append(
                    VerifyCase(
                        file: file, tcId: t["tcId"] as? Int ?? -1, comment: t["comment"] as? String ?? "",
                        flags: t["flags"] as? [String] ?? [],
                        message: Hex.decode(t["msg"] as? String ?? "") ?? [],
                        signature: Hex.decode(t["sig"] as? String ?? "") ?? [],
                        result: t["result"] as? String ?? "",
                        publicKeyDER: Hex.decode(g["publicKeyDer"] as? String ?? "") ?? [],
                        modulus: Hex.decode(pk?["modulus"] as? String ?? "") ?? [],
                        exponent: Hex.decode(pk?["publicExponent"] as? String ?? "") ?? [],
                        jwkN: jwk?["n"] as? String, jwkE: jwk?["e"] as? String,
                        sha: g["sha"] as? String ?? ""))
            }
        }
        return out
    }

    /// Every SHA-256/384/512 case of a generation file.
    public static func signCases(_ file: String) throws -> [SignCase] {
        guard let root = try Vectors.json("wycheproof/\(file)") as? [String: Any],
            let groups = root["testGroups"] as? [[String: Any]]
        else { return [] }
        var out: [SignCase] = []
        for g in groups {
            let sha = g["sha"] as? String ?? ""
            guard ["SHA-256", "SHA-384", "SHA-512"].contains(sha) else { continue }
            for t in g["tests"] as? [[String: Any]] ?? [] {
                out.append(
                    SignCase(
                        file: file, tcId: t["tcId"] as? Int ?? -1, sha: sha,
                        privateKeyPEM: g["privateKeyPem"] as? String ?? "",
                        privateKeyPKCS8: Hex.decode(g["privateKeyPkcs8"] as? String ?? "") ?? [],
                        privateJWK: g["privateKeyJwk"] as? [String: String],
                        message: Hex.decode(t["msg"] as? String ?? "") ?? [],
                        signature: Hex.decode(t["sig"] as? String ?? "") ?? [],
                        result: t["result"] as? String ?? ""))
            }
        }
        return out
    }
    /// One ECDSA (P1363, `r ‖ s`) or Ed25519 verification case.
    public struct CurveVerifyCase: Sendable, CustomStringConvertible {
        public let file: String
        public let tcId: Int
        public let comment: String
        public let message: [UInt8]
        public let signature: [UInt8]
        /// `valid` or `invalid`.
        public let result: String
        public let publicKeyDER: [UInt8]
        /// The group's `publicKeyJwk` members (`kty`, `crv`, `x`, `y`).
        public let jwk: [String: String]
        public var description: String { "\(file)#\(tcId) \(comment)" }
    }

    /// The `ecdsa_*_p1363` files JWA's ES256/ES384/ES512 use.
    public static let ecdsaFiles = [
        "ecdsa_secp256r1_sha256_p1363_test.json", "ecdsa_secp384r1_sha384_p1363_test.json",
        "ecdsa_secp521r1_sha512_p1363_test.json",
    ]

    /// Every case of an `ecdsa_*_p1363` or `ed25519` file.
    public static func curveVerifyCases(_ file: String) throws -> [CurveVerifyCase] {
        guard let root = try Vectors.json("wycheproof/\(file)") as? [String: Any],
            let groups = root["testGroups"] as? [[String: Any]]
        else { return [] }
        var out: [CurveVerifyCase] = []
        for g in groups {
            let jwk = (g["publicKeyJwk"] as? [String: Any] ?? [:]).compactMapValues { $0 as? String }
            for t in g["tests"] as? [[String: Any]] ?? [] {
                out.append(
                    CurveVerifyCase(
                        file: file, tcId: t["tcId"] as? Int ?? -1, comment: t["comment"] as? String ?? "",
                        message: Hex.decode(t["msg"] as? String ?? "") ?? [],
                        signature: Hex.decode(t["sig"] as? String ?? "") ?? [],
                        result: t["result"] as? String ?? "",
                        publicKeyDER: Hex.decode(g["publicKeyDer"] as? String ?? "") ?? [], jwk: jwk))
            }
        }
        return out
    }
}
