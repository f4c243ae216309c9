//! Dev aid: builds a model from fixed sources without the CLI:
//! `mkmodel OUT SPHINX MYTHES MOBY WORDNET_DIR SWAPS PARAMS [moby_keep]`.
use unspin_core::build::ModelBuilder;
use unspin_core::lexicon::morph::pos;
use unspin_core::lexicon::sources::*;

fn keep(w: &str) -> bool {
    w.split(' ').count() <= 3 && !w.is_empty() && w.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '\'')
}

fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let mut mb = ModelBuilder::new();
    unspin_core::train::read_sphinx_trie(&std::fs::read(&a[1]).unwrap(), &mut mb.lm).unwrap();
    let k = |w: &str| keep(w);
    let opts = MythesOptions { keep: &k, synonym: 1.0, similar: 0.7, generic: 0.5, related: 0.2, symmetric: 0.5 };
    add_mythes(&mut mb.lexicon, &std::fs::read_to_string(&a[2]).unwrap(), &opts).unwrap();
    if a[3] != "-" {
        let lm = &mb.lm;
        let f = |w: &str| lm.unigram(w);
        let mk: usize = a.get(7).map_or(60, |x| x.parse().unwrap());
        add_moby(&mut mb.lexicon, &std::fs::read_to_string(&a[3]).unwrap(), &keep, &f, mk, 1.0).unwrap();
    }
    for (f, p) in [("noun.exc", pos::NOUN), ("verb.exc", pos::VERB), ("adj.exc", pos::ADJ)] {
        mb.lexicon.irregular_mut().add_exc(&std::fs::read_to_string(format!("{}/{f}", a[4])).unwrap(), p);
    }
    add_swaps(&mut mb.lexicon, &std::fs::read_to_string(&a[5]).unwrap(), &a[5]).unwrap();
    mb.lexicon.truncate(a.get(8).map_or(150, |x| x.parse().unwrap()));
    mb.params = serde_json::from_str(&std::fs::read_to_string(&a[6]).unwrap()).unwrap();
    eprintln!("{:?}", mb.lexicon.counts());
    mb.write(std::path::Path::new(&a[0])).unwrap();
}
