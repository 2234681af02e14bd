// SPDX-License-Identifier: Apache-2.0
import Base64URL
import CryptoEVP
import JWS

/// A property violated by a fuzz input: the harness traps on purpose so libFuzzer records the input.
func violated(_ what: String) -> Never {
    fatalError("fuzz property violated: \(what)")
}

/// The fuzz targets; each checks properties, not only "does not crash".
enum FuzzTargets {
    static let names = ["base64url", "jws", "json", "pem", "claims"]

    static func run(_ name: String, _ data: UnsafeRawBufferPointer) {
        switch name {
        case "base64url": base64url(data)
        case "jws": jws(data)
        case "json": json(data)
        case "pem": pem(data)
        case "claims": claims(data)
        default: violated("unknown target \(name)")
        }
    }

    /// One-shot decode agrees with streaming decode under a chunking derived from the input; a successful decode
    /// re-encodes to the same text (strictness = canonical round trip); encode∘decode of arbitrary bytes is identity.
    static func base64url(_ data: UnsafeRawBufferPointer) {
        let bytes = Array(data)
        let oneShot = Result { () throws(Base64URLError) -> [UInt8] in try Base64URL.decode(bytes) }
        if case .success(let decoded) = oneShot {
            guard Base64URL.encode(decoded) == String(decoding: bytes, as: UTF8.self) else { violated("non-canonical accepted") }
        }
        let reencoded = Base64URL.encode(bytes)
        guard (try? Base64URL.decode(reencoded)) == bytes else { violated("round trip") }
    }

