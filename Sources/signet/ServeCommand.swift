// SPDX-License-Identifier: Apache-2.0

// `signet serve` and `signet token` exist only with the Networking trait (the default).
#if Networking
import ArgumentParser
import ClientAssertion
import Foundation
import Logging
import NHSEmulator
import ReplayGuard
import ReplayGuardPostgres
import Yams

/// `signet serve`: the offline NHS token endpoint.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run a local NHS token endpoint that answers exactly as APIM and CIS2 do.",
        discussion: """
            The quick start runs one APIM application: its API key (the assertion's iss and sub) and its JWKS, by file \
            or URL. The aud it demands is its own token URL, or with --env the real token URL of that environment, so \
            assertions minted for INT are tested unchanged. Everything else (several applications, CIS2 clients, \
            issuers, lifetimes, a PostgreSQL replay store, checks switched off one at a time) comes from a YAML or \
            JSON file given with --config; see the README for an example.

            At start-up it prints the URL it listens on, the token URL and the aud it demands, then logs one line per \
            request on stderr. It listens on loopback unless --host says otherwise, and stops gracefully on SIGINT \
            or SIGTERM. With --check it loads everything (configuration, JWKS files, keys), prints what it would \
            serve, and exits: a quick test of a configuration file in CI.

            Examples:
              signet serve --api-key "$API_KEY" --jwks jwks.json --env int --check
            """)

    @Option(help: "A YAML or JSON configuration file.") var config: String?
    @Option(name: .customLong("api-key"), help: "Quick start: the application's API key.") var apiKey: String?
    @Option(help: "Quick start: the application's JWKS, a file or an https URL.") var jwks: String?
    @Option(help: "Quick start: demand the token URL of this APIM environment (int, sandbox, prod, …) as aud.")
    var env: APIMEnvironment?
    @Option(help: "TCP port; 0 picks a free port and prints it (default: the configuration's, else 7523).")
    var port: Int?
    @Option(help: "Address to listen on (default 127.0.0.1).") var host: String?
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"
    @Flag(help: "Load and check everything, print what would be served, and exit without listening.")
    var check = false

    func validate() throws {
        if config == nil && (apiKey == nil || jwks == nil) {
            throw ValidationError("give --api-key and --jwks, or --config")
        }
        if Logger.Level(rawValue: logLevel) == nil { throw ValidationError("unknown --log-level '\(logLevel)'") }
    }

    func run() async throws {
        var configuration = EmulatorConfiguration()
        if let config {
            do {
                let directory = (config as NSString).deletingLastPathComponent
                let text = try readText(config)
                configuration = try EmulatorConfiguration.decoded {
                    try YAMLDecoder().decode(EmulatorConfiguration.self, from: text)
                }.resolvingPaths(relativeTo: directory.isEmpty ? "." : directory)
            } catch let error as ConfigurationError {
                printError("signet: \(config): \(error)")
                throw ExitCode.failure
            }
        }
        if let apiKey, let jwks {
            configuration.apim.applications.append(.init(name: "quick-start", apiKey: apiKey, jwks: jwks))
        }
        if let env { configuration.apim.environment = env }
        if let port { configuration.port = port }
        if let host { configuration.host = host }
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in LineLogHandler(label: label, level: level) }
        let server: NHSEmulatorServer
        do {
            // The composition root picks the replay store: the emulator itself depends on no database.
            var store: (any ReplayGuard)? = nil
            if configuration.replay.store == "postgres" {
                do throws(ReplayGuardError) {
                    store = try PostgresReplayStore(
                        url: configuration.replay.postgresURL ?? "",
                        timeout: .seconds(configuration.replay.timeoutSeconds), logger: Logger(label: "signet.serve"),
                        now: NHSEmulatorServer.systemNow)
                } catch {
                    throw ConfigurationError("replay.postgresURL: \(error.reason)")
                }
            }
            server = try NHSEmulatorServer(configuration: configuration, replayGuard: store)
        } catch {
            printError("signet: \(error)")
            throw ExitCode.failure
        }
        if check {
            let url = "http://\(configuration.host):\(configuration.port)"
            print("signet serve --check: configuration loaded; would listen on \(url)")
            print(
                "  APIM applications: \(configuration.apim.applications.count); CIS2 clients: \(configuration.cis2.clients.count)"
            )
            print("  aud demanded:   \(server.audience)")
            print("  CIS2 issuer:    \(server.cis2.issuer)")
            return
        }
        try await server.runService { url in
            let lines = [
                "signet serve: listening on \(url)",
                "  APIM token URL: \(url)/oauth2/token",
                "  aud demanded:   \(server.audience)",
                "  CIS2 discovery: \(server.cis2.issuer)/.well-known/openid-configuration",
            ]
            // Written unbuffered: a script or test reads the port from the pipe while the server runs.
            FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
    }
}
#endif
