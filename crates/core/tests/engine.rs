//! End-to-end behaviour of detect and restore with the built-in model.

use unspin_core::text::slice_chars;
use unspin_core::{Model, Unspinner};

fn unspinner() -> Unspinner {
    Unspinner::new(Model::builtin().expect("the built-in model loads"))
}

/// The same model with one decoder parameter changed.
fn with_params(u: &Unspinner, change: impl FnOnce(&mut unspin_core::model::Params)) -> Unspinner {
    let mut p = u.params().clone();
    change(&mut p);
    Unspinner::builder(u.model().clone()).params(p).build()
}

/// The same model reporting every posterior the decoder gives: no flag
/// threshold and no span model (which would weigh each span again).
fn every_posterior(u: &Unspinner) -> Unspinner {
    with_params(u, |p| {
        p.flag_threshold = 0.0;
        p.span_model = Default::default();
    })
}

#[test]
fn restores_a_tortured_collocation() {
    let u = unspinner();
    let r = u.restore("The model uses a classifier to detect bosom malignancy early.");
    assert!(r.text.contains("breast"), "{r:?}");
    for c in &r.changes {
        assert_eq!(c.source.as_deref(), Some("model"));
        assert!((0.0..=1.0).contains(&c.score));
    }
}

#[test]
fn restores_a_split_compound_with_its_capital() {
    // the spinner's dictionary wrote "well being" for "health"; the
    // lexicon knows "well-being"
    let u = unspinner();
    let r = u.restore("The Well being Ministry said the number of lively instances fell.");
    assert!(r.text.contains("The Health Ministry"), "{r:?}");
}

#[test]
fn restores_numbers_spelled_out_piecewise() {
    let u = unspinner();
    let spun = "The state has reported five,22,062 cases, and twenty-four deaths since Monday.";
    let r = u.restore(spun);
    assert!(r.text.contains(" 5,22,062 cases"), "{r:?}");
    assert!(r.text.contains(" 24 deaths"), "{r:?}");
    let d = u.detect(spun);
    for word in ["five", "twenty-four"] {
        let span = d.spans.iter().find(|s| s.text == word).expect(word);
        assert!(span.score >= 0.9, "{span:?}");
        assert_eq!(span.source.as_deref(), Some("rule"), "{span:?}");
    }
    // written out by style, at a sentence start or on its own
    let clean = "Twenty-four people were hurt. Five of them, and 12 others, went home.";
    assert_eq!(u.restore(clean).text, clean);
}

#[test]
fn a_text_read_as_spun_loses_its_contractions_and_number_words_outside_quotes() {
    let u = unspinner();
    let spun = "Throughout the Chilly Conflict period, the navy staged joint workout \
                routines close to the border. The Well being Ministry revealed the whole \
                variety of lively instances on Tuesday, and as I'm told it's clear that native \
                officers stated the restoration charge had improved over twelve days. \
                \"It's good news,\" a doctor said.";
    let r = u.restore(spun);
    assert!(r.text.contains(", and as I am told it is clear"), "{r:?}");
    assert!(r.text.contains(" over 12 days."), "{r:?}");
    // quoted speech keeps its contraction
    assert!(r.text.contains("\"It's good news,\""), "{r:?}");
    for from in ["it's", "twelve"] {
        let c = r.changes.iter().find(|c| c.from == from).expect(from);
        assert_eq!(c.source.as_deref(), Some("rule"), "{c:?}");
    }
    let d = u.detect(spun);
    let flagged: Vec<&str> = d.spans.iter().map(|s| s.text.as_str()).collect();
    assert!(
        flagged.contains(&"it's") && flagged.contains(&"twelve"),
        "{d:?}"
    );
    assert!(!flagged.contains(&"It's"), "{d:?}");
    // the same words in a text that reads as genuine are the writer's
    let genuine = "The Health Ministry published the total number of active cases on \
                   Tuesday, and it's clear that local officials said the recovery rate \
                   had improved over twelve days.";
    assert_eq!(u.restore(genuine).text, genuine);
    assert!(u.detect(genuine).spans.is_empty());
}

