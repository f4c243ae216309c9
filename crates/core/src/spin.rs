//! A seeded spinner simulator. (Being written.)
