//! Reading list files: PPS CSV exports and TSV lists, with the `csv` crate.
//!
//! - **PPS CSV export**: a header row with the columns
//!   `Fingerprint - Tortured Phrase` and `Expected Text` (and, optionally,
//!   `Nb Retrieved Papers`, written with thousands separators: `"41,395"`);
//!   the fingerprint column holds a query (see [`super::query`]).
//! - **TSV**: `tortured<TAB>expected[<TAB>context]`, no quoting; the tortured
//!   column is a literal phrase, the context column holds `AND`/`NOT`
//!   clauses. A first row `tortured<TAB>expected...` is a header and is
//!   skipped, as are blank lines and lines starting with `#`.
//!
//! Every bad row is an [`Error::BadFingerprint`] naming the file, the 1-based
//! line and what is wrong.

use std::io::Read;

use super::query::{parse_context, parse_fingerprint, Query, TermSpec};
use crate::error::{Error, Result};

/// The file format of a fingerprint list.
///
/// - **PPS CSV export**: a header row with the columns
///   `Fingerprint - Tortured Phrase` and `Expected Text` (optionally
///   `Nb Retrieved Papers`); the fingerprint is a query such as
///   `"bosom" AND "breast"` or `("a b" OR "c d") NOT "x"`.
/// - **TSV**: `tortured<TAB>expected[<TAB>context]`; the context column holds
///   `AND`/`NOT` clauses, `|` between alternative clause groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ListFormat {
    /// a Problematic Paper Screener CSV export
    PpsCsv,
    /// `tortured<TAB>expected[<TAB>context]`
    Tsv,
}

/// One row of a list, parsed but not compiled.
#[derive(Clone, Debug)]
pub(crate) struct RawEntry {
    pub query: Query,
    pub expected: String,
    pub papers: Option<u64>,
    pub line: usize,
}

/// The PPS header of the fingerprint column.
pub(crate) const PPS_FINGERPRINT: &str = "Fingerprint - Tortured Phrase";
const PPS_EXPECTED: &str = "Expected Text";
const PPS_PAPERS: &str = "Nb Retrieved Papers";

/// Guesses the format from the file name and its first line.
pub(crate) fn sniff(name: &str, head: &[u8]) -> ListFormat {
    let first = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let first = String::from_utf8_lossy(first);
    if first.contains(PPS_FINGERPRINT) || name.to_ascii_lowercase().ends_with(".csv") {
        ListFormat::PpsCsv
    } else {
        ListFormat::Tsv
    }
}

fn bad(file: &str, line: usize, reason: impl Into<String>) -> Error {
    Error::BadFingerprint {
        file: file.to_string(),
        line,
        reason: reason.into(),
    }
}

fn csv_error(file: &str, e: csv::Error) -> Error {
    let line = e.position().map_or(0, |p| p.line() as usize);
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::Io(io),
        csv::ErrorKind::Utf8 { err, .. } => bad(file, line, format!("invalid UTF-8: {err}")),
        other => bad(file, line, format!("{other:?}")),
    }
}