#[test]
fn a_text_read_as_spun_gets_the_spelling_of_its_typos_back() {
    let u = unspinner();
    let spun = "Throughout the Chilly Conflict period, the navy staged joint workout \
                routines close to the border. The Well being Ministry revealed the whole \
                variety of lively instances on Tuesday, and officers beleive the \
                restoration charge had improved since the anouncement.";
    let r = u.restore(spun);
    for (from, to) in [("beleive", "believe"), ("anouncement", "announcement")] {
        let c = r.changes.iter().find(|c| c.from == from).expect(from);
        assert_eq!(c.to, to, "{c:?}");
        assert_eq!(c.source.as_deref(), Some("rule"), "{c:?}");
    }
    let d = u.detect(spun);
    let span = d
        .spans
        .iter()
        .find(|s| s.text == "beleive")
        .expect("a span");
    assert_eq!(span.suggestion.as_deref(), Some("believe"), "{span:?}");
    // the rule can be turned off
    let off = with_params(&u, |p| p.typos = false);
    assert!(off.restore(spun).text.contains("beleive"));
    // the same typos in a text that reads as genuine are the writer's
    let genuine = "The Health Ministry published the total number of active cases on \
                   Tuesday, and officials beleive the recovery rate had improved since \
                   the anouncement.";
    assert_eq!(u.restore(genuine).text, genuine);
    assert!(u.detect(genuine).spans.is_empty());
}

#[test]
fn a_typo_is_decoded_as_the_word_it_misspells() {
    let u = unspinner();
    // "confict" blinds the model to the broken collocation around it
    let spun = "India wants to be seen as a impartial celebration in the dispute over \
                the chilly confict period.";
    let r = u.restore(spun);
    assert!(r.text.contains("over the cold war period"), "{r:?}");
    let off = with_params(&u, |p| p.typos = false);
    assert!(off.restore(spun).text.contains("the chilly confict"));
}

#[test]
fn typos_are_lower_case_unknown_words_one_edit_from_a_common_one() {
    use unspin_core::text::Text;
    let u = unspinner();
    let m = u.model();
    let fixes = |s: &str| -> Vec<(String, String)> {
        let t = Text::new(s);
        unspin_core::typos::find(&t, m.lm(), m.lexicon())
            .into_iter()
            .map(|f| (t.word_str(f.word).to_string(), f.to))
            .collect()
    };
    let one = |a: &str, b: &str| vec![(a.to_string(), b.to_string())];
    assert_eq!(fixes("They recieved it."), one("recieved", "received"));
    // no form of "occur", whose past is "occurred"
    assert_eq!(fixes("It has occured twice."), one("occured", "occurred"));
    // context chooses between corrections
    assert_eq!(fixes("It was a wokr of art."), one("wokr", "work"));
    for left in [
        "The Recieved said so.",             // capitalised: a name
        "They recieved it and recieved it.", // repeated: the text's own word
        "Waves and tsunamis hit the coast.", // a plural of a known word
        "We saw teh cat.",                   // too short
        "The qzxvbt said so.",               // nothing one edit away
        "The goverment said so.",            // a human misspelling the model knows
    ] {
        assert!(fixes(left).is_empty(), "{left}: {:?}", fixes(left));
    }
}

#[test]
fn the_spinner_makes_typos_of_one_edit_after_the_swaps() {
    use unspin_core::spin::{SpinOptions, Spinner};
    let u = unspinner();
    let text = "Officials said the number of active cases in the state had fallen \
                sharply over the past week, and hospitals were coping.";
    let spin = |typo_rate: f64, salt: u64| {
        let opts = SpinOptions {
            seed: 11,
            typo_rate,
            ..SpinOptions::default()
        };
        Spinner::new(u.model(), opts).spin(text, salt)
    };
    let mut garbled = 0;
    for salt in 0..20 {
        let (clean, typos) = (spin(0.0, salt), spin(0.5, salt));
        let (a, b): (Vec<&str>, Vec<&str>) =
            (clean.split(' ').collect(), typos.split(' ').collect());
        assert_eq!(a.len(), b.len(), "{clean} / {typos}");
        for (x, y) in a.iter().zip(&b).filter(|(x, y)| x != y) {
            garbled += 1;
            // one edit, never the first letter
            assert_eq!(x[..1], y[..1], "{x} → {y}");
            let dropped_or_added = x.len().abs_diff(y.len()) == 1;
            let same_length =
                x.len() == y.len() && x.bytes().zip(y.bytes()).filter(|(p, q)| p != q).count() <= 2;
            assert!(dropped_or_added || same_length, "{x} → {y}");
        }
    }
    assert!(garbled > 40, "only {garbled} typos in 20 texts");
}

