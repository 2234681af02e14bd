// SPDX-License-Identifier: Apache-2.0

//
// The token client's costs. `TokenClient.accessToken.warm` is the hot path (a cached, valid token: one lock and one
// clock read), held at 0 allocations by Benchmarks/Thresholds. A cold `client_credentials` request against the
// in-process `signet serve` (RS512-4096, loopback HTTP, the server's checks and verify included) is split into its
// parts by the benchmarks beside it: `mint` (the assertion and the form, as each attempt makes them) and `parse`
// (APIM's answer); the server's RS512-4096 verify is JWSBenchmarks' `RS512.verify.4096`; the rest is HTTP.
import Benchmark
import ClientAssertion
import Foundation
import JWS
import NHSEmulator
import SignetKeys
import TokenClient

/// One RS512-4096 application registered with an in-process emulator on loopback, and a client for it.
struct Setup: Sendable {
    let minter: ClientAssertionMinter
    let endpoint: TokenEndpoint
    let client: AccessTokenClient
    let server: NHSEmulatorServer

    static let shared = Task { () throws -> Setup in
        let key = try RSAPrivateKey.generate(bits: 4096)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("signet-bench-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let jwks = dir.appendingPathComponent("jwks.json")
        try Data(JWKSet.document([(key.publicKey, "b1", .rs512)]).utf8).write(to: jwks)
        var configuration = EmulatorConfiguration()
        configuration.port = 0
        configuration.apim.environment = .integration
        configuration.apim.applications = [.init(apiKey: "BENCH", jwks: jwks.path)]
        let server = try NHSEmulatorServer(configuration: configuration)
        let (urls, sink) = AsyncStream.makeStream(of: String.self)
        Task { try await server.run { sink.yield($0) } }
        var iterator = urls.makeAsyncIterator()
        guard let url = await iterator.next() else { throw CancellationError() }
        let minter = try ClientAssertionMinter(key: key, keyID: "b1", clientID: "BENCH", profile: .apim(.integration))
        let endpoint = try TokenEndpoint(
            tokenURL: url + "/oauth2/token", minter: minter, configuration: .init(retry: .never))
        return Setup(minter: minter, endpoint: endpoint, client: AccessTokenClient(endpoint: endpoint), server: server)
    }
}

let apimAnswer =
    #"{"access_token":"Sr5PGv19wTEHJdDr2wx2f7IGd0cw","expires_in":"599","token_type":"Bearer","issued_at":"1764680000000"}"#

let benchmarks: @Sendable () -> Void = {
    var warm = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal], timeUnits: .nanoseconds, warmupIterations: 10,
        scalingFactor: .kilo, maxDuration: .seconds(2))
    warm.thresholds = [.mallocCountTotal: .init(absolute: [.p90: 0])]
    Benchmark("TokenClient.accessToken.warm", configuration: warm) { benchmark in
        let setup = try await Setup.shared.value
        _ = try await setup.client.accessToken()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try await setup.client.accessToken()) }
    }

    let cold = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal], timeUnits: .microseconds, warmupIterations: 3,
        maxDuration: .seconds(4), maxIterations: 2000)
    Benchmark("TokenClient.clientCredentials.RS512.4096", configuration: cold) { benchmark in
        let setup = try await Setup.shared.value
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try await setup.endpoint.clientCredentials()) }
    }
    Benchmark("TokenClient.mint.RS512.4096", configuration: cold) { benchmark in
        let setup = try await Setup.shared.value
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(TokenRequestForm.clientCredentials(assertion: try setup.minter.mint()).encoded)
        }
    }
    Benchmark("TokenClient.parse", configuration: cold) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try TokenResponse(parsing: apimAnswer)) }
    }
}