/// Reads every row; `lenient` collects bad rows instead of failing on the
/// first one.
pub(crate) fn read(
    mut reader: impl Read,
    format: ListFormat,
    file: &str,
    lenient: bool,
) -> Result<(Vec<RawEntry>, Vec<Error>)> {
    // Lists are small; holding one in memory lets line numbers be computed
    // from byte offsets (the csv crate does not count blank lines).
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes)?;
    let newlines: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let line_of = |pos: Option<&csv::Position>| {
        pos.map_or(0, |p| {
            // a record's position can point at blank lines before it
            let mut b = p.byte() as usize;
            while bytes.get(b).is_some_and(|c| matches!(c, b'\r' | b'\n')) {
                b += 1;
            }
            1 + newlines.partition_point(|&n| n < b)
        })
    };
    let reader = &bytes[..];
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    let mut push = |r: Result<RawEntry>| -> Result<()> {
        match r {
            Ok(e) => entries.push(e),
            Err(e @ Error::BadFingerprint { .. }) if lenient => problems.push(e),
            Err(e) => return Err(e),
        }
        Ok(())
    };
    match format {
        ListFormat::PpsCsv => {
            let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
            let headers = rdr.headers().map_err(|e| csv_error(file, e))?.clone();
            let col = |name: &str| {
                headers.iter().position(|h| {
                    h.trim_start_matches('\u{feff}')
                        .trim()
                        .eq_ignore_ascii_case(name)
                })
            };
            let fp = col(PPS_FINGERPRINT).ok_or_else(|| {
                bad(
                    file,
                    1,
                    format!("no `{PPS_FINGERPRINT}` column in the header"),
                )
            })?;
            let ex = col(PPS_EXPECTED)
                .ok_or_else(|| bad(file, 1, format!("no `{PPS_EXPECTED}` column in the header")))?;
            let papers = col(PPS_PAPERS);
            for rec in rdr.records() {
                let rec = match rec {
                    Ok(r) => r,
                    Err(e) => {
                        push(Err(csv_error(file, e)))?;
                        continue;
                    }
                };
                let line = line_of(rec.position());
                if rec.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                push(csv_row(
                    file,
                    line,
                    rec.get(fp),
                    rec.get(ex),
                    papers.and_then(|i| rec.get(i)),
                ))?;
            }
        }
        ListFormat::Tsv => {
            let mut rdr = csv::ReaderBuilder::new()
                .delimiter(b'\t')
                .quoting(false)
                .has_headers(false)
                .flexible(true)
                .from_reader(reader);
            let mut first = true;
            for rec in rdr.records() {
                let rec = match rec {
                    Ok(r) => r,
                    Err(e) => {
                        push(Err(csv_error(file, e)))?;
                        continue;
                    }
                };
                let line = line_of(rec.position());
                if std::mem::take(&mut first)
                    && rec
                        .get(0)
                        .is_some_and(|f| f.trim().eq_ignore_ascii_case("tortured"))
                {
                    continue;
                }
                if rec.iter().all(|f| f.trim().is_empty())
                    || rec.get(0).is_some_and(|f| f.starts_with('#'))
                {
                    continue;
                }
                push(tsv_row(file, line, &rec))?;
            }
        }
    }
    Ok((entries, problems))
}

fn csv_row(
    file: &str,
    line: usize,
    fp: Option<&str>,
    ex: Option<&str>,
    papers: Option<&str>,
) -> Result<RawEntry> {
    let fp = fp
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| bad(file, line, "empty fingerprint"))?;
    let expected = clean_expected(ex.unwrap_or_default());
    if expected.is_empty() {
        return Err(bad(
            file,
            line,
            format!("fingerprint `{fp}` has no expected text"),
        ));
    }
    let query = parse_fingerprint(fp).map_err(|r| bad(file, line, r))?;
    check_phrases(file, line, &query)?;
    let papers = match papers.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(p) => Some(
            p.replace([',', ' ', '\u{a0}'], "")
                .parse::<u64>()
                .map_err(|_| bad(file, line, format!("`{PPS_PAPERS}` is not a number: `{p}`")))?,
        ),
    };
    Ok(RawEntry {
        query,
        expected,
        papers,
        line,
    })
}

fn tsv_row(file: &str, line: usize, rec: &csv::StringRecord) -> Result<RawEntry> {
    if rec.len() < 2 {
        return Err(bad(
            file,
            line,
            "expected `tortured<TAB>expected[<TAB>context]`, found no tab",
        ));
    }
    if rec.len() > 3 {
        return Err(bad(
            file,
            line,
            format!(
                "{} columns; at most 3 (tortured, expected, context)",
                rec.len()
            ),
        ));
    }
    let tortured = rec[0].trim();
    if tortured.is_empty() {
        return Err(bad(file, line, "empty tortured phrase"));
    }
    let expected = clean_expected(&rec[1]);
    if expected.is_empty() {
        return Err(bad(
            file,
            line,
            format!("`{tortured}` has no expected text"),
        ));
    }
    let context = match rec.get(2).map(str::trim).filter(|s| !s.is_empty()) {
        Some(c) => parse_context(c).map_err(|r| bad(file, line, r))?,
        None => Vec::new(),
    };
    let query = Query {
        phrases: vec![TermSpec::Phrase {
            text: tortured.to_string(),
            near: None,
        }],
        context,
    };
    check_phrases(file, line, &query)?;
    Ok(RawEntry {
        query,
        expected,
        papers: None,
        line,
    })
}