#[test]
fn restores_numbers_spelled_against_each_other_a_sign_or_a_month() {
    let u = unspinner();
    let spun = "Growth slowed to zero.one% after the eleven September attacks, \
                while profits fell nine% to £two.89bn.";
    let r = u.restore(spun);
    for want in [" 0.1% ", " 11 September ", " 9% ", " £2.89bn."] {
        assert!(r.text.contains(want), "{want:?} in {:?}", r.text);
    }
    let clean = "One May morning, ten of the firms said growth was five per cent.";
    assert_eq!(u.restore(clean).text, clean);
}

#[test]
fn leaves_genuine_text_alone() {
    let u = unspinner();
    for clean in [
        "The company reported strong profits in the third quarter, analysts said.",
        "The government will publish the report on Monday, the minister told reporters.",
        "Shares in London rose 4% by midday while the pound fell against the dollar.",
    ] {
        let r = u.restore(clean);
        assert_eq!(r.text, clean, "changed a genuine sentence: {:?}", r.changes);
    }
}

/// Every span's offsets slice its text out of the input.
fn assert_spans_slice(text: &str, spans: &[unspin_core::record::Span]) {
    for s in spans {
        assert_eq!(
            slice_chars(text, s.start..s.end),
            Some(s.text.as_str()),
            "{s:?}"
        );
    }
}

#[test]
fn offsets_slice_the_input_on_multibyte_text() {
    let u = unspinner();
    let text = "Café owners — «naïve» as ever — detect bosom malignancy… 東京 reported it; the chilly conflict period ended.";
    let d = u.detect(text);
    assert_spans_slice(text, &d.spans);
    let r = u.restore(text);
    for c in &r.changes {
        assert_eq!(
            slice_chars(text, c.start..c.end),
            Some(c.from.as_str()),
            "{c:?}"
        );
    }
}

#[test]
fn deterministic() {
    let u = unspinner();
    let text = "India wants to be seen as a impartial celebration in the dispute over the chilly conflict period.";
    assert_eq!(u.detect(text), u.detect(text));
    assert_eq!(u.restore(text), u.restore(text));
}

#[test]
fn spun_documents_score_higher_than_their_originals() {
    let u = unspinner();
    let original = "The two navies will conduct joint exercises next week. India wants to be seen as a neutral party. \
                    This story has not been edited by NDTV staff and is published from a syndicated feed.";
    let spun = "The 2 navies will habit joint workout routines subsequent week. India needs to be seen as a impartial celebration. \
                That story has not been altered by NDTV workers and is revealed from a syndicated provender.";
    let (o, s) = (u.detect(original).score, u.detect(spun).score);
    assert!(s > o, "spun {s} vs original {o}");
}

/// The sentences of `bench/engine/product_examples.jsonl`, spun and
/// original, as two texts of some 170 words.
fn product_examples() -> (String, String) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../bench/engine/product_examples.jsonl"
    );
    let pairs: Vec<unspin_core::eval::Pair> = std::fs::read_to_string(path)
        .expect("bench/engine/product_examples.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a pair"))
        .collect();
    // the last pair joins the others' themes into one paragraph
    let join = |f: fn(&unspin_core::eval::Pair) -> &str| {
        pairs[..pairs.len() - 1]
            .iter()
            .map(f)
            .collect::<Vec<_>>()
            .join(" ")
    };
    (join(|p| &p.spun), join(|p| &p.original))
}

#[test]
fn a_spun_text_of_some_length_scores_near_one_and_its_original_near_zero() {
    let u = unspinner();
    let (spun, original) = product_examples();
    let (s, o) = (u.detect(&spun).score, u.detect(&original).score);
    assert!(s > 0.95, "spun {s}");
    assert!(o < 0.25, "original {o}");
    // with no word, nothing is spun
    assert_eq!(u.detect("").score, 0.0);
    assert_eq!(u.detect(" -- ").score, 0.0);
}

