// SPDX-License-Identifier: Apache-2.0

import NetworkSupport
import Testing

/// Plain http goes to this machine only: the one predicate the token client, the JWKS fetches of the CLI and the
/// emulator share.
@Suite struct LoopbackURLTests {
    @Test(arguments: [
        "http://127.0.0.1/oauth2/token", "http://127.0.0.1:7523/oauth2/token", "http://localhost:80/x",
        "HTTP://LOCALHOST/x", "http://LocalHost:8080/jwks.json", "http://[::1]:8080/token", "http://[::1]/",
        "http://127.1.2.3", "http://127.255.255.255:65535/", "http://localhost?x", "http://localhost#frag",
        "https://127.0.0.1/", "HTTPS://localhost:8443/jwks.json",
    ])
    func loopback(_ url: String) { #expect(LoopbackURL.isLoopback(url)) }

    @Test(arguments: [
        // names that only start like loopback, or end like it
        "http://127.0.0.1.nip.io/token", "http://127.evil.example/", "http://localhost.evil.example/",
        "http://localhost./", "http://evil.example/127.0.0.1", "http://localhostx/",
        // userinfo, in every place it can hide loopback
        "http://localhost@evil.example/", "http://localhost:x@evil.example/jwks.json",
        "http://evil.example@127.0.0.1/", "http://localhost:1@127.0.0.1:8080/jwks.json",
        "http://localhost\\@evil.example/",
        // IPv6 other than [::1], and brackets misused
        "http://[::1].evil/", "http://[::2]/", "http://[::1]x/", "http://[::1/", "http://::1/",
        // dotted quads that are not canonical, or not in 127/8
        "http://127.0.0.256/", "http://0.0.0.0/", "http://127.0.0/", "http://127.0.0.1.1/", "http://127.0.0.01/",
        "http://0177.0.0.1/", "http://127.0.0.-1/", "http://127.1/", "http://2130706433/",
        // ports
        "http://127.0.0.1:80x/", "http://127.0.0.1:123456/", "http://127.0.0.1:65536/", "http://localhost:/",
        // not http(s), or no host at all
        "ftp://127.0.0.1/", "127.0.0.1", "http:/localhost/", "http://", "", "http:// localhost/",
    ])
    func notLoopback(_ url: String) { #expect(!LoopbackURL.isLoopback(url)) }
}
