// SPDX-License-Identifier: Apache-2.0

import Base64URL
import ClientAssertion
import CrossCheck
import GMPVerifier
@_spi(Testing) import JWS
import SignetKeys

/// A property violated by a fuzz input: the harness traps on purpose so libFuzzer records the input.
func violated(_ what: String) -> Never {
    fatalError("fuzz property violated: \(what)")
}

/// The fuzz targets; each checks properties, not only "does not crash".
enum FuzzTargets {
    static let names = ["base64url", "jws", "json", "pem", "jwks", "gmp", "curves", "doctor", "claims", "serve"]

    static func run(_ name: String, _ data: UnsafeRawBufferPointer) {
        switch name {
        case "base64url": base64url(data)
        case "jws": jws(data)
        case "json": json(data)
        case "pem": pem(data)
        case "jwks": jwks(data)
        case "gmp": gmp(data)
        case "curves": curves(data)
        case "doctor": doctor(data)
        case "claims": claims(data)
        case "serve": serve(data)
        default: violated("unknown target \(name)")
        }
    }

    /// One-shot decode agrees with streaming decode under a chunking derived from the input; a successful decode
    /// re-encodes to the same text (strictness = canonical round trip); encode∘decode of arbitrary bytes is identity.
    static func base64url(_ data: UnsafeRawBufferPointer) {
        let bytes = Array(data)
        let oneShot = Result { () throws(Base64URLError) -> [UInt8] in try Base64URL.decode(bytes) }
        if case .success(let decoded) = oneShot {
            guard Base64URL.encode(decoded) == String(decoding: bytes, as: UTF8.self) else {
                violated("non-canonical accepted")
            }
        }
        let reencoded = Base64URL.encode(bytes)
        guard (try? Base64URL.decode(reencoded)) == bytes else { violated("round trip") }
        // Streaming with chunk sizes taken from the input itself: the same bytes (or the same error, at the same
        // absolute offset) as the one-shot decoder, for the input and for its re-encoding.
        let chunks = bytes.prefix(16).map { Int($0 % 7) }
        guard streamDecode(bytes, chunks: chunks) == oneShot else {
            violated("streaming decode differs from one-shot (chunks \(chunks))")
        }
        guard case .success(let again) = streamDecode(Array(reencoded.utf8), chunks: chunks), again == bytes else {
            violated("streaming round trip (chunks \(chunks))")
        }
    }

    /// Decodes `text` through ``Base64URLDecoder`` in chunks of the given sizes (cycled; 0 means an empty chunk).
    static func streamDecode(_ text: [UInt8], chunks: [Int]) -> Result<[UInt8], Base64URLError> {
        var decoder = Base64URLDecoder()
        var failure: Base64URLError?
        let out = [UInt8](capacity: text.count + 3) { output in
            do throws(Base64URLError) {
                let input = text.span
                var start = 0
                var i = 0
                while start < text.count {
                    var size = chunks.isEmpty ? text.count - start : min(chunks[i % chunks.count], text.count - start)
                    if chunks.allSatisfy({ $0 == 0 }) { size = text.count - start }  // only empty chunks: all at once
                    i += 1
                    try decoder.decode(input.extracting(start..<(start + size)), into: &output)
                    start += size
                }
                try decoder.finish(into: &output)
            } catch {
                failure = error
            }
        }
        if let failure { return .failure(failure) }
        return .success(out)
    }

