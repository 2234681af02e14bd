// SPDX-License-Identifier: Apache-2.0

/// Namespace of the `CryptoEVP` module.
public enum CryptoEVPModule {}
