// SPDX-License-Identifier: Apache-2.0
import ArgumentParser

/// The `signet` command-line tool: keys, JWKS, client assertions, verification, the doctor and benchmarks.
@main
struct Signet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signet",
        abstract: "Mint, verify and explain RS256/RS512 JWT client assertions (RFC 7523, NHS APIM, CIS2).",
        discussion: """
            Exit status: 0 success; 2 token rejected or doctor found an error; 64 usage error; 1 anything else.
            Stdout carries only the result.
            """,
        version: "0.1.0",
        subcommands: [
            KeygenCommand.self, JWKSCommand.self, MintCommand.self, VerifyCommand.self, DoctorCommand.self,
            BenchCommand.self, CrossCheckCommand.self, SoakCommand.self, Base64URLCommand.self, PerfLoopCommand.self,
        ])
}
