//! The metrics of PRODUCT.md §5. (Being written.)