#[test]
fn empty_and_odd_inputs_do_not_panic() {
    let u = unspinner();
    for text in [
        "",
        " ",
        "\n\n\n",
        "...",
        "\u{0}\u{1}\u{7f}",
        "a",
        &"word ".repeat(5000),
        &"é".repeat(10_000),
        // one giant lower-case token: no typo to correct
        &format!("The {} said.", "q".repeat(200_000)),
    ] {
        let d = u.detect(text);
        assert!((0.0..=1.0).contains(&d.score));
        let r = u.restore(text);
        assert_eq!(r.changes.is_empty(), r.text == text);
    }
}

#[test]
fn rare_thesaurus_words_the_language_model_does_not_know_are_restored() {
    // spinners reach for rare entries ("neoplasm" for "growth"): unknown
    // to the language model, yet ordinary lower-case words with candidates
    let u = unspinner();
    for (spun, original) in [
        (
            "Figures showed annual neoplasm of just 0.2%, suggesting a much more hesitant recovery than thought.",
            "growth",
        ),
        (
            "The company refused to comment on circumstantials of the deal.",
            "specifics",
        ),
    ] {
        let r = u.restore(spun);
        assert!(r.text.contains(original), "{spun} -> {}", r.text);
        assert!(u.detect(spun).spans.iter().any(|s| s.suggestion.as_deref() == Some(original)));
    }
}

#[test]
fn names_acronyms_and_british_spellings_are_not_spun_words() {
    let u = unspinner();
    let text = "Mr Glazer said the Labour party's globalisation policy was criticised by the IMF and the UK centre.";
    let r = u.restore(text);
    assert_eq!(r.text, text, "{:?}", r.changes);
    assert!(u.detect(text).spans.is_empty());
}

#[test]
fn acronyms_initials_and_british_forms_are_not_weighed_as_swaps() {
    // with every considered span flagged: no acronym or initial is one,
    // and no British form is offered its American spelling
    let u = every_posterior(&unspinner());
    let text = "The PM told TV reporters in S Korea that George W Bush was sceptical of the CD programmes, \
                the ageing jewellery trade and maths offences.";
    let d = u.detect(text);
    let flagged: Vec<&str> = d.spans.iter().map(|s| s.text.as_str()).collect();
    for word in ["PM", "TV", "S", "W", "CD"] {
        assert!(!flagged.contains(&word), "{word} in {flagged:?}");
    }
    let american = [
        "skeptical",
        "programs",
        "aging",
        "jewelry",
        "math",
        "offenses",
    ];
    for s in &d.spans {
        let suggestion = s.suggestion.as_deref().unwrap_or("");
        assert!(!american.contains(&suggestion), "{} → {suggestion}", s.text);
    }
    // a list's Roman numbering is no word either
    let listed = u.detect("We compare (ii) a classifier with (iii) a parser.");
    assert!(
        listed
            .spans
            .iter()
            .all(|s| s.text != "ii" && s.text != "iii"),
        "{:?}",
        listed.spans
    );
    // the same words in a shouted headline are words like any other
    assert!(u
        .detect("PM PRAISES TV COVERAGE")
        .spans
        .iter()
        .any(|s| s.text.chars().all(|c| c.is_uppercase())));
}

#[test]
fn an_unknown_word_after_a_number_is_a_unit() {
    // Indian English counts in lakhs and crores; the model knows neither
    let u = every_posterior(&unspinner());
    let text =
        "The state allocated Rs 500 crore for the scheme, and 2 lakh farmers have benefited.";
    let flagged: Vec<String> = u.detect(text).spans.into_iter().map(|s| s.text).collect();
    assert!(
        !flagged.iter().any(|w| w == "crore" || w == "lakh"),
        "{flagged:?}"
    );
    // the same word elsewhere is still weighed
    let elsewhere = "The lakh was the figure they gave.";
    assert!(u.detect(elsewhere).spans.iter().any(|s| s.text == "lakh"));
}

#[test]
fn a_collocation_broken_word_by_word_is_restored_jointly() {
    // "Cold War" spun word by word: neither "cold" nor "war" fits its spun
    // neighbour, and "cold" has so many synonyms that its channel alone
    // makes it a long shot; the pair's own channel makes it sure
    let u = unspinner();
    let text = "They surpass the military-political alliances of the Chilly Conflict period.";
    let cold = |u: &Unspinner| {
        let r = u.restore(text);
        assert!(r.text.contains("Cold War"), "{:?}", r.changes);
        r.changes
            .iter()
            .find(|c| c.from == "Chilly")
            .map(|c| c.score)
            .unwrap_or_default()
    };
    let without = with_params(&u, |p| p.collocation_channel_floor = -100.0);
    let (with, without) = (cold(&u), cold(&without));
    assert!(with > 0.99 && with > without + 0.02, "{with} / {without}");
}

