// SPDX-License-Identifier: Apache-2.0

import Foundation
import Testing

@Suite("signet command line")
struct SignetCLITests {
    static let intTokenURL = "https://int.api.service.nhs.uk/oauth2/token"

    @Test func executableIsBuiltBesideTheTests() throws {
        let url = try #require(Signet.executable)
        #expect(url.lastPathComponent == "signet")
    }

    @Test func helpListsEveryCommandWithExamples() async throws {
        let top = try await Signet.run(["--help"])
        #expect(top.status == 0)
        for command in ["keygen", "jwks", "mint", "verify", "doctor", "bench", "base64url"] {
            #expect(top.stdout.contains(command), "\(command) missing from --help")
            let help = try await Signet.run([command, "--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("Example"), "signet \(command) --help has no examples")
        }
        #expect(try await Signet.run(["base64url", "decode", "--help"]).stdout.contains("Example"))
    }

    @Test func keygenWritesAPrivateFileAndRefusesToOverwrite() async throws {
        let dir = try Signet.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let args = ["keygen", "--bits", "2048", "--kid", "k1", "--out", "key.pem", "--jwks", "jwks.json"]
        let first = try await Signet.run(args, in: dir)
        #expect(first.status == 0, "\(first)")
        #expect(first.stdoutBytes.isEmpty)
        #expect(!first.stderr.contains("PRIVATE KEY"))
        let keyPath = dir.appendingPathComponent("key.pem").path
        func mode() async throws -> Int {
            try #require(FileManager.default.attributesOfItem(atPath: keyPath)[.posixPermissions] as? Int)
        }
        await #expect(try mode() == 0o600)
        let pem = try String(contentsOfFile: keyPath, encoding: .utf8)
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let jwks =
            try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("jwks.json")))
            as? [String: Any]
        let key = try #require((jwks?["keys"] as? [[String: Any]])?.first)
        #expect(Set(key.keys) == ["kty", "n", "e", "alg", "kid", "use"])
        #expect(key["kid"] as? String == "k1")
        #expect(key["alg"] as? String == "RS512")

        let again = try await Signet.run(args, in: dir)
        #expect(again.status == 1)
        #expect(again.stderr.contains("already exists"))
        #expect(try String(contentsOfFile: keyPath, encoding: .utf8) == pem)

        // --force replaces the key atomically and keeps it private even when the old file was world-readable.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyPath)
        let forced = try await Signet.run(args + ["--force"], in: dir)
        #expect(forced.status == 0, "\(forced)")
        await #expect(try mode() == 0o600)
        #expect(try String(contentsOfFile: keyPath, encoding: .utf8) != pem)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test func jwksPrintsThePublicKeyOnly() async throws {
        let keys = try await KeyDirectory()
        let r = try await Signet.run(["jwks", "--key", keys.path("key.pem"), "--kid", "other", "--alg", "RS256"])
        #expect(r.status == 0, "\(r)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdoutBytes)) as? [String: Any]
        let key = try #require((object?["keys"] as? [[String: Any]])?.first)
        #expect(key["kid"] as? String == "other")
        #expect(key["alg"] as? String == "RS256")
        #expect(key["d"] == nil)
        #expect(r.stdout.hasSuffix("}\n"))
    }

    @Test func mintThenVerify() async throws {
        let keys = try await KeyDirectory()
        let token = try await keys.mint()
        #expect(token.split(separator: ".").count == 3)
        let ok = try await Signet.run([
            "verify", "--jwks", keys.path("jwks.json"), "--aud", Self.intTokenURL, "--iss", "abc", token,
        ])
        #expect(ok.status == 0, "\(ok)")
        let claims = try JSONSerialization.jsonObject(with: Data(ok.stdoutBytes)) as? [String: Any]
        #expect(claims?["iss"] as? String == "abc")
        #expect(claims?["aud"] as? String == Self.intTokenURL)
        #expect(ok.stderr.isEmpty)

        // From stdin, with the newline `echo` adds; and with a PEM key instead of the JWKS.
        let piped = try await Signet.run(["verify", "--key", keys.path("key.pem"), "-"], stdin: token + "\n")
        #expect(piped.status == 0, "\(piped)")

        let rejected = try await Signet.run([
            "verify", "--jwks", keys.path("jwks.json"), "--aud", "https://api.service.nhs.uk/oauth2/token", token,
        ])
        #expect(rejected.status == 2)
        #expect(rejected.stdoutBytes.isEmpty)
        #expect(rejected.stderr.contains("JWSError.claim.aud-mismatch"))

        let expired = try await Signet.run(["verify", "--jwks", keys.path("jwks.json"), "--now", "4000000000", token])
        #expect(expired.status == 2)
        #expect(expired.stderr.contains("JWSError.claim.exp-expired"))

        let wrongAlg = try await Signet.run(["verify", "--key", keys.path("key.pem"), "--alg", "RS256", token])
        #expect(wrongAlg.status == 2)
        #expect(wrongAlg.stderr.contains("header.alg-not-allowed"))
    }

