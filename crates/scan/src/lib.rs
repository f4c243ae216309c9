//! unspin-scan (being written).