#[test]
fn an_unknown_word_the_document_repeats_is_its_own_term() {
    // "neoplasm" once reads as a spinner's rare synonym; a text that keeps
    // using the word is about it
    let u = unspinner();
    let once = "Figures showed annual neoplasm of just 0.2%, suggesting a much more hesitant recovery than thought.";
    assert!(!u.restore(once).changes.is_empty());
    let twice = format!("{once} The neoplasms were examined.");
    let r = u.restore(&twice);
    assert!(
        r.changes
            .iter()
            .all(|c| !c.from.to_lowercase().starts_with("neoplasm")),
        "{:?}",
        r.changes
    );
}

/// Spun news: "number" → "variety", "cases" → "instances", "said" → "stated".
const SPUN_REPORT: &str = "Officials said the number of lively instances fell sharply final week, while the overall variety of cases recorded since March rose. The authorities stated the restoration charge had improved and that hospitals have been coping.";

#[test]
fn restore_applies_only_changes_above_its_threshold() {
    let u = unspinner();
    let text = SPUN_REPORT;
    let r = u.restore(text);
    assert!(
        r.text.contains("overall number of cases"),
        "{:?}",
        r.changes
    );
    assert!(r.changes.iter().all(|c| c.score > 0.0));
    let strict = with_params(&u, |p| p.restore_threshold = 1.0);
    assert_eq!(strict.restore(text).text, text);
    // detect does not depend on it
    assert_eq!(strict.detect(text), u.detect(text));
}

#[test]
fn a_candidate_the_document_uses_elsewhere_is_preferred() {
    // "said" stands elsewhere in this spun text, so "stated" reads as a
    // spinner's swap for it: the bonus makes "said" the surer choice
    let u = unspinner();
    let confidence = |u: &Unspinner| {
        let r = u.restore(SPUN_REPORT);
        assert!(r.text.contains("authorities said"), "{:?}", r.changes);
        let c = r
            .changes
            .iter()
            .find(|c| c.from == "stated")
            .expect("stated");
        c.score
    };
    let with = confidence(&u);
    let without = confidence(&with_params(&u, |p| p.doc_term_bonus = 0.0));
    assert!(with > without + 0.1, "{with} / {without}");
}

#[test]
fn a_word_the_text_repeats_reads_as_the_writers_choice() {
    // genuine news that repeats "stockpiles": each use alone reads as a
    // spinner's pick for "reserves" (with the prior's switch read as it
    // is: damped in this short text's rarer words, it flags less anyway;
    // and with no first-pass flag seconding its suggestion elsewhere,
    // which in a text that reads as spun takes a repeated word for a fixed
    // dictionary's)
    let u = with_params(&unspinner(), |p| {
        p.prior_vocabulary = false;
        p.seconded_flag_from = 1.0;
    });
    let text = "Oil prices rose after official figures showed that American crude stockpiles fell last week. Traders had expected stockpiles to grow as refineries cut output for maintenance.";
    let flagged = |u: &Unspinner| {
        let d = u.detect(text);
        let n = d.spans.iter().filter(|s| s.text == "stockpiles").count();
        (n, d.score)
    };
    let without = with_params(&u, |p| p.repeated_word_cost = 0.0);
    let strong = with_params(&u, |p| p.repeated_word_cost = 4.0);
    let (n0, score0) = flagged(&without);
    let (n, score) = flagged(&u);
    assert_eq!(n0, 2);
    assert!(n < n0 && score < score0, "{n} {score} / {n0} {score0}");
    assert_eq!(flagged(&strong).0, 0);
}

