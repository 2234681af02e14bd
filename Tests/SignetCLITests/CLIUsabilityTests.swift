// SPDX-License-Identifier: Apache-2.0

import Foundation
import Testing

/// Issue 19: the CLI as a newcomer meets it — token arguments, help, errors, and keys as people have them.
@Suite("signet as a newcomer meets it")
struct CLIUsabilityTests {
    // MARK: - Help

    /// Every command's path from `--experimental-dump-help` (what the man page is generated from), hidden ones
    /// excluded, with its discussion.
    static func commands() async throws -> [(path: [String], discussion: String, abstract: String)] {
        let dump = try await Signet.run(["--experimental-dump-help"])
        try #require(dump.status == 0, "\(dump)")
        let root = try #require(
            (try JSONSerialization.jsonObject(with: Data(dump.stdoutBytes)) as? [String: Any])?["command"]
                as? [String: Any])
        var out: [(path: [String], discussion: String, abstract: String)] = []
        func walk(_ command: [String: Any], _ path: [String]) {
            guard command["shouldDisplay"] as? Bool ?? true else { return }
            out.append((path, command["discussion"] as? String ?? "", command["abstract"] as? String ?? ""))
            for sub in command["subcommands"] as? [[String: Any]] ?? [] {
                guard let name = sub["commandName"] as? String, name != "help" else { continue }
                walk(sub, path + [name])
            }
        }
        walk(root, [])
        return out
    }

    @Test func everyHelpExampleRunsAsWritten() async throws {
        let fixtures = try await ExampleFixtures()
        var ran = 0
        for command in try await Self.commands() {
            let help = try await Signet.run(command.path + ["--help"], environment: ["COLUMNS": "80"])
            #expect(help.status == 0)
            let examples = DocumentedLines.examples(inHelp: help.stdout)
            #expect(!examples.isEmpty, "signet \(command.path.joined(separator: " ")) --help has no examples")
            // The same lines at any width: no example is wrapped by ArgumentParser at 80 columns.
            let wide = try await Signet.run(command.path + ["--help"], environment: ["COLUMNS": "400"])
            #expect(DocumentedLines.examples(inHelp: wide.stdout) == examples, "\(command.path): an example wraps")
            for line in examples {
                let dir = try fixtures.copy()
                defer { try? FileManager.default.removeItem(at: dir) }
                let r = try await Signet.shell(line, in: dir, environment: fixtures.environment)
                #expect(r.status == 0, "example `\(line)` failed:\n\(r)")
                ran += 1
            }
        }
        #expect(ran >= 25)
    }

    @Test func readmeCommandLineSectionRunsAsWritten() async throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let lines = DocumentedLines.shellBlock(
            after: "## The command-line tool", in: try String(contentsOf: readme, encoding: .utf8))
        #expect(lines.count >= 15)
        #expect(lines.contains { $0.contains("--key-password-file") })
        #expect(lines.contains { $0.contains("cert.pem") })
        #expect(lines.contains { $0.contains("@assertion.jwt") })
        let dir = try Signet.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for line in lines {
            let r = try await Signet.shell(line, in: dir, environment: ["API_KEY": "my-api-key"])
            #expect(r.status == 0, "README line `\(line)` failed:\n\(r)")
        }
    }

    @Test func helpCommandEqualsDashDashHelp() async throws {
        for command in try await Self.commands() where !command.path.isEmpty {
            let viaHelp = try await Signet.run(["help"] + command.path, environment: ["COLUMNS": "80"])
            let viaFlag = try await Signet.run(command.path + ["--help"], environment: ["COLUMNS": "80"])
            #expect(viaHelp.status == 0)
            #expect(viaHelp.stdout == viaFlag.stdout, "signet help \(command.path.joined(separator: " "))")
        }
    }

    /// Prose is written as paragraphs for ArgumentParser to wrap: before `Examples:`, no two non-empty lines follow
    /// each other (a hand-broken paragraph would), and abstracts are one line.
    @Test func discussionsAreParagraphsNotHandBrokenLines() async throws {
        for command in try await Self.commands() {
            #expect(!command.abstract.contains("\n"), "\(command.path) abstract")
            let prose = command.discussion.components(separatedBy: "Examples:")[0]
            let lines = prose.split(separator: "\n", omittingEmptySubsequences: false)
            for (a, b) in zip(lines, lines.dropFirst()) where !a.isEmpty && !b.isEmpty {
                Issue.record("\(command.path): hand-broken line '\(a)' / '\(b)'")
            }
        }
        // At 80 columns the wrapped text never splits a word, and no line is longer than 80 unless it is one word.
        let help = try await Signet.run(["verify", "--help"], environment: ["COLUMNS": "80"])
        for line in help.stdout.split(separator: "\n") where line.count > 80 && !line.hasPrefix("USAGE:") {
            #expect(!line.contains(" "), "over-long line: \(line)")
        }
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScripts(shell: String) async throws {
        let r = try await Signet.run(["--generate-completion-script", shell])
        #expect(r.status == 0, "\(r)")
        for word in ["signet", "verify", "doctor", "key-password-file"] {
            #expect(r.stdout.contains(word), "\(shell) completion lacks \(word)")
        }
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        #expect(try String(contentsOf: readme, encoding: .utf8).contains("--generate-completion-script \(shell)"))
    }

    // MARK: - Token arguments

    @Test func tokenFromArgumentStdinAtFileAndPath() async throws {
        let f = try await ExampleFixtures()
        let token = try #require(f.environment["TOKEN"])
        let base = ["verify", "--jwks", f.path("jwks.json"), "--iss", "abc", "--verbose"]
        let literal = try await Signet.run(base + [token])
        #expect(literal.status == 0, "\(literal)")
        #expect(literal.stderr.contains("token from the argument itself"))
        let stdin = try await Signet.run(base + ["-"], stdin: token + " \t\r\n\n")
        #expect(stdin.status == 0, "\(stdin)")
        #expect(
            stdin.stderr.contains("token from standard input, trailing whitespace removed (\(token.utf8.count) bytes)"))
        // A file with trailing whitespace, named with @ and as a plain path (relative and absolute).
        try Data((token + "  \n\n").utf8).write(to: f.url.appendingPathComponent("spaced.jwt"))
        for argument in ["@spaced.jwt", "spaced.jwt", "./spaced.jwt", f.path("spaced.jwt")] {
            let r = try await Signet.run(base + [argument], in: f.url)
            #expect(r.status == 0, "\(argument): \(r)")
            let name = argument.hasPrefix("@") ? String(argument.dropFirst()) : argument
            #expect(
                r.stderr.contains("token from file '\(name)', trailing whitespace removed (\(token.utf8.count) bytes)"))
        }
        // Not a JWS and no such file: the argument is the token, and the verifier says why it is not one.
        let neither = try await Signet.run(base + ["nothing-here.jwt"], in: f.url)
        #expect(neither.status == 2, "\(neither)")
        #expect(neither.stderr.contains("token.not-jws"))
        // @ always means a file: a missing one is an error with the reason.
        let missing = try await Signet.run(base + ["@nothing-here.jwt"], in: f.url)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("cannot read 'nothing-here.jwt': No such file or directory"))
        // The doctor, and mint's --subject-token, read tokens the same way.
        let doctor = try await Signet.run(
            ["doctor", "--jwks", "jwks.json", "--client-id", "abc", "--env", "int", "--verbose", "spaced.jwt"],
            in: f.url)
        #expect(doctor.status == 0, "\(doctor)")
        #expect(doctor.stdout.contains("signature verified"))
        #expect(doctor.stderr.contains("token from file 'spaced.jwt'"))
        let exchange = try await Signet.run(
            [
                "mint", "--key", "key.pem", "--kid", "prod-1", "--client-id", "abc", "--profile", "apim",
                "--form", "token-exchange", "--subject-token", "@cis2.jwt",
            ], in: f.url)
        #expect(exchange.status == 0, "\(exchange)")
        #expect(exchange.stdout.contains("subject_token=\(try #require(f.environment["ID_TOKEN"]))&"))
    }

    // MARK: - Errors

    @Test func fileErrorsNameThePathAndTheReason() async throws {
        let f = try await ExampleFixtures()
        let missing = try await Signet.run(["verify", "--jwks", "nope.json", "x.y.z"], in: f.url)
        #expect(missing.status == 1)
        #expect(missing.stderr == "signet: cannot read 'nope.json': No such file or directory\n")
        let directory = try await Signet.run(["jwks", "--key", f.url.path, "--kid", "k"])
        #expect(directory.status == 1)
        #expect(directory.stderr == "signet: cannot read '\(f.url.path)': Is a directory\n")
        let locked = f.url.appendingPathComponent("locked.pem")
        try FileManager.default.copyItem(at: f.url.appendingPathComponent("key.pem"), to: locked)
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: locked.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: f.url.path)
        // root reads anything: then run signet as nobody, as a person without access to the key would.
        let signet = try #require(Signet.executable).path
        let denied =
            getuid() == 0
            ? try await Signet.run(
                [
                    "--reuid=65534", "--regid=65534", "--clear-groups", signet, "jwks", "--key", locked.path, "--kid",
                    "k",
                ],
                program: URL(fileURLWithPath: "/usr/bin/setpriv"))
            : try await Signet.run(["jwks", "--key", locked.path, "--kid", "k"])
        #expect(denied.status == 1, "\(denied)")
        #expect(denied.stderr == "signet: cannot read '\(locked.path)': Permission denied\n")
        let out = f.url.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: false)
        let unwritable = try await Signet.run(
            ["keygen", "--bits", "2048", "--kid", "k", "--out", "out/x/key.pem"], in: f.url)
        #expect(unwritable.status == 1)
        #expect(unwritable.stderr.contains("cannot create out/x/key.pem: No such file or directory"))
    }

    @Test func errorsKeepTheirTypedCodes() async throws {
        let f = try await ExampleFixtures()
        let token = try #require(f.environment["TOKEN"])
        let cases: [(args: [String], code: String)] = [
            (["jwks", "--key", "jwks.json", "--kid", "k"], "SignetKeyError.key.pem-malformed"),
            (
                ["mint", "--key", "public.pem", "--client-id", "a", "--aud", "https://x/t"],
                "SignetKeyError.key.wrong-kind"
            ),
            (
                ["mint", "--key", "key-encrypted.pem", "--client-id", "a", "--aud", "https://x/t"],
                "SignetKeyError.key.password-required"
            ),
            (["verify", "--jwks", "body.txt", token], "JSONError.json.invalid"),
            (["verify", "--key", "cert.pem", "--alg", "RS256", token], "JWSError.header.alg-not-allowed"),
            (
                [
                    "mint", "--key", "key.pem", "--kid", "k1", "--client-id", "a", "--profile", "apim", "--lifetime",
                    "600",
                ],
                "ClientAssertionError.profile.lifetime-too-long"
            ),
        ]
        for c in cases {
            let r = try await Signet.run(c.args, in: f.url)
            #expect(r.stderr.contains(c.code), "\(c.args): \(r)")
            #expect(r.stdoutBytes.isEmpty)
        }
    }

    /// DESIGN.md: 0 success; 2 token rejected or doctor found an error; 64 usage error; 1 anything else.
    @Test func exitStatusesAsDocumented() async throws {
        let f = try await ExampleFixtures()
        let token = try #require(f.environment["TOKEN"])
        let cases: [(args: [String], status: Int32)] = [
            (["verify", "--key", "cert.der", token], 0),
            (["doctor", "--jwks", "jwks.json", "--env", "int", token], 0),
            (["verify", "--key", "public.pem", "--now", "4000000000", token], 2),
            (["verify", "--key", "public.pem", "not-a-token"], 2),
            (["doctor", "--jwks", "jwks.json", "--now", "4000000000", "token.jwt"], 2),
            (["base64url", "decode"], 0),
            (["verify", token], 64),
            (["verify", "--key", "public.pem", "--jwks", "jwks.json", token], 64),
            (["verify", "--key-password", "secret", "--key", "key-encrypted.pem", token], 64),
            (["mint", "--key", "key.pem"], 64),
            (["doctor", "--profile", "nhs", token], 64),
            (["verify", "--key", "missing.pem", token], 1),
            (["verify", "--key", "key-encrypted.pem", token], 1),
            (["mint", "--key", "cert.pem", "--client-id", "a", "--aud", "https://x/t"], 1),
        ]
        for c in cases {
            let r = try await Signet.run(c.args, in: f.url)
            #expect(r.status == c.status, "\(c.args): \(r)")
        }
    }

    // MARK: - Keys as people have them

    @Test func encryptedPKCS8KeysWithAPasswordFileOrTheEnvironment() async throws {
        let f = try await ExampleFixtures()
        let password = "correct horse battery staple"
        let mintArgs = [
            "mint", "--key", "key-encrypted.pem", "--kid", "prod-1", "--client-id", "abc", "--profile", "apim",
        ]
        let viaFile = try await Signet.run(mintArgs + ["--key-password-file", "password.txt"], in: f.url)
        #expect(viaFile.status == 0, "\(viaFile)")
        let token = String(viaFile.stdout.dropLast())
        #expect(try await Signet.run(["verify", "--jwks", "jwks.json", token], in: f.url).status == 0)

        var env = ProcessInfo.processInfo.environment
        env["SIGNET_KEY_PASSWORD"] = password
        let viaEnvironment = try await Signet.run(mintArgs, in: f.url, environment: env)
        #expect(viaEnvironment.status == 0, "\(viaEnvironment)")
        // The public half, for verify and jwks, from the encrypted key too; the JWKS matches the plain key's.
        let published = try await Signet.run(
            ["jwks", "--key", "key-encrypted.pem", "--kid", "prod-1"], in: f.url, environment: env)
        let plain = try await Signet.run(["jwks", "--key", "key.pem", "--kid", "prod-1"], in: f.url)
        #expect(published.status == 0 && published.stdout == plain.stdout, "\(published)")

        try Data("not the password\n".utf8).write(to: f.url.appendingPathComponent("wrong.txt"))
        env["SIGNET_KEY_PASSWORD"] = "also wrong"
        for (extra, environment) in [(["--key-password-file", "wrong.txt"], nil), ([], env)]
            as [([String], [String: String]?)]
        {
            let wrong = try await Signet.run(mintArgs + extra, in: f.url, environment: environment)
            #expect(wrong.status == 1)
            #expect(wrong.stderr.contains("SignetKeyError.key.wrong-password"), "\(wrong)")
            #expect(!wrong.stderr.contains("not the password") && !wrong.stderr.contains("also wrong"))
            #expect(wrong.stdoutBytes.isEmpty)
        }
        let none = try await Signet.run(mintArgs, in: f.url)
        #expect(none.status == 1)
        #expect(none.stderr.contains("key.password-required"))
        #expect(none.stderr.contains("--key-password-file FILE or set SIGNET_KEY_PASSWORD"))
        // Never from the command line.
        let help = try await Signet.run(["mint", "--help"]).stdout
        #expect(help.contains("--key-password-file") && !help.contains("--key-password <"))
        #expect(!viaFile.stderr.contains(password) && !viaFile.stdout.contains(password))
    }

    /// EC and Ed25519 keys made by the README's recipe (`signet keygen --alg …`, then `openssl pkcs8 -topk8 -v2
    /// aes-256-cbc`) mint, verify and publish from the encrypted copy, and their X.509 certificates verify wherever
    /// a public key goes (both were refused as `key.not-rsa`).
    @Test(arguments: ["ES256", "ES512", "EdDSA"])
    func encryptedKeysAndCertificatesOfEveryFamily(alg: String) async throws {
        let f = try await ExampleFixtures()
        let dir = try f.copy()
        defer { try? FileManager.default.removeItem(at: dir) }
        let keygen = try await Signet.run(["keygen", "--alg", alg, "--kid", "k", "--out", "k.pem"], in: dir)
        #expect(keygen.status == 0, "\(keygen)")
        let made = try await Signet.shell(
            "openssl pkcs8 -topk8 -v2 aes-256-cbc -in k.pem -passout file:password.txt -out k-encrypted.pem"
                + " && openssl req -x509 -new -key k.pem -subj /CN=family -days 2 -out k.crt"
                + " && openssl x509 -in k.crt -outform DER -out k.der",
            in: dir)
        #expect(made.status == 0, "\(made)")
        let mint = try await Signet.run(
            [
                "mint", "--key", "k-encrypted.pem", "--key-password-file", "password.txt", "--alg", alg, "--kid", "k",
                "--client-id", "abc", "--aud", "https://as.example/token",
            ], in: dir)
        #expect(mint.status == 0, "\(mint)")
        let token = String(mint.stdout.dropLast())
        let published = try await Signet.run(
            ["jwks", "--key", "k-encrypted.pem", "--key-password-file", "password.txt", "--kid", "k"], in: dir)
        let plain = try await Signet.run(["jwks", "--key", "k.pem", "--kid", "k"], in: dir)
        #expect(published.status == 0 && published.stdout == plain.stdout, "\(published)")
        for key in ["k-encrypted.pem", "k.crt", "k.der"] {
            let verify = try await Signet.run(
                ["verify", "--key", key, "--key-password-file", "password.txt", "--alg", alg, "--iss", "abc", token],
                in: dir)
            #expect(verify.status == 0, "\(key): \(verify)")
        }
        let wrong = try await Signet.run(
            ["mint", "--key", "k-encrypted.pem", "--alg", alg, "--client-id", "abc", "--aud", "https://as.example/t"],
            in: dir)
        #expect(wrong.status == 1 && wrong.stderr.contains("key.password-required"), "\(wrong)")
    }

    /// A `SIGNET_RSA_ENGINE` that names no engine stops the command with the names it may take, instead of being
    /// ignored; the valid names still work.
    @Test func anUnknownEngineInTheEnvironmentIsRefused() async throws {
        let f = try await ExampleFixtures()
        let mint = ["mint", "--key", "key.pem", "--kid", "prod-1", "--client-id", "abc", "--profile", "apim"]
        var env = ProcessInfo.processInfo.environment
        env["SIGNET_RSA_ENGINE"] = "no-such"
        let refused = try await Signet.run(mint, in: f.url, environment: env)
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("rsa.engine-unknown"), "\(refused)")
        #expect(refused.stderr.contains("auto, evp, ifma256 or ifma512"), "\(refused)")
        #expect(refused.stdoutBytes.isEmpty)
        for name in ["evp", "auto", ""] {
            env["SIGNET_RSA_ENGINE"] = name
            let ok = try await Signet.run(mint, in: f.url, environment: env)
            #expect(ok.status == 0, "SIGNET_RSA_ENGINE=\(name): \(ok)")
        }
    }

    @Test func certificatesWhereverAPublicKeyGoes() async throws {
        let f = try await ExampleFixtures()
        let token = try #require(f.environment["TOKEN"])
        for cert in ["cert.pem", "cert.der"] {
            let r = try await Signet.run(["verify", "--key", cert, "--iss", "abc", token], in: f.url)
            #expect(r.status == 0, "\(cert): \(r)")
            let published = try await Signet.run(["jwks", "--key", cert, "--kid", "prod-1"], in: f.url)
            #expect(
                published.stdout == (try String(contentsOf: f.url.appendingPathComponent("jwks.json"), encoding: .utf8))
            )
        }
        // A certificate of another key does not verify the token.
        let other = try await Signet.shell(
            "openssl req -x509 -newkey rsa:2048 -nodes -keyout other.pem -subj /CN=other -days 2 -out other.crt",
            in: f.url)
        #expect(other.status == 0, "\(other)")
        let rejected = try await Signet.run(["verify", "--key", "other.crt", token], in: f.url)
        #expect(rejected.status == 2)
        #expect(rejected.stderr.contains("signature"))
    }

    /// A JWKS whose entry is `jwks.json`'s key with `x5c` set to `certificate` (DER, base64), minus `drop` members.
    static func jwksWithX5c(_ f: ExampleFixtures, certificate: String, dropping drop: [String] = []) throws -> String {
        let der = try Data(contentsOf: f.url.appendingPathComponent(certificate))
        var object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: f.url.appendingPathComponent("jwks.json")))
                as? [String: Any])
        var key = try #require((object["keys"] as? [[String: Any]])?.first)
        key["x5c"] = [der.base64EncodedString()]
        for name in drop { key.removeValue(forKey: name) }
        object["keys"] = [key]
        let name = "x5c-\(certificate)-\(drop.joined()).json"
        try JSONSerialization.data(withJSONObject: object).write(to: f.url.appendingPathComponent(name))
        return name
    }

    /// An RSA JWK without `alg` verifies RS512 only unless `--alg` is given; refusing an RS256 token against it
    /// says so, and how to allow it.
    @Test func anRSAKeyWithoutAlgSaysHowToAllowAnotherAlgorithm() async throws {
        let f = try await ExampleFixtures()
        var object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: f.url.appendingPathComponent("jwks.json")))
                as? [String: Any])
        var key = try #require((object["keys"] as? [[String: Any]])?.first)
        key.removeValue(forKey: "alg")
        object["keys"] = [key]
        try JSONSerialization.data(withJSONObject: object).write(to: f.url.appendingPathComponent("no-alg.json"))
        let mint = try await Signet.run(
            [
                "mint", "--key", "key.pem", "--kid", "prod-1", "--client-id", "abc", "--aud",
                "https://as.example/token", "--alg", "RS256",
            ], in: f.url)
        #expect(mint.status == 0, "\(mint)")
        let token = String(mint.stdout.dropLast())
        let refused = try await Signet.run(["verify", "--jwks", "no-alg.json", "--iss", "abc", token], in: f.url)
        #expect(refused.status == 2, "\(refused)")
        #expect(refused.stderr.contains("header.alg-not-allowed"), "\(refused)")
        #expect(refused.stderr.contains("\"prod-1\" have no \"alg\", so they verify RS512 only"), "\(refused)")
        #expect(refused.stderr.contains("give --alg RS256"), "\(refused)")
        let allowed = try await Signet.run(
            ["verify", "--jwks", "no-alg.json", "--alg", "RS256", "--iss", "abc", token], in: f.url)
        #expect(allowed.status == 0, "\(allowed)")
    }

    @Test func jwksX5cIsReadAndChecked() async throws {
        let f = try await ExampleFixtures()
        let token = try #require(f.environment["TOKEN"])
        // x5c alone (no n, e) is the key; x5c with the same n, e is fine; the doctor notes the expiry.
        for jwks in [
            try Self.jwksWithX5c(f, certificate: "cert.der", dropping: ["n", "e"]),
            try Self.jwksWithX5c(f, certificate: "cert.der"),
        ] {
            let r = try await Signet.run(["verify", "--jwks", jwks, "--iss", "abc", token], in: f.url)
            #expect(r.status == 0, "\(jwks): \(r)")
            let doctor = try await Signet.run(["doctor", "--jwks", jwks, "--env", "int", "--json", token], in: f.url)
            #expect(doctor.status == 0, "\(doctor)")
            #expect(doctor.stdout.contains(#""code":"jwks.certificate-expiry","severity":"info","segment":"jwks""#))
            #expect(doctor.stdout.contains("(/CN=signet-example) expires on 20"))
            #expect(doctor.stdout.hasSuffix(#""signatureVerified":true}"# + "\n"))
        }
        // After the certificate's notAfter the note says so, and stays a note (the only error is the token's exp).
        let later = try await Signet.run(
            [
                "doctor", "--jwks", try Self.jwksWithX5c(f, certificate: "cert.der"), "--now", "4000000000", "--json",
                "--env", "int", token,
            ], in: f.url)
        #expect(later.status == 2)
        let findings = try #require(
            (try JSONSerialization.jsonObject(with: Data(later.stdoutBytes)) as? [String: Any])?["findings"]
                as? [[String: Any]])
        let errors = findings.filter { $0["severity"] as? String == "error" }.compactMap { $0["code"] as? String }
        #expect(errors == ["claim.exp-expired"])
        #expect(later.stdout.contains("(/CN=signet-example) expired on 20"))
        // A certificate of another key next to n and e: an issue naming the entry, and the key is not used.
        #expect(
            try await Signet.shell(
                "openssl req -x509 -newkey rsa:2048 -nodes -keyout o.pem -subj /CN=other -days 2 -outform DER -out o.der",
                in: f.url
            ).status == 0)
        let mismatched = try Self.jwksWithX5c(f, certificate: "o.der")
        let refused = try await Signet.run(["verify", "--jwks", mismatched, token], in: f.url)
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("jwks.x5c-mismatch [keys[0]"), "\(refused)")
        #expect(refused.stderr.contains("/CN=other"))
        let doctor = try await Signet.run(["doctor", "--jwks", mismatched, "--env", "int", "--json", token], in: f.url)
        #expect(doctor.status == 2)
        #expect(doctor.stdout.contains(#""code":"jwks.x5c-mismatch","severity":"error","segment":"jwks""#))
        #expect(doctor.stdout.contains(#"keys[0] (kid \"prod-1\")"#))
    }
}
