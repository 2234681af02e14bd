// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import ClientAssertion
import CrossCheck
import JWS

/// `signet doctor`: everything wrong with a client assertion (or an id_token sent as subject_token).
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Explain everything wrong with a client assertion, its form body and JWKS, with NHS endpoint errors.",
        discussion: """
            Reports every finding (not just the first): a stable code, severity, where (segment and byte offset), \
            the reason with the fix, and the exact error the NHS endpoint returns. Damage such as U+2013 EN DASH, \
            spaces or smart quotes is repaired on a copy, and if the repaired signature verifies against the JWKS \
            the doctor says so. An x5c certificate in the JWKS is used when n and e are absent and checked against \
            them when present; its expiry is a note, never an error.

            The token is the argument itself, '-' for stdin, @FILE for a file, or the path of an existing file \
            when the argument is not a compact JWS; trailing spaces, tabs and newlines of stdin or a file are \
            removed, and --verbose says on stderr which was used. When the argument is absent and --form is given, \
            the form's client_assertion is examined; otherwise stdin is read. A token equal to the form's \
            subject_token is checked as an id_token under APIM's token-exchange rules.

            --jwks takes a file or an https:// URL, fetched within --jwks-timeout seconds (plain http:// is refused \
            unless the host is loopback). A URL that is not https, cannot be reached, does not answer in time or \
            answers something that is not a JWKS is an error finding (jwks.not-https, jwks.unreachable, \
            jwks.timeout, jwks.http-status, jwks.not-jwks, …) with APIM's own message for it: "The JWKS endpoint, \
            for your client_assertion can't be reached".

            Exit status 2 when any finding is an error, else 0; 1 when a file cannot be read. --json prints one \
            object, {"findings": […], "signatureVerified": true|false|null}, each finding with code, severity, \
            segment, offset, message and endpointError.

            Examples:
              signet doctor --jwks jwks.json --client-id "$API_KEY" --env int "$TOKEN"
              signet doctor --jwks jwks.json --env int --verbose token.jwt
              signet doctor --form body.txt --jwks jwks.json --profile apim --json
              signet doctor --profile cis2 --aud "$CIS2_TOKEN_URL" - < cis2.jwt
            """)

    @OptionGroup var jwksOptions: JWKSOptions
    @Option(help: "The application/x-www-form-urlencoded body that carried the token.") var form: String?
    @Option(name: .customLong("client-id"), help: "Expected client id (APIM: the API key; CIS2: the client_id).")
    var clientID: String?
    @Option(help: "Expected aud: the token endpoint, byte for byte (apim: defaults to the --env token URL).")
    var aud: String?
    @Option(help: "Rules to apply: apim, cis2 or rfc7523.") var profile: ClientAssertionProfile.Kind = .apim
    @Option(help: "APIM environment (sandbox, int, prod, internal-dev, dev, dep): its token URL is the expected aud.")
    var env: APIMEnvironment?
    @Option(help: "\"Now\" as seconds since the epoch (default: the system clock).") var now: Int64?
    @Flag(help: "Print the report as JSON.") var json = false
    @Flag(help: "Say on stderr where the token was read from.") var verbose = false
    @Argument(help: tokenArgumentHelp) var token: String?

    func validate() throws {
        if env != nil && profile != .apim { throw ValidationError("--env applies to the apim profile only") }
    }

    func run() async throws {
        let formText = try form.map { droppingOneNewline(try readText($0)) }
        let token: String
        if self.token == nil, let formText, let assertion = ParsedForm.parseLeniently(formText)["client_assertion"] {
            token = assertion.value
        } else {
            token = try readToken(self.token, verbose: verbose)
        }
        var input = Doctor.Input(
            token: token, form: formText, clientID: clientID,
            audience: aud ?? (profile == .apim ? env?.tokenURL : nil), profile: profile,
            now: now.map { NumericDate($0) } ?? JWTClock.system.now(), secondOpinion: .gmpVerifier)
        if let jwks = jwksOptions.jwks {
            if jwksOptions.isURL {
                // Fetched here: the doctor itself does no networking; a failure becomes a jwks.* finding.
                do throws(JWKSURLFailure) {
                    input.keySet = try await jwksOptions.fetch(jwks)
                } catch {
                    input.jwksFetchFailure = JWKSFetchFailure(
                        error.kind, url: jwks, reason: error.reason, issues: error.issues)
                }
            } else {
                input.jwks = try readText(jwks)
            }
        }
        let report = Doctor.examine(input)
        print(json ? report.json : Self.text(report, input: input))
        if report.hasErrors { throw ExitCode(2) }
    }

    /// The human-readable report.
    static func text(_ report: DoctorReport, input: Doctor.Input) -> String {
        let count = { (s: Finding.Severity) in report.findings.filter { $0.severity == s }.count }
        let signature: String =
            switch report.signatureVerified {
            case true?: "verified"
            case false?: "does NOT verify"
            case nil:
                input.jwks == nil && input.keySet == nil && input.jwksFetchFailure == nil
                    ? "not checked (no --jwks)" : "could not be checked"
            }
        var lines = [
            "signet doctor (\(input.profile.rawValue)): \(count(.error)) error(s), \(count(.warning)) warning(s), \(count(.info)) note(s); signature \(signature)"
        ]
        for f in report.findings {
            lines.append("")
            lines.append(
                "\(f.severity.rawValue.uppercased()) \(f.code.rawValue)  [\(f.segment.rawValue)\(f.offset.map { " @\($0)" } ?? "")]"
            )
            lines.append("  \(f.message)")
            if let e = f.endpointError { lines.append("  endpoint says: \"\(e)\"") }
        }
        if report.findings.isEmpty { lines.append("no problems found") }
        return lines.joined(separator: "\n")
    }
}