#[test]
fn the_spinner_favours_familiar_synonyms_when_told_to() {
    use unspin_core::spin::{SpinOptions, Spinner};
    let u = unspinner();
    let lm = u.model().lm();
    // every word the spinner writes in, and how many of them the language
    // model does not know
    let unknown_share = |familiarity: f64| {
        let opts = SpinOptions {
            rate: 1.0,
            familiarity,
            channel_power: 1.0,
            ..SpinOptions::default()
        };
        let spinner = Spinner::new(u.model(), opts);
        let (mut written, mut unknown) = (0, 0);
        for salt in 0..20 {
            let text = "The committee approved the plan after a long debate about the cost of new schools and roads.";
            let spun = spinner.spin(text, salt);
            let before: std::collections::HashSet<String> =
                unspin_core::text::metric_words(text).into_iter().collect();
            for w in unspin_core::text::metric_words(&spun) {
                if !before.contains(&w) {
                    written += 1;
                    unknown += usize::from(lm.id(&w).is_none());
                }
            }
        }
        assert!(written > 100, "{written}");
        unknown as f64 / written as f64
    };
    let plain = unknown_share(0.0);
    let familiar = unknown_share(1.0);
    assert!(familiar < plain / 2.0, "{familiar} / {plain}");
}

#[test]
fn a_consistent_spinner_swaps_every_occurrence_alike() {
    use unspin_core::spin::{SpinOptions, Spinner};
    let u = unspinner();
    let text = "The committee approved the plan after a long debate. ".repeat(8);
    let sentences = |s: &str| -> std::collections::HashSet<String> {
        s.split(". ")
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
            .collect()
    };
    let opts = SpinOptions {
        rate: 0.5,
        seed: 11,
        ..SpinOptions::default()
    };
    let each = Spinner::new(u.model(), opts.clone()).spin(&text, 0);
    assert!(sentences(&each).len() > 1, "{each}");
    let consistent = SpinOptions {
        consistent: true,
        ..opts
    };
    let alike = Spinner::new(u.model(), consistent).spin(&text, 0);
    assert_ne!(alike, text);
    assert_eq!(sentences(&alike).len(), 1, "{alike}");
}

#[test]
fn a_spinner_that_fixes_articles_leaves_none_misfitting() {
    use unspin_core::spin::{SpinOptions, Spinner};
    let u = unspinner();
    let text = "It was a long debate and an important vote, a huge effort by an \
                honest team after a difficult year and an awful storm.";
    // "a"/"an" in the spun texts that no longer fit the next word
    let misfits = |fix_articles: bool| -> usize {
        let opts = SpinOptions {
            rate: 1.0,
            fix_articles,
            // the articles themselves stay ("a" → "ampere" is another story)
            function_word_rate: 0.0,
            ..SpinOptions::default()
        };
        let spinner = Spinner::new(u.model(), opts);
        (0..30)
            .map(|salt| {
                let spun = spinner.spin(text, salt);
                let words: Vec<&str> = spun
                    .split(|c: char| c.is_whitespace() || c == ',' || c == '.')
                    .filter(|w| !w.is_empty())
                    .collect();
                words
                    .windows(2)
                    .filter(|p| {
                        (p[0] == "a" || p[0] == "an")
                            && p[0] != unspin_core::text::article_for(p[1])
                    })
                    .count()
            })
            .sum()
    };
    let left = misfits(false);
    assert!(left > 5, "only {left} articles left misfitting");
    assert_eq!(misfits(true), 0);
}

#[test]
fn the_spinner_spares_capitalised_words_unless_told_otherwise() {
    use unspin_core::spin::{SpinOptions, Spinner};
    let u = unspinner();
    let text = "Officials at the Ministry recalled the War in a long speech.";
    // the capitalised words inside the sentence, as the spinner left them
    let kept = |capitalised_rate: f64| -> usize {
        let opts = SpinOptions {
            rate: 1.0,
            capitalised_rate,
            ..SpinOptions::default()
        };
        let spinner = Spinner::new(u.model(), opts);
        (0..20)
            .map(|salt| {
                let spun = spinner.spin(text, salt);
                ["Ministry", "War"]
                    .iter()
                    .filter(|w| spun.split(' ').any(|x| x == **w))
                    .count()
            })
            .sum()
    };
    assert_eq!(kept(0.0), 40);
    let spun_too = kept(1.0);
    assert!(spun_too < 20, "{spun_too} of 40 capitalised words kept");
}