    /// The verifier never crashes and always reports a coded error; the zero-allocation path, the allocating path
    /// and the DOM reference reach the same verdict with the same code, segment and offset.
    static func jws(_ data: UnsafeRawBufferPointer) {
        func outcome(_ body: () throws(JWSError) -> String) -> String {
            do throws(JWSError) { return try body() } catch {
                guard !error.code.rawValue.isEmpty, !error.reason.isEmpty else { violated("uncoded JWS error") }
                if let offset = error.offset, offset < 0 || offset > data.count {
                    violated("offset out of range: \(error)")
                }
                return
                    "\(error.code.rawValue) \(String(describing: error.segment)) \(String(describing: error.offset)) \(error.reason)"
            }
        }
        let v = Fixture.verifier
        let signature = outcome { () throws(JWSError) in "\(try unsafe v.verifySignature(data).payload)" }
        let reference = outcome { () throws(JWSError) in "\(try unsafe v.referenceVerifySignature(data).payload)" }
        guard signature == reference else {
            violated("verifySignature: \(signature) but the DOM reference: \(reference)")
        }
        let scratch = UnsafeMutableRawBufferPointer.allocate(
            byteCount: v.scratchByteCount(for: RawSpan(_unsafeBytes: data)), alignment: 1)
        defer { unsafe scratch.deallocate() }
        let zero = outcome { () throws(JWSError) in
            var s = MutableRawSpan(_unsafeBytes: scratch)
            return "\(try v.verify(RawSpan(_unsafeBytes: data), scratch: &s).payload.byteCount)"
        }
        let dom = outcome { () throws(JWSError) in "\(try unsafe v.referenceVerify(data).jws.payload.count)" }
        guard zero == dom else { violated("verify(_:scratch:): \(zero) but the DOM reference: \(dom)") }
    }

