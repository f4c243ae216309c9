//! Matcher tests: tables of small named cases, the offset invariant as a
//! property, and the real dev list when it is present.

use proptest::prelude::*;

use super::*;

fn tsv(list: &str) -> Fingerprints {
    Fingerprints::from_reader(list.as_bytes(), ListFormat::Tsv, "test").unwrap()
}

fn csv(list: &str) -> Fingerprints {
    let mut s = String::from(
        "\"Fingerprint - Tortured Phrase\",\"Expected Text\",\"Nb Retrieved Papers\"\n",
    );
    s.push_str(list);
    Fingerprints::from_reader(s.as_bytes(), ListFormat::PpsCsv, "test").unwrap()
}

fn slice(text: &str, h: &Hit) -> String {
    text.chars().skip(h.start).take(h.end - h.start).collect()
}

/// (name, list as TSV, text, expected matched slices)
const CASES: &[(&str, &str, &str, &[&str])] = &[
    (
        "plain",
        "irregular woodland\trandom forest",
        "We fit an irregular woodland model.",
        &["irregular woodland"],
    ),
    (
        "case",
        "irregular woodland\trandom forest",
        "An Irregular WOODLAND.",
        &["Irregular WOODLAND"],
    ),
    (
        "line break",
        "irregular woodland\trandom forest",
        "an irregular\n  woodland",
        &["irregular\n  woodland"],
    ),
    (
        "hyphen in text",
        "cross approval\tcross validation",
        "ten-fold cross-approval",
        &["cross-approval"],
    ),
    (
        "hyphen in list",
        "cross-approval\tcross validation",
        "ten-fold cross approval",
        &["cross approval"],
    ),
    (
        "closed up",
        "cross-approval\tcross validation",
        "crossapproval was used",
        &["crossapproval"],
    ),
    (
        "plural head",
        "neural organization\tneural network",
        "two neural organizations",
        &["neural organizations"],
    ),
    (
        "singular head",
        "neural associations\tneural networks",
        "a neural association",
        &["neural association"],
    ),
    (
        "ed head",
        "pc helped\tcomputer aided",
        "PC helping design",
        &["PC helping"],
    ),
    (
        "no ed on plain head",
        "as pursues\tas follows",
        "as pursued by police",
        &[],
    ),
    (
        "word boundary left",
        "bosom\tbreast",
        "unbosom yourself",
        &[],
    ),
    ("word boundary right", "bosom\tbreast", "bosomy", &[]),
    (
        "punctuation token",
        "artificial neural system (ann)\tartificial neural network (ANN)",
        "an Artificial Neural System (ANN) was",
        &["Artificial Neural System (ANN)"],
    ),
    (
        "curly apostrophe",
        "alzheimer's illness\tAlzheimer's disease",
        "Alzheimer’s illness",
        &["Alzheimer’s illness"],
    ),
    (
        "possessive after phrase",
        "informational collection\tdataset",
        "the informational collection’s size",
        &["informational collection"],
    ),
    (
        "longest wins",
        "neural system\tneural network\nartificial neural system\tartificial neural network",
        "an artificial neural system",
        &["artificial neural system"],
    ),
    (
        "adjacent hits",
        "big information\tbig data\ncounterfeit consciousness\tartificial intelligence",
        "big information counterfeit consciousness",
        &["big information", "counterfeit consciousness"],
    ),
    (
        "repeated",
        "bosom\tbreast",
        "bosom and bosom",
        &["bosom", "bosom"],
    ),
    (
        "AND present",
        "bosom\tbreast\tAND \"breast\"",
        "bosom malignancy; breast cancer",
        &["bosom"],
    ),
    (
        "AND absent",
        "bosom\tbreast\tAND \"breast\"",
        "bosom malignancy",
        &[],
    ),
    (
        "NOT present",
        "highlight extraction\tfeature extraction\tNOT specular",
        "specular highlight extraction",
        &[],
    ),
    (
        "NOT absent",
        "highlight extraction\tfeature extraction\tNOT specular",
        "CNN highlight extraction",
        &["highlight extraction"],
    ),
    (
        "prefix",
        "enhancement calculation\toptimization algorithm\tAND optimiz*",
        "an enhancement calculation for optimizing",
        &["enhancement calculation"],
    ),
    (
        "prefix absent",
        "enhancement calculation\toptimization algorithm\tAND optimiz*",
        "an enhancement calculation",
        &[],
    ),
    (
        "either group",
        "cloud climate\tcloud environment\tAND \"cloud computing\" | AND \"wireless\"",
        "a wireless cloud climate",
        &["cloud climate"],
    ),
    (
        "neither group",
        "cloud climate\tcloud environment\tAND \"cloud computing\" | AND \"wireless\"",
        "a cloud climate",
        &[],
    ),
    (
        "any of",
        "corridor impact\tHall effect\tAND (\"magnetic\" OR \"sensor\")",
        "the corridor impact sensor",
        &["corridor impact"],
    ),
    (
        "near context",
        "created nations\tdeveloped countries\tAND \"poor developed\"~3",
        "created nations are poor and not developed",
        &["created nations"],
    ),
    (
        "near context too far",
        "created nations\tdeveloped countries\tAND \"poor developed\"~2",
        "created nations are poor and not really developed",
        &[],
    ),
    (
        "multibyte",
        "façade naïve\tfront",
        "«Ünïcode» FAÇADE naïve ✓",
        &["FAÇADE naïve"],
    ),
];

