// SPDX-License-Identifier: Apache-2.0

/// Namespace of the `RSAGMP` module.
public enum RSAGMPModule {}