/// Every phrase and context term must leave at least one token after
/// normalisation ("--" does not).
fn check_phrases(file: &str, line: usize, q: &Query) -> Result<()> {
    let terms = q.phrases.iter().chain(
        q.context
            .iter()
            .flat_map(|g| g.all.iter().flatten().chain(&g.none)),
    );
    for t in terms {
        let text = match t {
            TermSpec::Phrase { text, .. } | TermSpec::Prefix(text) => text,
        };
        if super::normalize::normalize_phrase(text).is_empty() {
            return Err(bad(file, line, format!("`{text}` has no words to match")));
        }
    }
    Ok(())
}

/// Expected text as an analyst wrote it, trimmed, with stray escaping
/// (`\"`) removed.
fn clean_expected(s: &str) -> String {
    s.replace("\\\"", "\"").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(s: &str, f: ListFormat) -> Result<(Vec<RawEntry>, Vec<Error>)> {
        read(s.as_bytes(), f, "list", false)
    }

    #[test]
    fn pps_csv_rows() {
        let csv = "\u{feff}\"Fingerprint - Tortured Phrase\",\"Expected Text\",\"Nb Retrieved Papers\"\n\
                   \"\"\"surface region\"\" AND \"\"surface area\"\"\",\"surface area\",\"41,395\"\n\
                   \"\"\"data and innovation\"\"\",\"\\\"\"information technology (IT)\\\"\"\",\"1,742\"\n";
        let (e, _) = read_str(csv, ListFormat::PpsCsv).unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].papers, Some(41395));
        assert_eq!(e[0].line, 2);
        assert_eq!(e[1].expected, "\"information technology (IT)\"");
    }

    #[test]
    fn pps_csv_without_papers_column() {
        let csv = "Fingerprint - Tortured Phrase,Expected Text\n\"\"\"irregular woodland\"\"\",random forest\n";
        let (e, _) = read_str(csv, ListFormat::PpsCsv).unwrap();
        assert_eq!(e[0].papers, None);
    }

    #[test]
    fn bad_rows_name_file_and_line() {
        let csv =
            "Fingerprint - Tortured Phrase,Expected Text\n\"\"\"a b\"\"\",x\n\"\"\"open\",y\n";
        match read_str(csv, ListFormat::PpsCsv) {
            Err(Error::BadFingerprint { file, line, reason }) => {
                assert_eq!((file.as_str(), line), ("list", 3));
                assert!(reason.contains("unterminated"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        let tsv =
            "tortured\texpected\ncounterfeit consciousness\tartificial intelligence\nno tab here\n";
        match read_str(tsv, ListFormat::Tsv) {
            Err(Error::BadFingerprint { line, reason, .. }) => {
                assert_eq!(line, 3);
                assert!(reason.contains("no tab"));
            }
            other => panic!("{other:?}"),
        }
        let missing = "Tortured,Expected\na,b\n";
        assert!(matches!(
            read_str(missing, ListFormat::PpsCsv),
            Err(Error::BadFingerprint { line: 1, .. })
        ));
        let (ok, problems) = read(tsv.as_bytes(), ListFormat::Tsv, "list", true).unwrap();
        assert_eq!((ok.len(), problems.len()), (1, 1));
    }

    #[test]
    fn tsv_with_context() {
        let tsv = "bosom\tbreast\tAND \"breast\"\n# a comment\n\nback spread\tback propagation\tAND neural\n";
        let (e, _) = read_str(tsv, ListFormat::Tsv).unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].query.context.len(), 1);
        assert_eq!(e[1].line, 4);
    }

    #[test]
    fn sniffing() {
        assert_eq!(
            sniff(
                "x.txt",
                b"\"Fingerprint - Tortured Phrase\",\"Expected Text\"\n"
            ),
            ListFormat::PpsCsv
        );
        assert_eq!(sniff("x.csv", b""), ListFormat::PpsCsv);
        assert_eq!(sniff("x.tsv", b"a\tb\n"), ListFormat::Tsv);
    }
}
