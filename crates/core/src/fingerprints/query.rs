//! The fingerprint query language of PPS exports (a subset of the
//! Dimensions search syntax).
//!
//! A PPS fingerprint is a quoted phrase, or a parenthesised `OR` list of
//! phrases, followed by context clauses:
//!
//! ```text
//! "bosom" AND "breast"
//! "highlight extraction" NOT specular
//! ("irregular woodland" OR "arbitrary woodland") AND ("forest" OR "tree")
//! "enhancement calculation" AND optimiz*
//! "gatherings clustering"~10
//! ```
//!
//! `AND x` requires `x` somewhere in the document, `NOT x` (or `AND NOT x`)
//! vetoes the hit when `x` occurs, a trailing `*` makes a prefix term, and
//! `"a b"~N` means the words of the phrase within `N` words of one another.
//! Unquoted words that follow one another form one phrase. The context
//! column of the TSV format holds the clauses alone; `|` separates
//! alternative clause groups (`AND "cloud computing" | AND "wireless"`: either
//! group will do).

/// One searchable term.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TermSpec {
    /// a phrase; with `near`, its words in any order within that many words
    Phrase { text: String, near: Option<u32> },
    /// a word prefix (`optimiz*`)
    Prefix(String),
}

/// A set of context clauses: every `all` entry (an any-of list) must be
/// present and no `none` term may be.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ClauseGroup {
    pub all: Vec<Vec<TermSpec>>,
    pub none: Vec<TermSpec>,
}

/// A parsed fingerprint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Query {
    /// alternative forms of the tortured phrase
    pub phrases: Vec<TermSpec>,
    /// alternative clause groups; empty means no context condition
    pub context: Vec<ClauseGroup>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Quoted(String, Option<u32>),
    Word(String),
    And,
    Or,
    Not,
    Open,
    Close,
    Pipe,
}

fn lex(s: &str) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '"' | '“' | '”' => {
                chars.next();
                let mut text = String::new();
                loop {
                    match chars.next() {
                        Some('"' | '“' | '”') => break,
                        Some(c) => text.push(c),
                        None => return Err(format!("unterminated quote in `{s}`")),
                    }
                }
                let mut near = None;
                if chars.peek() == Some(&'~') {
                    chars.next();
                    let mut digits = String::new();
                    while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                        digits.push(d);
                        chars.next();
                    }
                    near = Some(
                        digits
                            .parse::<u32>()
                            .map_err(|_| format!("`~` must be followed by a number in `{s}`"))?,
                    );
                }
                out.push(Tok::Quoted(text, near));
            }
            '(' => {
                chars.next();
                out.push(Tok::Open);
            }
            ')' => {
                chars.next();
                out.push(Tok::Close);
            }
            '|' => {
                chars.next();
                out.push(Tok::Pipe);
            }
            _ => {
                let mut w = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || matches!(c, '"' | '“' | '”' | '(' | ')' | '|') {
                        break;
                    }
                    w.push(c);
                    chars.next();
                }
                out.push(match w.as_str() {
                    "AND" => Tok::And,
                    "OR" => Tok::Or,
                    "NOT" => Tok::Not,
                    _ => Tok::Word(w),
                });
            }
        }
    }
    Ok(out)
}

struct Parser<'a> {
    toks: Vec<Tok>,
    pos: usize,
    src: &'a str,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn err(&self, what: &str) -> String {
        format!("{what} in `{}`", self.src)
    }

    /// atom := "quoted"[~N] | word+ ; a word ending in `*` is a prefix.
    fn atom(&mut self) -> Result<TermSpec, String> {
        match self.peek().cloned() {
            Some(Tok::Quoted(text, near)) => {
                self.pos += 1;
                if text.trim().is_empty() {
                    return Err(self.err("empty quoted phrase"));
                }
                Ok(TermSpec::Phrase { text, near })
            }
            Some(Tok::Word(_)) => {
                let mut words = Vec::new();
                while let Some(Tok::Word(w)) = self.peek().cloned() {
                    words.push(w);
                    self.pos += 1;
                }
                if words.len() == 1 {
                    if let Some(p) = words[0].strip_suffix('*') {
                        if p.is_empty() {
                            return Err(self.err("a lone `*`"));
                        }
                        return Ok(TermSpec::Prefix(p.to_string()));
                    }
                }
                Ok(TermSpec::Phrase {
                    text: words.join(" "),
                    near: None,
                })
            }
            Some(t) => Err(self.err(&format!("expected a phrase, found {t:?}"))),
            None => Err(self.err("expected a phrase, found the end")),
        }
    }

    /// alts := atom | "(" atom (OR atom)* ")"
    fn alts(&mut self) -> Result<Vec<TermSpec>, String> {
        if self.peek() == Some(&Tok::Open) {
            self.pos += 1;
            let mut out = vec![self.atom()?];
            loop {
                match self.peek() {
                    Some(Tok::Or) => {
                        self.pos += 1;
                        out.push(self.atom()?);
                    }
                    Some(Tok::Close) => {
                        self.pos += 1;
                        return Ok(out);
                    }
                    _ => return Err(self.err("expected OR or `)`")),
                }
            }
        }
        Ok(vec![self.atom()?])
    }

    /// clauses := ( (AND [NOT] | NOT) alts | "|" )*
    fn clauses(&mut self) -> Result<Vec<ClauseGroup>, String> {
        let mut groups = vec![ClauseGroup::default()];
        let mut first = true;
        while let Some(t) = self.peek().cloned() {
            match t {
                Tok::Pipe => {
                    self.pos += 1;
                    groups.push(ClauseGroup::default());
                    first = true;
                    continue;
                }
                Tok::And => {
                    self.pos += 1;
                    if self.peek() == Some(&Tok::Not) {
                        self.pos += 1;
                        let a = self.alts()?;
                        groups.last_mut().expect("one group").none.extend(a);
                    } else {
                        let a = self.alts()?;
                        groups.last_mut().expect("one group").all.push(a);
                    }
                }
                Tok::Not => {
                    self.pos += 1;
                    let a = self.alts()?;
                    groups.last_mut().expect("one group").none.extend(a);
                }
                // a context column may start with a bare term: read it as AND
                Tok::Quoted(..) | Tok::Word(_) | Tok::Open if first => {
                    let a = self.alts()?;
                    groups.last_mut().expect("one group").all.push(a);
                }
                other => {
                    return Err(self.err(&format!("expected AND, NOT or `|`, found {other:?}")))
                }
            }
            first = false;
        }
        groups.retain(|g| !(g.all.is_empty() && g.none.is_empty()));
        Ok(groups)
    }
}

