// SPDX-License-Identifier: Apache-2.0

import Base64URL
import JWS
import SignetKeys
import TestSupport
import Testing

/// `verify(_:scratch:)` (zero allocation), `verify(_:)` (built on it) and `referenceVerify` (the original DOM
/// implementation, kept as an oracle) must reach the same verdict with the same code, segment, offset and reason,
/// and accepted tokens must yield the same claims.
@Suite struct ZeroAllocationVerifyTests {
    // MARK: Outcomes of the three paths

    static func describe(_ e: JWSError) -> String {
        "\(e.code.rawValue) [\(e.segment?.rawValue ?? "-") @\(e.offset.map(String.init) ?? "-")]: \(e.reason)"
    }

    static func describe(_ c: JWTClaims, alg: JWSAlgorithm, kid: String?) -> String {
        "iss=\(c.issuer.debugDescription) sub=\(c.subject.debugDescription) jti=\(c.id.debugDescription) "
            + "aud=\(c.audience.debugDescription)/\(c.audience == nil ? false : c.audienceIsArray) "
            + "exp=\(c.expiresAt.map { $0.secondsSinceEpoch.bitPattern }.debugDescription) "
            + "nbf=\(c.notBefore.map { $0.secondsSinceEpoch.bitPattern }.debugDescription) "
            + "iat=\(c.issuedAt.map { $0.secondsSinceEpoch.bitPattern }.debugDescription) alg=\(alg) kid=\(kid.debugDescription)"
    }

    static func zeroAllocation(_ v: JWSVerifier, _ token: [UInt8]) -> String {
        let size = v.scratchByteCount(for: RawSpan(_elements: token.span))
        #expect(size <= v.maximumScratchByteCount || token.count > v.maximumTokenBytes)
        var scratch = [UInt8](repeating: 0, count: size)
        var scratchSpan = scratch.mutableSpan
        var scratchBytes = MutableRawSpan(_elements: &scratchSpan)
        do throws(JWSError) {
            let view = try v.verify(RawSpan(_elements: token.span), scratch: &scratchBytes)
            let claims = JWTClaims(
                issuer: view.issuer?.string, subject: view.subject?.string, audience: view.audience?.strings,
                audienceIsArray: view.audience?.isArray ?? false, expiresAt: view.expiresAt,
                notBefore: view.notBefore, issuedAt: view.issuedAt, id: view.id?.string)
            return describe(claims, alg: view.algorithm, kid: view.keyID)
        } catch {
            return describe(error)
        }
    }

    /// Runs the zero-allocation verify of `token` with `scratch` as its scratch span, discarding the view.
    static func verifyInPlace(_ v: JWSVerifier, _ token: [UInt8], _ scratch: inout [UInt8]) throws(JWSError) {
        var span = scratch.mutableSpan
        var bytes = MutableRawSpan(_elements: &span)
        _ = try v.verify(RawSpan(_elements: token.span), scratch: &bytes)
    }

    /// The bytes of a span (`nil` for `nil`).
    static func bytes(_ span: RawSpan?) -> [UInt8]? {
        guard let span else { return nil }
        return unsafe span.withUnsafeBytes { unsafe Array($0) }
    }

    static func allocating(_ v: JWSVerifier, _ token: [UInt8]) -> String {
        unsafe token.withUnsafeBytes { t in
            do throws(JWSError) {
                let jwt = try unsafe v.verify(t)
                return describe(jwt.claims, alg: jwt.jws.algorithm, kid: jwt.jws.keyID)
            } catch {
                return describe(error)
            }
        }
    }

    static func reference(_ v: JWSVerifier, _ token: [UInt8]) -> String {
        unsafe token.withUnsafeBytes { t in
            do throws(JWSError) {
                let jwt = try unsafe v.referenceVerify(t)
                return describe(jwt.claims, alg: jwt.jws.algorithm, kid: jwt.jws.keyID)
            } catch {
                return describe(error)
            }
        }
    }

    static func signatureOnly(_ v: JWSVerifier, _ token: [UInt8], reference: Bool) -> String {
        unsafe token.withUnsafeBytes { t in
            do throws(JWSError) {
                let jws = try unsafe reference ? v.referenceVerifySignature(t) : v.verifySignature(t)
                return "\(jws.algorithm) \(jws.keyID.debugDescription) \(jws.payload) \(jws.header)"
            } catch {
                return describe(error)
            }
        }
    }