    /// The verifier never crashes and always reports a coded error; the zero-allocation path, the allocating path
    /// and the DOM reference reach the same verdict with the same code, segment and offset.
    static func jws(_ data: UnsafeRawBufferPointer) {
        func outcome(_ body: () throws(JWSError) -> String) -> String {
            do throws(JWSError) { return try body() } catch {
                guard !error.code.rawValue.isEmpty, !error.reason.isEmpty else { violated("uncoded JWS error") }
                if let offset = error.offset, offset < 0 || offset > data.count { violated("offset out of range: \(error)") }
                return "\(error.code.rawValue) \(String(describing: error.segment)) \(String(describing: error.offset)) \(error.reason)"
            }
        }
        let v = Fixture.verifier
        let signature = outcome { () throws(JWSError) in "\(try unsafe v.verifySignature(data).payload)" }
        let reference = outcome { () throws(JWSError) in "\(try unsafe v.referenceVerifySignature(data).payload)" }
        guard signature == reference else { violated("verifySignature: \(signature) but the DOM reference: \(reference)") }
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: unsafe v.scratchByteCount(for: data), alignment: 1)
        defer { unsafe scratch.deallocate() }
        let zero = outcome { () throws(JWSError) in "\(unsafe try v.verify(data, scratch: scratch).payload.count)" }
        let dom = outcome { () throws(JWSError) in "\(try unsafe v.referenceVerify(data).jws.payload.count)" }
        guard zero == dom else { violated("verify(_:scratch:): \(zero) but the DOM reference: \(dom)") }
    }

    /// The input is a JWT payload, signed with the fixture key (so the post-signature JSON, claim and policy
    /// checks run): the zero-allocation path and the DOM reference agree on the verdict, error and claims.
    static func claims(_ data: UnsafeRawBufferPointer) {
        let header = Array(#"{"alg":"RS256","typ":"JWT","kid":"k1"}"#.utf8)
        let input = Array((Base64URL.encode(header) + "." + Base64URL.encode(Array(data))).utf8)
        guard let signature = try? Fixture.signingKey.signature(for: input, algorithm: .rs256) else { violated("signing") }
        let token = input + Array(("." + Base64URL.encode(signature)).utf8)
        let v = Fixture.strictVerifier
        unsafe token.withUnsafeBytes { t in
            let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: unsafe v.scratchByteCount(for: t), alignment: 1)
            defer { unsafe scratch.deallocate() }
            func outcome(_ body: () throws(JWSError) -> String) -> String {
                do throws(JWSError) { return try body() } catch {
                    return "\(error.code.rawValue) \(String(describing: error.segment)) \(String(describing: error.offset)) \(error.reason)"
                }
            }
            let zero = outcome { () throws(JWSError) in
                let view = try unsafe v.verify(t, scratch: scratch)
                return unsafe "\(String(describing: view.issuer?.string)) \(String(describing: view.subject?.string)) \(String(describing: view.id?.string)) \(String(describing: view.audience?.strings)) \(String(describing: view.expiresAt)) \(String(describing: view.notBefore)) \(String(describing: view.issuedAt))"
            }
            let dom = outcome { () throws(JWSError) in
                let c = try unsafe v.referenceVerify(t).claims
                return "\(String(describing: c.issuer)) \(String(describing: c.subject)) \(String(describing: c.id)) \(String(describing: c.audience)) \(String(describing: c.expiresAt)) \(String(describing: c.notBefore)) \(String(describing: c.issuedAt))"
            }
            guard zero == dom else { violated("verify(_:scratch:): \(zero) but the DOM reference: \(dom)") }
        }
    }

    /// The scanner (`StrictJSON.validate`) agrees with the DOM reader; accepted JSON re-serialises to JSON that parses
    /// to the same value.
    static func json(_ data: UnsafeRawBufferPointer) {
        let parsed = Result { () throws(JSONError) in try unsafe StrictJSON.parse(data) }
        let validated = Result { () throws(JSONError) in try unsafe StrictJSON.validate(data) }
        switch (parsed, validated) {
        case (.success, .success): break
        case (.failure(let a), .failure(let b)) where a.code == b.code && a.offset == b.offset: break
        default: violated("StrictJSON.parse and StrictJSON.validate disagree: \(parsed) vs \(validated)")
        }
        guard let value = try? unsafe StrictJSON.parse(data) else { return }
        guard let again = try? StrictJSON.parse(value.description) else { violated("re-serialised JSON does not parse") }
        guard again == value else { violated("JSON round trip changed the value") }
    }

    /// Key loading never crashes; every failure carries a code and reason.
    static func pem(_ data: UnsafeRawBufferPointer) {
        let text = String(decoding: data, as: UTF8.self)
        do { _ = try RSAPublicKey(pem: text) } catch { if error.reason.isEmpty { violated("uncoded key error") } }
        do { _ = try RSAPrivateKey(pem: text) } catch { if error.reason.isEmpty { violated("uncoded key error") } }
        do { _ = try RSAPublicKey(der: Array(data)) } catch { if error.reason.isEmpty { violated("uncoded key error") } }
    }
}

/// Fixed material for the JWS target.
enum Fixture {
    static let signingKey: RSAPrivateKey = {
        guard let key = try? RSAPrivateKey.generate(bits: 2048) else { violated("fixture") }
        return key
    }()

    /// Issuer, subject, audience, jti and typ required, lifetime bounded, clock fixed at 1 800 000 000.
    static let strictVerifier: JWSVerifier = {
        guard let v = try? JWSVerifier(
            keys: [JWSVerificationKey(key: signingKey.publicKey, algorithm: .rs256, keyID: "k1")],
            policy: JWTValidationPolicy(
                issuer: "me", subject: "me", audience: "https://as/token", requireID: true, leeway: 30,
                maximumLifetime: 300, expectedType: "JWT", clock: .fixed(NumericDate(Int64(1_800_000_000)))))
        else { violated("fixture") }
        return v
    }()

    static let verifier: JWSVerifier = {
        guard let key = try? RSAPrivateKey.generate(bits: 2048),
            let v = try? JWSVerifier(
                keys: [JWSVerificationKey(key: key.publicKey, algorithm: .rs256, keyID: "k1")],
                policy: JWTValidationPolicy(clock: .fixed(NumericDate(Int64(1_800_000_000)))))
        else { violated("fixture") }
        return v
    }()
}
