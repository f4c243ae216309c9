//! The README's first command prints what the README says it prints.

use std::io::Write;
use std::process::{Command, Stdio};

#[test]
fn the_readme_example_restores_as_documented() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"))
        .expect("README.md");
    let command = readme
        .lines()
        .find(|l| l.starts_with("echo \"") && l.contains("-- restore"))
        .expect("the README's restore command");
    let input = command["echo \"".len()..].split("\" |").next().unwrap();
    let prose = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    let expected = prose
        .split("It prints \"")
        .nth(1)
        .and_then(|rest| rest.split("\" and lists").next())
        .expect("the README's promised output");
    let mut child = Command::new(env!("CARGO_BIN_EXE_unspin"))
        .arg("restore")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("unspin runs");
    writeln!(child.stdin.take().unwrap(), "{input}").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), expected);
}
