// SPDX-License-Identifier: Apache-2.0

import ArgumentParser

/// The `signet` command-line tool: keys, JWKS, client assertions, verification, the doctor and benchmarks.
/// Async so that `verify` and `doctor` can fetch a JWKS by URL.
@main
struct Signet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signet",
        abstract:
            "Mint, verify and explain signed JWT client assertions: RS, PS, ES and EdDSA (RFC 7523, NHS APIM, CIS2, FAPI).",
        discussion: """
            Exit status: 0 success; 2 token rejected, doctor found an error, or a check disagreed; 64 usage error; \
            1 anything else (a file that cannot be read, a key that cannot be loaded). Stdout carries only the \
            result; errors go to stderr with their typed code (e.g. SignetKeyError.key.wrong-password) and, for a \
            file, its path and the operating system's reason.

            `signet help COMMAND` prints the same text as `signet COMMAND --help`. Shell completion: \
            `signet --generate-completion-script bash|zsh|fish`.

            Examples:
              signet help verify
              signet --generate-completion-script bash > signet.bash
            """,
        version: "0.1.0",
        subcommands: [
            KeygenCommand.self, JWKSCommand.self, MintCommand.self, VerifyCommand.self, DoctorCommand.self,
        ] + networkingCommands + [
            BenchCommand.self, CrossCheckCommand.self, SoakCommand.self, Base64URLCommand.self, PerfLoopCommand.self,
        ])

    /// `serve` and `token`, which exist only with the Networking trait (the default; `./dev bench` builds without
    /// it, from the core products alone).
    static var networkingCommands: [any ParsableCommand.Type] {
        #if Networking
        [ServeCommand.self, TokenCommand.self]
        #else
        []
        #endif
    }
}