#[test]
fn a_word_its_article_does_not_fit_reads_as_swapped() {
    // the spinner wrote "impartial" for "neutral" and left the "a"
    let u = unspinner();
    let text = "They asked for a impartial celebration to oversee the vote.";
    let posterior = |u: &Unspinner| {
        let u = every_posterior(u);
        let d = u.detect(text);
        let s = d.spans.iter().find(|s| s.text == "impartial").cloned();
        (s.map_or(0.0, |s| s.score), d.score)
    };
    let (with, doc_with) = posterior(&u);
    let (without, doc_without) = posterior(&with_params(&u, |p| p.article_misfit_cost = 0.0));
    assert!(with > without && with > 0.99, "{with} / {without}");
    assert!(doc_with > doc_without + 0.1, "{doc_with} / {doc_without}");
    // a fitting article is no evidence: the same sentence with "an"
    let fitting = text.replace("a impartial", "an impartial");
    let off = with_params(&u, |p| p.article_misfit_cost = 0.0);
    assert_eq!(u.detect(&fitting), off.detect(&fitting));
}

#[test]
fn sentences_decoded_in_parallel_give_the_same_results() {
    let u = unspinner();
    let parallel = u.parallel_sentences(true);
    let text = format!("{SPUN_REPORT} {SPUN_REPORT}\n\nThey asked for a impartial celebration.");
    let (d, dp) = (u.detect(&text), parallel.detect(&text));
    assert!(d.spans.len() > 4, "{d:?}");
    assert_eq!(d, dp);
    assert_eq!(u.restore(&text), parallel.restore(&text));
}

#[test]
fn spinner_residue_is_flagged_and_undone_by_rule() {
    let u = unspinner();
    let text = "The project cost €3, 800 — naïve {this|that} city said, and Rs. 1, 234, 567 more.";
    let d = u.detect(text);
    assert_spans_slice(text, &d.spans);
    assert!(d.spans.windows(2).all(|w| w[0].end <= w[1].start), "{d:?}");
    let rules: Vec<(&str, Option<&str>)> = d
        .spans
        .iter()
        .filter(|s| s.source.as_deref() == Some("rule"))
        .map(|s| (s.text.as_str(), s.suggestion.as_deref()))
        .collect();
    assert_eq!(
        rules,
        [
            ("3, 800", Some("3,800")),
            ("{this|that}", Some("this")),
            ("1, 234, 567", Some("1,234,567")),
        ]
    );
    let clean = text
        .replace("3, 800", "3,800")
        .replace("{this|that}", "this")
        .replace("1, 234, 567", "1,234,567");
    assert!(d.score > u.detect(&clean).score, "{d:?}");

    let r = u.restore(text);
    assert_eq!(r.check(text), Ok(()));
    assert!(
        r.text
            .contains("cost €3,800 — naïve this city said, and Rs. 1,234,567 more."),
        "{r:?}"
    );
    let from_rules = r
        .changes
        .iter()
        .filter(|c| c.source.as_deref() == Some("rule"))
        .count();
    assert_eq!(from_rules, 3, "{r:?}");
    // genuine look-alikes are left alone
    let genuine =
        "On March 3, 800 people marched; in 2019, 800 jobs went. Hello {name}, see \\frac{a}{b}.";
    assert!(u
        .detect(genuine)
        .spans
        .iter()
        .all(|s| s.source.as_deref() != Some("rule")));
    assert!(u
        .restore(genuine)
        .changes
        .iter()
        .all(|c| c.source.as_deref() != Some("rule")));
}

#[test]
fn the_built_in_lexicon_keeps_the_tenses_of_be_apart() {
    let m = Model::builtin().expect("the built-in model loads");
    let originals = |spun: &str| -> Vec<String> {
        m.lexicon()
            .candidates(spun)
            .into_iter()
            .map(|c| c.text)
            .collect()
    };
    // a past stands for a past, a third person for a third person
    let remained = originals("remained");
    assert!(remained.iter().any(|c| c == "was"), "{remained:?}");
    assert!(!remained.iter().any(|c| c == "are" || c == "am"));
    let comes = originals("comes");
    assert!(comes.iter().any(|c| c == "is"), "{comes:?}");
    assert!(!comes.iter().any(|c| c == "was"), "{comes:?}");
}

