//! `springboard emit`: an object file of named trampolines for any supported target.
//! Items are `NAME=KIND[(CALLEE)][+OPTION]:SIGNATURE` ([`ObjectItem`]).

use super::CliError;
use springboard::object::{emit_object, ObjectItem};
use springboard::Target;

/// Parses `NAME=KIND:SIGNATURE` items, compiles them for `target` and writes the
/// object file to `output`.
pub fn emit(target: &str, output: &str, items: &[String]) -> Result<(), CliError> {
    let target = target
        .parse::<Target>()
        .map_err(|_| CliError::UnknownTarget(target.to_string()))?;
    if items.is_empty() {
        return Err(CliError::NoItems);
    }
    let items: Vec<ObjectItem> = items
        .iter()
        .map(|item| item.parse())
        .collect::<Result<_, springboard::Error>>()?;
    let mut names = std::collections::HashSet::new();
    if let Some(item) = items.iter().find(|item| !names.insert(item.name.as_str())) {
        return Err(CliError::DuplicateName(item.name.clone()));
    }
    let bytes = emit_object(&target, &items)?;
    std::fs::write(output, bytes).map_err(|source| CliError::Write {
        path: output.to_string(),
        source,
    })
}