/// Parses a PPS fingerprint (the "Fingerprint - Tortured Phrase" column).
pub(crate) fn parse_fingerprint(s: &str) -> Result<Query, String> {
    let mut p = Parser {
        toks: lex(s)?,
        pos: 0,
        src: s,
    };
    if p.toks.is_empty() {
        return Err("empty fingerprint".into());
    }
    let mut phrases = p.alts()?;
    while p.peek() == Some(&Tok::Or) {
        p.pos += 1;
        phrases.extend(p.alts()?);
    }
    let context = p.clauses()?;
    Ok(Query { phrases, context })
}

/// Parses the context column of the TSV format.
pub(crate) fn parse_context(s: &str) -> Result<Vec<ClauseGroup>, String> {
    let mut p = Parser {
        toks: lex(s)?,
        pos: 0,
        src: s,
    };
    p.clauses()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ph(s: &str) -> TermSpec {
        TermSpec::Phrase {
            text: s.into(),
            near: None,
        }
    }

    #[test]
    fn fingerprint_table() {
        let q = parse_fingerprint(r#""bosom" AND "breast""#).unwrap();
        assert_eq!(q.phrases, [ph("bosom")]);
        assert_eq!(q.context[0].all, [vec![ph("breast")]]);

        let q = parse_fingerprint(r#""highlight extraction" NOT specular"#).unwrap();
        assert_eq!(q.context[0].none, [ph("specular")]);

        let q = parse_fingerprint(r#"("a b" OR "c d") AND ("x" OR "y") AND NOT "z""#).unwrap();
        assert_eq!(q.phrases, [ph("a b"), ph("c d")]);
        assert_eq!(q.context[0].all, [vec![ph("x"), ph("y")]]);
        assert_eq!(q.context[0].none, [ph("z")]);

        let q = parse_fingerprint(r#""enhancement calculation" AND optimiz*"#).unwrap();
        assert_eq!(q.context[0].all, [vec![TermSpec::Prefix("optimiz".into())]]);

        let q = parse_fingerprint(r#""gatherings clustering"~10"#).unwrap();
        assert_eq!(
            q.phrases,
            [TermSpec::Phrase {
                text: "gatherings clustering".into(),
                near: Some(10)
            }]
        );
        assert!(q.context.is_empty());

        let q = parse_fingerprint(r#""business knowledge" AND business intelligence"#).unwrap();
        assert_eq!(q.context[0].all, [vec![ph("business intelligence")]]);

        let q = parse_fingerprint(r#""a" OR "b""#).unwrap();
        assert_eq!(q.phrases, [ph("a"), ph("b")]);
    }

    #[test]
    fn context_table() {
        let g = parse_context(r#"AND "cloud computing" | AND "wireless""#).unwrap();
        assert_eq!(g.len(), 2);
        assert_eq!(g[1].all, [vec![ph("wireless")]]);
        let g = parse_context(
            r#"AND "developed countries" AND "created nations developed countries"~100"#,
        )
        .unwrap();
        assert_eq!(g[0].all.len(), 2);
        assert!(parse_context("").unwrap().is_empty());
    }

    #[test]
    fn errors_name_the_problem() {
        assert!(parse_fingerprint(r#""unterminated"#)
            .unwrap_err()
            .contains("unterminated"));
        assert!(parse_fingerprint(r#""a" AND"#).unwrap_err().contains("end"));
        assert!(parse_fingerprint(r#"("a" "b")"#)
            .unwrap_err()
            .contains("OR"));
        assert!(parse_fingerprint(r#""x"~y"#)
            .unwrap_err()
            .contains("number"));
        assert!(parse_fingerprint("").is_err());
        assert!(parse_context(r#"AND "a" "b""#).is_err());
    }
}
