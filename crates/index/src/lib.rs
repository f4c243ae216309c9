//! unspin-index (being written).