    /// Checks that every path agrees; returns the shared outcome.
    @discardableResult
    static func expectAgreement(
        _ v: JWSVerifier, _ token: [UInt8], _ label: String = "",
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> String {
        let ref = reference(v, token)
        let zero = zeroAllocation(v, token)
        let alloc = allocating(v, token)
        #expect(
            zero == ref, "\(label) zero-allocation path disagrees with the DOM reference",
            sourceLocation: sourceLocation)
        #expect(alloc == ref, "\(label) verify(_:) disagrees with the DOM reference", sourceLocation: sourceLocation)
        let sigRef = signatureOnly(v, token, reference: true)
        let sig = signatureOnly(v, token, reference: false)
        #expect(
            sig == sigRef, "\(label) verifySignature disagrees with its DOM reference", sourceLocation: sourceLocation)
        return ref
    }

    // MARK: Verifiers and tokens

    static let header = #"{"alg":"RS256","typ":"JWT","kid":"k1"}"#
    static let plain = JWSFixtures.verifier()
    static let typed = JWSFixtures.verifier(
        policy: JWTValidationPolicy(expectedType: "JWT", clock: .fixed(JWSFixtures.now)))
    static let strict = JWSFixtures.verifier(
        policy: JWTValidationPolicy(
            issuer: "me", subject: "me", audience: "https://as:443/token", requireID: true, maximumLifetime: 300,
            expectedType: "jwt", clock: .fixed(JWSFixtures.now)))
    static let lenient = JWSFixtures.verifier(policy: JWTValidationPolicy(leeway: 60, clock: .fixed(JWSFixtures.now)))
    static let unicode = JWSFixtures.verifier(
        kid: "ke\u{301}y",
        policy: JWTValidationPolicy(
            issuer: "caf\u{E9}", subject: "\u{212A}elvin", audience: "\u{C5}ngstr\u{F6}m", expectedType: "kb+jwt",
            clock: .fixed(JWSFixtures.now)))
    static let two: JWSVerifier = {
        (try? JWSVerifier(
            keys: [
                JWSVerificationKey(key: JWSFixtures.key.publicKey, algorithm: .rs256, keyID: "k1"),
                JWSVerificationKey(key: JWSFixtures.otherKey.publicKey, algorithm: .rs512, keyID: "k2"),
            ], policy: JWTValidationPolicy(clock: .fixed(JWSFixtures.now))))!
    }()
    static let small: JWSVerifier = {
        (try? JWSVerifier(
            keys: [JWSVerificationKey(key: JWSFixtures.key.publicKey, algorithm: .rs256)],
            policy: JWTValidationPolicy(clock: .fixed(JWSFixtures.now)), maximumTokenBytes: 4096,
            jsonLimits: StrictJSON.Limits(maxDepth: 4, maxBytes: 120)))!
    }()
    static let verifiers = [plain, typed, strict, lenient, unicode, two, small]

    static func tok(
        _ header: String, _ payload: String, key: RSAPrivateKey = JWSFixtures.key,
        algorithm: RSASignatureAlgorithm = .rs256
    ) -> [UInt8] {
        Array(JWSFixtures.craft(header: header, payload: payload, key: key, algorithm: algorithm).utf8)
    }

    static func tok(_ payload: String) -> [UInt8] { tok(header, payload) }

    /// Every token of `JWSRejectionTests`, plus header, claim and Unicode cases aimed at the scanner.
    static func corpus() -> [(String, [UInt8])] {
        var out: [(String, [UInt8])] = []
        func add(_ label: String, _ token: [UInt8]) { out.append((label, token)) }
        func add(_ label: String, text token: String) { out.append((label, Array(token.utf8))) }
        func j(_ pieces: String...) -> String { pieces.joined() }
        let p = JWSFixtures.goodPayload
        let good = String(decoding: tok(p), as: UTF8.self)
        let parts: [String] = good.split(separator: ".", omittingEmptySubsequences: false).map(String.init)

        // JWSRejectionTests.shape
        add("good", text: good)
        for s in ["", "abc", "a.b", good + ".x", ".a.b", "\(parts[0]).\(parts[1]).", "..", "a..b", "..b", "a.b.c"] {
            add("shape", text: s)
        }
        // JWSRejectionTests.base64url
        add("sig padding", text: j(parts[0], ".", parts[1], ".", parts[2], "=="))
        add("header padding", text: j(parts[0], "=.", parts[1], ".", parts[2]))
        var sig = Array(parts[2].utf8)
        sig[10] = UInt8(ascii: "+")
        add("sig +", text: j(parts[0], ".", parts[1], ".", String(decoding: sig, as: UTF8.self)))
        add(
            "en dash",
            text: j(parts[0], ".", parts[1], ".", String(parts[2].prefix(5)), "\u{2013}", String(parts[2].dropFirst(6)))
        )
        add("header space", text: j(parts[0], " .", parts[1], ".", parts[2]))
        add("sig length", text: j(parts[0], ".", parts[1], ".", parts[2], "AAA"))
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var last = Array(parts[2].utf8)
        last[last.count - 1] = alphabet[(alphabet.firstIndex(of: last[last.count - 1]) ?? 0) | 1]
        add("sig non-canonical", text: j(parts[0], ".", parts[1], ".", String(decoding: last, as: UTF8.self)))
        add(
            "payload bad char",
            text: j(parts[0], ".", String(parts[1].prefix(7)), "*", String(parts[1].dropFirst(8)), ".", parts[2]))
        add("payload bad length", text: j(parts[0], ".", parts[1], "A.", parts[2]))
        add("payload bad + sig bad", text: j(parts[0], ".", parts[1], "A.", String(parts[2].dropLast(4))))
        add("header bad length", text: j(parts[0], "A.", parts[1], ".", parts[2]))
        add("empty payload", text: j(parts[0], "..", parts[2]))
        add("empty payload signed", tok(""))
        // JWSRejectionTests.headerRules
        for h in [
            "[1]", "{not json", #"{"alg":"RS256","alg":"none","kid":"k1"}"#, #"{"typ":"JWT","kid":"k1"}"#,
            #"{"alg":256,"kid":"k1"}"#, #"{"alg":"RS256","kid":"nope"}"#,
            #"{"alg":"RS256","kid":"../../etc/passwd' OR 1=1 --"}"#,
            #"{"alg":"RS256","kid":"\#(String(repeating: "k", count: 5000))"}"#, #"{"alg":"RS256","kid":7}"#,
            #"{"alg":"RS256","kid":"k1","crit":["exp"],"exp":1}"#, #"{"alg":"RS256","kid":"k1","crit":[]}"#,
            #"{"alg":"RS256","kid":"k1","crit":["alg"]}"#, #"{"alg":"RS256","kid":"k1"}"#,
            #"{"alg":"RS256","kid":"k1","typ":"at+jwt"}"#, #"{"alg":"RS256","kid":"k1","typ":"jwt"}"#,
            "{\"alg\":\"RS256\",\"kid\":\"k1\",\"x\":" + String(repeating: "[", count: 40)
                + String(repeating: "]", count: 40) + "}",
        ] {
            add("header " + h.prefix(60), tok(h, p))
        }
        for alg in [
            "none", "None", "NONE", "HS256", "RS384", "PS256", "rs256", "ES256", "RS2560", "RS25", "RS256 ", "",
            "RS\\u00326",
            "R\\u0053256", "\\u0052\\u0053\\u0032\\u0035\\u0036", "RS25\u{0666}", "RS512",
        ] {
            add("alg " + alg, tok(#"{"alg":"\#(alg)","kid":"k1"}"#, p))
        }
        add(
            "unsigned",
            text: j(Base64URL.encode(Array(#"{"alg":"none"}"#.utf8)), ".", Base64URL.encode(Array(p.utf8)), "."))
        // More header rules.
        for h in [
            #"{"\u0061lg":"RS256","kid":"k1"}"#, #"{"alg":"RS256","k\u0069d":"k\u0031","typ":"JWT"}"#,
            #" { "alg" : "RS256" , "kid" : "k1" , "typ" : "JWT" } "#, #"{"alg":null,"kid":"k1"}"#,
            #"{"alg":["RS256"],"kid":"k1"}"#, #"{"alg":{"v":"RS256"},"kid":"k1"}"#, #"{"alg":true,"kid":"k1"}"#,
            #"{"alg":"RS256","kid":null}"#, #"{"alg":"RS256","kid":""}"#, #"{"alg":"RS256","kid":["k1"]}"#,
            #"{"alg":"RS256","kid":"k1","kid":"k1"}"#, #"{"alg":"RS256","kid":"k1","\u006bid":"k2"}"#,
            #"{"alg":"RS256","kid":"k1","crit":["x"],"x":1}"#, #"{"alg":"RS256","kid":"k1","crit":"x"}"#,
            #"{"alg":"RS256","kid":"k1","crit":[1]}"#, #"{"alg":"RS256","kid":"k1","crit":["x","x"],"x":1}"#,
            #"{"alg":"RS256","kid":"k1","crit":["y"]}"#, #"{"crit":["y"],"alg":"RS256"}"#, #"{"crit":1}"#,
            #"{"alg":"RS256","kid":"k1","typ":"application/JWT"}"#,
            #"{"alg":"RS256","kid":"k1","typ":"APPLICATION/jwt"}"#,
            #"{"alg":"RS256","kid":"k1","typ":"application/"}"#, #"{"alg":"RS256","kid":"k1","typ":"applicationjwt"}"#,
            #"{"alg":"RS256","kid":"k1","typ":"application/application/jwt"}"#, #"{"alg":"RS256","kid":"k1","typ":5}"#,
            #"{"alg":"RS256","kid":"k1","typ":null}"#, #"{"alg":"RS256","kid":"k1","typ":["JWT"]}"#,
            #"{"alg":"RS256","kid":"k1","typ":{"a":[1, "x\n"]}}"#, #"{"alg":"RS256","kid":"k1","typ":"J\u0057T"}"#,
            #"{"alg":"RS256","kid":"k1","typ":"jw"}"#, #"{"alg":"RS256","kid":"k1","typ":"jwtx"}"#,
            "{\"alg\":\"RS256\",\"kid\":\"k1\",\"typ\":\"\u{212A}B+JWT\"}",
            "{\"alg\":\"RS256\",\"kid\":\"k\u{E9}y\",\"typ\":\"kb+jwt\"}",
            "{\"alg\":\"RS256\",\"kid\":\"k\\u00e9y\",\"typ\":\"application/KB+JWT\"}",
            "{\"alg\":\"RS256\",\"kid\":\"ke\u{301}y\"}",
            "{\"alg\":\"RS256\",\"kid\":\"k\u{E8}y\"}", "{\"alg\":\"RS256\",\"kid\":\"k1\",\"typ\":\"\u{130}\"}",
            #""RS256""#, "1", "null", #"{"alg":"RS256","kid":"k1"} x"#, #"{"alg":"RS256","kid":"k1","x":"\ud800"}"#,
            #"{"alg":"RS256","kid":"k1","x":{"y":{"z":[1]}}}"#,
            #"{"alg":"RS256","kid":"k1","x":"\#(String(repeating: "long", count: 400))"}"#,
            "{" + (0..<100).map { "\"h\($0)\":\($0)," }.joined() + #""alg":"RS256","kid":"k1"}"#,
            "{" + (0..<100).map { "\"h\($0)\":\($0)," }.joined() + #""alg":"RS256","kid":"k1","h77":0}"#,
        ] {
            add("header " + h.prefix(60), tok(h, p))
        }
        add(
            "header invalid UTF-8",
            text: j(Base64URL.encode([0x7B, 0x22, 0xC3, 0x22, 0x3A, 0x31, 0x7D]), ".", parts[1], ".", parts[2]))
        // JWSRejectionTests.keySelectionAndAlgorithmBinding (for `two`; the others see them too)
        add("no kid", tok(#"{"alg":"RS256"}"#, p))
        add("k1 RS512", tok(#"{"alg":"RS512","kid":"k1"}"#, p, algorithm: .rs512))
        add("k2 signed by k1", tok(#"{"alg":"RS512","kid":"k2"}"#, p, algorithm: .rs512))
        add("k2", tok(#"{"alg":"RS512","kid":"k2"}"#, p, key: JWSFixtures.otherKey, algorithm: .rs512))
        // JWSRejectionTests.signatureRules
        add("sig short", text: j(parts[0], ".", parts[1], ".", String(parts[2].dropLast(6))))
        add("sig zero", text: j(parts[0], ".", parts[1], ".", Base64URL.encode([UInt8](repeating: 0, count: 256))))
        add("sig n", text: j(parts[0], ".", parts[1], ".", Base64URL.encode(JWSFixtures.key.publicKey.modulus)))
        add("sig ff", text: j(parts[0], ".", parts[1], ".", Base64URL.encode([UInt8](repeating: 0xFF, count: 256))))
        add(
            "payload swapped",
            text: j(
                parts[0], ".", Base64URL.encode(Array(#"{"iss":"me","sub":"me","exp":1800000100,"admin":true}"#.utf8)),
                ".", parts[2]))
        add("sig 512 bytes", text: j(parts[0], ".", parts[1], ".", Base64URL.encode([UInt8](repeating: 1, count: 512))))
        // JWSRejectionTests.claimRules, and more.
        for payload in [
            #"{"exp":"1800000100"}"#, #"{"exp":[1800000100,1800000100]}"#, #"{"exp":1e400}"#, #"{"exp":-0}"#,
            #"{"exp":1799999999}"#, #"{"exp":1800000100,"exp":1}"#, #"{"sub":"x"}"#,
            #"{"exp":1800000100,"nbf":1800000050}"#,
            #"{"exp":1800000100,"iat":1800000050}"#, #"{"exp":1800000100,"aud":5}"#, #"{"exp":1800000100,"iss":["a"]}"#,
            "[1]", #"{"exp":1800000100,"s":"\ud800"}"#, p,
            #"{"iss":"you","sub":"me","aud":"https://as:443/token","exp":1800000100,"jti":"x"}"#,
            #"{"iss":"me","sub":"you","aud":"https://as:443/token","exp":1800000100,"jti":"x"}"#,
            #"{"iss":"me","sub":"me","aud":"https://as:443/token","exp":1800000100}"#,
            #"{"iss":"me","sub":"me","aud":["x","https://as:443/token"],"exp":1800000400,"jti":"x"}"#,
            #"{"iss":"me","sub":"me","aud":["x","https://as:443/token"],"exp":1800000299.5,"jti":"x"}"#,
            #"{"exp":1799999990}"#,
            #"{"iss":"m\u0065","sub":"\u006de","aud":["\u0068ttps:\/\/as:443\/token"],"exp":1.8000001e9,"jti":"\ud83d\ude00"}"#,
            #"{"iss":"me","sub":"me","aud":"https://as:443/token","exp":18000001000e-1,"jti":"x","nbf":1.8e9,"iat":17999999999999999999e-10}"#,
            #"{"exp":1800000100.0000000000000001}"#, #"{"exp":1800000100.00000000000000000000000000001e0}"#,
            #"{"exp":180000010000000000000000000000000000000e-29}"#, #"{"exp":-1e400}"#, #"{"exp":1e-400}"#,
            #"{"exp":true}"#, #"{"exp":null}"#, #"{"exp":{}}"#, #"{"exp":1800000100,"nbf":"x"}"#,
            #"{"exp":1800000100,"iat":[]}"#,
            #"{"exp":1800000100,"aud":[]}"#, #"{"exp":1800000100,"aud":["a",1]}"#, #"{"exp":1800000100,"aud":[1,"a"]}"#,
            #"{"exp":1800000100,"aud":["a",["b"]]}"#, #"{"exp":1800000100,"aud":[ "a" , null ]}"#,
            #"{"exp":1800000100,"aud":{}}"#,
            #"{"exp":1800000100,"aud":null}"#, #"{"aud":5,"exp":"x"}"#, #"{"exp":"x","aud":5}"#,
            #"{"jti":1,"sub":2,"iss":3}"#,
            #"{"exp":1800000100,"jti":null}"#, #"{"exp":1800000100,"\u0065xp":1800000100}"#, #"{"\u0065xp":"x"}"#,
            "", " ", "{}", "null", "\"x\"", "1800000100", "{\"exp\":1800000100}  ", "{\"exp\":1800000100} {}",
            #"{"exp":1800000100,"x":{"y":[{"z":{"a":1}}]}}"#, #"{"exp":1800000100,"x":[[[[[1]]]]]}"#,
            "{\"exp\":1800000100,\"iss\":\"caf\u{E9}\",\"sub\":\"\u{212A}elvin\",\"aud\":[\"\u{C5}ngstr\u{F6}m\"]}",
            "{\"exp\":1800000100,\"iss\":\"cafe\u{301}\",\"sub\":\"Kelvin\",\"aud\":\"A\u{30A}ngstro\u{308}m\"}",
            "{\"exp\":1800000100,\"iss\":\"caf\\u00e9\",\"sub\":\"\\u212Aelvin\",\"aud\":[\"x\",\"\\u212bngstr\\u00f6m\"]}",
            "{\"exp\":1800000100,\"iss\":\"cafe\",\"sub\":\"Kelvin\",\"aud\":\"Angstrom\"}",
            "{\"exp\":1800000100,\"iss\":\"caf\u{E8}\"}",
            "{" + (0..<120).map { "\"c\($0)\":\"v\($0)\"," }.joined() + "\"exp\":1800000100}",
            "{" + (0..<120).map { "\"c\($0)\":\"v\($0)\"," }.joined() + "\"exp\":1800000100,\"c99\":1}",
            "{\"exp\":1800000100,\"pad\":\"\(String(repeating: "x", count: 2000))\"}",
            // Found by the claims fuzz target: dates beyond Int64 used to trap while the error was worded.
            #"{"iss":"me","sub":"me","aud":"https://as:443/token","exp":180007777777777777777777700100,"jti":"x"}"#,
            #"{"exp":1e300}"#, #"{"exp":-1e300}"#, #"{"exp":1800000100,"nbf":9.3e18}"#,
            #"{"exp":1800000100,"iat":1e19}"#,
        ] {
            add("payload " + payload.prefix(60), tok(payload))
            add("payload+typ " + payload.prefix(60), tok(#"{"alg":"RS256","kid":"k1","typ":"JWT"}"#, payload))
        }
        add("size 1MiB", text: String(repeating: "A", count: 1 << 20))
        add(
            "size 3MiB",
            text: String(repeating: "A", count: 1 << 20) + "." + String(repeating: "A", count: 1 << 20) + "."
                + String(repeating: "A", count: 1 << 20))
        return out
    }

    // MARK: Tests

    @Test func pathsAgreeOnTheRejectionCorpus() {
        var accepted = 0
        for (label, token) in Self.corpus() {
            for (i, v) in Self.verifiers.enumerated() {
                let outcome = Self.expectAgreement(v, token, "verifier \(i), \(label):")
                if outcome.hasPrefix("iss=") { accepted += 1 }
            }
        }
        #expect(accepted > 40)
    }

    @Test func rejectionTestExpectationsHoldOnTheZeroAllocationPath() {
        // A sample of JWSRejectionTests' expectations, checked on the new path directly.
        let p = JWSFixtures.goodPayload
        func code(_ v: JWSVerifier, _ t: [UInt8]) -> String { String(Self.zeroAllocation(v, t).prefix { $0 != " " }) }
        #expect(code(Self.plain, Self.tok(#"{"alg":"RS256","alg":"none","kid":"k1"}"#, p)) == "json.duplicate-member")
        #expect(code(Self.plain, Self.tok(#"{"alg":"HS256","kid":"k1"}"#, p)) == "header.alg-not-allowed")
        #expect(code(Self.two, Self.tok(#"{"alg":"RS256"}"#, p)) == "header.kid-missing")
        #expect(code(Self.plain, Self.tok(#"{"exp":1e400}"#)) == "claim.invalid")
        #expect(code(Self.strict, Self.tok(#"{"alg":"RS256","kid":"k1","typ":"JWT"}"#, p)) == "claim.aud-mismatch")
        #expect(
            code(
                Self.unicode,
                Self.tok(
                    "{\"alg\":\"RS256\",\"kid\":\"k\\u00e9y\",\"typ\":\"\u{212A}B+JWT\"}",
                    "{\"exp\":1800000100,\"iss\":\"cafe\u{301}\",\"sub\":\"Kelvin\",\"aud\":\"A\u{30A}ngstro\u{308}m\"}"
                )) == "iss=Optional(\"cafe\u{301}\")")
    }

    /// Seeded random mutations: of the token's characters (no re-signing), and of the header or payload JSON text
    /// (re-signed, so the post-signature JSON and claims paths see them).
    @Test func pathsAgreeOnRandomMutations() throws {
        var rng = SplitMix64(seed: 0x2E60_A110C)
        let headers = [
            Self.header, #"{"alg":"RS256","kid":"k1"}"#,
            #" {"typ":"JWT", "kid":"k\u0031","alg":"RS256","x":[1,{"y":null}]}"#,
        ]
        let payloads = [
            JWSFixtures.goodPayload,
            #"{"iss":"me","sub":"me","aud":["x","https://as:443/token"],"exp":1800000299.5,"jti":"x","nbf":1.7e9,"iat":1799999999}"#,
            #"{"exp":1800000100,"scope":"a b","n":[1,2,{"m":"\u00e9\n"}],"iat":1800000000}"#,
        ]
        let noise: [UInt8] = Array("\"\\{}[],:0-e.u+ 1xtfn".utf8) + [0xC3, 0xA9, 0xED, 0xFF, 0x00, 0x1F]
        func mutate(_ text: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
            var bytes = text
            for _ in 0..<Int.random(in: 1...2, using: &rng) where !bytes.isEmpty {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes.remove(at: i)
                case 1: bytes.insert(noise.randomElement(using: &rng)!, at: i)
                default: bytes[i] = noise.randomElement(using: &rng)!
                }
            }
            return bytes
        }
        func signed(_ header: [UInt8], _ payload: [UInt8]) throws -> [UInt8] {
            let input = Base64URL.encode(header) + "." + Base64URL.encode(payload)
            let sig = try JWSFixtures.key.signature(for: Array(input.utf8), algorithm: .rs256)
            return Array((input + "." + Base64URL.encode(sig)).utf8)
        }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ".utf8)
        var outcomes = Set<String>()
        for round in 0..<360 {
            let header = Array(headers[round % headers.count].utf8)
            let payload = Array(payloads[(round / 3) % payloads.count].utf8)
            let v = Self.verifiers[round % Self.verifiers.count]
            let token: [UInt8]
            switch round % 3 {
            case 0:
                var t = try signed(header, payload)
                for _ in 0..<Int.random(in: 1...2, using: &rng) {
                    t[Int.random(in: 0..<t.count, using: &rng)] = alphabet.randomElement(using: &rng)!
                }
                token = t
            case 1: token = try signed(mutate(header, &rng), payload)
            default: token = try signed(header, mutate(payload, &rng))
            }
            let outcome = Self.expectAgreement(v, token, "round \(round):")
            outcomes.insert(String(outcome.prefix { $0 != " " }))
        }
        // The mutations reach many different verdicts.
        #expect(outcomes.count >= 10, "\(outcomes.sorted())")
    }

    @Test func theViewReadsClaimsInPlace() throws {
        let payload =
            #"{"iss":"m\u0065","sub":"me","aud":["x", "https:\/\/as:443\/token"],"exp":1800000100,"jti":"\u00e9t\u00e9","n\u0061me":{"a":[1,2]},"nbf":1.8e9}"#
        let token = Self.tok(#"{"alg":"RS256","kid":"k1","typ":"JWT"}"#, payload)
        var scratch = [UInt8](repeating: 0xAA, count: Self.strict.scratchByteCount(for: RawSpan(_elements: token.span)))
        #expect(scratch.count == payload.utf8.count)
        var scratchSpan = scratch.mutableSpan
        var scratchBytes = MutableRawSpan(_elements: &scratchSpan)
        let view = try Self.strict.verify(RawSpan(_elements: token.span), scratch: &scratchBytes)
        // The view is ~Escapable, so it is read into plain values before the expectations.
        let algorithm = view.algorithm
        let keyID = view.keyID
        let payloadBytes = Self.bytes(view.payload)
        let issuerIsMe = view.issuer?.equals("me")
        let issuerIsM = view.issuer?.equals("m")
        let issuerEscaped = view.issuer?.isEscaped
        let issuerCount = view.issuer?.utf8Count
        let issuerText = Self.bytes(view.issuer?.escapedBytes)
        let subjectEscaped = view.subject?.isEscaped
        let id = view.id?.string
        let idEquivalent = view.id?.equals("e\u{301}te\u{301}")
        let empty: [UInt8] = []
        let idIsEmpty = view.id?.equalsUTF8(RawSpan(_elements: empty.span))
        let audienceIsArray = view.audience?.isArray
        let audienceCount = view.audience?.count
        let audiences = view.audience?.strings
        let audienceHas = view.audience?.contains("https://as:443/token")
        let audienceHasNot = view.audience?.contains("https://as/token")
        var iterated: [String] = []
        // swift-format-ignore: ReplaceForEachWithForLoop
        view.audience?.forEach { iterated.append($0.string) }  // a ~Escapable view is not a Sequence
        let expiresAt = view.expiresAt
        let notBefore = view.notBefore
        let issuedAt = view.issuedAt
        let name = Self.bytes(view.rawValue(ofClaim: "name"))
        let nbf = Self.bytes(view.rawValue(ofClaim: "nbf"))
        let missing = Self.bytes(view.rawValue(ofClaim: "missing"))
        #expect(algorithm == .rs256)
        #expect(keyID == "k1")
        #expect(payloadBytes == Array(payload.utf8))
        #expect(issuerIsMe == true)
        #expect(issuerIsM == false)
        #expect(issuerEscaped == true)
        #expect(issuerCount == 2)
        #expect(issuerText == Array(#"m\u0065"#.utf8))
        #expect(subjectEscaped == false)
        #expect(id == "\u{E9}t\u{E9}")
        #expect(idEquivalent == true)
        #expect(idIsEmpty == false)
        #expect(audienceIsArray == true)
        #expect(audienceCount == 2)
        #expect(audiences == ["x", "https://as:443/token"])
        #expect(iterated == ["x", "https://as:443/token"])
        #expect(audienceHas == true)
        #expect(audienceHasNot == false)
        #expect(expiresAt == NumericDate(Int64(1_800_000_100)))
        #expect(notBefore == NumericDate(Int64(1_800_000_000)))
        #expect(issuedAt == nil)
        #expect(name == Array(#"{"a":[1,2]}"#.utf8))
        #expect(nbf == Array("1.8e9".utf8))
        #expect(missing == nil)
    }

    @Test func scratchRulesAndWiping() throws {
        let token = Self.tok(JWSFixtures.goodPayload)
        let needed = Self.plain.scratchByteCount(for: RawSpan(_elements: token.span))
        #expect(needed == JWSFixtures.goodPayload.utf8.count)
        var small = [UInt8](repeating: 0, count: needed - 1)
        expectCode("output.too-small", segment: .token) { () throws(JWSError) in
            try Self.verifyInPlace(Self.plain, token, &small)
        }
        // A signature that fails leaves no payload bytes behind.
        var forged = token
        forged[forged.count - 3] =
            forged[forged.count - 3] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        var scratch = [UInt8](repeating: 0xAA, count: needed)
        expectCode("signature.invalid", segment: .signature) { () throws(JWSError) in
            try Self.verifyInPlace(Self.plain, forged, &scratch)
        }
        #expect(scratch.allSatisfy { $0 == 0 })
        // So does a payload whose base64url breaks near its end.
        var broken = token
        let secondDot = broken.lastIndex(of: UInt8(ascii: "."))!
        broken[secondDot - 1] = UInt8(ascii: "*")
        scratch = [UInt8](repeating: 0xAA, count: needed)
        expectCode("base64url.invalid-character", segment: .payload) { () throws(JWSError) in
            try Self.verifyInPlace(Self.plain, broken, &scratch)
        }
        #expect(scratch.allSatisfy { $0 == 0 })
        // A shape error needs no scratch; an oversized token neither.
        let shape = Array("a.b".utf8)
        let shapeScratch = Self.plain.scratchByteCount(for: RawSpan(_elements: shape.span))
        #expect(shapeScratch == 0)
        #expect(Self.plain.maximumScratchByteCount >= 16 * 1024 * 3 / 4)
    }

    /// Headers over 1 KiB and signatures over 1 KiB (an 8200-bit modulus) are decoded into the scratch buffer's
    /// tail instead of the stack; verdicts still agree.
    @Test func largeHeadersAndSignaturesUseScratch() throws {
        let longHeader = #"{"alg":"RS256","kid":"k1","x5c":["\#(String(repeating: "MIIB", count: 600))"]}"#
        let token = Self.tok(longHeader, JWSFixtures.goodPayload)
        #expect(Self.expectAgreement(Self.plain, token).hasPrefix("iss="))
        let longHeaderScratch = Self.plain.scratchByteCount(for: RawSpan(_elements: token.span))
        #expect(longHeaderScratch > JWSFixtures.goodPayload.utf8.count + 1024)
        var rng = SplitMix64(seed: 8200)
        var modulus = rng.bytes(1025)
        modulus[0] |= 0x80
        modulus[1024] |= 1
        let big = try RSAPublicKey(modulus: modulus, exponent: [1, 0, 1])
        let verifier = try JWSVerifier(
            keys: [JWSVerificationKey(key: big, algorithm: .rs256, keyID: "big")],
            policy: JWTValidationPolicy(clock: .fixed(JWSFixtures.now)))
        let input =
            Base64URL.encode(Array(#"{"alg":"RS256","kid":"big"}"#.utf8)) + "."
            + Base64URL.encode(Array(JWSFixtures.goodPayload.utf8))
        for signature in [rng.bytes(1025), rng.bytes(1024), [UInt8](repeating: 0, count: 1025)] {
            let forged = Array((input + "." + Base64URL.encode(signature)).utf8)
            let outcome = Self.expectAgreement(verifier, forged)
            #expect(outcome.hasPrefix(signature.count == 1025 ? "signature.invalid" : "signature.length"), "\(outcome)")
            let forgedScratch = verifier.scratchByteCount(for: RawSpan(_elements: forged.span))
            #expect(forgedScratch >= JWSFixtures.goodPayload.utf8.count + 1025)
        }
    }

    /// Dates outside `Int64` (a signed token may carry any finite number) never trap.
    @Test func numericDatesBeyondInt64() {
        #expect(NumericDate(1e30).seconds == .max)
        #expect(NumericDate(-1e30).seconds == .min)
        #expect(NumericDate(0x1p63).seconds == .max)
        #expect(NumericDate(-0x1p63).seconds == .min)
        #expect(!NumericDate(1e30).isIntegral)
        #expect(NumericDate(1e30).description == "1e+30")
        #expect(NumericDate(Int64(1_800_000_000)).description == "1800000000")
        #expect(NumericDate(1_800_000_000.5).description == "1800000000.5")
        let expired = JWSFixtures.verifier(
            policy: JWTValidationPolicy(leeway: 30.5, maximumLifetime: 300, clock: .fixed(JWSFixtures.now)))
        expectCode("claim.exp-too-far") { () throws(JWSError) in
            _ = try expired.verify(JWSFixtures.craft(header: Self.header, payload: #"{"exp":1e30}"#))
        }
        var buffer = [UInt8](repeating: 0, count: 128)
        let text: String = unsafe buffer.withUnsafeMutableBytes { b in
            var w = unsafe JSONByteWriter(buffer: b)
            JWTClaims(expiresAt: NumericDate(1e30), issuedAt: NumericDate(-0.5)).write(to: &w)
            return unsafe String(decoding: b[..<w.count], as: UTF8.self)
        }
        #expect(text == #"{"exp":1e+30,"iat":-0.5}"#)
    }

    /// The NumericDate fast path gives bit-for-bit the value `Double(String)` gives (which the DOM path uses).
    @Test func numericDatesMatchDoubleParsing() {
        var rng = SplitMix64(seed: 0xDA7E)
        var texts = [
            "0", "-0", "-0.0", "0e400", "1800000000", "1800000000.5", "1.8e9", "18e8", "1e22", "1e23",
            "9007199254740993",
            "999999999999999", "9999999999999999", "0.1", "0.3", "123456789012345e-22", "123456789012345e-23",
            "1e-22", "4.9e-324", "2.2250738585072011e-308", "1.7976931348623157e308", "1e400", "-1e400", "1e-400",
            "100000000000000000000000", "0.000000000000000000000000001", "1800000100.0000000000000001",
        ]
        for _ in 0..<20000 {
            var s = Bool.random(using: &rng) ? "-" : ""
            let digits = Int.random(in: 1...(Int.random(in: 0..<4, using: &rng) == 0 ? 30 : 12), using: &rng)
            for k in 0..<digits {
                s += String(
                    k == 0 && digits > 1 ? Int.random(in: 1...9, using: &rng) : Int.random(in: 0...9, using: &rng))
            }
            if Bool.random(using: &rng) {
                s += "."
                for _ in 0..<Int.random(in: 1...12, using: &rng) { s += String(Int.random(in: 0...9, using: &rng)) }
            }
            if Int.random(in: 0..<3, using: &rng) == 0 {
                s +=
                    ["e", "E"].randomElement(using: &rng)! + ["", "+", "-"].randomElement(using: &rng)!
                    + String(Int.random(in: 0...40, using: &rng))
            }
            texts.append(s)
        }
        for text in texts {
            let expected: Double? = Double(text).flatMap { $0.isFinite ? $0 : nil }
            let bytes = Array(text.utf8)
            let got = unsafe bytes.withUnsafeBytes { unsafe NumericDate.parseJSONNumber($0) }
            #expect(
                got?.bitPattern == expected?.bitPattern,
                "\(text): \(String(describing: got)) vs \(String(describing: expected))")
        }
    }
}
