//! Writing results: JSON Lines for tools, a highlighted view for people.

use std::io::{IsTerminal, Write};

use serde_json::{Map, Value};

use crate::input::Record;

/// True when `err` is a broken pipe (the reader went away): not an error.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// True when stdout is a terminal (use colours and the human view).
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// One output JSON object: the input's other fields, then `id`, then the
/// result's fields.
pub fn json_record(rec: &Record, result: &impl serde::Serialize) -> anyhow::Result<Value> {
    let mut obj = Map::new();
    for (k, v) in &rec.extra {
        obj.insert(k.clone(), v.clone());
    }
    obj.insert("id".into(), rec.id.clone());
    if let Value::Object(fields) = serde_json::to_value(result)? {
        for (k, v) in fields {
            obj.insert(k, v);
        }
    }
    Ok(Value::Object(obj))
}

/// Writes one JSON line.
pub fn write_line(out: &mut impl Write, v: &Value) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *out, v)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// Marks `spans` (character offsets, sorted) in `text` for a terminal:
/// colour when `color`, else [[span -> suggestion]] brackets.
pub fn highlight(text: &str, spans: &[(usize, usize, Option<String>, f64)], color: bool) -> String {
    let mut out = String::with_capacity(text.len() + spans.len() * 16);
    let mut si = 0;
    let mut open: Option<(usize, Option<String>)> = None;
    for (ci, ch) in text.chars().enumerate() {
        if let Some((end, sugg)) = &open {
            if ci == *end {
                close(&mut out, sugg.as_deref(), color);
                open = None;
            }
        }
        while si < spans.len() && spans[si].0 < ci {
            si += 1;
        }
        if open.is_none() && si < spans.len() && spans[si].0 == ci {
            let (_, end, sugg, score) = &spans[si];
            if color {
                let code = if *score >= 0.8 { "1;31" } else { "33" };
                out.push_str(&format!("\x1b[{code}m"));
            } else {
                out.push_str("[[");
            }
            open = Some((*end, sugg.clone()));
            si += 1;
        }
        out.push(ch);
    }
    if let Some((_, sugg)) = open {
        close(&mut out, sugg.as_deref(), color);
    }
    out
}

fn close(out: &mut String, sugg: Option<&str>, color: bool) {
    // an empty suggestion: the spun words were added and should go
    let sugg = sugg.map(|s| if s.is_empty() { "(delete)" } else { s });
    if color {
        out.push_str("\x1b[0m");
        if let Some(s) = sugg {
            out.push_str(&format!("\x1b[2;32m{{{s}}}\x1b[0m"));
        }
    } else {
        match sugg {
            Some(s) => out.push_str(&format!(" -> {s}]]")),
            None => out.push_str("]]"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlight_brackets_spans() {
        let h = highlight(
            "a Chilly Conflict é",
            &[(2, 8, Some("Cold".into()), 0.9), (9, 17, None, 0.6)],
            false,
        );
        assert_eq!(h, "a [[Chilly -> Cold]] [[Conflict]] é");
    }

    #[test]
    fn an_empty_suggestion_reads_as_a_deletion() {
        let h = highlight("was once so", &[(4, 8, Some(String::new()), 0.9)], false);
        assert_eq!(h, "was [[once -> (delete)]] so");
    }
}
