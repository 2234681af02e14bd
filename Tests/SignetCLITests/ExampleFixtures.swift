// SPDX-License-Identifier: Apache-2.0

import Foundation
import Testing

/// The files and environment the help examples and the README's CLI lines run against, made at test time with
/// `signet` itself and the `openssl` command-line tool (nothing is committed): an RSA-2048 key (kid `prod-1`) with
/// its JWKS, public key, self-signed certificate (PEM and DER), an encrypted PKCS#8 copy with its password file,
/// tokens minted with the key, and a P-256 key (`ec.pem`, kid `fapi-1`) with its JWKS.
final class ExampleFixtures {
    let url: URL
    /// `API_KEY`, `TOKEN`, `ID_TOKEN`, `APIM_TOKEN_URL`, `CIS2_TOKEN_URL`, `TOKEN_URL`, as the examples use them.
    let environment: [String: String]
    /// `signet serve` for the API key `abc` with the fixture JWKS, demanding INT's aud: `TOKEN_URL` is its token URL.
    let server: Process

    static let apimTokenURL = "https://int.api.service.nhs.uk/oauth2/token"
    static let cis2TokenURL =
        "https://am.nhsint.auth-ptl.cis2.spineservices.nhs.uk:443/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare/access_token"

    /// The shell lines that make the fixtures (each must succeed).
    static let script = [
        "signet keygen --bits 2048 --kid prod-1 --out key.pem --jwks jwks.json",
        "signet keygen --alg ES256 --kid fapi-1 --out ec.pem --jwks ec-jwks.json",
        "openssl pkey -in key.pem -pubout -out public.pem",
        "openssl req -x509 -new -key key.pem -subj /CN=signet-example -days 30 -out cert.pem",
        "openssl x509 -in cert.pem -outform DER -out cert.der",
        "printf 'correct horse battery staple\\n' > password.txt",
        "openssl pkcs8 -topk8 -v2 aes-256-cbc -in key.pem -passout file:password.txt -out key-encrypted.pem",
        "signet mint --key key.pem --kid prod-1 --client-id \"$API_KEY\" --profile apim > token.jwt",
        "cp token.jwt assertion.jwt",
        "signet mint --key key.pem --kid prod-1 --client-id \"$API_KEY\" --profile apim --form client_credentials > body.txt",
        "signet mint --key key.pem --kid k1 --client-id 1234.apps.supplier --profile cis2 --aud \"$CIS2_TOKEN_URL\" > cis2.jwt",
        "printf 'key: key.pem\\nkid: prod-1\\nclient-id: abc\\nprofile: apim\\nenv: int\\n' > token.yaml",
    ]

    init() async throws {
        url = try Signet.temporaryDirectory()
        var environment = [
            "API_KEY": "abc", "APIM_TOKEN_URL": Self.apimTokenURL, "CIS2_TOKEN_URL": Self.cis2TokenURL,
        ]
        for line in Self.script {
            let r = try await Signet.shell(line, in: url, environment: environment)
            try #require(r.status == 0, "fixture step failed: \(line)\n\(r)")
        }
        environment["TOKEN"] = try Self.firstLine(of: url.appendingPathComponent("token.jwt"))
        environment["ID_TOKEN"] = try Self.firstLine(of: url.appendingPathComponent("cis2.jwt"))
        let (server, serverURL) = try Self.startServer(jwks: url.appendingPathComponent("jwks.json").path)
        self.server = server
        environment["TOKEN_URL"] = serverURL + "/oauth2/token"
        self.environment = environment
    }

    deinit {
        server.terminate()
        server.waitUntilExit()
        try? FileManager.default.removeItem(at: url)
    }

    /// Starts `signet serve --port 0` and reads the URL from its first line.
    static func startServer(jwks: String) throws -> (Process, String) {
        try Signet.launch([
            "serve", "--api-key", "abc", "--jwks", jwks, "--env", "int", "--port", "0", "--log-level", "error",
        ])
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// A fresh copy of the fixture directory (so that an example that writes files cannot affect another).
    func copy() throws -> URL {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("signet-cli-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: url, to: target)
        return target
    }

    static func firstLine(of file: URL) throws -> String {
        String(try String(contentsOf: file, encoding: .utf8).prefix { $0 != "\n" })
    }
}

/// Shell lines from documentation: `\` continuations joined, blank lines ending a block.
enum DocumentedLines {
    /// The lines of every `Examples:` block in a help text (indented two spaces; a block ends at a blank line).
    static func examples(inHelp help: String) -> [String] {
        var lines: [String] = []
        var inBlock = false
        var pending = ""
        for raw in help.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            if line == "Examples:" {
                inBlock = true
                continue
            }
            guard inBlock else { continue }
            guard line.hasPrefix("  ") else {
                inBlock = false
                continue
            }
            pending +=
                pending.isEmpty
                ? line.trimmingCharacters(in: .whitespaces) : " " + line.trimmingCharacters(in: .whitespaces)
            if pending.hasSuffix("\\") {
                pending.removeLast()
                pending = pending.trimmingCharacters(in: .whitespaces)
            } else {
                lines.append(pending)
                pending = ""
            }
        }
        return lines
    }

    /// The non-empty lines of the first ```sh block after `heading` in a Markdown text.
    static func shellBlock(after heading: String, in markdown: String) -> [String] {
        guard let section = markdown.range(of: heading) else { return [] }
        let rest = markdown[section.upperBound...]
        guard let open = rest.range(of: "```sh\n"), let close = rest[open.upperBound...].range(of: "```") else {
            return []
        }
        return rest[open.upperBound..<close.lowerBound].split(separator: "\n").map(String.init)
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }
}
