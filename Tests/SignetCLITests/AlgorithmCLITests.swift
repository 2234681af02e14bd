// SPDX-License-Identifier: Apache-2.0

import Foundation
import Testing

/// The CLI with every algorithm: keygen and jwks per key type, FAPI minting, verification bound to the key's
/// family, and the bench and cross-check `--alg` contracts.
@Suite("signet command line: algorithms")
struct AlgorithmCLITests {
    static let endpoint = "https://as.example/token"

    @Test(arguments: [
        ("ES256", "EC", "P-256"), ("ES384", "EC", "P-384"), ("ES512", "EC", "P-521"), ("EdDSA", "OKP", "Ed25519"),
    ])
    func keygenMintAndVerifyPerKeyType(alg: String, kty: String, crv: String) async throws {
        let dir = try Signet.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let keygen = try await Signet.run(
            ["keygen", "--alg", alg, "--kid", "k1", "--out", "key.pem", "--jwks", "jwks.json"], in: dir)
        #expect(keygen.status == 0, "\(keygen)")
        let jwks =
            try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("jwks.json")))
            as? [String: Any]
        let key = try #require((jwks?["keys"] as? [[String: Any]])?.first)
        #expect(key["kty"] as? String == kty)
        #expect(key["crv"] as? String == crv)
        #expect(key["alg"] as? String == alg)
        #expect(key["d"] == nil)
        // `jwks` on the private key gives the same public key and alg.
        let again = try await Signet.run(["jwks", "--key", "key.pem", "--kid", "k1"], in: dir)
        #expect(again.status == 0, "\(again)")
        let againKey = try #require(
            ((try JSONSerialization.jsonObject(with: Data(again.stdoutBytes)) as? [String: Any])?["keys"]
                as? [[String: Any]])?.first)
        #expect(againKey["x"] as? String == key["x"] as? String)
        #expect(againKey["alg"] as? String == alg)

        let mint = try await Signet.run(
            ["mint", "--key", "key.pem", "--kid", "k1", "--client-id", "c1", "--aud", Self.endpoint, "--alg", alg],
            in: dir)
        #expect(mint.status == 0, "\(mint)")
        let token = mint.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let verified = try await Signet.run(["verify", "--jwks", "jwks.json", "--aud", Self.endpoint, token], in: dir)
        #expect(verified.status == 0, "\(verified)")
        #expect(verified.stdout.contains("\"iss\":\"c1\""))
        let byKey = try await Signet.run(["verify", "--key", "key.pem", token], in: dir)
        #expect(byKey.status == 0, "\(byKey)")
        // An RSA key cannot verify it (the binding refuses, before any cryptography).
        _ = try await Signet.run(["keygen", "--bits", "2048", "--kid", "r", "--out", "rsa.pem"], in: dir)
        let rsa = try await Signet.run(["verify", "--key", "rsa.pem", token], in: dir)
        #expect(rsa.status == 2, "\(rsa)")
        #expect(rsa.stderr.contains("header.alg-not-allowed"))
        let wrongAlg = try await Signet.run(["verify", "--key", "rsa.pem", "--alg", alg, token], in: dir)
        #expect(wrongAlg.status == 64, "\(wrongAlg)")
    }

    @Test func fapiProfileMintsPS256OrES256WithAShortExp() async throws {
        let dir = try Signet.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try await Signet.run(
            ["keygen", "--alg", "PS256", "--bits", "2048", "--kid", "k1", "--out", "rsa.pem"], in: dir)
        let base = ["mint", "--key", "rsa.pem", "--kid", "k1", "--client-id", "c1", "--profile", "fapi"]
        let ps = try await Signet.run(base + ["--aud", Self.endpoint], in: dir)
        #expect(ps.status == 0, "\(ps)")
        let parts = ps.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".")
        let header = try #require(Data(base64URL: String(parts[0])))
        #expect(String(decoding: header, as: UTF8.self).contains("\"alg\":\"PS256\""))
        let payload = try #require(Data(base64URL: String(parts[1])))
        let claims = try #require(try JSONSerialization.jsonObject(with: payload) as? [String: Any])
        let exp = try #require(claims["exp"] as? Int)
        let iat = try #require(claims["iat"] as? Int)
        #expect(exp - iat == 60)
        #expect(claims["aud"] as? String == Self.endpoint)
        let rs256 = try await Signet.run(base + ["--aud", Self.endpoint, "--alg", "RS256"], in: dir)
        #expect(rs256.status == 64, "\(rs256)")
        let long = try await Signet.run(base + ["--aud", Self.endpoint, "--lifetime", "300"], in: dir)
        #expect(long.status == 64, "\(long)")
    }

    @Test func benchAndCrossCheckValidateTheirAlgorithms() async throws {
        #expect(try await Signet.run(["bench", "--alg", "HS256"]).status == 64)
        #expect(try await Signet.run(["cross-check", "--alg", "HS256", "--count", "10"]).status == 64)
        // ES and EdDSA have no signing engine to compare.
        #expect(
            try await Signet.run(["cross-check", "--alg", "ES256", "--engine", "emulated", "--count", "4"]).status == 64
        )
        let cross = try await Signet.run(["cross-check", "--alg", "RS384", "--count", "60", "--bits", "2048"])
        #expect(cross.status == 0, "\(cross)")
        #expect(cross.stdout.contains("RS384"))
        #expect(cross.stdout.contains("disagreements: 0"))
    }

    /// `cross-check --alg` runs the randomized differential for every algorithm: PS on GMPVerifier's own EMSA-PSS, ES and
    /// EdDSA on Signet's own verifier, OpenSSL and GMPVerifier, with ECDSA's malleated signatures counted as accepted by
    /// all three.
    @Test func crossCheckRunsEveryAlgorithm() async throws {
        let curves = try await Signet.run(["cross-check", "--alg", "ES256,ES384,ES512,EdDSA", "--count", "200"])
        #expect(curves.status == 0, "\(curves)")
        #expect(
            curves.stdout.hasPrefix("cross-check: 800 cases (ES256: 200, ES384: 200, ES512: 200, EdDSA: 200;"),
            "\(curves)")
        #expect(curves.stdout.contains("disagreements: 0"))
        #expect(curves.stdout.contains("accepted by all: "), "\(curves)")
        #expect(!curves.stdout.contains("accepted by all: 0)"), "malleated (r, n-s) cases are run and accepted")
        let pss = try await Signet.run([
            "cross-check", "--alg", "PS256,PS384,PS512", "--count", "150", "--bits", "2048",
        ])
        #expect(pss.status == 0, "\(pss)")
        #expect(pss.stdout.contains("PS256, PS384, PS512") && pss.stdout.contains("disagreements: 0"))
        let engine = try await Signet.run([
            "cross-check", "--alg", "PS256", "--engine", "emulated", "--bits", "2048", "--keys", "1", "--count", "3",
        ])
        #expect(engine.status == 0, "\(engine)")
        #expect(engine.stdout.contains("0 mismatches; GMPVerifier verified all"), "\(engine)")
    }
}

extension Data {
    /// Unpadded base64url, as in a JWS (test helper).
    init?(base64URL text: String) {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        self.init(base64Encoded: s)
    }
}
