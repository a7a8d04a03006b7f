//! tessera-scenario.
