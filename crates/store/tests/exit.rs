//! A process that used PostgreSQL ends with the status it chose, never by a signal, even when it
//! exits while its threads are in the middle of TLS on pooled and fresh connections (issue 21).
//! The short version of `just stress-exit`.

use std::process::Command;

#[test]
fn processes_exiting_with_busy_postgres_connections_are_never_killed_by_a_signal() {
    let url = upstate_store::testing::test_postgres_url();
    let output = Command::new(env!("CARGO_BIN_EXE_exit-stress"))
        .args([
            "--url",
            &url,
            "--runs",
            "40",
            "--parallel",
            "4",
            "--threads",
            "8",
        ])
        .output()
        .expect("run exit-stress");
    let report = String::from_utf8_lossy(&output.stdout);
    let errors = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "some processes did not exit 0:\n{report}{errors}"
    );
    assert!(
        report.contains("40 exited 0, 0 killed by a signal"),
        "{report}{errors}"
    );
}