    /// The input is a JWT payload, signed with the fixture key (so the post-signature JSON, claim and policy
    /// checks run): the zero-allocation path and the DOM reference agree on the verdict, error and claims.
    static func claims(_ data: UnsafeRawBufferPointer) {
        let header = Array(#"{"alg":"RS256","typ":"JWT","kid":"k1"}"#.utf8)
        let input = Array((Base64URL.encode(header) + "." + Base64URL.encode(Array(data))).utf8)
        guard let signature = try? Fixture.signingKey.signature(for: input, algorithm: .rs256) else {
            violated("signing")
        }
        let token = input + Array(("." + Base64URL.encode(signature)).utf8)
        let v = Fixture.strictVerifier
        unsafe token.withUnsafeBytes { t in
            let scratch = UnsafeMutableRawBufferPointer.allocate(
                byteCount: v.scratchByteCount(for: RawSpan(_unsafeBytes: t)), alignment: 1)
            defer { unsafe scratch.deallocate() }
            func outcome(_ body: () throws(JWSError) -> String) -> String {
                do throws(JWSError) { return try body() } catch {
                    return
                        "\(error.code.rawValue) \(String(describing: error.segment)) \(String(describing: error.offset)) \(error.reason)"
                }
            }
            let zero = outcome { () throws(JWSError) in
                var s = MutableRawSpan(_unsafeBytes: scratch)
                let view = try v.verify(RawSpan(_unsafeBytes: t), scratch: &s)
                return
                    "\(String(describing: view.issuer?.string)) \(String(describing: view.subject?.string)) \(String(describing: view.id?.string)) \(String(describing: view.audience?.strings)) \(String(describing: view.expiresAt)) \(String(describing: view.notBefore)) \(String(describing: view.issuedAt))"
            }
            let dom = outcome { () throws(JWSError) in
                let c = try unsafe v.referenceVerify(t).claims
                return
                    "\(String(describing: c.issuer)) \(String(describing: c.subject)) \(String(describing: c.id)) \(String(describing: c.audience)) \(String(describing: c.expiresAt)) \(String(describing: c.notBefore)) \(String(describing: c.issuedAt))"
            }
            guard zero == dom else { violated("verify(_:scratch:): \(zero) but the DOM reference: \(dom)") }
        }
    }

    /// The scanner is the only grammar and the value tree is built from a finished scan (the old parser, the
    /// oracle, lives in the tests and is not reachable from here). So: `validate` (scan alone) and `parse` (scan,
    /// then tree) agree; the tree builder never crashes on accepted text and puts every member offset on its
    /// name's quote and on the first byte of a value of the member's type; `parseKeepingLastDuplicate` agrees with
    /// `parse` except for reported repeats; accepted JSON re-serialises to JSON that parses to the same value.
    static func json(_ data: UnsafeRawBufferPointer) {
        let parsed = Result { () throws(JSONError) in try unsafe StrictJSON.parse(data) }
        let validated = Result { () throws(JSONError) in try unsafe StrictJSON.validate(data) }
        switch (parsed, validated) {
        case (.success, .success): break
        case (.failure(let a), .failure(let b)) where a.code == b.code && a.offset == b.offset: break
        default: violated("StrictJSON.parse and StrictJSON.validate disagree: \(parsed) vs \(validated)")
        }
        let bytes = Array(data)
        let lenient = Result { () throws(JSONError) in try StrictJSON.parseKeepingLastDuplicate(bytes) }
        switch (parsed, lenient) {
        case (.success(let a), .success(let b)) where a == b.value && b.duplicates.isEmpty: break
        case (.failure(let a), .success(let b))
        where a.code == .duplicateMember && b.duplicates.first?.offset == a.offset: break
        case (.failure(let a), .failure(let b))
        where a.code != .duplicateMember && a.code == b.code && a.offset == b.offset: break
        case (.failure(let a), .failure(let b)) where a.code == .duplicateMember && b.offset > a.offset: break
        default: violated("StrictJSON.parse and parseKeepingLastDuplicate disagree: \(parsed) vs \(lenient)")
        }
        guard case .success(let value) = parsed else { return }
        checkOffsets(value, in: bytes)
        guard let again = try? StrictJSON.parse(value.description) else {
            violated("re-serialised JSON does not parse")
        }
        guard again == value else { violated("JSON round trip changed the value") }
    }

    /// Every member's `nameOffset` is a quote and its `valueOffset` the first byte of a value of its type.
    static func checkOffsets(_ value: JSONValue, in bytes: [UInt8]) {
        switch value {
        case .array(let elements):
            for e in elements { checkOffsets(e, in: bytes) }
        case .object(let object):
            for m in object.members {
                guard m.nameOffset < bytes.count, bytes[m.nameOffset] == UInt8(ascii: "\""),
                    m.valueOffset < bytes.count, firstBytes(of: m.value).contains(bytes[m.valueOffset])
                else { violated("member \(m.name.debugDescription) has offsets \(m.nameOffset), \(m.valueOffset)") }
                checkOffsets(m.value, in: bytes)
            }
        default: break
        }
    }

    static func firstBytes(of value: JSONValue) -> [UInt8] {
        switch value {
        case .null: Array("n".utf8)
        case .bool(let b): Array((b ? "t" : "f").utf8)
        case .number: Array("-0123456789".utf8)
        case .string: Array("\"".utf8)
        case .array: Array("[".utf8)
        case .object: Array("{".utf8)
        }
    }

    /// Key loading never crashes; every failure carries a code and reason.
    static func pem(_ data: UnsafeRawBufferPointer) {
        let text = String(decoding: data, as: UTF8.self)
        do { _ = try RSAPublicKey(pem: text) } catch { if error.reason.isEmpty { violated("uncoded key error") } }
        do { _ = try RSAPrivateKey(pem: text) } catch { if error.reason.isEmpty { violated("uncoded key error") } }
        do { _ = try RSAPublicKey(der: Array(data)) } catch {
            if error.reason.isEmpty { violated("uncoded key error") }
        }
    }
}

extension FuzzTargets {
    /// JWK set parsing never crashes; every issue has a code; keys it offers for verification have no private members.
    static func jwks(_ data: UnsafeRawBufferPointer) {
        guard let set = try? JWKSet.parse(String(decoding: data, as: UTF8.self)) else { return }
        for issue in set.issues where issue.reason.isEmpty { violated("JWKS issue without a reason: \(issue)") }
        _ = set.verificationKeys(defaultAlgorithm: .rs512)
        for key in set.keys where !key.privateMembers.isEmpty {
            if set.verificationKeys(defaultAlgorithm: .rs512).contains(where: {
                $0.key.thumbprint == key.publicKey.thumbprint && $0.keyID == key.keyID
            }) {
                violated("a key with private members was offered for verification")
            }
        }
    }

    /// GMPVerifier and OpenSSL agree on random signatures (and on the input used as a message for a real signature).
    static func gmp(_ data: UnsafeRawBufferPointer) {
        let bytes = Array(data)
        let f = Fixture.rsa
        var signature = [UInt8](repeating: 0, count: f.evp.signatureByteCount)
        for (i, b) in bytes.prefix(signature.count).enumerated() { signature[i] = b }
        // The algorithms GMPVerifier verifies (PKCS#1 v1.5).
        for alg in RSASignatureAlgorithm.all {
            guard let gAlg = GMPRSAAlgorithm(jwsName: alg.jwsName) else { continue }
            // A random signature (almost never valid), and the fixed valid signature against this message.
            for (sig, msg) in [
                (signature, bytes), (f.signature, bytes),
                (Array(bytes.prefix(f.evp.signatureByteCount + 1)), f.message),
            ] {
                let a = f.evp.isValidSignature(sig, for: msg, algorithm: alg)
                let b = f.gmp.isValidSignature(sig, for: msg, algorithm: gAlg)
                if a != b { violated("OpenSSL \(a) vs GMPVerifier \(b) for \(alg)") }
            }
        }
    }

