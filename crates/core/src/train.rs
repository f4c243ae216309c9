//! Building models from corpora and aligned pairs. (Being written.)
