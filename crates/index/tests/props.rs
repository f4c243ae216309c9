//! Property test: an index written, committed and opened again from disk
//! (a new handle, as another process would) answers exactly as the handle
//! that wrote it: same documents, same texts (the last one under an id
//! wins), same trace results.

use std::collections::BTreeMap;

use proptest::prelude::*;
use unspin_index::Index;

const WORDS: &[&str] = &[
    "the",
    "military",
    "held",
    "joint",
    "exercises",
    "in",
    "field",
    "last",
    "february",
    "officials",
    "said",
    "drills",
    "would",
    "continue",
    "until",
    "march",
    "heavy",
    "rain",
    "flooded",
    "valley",
    "roads",
    "were",
    "closed",
    "by",
    "police",
    "1998",
    "navy",
    "2019",
    "agency",
    "reported",
];

fn sentence() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 3..14).prop_map(|w| {
        let mut s = w.join(" ");
        s.push('.');
        s
    })
}

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(sentence(), 1..4).prop_map(|s| s.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]

    #[test]
    fn an_index_read_back_answers_the_same(
        docs in prop::collection::vec((0u8..8, document()), 1..24),
        commit_at in any::<prop::sample::Index>(),
        queries in prop::collection::vec(document(), 1..4),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("idx");
        let index = Index::create(&dir).unwrap();
        let mut w = index.writer().unwrap();
        let mut expected = BTreeMap::new();
        let split = commit_at.index(docs.len());
        for (i, (id, text)) in docs.iter().enumerate() {
            let id = format!("doc-{id}");
            w.add(&id, text).unwrap();
            expected.insert(id, text.clone());
            if i == split {
                w.commit().unwrap();
            }
        }
        w.finish().unwrap();
        index.reload().unwrap();
        let reopened = Index::open(&dir).unwrap();
        prop_assert_eq!(index.num_docs() as usize, expected.len());
        prop_assert_eq!(reopened.num_docs() as usize, expected.len());
        for (id, text) in &expected {
            prop_assert_eq!(reopened.get(id).unwrap(), Some(text.clone()));
        }
        prop_assert_eq!(reopened.get("doc-missing").unwrap(), None);
        // a query from the index itself, and unrelated ones
        let own = expected.values().next().unwrap().clone();
        for q in queries.iter().chain(std::iter::once(&own)) {
            let a = index.trace(q, 5).unwrap();
            let b = reopened.trace(q, 5).unwrap();
            prop_assert_eq!(&a, &b);
        }
        prop_assert!(!reopened.trace(&own, 5).unwrap().is_empty(), "a document is its own source");
    }
}