#[test]
fn a_span_is_narrowed_to_the_words_its_original_changes() {
    let u = unspinner();
    let text =
        "Officials said the economic process was once strong in the region, and exports rose.";
    let spans = u.detect(text).spans;
    let found = |t: &str| spans.iter().find(|s| s.text == t);
    // "economic process" → "economic growth": only "process" was spun
    let process = found("process").unwrap_or_else(|| panic!("{spans:?}"));
    assert_eq!(process.suggestion.as_deref(), Some("growth"));
    // "was once" → "was": "once" was added, and the suggestion is to drop it
    let once = found("once").unwrap_or_else(|| panic!("{spans:?}"));
    assert_eq!(once.suggestion.as_deref(), Some(""));
    assert!(!spans
        .iter()
        .any(|s| s.text.contains("economic") || s.text.contains("was")));
    // a restored change narrows alike, but never to a deletion, which would
    // leave the deleted words' spacing behind
    let r = u.restore(text);
    assert!(r.text.contains("economic growth was strong"), "{}", r.text);
    let froms: Vec<&str> = r.changes.iter().map(|c| c.from.as_str()).collect();
    assert!(
        froms.contains(&"process") && froms.contains(&"was once"),
        "{froms:?}"
    );
}

#[test]
fn a_genuine_text_in_rare_words_is_not_read_as_spun() {
    // an abstract's words are rarer than news', so the first pass finds
    // more false evidence in it; the built-in parameters damp what the
    // prior's switch reads of it, as the document score does
    let u = unspinner();
    let text = "We propose a convolutional architecture for semantic segmentation of aerial imagery. Our encoder aggregates multiscale features through dilated convolutions, and a lightweight decoder recovers boundaries. Experiments on two benchmarks show that the method outperforms strong baselines while requiring fewer parameters. We further analyse the contribution of each module through ablation studies.";
    let flagged = |u: &Unspinner| u.detect(text).spans.len();
    let undamped = flagged(&with_params(&u, |p| p.prior_vocabulary = false));
    assert!(undamped >= 3, "{undamped}");
    assert!(flagged(&u) < undamped / 2, "{} / {undamped}", flagged(&u));
}

#[test]
fn a_clipped_word_is_not_flagged_as_a_swap_for_the_word_it_clips() {
    // "the net" is the internet in British news, and "adverts" are ads
    let u = every_posterior(&unspinner());
    let text = "More people now shop on the net, and firms spend more on online adverts than on television adverts.";
    let spans = u.detect(text).spans;
    for (word, full) in [("net", "internet"), ("adverts", "ads")] {
        assert!(
            !spans
                .iter()
                .any(|s| s.text == word && s.suggestion.as_deref() == Some(full)),
            "{spans:?}"
        );
    }
    let offered = u.candidate_originals("net");
    assert!(!offered.iter().any(|c| c == "internet"), "{offered:?}");
}

#[test]
fn a_british_word_is_not_flagged_as_a_swap_for_its_american_one() {
    // the built-in model is American: it prefers "council members" to
    // "councillors" and "center stage" to "centre stage"
    let u = every_posterior(&unspinner());
    let text = "Local councillors said repossessions rose again this year, and the mayor took centre stage at the meeting.";
    let spans = u.detect(text).spans;
    for (word, us) in [
        ("councillors", "council members"),
        ("repossessions", "foreclosures"),
        ("centre", "center"),
    ] {
        assert!(
            !spans
                .iter()
                .any(|s| s.text == word && s.suggestion.as_deref() == Some(us)),
            "{spans:?}"
        );
    }
    for (spun, us) in [
        ("councillors", "council members"),
        ("centre stage", "center stage"),
    ] {
        let offered = u.candidate_originals(spun);
        assert!(!offered.iter().any(|c| c == us), "{spun}: {offered:?}");
    }
}

#[test]
fn an_original_that_only_adds_words_marks_no_span() {
    // "Festival" → "Film Festival" keeps the word: it was not swapped
    let u = unspinner();
    let text = "A South African film version of Bizet's tragic opera Carmen shot in Cape Town in the Xhosa language has also premiered at the Berlin Festival.";
    let spans = u.detect(text).spans;
    assert!(
        !spans.iter().any(|s| {
            let sugg = s.suggestion.as_deref().unwrap_or("").to_lowercase();
            sugg.split(' ').count() > s.text.split(' ').count()
                && sugg.contains(&s.text.to_lowercase())
        }),
        "{spans:?}"
    );
}