#[test]
fn case_table() {
    for (name, list, text, want) in CASES {
        let fp = tsv(list);
        let got: Vec<String> = fp.find(text).iter().map(|h| slice(text, h)).collect();
        assert_eq!(&got, want, "case `{name}`");
    }
}

#[test]
fn csv_queries_match() {
    let fp = csv(concat!(
        "\"\"\"bosom\"\" AND \"\"breast\"\"\",\"breast\",\"13,786\"\n",
        "\"(\"\"irregular woodland\"\" OR \"\"arbitrary woodland\"\")\",\"random forest\",\"10\"\n",
        "\"\"\"gatherings clustering\"\"~3\",\"clustering\",\"5\"\n",
        "\"\"\"highlight extraction\"\" NOT specular\",\"feature extraction\",\"5\"\n",
    ));
    assert_eq!(fp.len(), 5); // the OR gives two entries
    assert_eq!(fp.entries()[0].papers(), Some(13786));
    let text = "An arbitrary woodland and an irregular woodland; bosom and breast; gatherings for clustering.";
    let got: Vec<String> = fp.find(text).iter().map(|h| slice(text, h)).collect();
    assert_eq!(
        got,
        [
            "arbitrary woodland",
            "irregular woodland",
            "bosom",
            "gatherings for clustering"
        ]
    );
    let hits = fp.find(text);
    assert_eq!(hits[0].expected, "random forest");
    assert_eq!(
        fp.entries()[hits[3].entry].phrase(),
        "gatherings clustering"
    );
}

#[test]
fn self_contained_rows_are_inert() {
    let fp = tsv(concat!(
        "machine learning\tdiscriminative learning (machine learning)\n",
        "machine knowledge\tmachine learnings\n",
        "cloud computing\tcloud environment\n",
        "fog up computing\tcloud computing\n",
        "supervised learning\tsupervised (machine) learning\n",
        "speech signal\tfundamental frequency\n",
        "speech signal handling\tspeech signal processing\n",
        "signal\tsign\n",
    ));
    // a phrase of two words or more inside another row's expected wording is
    // genuine; a single word is not judged that way
    assert_eq!(fp.inert(), [0, 2, 4, 5]);
    let hits = fp.find("the speech signal is clean");
    assert_eq!(hits.iter().map(|h| h.entry).collect::<Vec<_>>(), [7]);
    assert_eq!(fp.find("speech signal handling")[0].entry, 6);
    assert!(fp
        .find("cloud computing and supervised learning")
        .is_empty());
    assert!(fp.find("machine learning").is_empty());
    assert_eq!(fp.find("machine knowledge").len(), 1);
}

#[test]
fn a_long_expected_wording_loads_in_time() {
    // found by fuzzing (fuzz/regressions/fingerprints/long-expected-wording):
    // every part of every expected wording was materialised, cubic in its
    // length; 4,000 separator characters took minutes
    let long = format!(
        "tortured phrase\tcon{} x\nlong one here\tlong one here{} y\n",
        "\u{1c}".repeat(4000),
        " z".repeat(3000)
    );
    let started = std::time::Instant::now();
    let fp = tsv(&long);
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    // the second row's phrase is part of its own wording: inert
    assert_eq!(fp.inert(), [1]);
    let data = include_bytes!("../../../../fuzz/regressions/fingerprints/long-expected-wording");
    assert!(Fingerprints::from_reader(&data[1..], ListFormat::Tsv, "fuzz").is_ok());
}

