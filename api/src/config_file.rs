//! The optional settings file, `upstate.toml`: the same settings as the flags and environment
//! variables (README, "Configuration"), named without `UPSTATE_` and in lowercase:
//!
//! ```toml
//! bind = "0.0.0.0:8080"
//! public_url = "https://status.example.com"
//! mails_per_second = 50
//! ```
//!
//! A flag wins over the environment, which wins over the file, which wins over the defaults. The
//! file is `--config PATH` or `UPSTATE_CONFIG`, else `upstate.toml` in the working directory when
//! there is one. Every problem in it (a name that is no setting, a value a setting does not take)
//! is told at once, one sentence each, before anything starts.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Where the settings file is, when there is one.
pub fn locate(args: &[OsString]) -> Option<PathBuf> {
    let mut given = None;
    let mut args = args.iter().skip(1);
    while let Some(arg) = args.next() {
        let arg = arg.to_string_lossy();
        if arg == "--" {
            break;
        }
        if arg == "--config" {
            given = args.next().map(PathBuf::from);
        } else if let Some(path) = arg.strip_prefix("--config=") {
            given = Some(PathBuf::from(path));
        }
    }
    given
        .or_else(|| std::env::var_os("UPSTATE_CONFIG").map(PathBuf::from))
        .or_else(|| {
            let here = PathBuf::from("upstate.toml");
            here.is_file().then_some(here)
        })
}

/// The settings a file holds: each setting's name (as in the file) and its value as a flag
/// would give it.
#[derive(Debug, Default, Clone)]
pub struct FileSettings {
    pub path: PathBuf,
    pub values: BTreeMap<String, String>,
}

/// Reads the settings file at `path`; the problems are one sentence each.
pub fn read(path: &Path) -> Result<FileSettings, Vec<String>> {
    let text = std::fs::read_to_string(path).map_err(|err| {
        vec![format!(
            "the settings file {} cannot be read: {err}",
            path.display()
        )]
    })?;
    let table: toml::Table = text.parse().map_err(|err: toml::de::Error| {
        vec![format!(
            "{} is not valid TOML: {}",
            path.display(),
            err.message()
        )]
    })?;
    let mut values = BTreeMap::new();
    let mut problems = Vec::new();
    for (name, value) in table {
        let text = match value {
            toml::Value::String(text) => text,
            toml::Value::Integer(number) => number.to_string(),
            toml::Value::Float(number) => number.to_string(),
            toml::Value::Boolean(flag) => flag.to_string(),
            other => {
                problems.push(format!(
                    "{}: `{name}` must be a string, a number or true/false, not a {}",
                    path.display(),
                    other.type_str()
                ));
                continue;
            }
        };
        values.insert(name, text);
    }
    if problems.is_empty() {
        Ok(FileSettings {
            path: path.to_owned(),
            values,
        })
    } else {
        Err(problems)
    }
}

/// The setting an argument is, in the file: its environment variable without `UPSTATE_`, in
/// lowercase (`UPSTATE_MAILS_PER_SECOND` is `mails_per_second`).
fn setting_name(arg: &clap::Arg) -> Option<String> {
    let env = arg.get_env()?.to_str()?;
    // Where the file is cannot be said in the file.
    if env == "UPSTATE_CONFIG" {
        return None;
    }
    env.strip_prefix("UPSTATE_").map(str::to_lowercase)
}

/// `command` (and its subcommands) with the file's values as their settings' defaults, after
/// checking each with the setting's own parser; or every problem of the file.
pub fn apply(command: clap::Command, file: &FileSettings) -> Result<clap::Command, Vec<String>> {
    let mut known = std::collections::BTreeSet::new();
    let mut problems = Vec::new();
    let command = apply_to(command, file, &mut known, &mut problems);
    for name in file.values.keys() {
        if !known.contains(name) {
            problems.push(format!(
                "{}: `{name}` is not a setting (the settings are the README's table, named without \
                 UPSTATE_ and in lowercase)",
                file.path.display()
            ));
        }
    }
    if problems.is_empty() {
        Ok(command)
    } else {
        problems.sort();
        problems.dedup();
        Err(problems)
    }
}

fn apply_to(
    mut command: clap::Command,
    file: &FileSettings,
    known: &mut std::collections::BTreeSet<String>,
    problems: &mut Vec<String>,
) -> clap::Command {
    let settings: Vec<(clap::Id, String)> = command
        .get_arguments()
        .filter_map(|arg| Some((arg.get_id().clone(), setting_name(arg)?)))
        .collect();
    for (id, name) in settings {
        known.insert(name.clone());
        let Some(value) = file.values.get(&name) else {
            continue;
        };
        let checked = command
            .get_arguments()
            .find(|arg| *arg.get_id() == id)
            .map(|arg| check_value(arg, value));
        if let Some(Err(why)) = checked {
            problems.push(format!("{}: `{name} = {value}` {why}", file.path.display()));
            continue;
        }
        command = command.mut_arg(id, |arg| arg.default_value(value.clone()));
    }
    let names: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_owned())
        .collect();
    for name in names {
        command = command.mut_subcommand(name, |sub| apply_to(sub, file, known, problems));
    }
    command
}

/// Whether `arg` takes `value`, by its own parser (as a flag would give it); else why not, as the
/// end of a sentence.
fn check_value(arg: &clap::Arg, value: &str) -> Result<(), String> {
    if !arg.get_action().takes_values() {
        // A switch (`allow_private_targets`): true or false.
        return match value {
            "true" | "false" => Ok(()),
            _ => Err("is refused: it is true or false".to_owned()),
        };
    }
    let Some(long) = arg.get_long() else {
        return Ok(());
    };
    let alone = arg.clone().env(None).required(false);
    clap::Command::new("upstate")
        .no_binary_name(true)
        .arg(alone)
        .try_get_matches_from([format!("--{long}={value}")])
        .map(|_| ())
        .map_err(|err| reason(&err))
}

/// clap's reason for refusing a value, as the end of a sentence.
fn reason(err: &clap::Error) -> String {
    let text = err.to_string();
    let first = text.lines().next().unwrap_or_default();
    let first = first.trim_start_matches("error: ").trim();
    match first.split_once(" for '") {
        // "invalid value 'x' for '--flag <FLAG>': 0 is not in 1..=1000" → the part after it.
        Some((_, rest)) => match rest.split_once("': ") {
            Some((_, why)) => format!("is refused: {why}"),
            None => format!("is refused: {first}"),
        },
        None => format!("is refused: {first}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> Result<FileSettings, Vec<String>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("upstate.toml");
        std::fs::write(&path, text).unwrap();
        read(&path)
    }

    #[test]
    fn the_path_comes_from_the_flag_first() {
        let args: Vec<OsString> = ["upstate", "serve", "--config", "/etc/upstate.toml"]
            .iter()
            .map(OsString::from)
            .collect();
        assert_eq!(locate(&args), Some(PathBuf::from("/etc/upstate.toml")));
        let args: Vec<OsString> = ["upstate", "--config=a.toml", "serve"]
            .iter()
            .map(OsString::from)
            .collect();
        assert_eq!(locate(&args), Some(PathBuf::from("a.toml")));
    }

    #[test]
    fn tables_and_lists_are_refused_by_name() {
        let problems = file("bind = \"127.0.0.1:9\"\n[server]\nport = 1\n").unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].contains("`server` must be a string"),
            "{problems:?}"
        );
        let problems = file("bind = ").unwrap_err();
        assert!(problems[0].contains("is not valid TOML"), "{problems:?}");
    }
}
