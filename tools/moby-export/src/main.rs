//! Writes the Moby thesaurus (public domain; packaged on crates.io by the
//! MIT-licensed `thesaurus-moby` crate) to the file named by the first
//! argument, one row per head word: `head,synonym,synonym,…`.
fn main() -> std::io::Result<()> {
    let Some(out) = std::env::args().nth(1) else {
        eprintln!("usage: moby-export OUTPUT");
        std::process::exit(2);
    };
    std::fs::write(out, thesaurus_moby::uncompress())
}