    /// Signet's own ECDSA and Ed25519 verification (CSignetEC) and OpenSSL's give the same verdict, per curve, on
    /// the valid fixture signature with input bytes XORed in, on the valid signature over the input as message, and on
    /// the input as both signature and message.
    static func curves(_ data: UnsafeRawBufferPointer) {
        let bytes = Array(data)
        for f in Fixture.curves {
            var near = f.signature
            for (i, b) in bytes.prefix(near.count).enumerated() { near[i] ^= b }
            for (sig, msg) in [(near, f.message), (f.signature, bytes), (Array(bytes.prefix(near.count)), bytes)] {
                let own = f.key.isValidSignature(sig, for: msg, algorithm: f.algorithm)
                let openSSL = f.key.isValidSignatureOnOpenSSL(sig, for: msg, algorithm: f.algorithm)
                if own != openSSL { violated("Signet \(own) vs OpenSSL \(openSSL) for \(f.algorithm.jwsName)") }
            }
        }
    }

    /// The doctor never crashes, every finding has a code, a message and an offset inside the token (or none).
    static func doctor(_ data: UnsafeRawBufferPointer) {
        let text = String(decoding: data, as: UTF8.self)
        let parts = text.split(separator: "\u{0}", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        let report = Doctor.examine(
            Doctor.Input(
                token: parts[0], form: parts.count > 1 ? parts[1] : nil,
                jwks: parts.count > 2 ? parts[2] : Fixture.jwks,
                clientID: "client", now: NumericDate(Int64(1_800_000_000)), secondOpinion: .gmpVerifier))
        for f in report.findings {
            if f.code.rawValue.isEmpty || f.message.isEmpty { violated("finding without code or message") }
        }
        if report.signatureVerified == true
            && report.findings.contains(where: { $0.code.rawValue == "signature.invalid" })
        {
            violated("signature both verified and invalid")
        }
    }
}

/// Fixed material for the JWS target.
enum Fixture {
    struct RSA: @unchecked Sendable {  // immutable fixture
        let evp: RSAPublicKey
        let gmp: GMPRSAPublicKey
        let message: [UInt8]
        let signature: [UInt8]
    }

    static let rsa: RSA = {
        guard let key = try? RSAPrivateKey.generate(bits: 2048),
            let gmp = try? GMPRSAPublicKey(modulus: key.publicKey.modulus, exponent: key.publicKey.exponent),
            let sig = try? key.signature(for: Array("fixture".utf8), algorithm: .rs256)
        else { violated("fixture") }
        return RSA(evp: key.publicKey, gmp: gmp, message: Array("fixture".utf8), signature: sig)
    }()

    static let jwks: String = JWKSet.document([(rsa.evp, "k1", .rs512)])

    struct Curve: @unchecked Sendable {  // immutable fixture
        let algorithm: JWSAlgorithm
        let key: JWSPublicKey
        let message: [UInt8]
        let signature: [UInt8]
    }

    /// A key and a valid signature of "fixture" for ES256, ES384, ES512 and EdDSA.
    static let curves: [Curve] = [JWSAlgorithm.es256, .es384, .es512, .edDSA].map { alg in
        let message = Array("fixture".utf8)
        guard let key = try? JWSSigningKey.generate(for: alg),
            let sig = try? key.signature(for: message, algorithm: alg)
        else { violated("fixture") }
        return Curve(algorithm: alg, key: key.publicKey, message: message, signature: sig)
    }

    static let signingKey: RSAPrivateKey = {
        guard let key = try? RSAPrivateKey.generate(bits: 2048) else { violated("fixture") }
        return key
    }()

    /// Issuer, subject, audience, jti and typ required, lifetime bounded, clock fixed at 1 800 000 000.
    static let strictVerifier: JWSVerifier = {
        guard
            let v = try? JWSVerifier(
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
