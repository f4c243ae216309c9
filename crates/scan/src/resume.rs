//! Resuming an interrupted scan from its output file.
//!
//! Output is written in input order, whole lines at a time, so an output
//! file left by an interrupted scan holds the results of the first K good
//! records, perhaps followed by a torn last line. [`prepare`] cuts the torn
//! line off, counts K and remembers the last id; the scan then skips the
//! first K good input records (checking that the K-th has that id, so a
//! resume against other inputs is refused) and appends the rest. Bad
//! records before the resume point are reported and counted again, so a
//! resumed scan ends with the same summary and exit code as one run
//! straight through.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Seek, SeekFrom};
use std::path::Path;

use serde_json::Value;

use crate::error::Error;

/// Where an interrupted scan stopped.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResumePoint {
    /// output records already written (good input records to skip)
    pub records: usize,
    /// the id of the last record written, if any
    pub last_id: Option<Value>,
}

/// Reads the output file of an interrupted scan, cuts off a torn last line
/// and returns the point to resume from, with the file opened for
/// appending. A missing file resumes from the start.
pub fn prepare(path: &Path) -> Result<(ResumePoint, File), Error> {
    let err = |reason: String| Error::Resume {
        path: path.to_path_buf(),
        reason,
    };
    let mut file = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)
        .map_err(|e| err(e.to_string()))?;
    let mut reader = BufReader::with_capacity(1 << 16, &mut file);
    let mut line = Vec::new();
    let mut records = 0usize;
    let mut good_len = 0u64;
    let mut last = Vec::new();
    loop {
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| err(e.to_string()))?;
        if n == 0 || !line.ends_with(b"\n") {
            break; // end, or a torn last line
        }
        records += 1;
        good_len += n as u64;
        std::mem::swap(&mut last, &mut line);
    }
    drop(reader);
    let last_id = if records == 0 {
        None
    } else {
        let v: Value = serde_json::from_slice(&last)
            .map_err(|e| err(format!("line {records} is not a JSON record: {e}")))?;
        Some(
            v.get("id")
                .cloned()
                .ok_or_else(|| err(format!("line {records} has no \"id\"")))?,
        )
    };
    file.set_len(good_len).map_err(|e| err(e.to_string()))?;
    file.seek(SeekFrom::End(0))
        .map_err(|e| err(e.to_string()))?;
    Ok((ResumePoint { records, last_id }, file))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn cuts_torn_line_and_counts() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.jsonl");
        std::fs::write(
            &p,
            "{\"id\":\"a\",\"score\":0}\n{\"id\":\"b\",\"score\":0}\n{\"id\":\"c\",\"sc",
        )
        .unwrap();
        let (point, mut f) = prepare(&p).unwrap();
        assert_eq!(point.records, 2);
        assert_eq!(point.last_id, Some(Value::from("b")));
        f.write_all(b"X\n").unwrap();
        drop(f);
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "{\"id\":\"a\",\"score\":0}\n{\"id\":\"b\",\"score\":0}\nX\n"
        );
    }

    #[test]
    fn missing_file_starts_fresh() {
        let dir = tempfile::tempdir().unwrap();
        let (point, _) = prepare(&dir.path().join("new.jsonl")).unwrap();
        assert_eq!(point, ResumePoint::default());
    }

    #[test]
    fn garbage_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.jsonl");
        std::fs::write(&p, "not json\n").unwrap();
        let e = prepare(&p).unwrap_err().to_string();
        assert!(e.contains("line 1 is not a JSON record"), "{e}");
    }
}
