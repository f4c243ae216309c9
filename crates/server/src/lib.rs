//! unspin-server (being written).
