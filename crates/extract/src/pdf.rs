//! PDF text through Poppler's `pdftotext`, in a child process that is
//! killed at a deadline and whose output is capped (the crate docs say
//! why a PDF is not parsed in this process).

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use wait_timeout::ChildExt;

use crate::ExtractError;

/// The most of the reader's error output kept for the error message.
const MAX_STDERR_BYTES: usize = 16 << 10;

/// Reads the text of a PDF with Poppler's `pdftotext` (Debian's
/// `poppler-utils`): UTF-8, one line per line of the page, no page breaks;
/// a word hyphenated at a line end comes back whole ("base-" "line" is
/// "baseline"), which the analysis needs: fragments read as unknown words.
#[derive(Clone, Debug)]
pub struct PdfReader {
    /// the program: a name looked up on `PATH`, or a path
    pub program: PathBuf,
    /// how long reading one file may take before the reader is killed
    pub timeout: Duration,
    /// the largest text kept, in bytes; a larger one is an error
    pub max_text_bytes: usize,
}

impl Default for PdfReader {
    /// `pdftotext` from `PATH`, 30 s a file, 64 MiB of text.
    fn default() -> PdfReader {
        PdfReader {
            program: PathBuf::from("pdftotext"),
            timeout: Duration::from_secs(30),
            max_text_bytes: 64 << 20,
        }
    }
}

impl PdfReader {
    /// The text of `pdf`, its trailing blank lines dropped.
    pub fn text(&self, pdf: &[u8]) -> Result<String, ExtractError> {
        let program = self.program.display().to_string();
        let mut child = Command::new(&self.program)
            .args(["-enc", "UTF-8", "-eol", "unix", "-nopgbrk", "-", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| ExtractError::PdfReaderMissing {
                program: program.clone(),
                reason: e.to_string(),
            })?;
        let (Some(mut stdin), Some(mut stdout), Some(mut stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            unreachable!("all three streams are piped");
        };
        let max = self.max_text_bytes;
        std::thread::scope(|scope| {
            // a reader that stops early (a corrupt file) closes its input:
            // the broken pipe is its answer, not an error here
            scope.spawn(move || {
                let _ = stdin.write_all(pdf);
            });
            let out = scope.spawn(move || read_capped(&mut stdout, max + 1));
            let err = scope.spawn(move || read_capped(&mut stderr, MAX_STDERR_BYTES).0);
            let failed = |e: std::io::Error| ExtractError::PdfReaderFailed(e.to_string());
            let Some(status) = child.wait_timeout(self.timeout).map_err(failed)? else {
                // killing it closes its pipes, which ends the threads above
                let _ = child.kill();
                child.wait().map_err(failed)?;
                return Err(ExtractError::PdfTimeout {
                    seconds: self.timeout.as_secs_f64(),
                });
            };
            let (kept, total) = out.join().expect("the output reader does not panic");
            let messages = err.join().expect("the error reader does not panic");
            if !status.success() {
                let said = String::from_utf8_lossy(&messages);
                // the first few of what may be thousands of complaints
                let said: Vec<&str> = said
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .take(3)
                    .collect();
                let said = if said.is_empty() {
                    format!("{program} ended with {status}")
                } else {
                    said.join("; ")
                };
                return Err(match status.code() {
                    Some(_) => ExtractError::CorruptPdf(said),
                    None => ExtractError::PdfReaderFailed(said),
                });
            }
            if total > max {
                return Err(ExtractError::PdfTooLarge { max });
            }
            let text = String::from_utf8_lossy(&kept).trim_end().to_string();
            if text.trim().is_empty() {
                return Err(ExtractError::PdfNoText);
            }
            Ok(text)
        })
    }
}

/// Reads `from` to its end, keeping its first `cap` bytes: a child's output
/// is drained whole, so that it never blocks on a full pipe. Returns what
/// was kept and how many bytes there were.
fn read_capped(from: &mut impl Read, cap: usize) -> (Vec<u8>, usize) {
    let (mut kept, mut total) = (Vec::new(), 0usize);
    let mut chunk = vec![0u8; 64 << 10];
    loop {
        match from.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => {
                total = total.saturating_add(n);
                let room = cap.saturating_sub(kept.len()).min(n);
                kept.extend_from_slice(&chunk[..room]);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    (kept, total)
}