#[test]
fn clean_text_disables_reversed_rows() {
    let mut fp = tsv("image features\tpicture features\nirregular woodland\trandom forest");
    let off = fp.disable_found_in(["We extract image features.", "Nothing here."]);
    assert_eq!(off, [0]);
    assert_eq!(fp.inert(), [0]);
    assert!(fp.find("image features").is_empty());
    assert_eq!(fp.find("an irregular woodland").len(), 1);
    assert!(fp.disable_found_in(["image features"]).is_empty());
}

#[test]
fn suggestions_are_cleaned() {
    assert_eq!(
        suggestion("supervised [machine] learning"),
        "supervised learning"
    );
    assert_eq!(
        suggestion("Crow search algorithm ?"),
        "Crow search algorithm"
    );
    assert_eq!(
        suggestion("classification algorithm (?)"),
        "classification algorithm"
    );
    assert_eq!(
        suggestion("(optical) character recognition (OCR)"),
        "(optical) character recognition (OCR)"
    );
    assert_eq!(suggestion("[x]"), "[x]");
}

#[test]
fn spans_are_list_evidence() {
    let fp = Fingerprints::from_pairs([("counterfeit consciousness", "artificial intelligence")]);
    let spans = fp.spans("Counterfeit consciousness rules.");
    assert_eq!(spans.len(), 1);
    assert_eq!(spans[0].text, "Counterfeit consciousness");
    assert_eq!(spans[0].source.as_deref(), Some("list"));
    assert_eq!(
        spans[0].suggestion.as_deref(),
        Some("artificial intelligence")
    );
    assert!(Fingerprints::default().find("anything").is_empty());
}

#[test]
fn missing_file_is_an_error() {
    let err = Fingerprints::from_path("/nonexistent/list.tsv").unwrap_err();
    assert!(err.to_string().contains("/nonexistent/list.tsv"), "{err}");
}

#[test]
fn fingerprints_are_thread_safe() {
    fn check<T: Send + Sync + std::panic::UnwindSafe>() {}
    check::<Fingerprints>();
    check::<Hit>();
    check::<Evidence>();
}

fn word() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "counterfeit",
        "consciousness",
        "Consciousness",
        "irregular",
        "woodland",
        "woodlands",
        "façade",
        "naïve",
        "ΣΟΦΊΑ",
        "東京",
        "the",
        "of",
        "x",
    ])
    .prop_map(str::to_string)
}

fn sep() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        " ", "  ", "\n", "-", " — ", ", ", " (", ") ", "’", "'",
    ])
    .prop_map(str::to_string)
}

proptest! {
    /// Every hit slices the input exactly, and the slice normalises to a
    /// listed form; hits are ordered and disjoint.
    #[test]
    fn hits_slice_the_input(parts in prop::collection::vec((word(), sep()), 0..40)) {
        let text: String = parts.iter().map(|(w, s)| format!("{w}{s}")).collect();
        let fp = Fingerprints::from_pairs([
            ("counterfeit consciousness", "artificial intelligence"),
            ("irregular woodland", "random forest"),
            ("façade naïve", "x"),
            ("σοφία 東京", "y"),
        ]);
        let hits = fp.find(&text);
        let n = text.chars().count();
        let mut last_end = 0;
        for h in &hits {
            prop_assert!(h.start < h.end && h.end <= n);
            prop_assert!(h.start >= last_end);
            last_end = h.end;
            let s = crate::text::slice_chars(&text, h.start..h.end);
            prop_assert!(s.is_some());
            let norm = normalize::normalize_phrase(s.unwrap());
            let phrase = normalize::normalize_phrase(fp.entries()[h.entry].phrase());
            let head_ok = norm == phrase || norm.trim_end_matches('s') == phrase;
            prop_assert!(head_ok, "{norm:?} vs {phrase:?}");
        }
        // a hit is found for every place a listed phrase occurs, spelled plainly
        let lower = text.to_lowercase();
        let plain = lower
            .match_indices("irregular woodland ")
            .filter(|(i, _)| *i == 0 || lower[..*i].ends_with(' '))
            .count();
        prop_assert!(hits.iter().filter(|h| h.expected == "random forest").count() >= plain);
    }
}

/// The dev half of the PPS list loads without a bad line.
#[test]
fn dev_list_loads() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/science/tortured_dev.tsv");
    if !path.exists() {
        eprintln!("skipping: {} not found", path.display());
        return;
    }
    let fp = Fingerprints::from_path(&path).unwrap();
    assert!(fp.len() > 3900, "{}", fp.len());
    assert!(fp.entries().iter().filter(|e| e.has_context()).count() > 250);
    let hits = fp.find("An abnormal state of trust was measured.");
    assert!(!hits.is_empty());
}