    @Test func mintPrintsFormBodies() async throws {
        let keys = try await KeyDirectory()
        let base = [
            "mint", "--key", keys.path("key.pem"), "--kid", "k1", "--client-id", "abc", "--profile", "apim", "--env",
            "int",
        ]
        let cc = try await Signet.run(base + ["--form", "client_credentials"])
        #expect(cc.status == 0, "\(cc)")
        #expect(
            cc.stdout.hasPrefix(
                "grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=eyJ"
            ))
        #expect(cc.stdout.hasSuffix("\n") && !cc.stdout.dropLast().contains("\n"))

        let tx = try await Signet.run(
            base + ["--form", "token-exchange", "--subject-token", "-"], stdin: "id.tok.en\n")
        #expect(tx.status == 0, "\(tx)")
        #expect(
            tx.stdout.hasPrefix(
                "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token=id.tok.en&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aid_token&"
            ))

        let ac = try await Signet.run([
            "mint", "--key", keys.path("key.pem"), "--kid", "k1", "--client-id", "1234.apps.supplier",
            "--profile", "cis2", "--aud", "https://cis2.example:443/token", "--form", "authorization_code",
            "--code", "c 1", "--redirect-uri", "https://app/cb",
        ])
        #expect(ac.status == 0, "\(ac)")
        #expect(
            ac.stdout.hasPrefix(
                "grant_type=authorization_code&code=c%201&redirect_uri=https%3A%2F%2Fapp%2Fcb&client_id=1234.apps.supplier&"
            ))

        let missing = try await Signet.run(base + ["--form", "authorization_code"])
        #expect(missing.status == 64)
        #expect(missing.stdoutBytes.isEmpty)
    }

    @Test func doctorJSONShapeAndExitStatus() async throws {
        let keys = try await KeyDirectory()
        // Five faults: RS256 under APIM, no kid, aud with a trailing '/', expired at --now, en dashes in the signature.
        var token = ""
        for _ in 0..<40 {  // until the signature has a '-' to damage (about 99.5 % of RSA-2048 signatures do)
            let r = try await Signet.run([
                "mint", "--key", keys.path("key.pem"), "--client-id", "abc", "--aud", Self.intTokenURL + "/", "--alg",
                "RS256",
            ])
            token = String(r.stdout.dropLast())
            if token.split(separator: ".").last?.contains("-") == true { break }
        }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        let damaged =
            parts[0] + "." + parts[1] + "."
            + parts[2].split(separator: "-", omittingEmptySubsequences: false).joined(separator: "\u{2013}")
        let r = try await Signet.run([
            "doctor", "--jwks", keys.path("jwks.json"), "--client-id", "abc", "--env", "int",
            "--now", "4000000000", "--json", String(damaged),
        ])
        #expect(r.status == 2, "\(r)")
        let shape =
            #/^\{"findings":\[(\{"code":"[a-z0-9.-]+","severity":"(error|warning|info)","segment":"(token|header|payload|signature|form|jwks)","offset":(null|[0-9]+),"message":"([^"\\]|\\.)*","endpointError":(null|"([^"\\]|\\.)*")\},?)+\],"signatureVerified":(true|false|null)\}\n$/#
        #expect(r.stdout.wholeMatch(of: shape) != nil, "\(r.stdout)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdoutBytes)) as? [String: Any])
        let codes = (object["findings"] as? [[String: Any]])?.compactMap { $0["code"] as? String } ?? []
        for code in [
            "header.alg-not-allowed", "header.kid-missing", "claim.exp-expired", "claim.aud-mismatch",
            "base64url.invalid-character", "signature.repaired-verifies",
        ] {
            #expect(codes.contains(code), "\(code) not in \(codes)")
        }
        #expect(object["signatureVerified"] is NSNull)

        let clean = try await Signet.run(
            ["doctor", "--jwks", keys.path("jwks.json"), "--client-id", "abc", "--env", "int", "-"],
            stdin: try await keys.mint() + "\n")
        #expect(clean.status == 0, "\(clean)")
        #expect(clean.stdout.contains("0 error(s)"))
        #expect(clean.stdout.contains("signature verified"))
    }

    @Test func doctorReadsTheAssertionFromTheForm() async throws {
        let keys = try await KeyDirectory()
        let body = try await Signet.run([
            "mint", "--key", keys.path("key.pem"), "--kid", "k1", "--client-id", "abc", "--profile", "apim",
            "--env", "int", "--form", "client_credentials",
        ])
        let form = keys.url.appendingPathComponent("body.txt")
        try Data(body.stdout.replacingOccurrences(of: "client_credentials", with: "client-credentials").utf8).write(
            to: form)
        let r = try await Signet.run([
            "doctor", "--form", form.path, "--jwks", keys.path("jwks.json"), "--env", "int", "--json",
        ])
        #expect(r.status == 2, "\(r)")
        #expect(r.stdout.contains(#""code":"form.grant-type","severity":"error","segment":"form","offset":11"#))
        #expect(r.stdout.contains(#""endpointError":"grant_type is invalid""#))
        #expect(r.stdout.hasSuffix(#""signatureVerified":true}"# + "\n"))
    }

    @Test func base64url() async throws {
        let encoded = try await Signet.run(["base64url", "encode"], stdin: "hello?>")
        #expect(encoded.status == 0)
        #expect(encoded.stdout == "aGVsbG8_Pg\n")
        let decoded = try await Signet.run(["base64url", "decode"], stdin: "aGVsbG8_Pg\n")
        #expect(decoded.status == 0)
        #expect(decoded.stdout == "hello?>")
        let padded = try await Signet.run(["base64url", "decode"], stdin: "aGVsbG8=")
        #expect(padded.status == 2)
        #expect(padded.stdoutBytes.isEmpty)
        #expect(padded.stderr.contains("base64url.padding"))
    }

    @Test func crossCheckWithTheEmulatedEngine() async throws {
        let r = try await Signet.run([
            "cross-check", "--engine", "emulated", "--bits", "2048", "--keys", "2", "--count", "40",
        ])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.hasPrefix("cross-check: 40 cases (RSA-2048: 40; "), "\(r)")
        #expect(r.stdout.contains("\n  keys generated: RSA-2048: 2\n"), "\(r)")
        #expect(r.stdout.contains("\n  all valid: 40   all invalid: 0   disagreements: 0\n"), "\(r)")
        #expect(
            r.stdout.contains(
                "\n  engine emulated: 40 signatures byte-identical to OpenSSL (RSA-2048: 40 over 2 keys), 0 mismatches; GMPVerifier verified all; "
                    + "all 40 cases also verified on the engine's public-key operation, same verdicts as OpenSSL\n"),
            "\(r)")
        #expect(r.stderr.isEmpty)  // progress goes to a terminal only
    }

    @Test func crossCheckUsageErrors() async throws {
        let unknown = try await Signet.run(["cross-check", "--engine", "fast", "--bits", "2048", "--count", "4"])
        #expect(unknown.status == 64, "\(unknown)")
        #expect(unknown.stdoutBytes.isEmpty)
        #expect(unknown.stderr.contains("--engine"))
        #expect(try await Signet.run(["cross-check", "--keys", "0", "--count", "4"]).status == 64)
        #expect(try await Signet.run(["cross-check", "--keys", "3", "--bits", "2048", "--count", "2"]).status == 64)
        // An engine that does not take the key fails with the reason (exit 1), rather than skipping the comparison.
        let refused = try await Signet.run(["cross-check", "--engine", "emulated", "--bits", "2560", "--count", "2"])
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("RSA-2560"))
    }

    @Test func exitStatusForUsageAndOtherFailures() async throws {
        #expect(try await Signet.run(["frobnicate"]).status == 64)
        #expect(try await Signet.run(["verify", "token"]).status == 64)  // neither --jwks nor --key
        #expect(
            try await Signet.run(["keygen", "--bits", "1000", "--kid", "k", "--out", "/tmp/never.pem"]).status == 64)
        #expect(try await Signet.run(["doctor", "--profile", "oauth", "x.y.z"]).status == 64)
        let missing = try await Signet.run(["jwks", "--key", "/nonexistent/key.pem", "--kid", "k"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/nonexistent/key.pem"))
        let dir = try Signet.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let garbage = dir.appendingPathComponent("garbage.pem")
        try Data("not a key".utf8).write(to: garbage)
        #expect(try await Signet.run(["jwks", "--key", garbage.path, "--kid", "k"]).status == 1)
    }
}
