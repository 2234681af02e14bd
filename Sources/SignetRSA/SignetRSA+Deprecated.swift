// SPDX-License-Identifier: Apache-2.0

/// The name ``RSAEngine`` had when it only chose the signing engine.
@available(*, deprecated, renamed: "RSAEngine")
public typealias RSASigningEngine = RSAEngine

/// The name ``SignetRSAError`` had when the module was called `CryptoEVP`.
@available(*, deprecated, renamed: "SignetRSAError")
public typealias CryptoEVPError = SignetRSAError
